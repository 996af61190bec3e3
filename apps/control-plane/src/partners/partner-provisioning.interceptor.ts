import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, type Observable, switchMap } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { AppError } from '../http/app-error';
import { PartnersRepository } from './partners.repository';

/**
 * A partner's token is signed by the panel, so the partner it names exists: its first request creates
 * the partner's rows here. Operators act only on partners that already exist: any other gets 404, for
 * reads and writes alike.
 */
@Injectable()
export class PartnerProvisioningInterceptor implements NestInterceptor {
  constructor(private readonly partners: PartnersRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    const principal = request.principal;
    const partnerId = request.params?.partnerId;
    if (principal?.kind === 'operator' && typeof partnerId === 'string') {
      return from(this.partners.exists(partnerId)).pipe(
        switchMap((exists) => {
          if (!exists) throw AppError.notFound(`Partner ${partnerId}`);
          return next.handle();
        }),
      );
    }
    if (principal?.kind !== 'partner' || partnerId !== principal.partnerId) return next.handle();
    return from(this.partners.ensure(principal.partnerId, principal.partnerName)).pipe(switchMap(() => next.handle()));
  }
}
