/**
 * What the page and the backup worker say to each other. The page asks for a backup of its database
 * (by name: the worker opens the same IndexedDB database with the same schema module), and gets the
 * bundle bytes back in the transfer list — moved, not copied; later it hands the bytes main read back
 * from disk (again transferred) and gets only the verdict of the full bundle check.
 */
import type { Result } from '../../../../src-main/shared/result';
import { fail } from '../../../../src-main/shared/result';
import { createDb } from '../../db/db';
import { buildBackup, checkBackupBytes, type BuildRequest, type BuiltBackup, type CheckRequest } from './backupBuild';

export type BackupRequest =
  | { id: number; type: 'build'; dbName: string; req: BuildRequest }
  | { id: number; type: 'check'; bytes: Uint8Array; req: CheckRequest };

export type BackupReply = { id: number; type: 'build'; result: Result<BuiltBackup> } | { id: number; type: 'check'; result: Result<null> };

const internal = (detail: string) => fail('backup.internal', '备份过程中出错，本机数据和之前的备份没有任何改动。请重试。', detail);

/** The worker's side: answers one request (the buffer of built bytes in the transfer list). */
export async function answer(m: BackupRequest, post: (r: BackupReply, transfer: Transferable[]) => void): Promise<void> {
  if (m.type === 'build') {
    const db = createDb(m.dbName);
    let result: Result<BuiltBackup>;
    try {
      result = await buildBackup(db, m.req);
    } catch (e) {
      result = internal(String(e));
    } finally {
      db.close();
    }
    const transfer = result.ok ? [result.value.bytes.buffer as ArrayBuffer] : [];
    return post({ id: m.id, type: 'build', result }, transfer);
  }
  let result: Result<null>;
  try {
    result = await checkBackupBytes(m.bytes, m.req);
  } catch (e) {
    result = internal(String(e));
  }
  post({ id: m.id, type: 'check', result }, []);
}
