/**
 * The page's side of moving an installation's data from the file:// origin to app://
 * (src-main/main/services/originMove.ts has the whole story). Both steps use the app's own verified
 * backups, which main keeps in one folder whatever the page's origin:
 *
 *  - `export` (the page loaded from files): make a verified backup of the whole database, then hand
 *    its name and the local profile to main, which loads the app:// page. Nothing here is changed:
 *    the file:// database stays as it was.
 *  - `import` (the app:// page, its database empty): restore that backup, write the profile, and
 *    tell main it is done — or that it failed, and main goes back to files, where the data still is.
 */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { MovedProfile, StorageOriginAnswer } from '../../../../src-main/shared/ipc-contract';
import { fail, ok, type Result } from '../../../../src-main/shared/result';
import { invoke } from '../../api/client';
import type { PilotDb } from '../../db/db';
import type { Profile } from '../../db/repo';
import { saveProfile } from '../../db/writes';
import { hasData, makeBackup, restoreBackup } from './backupService';

export type OriginMoveStep = NonNullable<StorageOriginAnswer['move']>;

/** The author named in the move's backup and restore point. */
const moveAuthor = (p: { name: string; unitCode: string } | null) => ({ name: p?.name ?? '数据迁移', unitCode: p?.unitCode ?? '' });

/**
 * Takes the step main asked for. `export` ends with main loading the other page (the returned
 * result only matters when it fails); `import` ends with the data here, or with main going back.
 */
export async function runOriginMove(db: PilotDb, corpus: Corpus, step: OriginMoveStep, profile: Profile | null): Promise<Result<void>> {
  if (step === 'export') {
    let backup: string | null = null;
    if (await hasData(db)) {
      const made = await makeBackup(db, corpus, moveAuthor(profile), { rotate: false });
      if (!made.ok) return fail('origin.export_failed', `数据迁移未进行：无法备份本机数据（${made.error.message.replace(/[。.]$/, '')}）。本机数据没有任何改动。`, made.error.detail);
      backup = made.value.backup.name;
    }
    const moved: MovedProfile | null = profile ? { name: profile.name, unitCode: profile.unitCode, language: profile.language, role: profile.role } : null;
    return invoke('origin:handOver', { origin: location.origin, backup, profile: moved });
  }
  const { backup, profile: carried } = step.import;
  const failed = async (message: string, detail?: string): Promise<Result<void>> => {
    await invoke('origin:moved', { origin: location.origin, ok: false, reason: message });
    return fail('origin.import_failed', message, detail);
  };
  if (backup !== null) {
    const restored = await restoreBackup(db, corpus, backup, moveAuthor(carried));
    if (!restored.ok) return failed(`数据迁移未完成：${restored.error.message}`, restored.error.detail);
  }
  if (carried) {
    const saved = await saveProfile(db, carried);
    if (!saved.ok) return failed(`数据迁移未完成：无法写入个人信息（${saved.error.message}）。`);
  }
  const done = await invoke('origin:moved', { origin: location.origin, ok: true });
  return done.ok ? ok(undefined) : done;
}
