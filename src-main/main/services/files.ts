/**
 * File I/O behind the dialogs. Main reads and writes bytes only: it never parses what a person
 * opens (bundles are untrusted and are validated in the renderer's worker).
 */
import { mkdtemp, readFile, stat, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { OpenedFile, OpenFileOptions, SaveFileOptions, SaveOutcome } from '../../shared/ipc-contract';
import { fail, ok, type Result } from '../../shared/result';

/** The seam between real code and the place a path comes from: Electron's dialog, or a test's queue. */
export interface Dialogs {
  /** Returns the chosen path, or null when canceled. */
  showOpen(options: OpenFileOptions): Promise<string | null>;
  showSave(options: Omit<SaveFileOptions, 'bytes'>): Promise<string | null>;
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;
}

/** Reads the chosen file if it is not larger than `maxBytes`. */
export async function readChosenFile(path: string, maxBytes: number): Promise<Result<OpenedFile>> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail('file.not_file', `所选路径不是文件：${basename(path)}`);
    if (info.size > maxBytes) {
      return fail('file.too_large', `文件过大（${mb(info.size)}），上限为 ${mb(maxBytes)}：${basename(path)}`);
    }
    const buf = await readFile(path);
    if (buf.byteLength > maxBytes) return fail('file.too_large', `文件过大，上限为 ${mb(maxBytes)}：${basename(path)}`);
    return ok({ name: basename(path), size: buf.byteLength, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
  } catch (e) {
    return fail('file.read_failed', `无法读取文件：${basename(path)}。请确认文件存在且未被占用。`, String(e));
  }
}

/** Writes bytes to a temporary file beside the target, then renames: a crash never leaves half a file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<Result<SaveOutcome>> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return ok({ canceled: false, path });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' ? '磁盘空间不足' : code === 'EACCES' || code === 'EPERM' ? '没有写入权限' : '写入失败';
    return fail('file.write_failed', `无法保存文件（${why}）：${basename(path)}`, String(e));
  }
}

/** Extensions that would run code if "opened": evidence files with these are never opened. */
const EXECUTABLE = /\.(exe|com|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|wsh|hta|msi|msp|scr|lnk|pif|cpl|jar|sh|bash|command|app|appimage|desktop|reg|url|dll)$/i;

/** A file name safe to create: no folders, no control or reserved characters, bounded length. */
export function safeFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 120);
  return cleaned === '' ? 'attachment' : cleaned;
}

/**
 * Writes an evidence file into a fresh private temp folder and hands it to `openPath` (the system
 * viewer). Refuses names that would execute.
 */
export async function openWithSystem(
  name: string,
  bytes: Uint8Array,
  openPath: (path: string) => Promise<string>,
): Promise<Result<{ path: string }>> {
  const safe = safeFileName(name);
  if (EXECUTABLE.test(safe)) return fail('file.unsafe_type', `出于安全考虑，不打开可执行类型的附件：${safe}`);
  try {
    const dir = await mkdtemp(join(tmpdir(), 'pilotdesk-open-'));
    const path = join(dir, safe);
    await writeFile(path, bytes, { mode: 0o600 });
    const err = await openPath(path);
    if (err) return fail('file.open_failed', `无法用系统程序打开附件：${err}`);
    return ok({ path });
  } catch (e) {
    return fail('file.open_failed', '无法打开附件，请确认磁盘空间充足。', String(e));
  }
}

/** The page origin recorded in `file`, or null when none is (no file yet, or unreadable). Never writes. */
export async function readRecordedOrigin(file: string): Promise<string | null> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { origin?: unknown };
    return typeof saved.origin === 'string' ? saved.origin : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the page origin of the app's data in `file` (JSON in the user-data folder): the first
 * origin is recorded; afterwards the recorded one is returned whatever is asked.
 */
export function createOriginRecord(file: string): (origin: string) => Promise<string> {
  return async (origin) => {
    const saved = await readRecordedOrigin(file);
    if (saved !== null) return saved;
    await writeFileAtomic(file, new TextEncoder().encode(JSON.stringify({ origin, recordedAt: new Date().toISOString() })));
    return origin;
  };
}
