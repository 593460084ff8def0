/**
 * The exchange folder (交换文件夹): a folder the person chose — a Windows share, a Nextcloud or
 * Syncthing folder — where 报送 and 审核 files are written and picked up, instead of a USB stick.
 * Plain Node, no electron: main, the browser harness and tests use it alike.
 *
 * - Main keeps the path (in its settings file); the page never names a path. It asks to write bytes
 *   under a file name main makes plain, and to collect what is there.
 * - Only bundle files directly in the folder are listed: no sub-folders, nothing whose name does not
 *   end in `.pilotbundle`, no symbolic link that leads out of the folder. Each file passes the same
 *   size cap and ZIP-directory check (`bundlePrecheck`) as a file chosen in an open dialog; one that
 *   fails is named with its reason and its bytes are not sent.
 * - A written file never replaces another: its name says what it is and when (Beijing time), and is
 *   reserved by an exclusive create before the bytes go in atomically (`writeFileAtomic`).
 * - What was taken here is remembered by content hash (also the files written here), so the next
 *   collection lists only what is new to this installation.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { open, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { BUNDLE_EXTENSION } from '../../shared/bundle/format';
import { BUNDLE_CAPS, listCentralDirectory } from '../../shared/bundle/zip';
import { plainFileName } from '../../shared/evidence/fileType';
import type { ExchangeCollection, OpenedFile } from '../../shared/ipc-contract';
import { fail, ok, type Result } from '../../shared/result';
import { beijingClock, chinaToday } from '../../shared/time';
import { bundlePrecheck, readChosenFile, writeFileAtomic } from './files';

/** How many content hashes of taken files are remembered (the oldest are forgotten first). */
export const MAX_TAKEN = 20_000;

/** What the settings file holds about the exchange folder. */
interface ExchangeSettings {
  folder: string | null;
  taken: string[];
}

export interface ExchangeFolder {
  /** The chosen folder, or null when none was chosen. */
  folder(): Promise<string | null>;
  /** Remembers `path` (from a folder dialog) as the exchange folder: an existing directory. */
  setFolder(path: string): Promise<Result<{ folder: string }>>;
  /** Writes a bundle under a new name made from `requestedName` and the time; never replaces a file. */
  write(bytes: Uint8Array, requestedName: string): Promise<Result<{ name: string; path: string; sha256: string }>>;
  /** The folder's bundle files not taken here yet (at most `maxFiles`, together at most `maxTotalBytes`). */
  collect(options: { maxFiles: number; maxBytes: number; maxTotalBytes: number }): Promise<Result<ExchangeCollection>>;
  /** Remembers files as taken here (imported, or found already here), by content hash. */
  markTaken(sha256s: readonly string[]): Promise<Result<null>>;
}

export interface ExchangeOptions {
  /** Main's settings file (<userData>/settings.json; a temp file in the harness). */
  settingsFile: string;
  /** The clock that names written files (tests move it). */
  now?: () => Date;
}

const SHA256 = /^[0-9a-f]{64}$/;
const isBundleName = (name: string) => name.toLowerCase().endsWith(`.${BUNDLE_EXTENSION}`) && !name.startsWith('.');
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') return '磁盘空间不足';
  if (code === 'EACCES' || code === 'EPERM') return '没有访问权限';
  if (code === 'EROFS') return '磁盘为只读';
  if (code === 'ENOENT' || code === 'ENOTDIR') return '文件夹不存在或网络盘未连接';
  return '文件操作失败';
}

/** Is `path` (already resolved) directly inside `dir` (already resolved)? */
const directlyIn = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel !== '' && !isAbsolute(rel) && !rel.startsWith('..') && dirname(path) === dir;
};

