import { Global, Inject, Module } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { createPlatformSource, type PlatformSource } from '@cwx/platform';
import { CONTROL_PLANE_CONFIG } from '../config.token';

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
