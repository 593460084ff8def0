/**
 * The timeline (进展记录) and the evidence list (佐证材料) with their files.
 *
 * jsdom's Blob cannot be stored in IndexedDB under Node (fake-indexeddb clones with Node's
 * structuredClone, which does not know jsdom's Blob and keeps an empty object); Chromium's can.
 * So this file runs with Node's own Blob, which clones like the browser's.
 */
import { createHash } from 'node:crypto';
import { Blob as NodeBlob } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_ATTACHMENT_BYTES, type Author } from '../../src-main/shared/domain';
import { docFromText, type RichDoc } from '../../src-main/shared/richtext';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import {
  addEvidence,
  addLogEntry,
  countEvidenceByKey,
  deleteEvidence,
  deleteLogEntry,
  getAttachment,
  listEvidence,
  listLogEntries,
  updateEvidence,
  updateLogEntry,
  type EvidenceInput,
} from '../../src-renderer/src/db/repo';

vi.stubGlobal('Blob', NodeBlob);

let db: PilotDb;
const me: Author = { name: '陈静', unitCode: '320105' };
const NOW = new Date('2025-03-10T09:00:00+08:00');

async function rowCounts(d: PilotDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of d.tables) out[table.name] = await table.count();
  return out;
}

beforeEach(async () => {
  db = createDb(`logev-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => {
  db.close();
  vi.restoreAllMocks();
});

describe('timeline (进展记录)', () => {
  const add = async (date: string, text: string, now = NOW) => {
    const r = await addLogEntry(db, { taskId: 'T2-03', unitCode: '320105', date, body: docFromText(text) }, me, now);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('lists entries newest date first and hides deleted ones, which stay as tombstones', async () => {
    await add('2024-03-01', '召开专题会');
    const april = await add('2024-04-01', '印发工作方案');
    await add('2024-05-01', '首批企业落地');
    await addLogEntry(db, { taskId: 'T2-03', unitCode: '320104', date: '2024-06-01', body: docFromText('别的区') }, me, NOW);
    expect((await listLogEntries(db, 'T2-03', '320105')).map((e) => e.date)).toEqual(['2024-05-01', '2024-04-01', '2024-03-01']);

    const del = await deleteLogEntry(db, april.id, me, NOW);
    expect(del.ok).toBe(true);
    expect((await listLogEntries(db, 'T2-03', '320105')).map((e) => e.date)).toEqual(['2024-05-01', '2024-03-01']);
    expect(await db.logEntries.get(april.id)).toMatchObject({ deleted: true, body: docFromText('印发工作方案') });

    const edit = await updateLogEntry(db, april.id, { body: docFromText('改了') }, me, NOW);
    expect(!edit.ok && edit.error.code).toBe('log.not_found');
  });

  it('on the same date, the note written last comes first; editing the date re-sorts', async () => {
    const a = await add('2024-04-01', '上午', new Date('2025-03-10T01:00:00Z'));
    await add('2024-04-01', '下午', new Date('2025-03-10T06:00:00Z'));
    expect((await listLogEntries(db, 'T2-03', '320105')).map((e) => e.body)).toEqual([docFromText('下午'), docFromText('上午')]);
    const moved = await updateLogEntry(db, a.id, { date: '2024-07-01' }, { name: '王督办', unitCode: 'SJBM' }, NOW);
    expect(moved.ok && moved.value).toMatchObject({ date: '2024-07-01', author: { name: '王督办' } });
    expect((await listLogEntries(db, 'T2-03', '320105'))[0]!.id).toBe(a.id);
  });

  const badEntries: [string, string, RichDoc, 'date' | 'body', RegExp][] = [
    ['a date before the plan', '2022-12-01', docFromText('x'), 'date', /2022年12月29日/],
    ['a date that is not a date', '2024-02-30', docFromText('x'), 'date', /有效日期/],
    ['a date more than a year ahead', '2026-03-11', docFromText('x'), 'date', /一年/],
    ['an empty note', '2024-04-01', docFromText(''), 'body', /请填写进展内容/],
    ['an unsafe link', '2024-04-01', { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'link', attrs: { href: 'file:///etc/passwd' } }] }] }] }, 'body', /链接/],
  ];
  it.each(badEntries)('refuses %s at its field and writes nothing', async (_n, date, body, field, message) => {
    const before = await rowCounts(db);
    const r = await addLogEntry(db, { taskId: 'T2-03', unitCode: '320105', date, body }, me, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.fieldErrors)).toEqual([field]);
      expect(r.fieldErrors[field]).toMatch(message);
    }
    expect(await rowCounts(db)).toEqual(before);
  });

  it('accepts a date exactly one year ahead', async () => {
    expect((await addLogEntry(db, { taskId: 'T2-03', unitCode: '320105', date: '2026-03-10', body: docFromText('计划') }, me, NOW)).ok).toBe(true);
  });

  it('counts the year from today in Nanjing, also on a machine set to UTC after 16:00 UTC', async () => {
    // 2025-03-10 16:30 UTC is 2025-03-11 00:30 in Nanjing: a year ahead is 2026-03-11.
    const late = new Date('2025-03-10T16:30:00Z');
    expect((await addLogEntry(db, { taskId: 'T2-03', unitCode: '320105', date: '2026-03-11', body: docFromText('计划') }, me, late)).ok).toBe(true);
    const r = await addLogEntry(db, { taskId: 'T2-03', unitCode: '320105', date: '2026-03-12', body: docFromText('计划') }, me, late);
    expect(!r.ok && r.fieldErrors.date).toMatch(/一年/);
  });
});

describe('evidence (佐证材料) and attachments', () => {
  const input = (patch: Partial<EvidenceInput> = {}): EvidenceInput => ({
    taskId: 'T1-20', unitCode: '320105', title: '建邺区实施细则', kind: 'policy', docNumber: '建政发〔2024〕8号', date: '2024-05-20', ...patch,
  });
  const bytes = new TextEncoder().encode('%PDF-1.7 建邺区实施细则');
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('stores a file once per content hash, however many evidence rows refer to it', async () => {
    const a = await addEvidence(db, input(), { name: 'C:\\材料\\细则.pdf', bytes }, me, NOW);
    const b = await addEvidence(db, input({ taskId: 'T1-21', title: '同一文件' }), { name: '细则-副本.pdf', bytes: bytes.slice() }, me, NOW);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value).toMatchObject({ attachmentHash: sha(bytes), fileName: '细则.pdf', mime: 'application/pdf', size: bytes.byteLength });
    expect(b.value.attachmentHash).toBe(a.value.attachmentHash);
    expect(b.value.fileName).toBe('细则-副本.pdf');
    expect(await db.evidence.count()).toBe(2);
    expect(await db.attachments.count()).toBe(1);

    const file = await getAttachment(db, sha(bytes));
    expect(file).toMatchObject({ hash: sha(bytes), name: '细则.pdf', size: bytes.byteLength, mime: 'application/pdf' });
    expect(Array.from(new Uint8Array(await file!.blob.arrayBuffer()))).toEqual(Array.from(bytes));

    // A RAR archive: attached and kept, but its type is nothing viewable.
    const other = new Uint8Array([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00, 1, 2, 3]);
    const c = await addEvidence(db, input({ title: '统计表', kind: 'statistics' }), { name: '统计.rar', bytes: new NodeBlob([other]) as unknown as Blob }, me, NOW);
    expect(c.ok && c.value).toMatchObject({ attachmentHash: sha(other), mime: 'application/octet-stream' });
    expect(await db.attachments.count()).toBe(2);
  });

  it('refuses a file over 25 MB before reading it, with a message at the file, writing nothing', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const before = await rowCounts(db);
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    const r = await addEvidence(db, input(), { name: '视频.mp4', bytes: big }, me, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('evidence.invalid');
      expect(r.fieldErrors).toEqual({ file: '附件超过 25 MB 上限' });
    }
    expect(digest).not.toHaveBeenCalled();
    expect(await rowCounts(db)).toEqual(before);
  });

  it('accepts a file of exactly 25 MB', async () => {
    const scan = new Uint8Array(MAX_ATTACHMENT_BYTES);
    scan.set(new TextEncoder().encode('%PDF-1.4'));
    const r = await addEvidence(db, input(), { name: '扫描件.pdf', bytes: scan }, me, NOW);
    expect(r.ok && r.value.size).toBe(MAX_ATTACHMENT_BYTES);
  });

  it('refuses a missing title and a bad date at their fields', async () => {
    const before = await rowCounts(db);
    const r = await addEvidence(db, input({ title: ' ', date: '2024-13-01' }), null, me, NOW);
    expect(!r.ok && r.fieldErrors).toEqual({ title: '请填写材料名称', date: expect.stringMatching(/有效日期/) });
    expect(await rowCounts(db)).toEqual(before);
  });

  it('refuses a control character in the title or 文号 (a bundle with it would not import)', async () => {
    const before = await rowCounts(db);
    const r = await addEvidence(db, input({ title: '实施细则\u0007', docNumber: '建政发\u000b〔2024〕8号' }), null, me, NOW);
    expect(!r.ok && r.fieldErrors).toEqual({ title: expect.stringMatching(/控制字符/), docNumber: expect.stringMatching(/控制字符/) });
    expect(await rowCounts(db)).toEqual(before);
  });

  it('lists live evidence in the order added; deleting leaves a tombstone and the file', async () => {
    const first = await addEvidence(db, input({ title: '一' }), { name: 'a.pdf', bytes }, me, new Date('2025-03-01T00:00:00Z'));
    await addEvidence(db, input({ title: '二', date: null }), null, me, new Date('2025-03-02T00:00:00Z'));
    await addEvidence(db, input({ title: '别区', unitCode: '320104' }), null, me, NOW);
    expect((await listEvidence(db, 'T1-20', '320105')).map((e) => e.title)).toEqual(['一', '二']);
    expect(await countEvidenceByKey(db, { unitCode: '320105' })).toEqual(new Map([['T1-20|320105', 2]]));
    if (!first.ok) throw new Error(first.error.message);

    expect((await deleteEvidence(db, first.value.id, me, NOW)).ok).toBe(true);
    expect((await listEvidence(db, 'T1-20', '320105')).map((e) => e.title)).toEqual(['二']);
    expect(await db.evidence.get(first.value.id)).toMatchObject({ deleted: true });
    expect(await countEvidenceByKey(db)).toEqual(new Map([['T1-20|320105', 1], ['T1-20|320104', 1]]));
    expect(await getAttachment(db, sha(bytes))).toBeDefined();
  });

  it('updates fields, replaces or detaches the file', async () => {
    const r = await addEvidence(db, input(), { name: 'a.pdf', bytes }, me, NOW);
    if (!r.ok) throw new Error(r.error.message);
    const newer = new TextEncoder().encode('%PDF-1.7 修订版');
    const replaced = await updateEvidence(db, r.value.id, { title: '细则（修订）' }, { name: 'b.pdf', bytes: newer }, me, NOW);
    expect(replaced.ok && replaced.value).toMatchObject({ title: '细则（修订）', attachmentHash: sha(newer), fileName: 'b.pdf', docNumber: '建政发〔2024〕8号' });
    const detached = await updateEvidence(db, r.value.id, {}, null, me, NOW);
    expect(detached.ok && detached.value).toMatchObject({ attachmentHash: null, fileName: null, size: null });
    const bad = await updateEvidence(db, r.value.id, { kind: 'poster' as never }, undefined, me, NOW);
    expect(!bad.ok && bad.fieldErrors).toEqual({ kind: '请选择材料类型' });
    expect(await db.attachments.count()).toBe(2);
  });
});
