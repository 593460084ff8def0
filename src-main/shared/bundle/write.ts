/**
 * Writing a bundle, and choosing what goes into it. Pure: bytes out, no I/O.
 *
 * The output is deterministic: records are sorted and their keys put in one fixed order, JSON is
 * compact, large lists are split into parts at fixed sizes, and the ZIP's timestamps come from
 * `createdAt`. Equal input gives byte-identical bundles.
 */
import {
  FIELD_NAMES,
  caseStudyOf,
  type Annotation,
  type AnnotationFields,
  type Author,
  type Evidence,
  type FieldName,
  type LogEntry,
  type Revision,
  type Unit,
} from '../domain';
import type { RichDoc, RichMark, RichNode } from '../richtext';
import type { Period, Snapshot, SnapshotEntry } from '../snapshot/model';
import type { ReviewDecision, Round, Submission } from '../rounds/schema';
import { ROUND_FILES } from '../rounds/kinds';
import type { ReportDraft } from '../report/draft';
import type { ReportDraftRevision } from '../report/draftSchema';
import { fail, ok, type Result } from '../result';
import {
  ATTACHMENT_DIR,
  FORMAT_ID,
  FORMAT_VERSION,
  MANIFEST_NAME,
  PART_SOFT_BYTES,
  RECORD_KINDS,
  SNAPSHOT_FILES,
  DRAFT_FILES,
  partName,
  type BundleRecords,
  type Manifest,
  type ManifestBase,
  type ManifestEntry,
  type RecordKind,
} from './format';
import { sha256Hex } from '../hash';
import { BUNDLE_CAPS, writeZip, type ZipEntryInput } from './zip';

export interface WriteBundleInput extends BundleRecords {
  manifest: ManifestBase;
  /** Files by the hex sha-256 of their bytes; each is written once. */
  attachments: ReadonlyMap<string, Uint8Array>;
  /** Evaluation periods and read-only snapshots (none when absent). */
  periods?: readonly Period[];
  snapshots?: readonly Snapshot[];
  /** Rounds, submission receipts, review decisions (none when absent). */
  rounds?: readonly Round[];
  submissions?: readonly Submission[];
  reviews?: readonly ReviewDecision[];
  /** Report drafts and their revisions: a backup's (written only when there are some). */
  reportDrafts?: readonly ReportDraft[];
  reportDraftRevisions?: readonly ReportDraftRevision[];
}

// ---------------------------------------------------------------------------------------------
// Normal form: fixed key order, only known keys (so equal records give equal JSON)

const author = (a: Author): Author => ({ name: a.name, unitCode: a.unitCode });

function richNode(n: RichNode): RichNode {
  const out: RichNode = { type: n.type };
  if (n.attrs !== undefined) {
    const attrs: Record<string, string | number | null> = {};
    for (const k of Object.keys(n.attrs).sort()) attrs[k] = n.attrs[k]!;
    out.attrs = attrs;
  }
  if (n.content !== undefined) out.content = n.content.map(richNode);
  if (n.text !== undefined) out.text = n.text;
  if (n.marks !== undefined) out.marks = n.marks.map((m): RichMark => (m.attrs ? { type: m.type, attrs: { href: m.attrs.href } } : { type: m.type }));
  return out;
}
const richDoc = (d: RichDoc): RichDoc => ({ type: 'doc', content: d.content.map(richNode) });

/**
 * Each field's normal form. Typed by `FieldName`, so a field added to the schema does not compile
 * until it says how it is written; `undefined` leaves the key out (a null write-up, so data without
 * write-ups is written and hashed as before).
 */
const NORMAL_FIELD = {
  status: (f) => f.status,
  progress: (f) => f.progress,
  leadUnits: (f) => [...f.leadUnits],
  partnerUnits: (f) => [...f.partnerUnits],
  deadline: (f) => f.deadline,
  progressNotes: (f) => richDoc(f.progressNotes),
  results: (f) => f.results,
  problems: (f) => f.problems,
  nextSteps: (f) => f.nextSteps,
  isInnovation: (f) => f.isInnovation,
  isBestPractice: (f) => f.isBestPractice,
  caseStudy: (f) => {
    const c = caseStudyOf(f);
    return c ? { name: c.name, field: c.field, approach: c.approach, results: c.results, replicability: c.replicability } : undefined;
  },
} satisfies { [F in FieldName]: (f: AnnotationFields) => AnnotationFields[F] };

