/**
 * Automatic backups: at most one every 30 minutes while there are changes, and one (best effort)
 * when the page is hidden or closed with changes not yet backed up.
 *
 * Change detection, cheap and without reading rows:
 *  - within a session, the write path's `DataChange` event (every write emits one, `db/mutate.ts`)
 *    sets a dirty flag when backed-up data changes;
 *  - across sessions (and other tabs), a fingerprint of the data (`dataSignature`: counts and the
 *    newest `updatedAt`/`at` through indexes, plus the small unit list) is stored with each backup
 *    and compared with the current one.
 * An empty database is not backed up automatically. A failed automatic backup is retried after
 * 5 minutes, not every check, and shown on the backups screen.
 *
 * Quitting: main holds the window's close until the page has backed up (quitHandshake.tsx and
 * src-main/main/quitGuard.ts); the scheduler registers that backup, which waits for a running one
 * and then backs up whatever changed since. `pagehide`/`visibilitychange` still start a backup (a
 * minimised window, a crash of main), best effort.
 */
import { useEffect } from 'react';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { db as appDb, type PilotDb } from '../../db/db';
import { currentAuthor } from '../../store/sessionStore';
import { track, useBackupActivity } from './backupActivity';
import { watchDataChanges } from './dataChanges';
import { setQuitBackup } from './quitHandshake';

/**
 * The backup code loads on first use — the first check, BACKUP_START_DELAY_MS after start, or a
 * hidden page — not with the first screen, which it would hold back by its module evaluation (issue #8).
 */
const backupService = () => import('./backupService');

export const BACKUP_INTERVAL_MS = 30 * 60_000;
const CHECK_EVERY_MS = 60_000;
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;
/** A page hidden again within this time after a backup does not start another one. */
const HIDE_GAP_MS = 2 * 60_000;

export interface SchedulerOptions {
  db?: PilotDb;
  intervalMs?: number;
  checkEveryMs?: number;
  /** A page hidden again within this time after a backup does not start another one. */
  hideGapMs?: number;
  /** Off while the app is not ready (no profile yet, error screen). Default true. */
  enabled?: boolean;
  /**
   * The first check waits this long (default 0). The app passes `BACKUP_START_DELAY_MS`: the check
   * reads counts of every table, and a due backup reads the whole database, which must not compete
   * with the first screen's reads (issue #8). Hiding the page still backs up at once.
   */
  startDelayMs?: number;
  /**
   * Told the outcome of every check once it has finished. Lets a test wait for the check a timer
   * started instead of sleeping for a guessed time.
   */
  onChecked?: (outcome: CheckOutcome) => void;
}

/**
 * What one check did: `not_due` (the interval, or the gap after a hidden page, has not passed),
 * `busy` (another backup was running), `unchanged` (nothing to back up), `backed_up`, `failed`.
 */
export type CheckOutcome = 'not_due' | 'busy' | 'unchanged' | 'backed_up' | 'failed';

/** How long after start the app first checks whether a backup is due. */
export const BACKUP_START_DELAY_MS = 5_000;

/**
 * Runs the automatic backups while mounted. Returns nothing; progress and failures are in
 * `useBackupActivity`.
 */
export function useBackupScheduler(corpus: Corpus | null, options: SchedulerOptions = {}): void {
  const {
    db = appDb,
    intervalMs = BACKUP_INTERVAL_MS,
    checkEveryMs = CHECK_EVERY_MS,
    hideGapMs = HIDE_GAP_MS,
    enabled = true,
    startDelayMs = 0,
    onChecked,
  } = options;
  useEffect(() => {
    if (!corpus || !enabled) return;
    let dirty = false;
    let running = false;
    let stopped = false;
    /** Time (ms) of the last backup, or of the attempt a failure schedules the retry from. */
    let lastAt: number | null = null;

    let current: Promise<void> | null = null;
    /** One check (and backup if due) at a time; a call while one runs gets that one's promise. */
    const run = (reason: 'timer' | 'hide' | 'quit'): Promise<void> => {
      if (running || stopped) return current ?? Promise.resolve();
      running = true;
      current = runOnce(reason)
        .catch((): CheckOutcome => {
          dirty = true;
          return 'failed';
        })
        .then((outcome) => {
          running = false;
          onChecked?.(outcome);
        });
      return current;
    };
    const runOnce = async (reason: 'timer' | 'hide' | 'quit'): Promise<CheckOutcome> => {
      const { changedSinceLastBackup, lastBackup, makeBackup } = await backupService();
      if (lastAt === null) {
        const last = await lastBackup(db).catch(() => null);
        lastAt = last ? Date.parse(last.at) : 0;
      }
      const since = Date.now() - lastAt;
      if (reason === 'timer' && since < intervalMs) return 'not_due';
      if (reason === 'hide' && since < hideGapMs) return 'not_due';
      if (reason !== 'quit' && useBackupActivity.getState().busy) return 'busy';
      if (!(dirty || (await changedSinceLastBackup(db)))) return 'unchanged';
      dirty = false; // writes from here on make the next backup due
      const r = await track('auto', (onProgress) => makeBackup(db, corpus, currentAuthor(), { onProgress }));
      if (r.ok) {
        lastAt = Date.now();
        useBackupActivity.setState({ autoError: null });
        return 'backed_up';
      }
      dirty = true;
      lastAt = Date.now() - intervalMs + RETRY_AFTER_FAILURE_MS;
      useBackupActivity.setState({ autoError: r.error });
      return 'failed';
    };

    const unwatch = watchDataChanges(() => (dirty = true));
    // On quit: wait for a backup that is running, then back up what changed since (if anything).
    const unregister = setQuitBackup(async () => {
      if (running) await current;
      await run('quit');
    });
    const timer = setInterval(() => void run('timer'), checkEveryMs);
    const first = setTimeout(() => void run('timer'), startDelayMs);
    const onHide = () => void run('hide');
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') onHide();
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      unwatch();
      unregister();
      clearInterval(timer);
      clearTimeout(first);
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [corpus, db, intervalMs, checkEveryMs, hideGapMs, enabled, startDelayMs, onChecked]);
}
