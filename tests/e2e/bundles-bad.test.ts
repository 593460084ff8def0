/**
 * The bad-input suite end to end (headless Chromium through the harness): each hostile or damaged
 * bundle is chosen in the real open dialog, verified in the real Web Worker, and refused with one
 * clear Chinese message — and the local database is byte-for-byte what it was before.
 * (The same cases against the pure reader, with codes and memory bounds: tests/unit/bundle-bad-input.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { FORMAT_VERSION } from '../../src-main/shared/bundle/format';
import { bundleWithEvidenceFile, bundleWithProgressNotes, crc32, deflateRepeat, demoBundle, editJson, editText, rawZip, tamper, utf8 } from '../unit/bundle-fixtures';
import { snapshotBundle } from '../unit/snapshot-fixtures';
import { startApp, type AppSession } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

const MB = 1024 * 1024;
// demoBundle caches its bytes: every case works on its own copy.
const good = () => demoBundle({ units: 1, seed: 3 }).slice();
const link = (t: string) => t.replace(/"text":"([^"]+)"\}/, '"text":"$1","marks":[{"type":"link","attrs":{"href":"javascript:alert(1)"}}]}');

/** name → the bundle bytes and what the message must say. */
const CASES: [string, () => Uint8Array, RegExp][] = [
  ['not a zip', () => new Uint8Array(3000).map((_, i) => (i * 7919) % 251), /不是 ZIP 格式/],
  ['a text file', () => utf8.encode('这不是批注包'.repeat(50)), /所选文件是纯文本，不是批注包/],
  ['a Word document', () => zipSync({ '[Content_Types].xml': utf8.encode('<Types/>'), 'word/document.xml': utf8.encode('<w:document/>'), 'word/_rels/document.xml.rels': utf8.encode('<Relationships/>') }), /所选文件是Word 文档，不是批注包/],
  ['ZIP64 (a million entries marked)', () => { const b = new Uint8Array(4096 + 22); b.set([0x50, 0x4b, 0x03, 0x04]); const v = new DataView(b.buffer, 4096); v.setUint32(0, 0x06054b50, true); v.setUint16(8, 0xffff, true); v.setUint16(10, 0xffff, true); v.setUint32(12, 0xffffffff, true); v.setUint32(16, 0xffffffff, true); return b; }, /ZIP64/],
  ['truncated zip', () => good().slice(0, Math.floor(good().length * 0.6)), /已损坏或不完整/],
  ['a flipped byte', () => { const b = good(); b[Math.floor(b.length * 0.3)]! ^= 0x5a; return b; }, /批注包/],
  ['manifest missing', () => tamper(good(), { mutate: (f) => delete f['manifest.json'] }), /清单|manifest/],
  ['hash mismatch', () => tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (l) => (l[0].results = '篡改')) }), /校验|不一致|哈希|篡改/],
  ['wrong corpus hash', () => tamper(good(), { manifest: (m) => (m.corpusHash = 'f'.repeat(64)) }), /试点方案版本与本软件不一致/],
  ['unknown task id', () => tamper(good(), { mutate: (f) => editJson(f, 'log-entries.json', (l) => (l[0].taskId = 'T1-99')), rehash: true }), /T1-99/],
  ['duplicate ids', () => tamper(good(), { mutate: (f) => editJson(f, 'revisions.json', (l) => l.push(l[0])), rehash: true }), /重复/],
  ['a record with wrong types', () => tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (l) => (l[0].progress = '50')), rehash: true }), /progress/],
  ['__proto__ keys', () => tamper(good(), { mutate: (f) => editText(f, 'evidence.json', (t) => t.replace('{"id":', '{"__proto__":{"x":1},"id":')), rehash: true }), /[\u4e00-\u9fff]/],
  ['a 200 MB string', () => rawZip([{ name: 'annotations.json', method: 8, data: deflateRepeat(utf8.encode('[{"key":"'), new Uint8Array(MB).fill(0x61), 200, utf8.encode('"}]')), size: 200 * MB + 12, crc: 0 }]), /过大|压缩炸弹/],
  ['a zip bomb (≈1000:1)', () => rawZip([{ name: 'revisions.json', method: 8, data: deflateRepeat(new Uint8Array(0), new Uint8Array(MB), 1024, new Uint8Array(0)), size: 60 * MB, crc: 0 }]), /压缩炸弹/],
  ['10,000 entries', () => { const files: Record<string, Uint8Array> = {}; for (let i = 0; i < 10_000; i++) files[`attachments/${i.toString(16).padStart(64, '0')}`] = new Uint8Array([i & 255]); return zipSync(files, { level: 0 }); }, /10000 个文件/],
  ['../ names', () => rawZip([{ name: '../evil.json', method: 0, data: utf8.encode('[]'), size: 2, crc: crc32(utf8.encode('[]')) }]), /不安全的文件路径/],
  ['javascript: links in notes', () => tamper(good(), { mutate: (f) => editText(f, 'log-entries.json', link), rehash: true }), /链接/],
  ['a snapshot edited after freezing', () => tamper(snapshotBundle().bytes.slice(), { mutate: (f) => editJson(f, 'snapshots.json', (l) => (l[0].entries[0].status = 'done')), rehash: true }), /快照可能被改动过/],
  ['evidence declared PDF that is a web page', () => bundleWithEvidenceFile('通知.pdf', 'application/pdf', utf8.encode('<!doctype html><script>alert(1)</script>'), 3), /实际内容是网页/],
  ['a table cell spanning 1e9 columns', () => bundleWithProgressNotes({ type: 'doc', content: [{ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 1e9, rowspan: 1 }, content: [{ type: 'paragraph' }] }] }] }] }, 3), /合并范围|超过 30 列/],
  ['a future format version', () => tamper(good(), { manifest: (m) => (m.formatVersion = FORMAT_VERSION + 1) }), /请升级本软件/],
];

