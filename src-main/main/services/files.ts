/**
 * File I/O behind the dialogs. Main reads and writes bytes only: it never parses what a person
 * opens (bundles are untrusted and are validated in the renderer's worker).
 */
import { execFile as execFileCb } from 'node:child_process';
import { mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { VIEWABLE, openVerdict, sniffFileType } from '../../shared/evidence/fileType';
import { isBundleEntryName } from '../../shared/bundle/format';
import { BUNDLE_CAPS, precheckZipFile } from '../../shared/bundle/zip';
import type { OpenedFile, OpenFileOptions, SaveOutcome } from '../../shared/ipc-contract';
import { fail, ok, type Result } from '../../shared/result';

/** What a save dialog is opened with: main's own choice of name and filter (ipcArgs.saveDialogName). */
export interface SaveDialogOptions {
  title?: string;
  defaultName: string;
  filters: { name: string; extensions: string[] }[];
}

/** The seam between real code and the place a path comes from: Electron's dialog, or a test's queue. */
export interface Dialogs {
  /** Returns the chosen path, or null when canceled. */
  showOpen(options: OpenFileOptions): Promise<string | null>;
  /** Several files at once (multi-select); null or an empty list when canceled. */
  showOpenMany(options: OpenFileOptions): Promise<string[] | null>;
  showSave(options: SaveDialogOptions): Promise<string | null>;
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;
}

/** A check of a file from a few reads (`readAt`), before the whole file is read. */
export type Precheck = (size: number, readAt: (offset: number, length: number) => Promise<Uint8Array>) => Promise<Result<void>>;

/** What a ZIP is, named from its entries, when it is an Office or OFD document rather than a bundle. */
function zipDocumentKind(names: readonly string[]): string | null {
  const has = (n: string) => names.includes(n);
  if (has('word/document.xml')) return VIEWABLE.docx.label;
  if (has('xl/workbook.xml')) return VIEWABLE.xlsx.label;
  if (has('ppt/presentation.xml')) return VIEWABLE.pptx.label;
  if (has('OFD.xml')) return VIEWABLE.ofd.label;
  if (has('[Content_Types].xml')) return 'Office 文档';
  return null;
}

/**
 * A bundle (or backup) file, checked from its ZIP directory before it is read: a hostile file — ZIP64
 * with a million entries, entries declared beyond the caps — is refused having read its last 64 KB and
 * its directory, and a file of another kind (a Word document, a PDF) is named as what it is.
 */
export const bundlePrecheck: Precheck = async (size, readAt) => {
  const r = await precheckZipFile(size, readAt, isBundleEntryName, BUNDLE_CAPS, zipDocumentKind);
  if (r.ok || r.error.code !== 'bundle.not_zip') return r;
  const head = sniffFileType(await readAt(0, Math.min(size, 4096)));
  const label = head.viewable ? VIEWABLE[head.kind].label : head.kind === 'unknown' && !['空文件', '二进制文件'].includes(head.detail) ? head.detail : null;
  return label ? fail('bundle.other_kind', `所选文件是${label}，不是批注包。请选择本软件导出的 .pilotbundle 文件。`, r.error.detail) : r;
};

/** Reads the chosen file if it is not larger than `maxBytes` (and, with `precheck`, passes it). */
export async function readChosenFile(path: string, maxBytes: number, precheck?: Precheck): Promise<Result<OpenedFile>> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail('file.not_file', `所选路径不是文件：${basename(path)}`);
    if (info.size > maxBytes) {
      return fail('file.too_large', `文件过大（${mb(info.size)}），上限为 ${mb(maxBytes)}：${basename(path)}`);
    }
    if (precheck) {
      const handle = await open(path, 'r');
      try {
        const readAt = async (offset: number, length: number) => {
          const buf = new Uint8Array(length);
          const { bytesRead } = await handle.read(buf, 0, length, offset);
          return buf.subarray(0, bytesRead);
        };
        const checked = await precheck(info.size, readAt);
        if (!checked.ok) return checked;
      } finally {
        await handle.close();
      }
    }
    const buf = await readFile(path);
    if (buf.byteLength > maxBytes) return fail('file.too_large', `文件过大，上限为 ${mb(maxBytes)}：${basename(path)}`);
    return ok({ name: basename(path), size: buf.byteLength, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
  } catch (e) {
    return fail('file.read_failed', `无法读取文件：${basename(path)}。请确认文件存在且未被占用。`, String(e));
  }
}

/**
 * Writes bytes to a temporary file beside the target, then renames: a crash never leaves half a file.
 * The app's save dialogs and the command line's outputs both write through it.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<Result<SaveOutcome>> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return ok({ canceled: false, path });
  } catch (e) {
    // No half-written temporary file stays beside the target.
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' ? '磁盘空间不足' : code === 'EACCES' || code === 'EPERM' ? '没有写入权限' : '写入失败';
    return fail('file.write_failed', `无法保存文件（${why}）：${basename(path)}`, String(e));
  }
}

/** How a platform marks a file as come from elsewhere, so viewers open it guarded (Protected View). */
export interface MarkDeps {
  platform: NodeJS.Platform;
  writeFile: (path: string, data: string) => Promise<void>;
  execFile: (file: string, args: string[]) => Promise<void>;
}

const realMarkDeps: MarkDeps = {
  platform: process.platform,
  writeFile: (path, data) => writeFile(path, data),
  execFile: (file, args) =>
    new Promise((resolve, reject) => execFileCb(file, args, { timeout: 5_000 }, (err) => (err ? reject(err) : resolve()))),
};

/**
 * Writes the Mark-of-the-Web: on Windows the Zone.Identifier stream (zone 3, Internet), which makes
 * Office open the file in Protected View and SmartScreen check it; on macOS the quarantine attribute.
 * Linux desktops have no such mark, so nothing is written there. Throws when the mark cannot be set.
 */
export async function markFromElsewhere(path: string, deps: MarkDeps = realMarkDeps): Promise<void> {
  if (deps.platform === 'win32') {
    await deps.writeFile(`${path}:Zone.Identifier`, '[ZoneTransfer]\r\nZoneId=3\r\n');
  } else if (deps.platform === 'darwin') {
    const stamp = Math.floor(Date.now() / 1000).toString(16);
    await deps.execFile('/usr/bin/xattr', ['-w', 'com.apple.quarantine', `0081;${stamp};Pilot Desk;`, path]);
  }
}

/**
 * Hands an evidence file to the system viewer — only when its bytes are one of the viewable kinds
 * (PDF, OFD, Office without macros, images, plain text) and its name's extension is that kind's own
 * (openVerdict). The file is written under its normalised name into a fresh private temp folder and
 * marked as come from elsewhere before it is opened; if the mark cannot be set on a platform that
 * has one, the file is not opened. A refusal is `file.unsafe_type`: the page offers to save it.
 */
export async function openWithSystem(
  name: string,
  bytes: Uint8Array,
  openPath: (path: string) => Promise<string>,
  markDeps: MarkDeps = realMarkDeps,
): Promise<Result<{ path: string }>> {
  const verdict = openVerdict(name, bytes);
  if (!verdict.ok) return fail('file.unsafe_type', `出于安全考虑，不直接打开此附件：${verdict.reason}。可另存到其他位置后再查看。`);
  let path: string;
  try {
    const dir = await mkdtemp(join(tmpdir(), 'pilotdesk-open-'));
    path = join(dir, verdict.name);
    await writeFile(path, bytes, { mode: 0o600 });
  } catch (e) {
    return fail('file.open_failed', '无法打开附件，请确认磁盘空间充足。', String(e));
  }
  try {
    await markFromElsewhere(path, markDeps);
  } catch (e) {
    await rm(dirname(path), { recursive: true, force: true }).catch(() => undefined);
    return fail('file.unsafe_type', '无法为附件设置"来自其他计算机"的安全标记，未打开。可另存到其他位置后再查看。', String(e));
  }
  const err = await openPath(path);
  if (err) return fail('file.open_failed', `无法用系统程序打开附件：${err}`);
  return ok({ path });
}
