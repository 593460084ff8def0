/**
 * Reading a bundle: untrusted bytes in, either every record checked or one clear reason out.
 * Nothing is returned unless everything passed, so a caller that writes only on `ok` writes zero
 * rows for a bad bundle.
 *
 * Order of checks (the first failure is reported):
 *  1. ZIP layer with caps (zip.ts): not a zip, truncated, damaged, too large, zip bomb, too many
 *     entries, bad or duplicate names (CRC-32 of the manifest only: the rest is covered by step 3);
 *  2. manifest present, JSON without unsafe keys, our format id, format version (newer → 请升级本软件;
 *     older → migrated after step 4);
 *  3. every entry listed in the manifest with its size and sha-256, and no entry unlisted;
 *  4. record files present (parts contiguous), each a JSON array (unsafe keys refused);
 *  5. manifest and every record against the strict schema (rich text and links included; the big
 *     kinds first by FAST_CHECKS, which answer only "surely valid" — anything else goes to zod);
 *  6. corpus hash equals this app's; 7. task ids exist in the corpus;
 *  8. no duplicate unit codes, annotation keys, revision / log entry / evidence ids;
 *  9. references: units of records, annotation heads and their fields, revision parents (every
 *     bundle carries the full ancestry of its annotations), no cycles; counts match the manifest;
 * 10. attachments: every live evidence file present with its size; no attachment unreferenced;
 * 11. periods and snapshots (version 2, src-main/shared/snapshot/schema.ts): schema, ids, each
 *     snapshot's period, task ids, and each snapshot's hash against its content; counts;
 * 12. rounds, submission receipts and review decisions (version 4, src-main/shared/rounds/schema.ts):
 *     schema, ids, the file's kind and marker, and review decisions only in a supervisor's file; counts.
 * 13. report drafts and their revisions, when a backup carries them (src-main/shared/report/draftSchema.ts):
 *     schema, rich text with the draft-only nodes, ids; counts.
 */
import { sameValue, FIELD_NAMES, type Annotation, type Evidence, type LogEntry, type Revision, type Unit } from '../domain';
import { declaredTypeContradiction } from '../evidence/fileType';
import { fail, ok, type Result } from '../result';
import {
  FORMAT_ID,
  FORMAT_VERSION,
  MANIFEST_NAME,
  MIGRATIONS,
  RECORD_KINDS,
  SNAPSHOT_FILES,
  futureVersion,
  migrateRaw,
  parseEntryName,
  partName,
  isBundleEntryName,
  type BundleContent,
  type FormatMigration,
  type Manifest,
  type RawBundle,
  type RecordKind,
  type SnapshotKind,
  type DraftKind,
} from './format';
import { sha256Hex, sha256HexAsync } from '../hash';
import { checkSnapshotRecords } from '../snapshot/schema';
import { checkRoundRecords } from '../rounds/schema';
import { ROUND_FILES, ROUND_LIST_KINDS, type RoundListKind } from '../rounds/kinds';
import { checkDraftRecords } from '../report/draftSchema';
import { FAST_CHECKS, LIMITS, RECORD_SCHEMAS, checkInPlace, checkRecord, manifestEntriesSchema, manifestSchema, parseJsonBytes } from './schema';
import { BUNDLE_CAPS, readZip, readZipAsync, type Inflater, type ZipCaps } from './zip';

export interface ReadContext {
  /** `corpus.hash` of this app's plan. */
  corpusHash: string;
  /** Ids of the corpus's tasks. */
  taskIds: ReadonlySet<string>;
  /** Format migrations (tests inject their own; default: this app's MIGRATIONS). */
  migrations?: readonly FormatMigration[];
  caps?: ZipCaps;
  /** `readBundleAsync` only: which inflater (`readZipAsync`; default 'native' where there is one). */
  inflater?: Inflater;
}

const RECORD_LABEL: Record<RecordKind, string> = {
  units: '单位',
  annotations: '批注',
  revisions: '修订记录',
  logEntries: '进展记录',
  evidence: '佐证材料',
};

const broken = (message: string, detail: string) => fail('bundle.broken_reference', `批注包内容不完整或相互矛盾：${message}。请让对方重新导出。`, detail);

/**
 * The ZIP layer of a bundle (step 1). CRC-32 is checked only for `manifest.json`: every other entry
 * must be listed in the manifest with its sha-256, which is checked in step 3 (an unlisted entry is
 * refused), so its CRC would only repeat a weaker check of the same bytes. A bundle whose CRC is
 * wrong but whose sha-256 is right therefore imports: its content is exactly what was exported.
 */
