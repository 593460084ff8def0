/**
 * The 本月更新 grid's save path: each cell is one write through db/writes.ts — one data-change
 * event, one revision, the search index re-indexed with the stored annotation (its other fields
 * kept) — and a bad value gives the rules' Chinese message and writes nothing. 本月已核实 is a
 * `check` revision, once per Beijing month, on a blank task too, and it is exported in bundles.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeMain, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import { annotationKey, emptyFields, FIELD_NAMES, type Author } from '../../src-main/shared/domain';
import { readBundle } from '../../src-main/shared/bundle/read';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { onDataChange, type DataChange } from '../../src-renderer/src/db/mutate';
import * as repo from '../../src-renderer/src/db/repo';
import { annotationDocId, searchAll } from '../../src-renderer/src/db/search';
import * as writes from '../../src-renderer/src/db/writes';
import { saveCell } from '../../src-renderer/src/features/monthly/gridModel';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const { useSessionStore } = await import('../../src-renderer/src/store/sessionStore');
const { useSearchStore } = await import('../../src-renderer/src/store/searchStore');
const { buildExport } = await import('../../src-renderer/src/features/bundles/bundleService');

const corpus = testCorpus();
const UNIT = '320102';
const me: Author = { name: '王核实', unitCode: UNIT };
const ctx = () => ({ corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });

let main: FakeMain;
let events: DataChange[] = [];
const unsubscribe = onDataChange((c) => void events.push(c));
const kinds = () => events.map((e) => (e.kind === 'annotation' ? `annotation:${e.source}` : e.kind));
const revisionsOf = (taskId: string) => repo.listRevisions(db, annotationKey(taskId, UNIT));

beforeAll(async () => {
  main = createFakeMain();
  ipc.invoke = (channel, ...args) => main.invoke(channel as never, ...args);
  await openDatabase(db, { persist: false });
  expect((await writes.saveProfile(db, { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' })).ok).toBe(true);
  useSessionStore.setState({ status: 'ready', profile: { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' }, unitCode: UNIT });
  const search = useSearchStore.getState();
  search.prepare(corpus, 60_000);
  search.start();
  await vi.waitFor(() => expect(useSearchStore.getState().building).toBe(false));
});
afterAll(() => {
  unsubscribe();
  main.dispose();
});

describe('a grid cell saves through the one write path', () => {
  it('status, progress, deadline: one event and one revision each, other fields kept, the search index re-indexed', async () => {
    const form = await writes.saveAnnotation(db, 'T1-05', UNIT, { ...emptyFields(), problems: '缺少专业场地', leadUnits: ['区科技局'] }, me);
    expect(form.ok).toBe(true);
    const key = annotationKey('T1-05', UNIT);
    const slotBefore = useSearchStore.getState().index!.slotOf.get(annotationDocId(key));
    expect(slotBefore).toBeDefined();

    for (const [edit, want] of [
      [{ column: 'status', value: 'delayed' }, { status: 'delayed' }],
      [{ column: 'progress', text: '40%' }, { progress: 40 }],
      [{ column: 'deadline', text: '2026/6/30' }, { deadline: '2026-06-30' }],
    ] as const) {
      events = [];
      const before = (await revisionsOf('T1-05')).length;
      const r = await saveCell(db, 'T1-05', UNIT, edit, me);
      if (!r.ok) throw new Error(r.error.message);
      expect(kinds()).toEqual(['annotation:grid']);
      const revs = await revisionsOf('T1-05');
      expect(revs).toHaveLength(before + 1);
      expect(revs[0]).toMatchObject({ kind: 'edit', changed: Object.keys(want), fields: want });
    }
    const stored = await repo.getAnnotation(db, 'T1-05', UNIT);
    expect(stored).toMatchObject({ status: 'delayed', progress: 40, deadline: '2026-06-30', problems: '缺少专业场地', leadUnits: ['区科技局'] });
    // The index heard each save: the document was replaced (a new slot) and still finds the text.
    const index = useSearchStore.getState().index!;
    expect(index.slotOf.get(annotationDocId(key))).not.toBe(slotBefore);
    expect(searchAll(index, '专业场地').some((h) => h.taskId === 'T1-05' && h.unitCode === UNIT && h.field === 'problems')).toBe(true);
  });

  it('a status on a task nobody annotated creates its first revision; the same value again writes nothing', async () => {
    events = [];
    const r = await saveCell(db, 'T1-06', UNIT, { column: 'status', value: 'on_track' }, me);
    if (!r.ok) throw new Error(r.error.message);
    expect(kinds()).toEqual(['annotation:grid']);
    expect(await revisionsOf('T1-06')).toHaveLength(1);
    events = [];
    const again = await saveCell(db, 'T1-06', UNIT, { column: 'status', value: 'on_track' }, me);
    expect(again.ok && 'unchanged' in again.value).toBe(true);
    expect(kinds()).toEqual([]);
    expect(await revisionsOf('T1-06')).toHaveLength(1);
  });

  it.each([
    ['a progress that is not a number', { column: 'progress', text: '一半' }, 'progress', /进度/],
    ['a progress over 100', { column: 'progress', text: '120' }, 'progress', /0 到 100/],
    ['a date that does not exist', { column: 'deadline', text: '2026-02-30' }, 'deadline', /完成时限须为有效日期/],
    ['a deadline before the plan', { column: 'deadline', text: '2020-01-01' }, 'deadline', /完成时限/],
    ['words for a date', { column: 'deadline', text: '年底前' }, 'deadline', /完成时限须为有效日期/],
  ] as const)('%s: a Chinese message at the field, nothing written, no event', async (_name, edit, field, message) => {
    const before = await repo.getAnnotation(db, 'T1-05', UNIT);
    const revs = (await revisionsOf('T1-05')).length;
    events = [];
    const r = await saveCell(db, 'T1-05', UNIT, edit, me);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(message);
    expect(r.fieldErrors?.[field]).toMatch(message);
    expect(kinds()).toEqual([]);
    expect(await repo.getAnnotation(db, 'T1-05', UNIT)).toEqual(before);
    expect(await revisionsOf('T1-05')).toHaveLength(revs);
  });

  it('refuses a status that is not one of the six, a field that does not exist, and an unknown unit', async () => {
    events = [];
    const bad = await writes.saveAnnotationPatch(db, 'T1-05', UNIT, { status: 'finished' as never }, me);
    expect(!bad.ok && bad.error.message).toMatch(/完成状态/);
    const unknownField = await writes.saveAnnotationPatch(db, 'T1-05', UNIT, { owner: 'x' } as never, me);
    expect(unknownField.ok).toBe(false);
    const unit = await saveCell(db, 'T1-05', '320199', { column: 'status', value: 'done' }, me);
    expect(!unit.ok && unit.error.message).toMatch(/单位/);
    expect(kinds()).toEqual([]);
  });
});

describe('本月已核实', () => {
  it('on a blank task: a check revision of the empty form (未启动, checked), once a month', async () => {
    events = [];
    const r = await saveCell(db, 'T2-03', UNIT, { column: 'checked' }, me);
    if (!r.ok) throw new Error(r.error.message);
    expect(kinds()).toEqual(['annotation:check']);
    const revs = await revisionsOf('T2-03');
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ kind: 'check', parents: [], fields: emptyFields(), author: me });
    expect([...revs[0]!.changed].sort()).toEqual([...FIELD_NAMES].sort());
    expect(await repo.getAnnotation(db, 'T2-03', UNIT)).toMatchObject({ status: 'not_started', head: revs[0]!.id });

    events = [];
    const again = await saveCell(db, 'T2-03', UNIT, { column: 'checked' }, me);
    expect(again.ok && 'unchanged' in again.value).toBe(true);
    expect(kinds()).toEqual([]);
    expect(await revisionsOf('T2-03')).toHaveLength(1);
  });

  it('on an annotated task: changes no field, moves the head; counts in the month, and again next month', async () => {
    const before = (await repo.getAnnotation(db, 'T1-05', UNIT))!;
    const r = await writes.recordCheck(db, 'T1-05', UNIT, me);
    if (!r.ok || !('revision' in r.value)) throw new Error('not recorded');
    expect(r.value.revision).toMatchObject({ kind: 'check', parents: [before.head], changed: [] });
    expect(repo.fieldsOf(r.value.annotation)).toEqual(repo.fieldsOf(before));

    const activity = await repo.readMonthActivity(db, UNIT);
    expect(activity.byTask.get('T1-05')).toMatchObject({ checkedAt: r.value.revision.at, checkedBy: me.name });
    expect(activity.byTask.get('T1-06')).toMatchObject({ checkedAt: null });
    expect(activity.byTask.get('T1-06')?.editedAt).toBeTruthy();
    expect(activity.byTask.has('T3-01')).toBe(false);

    // Next month (Beijing): checking again is a new record, and last month's does not count then.
    const nextMonth = new Date(Date.now() + 32 * 86_400_000);
    expect((await repo.readMonthActivity(db, UNIT, nextMonth)).byTask.size).toBe(0);
    const later = await repo.recordCheck(db, 'T1-05', UNIT, me, nextMonth);
    expect(later.ok && 'revision' in later.value).toBe(true);
    expect((await revisionsOf('T1-05')).filter((x) => x.kind === 'check')).toHaveLength(2);
  });

  it('travels in an exported bundle, which reads back with the check revisions', async () => {
    const exported = await buildExport(db, { scope: { scope: 'all' }, author: me, appVersion: 'test', corpus });
    if (!exported.ok) throw new Error(exported.error.message);
    const read = readBundle(exported.value.bytes, ctx());
    if (!read.ok) throw new Error(read.error.message);
    const checks = read.value.revisions.filter((r) => r.kind === 'check');
    expect(checks.map((c) => c.taskId).sort()).toEqual(['T1-05', 'T1-05', 'T2-03']);
    expect(read.value.annotations.find((a) => a.taskId === 'T2-03')).toMatchObject({ status: 'not_started' });
  });
});