/** The fields in schema order with only known keys (so equal fields give equal JSON). */
export function normalFields(f: AnnotationFields): AnnotationFields {
  const out: Record<string, unknown> = {};
  for (const k of FIELD_NAMES) {
    const v = NORMAL_FIELD[k](f);
    if (v !== undefined) out[k] = v;
  }
  return out as AnnotationFields;
}

const normal = {
  units: (u: Unit): Unit => ({ code: u.code, name: u.name, kind: u.kind, order: u.order, active: u.active }),
  annotations: (a: Annotation): Annotation => ({
    key: a.key,
    taskId: a.taskId,
    unitCode: a.unitCode,
    ...normalFields(a),
    head: a.head,
    updatedAt: a.updatedAt,
    updatedBy: author(a.updatedBy),
  }),
  revisions: (r: Revision): Revision => ({
    id: r.id,
    key: r.key,
    taskId: r.taskId,
    unitCode: r.unitCode,
    parents: [...r.parents],
    author: author(r.author),
    at: r.at,
    kind: r.kind,
    changed: FIELD_NAMES.filter((f) => r.changed.includes(f)),
    fields: normalFields(r.fields),
    ...(r.restoredFrom !== undefined ? { restoredFrom: r.restoredFrom } : {}),
  }),
  logEntries: (e: LogEntry): LogEntry => ({
    id: e.id,
    taskId: e.taskId,
    unitCode: e.unitCode,
    date: e.date,
    body: richDoc(e.body),
    author: author(e.author),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    deleted: e.deleted,
  }),
  evidence: (e: Evidence): Evidence => ({
    id: e.id,
    taskId: e.taskId,
    unitCode: e.unitCode,
    title: e.title,
    kind: e.kind,
    docNumber: e.docNumber,
    date: e.date,
    attachmentHash: e.attachmentHash,
    fileName: e.fileName,
    mime: e.mime,
    size: e.size,
    author: author(e.author),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    deleted: e.deleted,
  }),
} satisfies { [K in RecordKind]: (r: BundleRecords[K][number]) => BundleRecords[K][number] };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const normalPeriod = (p: Period): Period => ({ id: p.id, name: p.name, kind: p.kind, start: p.start, end: p.end, createdAt: p.createdAt, updatedAt: p.updatedAt });
const normalEntry = (e: SnapshotEntry): SnapshotEntry => ({
  key: e.key,
  taskId: e.taskId,
  unitCode: e.unitCode,
  head: e.head,
  status: e.status,
  progress: e.progress,
  deadline: e.deadline,
  leadUnits: [...e.leadUnits],
  partnerUnits: [...e.partnerUnits],
  isInnovation: e.isInnovation,
  isBestPractice: e.isBestPractice,
  evidence: e.evidence.map((x) => ({ id: x.id, title: x.title, kind: x.kind })),
  logCount: e.logCount,
  updatedAt: e.updatedAt,
});
/** A snapshot in fixed key order (its hash is over canonical JSON, so key order does not change it). */
const normalSnapshot = (s: Snapshot): Snapshot => ({
  id: s.id,
  periodId: s.periodId,
  frozenAt: s.frozenAt,
  author: author(s.author),
  corpusHash: s.corpusHash,
  entries: s.entries.map(normalEntry),
  hash: s.hash,
});

const normalRound = (r: Round): Round => ({
  id: r.id,
  name: r.name,
  unitCodes: [...r.unitCodes],
  tables: [...r.tables],
  opensAt: r.opensAt,
  dueDate: r.dueDate,
  createdBy: author(r.createdBy),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
const normalSubmission = (s: Submission): Submission => ({
  id: s.id,
  roundId: s.roundId,
  unitCode: s.unitCode,
  author: author(s.author),
  submittedAt: s.submittedAt,
  updatedTaskIds: [...s.updatedTaskIds],
  digest: s.digest,
  ...(s.extensions?.length ? { extensions: s.extensions.map((x) => ({ taskId: x.taskId, from: x.from, to: x.to, reason: x.reason })) } : {}),
});
const normalDecision = (d: ReviewDecision): ReviewDecision => ({
  id: d.id,
  roundId: d.roundId,
  unitCode: d.unitCode,
  taskId: d.taskId,
  submissionId: d.submissionId,
  decision: d.decision,
  comment: d.comment,
  by: author(d.by),
  at: d.at,
  reviewId: d.reviewId,
  ...(d.extension ? { extension: { from: d.extension.from, to: d.extension.to } } : {}),
});

/** The order records are written in (and the order `readBundle` returns them). */
export const RECORD_ORDER: { [K in RecordKind]: (a: BundleRecords[K][number], b: BundleRecords[K][number]) => number } = {
  units: (a, b) => a.order - b.order || cmp(a.code, b.code),
  annotations: (a, b) => cmp(a.key, b.key),
  revisions: (a, b) => cmp(a.key, b.key) || cmp(a.at, b.at) || cmp(a.id, b.id),
  logEntries: (a, b) => cmp(a.taskId, b.taskId) || cmp(a.unitCode, b.unitCode) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id),
  evidence: (a, b) => cmp(a.taskId, b.taskId) || cmp(a.unitCode, b.unitCode) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id),
};