function readBundleZip(bytes: Uint8Array, ctx: ReadContext): Result<Map<string, Uint8Array>> {
  return readZip(bytes, zipOptions(ctx));
}

const zipOptions = (ctx: Pick<ReadContext, 'caps'>) => ({ caps: ctx.caps ?? BUNDLE_CAPS, isAllowedName: isBundleEntryName, checkCrc: (name: string) => name === MANIFEST_NAME });

/** Reads and checks a bundle. See the module comment for the order of checks. */
export function readBundle(bytes: Uint8Array, ctx: ReadContext): Result<BundleContent> {
  const zip = readBundleZip(bytes, ctx);
  if (!zip.ok) return zip;
  const entries = checkEntries(zip.value, (_name, data) => sha256Hex(data));
  if (!entries.ok) return entries;
  return checkBundleContent(entries.value, ctx);
}

/**
 * The same checks as `readBundle`, in the same order and with the same results, but the entries are
 * inflated by the platform's `DecompressionStream` (`readZipAsync`) and their sha-256 is computed
 * with WebCrypto — both native code (pure JS, they were ~30 % and ~11 % of reading a city bundle).
 */
export async function readBundleAsync(bytes: Uint8Array, ctx: ReadContext): Promise<Result<BundleContent>> {
  const entries = await readBundleEntriesAsync(bytes, ctx);
  if (!entries.ok) return entries;
  return checkBundleContent(entries.value, ctx);
}

/**
 * A bundle's entries once steps 1–3 passed: inflated within the caps, the manifest of our format
 * and of a version this app reads, every entry listed in it with the size and sha-256 it has.
 * Each entry is a Uint8Array over an ArrayBuffer of its own (zip.ts allocates one per entry), so
 * the verification worker can hand them all to the page in a transfer list, not as copies.
 */
export interface CheckedEntries {
  /** The inflated entries by name, the manifest's included. */
  files: Map<string, Uint8Array>;
  /** The manifest as parsed (JSON only: the strict schema is step 5). */
  manifest: Record<string, unknown>;
  /** Its `formatVersion` (≤ FORMAT_VERSION). */
  version: number;
  /** Its `entries`, checked: every entry's size and sha-256. */
  listed: Record<string, { size: number; sha256: string }>;
}

/**
 * Steps 1–3 of `readBundleAsync`: what the verification worker does, off the page's thread — the
 * untrusted ZIP is inflated with its caps there, so a zip bomb can take down the worker, not the
 * window. No record is parsed: `checkBundleContent` does that, once, where the records are used.
 */
export async function readBundleEntriesAsync(bytes: Uint8Array, ctx: Pick<ReadContext, 'caps' | 'inflater'>): Promise<Result<CheckedEntries>> {
  const zip = await readZipAsync(bytes, { ...zipOptions(ctx), inflater: ctx.inflater });
  if (!zip.ok) return zip;
  const files = zip.value;
  const digests = new Map<string, string>();
  await Promise.all(
    [...files].map(async ([name, data]) => {
      if (name !== MANIFEST_NAME) digests.set(name, await sha256HexAsync(data));
    }),
  );
  return checkEntries(files, (name, data) => digests.get(name) ?? sha256Hex(data));
}

