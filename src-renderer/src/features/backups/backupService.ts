/**
 * Backups in the renderer: each backup is a bundle of the whole database (scope `all`), stored by
 * main in <userData>/backups, read back and verified in the bundle worker right after writing,
 * and rotated (src-main/shared/backup/rotation.ts) only once the new one is known good. A restore
 * verifies the chosen backup first, then saves the current state as a restore point, then
 * replaces the data in one transaction — so every restore can be undone.
 *
 * Validity of backups (what rotation needs):
 *  - every backup this app writes is verified right after writing (read back byte for byte, then
 *    the full bundle check); a bad one is removed at once, and a good one is recorded in `meta`
 *    (`backups.verified`: name → size). Such a backup counts as valid without reading it again;
 *  - a backup with no such record (copied in by hand, or left by a session that stopped between
 *    writing and verifying) is verified once per session; the verdict is cached by name + size;
 *  - before a backup displaces another valid one of the same day (the day rolled over, or today
 *    has more than 5), the one that stays is re-verified once per session, so bit rot after
 *    writing cannot make rotation drop the good copy;
 *  - "invalid" means damaged. A backup that is intact but made for another plan (corpus) or by a
 *    newer app is "incompatible": it cannot be restored here but rotation treats it as intact, so
 *    an app update never deletes old backups as if they were broken.
 * Restore never trusts a record: it always verifies the backup it reads.
 */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { Author } from '../../../../src-main/shared/domain';
import type { BackupInfo } from '../../../../src-main/shared/ipc-contract';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import { KEEP_DAYS, parseBackupName, planRotation, type BackupKind, type RotationItem } from '../../../../src-main/shared/backup/rotation';
import { beijingDayNumber } from '../../../../src-main/shared/time';
import { fail, ok, type AppError, type Result } from '../../../../src-main/shared/result';
import { invoke } from '../../api/client';
import type { Table } from 'dexie';
import { REPLACED_ON_RESTORE, tablesOf, type AttachmentRecord, type PilotDb } from '../../db/db';
import { mutate, settlePendingEdits } from '../../db/mutate';
import { verifyBundle } from '../bundles/verifyClient';
import { backupStorageFailure, dataSignature } from './backupBuild';
import { openBackupWorker, type BackupWorker } from './backupClient';

export { dataSignature };

// ---------------------------------------------------------------------------------------------
// Types and meta keys

export type BackupStatus = 'valid' | 'invalid' | 'incompatible' | 'unverified';

export interface BackupEntry extends BackupInfo {
  status: BackupStatus;
  /** Why it is invalid or incompatible. */
  problem?: string;
}

/** The last restore, kept in `meta` so the UI can offer 撤销恢复 (also after a reload). */
export interface LastRestore {
  /** The backup restored from. */
  from: string;
  /** The restore point: the state just before the restore. Restoring it undoes the restore. */
  safety: string;
  at: string;
  by: Author;
  /** Files the restore added that were not here before (an undo removes them again). */
  addedAttachments: string[];
  /** Set when this restore was the undo of the restore from that backup. */
  undoOf?: string;
}

/** What the last successful backup covered, for change detection across sessions. */
export interface LastBackup {
  name: string;
  at: string;
  signature: string;
}

export const META_LAST_RESTORE = 'backups.lastRestore';
export const META_LAST_BACKUP = 'backups.last';
export const META_VERIFIED = 'backups.verified';

export type BackupStep = 'export' | 'write' | 'verify' | 'rotate';

export interface BackupOptions {
  kind?: BackupKind;
  /** Rotate after a good backup (default true; restore points skip it). */
  rotate?: boolean;
  /** App version for the manifest (default: asked from main). */
  appVersion?: string;
  onProgress?: (step: BackupStep) => void;
}

export interface BackupOutcome {
  backup: BackupInfo;
  /** Backups rotation removed. */
  removed: string[];
}

export interface RestoreOutcome {
  from: string;
  safety: string;
  counts: { annotations: number; revisions: number; logEntries: number; evidence: number; attachments: number };
}

// ---------------------------------------------------------------------------------------------
// Session state: verdicts, and one backup or restore at a time

type Verdict = { status: Exclude<BackupStatus, 'unverified'>; problem?: string };
const verdicts = new Map<string, Verdict>();
const vkey = (name: string, size: number) => `${name}:${size}`;

