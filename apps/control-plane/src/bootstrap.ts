import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { BusTransport, consumerPrefetch } from '@cwx/messaging';
import { productVersion, QuietStartLogger } from '@cwx/observability';
import { ControlPlaneModule, type ControlPlaneModuleOptions } from './app.module';
import { documentRateLimits, RATE_LIMITS_NOTE } from './http/rate-limit';
import { applySecurityHeaders } from './http/security-headers';
import { ERROR_RESPONSES, ErrorResponseDto } from './http/error-response.dto';
import { createValidationPipe, describeIdParameters, ID_RULE, WellFormedInputPipe } from './http/validation';

/**
 * Builds the control plane's Nest application and starts it, not yet listening: initialised, then its bus
 * handlers consuming (the result consumer; the export worker in local mode) through the bus transport, a
 * Nest microservice on the same bus. Tests and main.ts share it.
 */
export async function createControlPlaneApp(options: ControlPlaneModuleOptions & { silent?: boolean }): Promise<INestApplication> {
  const app = await NestFactory.create(ControlPlaneModule.forRoot(options), { bufferLogs: true, abortOnError: false });
  // Nest's one-line-per-module-and-route start-up log is dropped; main.ts prints a banner instead.
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  // Buffered start-up lines go out now, and later ones directly (without this, everything logged through
  // Nest's Logger before listen() stayed buffered: an app that is only init()ed logged nothing).
  app.flushLogs();
  applySecurityHeaders(app);
  app.useGlobalPipes(new WellFormedInputPipe(), createValidationPipe());
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  app.connectMicroservice<MicroserviceOptions>({ strategy: new BusTransport({ bus: options.bus, prefetch: consumerPrefetch(options.config.messaging.prefetch) }) });
  await app.init();
  await app.startAllMicroservices();
  return app;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ConnectWise billing export — control plane')
    .setDescription(
      'The API the partner panel calls: credentials, settings, mapping with suggestions, runs and logs, disable. ' +
        'Every request carries a bearer token naming one partner (or an operator). Writes to a mapping or the ' +
        'settings carry the `version` last read; a stale version gets 409 `version_mismatch` (optimistic concurrency). ' +
        `Partner and account ids: ${ID_RULE}. ${RATE_LIMITS_NOTE}`,
    )
    .setVersion(productVersion())
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'A JWT signed by the panel: HS256 with AUTH_JWT_SECRET, or RS256/ES256 from AUTH_JWKS_URL (checked against ' +
        'AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE when set). Claims: `sub` (who), `exp`, and either `partner_id` (the ' +
        '`{partnerId}` of every path this token may use; optional `partner_name`) or `role: "operator"` (every ' +
        'partner). In local mode, `npm run token -- --partner <id>` (or `--operator`) prints one.',
    })
    .addGlobalResponse(...ERROR_RESPONSES)
    .build();
  return documentRateLimits(describeIdParameters(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] })));
}

/** The document as committed: pretty-printed with a final newline, so diffs stay readable. */
export function stableOpenApiJson(document: object): string {
  return JSON.stringify(document, null, 2) + '\n';
}