/** Steps 2–3 on the inflated entries; `hashOf` gives an entry's hex sha-256. */
function checkEntries(files: Map<string, Uint8Array>, hashOf: (name: string, data: Uint8Array) => string): Result<CheckedEntries> {

  // 2. Manifest: present, format, version.
  const manifestBytes = files.get(MANIFEST_NAME);
  if (!manifestBytes) {
    return fail('bundle.manifest_missing', '批注包缺少清单文件（manifest.json），不是完整的批注包。请让对方用本软件重新导出。', 'no manifest.json');
  }
  const mj = parseJsonBytes(manifestBytes, MANIFEST_NAME);
  if (!mj.ok) return mj;
  const rawManifest = mj.value;
  if (!rawManifest || typeof rawManifest !== 'object' || Array.isArray(rawManifest)) {
    return fail('bundle.invalid_manifest', '批注包的清单文件（manifest.json）格式不正确，无法导入。', 'manifest is not an object');
  }
  const m = rawManifest as Record<string, unknown>;
  if (m.format !== FORMAT_ID) {
    return fail('bundle.not_bundle', '这个文件不是本软件导出的批注包，无法导入。', `format ${JSON.stringify(m.format)?.slice(0, 100)}`);
  }
  const version = m.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return fail('bundle.invalid_manifest', '批注包的清单文件（manifest.json）格式不正确（缺少格式版本），无法导入。', `formatVersion ${String(version)}`);
  }
  if (version > FORMAT_VERSION) return futureVersion(version);

  // 3. Entries: listed, sizes and hashes.
  const entries = checkRecord(manifestEntriesSchema, m.entries, MANIFEST_NAME, null);
  if (!entries.ok) return fail('bundle.invalid_manifest', `批注包的清单文件（manifest.json）格式不正确：${entries.error.message}`, entries.error.detail);
  const listed = entries.value;
  for (const name of files.keys()) {
    if (name !== MANIFEST_NAME && !Object.hasOwn(listed, name)) {
      return fail('bundle.unlisted_entry', `批注包中的文件「${name}」没有登记在清单中，批注包可能被改动过，已拒绝导入。`, `unlisted ${name}`);
    }
  }
  for (const [name, want] of Object.entries(listed)) {
    const got = files.get(name);
    if (!got) return fail('bundle.entry_missing', `批注包缺少清单中登记的文件「${name}」，不是完整的批注包。请让对方重新导出。`, `missing ${name}`);
    if (got.length !== want.size || hashOf(name, got) !== want.sha256) {
      return fail('bundle.hash_mismatch', `批注包中的「${name}」与清单记录的校验值不符，文件可能被改动或损坏，已拒绝导入。`, `${name}: sha-256 or size mismatch`);
    }
  }

  return ok({ files, manifest: m, version, listed });
}

/** Work on a bundle's record parts done before `checkBundleContent`, a part at a time (see there). */
export interface PartsDone {
  /** Parses a record part file (instead of `parseJsonBytes`, with the same results). */
  parsePart?: (data: Uint8Array, name: string) => Result<unknown>;
  /** Records of those parts that their kind's FAST_CHECKS found surely valid. */
  surelyValid?: ReadonlySet<unknown>;
}

/**
 * Steps 4–11 on entries that passed steps 1–3. The page parses the record parts and runs their
 * fast checks beforehand, one part between two frames, and passes the results in `done`: each
 * part is then parsed once, and the order of checks — so the reason given — stays the same. The
 * fast checks' verdicts are used only when nothing was migrated (the records are then the very
 * objects that were checked). The record parts are dropped from `entries.files` as they are read.
 */
