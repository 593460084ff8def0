/**
 * What the backups feature is doing right now, shared by the scheduler and the backups screen:
 * one backup or restore at a time (the service serialises them too), its progress, the last
 * automatic backup's outcome, and a counter the screen watches to re-list.
 */
import { create } from 'zustand';
import type { AppError } from '../../../../src-main/shared/result';
import type { BackupStep } from './backupService';

export type ActivityStep = BackupStep | 'restore' | 'done';

interface BackupActivity {
  busy: null | 'backup' | 'auto' | 'restore' | 'undo';
  step: ActivityStep | null;
  /** Bumped after every backup, rotation or restore. */
  version: number;
  /** The last automatic backup that failed (shown on the backups screen), cleared by a good one. */
  autoError: AppError | null;
}

export const useBackupActivity = create<BackupActivity>()(() => ({ busy: null, step: null, version: 0, autoError: null }));

/** Progress in percent for a step (export → write → verify → rotate/restore). */
export const STEP_PERCENT: Record<ActivityStep, number> = { export: 15, write: 40, verify: 65, rotate: 85, restore: 90, done: 100 };

/** Runs a backup-ish job while publishing its progress; `version` is bumped afterwards. */
export async function track<T>(busy: NonNullable<BackupActivity['busy']>, job: (onProgress: (step: ActivityStep) => void) => Promise<T>): Promise<T> {
  useBackupActivity.setState({ busy, step: 'export' });
  try {
    return await job((step) => useBackupActivity.setState({ step }));
  } finally {
    useBackupActivity.setState((s) => ({ busy: null, step: null, version: s.version + 1 }));
  }
}
