import { Global, Inject, Module } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { createPlatformSource, PlatformErrorCode, type PlatformError, type PlatformSource } from '@cwx/platform';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { AppError, AppErrorCode } from '../http/app-error';

export const PLATFORM_SOURCE = Symbol('PLATFORM_SOURCE');
/** Injects the platform's partner data (`@InjectPlatform() platform: PlatformSource`). */
export const InjectPlatform = () => Inject(PLATFORM_SOURCE);

/** Where the partners' accounts, SKUs, prices and users come from: the platform API or a data folder. */
@Global()
@Module({
  providers: [
    {
      provide: PLATFORM_SOURCE,
      useFactory: (config: ControlPlaneConfig): PlatformSource => createPlatformSource(config.platform),
      inject: [CONTROL_PLANE_CONFIG],
    },
  ],
  exports: [PLATFORM_SOURCE],
})
export class PlatformModule {}

/**
 * A platform failure as the API states it: an unknown partner or account is 404; the platform out of
 * reach, refusing our token or sending data the contract refuses is 502 `platform_unavailable` (the
 * request was fine; the message names no value and no token).
 */
export function fromPlatformError(error: PlatformError): AppError {
  if (error.code === PlatformErrorCode.NotFound) return new AppError(AppErrorCode.NotFound, error.message);
  return new AppError(AppErrorCode.PlatformUnavailable, `The platform could not provide the data: ${error.message}`, { platformCode: error.code });
}
