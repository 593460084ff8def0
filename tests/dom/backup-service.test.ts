/**
 * Backups through the real database module and the real main-side backup folder (a temp dir; only
 * the IPC transport is replaced): rotation keeps exactly the promised set over weeks of backups;
 * a corrupted newest backup is detected, removed, and never pushes a good one out; restore → undo
 * restore gives back exactly the previous data; a restore from a damaged backup writes nothing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeMain, damage, dataSnapshot, fullSnapshot, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { KEEP_DAYS, KEEP_TODAY, backupName } from '../../src-main/shared/backup/rotation';
import { beijingDayNumber } from '../../src-main/shared/time';

/** An instant given as a Beijing wall-clock time (UTC+8), so the days do not depend on the machine's zone. */
const beijing = (y: number, month: number, d: number, h: number) => new Date(Date.UTC(y, month, d, h - 8));
import { emptyFields, type Author } from '../../src-main/shared/domain';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { addEvidence, addLogEntry, deleteLogEntry, saveAnnotation, saveProfile } from '../../src-renderer/src/db/repo';
import { applyImport, previewImport, undoImport } from '../../src-renderer/src/features/bundles/bundleService';
import { docFromText } from '../../src-main/shared/richtext';
import { freezeNow, savePeriod } from '../../src-renderer/src/features/periods/periodService';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const svc = await import('../../src-renderer/src/features/backups/backupService');

let corpus: Corpus;
let db: PilotDb;
let main: FakeMain;
const me: Author = { name: '王督办', unitCode: 'SJBM' };