let app: AppSession;
let dir: string;

/** Every row of every store of the app's IndexedDB, as one string (read with the raw API). */
async function dbDump(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const open = () => new Promise<IDBDatabase>((res, rej) => { const r = indexedDB.open('pilot-desk'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const db = await open();
    const out: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames).sort()) {
      if (name === 'meta') continue; // meta records export times etc., not data
      out[name] = await new Promise<unknown[]>((res, rej) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => res(r.result.map((x: unknown) => (x && typeof x === 'object' && 'blob' in (x as object) ? { ...(x as object), blob: (x as { blob: Blob }).blob.size } : x)));
        r.onerror = () => rej(r.error);
      });
    }
    db.close();
    return JSON.stringify(out);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bad-bundles-'));
  app = await startApp();
  await new ProfileDialog(app.page).complete('孙审核', '鼓楼区');
  const wb = new Workbench(app.page);
  await wb.waitReady();
  await wb.openTask('T1-03');
  const panel = new AnnotationPanel(app.page);
  await panel.setStatus('基本完成');
  await app.page.waitForFunction(() => document.querySelector('[data-save-state]')?.getAttribute('data-save-state') === 'saved');
  await app.page.locator('.app-header .ant-segmented-item', { hasText: '批注包' }).click();
}, 120_000);
afterAll(() => app?.close());

describe('hostile and damaged bundles, end to end', () => {
  it.each(CASES)('%s: one clear Chinese message, zero rows written', async (name, build, pattern) => {
    const before = await dbDump(app.page);
    expect(before).toContain('T1-03');
    const file = join(dir, `${name.replace(/[^\w]+/g, '_')}.pilotbundle`);
    writeFileSync(file, build());
    app.harness.dialogQueue.push(file);
    await app.page.getByRole('button', { name: /选择批注包/ }).click();
    const alert = app.page.locator('.bundle-error');
    await alert.waitFor({ timeout: 60_000 });
    const text = await alert.innerText();
    expect(text).toMatch(/未导入/);
    expect(text).toMatch(pattern);
    expect(text).toContain('本机数据没有任何改动');
    expect(await app.page.locator('.import-preview').count()).toBe(0);
    expect(await dbDump(app.page)).toBe(before);
  });
});
