/**
 * The in-browser half of `npm run bench`: the REAL renderer modules (Dexie database, bundle import
 * service with its verification worker, search index) exposed on `window.bench` for the runner to
 * call through Playwright. Every function measures with performance.now() and returns numbers; the
 * runner takes medians. Each run uses a database of its own name, deleted afterwards.
 */
import Dexie from 'dexie';
import { createDb, openDatabase, type AttachmentRecord, type PilotDb } from '../../../src-renderer/src/db/db';
import { listAllLogEntries, listAnnotations, saveProfile } from '../../../src-renderer/src/db/repo';
import { buildSearchIndex, searchAll, type SearchIndex } from '../../../src-renderer/src/db/search';
import { applyImport, prepareImport, readImport } from '../../../src-renderer/src/features/bundles/bundleService';
import { verifyBundle } from '../../../src-renderer/src/features/bundles/verifyClient';
import { loadStatusHistories } from '../../../src-renderer/src/features/dashboard/loadHistories';
import { monthlySeries, type MonthlySeries, type StatusHistory } from '../../../src-main/shared/dashboard/monthly';
import type { BundleContent } from '../../../src-main/shared/bundle/format';
import type { Corpus } from '../../../src-main/shared/corpus/types';
import type { Author, Revision } from '../../../src-main/shared/domain';
import { shippedDb } from '../../support/shippedSchemas';

const AUTHOR: Author = { name: '基准测试', unitCode: 'SJBM' };
const NOW = new Date('2025-07-01T00:00:00.000Z');

let corpus: Corpus | null = null;
const bundles = new Map<string, ArrayBuffer>();

async function getCorpus(): Promise<Corpus> {
  corpus ??= (await (await fetch('./corpus.json')).json()) as Corpus;
  return corpus;
}

async function bundleBytes(name: string): Promise<Uint8Array> {
  let buf = bundles.get(name);
  if (!buf) {
    buf = await (await fetch(`./${name}.pilotbundle`)).arrayBuffer();
    bundles.set(name, buf);
  }
  // verifyBundle transfers the buffer to the worker: hand it a copy.
  return new Uint8Array(buf.slice(0));
}

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function freshDb(dbName: string): Promise<PilotDb> {
  await Dexie.delete(dbName);
  const db = createDb(dbName);
  await openDatabase(db, { appVersion: 'bench', persist: false });
  return db;
}

export interface ImportTiming {
  totalMs: number;
  verifyMs: number;
  previewMs: number;
  applyMs: number;
  written: Record<string, number>;
  plan: { new: number; updated: number; unchanged: number; conflicts: number };
  /** The longest main-thread task (Long Tasks API) while the import ran, and how many took over 100 ms. */
  longestTaskMs: number;
  longTasksOver100: number;
}

/** Runs `f` while a Long Tasks observer records the page's main-thread tasks of 50 ms and more. */
async function withLongTasks<T>(f: () => Promise<T>): Promise<{ value: T; longestTaskMs: number; longTasksOver100: number }> {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) durations.push(e.duration);
  });
  observer.observe({ type: 'longtask' });
  try {
    const value = await f();
    // Entries are delivered after their task: one more turn of the event loop collects the last.
    await new Promise((r) => setTimeout(r, 50));
    for (const e of observer.takeRecords()) durations.push(e.duration);
    return { value, longestTaskMs: durations.length ? Math.max(...durations) : 0, longTasksOver100: durations.filter((d) => d > 100).length };
  } finally {
    observer.disconnect();
  }
}

/**
 * The app's import (BundlesView): the file's sha-256 and the look-up of an earlier import of the same
 * file, then verify (worker) + preview (local state + merge plan), then apply (one transaction).
 * `verifyMs` is the worker's part; `previewMs` the rest of preparing (hash, look-up, preview).
 */
async function importInto(db: PilotDb, name: string): Promise<Omit<ImportTiming, 'longestTaskMs' | 'longTasksOver100'>> {
  const c = await getCorpus();
  const bytes = await bundleBytes(name);
  collect();
  let verifyMs = 0;
  const t0 = performance.now();
  const prepared = await prepareImport(db, bytes, async (b) => {
    const v0 = performance.now();
    const verified = await verifyBundle(b, c);
    verifyMs = performance.now() - v0;
    return verified;
  });
  const t2 = performance.now();
  if (!prepared.ok) throw new Error(`verify: ${prepared.error.code} ${prepared.error.message} ${prepared.error.detail ?? ''}`);
  if (prepared.value.kind === 'present') {
    return {
      totalMs: t2 - t0,
      verifyMs,
      previewMs: t2 - t0 - verifyMs,
      applyMs: 0,
      written: { annotations: 0, revisions: 0, logEntries: 0, evidence: 0, attachments: 0 },
      plan: { new: 0, updated: 0, unchanged: (await readImport(db, prepared.value.record.id))?.bundleHeads?.length ?? 0, conflicts: 0 },
    };
  }
  const plan = prepared.value.plan;
  const r = await applyImport(db, plan, {}, { author: AUTHOR, fileName: `${name}.pilotbundle`, now: NOW, bundleSha256: prepared.value.sha256 });
  const t3 = performance.now();
  if (!r.ok) throw new Error(`apply: ${r.error.code} ${r.error.message}`);
  const p = plan.counts.total;
  return {
    totalMs: t3 - t0,
    verifyMs,
    previewMs: t2 - t0 - verifyMs,
    applyMs: t3 - t2,
    written: r.value.written,
    plan: { new: p.new, updated: p.updated, unchanged: p.unchanged, conflicts: p.conflicts },
  };
}

