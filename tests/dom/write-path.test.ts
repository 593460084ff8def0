/**
 * The renderer's one write path (db/mutate.ts): every write the person can start sends exactly one
 * data-change event (and a refused or no-op write none), the search index hears of each saved
 * annotation — a draft recovered at start-up included — and every write that reads or replaces the
 * data first saves what was just typed in any editor, without the caller flushing anything.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeMain, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { annotationKey, emptyCaseStudy, emptyFields, type Author } from '../../src-main/shared/domain';
import { chinaToday } from '../../src-main/shared/time';
import { docFromText } from '../../src-main/shared/richtext';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { onDataChange, type DataChange } from '../../src-renderer/src/db/mutate';
import { getAnnotation, listRevisions } from '../../src-renderer/src/db/repo';
import { searchAll } from '../../src-renderer/src/db/search';
import * as writes from '../../src-renderer/src/db/writes';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const { useSessionStore } = await import('../../src-renderer/src/store/sessionStore');
const { useSearchStore } = await import('../../src-renderer/src/store/searchStore');
const { recoverDrafts, useAnnotationEditor } = await import('../../src-renderer/src/features/annotation/annotationStore');
const { writeDraft } = await import('../../src-renderer/src/features/annotation/draftJournal');
const { changeCase, hasPendingCase } = await import('../../src-renderer/src/features/cases/caseEdits');
const { applyImport, buildExport, previewImport, undoImport } = await import('../../src-renderer/src/features/bundles/bundleService');
const { deletePeriod, freezeNow, savePeriod } = await import('../../src-renderer/src/features/periods/periodService');
const backups = await import('../../src-renderer/src/features/backups/backupService');

const corpus = testCorpus();
const UNIT = '320102';
const me: Author = { name: '李明', unitCode: UNIT };
const editor = () => useAnnotationEditor.getState();
const ctx = () => ({ corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });

let main: FakeMain;
let events: DataChange[] = [];
const unsubscribe = onDataChange((c) => void events.push(c));

/** The events `write` sent (and its value). */
async function eventsOf<T>(write: () => Promise<T>): Promise<{ value: T; kinds: string[] }> {
  events = [];
  const value = await write();
  return { value, kinds: events.map((e) => (e.kind === 'annotation' ? `annotation:${e.source}` : 'action' in e ? `${e.kind}:${e.action}` : e.kind)) };
}

