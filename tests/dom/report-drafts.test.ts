/**
 * Report drafts in the database, as the author relies on them: a new draft is stored with its first
 * revision; the autosaves of one working session are one revision, a new session (or a long one)
 * starts another; a deleted draft comes back with 撤销; a backup carries the drafts and a restore
 * brings them back; and a hostile draft — from the screen or from a backup — is refused with a
 * Chinese reason and zero rows written.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeMain, fullSnapshot, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import type { Author } from '../../src-main/shared/domain';
import { EMPTY_FORM, type DraftSection, type ReportDraft } from '../../src-main/shared/report/draft';
import { docFingerprint } from '../../src-main/shared/report/generate';
import { COALESCE_MS } from '../../src-main/shared/report/draftSchema';
import type { RichDoc } from '../../src-main/shared/richtext';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { backupName } from '../../src-main/shared/backup/rotation';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { listDraftRevisions, listDrafts, readDraft, type NewDraft } from '../../src-renderer/src/db/drafts';
import { onDataChange, type DataChange } from '../../src-renderer/src/db/mutate';
import * as writes from '../../src-renderer/src/db/writes';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const backups = await import('../../src-renderer/src/features/backups/backupService');

const me: Author = { name: '李明', unitCode: '320102' };
let corpus: Corpus;
let db: PilotDb;
let main: FakeMain;
let changes: DataChange[];
let stop: () => void;

const para = (...content: RichDoc['content']): RichDoc => ({ type: 'doc', content: [{ type: 'paragraph', content }] });
function section(key: DraftSection['key'], title: string, doc: RichDoc): DraftSection {
  return { key, title, doc, generated: docFingerprint(doc) };
}
const newDraft = (): NewDraft => ({
  kind: 'district',
  title: '玄武区服务业扩大开放综合试点推进情况报告',
  scope: { unitCodes: ['320102'], tables: [], statuses: [] },
  asOf: '2025-06-30',
  issuer: '南京市玄武区人民政府',
  signDate: '2025-07-01',
  form: { ...EMPTY_FORM, recipients: '市服务业扩大开放综合试点工作领导小组办公室' },
  sections: [
    section('overview', '总体推进情况', para({ type: 'text', text: '已实施' }, { type: 'figure', attrs: { key: 'overall.implemented', text: '12' } }, { type: 'text', text: '项。' })),
    section('problems', '存在问题', para({ type: 'text', text: '（待补充）' })),
  ],
});
const withText = (d: ReportDraft, text: string): ReportDraft => ({ ...d, sections: d.sections.map((s, i) => (i === 1 ? { ...s, doc: para({ type: 'text', text }) } : s)) });

beforeAll(() => {
  corpus = testCorpus();
});
beforeEach(async () => {
  main = createFakeMain(new Date('2025-07-01T02:00:00.000Z'));
  ipc.invoke = (channel, ...args) => main.invoke(channel as never, ...args);
  backups.resetBackupSession();
  db = createDb(`drafts-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
  changes = [];
  stop = onDataChange((c) => void changes.push(c));
});
afterEach(() => {
  stop();
  db.close();
  main.dispose();
});

describe('storing a draft', () => {
  it('creates the draft with its first revision and announces it once', async () => {
    const r = await writes.createDraft(db, newDraft(), me, { session: 's1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(await readDraft(db, r.value.id)).toEqual(r.value);
    expect(r.value.updatedBy).toEqual(me);
    const revs = await listDraftRevisions(db, r.value.id);
    expect(revs).toHaveLength(1);
    expect(revs[0]!.draft).toEqual(r.value);
    expect(changes).toEqual([{ kind: 'draft', action: 'created', id: r.value.id }]);
  });

  it('coalesces the autosaves of one working session into one revision, and starts a new one for a new session or after half an hour', async () => {
    const t0 = new Date('2025-07-01T02:00:00.000Z');
    const created = await writes.createDraft(db, newDraft(), me, { session: 's1', now: t0 });
    if (!created.ok) throw new Error(created.error.message);
    let d = created.value;
    for (let i = 1; i <= 5; i++) {
      const r = await writes.saveDraft(db, withText(d, `问题${i}`), me, { session: 's1', now: new Date(t0.getTime() + i * 60_000) });
      if (!r.ok) throw new Error(r.error.message);
      d = r.value;
    }
    let revs = await listDraftRevisions(db, d.id);
    expect(revs).toHaveLength(1);
    expect(revs[0]!.draft.sections[1]!.doc).toEqual(para({ type: 'text', text: '问题5' }));
    expect(revs[0]!.startedAt).toBe(t0.toISOString());

    // The same screen opened again later is another session: a second revision, the first kept.
    const s2 = await writes.saveDraft(db, withText(d, '第二次打开时写的'), me, { session: 's2', now: new Date(t0.getTime() + 3_600_000) });
    expect(s2.ok).toBe(true);
    revs = await listDraftRevisions(db, d.id);
    expect(revs.map((r) => r.draft.sections[1]!.doc)).toEqual([para({ type: 'text', text: '问题5' }), para({ type: 'text', text: '第二次打开时写的' })]);

    // A session left open all afternoon is cut into revisions of at most COALESCE_MS.
    const late = await writes.saveDraft(db, withText(d, '傍晚'), me, { session: 's2', now: new Date(t0.getTime() + 3_600_000 + COALESCE_MS + 1) });
    expect(late.ok).toBe(true);
    expect(await listDraftRevisions(db, d.id)).toHaveLength(3);
    expect((await readDraft(db, d.id))!.sections[1]!.doc).toEqual(para({ type: 'text', text: '傍晚' }));
    expect((await readDraft(db, d.id))!.createdAt).toBe(t0.toISOString());
  });

  it('renames, deletes and puts back a draft exactly as it was', async () => {
    const created = await writes.createDraft(db, newDraft(), me, { session: 's1' });
    if (!created.ok) throw new Error(created.error.message);
    expect((await writes.renameDraft(db, created.value.id, '   ', me, { session: 's1' })).ok).toBe(false);
    const renamed = await writes.renameDraft(db, created.value.id, '  上半年报告 ', me, { session: 's1' });
    expect(renamed.ok && renamed.value.title).toBe('上半年报告');
    const before = await fullSnapshot(db);
    const del = await writes.deleteDraft(db, created.value.id);
    if (!del.ok) throw new Error(del.error.message);
    expect(await listDrafts(db)).toEqual([]);
    expect(await db.reportDraftRevisions.count()).toBe(0);
    expect((await writes.undeleteDraft(db, del.value)).ok).toBe(true);
    expect(await fullSnapshot(db)).toEqual(before);
  });

  it('refuses a hostile draft with a Chinese reason and writes nothing', async () => {
    const created = await writes.createDraft(db, newDraft(), me, { session: 's1' });
    if (!created.ok) throw new Error(created.error.message);
    changes = [];
    const before = await fullSnapshot(db);
    const script: RichDoc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
    const hostile: ReportDraft[] = [
      { ...created.value, sections: [{ ...created.value.sections[0]!, doc: script }] },
      { ...created.value, sections: [{ ...created.value.sections[0]!, doc: { type: 'doc', content: [{ type: 'image', attrs: { src: 'file:///etc/passwd' } }] } as unknown as RichDoc }] },
      { ...created.value, title: '标题\u0007' },
      { ...created.value, form: { ...created.value.form, extra: 1 } as never },
    ];
    for (const h of hostile) {
      const r = await writes.saveDraft(db, h, me, { session: 's1' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/^报告草稿无法保存：/);
    }
    const fresh = await writes.createDraft(db, { ...newDraft(), sections: hostile[1]!.sections }, me, { session: 's1' });
    expect(fresh.ok).toBe(false);
    expect(await fullSnapshot(db)).toEqual(before);
    expect(changes).toEqual([]);
  });
});

describe('drafts in backups', { timeout: 30_000 }, () => {
  it('a backup carries the drafts and their revisions; restoring it brings them back after they were deleted', async () => {
    const created = await writes.createDraft(db, newDraft(), me, { session: 's1' });
    if (!created.ok) throw new Error(created.error.message);
    await writes.saveDraft(db, withText(created.value, '备份前写的问题'), me, { session: 's2' });
    const before = { drafts: await db.reportDrafts.toArray(), revisions: await db.reportDraftRevisions.toArray() };
    const b = await backups.makeBackup(db, corpus, me, { appVersion: '0.1.0-test' });
    if (!b.ok) throw new Error(b.error.message);

    await writes.deleteDraft(db, created.value.id);
    expect(await db.reportDrafts.count()).toBe(0);
    const r = await backups.restoreBackup(db, corpus, b.value.backup.name, me, { appVersion: '0.1.0-test' });
    expect(r.ok).toBe(true);
    expect(await db.reportDrafts.toArray()).toEqual(before.drafts);
    expect(await db.reportDraftRevisions.toArray()).toEqual(before.revisions);
    expect((await readDraft(db, created.value.id))!.sections[1]!.doc).toEqual(para({ type: 'text', text: '备份前写的问题' }));
  });

  it('a backup whose draft is hostile is refused before anything is written', async () => {
    const created = await writes.createDraft(db, newDraft(), me, { session: 's1' });
    if (!created.ok) throw new Error(created.error.message);
    const bad = { ...created.value, sections: [{ ...created.value.sections[0]!, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'figure', attrs: { key: 'x', text: '<img src=x onerror=alert(1)>'.repeat(20) } }] }] } as RichDoc }] };
    const bytes = writeBundle({
      units: [], annotations: [], revisions: [], logEntries: [], evidence: [], attachments: new Map(),
      reportDrafts: [bad], reportDraftRevisions: [],
      manifest: { appVersion: '0.1.0-test', corpusHash: corpus.hash, author: me, createdAt: '2025-06-30T00:00:00.000Z', scope: 'all' },
    });
    const name = backupName(new Date('2025-06-30T00:00:00.000Z'), 'auto');
    writeFileSync(join(main.dir, name), bytes);
    const before = await fullSnapshot(db);
    const r = await backups.restoreBackup(db, corpus, name, me, { appVersion: '0.1.0-test' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/所选备份已损坏.*报告草稿/);
    expect(await fullSnapshot(db)).toEqual(before);
  });
});
