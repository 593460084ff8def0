/**
 * Helpers of the bundle tests: the real corpus, demo bundles, tampering with a bundle's entries,
 * hand-made ZIPs (lying headers, duplicate names) and zip bombs built without inflating them.
 */
import { Deflate, unzipSync, zipSync } from 'fflate';
import { expect } from 'vitest';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { makeDemoData, type DemoData, type DemoOptions } from '../../src-main/shared/bundle/demo';
import { MANIFEST_NAME, type BundleContent } from '../../src-main/shared/bundle/format';
import { sha256Hex } from '../../src-main/shared/hash';
import type { ReadContext } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { crc32 } from '../../src-main/shared/bundle/zip';
import type { Result } from '../../src-main/shared/result';
import type { AnnotationFields, Author, FieldName, Revision } from '../../src-main/shared/domain';

export function corpus(): Corpus {
  return testCorpus();
}

export function ctx(): ReadContext {
  const c = corpus();
  return { corpusHash: c.hash, taskIds: new Set(c.tasks.map((t) => t.id)) };
}

const demoCache = new Map<string, Uint8Array>();
/** A demo bundle (cached per options; callers must not change the bytes). */
export function demoBundle(opts: Partial<Omit<DemoOptions, 'corpus'>> = {}): Uint8Array {
  const o = { units: 1, seed: 1, ...opts };
  const k = JSON.stringify(o);
  let b = demoCache.get(k);
  if (!b) {
    b = writeBundle(makeDemoData({ ...o, corpus: corpus() }));
    demoCache.set(k, b);
  }
  return b;
}

/**
 * A demo bundle, properly sealed, in which one piece of evidence carries `bytes` under `fileName`
 * and `mime` — so a check of what the file is (not of the bundle's seal) is what refuses it.
 */
export function bundleWithEvidenceFile(fileName: string, mime: string | null, bytes: Uint8Array, seed = 5): Uint8Array {
  const d = makeDemoData({ units: 1, seed, corpus: corpus() });
  const ev = d.evidence.find((e) => e.attachmentHash && !e.deleted)!;
  const hash = sha256Hex(bytes);
  const evidence = d.evidence.map((e) => (e.id === ev.id ? { ...e, attachmentHash: hash, size: bytes.length, fileName, mime } : e));
  const attachments = new Map(d.attachments);
  attachments.set(hash, bytes);
  if (!evidence.some((e) => e.attachmentHash === ev.attachmentHash && !e.deleted)) attachments.delete(ev.attachmentHash!);
  return writeBundle({ ...d, evidence, attachments });
}

/** A demo bundle, properly sealed, whose first annotation's 推进情况 is `progressNotes`. */
export function bundleWithProgressNotes(progressNotes: unknown, seed = 7): Uint8Array {
  const d = makeDemoData({ units: 1, seed, corpus: corpus() });
  const annotations = d.annotations.map((a, i) => (i === 0 ? { ...a, progressNotes: progressNotes as typeof a.progressNotes } : a));
  return writeBundle({ ...d, annotations });
}

/** Demo data of one unit, every record moved to the unit `unit` (a unit the importing side may not have). */
export function demoDataOfUnit(unit: { code: string; name: string; kind: 'district' | 'zone' | 'city' }, seed = 48): DemoData {
  const d = makeDemoData({ units: 1, seed, corpus: corpus() });
  const u = { ...d.units[0]!, ...unit };
  const retag = <T extends { unitCode: string }>(r: T): T => ({ ...r, unitCode: u.code });
  return {
    ...d,
    units: [u],
    annotations: d.annotations.map((a) => ({ ...retag(a), key: `${a.taskId}|${u.code}` })),
    revisions: d.revisions.map((r) => ({ ...retag(r), key: `${r.taskId}|${u.code}` })),
    logEntries: d.logEntries.map(retag),
    evidence: d.evidence.map(retag),
  };
}

