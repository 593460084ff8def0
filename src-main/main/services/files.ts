/**
 * File I/O behind the dialogs. Main reads and writes bytes only: it never parses what a person
 * opens (bundles are untrusted and are validated in the renderer's worker).
 */
import { readFile, stat, writeFile, rename } from 'node:fs/promises';
import { basename } from 'node:path';
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