/** A list sorted in write order, in normal form. */
export function normalList<K extends RecordKind>(kind: K, list: readonly BundleRecords[K][number][]): BundleRecords[K] {
  const norm = normal[kind] as (r: BundleRecords[K][number]) => BundleRecords[K][number];
  return sortedList(kind, list).map(norm) as BundleRecords[K];
}

function sortedList<K extends RecordKind>(kind: K, list: readonly BundleRecords[K][number][]): BundleRecords[K][number][] {
  const order = RECORD_ORDER[kind] as (a: BundleRecords[K][number], b: BundleRecords[K][number]) => number;
  return [...list].sort(order);
}

// ---------------------------------------------------------------------------------------------
// Writing

const utf8 = new TextEncoder();

/**
 * JSON parts of a list, in write order and normal form: `[…]` each, a new part once one reaches
 * PART_SOFT_BYTES (units: one part). Records are normalised one at a time, so no second copy of
 * the data is held.
 */
function jsonParts<K extends RecordKind>(kind: K, list: readonly BundleRecords[K][number][], partBytes: number): Uint8Array[] {
  const norm = normal[kind] as (r: BundleRecords[K][number]) => BundleRecords[K][number];
  const sorted = sortedList(kind, list);
  if (kind === 'units') return [utf8.encode(JSON.stringify(sorted.map(norm)))];
  const parts: Uint8Array[] = [];
  let current: Uint8Array[] = [];
  let size = 2;
  const flush = () => {
    // `[` record `,` record … `]`
    const out = new Uint8Array(size);
    out[0] = 0x5b;
    let o = 1;
    current.forEach((b, i) => {
      if (i) out[o++] = 0x2c;
      out.set(b, o);
      o += b.length;
    });
    out[o] = 0x5d;
    parts.push(out);
    current = [];
    size = 2;
  };
  for (const r of sorted) {
    // Encoding record by record is much faster than encoding one joined string.
    const b = utf8.encode(JSON.stringify(norm(r)));
    if (current.length && size + 1 + b.length > partBytes) flush();
    size += (current.length ? 1 : 0) + b.length;
    current.push(b);
  }
  flush();
  return parts;
}

/** Codes of units that have work in the records, in unit order (units not listed come last). */
function unitsWithWork(r: BundleRecords): string[] {
  const codes = new Set<string>();
  for (const x of r.annotations) codes.add(x.unitCode);
  for (const x of r.logEntries) codes.add(x.unitCode);
  for (const x of r.evidence) codes.add(x.unitCode);
  const order = new Map(r.units.map((u) => [u.code, u.order]));
  return [...codes].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || cmp(a, b));
}

/**
 * A bundle of the given records and files. Entries: units, annotations, revisions, log entries,
 * evidence (each possibly in parts), then attachments sorted by hash, and the manifest last, with
 * the size and sha-256 of every other entry. `partBytes` (tests) overrides PART_SOFT_BYTES. Throws only if an attachment's bytes do not match
 * the hash it is filed under (a caller bug: `selectForExport` hands over stored files by hash).
 */