/** Import of `name` into a new empty database `dbName` (left in place for `reimport`). */
async function importRun(name: string, dbName: string): Promise<ImportTiming> {
  const db = await freshDb(dbName);
  try {
    const r = await withLongTasks(() => importInto(db, name));
    return { ...r.value, longestTaskMs: r.longestTaskMs, longTasksOver100: r.longTasksOver100 };
  } finally {
    db.close();
  }
}

/** The same bundle again into the database that already holds it: nothing to write. */
async function reimportRun(name: string, dbName: string): Promise<ImportTiming> {
  const db = createDb(dbName);
  await openDatabase(db, { appVersion: 'bench', persist: false });
  try {
    const r = await withLongTasks(() => importInto(db, name));
    return { ...r.value, longestTaskMs: r.longestTaskMs, longTasksOver100: r.longTasksOver100 };
  } finally {
    db.close();
  }
}

type RawRows = Omit<BundleContent, 'manifest' | 'attachments'> & { files: AttachmentRecord[] };

/** The rows `readBundle` returns for bundle `name` (prepared by the runner as JSON), files as Blobs. */
async function rawRows(name: string): Promise<RawRows> {
  const b = (await (await fetch(`./${name}.rows.json`)).json()) as Omit<BundleContent, 'manifest' | 'attachments'>;
  const encoded = (await (await fetch(`./${name}.files.json`)).json()) as Record<string, string>;
  const addedAt = NOW.toISOString();
  const byHash = new Map(b.evidence.filter((e) => e.attachmentHash).map((e) => [e.attachmentHash!, e]));
  const files: AttachmentRecord[] = [];
  for (const [hash, base64] of Object.entries(encoded)) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const ev = byHash.get(hash);
    const mime = ev?.mime ?? 'application/octet-stream';
    files.push({ hash, name: ev?.fileName ?? hash, mime, size: bytes.byteLength, blob: new Blob([bytes as BlobPart], { type: mime }), addedAt });
  }
  return { ...b, files };
}

/** The tables the raw writes fill, in the order they are written. */
const RAW_TABLES = ['units', 'revisions', 'annotations', 'logEntries', 'evidence', 'attachments'] as const;
const rawTableRows = (b: RawRows): Record<(typeof RAW_TABLES)[number], unknown[]> => ({
  units: b.units,
  revisions: b.revisions,
  annotations: b.annotations,
  logEntries: b.logEntries,
  evidence: b.evidence,
  attachments: b.files,
});

/**
 * The baseline: the same rows (units, annotations, revisions, log entries, evidence, attachments as
 * Blobs) with plain Dexie bulkPut in one transaction into a new database of the same schema and
 * durability. The rows are those `readBundle` returns (prepared by the runner as JSON, so that
 * getting them costs no bundle read); fetching and parsing them is not timed.
 */
async function rawRun(name: string, dbName: string): Promise<{ totalMs: number; rows: number }> {
  const b = await rawRows(name);
  const rows = rawTableRows(b);
  const db = await freshDb(dbName);
  try {
    collect();
    const t0 = performance.now();
    await db.transaction('rw', RAW_TABLES.map((t) => db.table(t)), async () => {
      for (const t of RAW_TABLES) await db.table(t).bulkPut(rows[t]);
    });
    const totalMs = performance.now() - t0;
    return { totalMs, rows: Object.values(rows).reduce((n, r) => n + r.length, 0) };
  } finally {
    db.close();
  }
}