export function checkBundleContent(entries: CheckedEntries, ctx: ReadContext, done: PartsDone = {}): Result<BundleContent> {
  const parsePart = done.parsePart ?? parseJsonBytes;
  const { files, manifest: m, version, listed } = entries;

  // 4. Record files → raw JSON; attachments.
  const parts = new Map<RecordKind, Map<number, Uint8Array>>();
  const attachments = new Map<string, Uint8Array>();
  const snapshotLists: Partial<Record<SnapshotKind, unknown[]>> = {};
  const roundLists: Partial<Record<RoundListKind, unknown[]>> = {};
  const draftLists: Partial<Record<DraftKind, unknown>> = {};
  for (const [name, data] of files) {
    const n = parseEntryName(name);
    if (!n) return fail('bundle.bad_name', `批注包中含有本软件不认识的文件「${name}」，已拒绝读取。`, name);
    if (n.type === 'attachment') {
      // Its sha-256 was checked against the manifest above; the file must also be what its name says.
      if (listed[name]!.sha256 !== n.hash) return fail('bundle.hash_mismatch', `批注包中的附件「${n.hash.slice(0, 12)}…」内容与其校验值不符，已拒绝导入。`, `attachment ${n.hash}`);
      attachments.set(n.hash, data);
    } else if (n.type === 'snapshots') {
      const j = parseJsonBytes(data, name);
      if (!j.ok) return j;
      if (!Array.isArray(j.value)) return fail('bundle.invalid_record', `批注包中的 ${name} 格式不正确（应为记录列表），已拒绝导入。`, `${name} is not an array`);
      snapshotLists[n.kind] = j.value;
    } else if (n.type === 'rounds') {
      const j = parseJsonBytes(data, name);
      if (!j.ok) return j;
      if (!Array.isArray(j.value)) return fail('bundle.invalid_record', `批注包中的 ${name} 格式不正确（应为记录列表），已拒绝导入。`, `${name} is not an array`);
      roundLists[n.kind] = j.value;
    } else if (n.type === 'drafts') {
      const j = parseJsonBytes(data, name);
      if (!j.ok) return j;
      draftLists[n.kind] = j.value;
    } else if (n.type === 'records') {
      files.delete(name); // parsed below; the bytes are not kept
      const map = parts.get(n.kind) ?? new Map<number, Uint8Array>();
      map.set(n.part, data);
      parts.set(n.kind, map);
    }
  }
  const records = {} as Record<RecordKind, unknown[]>;
  const partLengths = {} as Record<RecordKind, number[]>;
  for (const kind of RECORD_KINDS) {
    const map = parts.get(kind);
    if (!map?.has(1)) return fail('bundle.entry_missing', `批注包缺少「${partName(kind, 1)}」，不是完整的批注包。请让对方重新导出。`, `missing ${partName(kind, 1)}`);
    const list: unknown[] = [];
    for (let p = 1, n = map.size; p <= n; p++) {
      const data = map.get(p);
      const name = partName(kind, p);
      if (!data) return fail('bundle.entry_missing', `批注包缺少「${name}」，不是完整的批注包。请让对方重新导出。`, `missing part ${name}`);
      map.delete(p);
      const j = parsePart(data, name);
      if (!j.ok) return j;
      if (!Array.isArray(j.value)) return fail('bundle.invalid_record', `批注包中的 ${name} 格式不正确（应为记录列表），已拒绝导入。`, `${name} is not an array`);
      if (list.length + j.value.length > LIMITS[kind]) {
        return fail('bundle.too_large', `批注包中的${RECORD_LABEL[kind]}超过 ${LIMITS[kind]} 条上限，已拒绝导入。`, `${kind} > ${LIMITS[kind]}`);
      }
      for (const r of j.value) list.push(r);
      (partLengths[kind] ??= []).push(j.value.length);
    }
    records[kind] = list;
  }

  // Older format versions are lifted here, before the strict schema.
  let raw: RawBundle = { manifest: m, records, periods: snapshotLists.periods, snapshots: snapshotLists.snapshots, ...roundLists };
  let migrated = false;
  if (version >= 2) {
    for (const kind of ['periods', 'snapshots'] as const) {
      if (!snapshotLists[kind]) {
        return fail('bundle.entry_missing', `批注包缺少「${SNAPSHOT_FILES[kind]}」，不是完整的批注包。请让对方重新导出。`, `missing ${SNAPSHOT_FILES[kind]}`);
      }
    }
  }
  if (version >= 4) {
    for (const kind of ROUND_LIST_KINDS) {
      if (!roundLists[kind]) return fail('bundle.entry_missing', `批注包缺少「${ROUND_FILES[kind]}」，不是完整的批注包。请让对方重新导出。`, `missing ${ROUND_FILES[kind]}`);
    }
  }
  if (version < FORMAT_VERSION) {
    const lifted = migrateRaw(raw, version, ctx.migrations ?? MIGRATIONS);
    if (!lifted.ok) return lifted;
    raw = lifted.value;
    migrated = true;
  }
  /** Where record `i` of a list came from: its part file and position there (as written). */
  const locate = (kind: RecordKind, i: number): [string, number] => {
    if (migrated) return [partName(kind, 1), i];
    let part = 1;
    let rest = i;
    for (const n of partLengths[kind]) {
      if (rest < n) break;
      rest -= n;
      part++;
    }
    return [partName(kind, part), rest];
  };

  // 5. Schema.
  const manifestR = checkRecord(manifestSchema, raw.manifest, MANIFEST_NAME, null);
  if (!manifestR.ok) {
    if (manifestR.error.code === 'bundle.invalid_record') {
      return fail('bundle.invalid_manifest', manifestR.error.message.replace('批注包中manifest.json', '批注包的清单文件（manifest.json）中'), manifestR.error.detail);
    }
    return manifestR;
  }
  const manifest = manifestR.value as Manifest;
  const checked = {} as { units: Unit[]; annotations: Annotation[]; revisions: Revision[]; logEntries: LogEntry[]; evidence: Evidence[] };
  for (const kind of RECORD_KINDS) {
    const schema = RECORD_SCHEMAS[kind];
    const fast = FAST_CHECKS[kind];
    const list = raw.records[kind];
    const out: unknown[] = new Array(list.length);
    const surely = migrated ? undefined : done.surelyValid;
    for (let i = 0; i < list.length; i++) {
      // A record the hand-written check calls surely valid skips zod; any other goes through zod.
      if (surely?.has(list[i]) || fast?.(list[i])) {
        out[i] = list[i];
        continue;
      }
      const r = checkInPlace(schema, list[i], ...locate(kind, i));
      if (!r.ok) return r;
      out[i] = r.value;
    }
    (checked as Record<RecordKind, unknown[]>)[kind] = out;
  }
  const { units, annotations, revisions, logEntries, evidence } = checked;

  // 6. Corpus.
  if (manifest.corpusHash !== ctx.corpusHash) {
    return fail(
      'bundle.corpus_mismatch',
      '批注包对应的试点方案版本与本软件不一致，无法导入。请确认双方使用的是同一版本的软件和试点方案。',
      `bundle corpus ${manifest.corpusHash} ≠ ${ctx.corpusHash}`,
    );
  }

  // 7. Task ids.
  for (const kind of ['annotations', 'revisions', 'logEntries', 'evidence'] as const) {
    for (const r of checked[kind]) {
      if (!ctx.taskIds.has(r.taskId)) {
        return fail('bundle.unknown_task', `批注包中的${RECORD_LABEL[kind]}引用了试点方案中不存在的任务编号「${r.taskId}」，已拒绝导入。`, `${kind}: ${r.taskId}`);
      }
    }
  }

  // 8. Duplicates.
  const dup = (kind: RecordKind, label: string, ids: Iterable<string>): Result<never> | null => {
    const seen = new Set<string>();
    for (const x of ids) {
      if (seen.has(x)) return fail('bundle.duplicate_id', `批注包中有重复的${RECORD_LABEL[kind]}（${label}「${x}」），已拒绝导入。`, `${kind}: duplicate ${x}`);
      seen.add(x);
    }
    return null;
  };
  const d =
    dup('units', '单位代码', units.map((u) => u.code)) ??
    dup('annotations', '任务与单位', annotations.map((a) => a.key)) ??
    dup('revisions', '编号', revisions.map((r) => r.id)) ??
    dup('logEntries', '编号', logEntries.map((e) => e.id)) ??
    dup('evidence', '编号', evidence.map((e) => e.id));
  if (d) return d;

  // 9. References and counts.
  const unitCodes = new Set(units.map((u) => u.code));
  for (const kind of ['annotations', 'revisions', 'logEntries', 'evidence'] as const) {
    for (const r of checked[kind]) {
      if (!unitCodes.has(r.unitCode)) return broken(`${RECORD_LABEL[kind]}所属单位「${r.unitCode}」不在单位列表中`, `${kind}: unit ${r.unitCode}`);
    }
  }
  for (const c of manifest.unitCodes) if (!unitCodes.has(c)) return broken(`清单中的单位「${c}」不在单位列表中`, `manifest unit ${c}`);
  const revById = new Map(revisions.map((r) => [r.id, r]));
  const annByKey = new Map(annotations.map((a) => [a.key, a]));
  for (const a of annotations) {
    const head = revById.get(a.head);
    if (!head || head.key !== a.key) return broken(`批注（${a.taskId}，${a.unitCode}）缺少当前修订`, `${a.key}: head ${a.head} missing`);
    for (const f of FIELD_NAMES) {
      if (!sameValue(a[f], head.fields[f])) return broken(`批注（${a.taskId}，${a.unitCode}）与其当前修订的「${f}」不一致`, `${a.key}: field ${f} ≠ head`);
    }
  }
  for (const r of revisions) {
    if (!annByKey.has(r.key)) return broken(`修订记录（${r.taskId}，${r.unitCode}）没有对应的批注`, `revision ${r.id}: no annotation ${r.key}`);
    for (const p of [...r.parents, ...(r.restoredFrom ? [r.restoredFrom] : [])]) {
      const parent = revById.get(p);
      if (!parent || parent.key !== r.key) return broken(`修订记录（${r.taskId}，${r.unitCode}）的上一版本缺失`, `revision ${r.id}: parent ${p} missing`);
    }
  }
  const cycle = findCycle(revisions, revById);
  if (cycle) return broken('修订历史存在循环', `cycle at ${cycle}`);
  const counts = manifest.counts;
  const actual = { annotations: annotations.length, revisions: revisions.length, logEntries: logEntries.length, evidence: evidence.length, attachments: attachments.size };
  for (const [k, n] of Object.entries(actual)) {
    if (counts[k as keyof typeof actual] !== n) return broken(`清单记录的数量与内容不符（${k}）`, `counts.${k} ${counts[k as keyof typeof actual]} ≠ ${n}`);
  }

  // 10. Attachments.
  const referenced = new Set<string>();
  for (const e of evidence) {
    if (e.attachmentHash === null) continue;
    const file = attachments.get(e.attachmentHash);
    if (!file) {
      if (e.deleted) continue; // a deleted piece of evidence need not carry its file
      return broken(`佐证材料「${e.title}」的附件缺失`, `evidence ${e.id}: attachment ${e.attachmentHash} missing`);
    }
    if (e.size !== file.length) return broken(`佐证材料「${e.title}」的附件大小与记录不符`, `evidence ${e.id}: size ${e.size} ≠ ${file.length}`);
    // A declared type the bytes contradict (a 「.pdf」 that is a web page, a PNG that is SVG) is a
    // disguise: types are decided by content.
    const disguise = declaredTypeContradiction(e.fileName, e.mime, file);
    if (disguise) {
      return fail('bundle.disguised_attachment', `批注包中佐证材料「${e.title}」的附件「${e.fileName}」${disguise}，已拒绝导入。请让对方确认文件后重新导出。`, `evidence ${e.id}: declared type contradicted by content`);
    }
    referenced.add(e.attachmentHash);
  }
  for (const h of attachments.keys()) if (!referenced.has(h)) return broken('含有未被任何佐证材料引用的附件', `attachment ${h} unreferenced`);

  // 11. Periods and snapshots.
  const snap = checkSnapshotRecords(raw.periods ?? [], raw.snapshots ?? [], ctx);
  if (!snap.ok) return snap;
  const { periods, snapshots } = snap.value;
  if ((counts.periods ?? 0) !== periods.length || (counts.snapshots ?? 0) !== snapshots.length) {
    return broken('清单记录的数量与内容不符（snapshots）', `counts.snapshots ${counts.snapshots} ≠ ${snapshots.length} or periods`);
  }

  // 12. Rounds, submissions, reviews.
  const roundR = checkRoundRecords(
    { rounds: raw.rounds ?? [], submissions: raw.submissions ?? [], reviews: raw.reviews ?? [] },
    { kind: manifest.kind ?? 'bundle', role: manifest.role ?? 'official', ...(manifest.round ? { round: manifest.round } : {}), author: manifest.author, createdAt: manifest.createdAt },
    { taskIds: ctx.taskIds, workUnits: manifest.unitCodes },
  );
  if (!roundR.ok) return roundR;
  const { rounds, submissions, reviews } = roundR.value;
  if ((counts.rounds ?? 0) !== rounds.length || (counts.submissions ?? 0) !== submissions.length || (counts.reviews ?? 0) !== reviews.length) {
    return broken('清单记录的数量与内容不符（rounds）', `counts.rounds/submissions/reviews ≠ content`);
  }

  // 13. Report drafts (a backup's; both files or neither).
  const drafts = checkDraftRecords(draftLists.reportDrafts ?? [], draftLists.reportDraftRevisions ?? []);
  if (!drafts.ok) return drafts;
  if ((draftLists.reportDrafts === undefined) !== (draftLists.reportDraftRevisions === undefined)) {
    return broken('报告草稿的文件不完整', 'one of report-drafts.json / report-draft-revisions.json missing');
  }
  const { drafts: reportDrafts, revisions: reportDraftRevisions } = drafts.value;
  if ((counts.reportDrafts ?? 0) !== reportDrafts.length || (counts.reportDraftRevisions ?? 0) !== reportDraftRevisions.length) {
    return broken('清单记录的数量与内容不符（report drafts）', `counts.reportDrafts ${counts.reportDrafts} ≠ ${reportDrafts.length} or revisions`);
  }

  return ok({ manifest, units, annotations, revisions, logEntries, evidence, attachments, periods, snapshots, rounds, submissions, reviews, reportDrafts, reportDraftRevisions });
}

/** Id of a revision on a cycle of parent links, or null (iterative DFS, colours). */
function findCycle(revisions: readonly Revision[], byId: ReadonlyMap<string, Revision>): string | null {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  for (const start of revisions) {
    if (state.has(start.id)) continue;
    const stack: { id: string; i: number }[] = [{ id: start.id, i: 0 }];
    state.set(start.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const parents = byId.get(top.id)?.parents ?? [];
      if (top.i < parents.length) {
        const p = parents[top.i++]!;
        const s = state.get(p);
        if (s === 1) return p;
        if (s === undefined && byId.has(p)) {
          state.set(p, 1);
          stack.push({ id: p, i: 0 });
        }
      } else {
        state.set(top.id, 2);
        stack.pop();
      }
    }
  }
  return null;
}