beforeAll(async () => {
  main = createFakeMain();
  ipc.invoke = (channel, ...args) => main.invoke(channel as never, ...args);
  await openDatabase(db, { persist: false });
  expect((await writes.saveProfile(db, { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' })).ok).toBe(true);
  useSessionStore.setState({ status: 'ready', profile: { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' }, unitCode: UNIT });
});
afterAll(() => {
  unsubscribe();
  main.dispose();
});
beforeEach(() => localStorage.clear());

describe('every write sends exactly one change', () => {
  it('annotations, case write-ups, restored revisions; nothing for a refused or unchanged save', async () => {
    const first = await eventsOf(() => writes.saveAnnotation(db, 'T1-01', UNIT, { ...emptyFields(), results: '第一版', isInnovation: true }, me));
    expect(first.kinds).toEqual(['annotation:edit']);
    expect((await eventsOf(() => writes.saveAnnotation(db, 'T1-01', UNIT, { ...emptyFields(), results: '第二版', isInnovation: true }, me))).kinds).toEqual(['annotation:edit']);
    expect((await eventsOf(() => writes.saveAnnotation(db, 'T1-01', UNIT, { ...emptyFields(), results: '第二版', isInnovation: true }, me))).kinds).toEqual([]);
    expect((await eventsOf(() => writes.saveAnnotation(db, 'T1-01', UNIT, { ...emptyFields(), progress: 120 }, me))).kinds).toEqual([]);

    const key = annotationKey('T1-01', UNIT);
    expect((await eventsOf(() => writes.saveCaseStudy(db, key, { ...emptyCaseStudy(), name: '一站式服务' }, me))).kinds).toEqual(['annotation:case']);
    const oldest = (await listRevisions(db, key)).at(-1)!;
    expect((await eventsOf(() => writes.restoreRevision(db, key, oldest.id, me))).kinds).toEqual(['annotation:revision']);
  });

  it('log entries and evidence: add, change, delete', async () => {
    const added = await eventsOf(() => writes.addLogEntry(db, { taskId: 'T1-02', unitCode: UNIT, date: chinaToday(), body: docFromText('召开推进会') }, me));
    expect(added.kinds).toEqual(['log']);
    if (!added.value.ok) throw new Error(added.value.error.message);
    const id = added.value.value.id;
    expect((await eventsOf(() => writes.updateLogEntry(db, id, { body: docFromText('召开专题推进会') }, me))).kinds).toEqual(['log']);
    expect((await eventsOf(() => writes.deleteLogEntry(db, id, me))).kinds).toEqual(['log']);
    expect((await eventsOf(() => writes.addLogEntry(db, { taskId: 'T1-02', unitCode: UNIT, date: 'x', body: docFromText('无效日期') }, me))).kinds).toEqual([]);

    const ev = await eventsOf(() => writes.addEvidence(db, { taskId: 'T1-02', unitCode: UNIT, title: '实施方案', kind: 'policy', docNumber: '', date: null }, null, me));
    expect(ev.kinds).toEqual(['evidence']);
    if (!ev.value.ok) throw new Error(ev.value.error.message);
    expect((await eventsOf(() => writes.updateEvidence(db, ev.value.ok ? ev.value.value.id : '', { title: '实施方案（修订）' }, undefined, me))).kinds).toEqual(['evidence']);
    expect((await eventsOf(() => writes.deleteEvidence(db, ev.value.ok ? ev.value.value.id : '', me))).kinds).toEqual(['evidence']);
  });

  it('profile and units', async () => {
    expect((await eventsOf(() => writes.saveProfile(db, { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' }))).kinds).toEqual(['profile']);
    expect((await eventsOf(() => writes.saveUnit(db, { code: 'TEST01', name: '测试园区', kind: 'zone' }, 'create'))).kinds).toEqual(['units']);
    expect(useSessionStore.getState().units.some((u) => u.code === 'TEST01')).toBe(true); // the session heard it
    expect((await eventsOf(() => writes.setUnitActive(db, 'TEST01', false))).kinds).toEqual(['units']);
    expect((await eventsOf(() => writes.setUnitActive(db, UNIT, false))).kinds).toEqual([]); // own unit: refused
  });

  it('periods and snapshots', async () => {
    const saved = await eventsOf(() => savePeriod(db, { name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31' }));
    expect(saved.kinds).toEqual(['period:saved']);
    if (!saved.value.ok) throw new Error(saved.value.error.message);
    const period = saved.value.value;
    // Saving it unchanged writes nothing, and says nothing.
    expect((await eventsOf(() => savePeriod(db, { id: period.id, name: period.name, kind: period.kind, start: period.start, end: period.end }))).kinds).toEqual([]);
    const other = await savePeriod(db, { name: '中期', kind: 'midterm', start: '2024-01-01', end: '2024-06-30' });
    if (!other.ok) throw new Error(other.error.message);
    expect((await eventsOf(() => deletePeriod(db, other.value.id))).kinds).toEqual(['period:deleted']);
    expect((await eventsOf(() => freezeNow(db, period.id, me, corpus.hash))).kinds).toEqual(['period:frozen']);
  });

  it('an import and its undo', async () => {
    const read = readBundle(writeBundle(makeDemoData({ units: 2, seed: 11, corpus })), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const plan = await previewImport(db, read.value);
    // Fields both sides changed (the tests above wrote to the same unit): keep ours.
    const keepMine = Object.fromEntries(plan.keys.filter((k) => k.outcome === 'conflict').map((k) => [k.key, Object.fromEntries(k.conflicts.map((c) => [c.field, { take: 'mine' as const }]))]));
    const applied = await eventsOf(() => applyImport(db, plan, keepMine, { author: me, fileName: 'demo.pilotbundle' }));
    if (!applied.value.ok) throw new Error(applied.value.error.message);
    expect(applied.kinds).toEqual(['import:applied']);
    // The same bundle again writes nothing.
    expect((await eventsOf(async () => applyImport(db, await previewImport(db, read.value), {}, { author: me, fileName: 'again' }))).kinds).toEqual([]);
    expect((await eventsOf(() => undoImport(db, applied.value.ok ? applied.value.value.importId! : '', me))).kinds).toEqual(['import:undone']);
  });

  it('a restore and its undo', async () => {
    const backup = await backups.makeBackup(db, corpus, me);
    if (!backup.ok) throw new Error(backup.error.message);
    await writes.saveAnnotation(db, 'T2-01', UNIT, { ...emptyFields(), results: '备份之后' }, me);
    expect((await eventsOf(() => backups.restoreBackup(db, corpus, backup.value.backup.name, me))).kinds).toEqual(['restore:restored']);
    expect((await eventsOf(() => backups.undoRestore(db, corpus, me))).kinds).toEqual(['restore:undone']);
    expect((await eventsOf(() => backups.undoRestore(db, corpus, me))).kinds).toEqual([]); // refused: already undone
  });
});

describe('the search index follows the changes', () => {
  it('finds a draft recovered at start-up, and what the editor saved', async () => {
    const search = useSearchStore.getState();
    search.prepare(corpus, 60_000);
    search.start();
    await vi.waitFor(() => expect(useSearchStore.getState().building).toBe(false));
    const find = (q: string) => searchAll(useSearchStore.getState().index!, q).filter((h) => h.unitCode === UNIT);
    expect(find('关窗前留下的草稿')).toEqual([]);

    writeDraft(localStorage, {
      key: annotationKey('T1-07', UNIT),
      taskId: 'T1-07',
      unitCode: UNIT,
      fields: { ...emptyFields(), problems: '关窗前留下的草稿' },
      baseHead: null,
      author: me,
      at: new Date().toISOString(),
    });
    expect(await recoverDrafts()).toBe(1);
    expect(find('关窗前留下的草稿')).toEqual([expect.objectContaining({ taskId: 'T1-07', field: 'problems' })]);

    await editor().open('T1-08', UNIT);
    editor().change({ nextSteps: '编辑器保存的下步计划' });
    await editor().flush();
    expect(find('编辑器保存的下步计划')).toEqual([expect.objectContaining({ taskId: 'T1-08', field: 'nextSteps' })]);
  });

  it('is rebuilt after an import with what came in, and the session knows the new units', async () => {
    const demo = makeDemoData({ units: 3, seed: 23, corpus });
    const marked = demo.annotations.find((a) => a.unitCode !== UNIT)!;
    const term = '导入后应能搜到的独特说法';
    marked.problems = term;
    for (const r of demo.revisions) if (r.id === marked.head) r.fields.problems = term;
    const read = readBundle(writeBundle(demo), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const plan = await previewImport(db, read.value);
    const keepMine = Object.fromEntries(plan.keys.filter((k) => k.outcome === 'conflict').map((k) => [k.key, Object.fromEntries(k.conflicts.map((c) => [c.field, { take: 'mine' as const }]))]));
    const applied = await applyImport(db, plan, keepMine, { author: me, fileName: 'search.pilotbundle' });
    if (!applied.ok) throw new Error(applied.error.message);
    await vi.waitFor(() => expect(useSearchStore.getState().building).toBe(false));
    const hits = searchAll(useSearchStore.getState().index!, term).filter((h) => h.unitCode === marked.unitCode);
    expect(hits).toEqual([expect.objectContaining({ taskId: marked.taskId, field: 'problems' })]);
    expect(useSessionStore.getState().units.map((u) => u.code)).toEqual(expect.arrayContaining([...new Set(demo.annotations.map((a) => a.unitCode))]));
  });
});

describe('a write first saves what was just typed', () => {
  it('an export carries the text typed a moment ago, in the form and in a case write-up, with no flush', async () => {
    await editor().open('T1-09', UNIT);
    editor().change({ results: '刚刚输入还没自动保存', isBestPractice: true });
    expect(editor().saveState).toBe('dirty');
    expect((await getAnnotation(db, 'T1-09', UNIT))?.results).not.toBe('刚刚输入还没自动保存');
    const caseKey = annotationKey('T1-01', UNIT);
    changeCase(caseKey, { ...emptyCaseStudy(), name: '刚输入的案例名称' }, null);
    expect(hasPendingCase(caseKey)).toBe(true);

    const built = await buildExport(db, { scope: { scope: 'all' }, author: me, appVersion: 'test', corpus });
    if (!built.ok) throw new Error(built.error.message);
    const read = readBundle(built.value.bytes, ctx());
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.annotations.find((a) => a.key === annotationKey('T1-09', UNIT))?.results).toBe('刚刚输入还没自动保存');
    expect(read.value.annotations.find((a) => a.key === caseKey)?.caseStudy?.name).toBe('刚输入的案例名称');
    expect(editor().saveState).toBe('saved');
    expect(hasPendingCase(caseKey)).toBe(false);
  });

  it('a snapshot freezes the status chosen a moment ago', async () => {
    const period = await savePeriod(db, { name: '2026年度', kind: 'annual', start: '2026-01-01', end: '2026-12-31' });
    if (!period.ok) throw new Error(period.error.message);
    await editor().open('T1-11', UNIT);
    editor().change({ status: 'delayed' });
    const frozen = await freezeNow(db, period.value.id, me, corpus.hash);
    if (!frozen.ok) throw new Error(frozen.error.message);
    expect(frozen.value.entries.find((e) => e.taskId === 'T1-11' && e.unitCode === UNIT)?.status).toBe('delayed');
  });

  it('a restored revision supersedes typing that was saved first (kept in history), and the form shows it', async () => {
    await editor().open('T1-10', UNIT);
    editor().change({ problems: '第一版问题' });
    await editor().flush();
    const key = annotationKey('T1-10', UNIT);
    const first = (await listRevisions(db, key))[0]!;
    editor().change({ problems: '还没保存的第二版' });
    const r = await writes.restoreRevision(db, key, first.id, me);
    // The typed second version was saved before the restore, so restoring the first wrote a revision.
    expect(r.ok && 'revision' in r.value).toBe(true);
    const revisions = await listRevisions(db, key);
    expect(revisions.slice(0, 3).map((x) => x.fields.problems)).toEqual(['第一版问题', '还没保存的第二版', '第一版问题']);
    expect(editor().fields.problems).toBe('第一版问题');
    expect(editor().dirty).toBe(false);
  });
});