/** Any JSON value, for tests that edit records as raw data (the point is to break them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const utf8 = new TextEncoder();
export const text = (b: Uint8Array) => new TextDecoder().decode(b);

/**
 * Rewrites a bundle: `mutate` edits the entries (name → bytes). With `rehash`, the manifest's
 * entry list is recomputed afterwards (a consistent forgery); without, it is left as it was.
 * `manifest` edits the manifest object (applied before rehashing).
 */
export function tamper(
  bytes: Uint8Array,
  opts: { mutate?: (files: Record<string, Uint8Array>) => void; manifest?: (m: Json) => void; rehash?: boolean },
): Uint8Array {
  const files = unzipSync(bytes) as Record<string, Uint8Array>;
  opts.mutate?.(files);
  if (files[MANIFEST_NAME] && (opts.manifest || opts.rehash)) {
    const m = JSON.parse(text(files[MANIFEST_NAME])) as Json;
    opts.manifest?.(m);
    if (opts.rehash) {
      const entries: Record<string, { sha256: string; size: number }> = {};
      for (const [name, data] of Object.entries(files)) if (name !== MANIFEST_NAME) entries[name] = { sha256: sha256Hex(data), size: data.length };
      m.entries = entries;
    }
    files[MANIFEST_NAME] = utf8.encode(JSON.stringify(m));
  }
  return zipSync(files, { level: 1 });
}

/** Edits the records of one JSON entry (parsed, then written back). */
export function editJson(files: Record<string, Uint8Array>, name: string, edit: (records: Json[]) => void): void {
  const list = JSON.parse(text(files[name]!)) as Json[];
  edit(list);
  files[name] = utf8.encode(JSON.stringify(list));
}

/** Edits the JSON text of an entry. */
export function editText(files: Record<string, Uint8Array>, name: string, edit: (t: string) => string): void {
  files[name] = utf8.encode(edit(text(files[name]!)));
}

// ---------------------------------------------------------------------------------------------
// Histories that diverge

/**
 * `data` with one more saved edit of annotation `key`: a revision on its head that changes `change`,
 * made by `author` at `at`, and the annotation moved to it — what the app's save writes.
 */
export function withEdit(data: DemoData, key: string, change: Partial<AnnotationFields>, at: string, author: Author, id: string): DemoData {
  const a = data.annotations.find((x) => x.key === key);
  if (!a) throw new Error(`no annotation ${key}`);
  const { key: _k, taskId, unitCode, head, updatedAt: _u, updatedBy: _b, ...fields } = a;
  const next: AnnotationFields = { ...fields, ...change };
  const revision: Revision = { id, key, taskId, unitCode, parents: [head], author, at, kind: 'edit', changed: Object.keys(change) as FieldName[], fields: next };
  return {
    ...data,
    revisions: [...data.revisions, revision],
    annotations: data.annotations.map((x) => (x.key === key ? { ...next, key, taskId, unitCode, head: id, updatedAt: at, updatedBy: author } : x)),
  };
}

export const DISTRICT: Author = { name: '李经办', unitCode: '320102' };
export const SUPERVISOR: Author = { name: '王督办', unitCode: 'SJBM' };

/**
 * Two bundles of 玄武区 that grew apart from one demo bundle, where keeping the newer `updatedAt`
 * per annotation and merging by revision ancestry give different data:
 * - `clockBehind`: the district edited the status on a laptop whose clock is a day behind — its edit
 *   descends from the supervisor's copy but carries the older time (ancestry: the district's edit);
 * - `bothChanged`: both changed 存在问题 differently, the supervisor later (a conflict);
 * - `different`: the district changed 下步计划, the supervisor later the status (merged: both).
 */
