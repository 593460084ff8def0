/**
 * Where the time goes: CPU profiles of the benchmark's slow paths at city scale, for BENCHMARKS.md.
 * Not part of `npm run bench` (profiling slows what it measures). Run after `npm run bench` (it uses
 * the site and data the bench prepared in .bench/):
 *
 *   npx tsx tests/bench/profile.ts [render] [import] [search] [read] [docx]
 *
 * Each writes .bench/profiles/NAME.cpuprofile (open in Chrome DevTools › Performance, or VS Code)
 * and prints the heaviest functions, self and inclusive.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { startHarness } from '../../src-main/harness/server';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { readBundleAsync } from '../../src-main/shared/bundle/read';
import { ok } from '../../src-main/shared/result';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/app';
import { MARKER, waitForFirstBackup } from './appPage';
import { BENCH_DIR, prepareData } from './data';
import { log } from './stats';

const OUT = join(BENCH_DIR, 'profiles');
const SITE = join(BENCH_DIR, 'site');
const what = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['render', 'import', 'search', 'read', 'docx']);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** The heaviest functions of a profile: self time and inclusive time (each function once per stack). */
function summarize(p: CpuProfile, top = 25): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = Math.max(0, p.timeDeltas[i] ?? 0);
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*\/(node_modules\/)?/, '').split('?')[0];
    return `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  };
  const selfBy = new Map<string, number>();
  const inclBy = new Map<string, number>();
  for (const [id, t] of self) {
    selfBy.set(label(id), (selfBy.get(label(id)) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(cur);
      if (seen.has(l)) continue;
      seen.add(l);
      inclBy.set(l, (inclBy.get(l) ?? 0) + t);
    }
  }
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `sampled ${(total / 1000).toFixed(0)} ms\n self:\n${fmt(selfBy)}\n inclusive:\n${fmt(inclBy)}`;
}

function save(name: string, profile: CpuProfile): void {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `${name}.cpuprofile`), JSON.stringify(profile));
  log(`\n=== ${name} (${join(OUT, `${name}.cpuprofile`)})\n${summarize(profile)}`);
}

async function startProfiler(session: CDPSession): Promise<void> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
}
const stopProfiler = async (session: CDPSession) => (await session.send('Profiler.stop')).profile as unknown as CpuProfile;

async function main(): Promise<void> {
  const corpusR = loadCorpus();
  if (!corpusR.ok) throw new Error(corpusR.error.message);
  const corpus = corpusR.value;
  const data = prepareData(corpus);

  if (what.has('read')) {
    // The verification step of import (it runs in a Web Worker in the app; same code here in Node).
    const bytes = readFileSync(data.city.bundle);
    const { Session } = await import('node:inspector/promises');
    const s = new Session();
    s.connect();
    await s.post('Profiler.enable');
    await s.post('Profiler.setSamplingInterval', { interval: 500 });
    await s.post('Profiler.start');
    const t0 = performance.now();
    const r = await readBundleAsync(bytes, { corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });
    log(`readBundleAsync city in Node: ${Math.round(performance.now() - t0)} ms, ok ${r.ok}`);
    save('read-city', (await s.post('Profiler.stop')).profile as unknown as CpuProfile);
    s.disconnect();
  }

  if (what.has('docx')) {
    spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${OUT}`, '--cpu-prof-name=docx-city.cpuprofile', '--import', 'tsx', resolve('tests/bench/report-child.ts'), data.city.reportData, 'docx'], {
      stdio: ['ignore', process.stderr, process.stderr],
    });
    log(`\n=== docx-city\n${summarize(JSON.parse(readFileSync(join(OUT, 'docx-city.cpuprofile'), 'utf8')) as CpuProfile)}`);
  }

  if (!['render', 'import', 'search'].some((w) => what.has(w))) return;
  if (!existsSync(join(SITE, 'bench', 'index.html'))) throw new Error('run `npm run bench` first (it builds .bench/site)');
  const harness = await startHarness({ rendererDir: SITE, corpus: () => ok(corpus) });
  const dir = mkdtempSync(join(tmpdir(), 'pilotdesk-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  try {
    const page: Page = context.pages()[0] ?? (await context.newPage());
    const session = await context.newCDPSession(page);
    await page.goto(`${harness.url}bench/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    type Api = { bench: Record<string, (...a: unknown[]) => Promise<unknown>> };

    // Import of the city bundle into the app's database (main thread: preview and apply).
    await startProfiler(session);
    const imp = await page.evaluate(() => (window as unknown as Api).bench.importRun!('city', 'pilot-desk'));
    save('import-city-main-thread', await stopProfiler(session));
    log(`import: ${JSON.stringify(imp)}`);
    await startProfiler(session);
    const re = await page.evaluate(() => (window as unknown as Api).bench.reimportRun!('city', 'pilot-desk'));
    save('reimport-city-main-thread', await stopProfiler(session));
    log(`re-import: ${JSON.stringify(re)}`);

    if (what.has('search')) {
      await page.evaluate(() => (window as unknown as Api).bench.buildIndex!('pilot-desk'));
      await startProfiler(session);
      await page.evaluate((q) => (window as unknown as Api).bench.searchPass!(q), data.queries);
      save('search-city', await stopProfiler(session));
    }

    if (what.has('render')) {
      await page.evaluate(() => (window as unknown as Api).bench.setProfile!('pilot-desk'));
      await page.addInitScript(MARKER);
      await page.goto(harness.url);
      // Steady state, as in the bench: the app's first automatic backup of the data is done.
      await waitForFirstBackup(page, 10 * 60_000);
      await page.goto(harness.url);
      await page.waitForFunction(() => (window as unknown as { __firstRender?: { painted: number | null } }).__firstRender?.painted != null, null, { timeout: 120_000 });
      await page.waitForTimeout(3000);
      await startProfiler(session);
      const t0 = Date.now();
      await page.reload({ waitUntil: 'commit' });
      await page.waitForFunction(() => (window as unknown as { __firstRender?: { painted: number | null } }).__firstRender?.painted != null, null, { timeout: 120_000, polling: 50 });
      const shown = Date.now() - t0;
      await page.waitForTimeout(5000); // and what follows: the search index build
      save('first-render-city', await stopProfiler(session));
      const timing = await page.evaluate(() => ({
        marks: (window as unknown as { __firstRender: unknown }).__firstRender,
        nav: performance.getEntriesByType('navigation').map((e) => e.toJSON()),
        resources: performance.getEntriesByType('resource').map((e) => {
          const r = e as PerformanceResourceTiming;
          return { name: r.name.replace(/^.*\//, ''), start: Math.round(r.startTime), end: Math.round(r.responseEnd), bytes: r.encodedBodySize };
        }),
      }));
      log(`first render (reload → badges painted, seen from Node): ${shown} ms; the profile runs 5 s longer\n${JSON.stringify(timing)}`);
    }
  } finally {
    await context.close().catch(() => {});
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  log(`profile failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
