import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { DestinationPolicy } from '@cwx/outbound';
import { CredentialsCipher } from '@cwx/persistence';
import { TokenVerifier } from './auth/token-verifier';
import { ConsoleSessions, consoleSessionKey } from './console/console-sessions';
import { CONTROL_PLANE_CONFIG } from './config.token';

/** Process-wide providers every feature may inject: the config, the token verifier, the cipher, the console's sessions, where outbound calls may go. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: ControlPlaneConfig, destinations?: DestinationPolicy): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONTROL_PLANE_CONFIG, useValue: config },
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(config.auth) },
        { provide: CredentialsCipher, useFactory: () => new CredentialsCipher(config.encryption.keys, config.encryption.activeKeyId) },
        {
          provide: ConsoleSessions,
          useFactory: () => new ConsoleSessions(consoleSessionKey(config.encryption.keys.get(config.encryption.activeKeyId) ?? new Uint8Array(0))),
        },
        { provide: DestinationPolicy, useValue: destinations ?? new DestinationPolicy({ allowPrivate: config.outbound.allowPrivateDestinations }) },
      ],
      exports: [CONTROL_PLANE_CONFIG, TokenVerifier, CredentialsCipher, ConsoleSessions, DestinationPolicy],
    };
  }
}
