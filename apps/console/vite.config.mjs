import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is built into static files that the control plane serves under /console (no inline
// script, so it runs under a `script-src 'self'` Content-Security-Policy). Vite 8 compiles JSX itself.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
