/**
 * Automatic backups: none for an empty database, one soon after the first change, then at most one
 * per interval while there are changes, one when the page is hidden with changes not yet backed up,
 * and, in a new session, one at start if the data changed since the last backup.
 *
 * Time is fake (timers and Date): each step moves the clock so that exactly one check runs, and
 * waits for that check to finish (`onChecked`), so a slow machine changes nothing. fake-indexeddb
 * and the fake main's files still run on real setImmediate and I/O, which stay unfaked.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readdirSync } from 'node:fs';
import { renderHook } from '@testing-library/react';
import { createFakeMain, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { emptyFields, type Author } from '../../src-main/shared/domain';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { saveAnnotation, saveProfile } from '../../src-renderer/src/db/writes';
import { emitDataChange } from '../../src-renderer/src/db/mutate';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const { useBackupScheduler } = await import('../../src-renderer/src/features/backups/useBackupScheduler');
const svc = await import('../../src-renderer/src/features/backups/backupService');

let corpus: Corpus;
let db: PilotDb;
let main: FakeMain;
const me: Author = { name: '张三', unitCode: '320102' };
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
  vi.useRealTimers();
  db.close();
  main.dispose();
});

type Outcome = import('../../src-renderer/src/features/backups/useBackupScheduler').CheckOutcome;
let waiting: ((o: Outcome) => void) | null = null;
/** Stable (the hook re-subscribes when its options change): hands each finished check to `check`. */
const onChecked = (o: Outcome) => {
  const w = waiting;
  waiting = null;
  w?.(o);
};
/**
 * Moves the fake clock by `ms`, then runs `trigger` (an event that starts a check), and returns what
 * the check that started did, once it has finished.
 */
async function check(ms: number, trigger?: () => void): Promise<Outcome> {
  const done = new Promise<Outcome>((r) => (waiting = r));
  await vi.advanceTimersByTimeAsync(ms);
  trigger?.();
  return done;
}
/** Fake timers and Date; not setImmediate, which fake-indexeddb schedules its work with. */
const fakeTime = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });

describe('useBackupScheduler', { timeout: 30_000 }, () => {
  it('backs up after changes, at most once per interval, and not an empty or unchanged database', async () => {
    fakeTime();
    // One check a second; a backup at most every 2.5 s.
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 2500, checkEveryMs: 1000, hideGapMs: 60_000, onChecked }));
    expect(await check(0)).toBe('unchanged');
    expect(count()).toBe(0); // empty database: nothing to back up

    await edit();
    expect(await check(1000)).toBe('backed_up'); // the first backup ever is due at once
    expect(count()).toBe(1);
    await edit();
    expect(await check(1000)).toBe('not_due');
    expect(await check(1000)).toBe('not_due');
    expect(count()).toBe(1); // changed, but the interval has not passed
    expect(await check(1000)).toBe('backed_up');
    expect(count()).toBe(2);

    expect(await check(1000)).toBe('not_due');
    expect(await check(1000)).toBe('not_due');
    expect(await check(1000)).toBe('unchanged');
    expect(count()).toBe(2); // interval passed, but nothing changed

    // A change of the local profile is not data a backup holds; a saved period is.
    expect((await saveProfile(db, { name: '李四', unitCode: '320102', language: 'zh-CN', role: 'official' })).ok).toBe(true);
    expect(await check(3000)).toBe('unchanged');
    await emitDataChange({ kind: 'period', action: 'saved', id: 'p1' });
    expect(await check(1000)).toBe('backed_up');
    expect(count()).toBe(3);
    hook.unmount();
  });

  it('backs up when the page is hidden with changes not yet backed up', async () => {
    fakeTime();
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 60_000, checkEveryMs: 20_000, hideGapMs: 100, onChecked }));
    await edit();
    expect(await check(0)).toBe('backed_up'); // the first backup ever is due at once
    expect(count()).toBe(1);
    const hide = () => window.dispatchEvent(new Event('pagehide'));
    expect(await check(150, hide)).toBe('unchanged');
    expect(count()).toBe(1); // hidden, but nothing new to back up
    await edit();
    expect(await check(20_000 - 150)).toBe('not_due');
    expect(count()).toBe(1); // within the 60 s interval
    expect(await check(0, hide)).toBe('backed_up');
    expect(count()).toBe(2);
    hook.unmount();
  });

  it('in a new session, backs up at start if the data changed since the last backup', async () => {
    expect((await edit()).ok).toBe(true);
    expect((await svc.makeBackup(db, corpus, me)).ok).toBe(true);
    fakeTime();
    vi.advanceTimersByTime(60_000); // the app is closed and started again a minute later
    await edit(); // changed after the backup, e.g. just before the app was closed
    svc.resetBackupSession();
    const hook = renderHook(() => useBackupScheduler(corpus, { db, intervalMs: 50, checkEveryMs: 10_000, onChecked }));
    expect(await check(0)).toBe('backed_up');
    expect(count()).toBe(2);
    expect(await svc.changedSinceLastBackup(db)).toBe(false);
    hook.unmount();
  });

  it('with a start delay, leaves the database alone while the first screen loads, then backs up what is due', async () => {
    expect((await edit()).ok).toBe(true); // never backed up: due at start
    fakeTime();
    let checks = 0;
    const hook = renderHook(() =>
      useBackupScheduler(corpus, { db, intervalMs: 60_000, checkEveryMs: 60_000, startDelayMs: 600, onChecked: (o) => (checks++, onChecked(o)) }),
    );
    await vi.advanceTimersByTimeAsync(599);
    expect(checks).toBe(0); // not during the start-up delay: no check has even started
    expect(count()).toBe(0);
    expect(await check(1)).toBe('backed_up');
    expect(count()).toBe(1);
    hook.unmount();
  });
});