let chain: Promise<unknown> = Promise.resolve();
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = chain.then(fn, fn);
  chain = run.catch(() => undefined);
  return run;
}

/** Forgets this session's verdicts (tests; a new session starts empty anyway). */
export function resetBackupSession(): void {
  verdicts.clear();
}

/** Errors that mean "intact, but not for this app/plan" rather than "damaged". */
const INCOMPATIBLE = new Set(['bundle.corpus_mismatch', 'bundle.unknown_task', 'bundle.future_version', 'bundle.unsupported_version']);

function toVerdict(r: Result<unknown>): Verdict {
  if (r.ok) return { status: 'valid' };
  return { status: INCOMPATIBLE.has(r.error.code) ? 'incompatible' : 'invalid', problem: r.error.message };
}

async function appVersion(given?: string): Promise<string> {
  if (given) return given;
  const info = await invoke('app:info');
  return info.ok && /^[0-9A-Za-z.+-]+$/.test(info.value.version) ? info.value.version : 'unknown';
}

const metaValue = async <T>(db: PilotDb, key: string): Promise<T | undefined> => (await db.meta.get(key))?.value as T | undefined;

// ---------------------------------------------------------------------------------------------
// Change detection (the fingerprint itself, dataSignature, is in backupBuild.ts)

/** Whether there is data a backup would hold (an empty database is not backed up automatically). */
export async function hasData(db: PilotDb): Promise<boolean> {
  const [a, l, e] = await Promise.all([db.annotations.count(), db.logEntries.count(), db.evidence.count()]);
  return a + l + e > 0;
}

/** Whether the data changed since the last backup (by fingerprint; a never-backed-up, non-empty database counts as changed). */
export async function changedSinceLastBackup(db: PilotDb): Promise<boolean> {
  const last = await metaValue<LastBackup>(db, META_LAST_BACKUP);
  if (!last) return hasData(db);
  return (await dataSignature(db)) !== last.signature;
}

// ---------------------------------------------------------------------------------------------
// Making a backup

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads a backup and verifies it (the full bundle check, in the worker). Caches the verdict. */
async function readAndVerify(name: string, corpus: Corpus): Promise<{ read: Result<unknown>; content: Result<BundleContent> | null; size: number }> {
  const read = await invoke('backup:read', { name });
  if (!read.ok) return { read, content: null, size: -1 };
  const size = read.value.size;
  const content = await verifyBundle(read.value.bytes, corpus);
  verdicts.set(vkey(name, size), toVerdict(content));
  return { read, content, size };
}

async function makeBackupUnlocked(db: PilotDb, corpus: Corpus, author: Author, options: BackupOptions): Promise<Result<BackupOutcome>> {
  // Reading, zipping and the check of what was written run in the backup worker: the page only
  // passes the bytes between it and main, and keeps typing meanwhile.
  const worker = openBackupWorker();
  try {
    return await makeBackupWith(worker, db, corpus, author, options);
  } finally {
    worker.close();
  }
}