/**
 * Where raw bulkPut's time goes as the database fills (tests/bench/idb-growth.ts): the same rows in
 * `chunks` transactions of equal row counts, in the order rawRun writes them, each timed. `variant`:
 * `indexes` the app's schema; `keys` its primary keys only (no index entries); `lean` the app's
 * schema with revisions whose progress notes (the rich text, most of a revision's bytes) are empty:
 * how the write would grow without the rich text in the revision rows — a bound for keeping notes
 * apart or as paragraph-level deltas (the demo's notes change in almost every revision); `ballast`
 * the app's schema, with the ×4 rows parsed and held in the page (not written) while these rows are:
 * the same write with a ×4-sized JavaScript heap; `sorted` the app's schema, revisions written in
 * the order of their ids (their primary key; the bundle's order groups them by annotation); `packed`
 * the app's schema but each annotation's revisions in ONE row (keyed by the annotation, no index):
 * the same bytes in 1/30 of the rows. Not a figure of the bench.
 */
async function rawChunked(name: string, dbName: string, chunks: number, variant: 'indexes' | 'keys' | 'lean' | 'ballast' | 'sorted' | 'packed'): Promise<{ totalMs: number; rows: number; chunkMs: number[]; chunkRows: number[] }> {
  const b = await rawRows(name);
  // Held (and read after the write, so it stays alive) but not written: the ×4 rows beside the city's.
  const ballast = variant === 'ballast' ? ((await (await fetch('./x4.rows.json')).json()) as { revisions: unknown[] }) : null;
  if (variant === 'lean') {
    const empty = { type: 'doc', content: [] } as unknown as Revision['fields']['progressNotes'];
    b.revisions = b.revisions.map((r) => ({ ...r, fields: { ...r.fields, progressNotes: empty } }));
  }
  if (variant === 'sorted') b.revisions = [...b.revisions].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const rows = rawTableRows(b);
  if (variant === 'packed') {
    const byKey = new Map<string, Revision[]>();
    for (const r of b.revisions) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    rows.revisions = [...byKey].map(([key, revisions]) => ({ key, revisions }));
  }
  await Dexie.delete(dbName);
  const app = createDb(dbName);
  const db = variant === 'keys' || variant === 'packed' ? new Dexie(dbName, { chromeTransactionDurability: 'strict' }) : app;
  if (variant === 'keys') db.version(1).stores(Object.fromEntries(app.tables.map((t) => [t.name, t.schema.primKey.src])));
  if (variant === 'packed') {
    const spec = (t: (typeof app.tables)[number]) => [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', ');
    db.version(1).stores({ ...Object.fromEntries(app.tables.map((t) => [t.name, spec(t)])), revisions: 'key' });
  }
  await db.open();
  const all = RAW_TABLES.flatMap((t) => rows[t].map((row) => [t, row] as const));
  const size = Math.ceil(all.length / chunks);
  const chunkMs: number[] = [];
  const chunkRows: number[] = [];
  try {
    collect();
    const t0 = performance.now();
    for (let c = 0; c < chunks; c++) {
      const part = all.slice(c * size, (c + 1) * size);
      const c0 = performance.now();
      await db.transaction('rw', RAW_TABLES.map((t) => db.table(t)), async () => {
        for (const t of RAW_TABLES) {
          const these = part.filter(([table]) => table === t).map(([, row]) => row);
          if (these.length) await db.table(t).bulkPut(these);
        }
      });
      chunkMs.push(performance.now() - c0);
      chunkRows.push(part.length);
    }
    const totalMs = performance.now() - t0;
    if (ballast && ballast.revisions.length === 0) throw new Error('ballast without rows');
    return { totalMs, rows: all.length, chunkMs, chunkRows };
  } finally {
    db.close();
  }
}

/** The profile the first-run dialog would save (玄武区, 市级督办), so the app opens on its workbench. */
async function setProfile(dbName: string): Promise<void> {
  const db = createDb(dbName);
  await openDatabase(db, { appVersion: 'bench', persist: false });
  try {
    const r = await saveProfile(db, { name: '基准测试', unitCode: '320102', language: 'zh-CN', role: 'supervisor' });
    if (!r.ok) throw new Error(`profile: ${JSON.stringify(r)}`);
  } finally {
    db.close();
  }
}

let index: SearchIndex | null = null;

/** Builds the search index the way the app does (all annotations, live log entries of the database). */
async function buildIndex(dbName: string): Promise<{ loadMs: number; buildMs: number; documents: number }> {
  const c = await getCorpus();
  const db = createDb(dbName);
  await openDatabase(db, { appVersion: 'bench', persist: false });
  try {
    index = null;
    collect();
    const t0 = performance.now();
    const [annotations, logEntries] = await Promise.all([listAnnotations(db), listAllLogEntries(db)]);
    const t1 = performance.now();
    index = await buildSearchIndex(c, { annotations, logEntries });
    const t2 = performance.now();
    return { loadMs: t1 - t0, buildMs: t2 - t1, documents: index.docs.size };
  } finally {
    db.close();
  }
}

