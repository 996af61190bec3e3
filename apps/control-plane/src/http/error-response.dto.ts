import { ApiProperty, ApiPropertyOptional, type ApiResponseOptions, getSchemaPath } from '@nestjs/swagger';
import { AppErrorCode } from './app-error';

export class FieldProblemDto {
  @ApiProperty({ example: 'timeZone' }) field!: string;
  @ApiProperty({ example: 'must be an IANA time zone such as Europe/Paris' }) reason!: string;
}

/** The body of every error response (AppErrorFilter builds it). */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({
    description:
      `A stable code to branch on: ${Object.values(AppErrorCode).join(', ')}; and for transport-level refusals ` +
      'bad_request, unauthorized, forbidden, not_found, payload_too_large, unsupported_media_type, rate_limited, not_ready, internal_error.',
    example: 'version_mismatch',
  })
  code!: string;
  @ApiProperty({ description: 'For a person; never holds a secret.', example: 'The mapping changed since it was read (version 3, now 4).' }) message!: string;
  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'With validation_failed: each field refused and why.' }) errors?: FieldProblemDto[];
  @ApiPropertyOptional({ description: 'With internal_error (500) only: quote it to support; the cause is in the log under this id.' }) errorId?: string;
}

const body = { $ref: getSchemaPath(ErrorResponseDto) };

/** The error body as an OpenAPI reference (429 is added by `documentRateLimits`, with its headers). */
export const ERROR_BODY = { 'application/json': { schema: body } };

/** The error responses every route may give, documented once for the whole API (429: see rate-limit.ts). */
export const ERROR_RESPONSES: ApiResponseOptions[] = [
  { status: 400, description: '`validation_failed` (with `errors`) or `bad_request`: the request is malformed or a field breaks a rule.', schema: body },
  { status: 401, description: '`unauthorized`: no bearer token, or one that is expired, badly signed or names no partner.', schema: body },
  { status: 404, description: "`not_found`: the resource does not exist — or belongs to another partner (a partner's token never learns more).", schema: body },
  {
    status: 409,
    description: '`version_mismatch` (re-read, then retry with the new `version`), `run_already_active`, `credentials_required`, `integration_disabled` or `conflict`.',
    schema: body,
  },
  { status: 422, description: '`credentials_rejected` or `connectwise_refused`: ConnectWise answered, and said no (its reason is in `message`).', schema: body },
];