beforeAll(() => {
  corpus = testCorpus();
});
beforeEach(async () => {
  main = createFakeMain(beijing(2025, 5, 30, 9));
  ipc.invoke = (channel, ...args) => main.invoke(channel as never, ...args);
  svc.resetBackupSession();
  db = createDb(`backup-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => {
  db.close();
  main.dispose();
});

const files = () => readdirSync(main.dir).filter((n) => n.endsWith('.pilotbundle')).sort();

async function importDemo(units: number, seed: number) {
  const read = readBundle(writeBundle(makeDemoData({ units, seed, corpus })), { corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });
  if (!read.ok) throw new Error(read.error.message);
  const r = await applyImport(db, await previewImport(db, read.value), {}, { author: me, fileName: `demo-${seed}.pilotbundle` });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.importId;
}

async function backup(at: Date) {
  main.clock.now = at;
  const r = await svc.makeBackup(db, corpus, me, { appVersion: '0.1.0-test' });
  return r;
}

describe('making backups', { timeout: 30_000 }, () => {
  it('writes a verified bundle of the whole database and records it', async () => {
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track', results: '完成 3 项' }, me);
    const r = await backup(beijing(2025, 5, 30, 9));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(files()).toEqual([r.value.backup.name]);
    const l = await svc.listBackups(db);
    expect(l.ok && l.value.map((b) => [b.name, b.status])).toEqual([[r.value.backup.name, 'valid']]);
    expect(await svc.changedSinceLastBackup(db)).toBe(false);
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'done', results: '完成 4 项' }, me);
    expect(await svc.changedSinceLastBackup(db)).toBe(true);
  });

  it('rotation keeps exactly the promised set over five weeks of backups, corrupted ones mixed in', async () => {
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track' }, me);
    const made: { name: string; at: Date }[] = [];
    const corrupted: string[] = [];
    // 36 days: 3 backups a day (09:00, 13:00, 17:00) and 8 on the last day.
    for (let d = 35; d >= 0; d--) {
      const hours = d === 0 ? [8, 9, 10, 11, 12, 13, 14, 15] : [9, 13, 17];
      for (const h of hours) {
        const at = beijing(2025, 5, 30 - d, h);
        // Corrupt the evening backup every fourth day, and today's newest.
        const corrupt = (d % 4 === 1 && h === 17) || (d === 0 && h === 15);
        main.afterWrite = corrupt ? damage : null;
        const r = await backup(at);
        expect(r.ok).toBe(!corrupt);
        if (corrupt) corrupted.push(backupName(at));
        else made.push({ name: backupName(at), at });
      }
    }
    main.afterWrite = null;
    const now = beijing(2025, 5, 30, 15);
    const today = beijingDayNumber(now);
    const promised = new Set<string>();
    const good = [...made].sort((a, b) => b.at.getTime() - a.at.getTime());
    for (const g of good.filter((b) => beijingDayNumber(b.at) === today).slice(0, KEEP_TODAY)) promised.add(g.name);
    for (let age = 1; age <= KEEP_DAYS; age++) {
      const newest = good.find((b) => today - beijingDayNumber(b.at) === age);
      if (newest) promised.add(newest.name);
    }
    expect(files()).toEqual([...promised].sort());
    expect(files()).toHaveLength(KEEP_TODAY + KEEP_DAYS);
    for (const c of corrupted) expect(files()).not.toContain(c);
    // On a day whose evening backup was corrupted, the afternoon one represents it.
    const day5 = beijing(2025, 5, 25, 13);
    expect(files()).toContain(backupName(day5));
  });

  it('a corrupted newest backup is detected and removed, and no good backup is rotated out for it', async () => {
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track' }, me);
    expect((await backup(beijing(2025, 5, 29, 17))).ok).toBe(true); // yesterday
    for (const h of [9, 10, 11, 12, 13]) expect((await backup(beijing(2025, 5, 30, h))).ok).toBe(true); // 5 today
    const before = files();
    expect(before).toHaveLength(6);

    main.afterWrite = damage;
    const r = await backup(beijing(2025, 5, 30, 14));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('backup.verify_failed');
      expect(r.error.message).toMatch(/校验未通过.*已删除这份备份.*之前的备份没有任何改动/);
    }
    // The damaged one is gone; all good ones are still here (rotation did not run for it).
    expect(files()).toEqual(before);

    // The next good backup rotates normally: today's oldest goes, yesterday's stays.
    main.afterWrite = null;
    const next = await backup(beijing(2025, 5, 30, 15));
    expect(next.ok && next.value.removed).toEqual([backupName(beijing(2025, 5, 30, 9))]);
    expect(files()).toContain(backupName(beijing(2025, 5, 29, 17)));
  });

  it('a backup that rots after writing is caught before it displaces the other good backups of its day', async () => {
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track' }, me);
    for (const h of [9, 13, 17]) expect((await backup(beijing(2025, 5, 29, h))).ok).toBe(true);
    // Yesterday's newest rots on disk; a new session starts (only the "verified when written" record is left).
    damage(join(main.dir, backupName(beijing(2025, 5, 29, 17))));
    svc.resetBackupSession();
    const r = await backup(beijing(2025, 5, 30, 9));
    expect(r.ok).toBe(true);
    // The rotten one was re-checked and dropped; 13:00 represents yesterday instead.
    expect(files()).toEqual([backupName(beijing(2025, 5, 29, 13)), backupName(beijing(2025, 5, 30, 9))].sort());
  });

  it('an empty database can be backed up (the restore point of "nothing yet")', async () => {
    const r = await backup(beijing(2025, 5, 30, 9));
    expect(r.ok).toBe(true);
  });
});

describe('restoring', { timeout: 30_000 }, () => {
  it('restore → undo restore gives back exactly the previous data, files and all', async () => {
    await saveProfile(db, { name: '王督办', unitCode: 'SJBM', language: 'zh-CN', role: 'supervisor' });
    // State A, backed up: local work and an imported bundle with files.
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'delayed', problems: '本机的问题' }, me);
    const importId = await importDemo(1, 3);
    const a = await dataSnapshot(db);
    const filesOfA = await db.attachments.count();
    expect(filesOfA).toBeGreaterThan(0);
    const b1 = await backup(beijing(2025, 5, 29, 17));
    if (!b1.ok) throw new Error(b1.error.message);

    // State B: the import undone (its files gone), then more work: new evidence with its own file,
    // edits, a new and a deleted note.
    expect((await undoImport(db, importId!, me)).ok).toBe(true);
    expect(await db.attachments.count()).toBe(0);
    const ev = await addEvidence(
      db,
      { taskId: 'T1-03', unitCode: '320102', title: '专区设立通知', kind: 'policy', docNumber: '宁政发〔2025〕1号', date: '2025-06-01' },
      { name: '通知.pdf', bytes: new TextEncoder().encode('%PDF-1.4 只在 B 里的文件') },
      me,
    );
    if (!ev.ok) throw new Error('evidence');
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'done', problems: '已解决' }, me);
    await saveAnnotation(db, 'T2-01', '320102', { ...emptyFields(), status: 'on_track', results: '新批注' }, me);
    await addLogEntry(db, { taskId: 'T1-02', unitCode: '320102', date: '2025-06-29', body: docFromText('座谈会') }, me);
    const log = await addLogEntry(db, { taskId: 'T1-02', unitCode: '320102', date: '2025-06-30', body: docFromText('召开推进会') }, me);
    if (!log.ok) throw new Error('log');
    await deleteLogEntry(db, log.value.id, me);
    const s0 = await fullSnapshot(db);
    expect(await dataSnapshot(db)).not.toEqual(a);

    // Restore A.
    main.clock.now = beijing(2025, 5, 30, 10);
    const restored = await svc.restoreBackup(db, corpus, b1.value.backup.name, me, { appVersion: '0.1.0-test' });
    expect(restored.ok).toBe(true);
    if (!restored.ok) return;
    expect(await dataSnapshot(db)).toEqual(a);
    expect((await db.profile.toArray())[0]?.name).toBe('王督办'); // profile untouched
    const last = await svc.lastRestore(db);
    expect(last).toMatchObject({ from: b1.value.backup.name, safety: restored.value.safety });
    expect(restored.value.safety).toMatch(/-restore\.pilotbundle$/);
    expect(files()).toContain(restored.value.safety);
    // Every live file of A is back, with its bytes; B's own file is still here too.
    expect(await db.attachments.count()).toBe(filesOfA + 1);
    expect((await svc.lastRestore(db))?.addedAttachments).toHaveLength(filesOfA);
    for (const e of a.evidence as { attachmentHash: string | null; deleted: boolean }[]) {
      if (e.attachmentHash && !e.deleted) expect(await db.attachments.get(e.attachmentHash)).toBeTruthy();
    }

    // Undo: exactly B again — every row of every table, files with their bytes and metadata.
    main.clock.now = new Date(beijing(2025, 5, 30, 10).getTime() + 5 * 60_000);
    const undone = await svc.undoRestore(db, corpus, me, { appVersion: '0.1.0-test' });
    expect(undone.ok).toBe(true);
    expect(await fullSnapshot(db)).toEqual(s0);
    expect((await svc.lastRestore(db))?.undoOf).toBe(b1.value.backup.name);
    // An undo is not undone again through the same button.
    const twice = await svc.undoRestore(db, corpus, me);
    expect(!twice.ok && twice.error.code).toBe('backup.already_undone');
  });

  it('restoring into an empty database can be undone back to empty', async () => {
    await importDemo(1, 5);
    const b1 = await backup(beijing(2025, 5, 29, 17));
    if (!b1.ok) throw new Error(b1.error.message);
    const other = createDb(`backup-empty-${crypto.randomUUID()}`);
    await openDatabase(other, { persist: false });
    const empty = await fullSnapshot(other);
    main.clock.now = beijing(2025, 5, 30, 10);
    expect((await svc.restoreBackup(other, corpus, b1.value.backup.name, me)).ok).toBe(true);
    expect(await other.annotations.count()).toBeGreaterThan(0);
    expect((await svc.undoRestore(other, corpus, me)).ok).toBe(true);
    expect(await fullSnapshot(other)).toEqual(empty);
    other.close();
  });

  it('backups carry periods and snapshots, and a restore brings them back unchanged', async () => {
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track' }, me);
    const period = await savePeriod(db, { name: '2024年度', kind: 'annual', start: '2024-01-01', end: '2024-12-31' });
    if (!period.ok) throw new Error(period.error.message);
    const snap = await freezeNow(db, period.value.id, me, corpus.hash);
    if (!snap.ok) throw new Error(snap.error.message);
    const b1 = await backup(beijing(2025, 5, 29, 17));
    if (!b1.ok) throw new Error(b1.error.message);
    const other = createDb(`backup-snap-${crypto.randomUUID()}`);
    await openDatabase(other, { persist: false });
    main.clock.now = beijing(2025, 5, 30, 10);
    expect((await svc.restoreBackup(other, corpus, b1.value.backup.name, me)).ok).toBe(true);
    expect(await other.snapshots.toArray()).toEqual([snap.value]);
    expect(await other.periods.toArray()).toEqual([period.value]);
    other.close();
  });

  it('a restore from a damaged backup writes nothing, not even a restore point', async () => {
    await importDemo(1, 9);
    const b1 = await backup(beijing(2025, 5, 29, 17));
    if (!b1.ok) throw new Error(b1.error.message);
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'done' }, me);
    damage(join(main.dir, b1.value.backup.name));
    svc.resetBackupSession();
    const before = await fullSnapshot(db, { skipMeta: false });
    const folder = files();
    main.calls.length = 0;

    main.clock.now = beijing(2025, 5, 30, 10);
    const r = await svc.restoreBackup(db, corpus, b1.value.backup.name, me);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('backup.invalid');
      expect(r.error.message).toMatch(/所选备份已损坏.*本机数据没有任何改动/);
    }
    expect(await fullSnapshot(db)).toEqual(before);
    expect(files()).toEqual(folder);
    expect(await svc.lastRestore(db)).toBeNull();
    expect(main.calls).not.toContain('backup:write');
    // The screen now shows it as damaged.
    const l = await svc.listBackups(db);
    expect(l.ok && l.value.find((b) => b.name === b1.value.backup.name)?.status).toBe('invalid');
  });

  it('refuses names that are not backups', async () => {
    const r = await svc.restoreBackup(db, corpus, '../../secret.pilotbundle', me);
    expect(!r.ok && r.error.code).toBe('backup.bad_name');
    expect(existsSync(main.dir)).toBe(true);
  });
});
