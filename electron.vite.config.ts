import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The Content-Security-Policy of the renderer. Built pages get the strict one: no inline or remote
 * scripts, no eval, nothing fetched from outside the app. antd injects its styles at run time, so
 * style-src needs 'unsafe-inline'; that is styles only, never scripts.
 */
export const CSP_BUILD = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

/** Vite's dev server needs its inline React-refresh preamble and a websocket. Dev only. */
const CSP_DEV = CSP_BUILD.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
  "connect-src 'self'",
  "connect-src 'self' ws://localhost:* http://localhost:*",
);

function cspPlugin(): Plugin {
  let isBuild = true;
  return {
    name: 'pilot-desk-csp',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    transformIndexHtml(html) {
      const csp = isBuild ? CSP_BUILD : CSP_DEV;
      return html.replace('%CSP%', csp);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/main/index.ts'),
          cli: resolve('src-main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file that requires nothing but electron.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    base: './',
    build: {
      outDir: resolve('out/renderer'),
      chunkSizeWarningLimit: 4000,
      minify: true,
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
    worker: { format: 'es' },
    plugins: [react(), cspPlugin()],
  },
});
