/**
 * The backup folder (<userData>/backups in the app, a temp folder in the harness). Plain Node, no
 * electron. Main only stores bytes here: it never parses a backup — the renderer builds each one
 * as a bundle, reads it back and verifies it in its worker, and decides the rotation
 * (src-main/shared/backup/rotation.ts).
 *
 * - Only names that `parseBackupName` accepts are listed, read or removed: a name is a plain file
 *   name of one fixed pattern, so no path (`../`, `/`, `\`, drive letters) can reach the file system.
 * - Writes are atomic: the bytes go to a hidden temp file in the same folder, are flushed to disk,
 *   then renamed. A crash leaves the old files and at most a stray temp file (ignored by `list`,
 *   swept on a later write), never half a backup under a backup's name.
 * - The name comes from the clock (UTC, ms); a name already taken moves on by a millisecond, so a
 *   backup never replaces another. Writes are serialised per store.
 */
import { lstat, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BackupInfo, OpenedFile } from '../../shared/ipc-contract';
import { backupName, parseBackupName, type BackupKind } from '../../shared/backup/rotation';
import { fail, ok, type Result } from '../../shared/result';

/** Largest backup read back (the same cap as a bundle a person opens). */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024;
const TEMP_PREFIX = '.pilotdesk-backup-';
/** Temp files older than this are left from a crash and are swept. */
const STALE_TEMP_MS = 10 * 60_000;

export interface BackupStore {
  /** The folder, for logs and tests. */
  readonly dir: string;
  /** Backups in the folder, newest first. Other files are ignored. */
  list(): Promise<Result<BackupInfo[]>>;
  /** Stores `bytes` as a new backup named from the clock. */
  write(bytes: Uint8Array, kind?: BackupKind): Promise<Result<BackupInfo>>;
  /** The bytes of backup `name` (refused unless `name` is a backup name), at most `maxBytes`. */
  read(name: string, maxBytes?: number): Promise<Result<OpenedFile>>;
  /** Deletes backup `name`; removing one that is already gone is not an error. */
  remove(name: string): Promise<Result<{ removed: boolean }>>;
}

export interface BackupStoreOptions {
  /** The clock that names backups (tests move it). */
  now?: () => Date;
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') return '磁盘空间不足';
  if (code === 'EACCES' || code === 'EPERM') return '没有访问权限';
  if (code === 'EROFS') return '磁盘为只读';
  return '文件操作失败';
}

const badName = (name: unknown) =>
  fail('backup.bad_name', '备份文件名无效，已拒绝。只能读取或删除备份文件夹中的备份。', `name ${JSON.stringify(String(name)).slice(0, 120)}`);

export function createBackupStore(dir: string, options: BackupStoreOptions = {}): BackupStore {
  const now = options.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const info = async (name: string): Promise<BackupInfo | null> => {
    const parsed = parseBackupName(name);
    if (!parsed) return null;
    try {
      const s = await lstat(join(dir, name));
      if (!s.isFile()) return null;
      return { name, size: s.size, at: parsed.at.toISOString(), mtime: s.mtime.toISOString(), kind: parsed.kind };
    } catch {
      return null; // removed meanwhile
    }
  };

  const sweepTemps = async () => {
    try {
      for (const f of await readdir(dir)) {
        if (!f.startsWith(TEMP_PREFIX)) continue;
        const s = await stat(join(dir, f)).catch(() => null);
        if (s && Date.now() - s.mtimeMs > STALE_TEMP_MS) await unlink(join(dir, f)).catch(() => undefined);
      }
    } catch {
      /* best effort */
    }
  };

  const exists = (name: string) =>
    lstat(join(dir, name)).then(
      () => true,
      () => false,
    );

  return {
    dir,

    async list() {
      try {
        await mkdir(dir, { recursive: true });
        const names = (await readdir(dir)).filter((n) => parseBackupName(n) !== null);
        const infos = (await Promise.all(names.map(info))).filter((i): i is BackupInfo => i !== null);
        infos.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.name < b.name ? 1 : -1));
        return ok(infos);
      } catch (e) {
        return fail('backup.list_failed', `无法读取备份文件夹（${why(e)}）。`, String(e));
      }
    },

    write(bytes, kind = 'auto') {
      return serial(async (): Promise<Result<BackupInfo>> => {
        if (!ArrayBuffer.isView(bytes) || bytes.byteLength === 0) return fail('backup.empty', '备份内容为空，未写入。');
        const tmp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
        try {
          await mkdir(dir, { recursive: true });
          await sweepTemps();
          let at = now();
          let name = backupName(at, kind);
          while (await exists(name)) {
            at = new Date(at.getTime() + 1);
            name = backupName(at, kind);
          }
          const fh = await open(tmp, 'wx', 0o600);
          try {
            await fh.writeFile(bytes);
            await fh.sync();
          } finally {
            await fh.close();
          }
          await rename(tmp, join(dir, name));
          await syncDir(dir);
          const written = await info(name);
          if (!written) return fail('backup.write_failed', '备份写入后找不到文件，请检查磁盘后重试。', name);
          return ok(written);
        } catch (e) {
          await unlink(tmp).catch(() => undefined);
          return fail('backup.write_failed', `无法写入备份（${why(e)}）。之前的备份未受影响。`, String(e));
        }
      });
    },

    async read(name, maxBytes = MAX_BACKUP_BYTES) {
      if (!parseBackupName(name)) return badName(name);
      const path = join(dir, name);
      try {
        const s = await lstat(path);
        if (!s.isFile()) return fail('backup.not_found', `找不到备份：${name}`);
        if (s.size > maxBytes) return fail('backup.too_large', `备份过大（${mb(s.size)}），上限为 ${mb(maxBytes)}：${name}`);
        const buf = await readFile(path);
        if (buf.byteLength > maxBytes) return fail('backup.too_large', `备份过大，上限为 ${mb(maxBytes)}：${name}`);
        return ok({ name, size: buf.byteLength, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fail('backup.not_found', `找不到备份：${name}。它可能已被删除。`);
        return fail('backup.read_failed', `无法读取备份（${why(e)}）：${name}`, String(e));
      }
    },

    remove(name) {
      if (!parseBackupName(name)) return Promise.resolve(badName(name));
      return serial(async (): Promise<Result<{ removed: boolean }>> => {
        try {
          const s = await lstat(join(dir, name));
          if (!s.isFile()) return fail('backup.not_found', `找不到备份：${name}`);
          await unlink(join(dir, name));
          return ok({ removed: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok({ removed: false });
          return fail('backup.remove_failed', `无法删除备份（${why(e)}）：${name}`, String(e));
        }
      });
    },
  };
}

/** Makes a rename durable where the platform allows it (fsync of the folder; not possible on Windows). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}