export function writeBundle(input: WriteBundleInput, opts: { partBytes?: number } = {}): Uint8Array {
  const partBytes = opts.partBytes ?? PART_SOFT_BYTES;
  if ((input.manifest.scope === 'since') !== (input.manifest.since !== undefined)) {
    throw new Error('writeBundle: manifest.since must be given exactly when scope is "since"');
  }
  const zipEntries: ZipEntryInput[] = [];
  const entries: Record<string, ManifestEntry> = {};
  const add = (name: string, data: Uint8Array, hash = sha256Hex(data)) => {
    zipEntries.push({ name, data });
    entries[name] = { sha256: hash, size: data.length };
  };
  for (const kind of RECORD_KINDS) {
    jsonParts(kind, input[kind] as never, partBytes).forEach((data, i) => add(partName(kind, i + 1), data));
  }
  const periods = [...(input.periods ?? [])].sort((a, b) => cmp(a.start, b.start) || cmp(a.id, b.id)).map(normalPeriod);
  const snapshots = [...(input.snapshots ?? [])].sort((a, b) => cmp(a.frozenAt, b.frozenAt) || cmp(a.id, b.id)).map(normalSnapshot);
  add(SNAPSHOT_FILES.periods, utf8.encode(JSON.stringify(periods)));
  add(SNAPSHOT_FILES.snapshots, utf8.encode(JSON.stringify(snapshots)));
  const rounds = [...(input.rounds ?? [])].sort((a, b) => cmp(a.opensAt, b.opensAt) || cmp(a.id, b.id)).map(normalRound);
  const submissions = [...(input.submissions ?? [])].sort((a, b) => cmp(a.submittedAt, b.submittedAt) || cmp(a.id, b.id)).map(normalSubmission);
  const reviews = [...(input.reviews ?? [])].sort((a, b) => cmp(a.at, b.at) || cmp(a.id, b.id)).map(normalDecision);
  add(ROUND_FILES.rounds, utf8.encode(JSON.stringify(rounds)));
  add(ROUND_FILES.submissions, utf8.encode(JSON.stringify(submissions)));
  add(ROUND_FILES.reviews, utf8.encode(JSON.stringify(reviews)));
  const drafts = [...(input.reportDrafts ?? [])].sort((a, b) => cmp(a.id, b.id));
  const draftRevisions = [...(input.reportDraftRevisions ?? [])].sort((a, b) => cmp(a.draftId, b.draftId) || cmp(a.at, b.at) || cmp(a.id, b.id));
  if (drafts.length || draftRevisions.length) {
    add(DRAFT_FILES.reportDrafts, utf8.encode(JSON.stringify(drafts)));
    add(DRAFT_FILES.reportDraftRevisions, utf8.encode(JSON.stringify(draftRevisions)));
  }
  const hashes = [...input.attachments.keys()].sort();
  for (const h of hashes) {
    const data = input.attachments.get(h)!;
    const actual = sha256Hex(data);
    if (actual !== h) throw new Error(`attachment filed as ${h} has sha-256 ${actual}`);
    add(`${ATTACHMENT_DIR}${h}`, data, actual);
  }

  const base = input.manifest;
  const manifest: Manifest = {
    format: FORMAT_ID,
    formatVersion: FORMAT_VERSION,
    appVersion: base.appVersion,
    corpusHash: base.corpusHash,
    author: author(base.author),
    unitCodes: unitsWithWork(input),
    createdAt: base.createdAt,
    scope: base.scope,
    ...(base.since !== undefined ? { since: base.since } : {}),
    counts: {
      annotations: input.annotations.length,
      revisions: input.revisions.length,
      logEntries: input.logEntries.length,
      evidence: input.evidence.length,
      attachments: hashes.length,
      periods: periods.length,
      snapshots: snapshots.length,
      rounds: rounds.length,
      submissions: submissions.length,
      reviews: reviews.length,
      ...(drafts.length || draftRevisions.length ? { reportDrafts: drafts.length, reportDraftRevisions: draftRevisions.length } : {}),
    },
    entries,
    kind: base.kind ?? 'bundle',
    role: base.role ?? 'official',
    ...(base.round ? { round: { roundId: base.round.roundId, unitCode: base.round.unitCode, submissionId: base.round.submissionId, ...(base.round.reviewId ? { reviewId: base.round.reviewId } : {}) } } : {}),
    signature: null,
  };
  zipEntries.unshift({ name: MANIFEST_NAME, data: utf8.encode(JSON.stringify(manifest, null, 2) + '\n') });
  return writeZip(zipEntries, zipTime(base.createdAt));
}

/** The ZIP's modification time: the export time, kept within what DOS dates can hold. */
function zipTime(createdAt: string): Date {
  const t = Date.parse(createdAt);
  const min = Date.UTC(1980, 0, 2);
  const max = Date.UTC(2107, 11, 30);
  return new Date(Number.isNaN(t) ? min : Math.min(max, Math.max(min, t)));
}

// ---------------------------------------------------------------------------------------------
// Choosing what to export

export type ExportScope = { scope: 'all' } | { scope: 'units'; unitCodes: readonly string[] } | { scope: 'since'; since: string };

/** Where records come from: the local database (arrays or map values). */
export interface ExportSource {
  units: Iterable<Unit>;
  annotations: Iterable<Annotation>;
  revisions: Iterable<Revision>;
  logEntries: Iterable<LogEntry>;
  evidence: Iterable<Evidence>;
  /** Stored files by hash (at least those that live evidence refers to). */
  attachments: ReadonlyMap<string, Uint8Array>;
  periods?: Iterable<Period>;
  snapshots?: Iterable<Snapshot>;
  rounds?: Iterable<Round>;
  submissions?: Iterable<Submission>;
  reviews?: Iterable<ReviewDecision>;
}

