/**
 * What an evidence file really is, decided by its bytes, and the only kinds the system viewer may
 * be asked to open.
 *
 * Evidence travels in colleagues' bundles, so its name and declared type are claims, not facts. On
 * Windows the program that "opens" a file is chosen by its extension: a `.chm`, `.msc`, `.xll`,
 * `.appref-ms`, `.library-ms`, `.html` or `.svg` runs code or script as surely as an `.exe`, and the
 * list of such extensions never ends. So nothing is blocked by name: a file is opened only when its
 * bytes are one of a short allow-list of document and image formats *and* its extension is one of
 * that format's own. Everything else can only be saved elsewhere.
 *
 * Pure code (no DOM, no Node): main runs it before it hands a file to the viewer, the renderer when
 * evidence is added, and bundle verification when a colleague's evidence arrives.
 */

/** A viewable kind: a format the system viewer may open. */
export type ViewableKind =
  | 'pdf'
  | 'ofd'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'doc'
  | 'xls'
  | 'ppt'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'bmp'
  | 'webp'
  | 'tiff'
  | 'text';

/** What the bytes are: a viewable kind, or a reason why they are not. */
export type SniffResult =
  | { viewable: true; kind: ViewableKind }
  | { viewable: false; kind: 'macro_office' | 'markup' | 'unknown'; detail: string };

interface KindInfo {
  /** Extensions a file of this kind may carry; the first is its own. */
  extensions: readonly string[];
  mime: string;
  /** The name a person knows the format by. */
  label: string;
}

