/**
 * Which writes make a backup due: every `DataChange` the one write path (`db/mutate.ts`) emits,
 * except a change of the local profile (not a data table, not in backups). Apart from
 * backupService so that the backup scheduler can watch for them from the first screen on while the
 * backup code itself (bundle writer, zip, schemas — ~30 ms of module evaluation) loads only when a
 * backup is checked or made.
 */
import { onDataChange, type DataChange } from '../../db/mutate';

/** Whether a change touched data that backups hold. */
export function changesBackedUpData(c: DataChange): boolean {
  return c.kind !== 'profile';
}

/** Calls `onChange` after every write to backed-up data. Returns the unsubscribe. */
export function watchDataChanges(onChange: () => void): () => void {
  return onDataChange((c) => {
    if (changesBackedUpData(c)) onChange();
  });
}