/** One pass of the queries over the built index (all units, or one as the task list does): per-query times and hits. */
function searchPass(queries: string[], unitCode?: string): { times: number[]; hits: number[] } {
  if (!index) throw new Error('no index: call buildIndex first');
  const times: number[] = [];
  const hits: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const h = searchAll(index, q, unitCode ? { unitCode } : {});
    times.push(performance.now() - t0);
    hits.push(h.length);
  }
  return { times, hits };
}

/**
 * The reader before schema v4 (for the before/after comparison only): whole revisions by the `key`
 * index, 40 keys per read transaction, reduced to `{ at, status }`.
 */
async function loadStatusHistoriesFull(db: PilotDb, keys: readonly string[]): Promise<StatusHistory[]> {
  const out = new Map<string, StatusHistory>();
  for (let i = 0; i < keys.length; i += 40) {
    const batch = keys.slice(i, i + 40);
    const lists = await db.transaction('r', db.revisions, () => Promise.all(batch.map((k) => db.revisions.where('key').equals(k).toArray())));
    for (const r of lists.flat()) {
      let h = out.get(r.key);
      if (!h) out.set(r.key, (h = { taskId: r.taskId, unitCode: r.unitCode, points: [] }));
      h.points.push({ at: r.at, status: r.fields.status });
    }
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return [...out.values()];
}

export interface DashboardTiming {
  /** Reading the histories and computing the series, as the dashboard's 全市 view does. */
  totalMs: number;
  readMs: number;
  seriesMs: number;
  annotations: number;
  points: number;
  /** The series, to check that both readers agree. */
  series: MonthlySeries | null;
}

/**
 * The dashboard's monthly series for the whole city (every annotation of the database the import
 * filled, every unit that has data, every task), with the app's reader (`index`: keys only from the
 * v4 index) or the one before v4 (`full`: whole revisions).
 */
async function dashboardMonthly(dbName: string, reader: 'index' | 'full'): Promise<DashboardTiming> {
  const c = await getCorpus();
  const db = createDb(dbName);
  await openDatabase(db, { appVersion: 'bench', persist: false });
  try {
    const annotations = await db.annotations.toArray();
    const unitCodes = [...new Set(annotations.map((a) => a.unitCode))];
    collect();
    const t0 = performance.now();
    const histories = reader === 'index' ? await loadStatusHistories(db, annotations) : await loadStatusHistoriesFull(db, annotations.map((a) => a.key));
    const t1 = performance.now();
    const series = monthlySeries(histories ?? [], { asOf: NOW.toISOString().slice(0, 10), unitCodes, taskIds: c.tasks.map((t) => t.id), unitCode: null });
    const t2 = performance.now();
    return { totalMs: t2 - t0, readMs: t1 - t0, seriesMs: t2 - t1, annotations: annotations.length, points: (histories ?? []).reduce((n, h) => n + h.points.length, 0), series };
  } finally {
    db.close();
  }
}

/**
 * What the v3 → v4 upgrade costs a person who already has the data: the revisions of `name` (as
 * `readBundle` returns them) written into a database of schema v3 (as shipped, tests/support/shippedSchemas,
 * as the migration test does), then the app opens it (IndexedDB builds the new index from every revision, once).
 */
async function upgradeRun(name: string, dbName: string): Promise<{ upgradeMs: number; revisions: number }> {
  const { revisions } = (await (await fetch(`./${name}.rows.json`)).json()) as { revisions: Revision[] };
  await Dexie.delete(dbName);
  const v3 = shippedDb(dbName, 3, { chromeTransactionDurability: 'strict' });
  await v3.open();
  await v3.table('revisions').bulkPut(revisions);
  v3.close();
  const count = revisions.length;
  revisions.length = 0;
  collect();
  const db = createDb(dbName);
  try {
    const t0 = performance.now();
    const outcome = await openDatabase(db, { appVersion: 'bench', persist: false });
    const upgradeMs = performance.now() - t0;
    if (outcome.upgradedFrom !== 3) throw new Error(`upgrade: expected from 3, got ${outcome.upgradedFrom}`);
    return { upgradeMs, revisions: count };
  } finally {
    db.close();
    await Dexie.delete(dbName);
  }
}

async function drop(dbName: string): Promise<void> {
  await Dexie.delete(dbName);
}

function memory(): { usedJsHeapMb: number } | null {
  const m = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  return m ? { usedJsHeapMb: m.usedJSHeapSize / 1048576 } : null;
}

const api = {
  getCorpus: async () => (await getCorpus()).tasks.length,
  importRun,
  reimportRun,
  rawRun,
  rawChunked,
  setProfile,
  buildIndex,
  searchPass,
  dashboardMonthly,
  upgradeRun,
  drop,
  memory,
};
(window as unknown as { bench: typeof api }).bench = api;
document.getElementById('status')!.textContent = 'ready';