async function makeBackupWith(worker: BackupWorker, db: PilotDb, corpus: Corpus, author: Author, options: BackupOptions): Promise<Result<BackupOutcome>> {
  const progress = options.onProgress ?? (() => undefined);
  progress('export');
  const version = await appVersion(options.appVersion);
  const built = await worker.build(db, { author: { name: author.name, unitCode: author.unitCode }, appVersion: version, corpusHash: corpus.hash });
  if (!built.ok) return fail(built.error.code, built.error.message, built.error.detail);
  const { bytes, signature } = built.value;

  progress('write');
  const written = await invoke('backup:write', { bytes, kind: options.kind ?? 'auto' });
  if (!written.ok) return written;
  const info = written.value;

  // Read it back: the bytes on disk must be the bytes written, and a complete, valid bundle.
  progress('verify');
  const back = await invoke('backup:read', { name: info.name });
  let problem: AppError | null = back.ok ? null : back.error;
  if (back.ok && !sameBytes(back.value.bytes, bytes)) {
    problem = { code: 'backup.readback_mismatch', message: '读回的内容与写入的不一致' };
  }
  if (!problem && back.ok) {
    const verified = await worker.check(back.value.bytes, corpus);
    if (!verified.ok) problem = verified.error;
  }
  if (problem) {
    verdicts.set(vkey(info.name, info.size), { status: 'invalid', problem: problem.message });
    const removed = await invoke('backup:remove', { name: info.name });
    return fail(
      'backup.verify_failed',
      `新备份写入后校验未通过（${problem.message.replace(/[。.]$/, '')}），${removed.ok ? '已删除这份备份' : '这份备份无法删除，请勿使用'}；之前的备份没有任何改动。请检查磁盘空间和磁盘状况后重试。`,
      `${problem.code}: ${problem.detail ?? ''}`,
    );
  }
  verdicts.set(vkey(info.name, info.size), { status: 'valid' });
  const at = new Date().toISOString();
  try {
    await db.transaction('rw', db.meta, async () => {
      const record = (await metaValue<Record<string, number>>(db, META_VERIFIED)) ?? {};
      await db.meta.put({ key: META_VERIFIED, value: { ...record, [info.name]: info.size }, at });
      await db.meta.put({ key: META_LAST_BACKUP, value: { name: info.name, at: info.at, signature } satisfies LastBackup, at });
    });
  } catch {
    /* the backup is good; only the bookkeeping failed (it is rebuilt by verifying next time) */
  }

  let removed: string[] = [];
  if (options.rotate !== false) {
    progress('rotate');
    const r = await rotateUnlocked(db, corpus, parseBackupName(info.name)?.at ?? new Date());
    if (r.ok) removed = r.value;
  }
  return ok({ backup: info, removed });
}

/**
 * Makes a backup of the whole database now: build → write → read back and verify → (if good)
 * rotate. A backup that fails verification is removed and reported; older backups are untouched.
 */
export async function makeBackup(db: PilotDb, corpus: Corpus, author: Author, options: BackupOptions = {}): Promise<Result<BackupOutcome>> {
  // What was just typed belongs in the backup.
  await settlePendingEdits();
  return exclusive(() => makeBackupUnlocked(db, corpus, author, options));
}

// ---------------------------------------------------------------------------------------------
// Rotation

/** Names pinned by the last restore (its source and restore point) while it is within the retention window. */
async function pinnedNames(db: PilotDb, now: Date): Promise<string[]> {
  const last = await metaValue<LastRestore>(db, META_LAST_RESTORE);
  if (!last || now.getTime() - Date.parse(last.at) > KEEP_DAYS * 86_400_000) return [];
  return [last.from, last.safety];
}

async function rotateUnlocked(db: PilotDb, corpus: Corpus, now: Date): Promise<Result<string[]>> {
  const listed = await invoke('backup:list');
  if (!listed.ok) return listed;
  const record = (await metaValue<Record<string, number>>(db, META_VERIFIED)) ?? {};
  type Known = { info: BackupInfo; intact: boolean; sessionChecked: boolean };
  const known: Known[] = [];
  for (const info of listed.value) {
    const at = parseBackupName(info.name)?.at;
    if (!at) continue;
    let verdict = verdicts.get(vkey(info.name, info.size));
    let sessionChecked = verdict !== undefined;
    if (!verdict && record[info.name] !== info.size) {
      const r = await readAndVerify(info.name, corpus);
      if (!r.read.ok) continue; // unreadable right now (locked, I/O): leave it alone, decide next time
      verdict = verdicts.get(vkey(info.name, r.size));
      sessionChecked = true;
    }
    known.push({ info, intact: verdict ? verdict.status !== 'invalid' : true, sessionChecked });
  }

  const pinned = await pinnedNames(db, now);
  const byName = new Map(known.map((k) => [k.info.name, k]));
  const items = (): RotationItem[] => known.map((k) => ({ name: k.info.name, at: new Date(k.info.at), valid: k.intact }));
  let plan = planRotation(items(), now, { pinned });
  // A kept backup that displaces another intact one of its day must have been checked this session.
  for (;;) {
    const removedDays = new Set(plan.remove.map((n) => byName.get(n)!).filter((k) => k.intact).map((k) => beijingDayNumber(new Date(k.info.at))));
    const suspects = plan.keep.map((n) => byName.get(n)!).filter((k) => !k.sessionChecked && removedDays.has(beijingDayNumber(new Date(k.info.at))));
    if (suspects.length === 0) break;
    for (const k of suspects) {
      const r = await readAndVerify(k.info.name, corpus);
      k.sessionChecked = true;
      if (r.read.ok) k.intact = verdicts.get(vkey(k.info.name, r.size))?.status !== 'invalid';
      else return ok([]); // cannot check it now: remove nothing this time
    }
    plan = planRotation(items(), now, { pinned });
  }

  const removed: string[] = [];
  for (const name of plan.remove) {
    const r = await invoke('backup:remove', { name });
    if (r.ok) removed.push(name);
  }
  const left = new Set(listed.value.map((b) => b.name).filter((n) => !removed.includes(n)));
  const pruned = Object.fromEntries(Object.entries(record).filter(([n]) => left.has(n)));
  if (Object.keys(pruned).length !== Object.keys(record).length) {
    await db.meta.put({ key: META_VERIFIED, value: pruned, at: new Date().toISOString() }).catch(() => undefined);
  }
  return ok(removed);
}

