/**
 * The page's handle on the backup worker (backup.worker.ts, protocol backupProtocol.ts): `build`
 * and `check` run there, with the page's thread free for typing. Where there are no workers (unit
 * tests in jsdom) the same functions run here, over the page's own database object.
 */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { fail, type Result } from '../../../../src-main/shared/result';
import type { PilotDb } from '../../db/db';
import { buildBackup, checkBackupBytes, type BuildRequest, type BuiltBackup, type CheckRequest } from './backupBuild';
import type { BackupReply, BackupRequest } from './backupProtocol';

export interface BackupWorker {
  /** The whole database `db` as backup bytes (the worker opens it by name). */
  build(db: PilotDb, req: BuildRequest): Promise<Result<BuiltBackup>>;
  /** The full bundle check of `bytes`; their buffer is transferred (`bytes` is then empty). */
  check(bytes: Uint8Array, corpus: Corpus): Promise<Result<null>>;
  /** Ends the worker. */
  close(): void;
}

const crashed = (detail: string) => fail('backup.worker_failed', '备份过程异常终止，本机数据和之前的备份没有任何改动。请重试。', detail);

const checkRequest = (corpus: Corpus): CheckRequest => ({ corpusHash: corpus.hash, taskIds: corpus.tasks.map((t) => t.id) });

/** A backup worker, or the same work on the page where there are no workers. */
export function openBackupWorker(): BackupWorker {
  if (typeof Worker === 'undefined') {
    return { build: buildBackup, check: (bytes, corpus) => checkBackupBytes(bytes, checkRequest(corpus)), close: () => undefined };
  }
  const worker = new Worker(new URL('./backup.worker.ts', import.meta.url), { type: 'module' });
  let next = 0;
  const waiting = new Map<number, (r: BackupReply['result']) => void>();
  worker.onmessage = (e: MessageEvent<BackupReply>) => {
    const settle = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    settle?.(e.data.result);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    for (const settle of waiting.values()) settle(crashed(e.message));
    waiting.clear();
  };
  const ask = <T>(m: BackupRequest extends infer R ? (R extends BackupRequest ? Omit<R, 'id'> : never) : never, transfer: Transferable[]): Promise<Result<T>> =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (r: BackupReply['result']) => void);
      worker.postMessage({ ...m, id } as BackupRequest, transfer);
    });
  return {
    build: (db, req) => ask<BuiltBackup>({ type: 'build', dbName: db.name, req }, []),
    check: (bytes, corpus) => ask<null>({ type: 'check', bytes, req: checkRequest(corpus) }, [bytes.buffer as ArrayBuffer]),
    close: () => {
      worker.terminate();
      for (const settle of waiting.values()) settle(crashed('closed'));
      waiting.clear();
    },
  };
}
