import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CONSOLE_HEADER, ConsoleSessions, readCookie, SESSION_COOKIE, SessionExpiredError } from '../console/console-sessions';
import { AppError } from '../http/app-error';
import { idProblem } from '../http/validation';
import { canAccessPartner, type Principal } from './principal';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const PUBLIC_ROUTE = 'cwx:public-route';
/** Marks a route that needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export type AuthenticatedRequest = Request & { principal: Principal; sessionExpiresAt?: Date };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request carries a bearer token, or the console's session cookie (see console/README: a
 * one-time code exchanged for it). A write with the cookie must also carry the `x-cwx-console` header,
 * which a cross-site form cannot send. A route with a `:partnerId` parameter is reachable only by that
 * partner's tokens and by operators; another partner gets 404, as if the partner did not exist.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly sessions: ConsoleSessions,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const session = match ? undefined : readCookie(request.headers.cookie, SESSION_COOKIE);
    if (match) {
      try {
        request.principal = await this.verifier.verify(match[1]);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw new UnauthorizedException(`Bearer token refused: ${error.message}.`);
        throw error;
      }
    } else if (session) {
      try {
        const verified = await this.sessions.verify(session);
        request.principal = verified.principal;
        request.sessionExpiresAt = verified.expiresAt;
      } catch (error) {
        throw error instanceof SessionExpiredError
          ? AppError.sessionExpired()
          : new UnauthorizedException('Console session refused: open a new console link.');
      }
      if (!SAFE_METHODS.has(request.method) && request.headers[CONSOLE_HEADER] !== '1') {
        throw new ForbiddenException(`A write with the console session needs the ${CONSOLE_HEADER} header.`);
      }
    } else {
      throw new UnauthorizedException('A bearer token is required.');
    }
    const partnerId = request.params?.partnerId;
    if (typeof partnerId === 'string' && !canAccessPartner(request.principal, partnerId)) {
      throw AppError.notFound(`Partner ${partnerId}`);
    }
    // An operator may name any partner: an id off the rule is a bad request, never a lookup.
    const problem = request.principal.kind === 'operator' && typeof partnerId === 'string' ? idProblem('partnerId', partnerId) : undefined;
    if (problem) throw problem;
    return true;
  }
}
