/**
 * Where raw bulkPut's ×4 growth comes from (issue 8, BENCHMARKS.md "Every ×4 figure"): the bench's
 * raw rows written into a fresh database in equal transactions, each timed, so the cost per row can
 * be followed as the database fills — with the app's schema, with primary keys only, with
 * revisions without their rich text, with a ×4-sized heap, with revisions in id order, and with
 * each annotation's revisions in one row (see rawChunked in page.ts), at city scale and ×4. Not part of `npm run bench`; uses its cached data (generated when missing).
 *
 *   npx tsx tests/bench/idb-growth.ts [--chunks 10] [--rounds 1] [--variants indexes,keys,lean,ballast,sorted,packed]
 *
 * Prints a line per run and, per variant, the growth ×4 / city and the cost per 1,000 rows in the
 * first and last tenth of the rows. Every run gets a fresh Chromium profile, like the bench's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startHarness } from '../../src-main/harness/server';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { ok } from '../../src-main/shared/result';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/app';
import { BENCH_DIR, SCALES, prepareData, type Scale } from './data';
import { buildBenchPage } from './site';
import { log, median } from './stats';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const CHUNKS = Math.max(1, Number(flag('--chunks') ?? 10));
const ROUNDS = Math.max(1, Number(flag('--rounds') ?? 1));
type Variant = 'indexes' | 'keys' | 'lean' | 'ballast' | 'sorted' | 'packed';
const VARIANTS = (flag('--variants') ?? 'indexes,keys,lean,ballast,sorted,packed').split(',').filter((v): v is Variant => ['indexes', 'keys', 'lean', 'ballast', 'sorted', 'packed'].includes(v));

type Run = { totalMs: number; rows: number; chunkMs: number[]; chunkRows: number[] };
type GrowthApi = { bench: { rawChunked(name: string, dbName: string, chunks: number, variant: Variant): Promise<Run> } };

const corpus = loadCorpus();
if (!corpus.ok) throw new Error(corpus.error.message);
const data = prepareData(corpus.value);
const site = join(BENCH_DIR, 'idb-growth-site');
await buildBenchPage(join(site, 'bench'), corpus.value, data, SCALES);
const harness = await startHarness({ rendererDir: site, corpus: () => ok(corpus.value), cacheAssets: true });

/** ms per 1,000 rows over the chunks that hold the first / last tenth of the rows. */
const perThousand = (r: Run, part: 'first' | 'last'): number => {
  const n = Math.max(1, Math.round(r.chunkMs.length / 10));
  const idx = part === 'first' ? [...Array(n).keys()] : [...Array(n).keys()].map((i) => r.chunkMs.length - n + i);
  return (1000 * idx.reduce((s, i) => s + r.chunkMs[i]!, 0)) / idx.reduce((s, i) => s + r.chunkRows[i]!, 0);
};

const results: Record<string, Record<Scale, Run[]>> = {};
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of VARIANTS) {
      // With the ×4 rows held, only the city write is of interest (compare it with `indexes`).
      for (const scale of variant === 'ballast' ? (['city'] as const) : SCALES) {
        const dir = mkdtempSync(join(tmpdir(), `pilotdesk-idb-growth-${scale}-`));
        const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
        try {
          const page = context.pages()[0] ?? (await context.newPage());
          await page.goto(`${harness.url}bench/index.html`);
          await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
          const r = await page.evaluate(([s, c, i]) => (window as unknown as GrowthApi).bench.rawChunked(s, `growth-${s}`, c, i), [scale, CHUNKS, variant] as const);
          ((results[variant] ??= { city: [], x4: [] })[scale]).push(r);
          log(
            `${variant} ${scale} round ${round + 1}/${ROUNDS}: ${(r.totalMs / 1000).toFixed(1)} s for ${r.rows} rows in ${CHUNKS} transactions; ` +
              `ms per 1,000 rows, first tenth ${perThousand(r, 'first').toFixed(0)}, last tenth ${perThousand(r, 'last').toFixed(0)}; chunks ${r.chunkMs.map((m) => (m / 1000).toFixed(1)).join(' ')} s`,
          );
        } finally {
          await context.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  }
} finally {
  await harness.close();
}
for (const [variant, by] of Object.entries(results)) {
  const per = (sc: Scale, p: 'first' | 'last') => median(by[sc].map((r) => perThousand(r, p))).toFixed(0);
  const at = (sc: Scale) => `${(median(by[sc].map((r) => r.totalMs)) / 1000).toFixed(1)} s (ms per 1,000 rows, first → last tenth: ${per(sc, 'first')} → ${per(sc, 'last')})`;
  const growth = by.city.length && by.x4.length ? `, growth ${(median(by.x4.map((r) => r.totalMs)) / median(by.city.map((r) => r.totalMs))).toFixed(2)}×` : '';
  log(`${variant}: ${SCALES.filter((sc) => by[sc].length).map((sc) => `${sc} ${at(sc)}`).join(', ')}${growth}`);
}
