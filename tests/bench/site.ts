/**
 * The bench page (tests/bench/page, the real renderer modules on `window.bench`) built with Vite's JS
 * API into `outDir`, with the corpus and each scale's bundle and prepared rows beside it. Used by
 * `npm run bench` (under the app's copy in .bench/site/bench) and by tests/bench/idb-growth.ts.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Corpus } from '../../src-main/shared/corpus/types';
import type { BenchData, Scale } from './data';

export async function buildBenchPage(outDir: string, corpus: Corpus, data: BenchData, scales: readonly Scale[]): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: resolve('tests/bench/page'),
    base: './',
    logLevel: 'error',
    // Not minified, so that profiles of the page name the functions (as the app's build does).
    build: { outDir, emptyOutDir: true, minify: false, chunkSizeWarningLimit: 8000, reportCompressedSize: false },
    worker: { format: 'es' },
  });
  writeFileSync(join(outDir, 'corpus.json'), JSON.stringify(corpus));
  for (const scale of scales) {
    copyFileSync(data[scale].bundle, join(outDir, `${scale}.pilotbundle`));
    copyFileSync(data[scale].rows, join(outDir, `${scale}.rows.json`));
    copyFileSync(data[scale].files, join(outDir, `${scale}.files.json`));
  }
}
