/**
 * Automatic backups: none for an empty database, one soon after the first change, then at most one
 * per interval while there are changes, one when the page is hidden with changes not yet backed up,
 * and, in a new session, one at start if the data changed since the last backup.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readdirSync } from 'node:fs';
import { renderHook, waitFor } from '@testing-library/react';
import { createFakeMain, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { emptyFields, type Author } from '../../src-main/shared/domain';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { saveAnnotation } from '../../src-renderer/src/db/repo';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const { useBackupScheduler } = await import('../../src-renderer/src/features/backups/useBackupScheduler');
const svc = await import('../../src-renderer/src/features/backups/backupService');

let corpus: Corpus;
let db: PilotDb;
let main: FakeMain;
const me: Author = { name: '张三', unitCode: '320102' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = () => readdirSync(main.dir).filter((n) => n.endsWith('.pilotbundle')).length;
let n = 0;
const edit = () => saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track', results: `第 ${++n} 次修改` }, me);

beforeAll(() => {
  corpus = testCorpus();
});
beforeEach(async () => {
  main = createFakeMain();
  Object.defineProperty(main.clock, 'now', { get: () => new Date() }); // main's real clock
  ipc.invoke = (channel, ...args) => main.invoke(channel as never, ...args);
  svc.resetBackupSession();
  db = createDb(`sched-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => {
  db.close();
  main.dispose();
});

describe('useBackupScheduler', { timeout: 30_000 }, () => {
  it('backs up after changes, at most once per interval, and not an empty or unchanged database', async () => {
    // The interval is long next to the 300 ms checks so a busy machine cannot make it pass early.
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 2500, checkEveryMs: 20, hideGapMs: 60_000 }));
    await sleep(150);
    expect(count()).toBe(0); // empty database: nothing to back up

    await edit();
    await waitFor(() => expect(count()).toBe(1), { timeout: 3000 });
    await edit();
    await sleep(300);
    expect(count()).toBe(1); // changed, but the interval has not passed
    await waitFor(() => expect(count()).toBe(2), { timeout: 8000 });

    await sleep(3000);
    expect(count()).toBe(2); // interval passed, but nothing changed
    hook.unmount();
  });

  it('backs up when the page is hidden with changes not yet backed up', async () => {
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 60_000, checkEveryMs: 20, hideGapMs: 100 }));
    await edit();
    await waitFor(() => expect(count()).toBe(1), { timeout: 3000 }); // the first backup ever is due at once
    await sleep(150);
    window.dispatchEvent(new Event('pagehide'));
    await sleep(200);
    expect(count()).toBe(1); // hidden, but nothing new to back up
    await edit();
    await sleep(100);
    expect(count()).toBe(1); // within the 60 s interval
    window.dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(count()).toBe(2), { timeout: 3000 });
    hook.unmount();
  });

  it('in a new session, backs up at start if the data changed since the last backup', async () => {
    expect((await edit()).ok).toBe(true);
    expect((await svc.makeBackup(db, corpus, me)).ok).toBe(true);
    await edit(); // changed after the backup, e.g. just before the app was closed
    svc.resetBackupSession();
    await sleep(60);
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 50, checkEveryMs: 10_000 }));
    await waitFor(() => expect(count()).toBe(2), { timeout: 3000 });
    expect(await svc.changedSinceLastBackup(db)).toBe(false);
    hook.unmount();
  });

  it('with a start delay, leaves the database alone while the first screen loads, then backs up what is due', async () => {
    expect((await edit()).ok).toBe(true); // never backed up: due at start
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 60_000, checkEveryMs: 60_000, startDelayMs: 600 }));
    await sleep(300);
    expect(count()).toBe(0); // not during the start-up delay
    await waitFor(() => expect(count()).toBe(1), { timeout: 5000 });
    hook.unmount();
  });
});
