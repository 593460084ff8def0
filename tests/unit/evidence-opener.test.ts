/**
 * A colleague's evidence file is untrusted. One click on its name in 佐证材料 must never run code:
 * only files whose bytes are a viewable document or image, under that format's own extension, reach
 * the system viewer, and they get the Mark-of-the-Web first. Everything else is refused (and can
 * only be saved). A disguised file (declared PDF, holding HTML) is refused at bundle verification.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { zipSync } from 'fflate';
import { openWithSystem, type MarkDeps } from '../../src-main/main/services/files';
import {
  declaredTypeContradiction,
  mimeOf,
  normaliseFileName,
  openVerdict,
  sniffFileType,
} from '../../src-main/shared/evidence/fileType';
import { readBundle } from '../../src-main/shared/bundle/read';
import { bundleWithEvidenceFile, ctx, expectRefused } from './bundle-fixtures';

const utf8 = new TextEncoder();
const pdf = utf8.encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF');
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const html = utf8.encode('<!doctype html><script>require("child_process").exec("calc")</script>');
const svg = utf8.encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]);
const text = utf8.encode('建邺区工作会议纪要\n一、会议内容……\n');
const ooxml = (main: string, extra: Record<string, Uint8Array> = {}) =>
  zipSync({ '[Content_Types].xml': utf8.encode('<Types/>'), [main]: utf8.encode('<x/>'), ...extra });
const docx = ooxml('word/document.xml');
const xlsx = ooxml('xl/workbook.xml');
const docm = ooxml('word/document.xml', { 'word/vbaProject.bin': new Uint8Array([1, 2, 3]) });
const xlsm = ooxml('xl/workbook.xml', { 'xl/vbaProject.bin': new Uint8Array([1, 2, 3]) });
const ofd = zipSync({ 'OFD.xml': utf8.encode('<ofd:OFD/>'), 'Doc_0/Document.xml': utf8.encode('<x/>') });
const plainZip = zipSync({ 'a.txt': utf8.encode('a') });
const utf16 = (s: string) => [...s].flatMap((c) => [c.charCodeAt(0), 0]);
const ole = (...streams: string[]) =>
  new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0), ...streams.flatMap(utf16)]);
const doc = ole('Root Entry', 'WordDocument', '1Table');
const docWithMacros = ole('Root Entry', 'WordDocument', 'Macros', 'VBA', '_VBA_PROJECT');
const msi = ole('Root Entry', 'SummaryInformation');

describe('what the bytes are', () => {
  it.each([
    ['pdf', pdf], ['png', png], ['jpeg', jpeg], ['docx', docx], ['xlsx', xlsx], ['ofd', ofd], ['doc', doc], ['text', text],
  ] as const)('%s is a viewable kind', (kind, bytes) => {
    expect(sniffFileType(bytes)).toEqual({ viewable: true, kind });
  });

  it.each([
    ['HTML', html, 'markup'], ['SVG with script', svg, 'markup'], ['a Windows program', exe, 'unknown'],
    ['a macro-enabled Word package', docm, 'macro_office'], ['a macro-enabled workbook', xlsm, 'macro_office'],
    ['a binary Word file with a VBA project', docWithMacros, 'macro_office'], ['an MSI-like compound file', msi, 'unknown'],
    ['a plain ZIP', plainZip, 'unknown'], ['RTF', utf8.encode('{\\rtf1\\ansi 通知}'), 'unknown'], ['an empty file', new Uint8Array(0), 'unknown'],
  ] as const)('%s is not viewable', (_, bytes, kind) => {
    expect(sniffFileType(bytes)).toMatchObject({ viewable: false, kind });
  });

  it('records the type the bytes have, not the one a name claims', () => {
    expect(mimeOf(pdf)).toBe('application/pdf');
    expect(mimeOf(svg)).toBe('application/octet-stream');
    expect(mimeOf(docm)).toBe('application/octet-stream');
  });
});

describe('which files may be opened', () => {
  // Every extension the audit got past the old block list, each with bytes that would otherwise
  // pass (a PDF's): a name that is not the bytes' own kind is never opened.
  const auditNames = [
    '说明.chm', '插件.xll', '控制台.msc', '应用.appref-ms', '设置.settingcontent-ms', '光盘.iso', '磁盘.vhd',
    '通知.docm', '统计.xlsm', '页面.html', '图标.svg', '启动.jnlp', '库.library-ms', '搜索.search-ms', '主题.theme',
    '命令.scf', '网站.website', '诊断.diagcab', '安装.msix', '安装.appinstaller', '脚本.py', '通知.exe.', '通知.exe',
    'setup.exe', '报告.pdf.bat', 'x.JS', 'run.sh', 'a.lnk', '无扩展名',
  ];
  it.each(auditNames)('%s is refused, whatever its bytes', (name) => {
    for (const bytes of [pdf, html, exe, docm]) expect(openVerdict(name, bytes).ok, `${name}`).toBe(false);
  });

  it.each([
    ['declared PDF, holding HTML', '通知.pdf', html],
    ['declared PNG, holding SVG with script', '截图.png', svg],
    ['declared Word, with macros', '方案.docx', docm],
    ['declared Word 97, with macros', '方案.doc', docWithMacros],
    ['declared text, holding a program', '说明.txt', exe],
    ['declared PDF, holding a program', '细则.pdf', exe],
  ])('%s is refused', (_, name, bytes) => {
    const v = openVerdict(name, bytes);
    expect(v.ok).toBe(false);
  });

  it.each([
    ['细则.pdf', pdf], ['截图.PNG', png], ['现场.jpeg', jpeg], ['现场.jpg', jpeg], ['方案.docx', docx], ['统计.xlsx', xlsx],
    ['公文.ofd', ofd], ['旧版.doc', doc], ['旧版.wps', doc], ['纪要.txt', text],
  ])('%s is opened', (name, bytes) => {
    expect(openVerdict(name, bytes)).toMatchObject({ ok: true });
  });

  it('says what was refused and why, in Chinese', () => {
    const v = openVerdict('通知.pdf', html);
    expect(!v.ok && v.reason).toContain('网页');
    const w = openVerdict('截图.png', pdf);
    expect(!w.ok && w.reason).toContain('PDF 文档');
  });
});

describe('file names', () => {
  it.each([
    ['bidi override hiding .exe', '报告\u202Efdp.exe', '报告fdp.exe'],
    ['zero-width characters', '通\u200B知\uFEFF.pdf', '通知.pdf'],
    ['trailing dot and space', '通知.exe. ', '通知.exe'],
    ['a reserved device name', 'CON.pdf', '_CON.pdf'],
    ['a reserved device name, any case, no extension', 'nul', '_nul'],
    ['decomposed characters (NFC)', 'Cafe\u0301.txt', 'Café.txt'],
    ['folders', '../../证明材料.pdf', '_.._证明材料.pdf'],
  ])('%s', (_, input, expected) => {
    expect(normaliseFileName(input)).toBe(expected);
  });

  it('keeps the extension when a long name is shortened', () => {
    const n = normaliseFileName(`${'很长的文件名'.repeat(40)}.pdf`);
    expect(n.length).toBe(120);
    expect(n.endsWith('.pdf')).toBe(true);
  });

  it('a bidi-disguised program stays refused after normalising', () => {
    expect(openVerdict('报告\u202Efdp.exe', pdf).ok).toBe(false);
  });
});

describe('openWithSystem', () => {
  const deps = (platform: NodeJS.Platform, fail = false) => {
    const calls: string[] = [];
    const d: MarkDeps = {
      platform,
      writeFile: vi.fn(async (path: string, data: string) => {
        calls.push(`write ${path} ${data}`);
        if (fail) throw new Error('EINVAL: no alternate data streams on this volume');
      }),
      execFile: vi.fn(async (file: string, args: string[]) => {
        calls.push(`exec ${file} ${args.join(' ')}`);
      }),
    };
    return { d, calls };
  };

  it('on Windows writes the Zone.Identifier stream (zone 3) before the viewer is asked', async () => {
    const { d, calls } = deps('win32');
    const openPath = vi.fn(async (path: string) => {
      calls.push(`open ${path}`);
      return '';
    });
    const r = await openWithSystem('细则.pdf', pdf, openPath, d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(calls).toEqual([`write ${r.value.path}:Zone.Identifier [ZoneTransfer]\r\nZoneId=3\r\n`, `open ${r.value.path}`]);
    expect(basename(r.value.path)).toBe('细则.pdf');
    expect(dirname(dirname(r.value.path))).toBe(tmpdir());
    expect(readFileSync(r.value.path)).toEqual(Buffer.from(pdf));
  });

  it('on macOS sets the quarantine attribute before the viewer is asked', async () => {
    const { d, calls } = deps('darwin');
    const r = await openWithSystem('截图.png', png, async (p) => (calls.push(`open ${p}`), ''), d);
    expect(r.ok).toBe(true);
    expect(calls[0]).toMatch(/^exec \/usr\/bin\/xattr -w com\.apple\.quarantine 0081;[0-9a-f]+;Pilot Desk; /);
    expect(calls[1]).toMatch(/^open /);
  });

  it('on Linux (no such mark) opens the file without one', async () => {
    const { d, calls } = deps('linux');
    const r = await openWithSystem('纪要.txt', text, async (p) => (calls.push(`open ${p}`), ''), d);
    expect(r.ok).toBe(true);
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['open']);
  });

  it('does not open a file whose mark cannot be set, and removes it', async () => {
    const { d } = deps('win32', true);
    const openPath = vi.fn(async () => '');
    const r = await openWithSystem('方案.docx', docx, openPath, d);
    expect(!r.ok && r.error.code).toBe('file.unsafe_type');
    expect(openPath).not.toHaveBeenCalled();
    const written = (d.writeFile as ReturnType<typeof vi.fn>).mock.calls[0]![0] as string;
    expect(existsSync(written.replace(/:Zone\.Identifier$/, ''))).toBe(false);
  });

  it('refuses a disguised or unlisted file without writing or opening anything', async () => {
    const { d } = deps('win32');
    const openPath = vi.fn(async () => '');
    for (const [name, bytes] of [['通知.pdf', html], ['说明.chm', pdf], ['通知.exe.', exe], ['报告\u202Efdp.exe', pdf]] as const) {
      const r = await openWithSystem(name, bytes, openPath, d);
      expect(r.ok, name).toBe(false);
      expect(!r.ok && r.error.code).toBe('file.unsafe_type');
      expect(!r.ok && r.error.message).toMatch(/另存/);
    }
    expect(openPath).not.toHaveBeenCalled();
    expect(d.writeFile).not.toHaveBeenCalled();
  });
});

describe('a colleague\'s bundle with a disguised evidence file', () => {
  it.each([
    ['declared application/pdf, holding HTML', '通知.pdf', 'application/pdf', html],
    ['named .png, holding SVG with script', '截图.png', null, svg],
    ['declared image/png, named .txt, holding SVG', '说明.txt', 'image/png', svg],
  ])('%s is refused at verification, with nothing read', (_, name, mime, bytes) => {
    const r = readBundle(bundleWithEvidenceFile(name, mime, bytes), ctx());
    expectRefused(r, 'bundle.disguised_attachment');
    if (!r.ok) expect(r.error.message).toContain(name);
  });

  it('a file that claims nothing viewable (a ZIP archive as octet-stream) still travels', () => {
    expect(readBundle(bundleWithEvidenceFile('材料.zip', 'application/octet-stream', plainZip), ctx()).ok).toBe(true);
    expect(declaredTypeContradiction('材料.zip', 'application/octet-stream', plainZip)).toBeNull();
  });
});
