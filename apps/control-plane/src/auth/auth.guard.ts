import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../http/app-error';
import { canAccessPartner, type Principal } from './principal';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const PUBLIC_ROUTE = 'cwx:public-route';
/** Marks a route that needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export type AuthenticatedRequest = Request & { principal: Principal };

/**
 * Every request carries a bearer token. A route with a `:partnerId` parameter is reachable only by
 * that partner's tokens and by operators; another partner gets 404, as if the partner did not exist.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('A bearer token is required.');
    try {
      request.principal = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(`Bearer token refused: ${error.message}.`);
      throw error;
    }
    const partnerId = request.params?.partnerId;
    if (typeof partnerId === 'string' && !canAccessPartner(request.principal, partnerId)) {
      throw AppError.notFound(`Partner ${partnerId}`);
    }
    return true;
  }
}