// ---------------------------------------------------------------------------------------------
// Listing

/** Backups, newest first, with what is known about their validity (nothing is read to list them). */
export async function listBackups(db: PilotDb): Promise<Result<BackupEntry[]>> {
  const listed = await invoke('backup:list');
  if (!listed.ok) return listed;
  const record = (await metaValue<Record<string, number>>(db, META_VERIFIED)) ?? {};
  return ok(
    listed.value.map((b): BackupEntry => {
      const v = verdicts.get(vkey(b.name, b.size));
      if (v) return { ...b, status: v.status, ...(v.problem ? { problem: v.problem } : {}) };
      return { ...b, status: record[b.name] === b.size ? 'valid' : 'unverified' };
    }),
  );
}

/** Reads and verifies one backup now (the 校验 action); the verdict is cached for the session. */
export async function checkBackup(name: string, corpus: Corpus): Promise<Result<BackupStatus>> {
  const r = await readAndVerify(name, corpus);
  if (!r.read.ok) return r.read as Result<never>;
  return ok(verdicts.get(vkey(name, r.size))!.status);
}

export async function lastRestore(db: PilotDb): Promise<LastRestore | null> {
  return (await metaValue<LastRestore>(db, META_LAST_RESTORE)) ?? null;
}

export async function lastBackup(db: PilotDb): Promise<LastBackup | null> {
  return (await metaValue<LastBackup>(db, META_LAST_BACKUP)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Restore and undo

async function restoreUnlocked(
  db: PilotDb,
  corpus: Corpus,
  name: string,
  author: Author,
  options: { appVersion?: string; onProgress?: (step: BackupStep | 'restore') => void; undo?: LastRestore },
): Promise<Result<RestoreOutcome>> {
  // 1. The chosen backup must be complete and valid before anything else happens.
  options.onProgress?.('verify');
  const r = await readAndVerify(name, corpus);
  if (!r.read.ok) return fail(r.read.error.code, `无法读取所选备份：${r.read.error.message} 没有进行恢复，本机数据没有任何改动。`, r.read.error.detail);
  const content = r.content!;
  if (!content.ok) {
    const incompatible = INCOMPATIBLE.has(content.error.code);
    return fail(
      incompatible ? 'backup.incompatible' : 'backup.invalid',
      incompatible
        ? `所选备份与本软件或试点方案的版本不一致（${content.error.message.replace(/[。.]$/, '')}），无法恢复。本机数据没有任何改动。`
        : `所选备份已损坏，无法恢复（${content.error.message.replace(/[。.]$/, '')}）。本机数据没有任何改动，请选择其他备份。`,
      `${content.error.code}: ${content.error.detail ?? ''}`,
    );
  }
  const b = content.value;

  // 2. A restore point of the current state, so that this restore can be undone.
  const safety = await makeBackupUnlocked(db, corpus, author, {
    kind: 'restore',
    rotate: false,
    appVersion: options.appVersion,
    onProgress: options.onProgress,
  });
  if (!safety.ok) {
    return fail('backup.restore_point_failed', `恢复前无法保存当前数据（${safety.error.message.replace(/[。.]$/, '')}），因此没有进行恢复，本机数据没有任何改动。`, safety.error.detail);
  }

  // 3. Replace the data tables in ONE transaction. Files are content-addressed and never change:
  //    those already here stay as they are, the backup's missing ones are added (and listed, so an
  //    undo can take exactly those away again).
  options.onProgress?.('restore');
  const at = new Date().toISOString();
  const files: AttachmentRecord[] = [];
  for (const [hash, bytes] of b.attachments) {
    const ev = b.evidence.find((e) => e.attachmentHash === hash);
    const mime = ev?.mime ?? 'application/octet-stream';
    files.push({ hash, name: ev?.fileName ?? hash, mime, size: bytes.byteLength, blob: new Blob([bytes as BlobPart], { type: mime }), addedAt: at });
  }
  const record: LastRestore = { from: name, safety: safety.value.backup.name, at, by: { name: author.name, unitCode: author.unitCode }, addedAttachments: [] };
  if (options.undo) record.undoOf = options.undo.from;
  try {
    await db.transaction('rw', [...tablesOf(db, REPLACED_ON_RESTORE), db.attachments, db.meta], async () => {
      // Periods, snapshots and report drafts are part of the restored state too (a backup is a
      // whole bundle; one made before drafts existed restores as having none).
      await Promise.all(REPLACED_ON_RESTORE.map((t) => db[t].clear()));
      for (const t of REPLACED_ON_RESTORE) await (db[t] as Table<unknown>).bulkAdd(b[t] ?? []);
      const present = await db.attachments.bulkGet(files.map((f) => f.hash));
      const added = files.filter((_f, i) => !present[i]);
      await db.attachments.bulkAdd(added);
      record.addedAttachments = added.map((f) => f.hash);
      if (options.undo) {
        // Undo: the files the undone restore added go again, unless the data now refers to them.
        const used = new Set<string>([...b.attachments.keys(), ...b.evidence.map((e) => e.attachmentHash).filter((h): h is string => !!h)]);
        await db.attachments.bulkDelete(options.undo.addedAttachments.filter((h) => !used.has(h)));
      }
      await db.meta.put({ key: META_LAST_RESTORE, value: record, at });
    });
  } catch (e) {
    return backupStorageFailure(e, '恢复');
  }
  return ok({
    from: name,
    safety: record.safety,
    counts: {
      annotations: b.annotations.length,
      revisions: b.revisions.length,
      logEntries: b.logEntries.length,
      evidence: b.evidence.length,
      attachments: b.attachments.size,
    },
  });
}

/**
 * Restores backup `name`: verifies it first (a bad one changes nothing), saves the current state as
 * a restore point, then replaces units, annotations, revisions, log entries and evidence with the
 * backup's in one transaction (profile, settings and import history stay). The last restore is
 * recorded in `meta` (`backups.lastRestore`), which is what `undoRestore` uses.
 */
export function restoreBackup(
  db: PilotDb,
  corpus: Corpus,
  name: string,
  author: Author,
  options: { appVersion?: string; onProgress?: (step: BackupStep | 'restore') => void } = {},
): Promise<Result<RestoreOutcome>> {
  // Unsaved typing goes into the restore point, not lost; afterwards every view of the data reloads.
  return mutate('restore', () => exclusive(() => restoreUnlocked(db, corpus, name, author, options)), (r) => (r.ok ? { action: 'restored' as const } : null));
}

/**
 * Undoes the last restore: restores its restore point (itself saving a restore point first) and
 * takes away the files that restore added. Refused when the last restore was already an undo.
 */
export function undoRestore(
  db: PilotDb,
  corpus: Corpus,
  author: Author,
  options: { appVersion?: string; onProgress?: (step: BackupStep | 'restore') => void } = {},
): Promise<Result<RestoreOutcome>> {
  const undo = () =>
    exclusive(async () => {
      const last = await metaValue<LastRestore>(db, META_LAST_RESTORE);
      if (!last) return fail('backup.no_restore', '没有可以撤销的恢复。');
      if (last.undoOf) return fail('backup.already_undone', '上一次恢复已经撤销过了。');
      return restoreUnlocked(db, corpus, last.safety, author, { ...options, undo: last });
    });
  return mutate('restore', undo, (r) => (r.ok ? { action: 'undone' as const } : null));
}