export function createExchangeFolder(options: ExchangeOptions): ExchangeFolder {
  const now = options.now ?? (() => new Date());
  // Settings writes are serialised: two quick calls never lose one another's change.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  async function readSettings(): Promise<{ all: Record<string, unknown>; exchange: ExchangeSettings }> {
    let all: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(await readFile(options.settingsFile, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) all = parsed as Record<string, unknown>;
    } catch {
      // No settings yet, or a damaged file: start from nothing (the folder is chosen again).
    }
    const raw = (all.exchange ?? {}) as Partial<ExchangeSettings>;
    const folder = typeof raw.folder === 'string' && isAbsolute(raw.folder) ? raw.folder : null;
    const taken = Array.isArray(raw.taken) ? raw.taken.filter((h): h is string => typeof h === 'string' && SHA256.test(h)) : [];
    return { all, exchange: { folder, taken } };
  }

  async function writeSettings(all: Record<string, unknown>, exchange: ExchangeSettings): Promise<Result<null>> {
    const bytes = new TextEncoder().encode(JSON.stringify({ ...all, exchange }, null, 2));
    const r = await writeFileAtomic(options.settingsFile, bytes);
    return r.ok ? ok(null) : fail('exchange.settings_failed', '无法保存设置，请确认磁盘空间充足。', r.error.detail);
  }

  const addTaken = (hashes: readonly string[]) =>
    serial(async () => {
      const { all, exchange } = await readSettings();
      const taken = new Set(exchange.taken);
      for (const h of hashes) {
        taken.delete(h);
        taken.add(h);
      }
      return writeSettings(all, { ...exchange, taken: [...taken].slice(-MAX_TAKEN) });
    });

  const noFolder = () => fail('exchange.no_folder', '尚未设置交换文件夹。请先选择交换文件夹。');
  const unreachable = (folder: string, e: unknown) =>
    fail('exchange.unreachable', `无法访问交换文件夹（${why(e)}）：${folder}。请检查网络盘或同步文件夹是否可用，或重新选择。`, String(e));

  return {
    folder: async () => (await readSettings()).exchange.folder,

    setFolder: (path) =>
      serial(async () => {
        if (!isAbsolute(path)) return fail('exchange.bad_folder', '所选路径不是文件夹，未更改交换文件夹。', 'relative path');
        try {
          if (!(await stat(path)).isDirectory()) return fail('exchange.bad_folder', `所选路径不是文件夹，未更改交换文件夹：${basename(path)}`);
        } catch (e) {
          return unreachable(path, e);
        }
        const { all, exchange } = await readSettings();
        const saved = await writeSettings(all, { ...exchange, folder: path });
        return saved.ok ? ok({ folder: path }) : saved;
      }),

    async write(bytes, requestedName) {
      const folder = (await readSettings()).exchange.folder;
      if (!folder) return noFolder();
      // Main stores only what has a bundle's shape: a whole ZIP whose directory holds a manifest.
      const listed = listCentralDirectory(bytes, BUNDLE_CAPS.maxEntries);
      if (!listed.ok || !listed.value.some((e) => e.name === 'manifest.json')) {
        return fail('exchange.not_bundle', '要写入的数据不是完整的批注包，未写入。', listed.ok ? 'no manifest.json' : listed.error.code);
      }
      const at = now();
      const stamp = `${chinaToday(at).replaceAll('-', '')}-${beijingClock(at).replace(':', '')}`;
      const stem = plainFileName(requestedName).replace(new RegExp(`\\.${BUNDLE_EXTENSION}$`, 'i'), '').slice(0, 80) || '批注包';
      for (let n = 1; n <= 100; n++) {
        const name = `${stem}-${stamp}${n > 1 ? `-${n}` : ''}.${BUNDLE_EXTENSION}`;
        const path = join(folder, name);
        try {
          // Reserve the name: an exclusive create fails when any file (another office's too) has it.
          await (await open(path, 'wx')).close();
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
          return fail('exchange.write_failed', `无法写入交换文件夹（${why(e)}）：${folder}`, String(e));
        }
        // The empty reservation is skipped by every collection until the bytes replace it at once.
        const written = await writeFileAtomic(path, bytes);
        if (!written.ok) {
          await rm(path, { force: true }).catch(() => undefined);
          return fail('exchange.write_failed', `无法写入交换文件夹：${written.error.message}`, written.error.detail);
        }
        const sha256 = sha256Of(bytes);
        // This installation's own file is never offered back to it.
        await addTaken([sha256]);
        return ok({ name, path, sha256 });
      }
      return fail('exchange.write_failed', '交换文件夹中同名文件过多，未写入。请稍后再试。');
    },

    async collect({ maxFiles, maxBytes, maxTotalBytes }) {
      const { exchange } = await readSettings();
      const folder = exchange.folder;
      if (!folder) return noFolder();
      let real: string;
      let entries: Dirent[];
      try {
        real = await realpath(folder);
        entries = await readdir(real, { withFileTypes: true });
      } catch (e) {
        return unreachable(folder, e);
      }
      const taken = new Set(exchange.taken);
      const candidates: { name: string; path: string; mtimeMs: number }[] = [];
      for (const entry of entries) {
        if (!isBundleName(entry.name) || entry.isDirectory()) continue;
        let path = join(real, entry.name);
        if (entry.isSymbolicLink()) {
          // A link is followed only to a file directly in the folder itself.
          try {
            path = await realpath(path);
          } catch {
            continue;
          }
          if (!directlyIn(real, path)) continue;
        } else if (!entry.isFile()) continue;
        try {
          const info = await stat(path);
          // Empty: a name another installation has reserved and is still writing.
          if (!info.isFile() || info.size === 0) continue;
          candidates.push({ name: entry.name, path, mtimeMs: info.mtimeMs });
        } catch {
          continue;
        }
      }
      candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
      const files: (OpenedFile & { sha256: string })[] = [];
      const refused: { name: string; reason: string }[] = [];
      const seen = new Set<string>();
      let total = 0;
      let left = 0;
      for (const c of candidates) {
        const read = await readChosenFile(c.path, maxBytes, bundlePrecheck);
        if (!read.ok) {
          refused.push({ name: c.name, reason: read.error.message });
          continue;
        }
        const sha256 = sha256Of(read.value.bytes);
        if (taken.has(sha256) || seen.has(sha256)) continue;
        if (files.length >= maxFiles || total + read.value.size > maxTotalBytes) {
          left++;
          continue;
        }
        seen.add(sha256);
        total += read.value.size;
        files.push({ name: c.name, size: read.value.size, bytes: read.value.bytes, sha256 });
      }
      return ok({ folder, files, refused, left });
    },

    markTaken: (sha256s) => {
      const bad = sha256s.find((h) => !SHA256.test(h));
      if (bad !== undefined) return Promise.resolve(fail('exchange.bad_hash', '文件标识无效，已拒绝。'));
      return addTaken(sha256s);
    },
  };
}
