import type { OpenAPIObject } from '@nestjs/swagger';
import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError, applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { LONE_SURROGATE, PLATFORM_ID_PATTERN } from '@cwx/platform';
import { AppError, AppErrorCode, type FieldProblem } from './app-error';

/** The largest value an `integer` column holds: versions and ConnectWise ids above it are refused. */
export const MAX_INT4 = 2_147_483_647;

/** Partner and account ids: the platform's id rule, stated once (OpenAPI and README quote it). */
export const ID_RULE = '1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit';
export { PLATFORM_ID_PATTERN as ID_PATTERN };

/** States the id rule on every `partnerId` and `accountId` path parameter of the OpenAPI document. */
export function describeIdParameters(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    const operations = item as Record<string, unknown>;
    for (const operation of Object.values(operations) as { parameters?: { name: string; in: string; schema?: object; description?: string }[] }[]) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path' || (parameter.name !== 'partnerId' && parameter.name !== 'accountId')) continue;
        parameter.schema = { ...parameter.schema, type: 'string', pattern: PLATFORM_ID_PATTERN.source };
        parameter.description = `${ID_RULE}.`;
      }
    }
  }
  return document;
}

/** JSON nested deeper than this (arrays and objects) is refused before anything walks it. */
export const MAX_INPUT_DEPTH = 32;

/** A `version` field: the integer last read, at least `min`, within the column's range (stated in OpenAPI). */
export function IsVersion(min = 1): PropertyDecorator {
  return applyDecorators(IsInt(), Min(min), Max(MAX_INT4), ApiProperty({ type: 'integer', minimum: min, maximum: MAX_INT4 }));
}

/** A partner or account id in a body or query (the rule stated in OpenAPI). */
export function IsPlatformId(): PropertyDecorator {
  return applyDecorators(Matches(PLATFORM_ID_PATTERN, { message: `must be ${ID_RULE}` }), ApiProperty({ pattern: PLATFORM_ID_PATTERN.source }));
}

export function idProblem(field: string, value: string): AppError | undefined {
  if (PLATFORM_ID_PATTERN.test(value)) return undefined;
  return invalid([{ field, reason: `must be ${ID_RULE}` }]);
}

/**
 * Runs before the DTO validation, on every body, query and path parameter: text must be well-formed
 * Unicode without NUL (PostgreSQL cannot store it, and a lone surrogate would be stored as U+FFFD),
 * JSON no deeper than {@link MAX_INPUT_DEPTH} (class-transformer recurses, even into unknown fields),
 * and `:accountId` must follow the id rule. The walk is iterative: no input can overflow the stack.
 */
@Injectable()
export class WellFormedInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param' && metadata.data === 'accountId' && typeof value === 'string') {
      const problem = idProblem('accountId', value);
      if (problem) throw problem;
    }
    const problems = inspect(value, metadata.type === 'param' ? (metadata.data ?? 'param') : '');
    if (problems.length > 0) throw invalid(problems);
    return value;
  }
}

function inspect(root: unknown, rootPath: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0 && problems.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const reason = textProblem(value);
      if (reason) problems.push({ field: path || 'body', reason });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      problems.push({ field: path.length > 60 ? `${path.slice(0, 60)}…` : path || 'body', reason: `is nested deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const keyReason = textProblem(key);
      if (keyReason) problems.push({ field: path || 'body', reason: `has a key that ${keyReason}` });
      else stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return problems;
}

/** Why a text is refused, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}

function invalid(fields: FieldProblem[]): AppError {
  return new AppError(AppErrorCode.ValidationFailed, `Invalid request: ${fields.map((f) => `${f.field} ${f.reason}`).join('; ')}`, { fields });
}

/**
 * Every body and query is validated against its DTO: unknown fields are refused, values converted,
 * and a refusal names each field and the reason.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors: ValidationError[]) => invalid(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const reason of Object.values(error.constraints ?? {})) {
      // class-validator words "property x should not exist" for unknown fields; keep it short.
      out.push({ field, reason: reason.replace(/^property \S+ /, '').replace(new RegExp(`^${escape(error.property)} `), '') });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