export interface ExportSelection extends BundleRecords {
  attachments: Map<string, Uint8Array>;
  periods: Period[];
  snapshots: Snapshot[];
  rounds: Round[];
  submissions: Submission[];
  reviews: ReviewDecision[];
}

/**
 * Picks the records of a scope:
 * - `all`: everything;
 * - `units`: annotations, log entries and evidence of those units;
 * - `since`: annotations whose `updatedAt` ≥ since, log entries and evidence whose `updatedAt` ≥ since.
 * Periods and snapshots: all of them, in every scope.
 * Every chosen annotation comes with every revision of its (task, unit) — its full ancestry, so
 * the recipient can merge. Files: those of live chosen evidence. Units: all for `all`, else the
 * units of the chosen records (and the chosen units).
 * Fails when a live piece of evidence has no stored file (`bundle.attachment_missing`), or when the
 * files would exceed what readers accept (`bundle.export_too_large`: over ~384 MB or ~4,900 files).
 */
export function selectForExport(src: ExportSource, scope: ExportScope): Result<ExportSelection> {
  const units = [...src.units];
  let keep: (r: { unitCode: string; updatedAt: string }) => boolean;
  if (scope.scope === 'all') keep = () => true;
  else if (scope.scope === 'units') {
    const set = new Set(scope.unitCodes);
    if (set.size === 0) return fail('bundle.empty_scope', '请至少选择一个单位。');
    keep = (r) => set.has(r.unitCode);
  } else {
    const since = scope.since;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(since) || Number.isNaN(Date.parse(since))) {
      return fail('bundle.invalid_since', '导出范围的起始时间无效。', since);
    }
    keep = (r) => r.updatedAt >= since;
  }

  const annotations = [...src.annotations].filter(keep);
  const keys = new Set(annotations.map((a) => a.key));
  const revisions = [...src.revisions].filter((r) => keys.has(r.key));
  const logEntries = [...src.logEntries].filter(keep);
  const evidence = [...src.evidence].filter(keep);

  const attachments = new Map<string, Uint8Array>();
  for (const e of evidence) {
    if (e.attachmentHash === null || e.deleted) continue;
    const data = src.attachments.get(e.attachmentHash);
    if (!data) {
      return fail(
        'bundle.attachment_missing',
        `佐证材料「${e.title}」的附件文件在本机缺失，无法导出。请重新上传该附件或删除这条佐证材料后再导出。`,
        `evidence ${e.id}: ${e.attachmentHash}`,
      );
    }
    attachments.set(e.attachmentHash, data);
  }

  // What a reader accepts (zip.ts caps): refuse to write a bundle nobody could import.
  let fileBytes = 0;
  for (const data of attachments.values()) fileBytes += data.length;
  if (fileBytes > BUNDLE_CAPS.maxTotalBytes - 128 * 1024 * 1024 || attachments.size > BUNDLE_CAPS.maxEntries - 100) {
    return fail(
      'bundle.export_too_large',
      `所选范围的附件过多（${attachments.size} 个，共 ${Math.round(fileBytes / 1048576)} MB），超出批注包的容量。请按单位或时间分批导出。`,
      `${attachments.size} files, ${fileBytes} bytes`,
    );
  }

  let chosenUnits = units;
  if (scope.scope !== 'all') {
    const codes = new Set<string>(scope.scope === 'units' ? scope.unitCodes : []);
    for (const list of [annotations, logEntries, evidence]) for (const r of list) codes.add(r.unitCode);
    chosenUnits = units.filter((u) => codes.has(u.code));
  }
  // Periods and snapshots travel whole in every scope: a snapshot is one immutable record (cutting it
  // down to some units would change its hash), and the recipient compares against the same one.
  const periods = [...(src.periods ?? [])];
  const snapshots = [...(src.snapshots ?? [])];
  // Rounds, receipts and review decisions travel whole too (small; the recipient's 报送情况 needs
  // all of them). Which decisions an export may carry is the export service's choice.
  const rounds = [...(src.rounds ?? [])];
  const submissions = [...(src.submissions ?? [])];
  const reviews = [...(src.reviews ?? [])];
  return ok({ units: chosenUnits, annotations, revisions, logEntries, evidence, attachments, periods, snapshots, rounds, submissions, reviews });
}
