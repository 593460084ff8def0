/**
 * Main checks a bundle file from its ZIP directory before reading it whole: a hostile file — ZIP64
 * with a million entries, thousands of entries, an entry declared beyond the caps, a large file
 * that is not a ZIP — is refused having read only its end, and a Word document or a PDF chosen by
 * mistake is named as what it is. A good bundle passes and is read as before.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { bundlePrecheck, readChosenFile } from '../../src-main/main/services/files';
import { demoBundle } from './bundle-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'pd-precheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MB = 1024 * 1024;

/** An end-of-central-directory record. */
function endRecord(count: number, cdSize: number, cdOffset: number): Uint8Array {
  const b = new Uint8Array(22);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, count & 0xffff, true);
  v.setUint16(10, count & 0xffff, true);
  v.setUint32(12, cdSize >>> 0, true);
  v.setUint32(16, cdOffset >>> 0, true);
  return b;
}

/** A file of `size` bytes (sparse: nothing written but `tail` at its end and `head` at its start). */
function sparseFile(name: string, size: number, tail: Uint8Array, head?: Uint8Array): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  if (head) writeSync(fd, head, 0, head.length, 0);
  writeSync(fd, tail, 0, tail.length, size - tail.length);
  closeSync(fd);
  return path;
}

/** Runs the precheck over a byte array, counting the bytes it reads. */
async function precheckBytes(bytes: Uint8Array) {
  let read = 0;
  const r = await bundlePrecheck(bytes.length, async (offset, length) => {
    read += length;
    return bytes.subarray(offset, offset + length);
  });
  return { r, read };
}

describe('bundle precheck (main, before reading the file)', () => {
  it('passes a good bundle, which is then read whole as before', async () => {
    const good = demoBundle({ units: 1, seed: 3 });
    expect((await precheckBytes(good)).r.ok).toBe(true);
    const path = join(dir, 'good.pilotbundle');
    writeFileSync(path, good);
    const r = await readChosenFile(path, 512 * MB, bundlePrecheck);
    expect(r.ok && r.value.size).toBe(good.length);
  });

  it('refuses a 400 MB ZIP64 file (a million entries marked) from its last bytes, naming ZIP64', async () => {
    const path = sparseFile('zip64.pilotbundle', 400 * MB, endRecord(0xffff, 0xffffffff, 0xffffffff), strToU8('PK\x03\x04'));
    const before = process.memoryUsage().rss;
    const r = await readChosenFile(path, 512 * MB, bundlePrecheck);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bundle.zip64');
      expect(r.error.message).toContain('ZIP64');
    }
    // Not read whole: far less than the file's 400 MB came into memory.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it('refuses thousands of entries from the directory count, reading at most the last 64 KB', async () => {
    const { r, read } = await precheckBytes(concat(new Uint8Array(1000), endRecord(60_000, 10, 1000 - 10)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bundle.too_many_entries');
    expect(read).toBeLessThanOrEqual(22 + 0xffff);
  });

  it('refuses an entry declared larger than its cap from the directory', async () => {
    // A bundle whose attachment entry claims 100 MB (the directory is all the precheck reads of it).
    const zip = zipSync({ 'manifest.json': strToU8('{}'), [`attachments/${'a'.repeat(64)}`]: new Uint8Array(10) }, { level: 0 });
    const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    // Patch the central directory's uncompressed size of the second entry.
    let p = v.getUint32(zip.length - 22 + 16, true);
    for (let i = 0; i < 2; i++) {
      const nameLen = v.getUint16(p + 28, true);
      const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
      if (name.startsWith('attachments/')) {
        v.setUint32(p + 24, 100 * MB, true);
        v.setUint32(p + 20, 100 * MB, true); // stored: compressed = uncompressed
      }
      p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
    }
    const { r } = await precheckBytes(zip);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bundle.too_large');
  });

  it('names a Word document, an Excel workbook and a PDF chosen instead of a bundle', async () => {
    const docx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>'), 'word/_rels/document.xml.rels': strToU8('<Relationships/>') });
    const word = await precheckBytes(docx);
    expect(word.r.ok).toBe(false);
    if (!word.r.ok) {
      expect(word.r.error.code).toBe('bundle.other_kind');
      expect(word.r.error.message).toBe('所选文件是Word 文档，不是批注包。请选择本软件导出的 .pilotbundle 文件。');
    }
    const xlsx = await precheckBytes(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>') }));
    expect(!xlsx.r.ok && xlsx.r.error.message).toContain('Excel 工作簿');
    const pdf = await precheckBytes(strToU8('%PDF-1.7\n' + 'x'.repeat(5000)));
    expect(!pdf.r.ok && pdf.r.error.message).toContain('PDF 文档');
    const text = await precheckBytes(strToU8('随便写的一段文字'));
    expect(!text.r.ok && text.r.error.message).toContain('纯文本');
    // Bytes of no known kind keep the plain "not a bundle" message.
    const junk = await precheckBytes(new Uint8Array(3000).map((_, i) => (i * 7919) % 251));
    expect(!junk.r.ok && junk.r.error.code).toBe('bundle.not_zip');
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
