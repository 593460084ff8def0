/**
 * Which writes make a backup due. Apart from backupService so that the backup scheduler can watch
 * for them from the first screen on while the backup code itself (bundle writer, zip, schemas — ~30 ms
 * of module evaluation) loads only when a backup is checked or made (issue #8).
 */
import Dexie from 'dexie';
import { DATA_TABLES, type PilotDb } from '../../db/db';

/** Calls `onChange` after every committed write to a data table of `db` (Dexie's storagemutated event). Returns the unsubscribe. */
export function watchDataChanges(db: PilotDb, onChange: () => void): () => void {
  const prefixes = DATA_TABLES.map((t) => `idb://${db.name}/${t}/`);
  const listener = (parts: Record<string, unknown>) => {
    for (const p of Object.keys(parts)) {
      if (prefixes.some((x) => p.startsWith(x))) return onChange();
    }
  };
  Dexie.on('storagemutated', listener);
  return () => Dexie.on.storagemutated.unsubscribe(listener);
}
