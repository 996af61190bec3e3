import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { CredentialsCipher } from '@cwx/persistence';
import { TokenVerifier } from './auth/token-verifier';
import { CONTROL_PLANE_CONFIG } from './config.token';

/** Process-wide providers every feature may inject: the config, the token verifier, the cipher. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: ControlPlaneConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONTROL_PLANE_CONFIG, useValue: config },
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(config.auth) },
        { provide: CredentialsCipher, useFactory: () => new CredentialsCipher(config.encryption.keys, config.encryption.activeKeyId) },
      ],
      exports: [CONTROL_PLANE_CONFIG, TokenVerifier, CredentialsCipher],
    };
  }
}
