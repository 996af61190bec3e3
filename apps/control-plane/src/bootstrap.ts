import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ControlPlaneModule, type ControlPlaneModuleOptions } from './app.module';
import { createValidationPipe } from './http/validation';

/** Builds the control plane's Nest application (not yet listening). Tests and main.ts share it. */
export async function createControlPlaneApp(options: ControlPlaneModuleOptions & { silent?: boolean }): Promise<INestApplication> {
  const app = await NestFactory.create(ControlPlaneModule.forRoot(options), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ConnectWise billing export — control plane')
    .setDescription(
      'The API the partner panel calls: credentials, settings, mapping with suggestions, runs and logs, disable. ' +
        'Every request carries a bearer token naming one partner (or an operator). Writes to a mapping or the ' +
        'settings carry the `version` last read; a stale version gets 409 `version_mismatch` (optimistic concurrency).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The document as committed: pretty-printed with a final newline, so diffs stay readable. */
export function stableOpenApiJson(document: object): string {
  return JSON.stringify(document, null, 2) + '\n';
}