/** The allow-list. WPS Office's own extensions (.wps .et .dps) are the binary Office formats. */
export const VIEWABLE: Readonly<Record<ViewableKind, KindInfo>> = {
  pdf: { extensions: ['pdf'], mime: 'application/pdf', label: 'PDF 文档' },
  ofd: { extensions: ['ofd'], mime: 'application/ofd', label: 'OFD 版式文档' },
  docx: { extensions: ['docx'], mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word 文档' },
  xlsx: { extensions: ['xlsx'], mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel 工作簿' },
  pptx: { extensions: ['pptx'], mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint 演示文稿' },
  doc: { extensions: ['doc', 'wps'], mime: 'application/msword', label: 'Word 97-2003 文档' },
  xls: { extensions: ['xls', 'et'], mime: 'application/vnd.ms-excel', label: 'Excel 97-2003 工作簿' },
  ppt: { extensions: ['ppt', 'dps'], mime: 'application/vnd.ms-powerpoint', label: 'PowerPoint 97-2003 演示文稿' },
  png: { extensions: ['png'], mime: 'image/png', label: 'PNG 图片' },
  jpeg: { extensions: ['jpg', 'jpeg'], mime: 'image/jpeg', label: 'JPEG 图片' },
  gif: { extensions: ['gif'], mime: 'image/gif', label: 'GIF 图片' },
  bmp: { extensions: ['bmp'], mime: 'image/bmp', label: 'BMP 图片' },
  webp: { extensions: ['webp'], mime: 'image/webp', label: 'WebP 图片' },
  tiff: { extensions: ['tif', 'tiff'], mime: 'image/tiff', label: 'TIFF 图片' },
  text: { extensions: ['txt'], mime: 'text/plain', label: '纯文本' },
};

const KINDS = Object.keys(VIEWABLE) as ViewableKind[];

/** The viewable kind an extension claims (lower case, without the dot), or null. */
export function kindOfExtension(ext: string): ViewableKind | null {
  const e = ext.toLowerCase();
  return KINDS.find((k) => VIEWABLE[k].extensions.includes(e)) ?? null;
}

/** The viewable kind a MIME type claims, or null (an unknown or generic type claims nothing). */
export function kindOfMime(mime: string | null | undefined): ViewableKind | null {
  if (!mime) return null;
  const m = mime.split(';')[0]!.trim().toLowerCase();
  return KINDS.find((k) => VIEWABLE[k].mime === m) ?? null;
}

/** The extension of a file name, lower case, without the dot; '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase();
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Finds `needle` in `hay` (a plain scan: evidence files are at most 25 MB and this runs once). */
function indexOf(hay: Uint8Array, needle: readonly number[], from = 0, to = hay.length): number {
  const first = needle[0];
  const end = Math.min(to, hay.length) - needle.length;
  outer: for (let i = from; i <= end; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const utf16le = (s: string): number[] => [...s].flatMap((c) => [c.charCodeAt(0), 0]);

/**
 * The names of a ZIP's entries, from its central directory; null when the bytes are not a readable
 * ZIP. Only names are read: nothing is inflated.
 */
function zipEntryNames(b: Uint8Array): string[] | null {
  // The end-of-central-directory record sits in the last 22 + 65,535 bytes.
  const eocd = [0x50, 0x4b, 0x05, 0x06];
  let at = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (startsWith(b, eocd, i)) {
      at = i;
      break;
    }
  }
  if (at < 0) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const count = view.getUint16(at + 10, true);
  let p = view.getUint32(at + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || !startsWith(b, [0x50, 0x4b, 0x01, 0x02], p)) return null;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (p + 46 + nameLen > b.length) return null;
    names.push(decoder.decode(b.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Parts that carry code in an Office Open XML package: VBA projects and ActiveX controls. */
const OOXML_CODE = /(^|\/)(vbaProject\.bin|vbaData\.xml)$|(^|\/)activeX\//i;

function sniffZip(b: Uint8Array): SniffResult {
  const names = zipEntryNames(b);
  if (!names) return { viewable: false, kind: 'unknown', detail: '无法读取的压缩文件' };
  const has = (n: string) => names.some((x) => x.toLowerCase() === n.toLowerCase());
  const code = names.find((n) => OOXML_CODE.test(n));
  if (has('OFD.xml')) return { viewable: true, kind: 'ofd' };
  if (has('[Content_Types].xml')) {
    if (code) return { viewable: false, kind: 'macro_office', detail: `含有宏或控件（${code}）的 Office 文档` };
    if (has('word/document.xml')) return { viewable: true, kind: 'docx' };
    if (has('xl/workbook.xml')) return { viewable: true, kind: 'xlsx' };
    if (has('ppt/presentation.xml')) return { viewable: true, kind: 'pptx' };
  }
  return { viewable: false, kind: 'unknown', detail: '压缩文件（ZIP）' };
}

/** Binary Office (OLE compound file): what it holds decides the kind; macros refuse it. */
function sniffCompound(b: Uint8Array): SniffResult {
  const holds = (name: string) => indexOf(b, utf16le(name)) >= 0;
  // Directory entries name their streams in UTF-16LE; a VBA project lives in "Macros" (Word),
  // "_VBA_PROJECT_CUR" (Excel, PowerPoint) and always has a "_VBA_PROJECT" stream.
  if (holds('_VBA_PROJECT') || holds('Macros')) return { viewable: false, kind: 'macro_office', detail: '含有宏的 Office 文档' };
  if (holds('WordDocument')) return { viewable: true, kind: 'doc' };
  if (holds('Workbook') || holds('Book')) return { viewable: true, kind: 'xls' };
  if (holds('PowerPoint Document')) return { viewable: true, kind: 'ppt' };
  // An .msi installer, an .msg mail with attachments, a Visio drawing …: not on the list.
  return { viewable: false, kind: 'unknown', detail: '复合文档（非 Word、Excel、PowerPoint）' };
}

/**
 * Plain text: UTF-8 (or GB18030 as Windows' Notepad writes it) without control characters other
 * than tab, line breaks and form feed — and not markup, which a browser would run.
 */
function sniffText(b: Uint8Array): SniffResult {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return { viewable: false, kind: 'unknown', detail: '二进制文件' };
    if (c === 0x7f) return { viewable: false, kind: 'unknown', detail: '二进制文件' };
  }
  let start = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (start < b.length && (b[start] === 0x20 || b[start] === 0x09 || b[start] === 0x0a || b[start] === 0x0d)) start++;
  if (b[start] === 0x3c /* < */) return { viewable: false, kind: 'markup', detail: '网页或标记文件（HTML、SVG、XML）' };
  return { viewable: true, kind: 'text' };
}

/** Decides what the bytes are, from their content alone. */
export function sniffFileType(bytes: Uint8Array): SniffResult {
  const b = bytes;
  if (b.length === 0) return { viewable: false, kind: 'unknown', detail: '空文件' };
  // PDF readers accept the header anywhere in the first KiB.
  if (indexOf(b, ascii('%PDF-'), 0, 1024) >= 0) return { viewable: true, kind: 'pdf' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { viewable: true, kind: 'png' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { viewable: true, kind: 'jpeg' };
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return { viewable: true, kind: 'gif' };
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return { viewable: true, kind: 'webp' };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return { viewable: true, kind: 'tiff' };
  if (startsWith(b, ascii('BM')) && b.length >= 26) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    // The header's own file size and a known DIB header size: "BM" alone is too weak a sign.
    if (view.getUint32(2, true) === b.length && [12, 40, 52, 56, 64, 108, 124].includes(view.getUint32(14, true))) return { viewable: true, kind: 'bmp' };
  }
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(b);
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return sniffCompound(b);
  if (startsWith(b, ascii('MZ'))) return { viewable: false, kind: 'unknown', detail: 'Windows 可执行程序' };
  if (startsWith(b, ascii('{\\rtf'))) return { viewable: false, kind: 'unknown', detail: 'RTF 文档（可嵌入对象）' };
  return sniffText(b);
}

/** What opening a named file would mean: allowed (with its kind), or refused with a reason. */
export type OpenVerdict = { ok: true; kind: ViewableKind; name: string } | { ok: false; reason: string };

/**
 * May a file with this name and these bytes be handed to the system viewer? Only when the bytes are
 * a viewable kind and the (normalised) name's extension is one of that kind's — so the program the
 * system picks by extension is the viewer of what the bytes really are.
 */
export function openVerdict(name: string, bytes: Uint8Array): OpenVerdict {
  const safe = normaliseFileName(name);
  const ext = extensionOf(safe);
  const sniffed = sniffFileType(bytes);
  if (!sniffed.viewable) return { ok: false, reason: `「${safe}」是${sniffed.detail}，不在可直接打开的类型之列` };
  const info = VIEWABLE[sniffed.kind];
  if (!info.extensions.includes(ext)) {
    return { ok: false, reason: `「${safe}」的内容是${info.label}，与扩展名${ext ? `「.${ext}」` : '（无）'}不符` };
  }
  return { ok: true, kind: sniffed.kind, name: safe };
}

/**
 * Is a declared type (MIME or the name's extension) contradicted by the bytes? A bundle whose
 * evidence says PDF and holds HTML, or says PNG and holds SVG, is refused at verification. Returns
 * a sentence saying what contradicts what, or null. A name or type that claims nothing viewable
 * (a .zip, application/octet-stream) is not contradicted by anything.
 */
export function declaredTypeContradiction(name: string | null, mime: string | null, bytes: Uint8Array): string | null {
  const claims = [kindOfMime(mime), name ? kindOfExtension(extensionOf(normaliseFileName(name))) : null].filter((k): k is ViewableKind => k !== null);
  if (claims.length === 0) return null;
  const sniffed = sniffFileType(bytes);
  for (const claim of claims) {
    if (sniffed.viewable && sniffed.kind === claim) continue;
    const actual = sniffed.viewable ? VIEWABLE[sniffed.kind].label : sniffed.detail;
    return `声称是${VIEWABLE[claim].label}，实际内容是${actual}`;
  }
  return null;
}

/** The MIME type to record for a file: what its bytes are, never what its name says. */
export function mimeOf(bytes: Uint8Array): string {
  const s = sniffFileType(bytes);
  return s.viewable ? VIEWABLE[s.kind].mime : 'application/octet-stream';
}

/** Windows device names: a file called CON or con.txt cannot be created or opens the device. */
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/**
 * A file name safe to show and to create: NFC; no control or format characters (bidi overrides
 * such as U+202E, zero-width characters); no folders or characters Windows forbids; no leading or
 * trailing dots and spaces (Windows drops trailing ones, so 「通知.exe.」 is 通知.exe); no reserved
 * device names; at most 120 characters with the extension kept.
 */
export function normaliseFileName(name: string): string {
  let s = name
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const ext = extensionOf(s);
  const base = ext ? s.slice(0, -(ext.length + 1)) : s;
  const stem = base.split('.')[0]!.trim();
  if (RESERVED_WINDOWS.test(stem)) s = `_${s}`;
  if (s.length > 120) {
    const keep = ext && ext.length <= 10 ? `.${ext}` : '';
    s = s.slice(0, 120 - keep.length).replace(/[.\s]+$/, '') + keep;
  }
  return s === '' ? 'attachment' : s;
}

/**
 * A name that came with a path (from the page, a dialog, a colleague's record): its last segment,
 * normalised as above, so no folder can be named through it.
 */
export function plainFileName(name: string): string {
  return normaliseFileName(name.split(/[\\/]/).pop() ?? '');
}
