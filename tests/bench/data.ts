/**
 * The benchmark's data: the CLI's demo generator at city scale (13 units × 104 tasks, 30 revisions
 * and 12 log entries per annotation, 300 small attachments) and ×4 of it.
 *
 * ×4 is four city data sets with seeds SEED … SEED+3; copies 2–4 get their unit codes re-keyed
 * (320102 → 320102-2 …, names 玄武区（副本2）…) so nothing collides. Copy 1 is the city data set
 * itself, so ×4 ⊇ city. The generator is deterministic, so the bundles are cached in `.bench/data`
 * under a key made of the generator's sources, the options and the corpus hash: a second run of the
 * benchmark reuses them (generating ×4 takes a minute or two on this machine).
 *
 * Also written, for the Node-side measurements: the report inputs (units, annotations, log entries,
 * evidence — reports read no revisions) as JSON, and the 200 search queries.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeDemoData, mulberry32, type DemoData } from '../../src-main/shared/bundle/demo';
import { normalList, writeBundle } from '../../src-main/shared/bundle/write';
import { RECORD_KINDS } from '../../src-main/shared/bundle/format';
import { annotationKey, type Annotation, type Author, type Evidence, type LogEntry, type Revision, type Unit } from '../../src-main/shared/domain';
import { plainText } from '../../src-main/shared/richtext';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { log } from './stats';

export const BENCH_DIR = resolve('.bench');
export const DATA_DIR = join(BENCH_DIR, 'data');

export const CITY = { units: 13, seed: 20250630, revisionsPerAnnotation: 30, logEntriesPerAnnotation: 12, attachments: 300 } as const;
export const COPIES = 4;

/** Bump when this file's way of building the data changes. */
const DATA_VERSION = 2;
const SOURCES = [
  'src-main/shared/bundle/demo.ts',
  'src-main/shared/bundle/write.ts',
  'src-main/shared/bundle/format.ts',
  'src-main/shared/bundle/zip.ts',
  'src-main/shared/domain.ts',
  'tests/bench/data.ts',
];

export type Scale = 'city' | 'x4';
export const SCALES: readonly Scale[] = ['city', 'x4'];

export interface ReportData {
  units: Unit[];
  annotations: Annotation[];
  logEntries: LogEntry[];
  evidence: Evidence[];
}

export interface ScaleFiles {
  bundle: string;
  reportData: string;
  /** The bundle's rows as `readBundle` returns them (write order, normal form), for the raw bulkPut. */
  rows: string;
  /** The bundle's files: { hash: base64 }. */
  files: string;
  bytes: number;
  counts: { units: number; annotations: number; revisions: number; logEntries: number; evidence: number; attachments: number };
}

export interface BenchData {
  key: string;
  city: ScaleFiles;
  x4: ScaleFiles;
  /** 200 search queries (same for both scales). */
  queries: string[];
  generatedMs: number | null;
}

function cacheKey(corpus: Corpus): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ DATA_VERSION, CITY, COPIES, corpus: corpus.hash }));
  for (const s of SOURCES) h.update(readFileSync(resolve(s)));
  return h.digest('hex').slice(0, 16);
}

/** Copy `k` (0-based) of a demo data set with its unit codes re-keyed (copy 0 unchanged). */
export function rekey(d: DemoData, k: number, unitsPerCopy: number): DemoData {
  if (k === 0) return d;
  const code = (c: string) => `${c}-${k + 1}`;
  const codes = new Set(d.units.map((u) => u.code));
  const who = (a: Author): Author => ({ name: a.name, unitCode: codes.has(a.unitCode) ? code(a.unitCode) : a.unitCode });
  const units: Unit[] = d.units.map((u) => ({ ...u, code: code(u.code), name: `${u.name}（副本${k + 1}）`, order: u.order + k * unitsPerCopy }));
  const annotations: Annotation[] = d.annotations.map((a) => ({
    ...a,
    unitCode: code(a.unitCode),
    key: annotationKey(a.taskId, code(a.unitCode)),
    updatedBy: who(a.updatedBy),
  }));
  const revisions: Revision[] = d.revisions.map((r) => ({ ...r, unitCode: code(r.unitCode), key: annotationKey(r.taskId, code(r.unitCode)), author: who(r.author) }));
  const logEntries: LogEntry[] = d.logEntries.map((e) => ({ ...e, unitCode: code(e.unitCode), author: who(e.author) }));
  const evidence: Evidence[] = d.evidence.map((e) => ({ ...e, unitCode: code(e.unitCode), author: who(e.author) }));
  return { ...d, units, annotations, revisions, logEntries, evidence };
}

/** The copies as one data set (the ×4 data: copy 1 is the city data set). */
export function combine(parts: DemoData[]): DemoData {
  const attachments = new Map<string, Uint8Array>();
  for (const p of parts) for (const [h, b] of p.attachments) attachments.set(h, b);
  return {
    manifest: parts[0]!.manifest,
    units: parts.flatMap((p) => p.units),
    annotations: parts.flatMap((p) => p.annotations),
    revisions: parts.flatMap((p) => p.revisions),
    logEntries: parts.flatMap((p) => p.logEntries),
    evidence: parts.flatMap((p) => p.evidence),
    attachments,
  };
}