export function divergentBundles(c: Corpus = corpus()): { district: DemoData; supervisor: DemoData; keys: { clockBehind: string; bothChanged: string; different: string } } {
  const base = makeDemoData({ units: 1, seed: 41, corpus: c, revisionsPerAnnotation: 2, logEntriesPerAnnotation: 1, attachments: 0 });
  const early = base.annotations.filter((a) => a.updatedAt < '2025-04-01' && a.status !== 'done' && a.status !== 'not_applicable');
  if (early.length < 3) throw new Error('demo data changed: fewer than three early annotations');
  const [clockBehind, bothChanged, different] = early.map((a) => a.key) as [string, string, string];
  const behind = new Date(Date.parse(base.annotations.find((a) => a.key === clockBehind)!.updatedAt) - 86_400_000).toISOString();
  let district = withEdit(base, clockBehind, { status: 'done', progress: 100 }, behind, DISTRICT, '7f000000-0000-4000-8000-000000000001');
  district = withEdit(district, bothChanged, { problems: '区里记录的问题：用地指标尚未落实' }, '2025-05-02T02:00:00.000Z', DISTRICT, '7f000000-0000-4000-8000-000000000002');
  district = withEdit(district, different, { nextSteps: '区里的下步计划：六月底前完成验收' }, '2025-05-02T03:00:00.000Z', DISTRICT, '7f000000-0000-4000-8000-000000000003');
  let supervisor = withEdit(base, bothChanged, { problems: '市里记录的问题：配套资金缺口' }, '2025-05-05T02:00:00.000Z', SUPERVISOR, '7f000000-0000-4000-8000-000000000004');
  supervisor = withEdit(supervisor, different, { status: 'delayed' }, '2025-05-05T03:00:00.000Z', SUPERVISOR, '7f000000-0000-4000-8000-000000000005');
  district = { ...district, manifest: { ...district.manifest, author: DISTRICT, createdAt: '2025-05-06T01:00:00.000Z' } };
  supervisor = { ...supervisor, manifest: { ...supervisor.manifest, author: SUPERVISOR, createdAt: '2025-05-06T02:00:00.000Z' } };
  return { district, supervisor, keys: { clockBehind, bothChanged, different } };
}

// ---------------------------------------------------------------------------------------------
// Hand-made ZIPs

export interface RawEntry {
  name: string;
  /** 0 = stored, 8 = deflate */
  method: 0 | 8;
  /** The bytes as stored in the ZIP (already deflated for method 8). */
  data: Uint8Array;
  /** Declared uncompressed size and CRC (may lie). */
  size: number;
  crc: number;
  /** Only a directory record pointing at this offset (no local entry is written for it). */
  at?: number;
}

/** A ZIP exactly as described: local headers, central directory, end record. No checks. */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = utf8.encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, e.at ?? offset, true);
    cd.set(name, 46);
    central.push(cd);
    if (e.at !== undefined) continue;
    chunks.push(local, e.data);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat([...chunks, ...central, end]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A raw DEFLATE stream of `prefix`, then `unit` repeated `count` times (count ≥ 4), then `suffix`
 * — built by compressing only four units: after a sync flush the compressed form of one more
 * `unit` of uniform bytes is always the same, so it is repeated instead of recomputed. Makes a
 * 1 GB zip bomb (≈1000:1) in milliseconds without ever holding 1 GB.
 */
export function deflateRepeat(prefix: Uint8Array, unit: Uint8Array, count: number, suffix: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  const d = new Deflate({ level: 6 }, (c) => out.push(c.slice()));
  const take = () => concat(out.splice(0));
  d.push(concat([prefix, unit]));
  d.flush(true);
  const s0 = take();
  d.push(unit);
  d.flush(true);
  const s1 = take();
  d.push(unit);
  d.flush(true);
  const s2 = take();
  d.push(unit);
  d.flush(true);
  const s3 = take();
  if (!same(s2, s3)) throw new Error('deflate did not reach a steady state');
  d.push(suffix, true);
  const tail = take();
  return concat([s0, s1, ...Array.from({ length: count - 2 }, () => s2), tail]);
}

export { crc32 };

// ---------------------------------------------------------------------------------------------
// Assertions

/** A refused bundle: ok:false, the code, one Chinese message, and no content at all. */
export function expectRefused(r: Result<BundleContent>, code: string | string[]): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect('value' in r).toBe(false);
  const codes = Array.isArray(code) ? code : [code];
  expect(codes, `${r.error.code}: ${r.error.message} (${r.error.detail})`).toContain(r.error.code);
  expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(r.error.message.length).toBeLessThan(300);
}
