import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import helmet from 'helmet';

/**
 * The usual security headers (helmet) and no `X-Powered-By`. The Content-Security-Policy lets a
 * same-origin single-page app (the console under /console, Swagger UI under /docs) load its own scripts,
 * styles, images and fonts and call this API, and nothing else: no inline script, no framing, no plugin.
 * Inline styles are allowed (UI libraries inject them). No `upgrade-insecure-requests`: local mode is plain
 * http on loopback.
 */
export function applySecurityHeaders(app: INestApplication): void {
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      // Same-origin API: no other site needs to embed or read its answers.
      crossOriginResourcePolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
}