function counts(d: DemoData): ScaleFiles['counts'] {
  return {
    units: d.units.length,
    annotations: d.annotations.length,
    revisions: d.revisions.length,
    logEntries: d.logEntries.length,
    evidence: d.evidence.length,
    attachments: d.attachments.size,
  };
}

// ---------------------------------------------------------------------------------------------
// Queries

const HAN_RUN = /\p{Script=Han}{2,}/gu;

/** Han runs of at least 2 characters in a text. */
const hanRuns = (text: string): string[] => [...text.matchAll(HAN_RUN)].map((m) => m[0]);

/**
 * 200 queries a person would type: 2–6 character substrings of the task texts (80) and of the
 * annotations' and log entries' text (90), Latin terms of the plan (RCEP, CPTPP, …) and figures
 * (10), two-term queries (10), and a few that match nothing (10). Deterministic.
 */
export function makeQueries(corpus: Corpus, d: DemoData): string[] {
  const rng = mulberry32(0x5eed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const substring = (runs: string[]): string => {
    for (;;) {
      const run = Array.from(pick(runs));
      if (run.length < 2) continue;
      const len = Math.min(run.length, 2 + Math.floor(rng() * 5));
      const at = Math.floor(rng() * (run.length - len + 1));
      return run.slice(at, at + len).join('');
    }
  };
  const taskRuns = corpus.tasks.flatMap((t) => hanRuns(t.text));
  const sample = d.annotations.filter((_a, i) => i % 7 === 0);
  const annRuns = [
    ...sample.flatMap((a) => hanRuns(`${plainText(a.progressNotes)} ${a.results} ${a.problems} ${a.nextSteps}`)),
    ...d.logEntries.filter((_e, i) => i % 53 === 0).flatMap((e) => hanRuns(plainText(e.body))),
  ];
  const out: string[] = [];
  for (let i = 0; i < 80; i++) out.push(substring(taskRuns));
  for (let i = 0; i < 90; i++) out.push(substring(annRuns));
  out.push('RCEP', 'rcep', 'CPTPP', 'DEPA', 'CEPA', 'SaaS', 'QFLP', '5G', '2024', 'RCEP 规则');
  for (let i = 0; i < 10; i++) out.push(`${substring(taskRuns)} ${substring(annRuns)}`);
  out.push('量子纠缠', '航天发射', '海底隧道', '冰雪运动', '稀土冶炼', '深海养殖', '核电站', '卫星互联网', '火星探测', '沙漠治理');
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The bundles, report inputs and queries, generated or taken from the cache. */
export function prepareData(corpus: Corpus, opts: { force?: boolean } = {}): BenchData {
  const key = cacheKey(corpus);
  const dir = join(DATA_DIR, key);
  const metaPath = join(dir, 'meta.json');
  if (!opts.force && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as BenchData;
    if (SCALES.every((s) => [meta[s].bundle, meta[s].reportData, meta[s].rows, meta[s].files].every((p) => p && existsSync(p)))) {
      log(`data: cached in ${dir}`);
      return { ...meta, generatedMs: null };
    }
  }
  // Data of earlier generator versions is of no further use.
  if (existsSync(DATA_DIR)) for (const old of readdirSync(DATA_DIR)) if (old !== key) rmSync(join(DATA_DIR, old), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const parts: DemoData[] = [];
  for (let k = 0; k < COPIES; k++) {
    const t = performance.now();
    const d = makeDemoData({ ...CITY, seed: CITY.seed + k, corpus });
    parts.push(rekey(d, k, CITY.units));
    log(`data: generated copy ${k + 1}/${COPIES} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const write = (scale: Scale, d: DemoData): ScaleFiles => {
    const t = performance.now();
    const bytes = writeBundle(d);
    const bundle = join(dir, `${scale}.pilotbundle`);
    writeFileSync(bundle, bytes);
    const reportData = join(dir, `${scale}.report.json`);
    const rd: ReportData = { units: d.units, annotations: d.annotations, logEntries: d.logEntries, evidence: d.evidence };
    writeFileSync(reportData, JSON.stringify(rd));
    const rows = join(dir, `${scale}.rows.json`);
    const records: Record<string, unknown[]> = {};
    for (const kind of RECORD_KINDS) records[kind] = normalList(kind, d[kind] as never);
    writeFileSync(rows, JSON.stringify(records));
    const files = join(dir, `${scale}.files.json`);
    writeFileSync(files, JSON.stringify(Object.fromEntries([...d.attachments].map(([h, b]) => [h, Buffer.from(b).toString('base64')]))));
    log(`data: wrote ${scale} bundle (${(bytes.length / 1048576).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return { bundle, reportData, rows, files, bytes: bytes.length, counts: counts(d) };
  };
  const city = write('city', parts[0]!);
  const queries = makeQueries(corpus, parts[0]!);
  const x4 = write('x4', combine(parts));
  const meta: BenchData = { key, city, x4, queries, generatedMs: performance.now() - t0 };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  return meta;
}
