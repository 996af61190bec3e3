import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ControlPlaneConfig } from '@cwx/config';
import { type AuthenticatedRequest, Public } from '../auth/auth.guard';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { AppError, AppErrorCode } from '../http/app-error';
import { ConsoleSessions, SESSION_COOKIE } from './console-sessions';
import { ConsoleSessionResponseDto, CreateSignInCodeDto, ExchangeSignInCodeDto, SignInCodeResponseDto } from './console.dto';
import { SignInCodesRepository } from './sign-in-codes.repository';

/** The console's path on this server, and the URL that signs in with a code. */
export const CONSOLE_PATH = '/console';
export function consoleSignInUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${CONSOLE_PATH}/#/sign-in/${code}`;
}

/**
 * Getting into the web console without a long-lived token in a URL or in the browser's storage: a
 * holder of a token (the panel, or `npm start` in local mode) asks for a one-time code; the console
 * exchanges it for an HttpOnly session cookie.
 */
@ApiTags('console')
@Controller('auth')
export class ConsoleController {
  constructor(
    private readonly codes: SignInCodesRepository,
    private readonly sessions: ConsoleSessions,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  @Post('console-codes')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'A one-time console sign-in code for the caller (the panel hands its partner over this way).',
    description: 'Valid 15 minutes, usable once. An operator names the partner to sign in as.',
  })
  @ApiCreatedResponse({ type: SignInCodeResponseDto })
  async createCode(@Req() request: AuthenticatedRequest, @Body() body: CreateSignInCodeDto): Promise<SignInCodeResponseDto> {
    const principal = request.principal;
    let partnerId: string;
    if (principal.kind === 'partner') {
      if (body.partnerId && body.partnerId !== principal.partnerId) throw AppError.notFound(`Partner ${body.partnerId}`);
      partnerId = principal.partnerId;
    } else {
      if (!body.partnerId) throw new AppError(AppErrorCode.ValidationFailed, 'An operator must name the partner.', { fields: [{ field: 'partnerId', reason: 'is required' }] });
      partnerId = body.partnerId;
    }
    const partnerName = principal.kind === 'partner' ? principal.partnerName : undefined;
    const { code, expiresAt } = await this.codes.create({ kind: 'partner', subject: principal.subject, partnerId, ...(partnerName ? { partnerName } : {}) });
    return { code, url: consoleSignInUrl(this.publicBaseUrl(request), code), expiresAt: expiresAt.toISOString() };
  }

  @Public()
  @Post('console-session')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a one-time code for a console session (an HttpOnly cookie, 8 hours).' })
  @ApiOkResponse({ type: ConsoleSessionResponseDto })
  async exchange(@Body() body: ExchangeSignInCodeDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<ConsoleSessionResponseDto> {
    const principal = await this.codes.redeem(body.code);
    if (!principal || principal.kind !== 'partner') {
      throw new AppError(AppErrorCode.SignInCodeRefused, 'This console link was already used or has expired. Ask for a new one.');
    }
    const { token, expiresAt } = await this.sessions.issue(principal);
    response.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: '/', expires: expiresAt });
    return { partnerId: principal.partnerId, partnerName: principal.partnerName ?? null, expiresAt: expiresAt.toISOString() };
  }

  @Get('console-session')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the console is signed in as.' })
  @ApiOkResponse({ type: ConsoleSessionResponseDto })
  current(@Req() request: AuthenticatedRequest): ConsoleSessionResponseDto {
    const principal = request.principal;
    if (principal.kind !== 'partner') throw new AppError(AppErrorCode.ValidationFailed, 'The console signs in as one partner; an operator asks for a code naming it.');
    return { partnerId: principal.partnerId, partnerName: principal.partnerName ?? null, expiresAt: request.sessionExpiresAt?.toISOString() ?? null };
  }

  @Public()
  @Delete('console-session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out of the console (clears the session cookie).' })
  @ApiNoContentResponse()
  signOut(@Res({ passthrough: true }) response: Response): void {
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** PUBLIC_BASE_URL when it is set (behind a proxy, the panel may call an internal address); else the address the caller used. */
  private publicBaseUrl(request: Request): string {
    const configured = this.config.notifications?.publicBaseUrl;
    const defaulted = `http://${this.config.http.host}:${this.config.http.port}`;
    if (configured && configured !== defaulted) return configured;
    return `${request.protocol}://${request.get('host') ?? `${this.config.http.host}:${this.config.http.port}`}`;
  }
}
