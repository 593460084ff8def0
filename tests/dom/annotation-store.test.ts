/**
 * The editing store that stands between the form and the database: autosave after the last
 * keystroke, a synchronous journal so a closed window loses nothing, no save during an IME
 * composition, and field messages for input that cannot be saved.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { getAnnotation, listRevisions, saveProfile } from '../../src-renderer/src/db/repo';
import { AUTOSAVE_MS, recoverDrafts, useAnnotationEditor } from '../../src-renderer/src/features/annotation/annotationStore';
import { listDrafts, writeDraft } from '../../src-renderer/src/features/annotation/draftJournal';
import { durableIdle, getJournalDb, listDurable } from '../../src-renderer/src/db/journalDb';
import { useUnsavedEdits } from '../../src-renderer/src/features/annotation/unsavedEdits';
import { useSessionStore } from '../../src-renderer/src/store/sessionStore';
import { TEXT_FIELD_LIMIT, emptyFields } from '../../src-main/shared/domain';

const UNIT = '320102';
/**
 * Lets the autosave delay pass on the fake clock, then waits for the save it started (if any) to
 * finish; the database (fake-indexeddb, on real setImmediate) runs in real time.
 */
async function autosaveDelayPasses(): Promise<void> {
  await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
  await vi.waitFor(() => expect(editor().saveState).not.toBe('saving'));
}
const editor = () => useAnnotationEditor.getState();

beforeAll(async () => {
  await openDatabase(db, { persist: false });
  const r = await saveProfile(db, { name: '李明', unitCode: UNIT, language: 'zh-CN', role: 'official' });
  expect(r.ok).toBe(true);
  await useSessionStore.getState().init();
});

beforeEach(async () => {
  localStorage.clear();
  await durableIdle();
  await getJournalDb()!.entries.clear();
});

describe('autosave', () => {
  // Fake timers only: not setImmediate, which fake-indexeddb schedules its work with.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('saves once, shortly after the last of several quick changes', async () => {
    await editor().open('T1-01', UNIT);
    editor().change({ results: '新' });
    editor().change({ results: '新增' });
    editor().change({ results: '新增企业' });
    expect(editor().saveState).toBe('dirty');
    // The journal holds the latest text before any database write.
    expect(listDrafts(localStorage).map((d) => d.fields.results)).toEqual(['新增企业']);
    await autosaveDelayPasses();
    expect(editor().saveState).toBe('saved');
    const revisions = await listRevisions(db, `T1-01|${UNIT}`);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]!.fields.results).toBe('新增企业');
    expect(revisions[0]!.author).toEqual({ name: '李明', unitCode: UNIT });
    // Saved: the journal entry is gone.
    expect(listDrafts(localStorage)).toEqual([]);
  });

  it('flushes at once when switching task, without waiting for the delay', async () => {
    await editor().open('T1-02', UNIT);
    editor().change({ problems: '资金到位慢' });
    await editor().open('T1-03', UNIT);
    expect((await getAnnotation(db, 'T1-02', UNIT))?.problems).toBe('资金到位慢');
  });

  it('does not save while an IME composition is open, and saves the committed text after', async () => {
    await editor().open('T1-04', UNIT);
    editor().setComposing(true);
    editor().change({ nextSteps: 'zhong' });
    await autosaveDelayPasses();
    await editor().flush();
    expect(await getAnnotation(db, 'T1-04', UNIT)).toBeUndefined();
    editor().change({ nextSteps: '中' });
    editor().setComposing(false);
    await autosaveDelayPasses();
    expect((await getAnnotation(db, 'T1-04', UNIT))?.nextSteps).toBe('中');
  });

  it('refuses invalid fields with a message at the field and writes nothing', async () => {
    await editor().open('T1-06', UNIT);
    editor().change({ deadline: '2022-01-01', progress: 120 });
    await editor().flush();
    expect(editor().saveState).toBe('invalid');
    expect(editor().fieldErrors.deadline).toMatch(/不能早于/);
    expect(editor().fieldErrors.progress).toMatch(/0 到 100/);
    expect(await getAnnotation(db, 'T1-06', UNIT)).toBeUndefined();
    // Editing a field clears its message until the next save attempt.
    editor().change({ progress: 50 });
    expect(editor().fieldErrors.progress).toBeUndefined();
  });
});

describe('recovering after a closed window', () => {
  it('saves a journaled draft that never reached the database', async () => {
    writeDraft(localStorage, {
      key: `T1-07|${UNIT}`,
      taskId: 'T1-07',
      unitCode: UNIT,
      fields: { ...emptyFields(), problems: '关窗前输入的文字' },
      baseHead: null,
      author: { name: '李明', unitCode: UNIT },
      at: new Date().toISOString(),
    });
    expect(await recoverDrafts()).toBe(1);
    expect((await getAnnotation(db, 'T1-07', UNIT))?.problems).toBe('关窗前输入的文字');
    expect(listDrafts(localStorage)).toEqual([]);
    // Nothing left to recover the second time.
    expect(await recoverDrafts()).toBe(0);
  });

  it('drops a draft older than what is already saved', async () => {
    await editor().open('T1-08', UNIT);
    editor().change({ results: '已保存的较新内容' });
    await editor().flush();
    writeDraft(localStorage, {
      key: `T1-08|${UNIT}`,
      taskId: 'T1-08',
      unitCode: UNIT,
      fields: { ...emptyFields(), results: '更早的草稿' },
      baseHead: null,
      author: { name: '李明', unitCode: UNIT },
      at: '2020-01-01T00:00:00.000Z',
    });
    expect(await recoverDrafts()).toBe(0);
    expect((await getAnnotation(db, 'T1-08', UNIT))?.results).toBe('已保存的较新内容');
  });
});

describe('a field in error holds back no other field', () => {
  it('saves the valid fields, keeps the one in error as typed (form and journal) and shown in error', async () => {
    await editor().open('T1-10', UNIT);
    const long = '问'.repeat(TEXT_FIELD_LIMIT + 1);
    editor().change({ problems: long });
    editor().change({ status: 'done' });
    await editor().flush();
    // 已完成 is saved although 存在问题 is too long …
    const stored = await getAnnotation(db, 'T1-10', UNIT);
    expect(stored?.status).toBe('done');
    expect(stored?.problems).toBe('');
    // … and the long text is neither dropped nor saved: in error, in the form, in the journal.
    expect(editor().saveState).toBe('invalid');
    expect(editor().fieldErrors.problems).toMatch(/内容过长/);
    expect(editor().fields.problems).toBe(long);
    expect(listDrafts(localStorage).map((d) => d.fields.problems)).toEqual([long]);
    // The task tree and the report builder hear of it.
    expect(useUnsavedEdits.getState().items.map((i) => i.key)).toEqual([`T1-10|${UNIT}`]);
    // Leaving the task and coming back: 已完成 is stored, the text in error comes back from the journal.
    await editor().open('T1-11', UNIT);
    await editor().open('T1-10', UNIT);
    expect(editor().fields.status).toBe('done');
    expect(editor().fields.problems).toBe(long);
    // Corrected, it is saved and the error goes.
    editor().change({ problems: '审批链条长' });
    await editor().flush();
    expect((await getAnnotation(db, 'T1-10', UNIT))?.problems).toBe('审批链条长');
    expect(editor().saveState).toBe('saved');
    expect(editor().fieldErrors).toEqual({});
    expect(listDrafts(localStorage)).toEqual([]);
    expect(useUnsavedEdits.getState().items).toEqual([]);
  });

  it('discarding the field in error goes back to what is stored and clears the mark', async () => {
    await editor().open('T1-17', UNIT);
    editor().change({ status: 'on_track', deadline: '2020-01-01' });
    await editor().flush();
    expect((await getAnnotation(db, 'T1-17', UNIT))?.status).toBe('on_track');
    expect(useUnsavedEdits.getState().items.map((i) => i.taskId)).toEqual(['T1-17']);
    await editor().discardErrors();
    expect(editor().fields.deadline).toBeNull();
    expect(editor().fields.status).toBe('on_track');
    expect(listDrafts(localStorage)).toEqual([]);
    expect(useUnsavedEdits.getState().items).toEqual([]);
  });
});

describe('未启动 on a blank task', () => {
  it('records that the task was checked and not started: one revision', async () => {
    await editor().open('T1-12', UNIT);
    editor().change({ status: 'not_started' });
    await editor().flush();
    const stored = await getAnnotation(db, 'T1-12', UNIT);
    expect(stored?.status).toBe('not_started');
    const revisions = await listRevisions(db, `T1-12|${UNIT}`);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]!.fields.status).toBe('not_started');
    expect(editor().saveState).toBe('saved');
  });

  it('opening a blank task and leaving it writes nothing', async () => {
    await editor().open('T1-13', UNIT);
    await editor().open('T1-14', UNIT);
    expect(await getAnnotation(db, 'T1-13', UNIT)).toBeUndefined();
  });
});

describe('the journal survives a hard kill', () => {
  it('recovers from the durable journal what localStorage never wrote to disk', async () => {
    // The interleaving that lost typed text: the change is journaled to localStorage at once, the
    // autosave is 700 ms away, and Chromium commits localStorage to disk seconds later — a kill in
    // between leaves neither the revision nor the localStorage record.
    await editor().open('T1-15', UNIT);
    editor().change({ nextSteps: '关窗前刚输入的下步计划' });
    await durableIdle();
    expect((await listDurable<{ key: string }>('pilotdesk:draft:')).map((d) => d.key)).toEqual([`T1-15|${UNIT}`]);
    // The kill: no save ran, the localStorage record is gone, the page starts again.
    useAnnotationEditor.setState({ key: null, taskId: null, unitCode: null });
    localStorage.clear();
    expect(await recoverDrafts()).toBe(1);
    expect((await getAnnotation(db, 'T1-15', UNIT))?.nextSteps).toBe('关窗前刚输入的下步计划');
    await durableIdle();
    expect(await listDurable('pilotdesk:draft:')).toEqual([]);
  });

  it('a saved edit leaves no durable record behind', async () => {
    await editor().open('T1-16', UNIT);
    editor().change({ results: '已办结 12 件' });
    await editor().flush();
    await durableIdle();
    expect(await listDurable('pilotdesk:draft:')).toEqual([]);
  });
});

describe('typing on in the millisecond the autosave starts, then closing', () => {
  // The clock stands still (fake Date), so the keystroke and the start of the save share one
  // millisecond, as they do when the debounce fires just as the person types on.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-03-02T02:00:00.000Z') }));
  afterEach(() => vi.useRealTimers());
  /** Waits (on real setImmediate, which the database runs on) until the first save is stored. */
  const firstSaveStored = async (taskId: string) => {
    for (let i = 0; i < 10_000 && !(await getAnnotation(db, taskId, UNIT)); i++) await new Promise((r) => setImmediate(r));
    // … and the editor has heard back from it.
    for (let i = 0; i < 10_000 && !editor().stored; i++) await new Promise((r) => setImmediate(r));
  };

  it('keeps the text typed during the save when the window closes before the next one', async () => {
    await editor().open('T1-18', UNIT);
    editor().change({ status: 'on_track' });
    // The debounce fires: the save of 序时推进 starts …
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor().saveState).toBe('saving');
    // … and in the same millisecond the person types in 下步计划.
    editor().change({ nextSteps: '下月召开推进会' });
    await firstSaveStored('T1-18');
    const stored = await getAnnotation(db, 'T1-18', UNIT);
    expect(stored?.status).toBe('on_track');
    expect(stored?.nextSteps).toBe('');
    // The window closes before the next save (its timer never fires); the page starts again.
    useAnnotationEditor.setState({ key: null, taskId: null, unitCode: null });
    await durableIdle();
    expect(await recoverDrafts()).toBe(1);
    expect((await getAnnotation(db, 'T1-18', UNIT))?.nextSteps).toBe('下月召开推进会');
    // Both saves fell in one working session: one revision, holding what was typed in both.
    const revisions = await listRevisions(db, `T1-18|${UNIT}`);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]!.fields).toMatchObject({ status: 'on_track', nextSteps: '下月召开推进会' });
  });

  it('a stored time ahead of this clock (a colleague\'s bundle) does not make what is typed look old', async () => {
    const ahead = '2026-03-02T05:00:00.000Z';
    await db.annotations.put({ ...emptyFields(), status: 'delayed', key: `T1-19|${UNIT}`, taskId: 'T1-19', unitCode: UNIT, head: 'rev-ahead', updatedAt: ahead, updatedBy: { name: '王五', unitCode: UNIT } });
    await editor().open('T1-19', UNIT);
    editor().change({ nextSteps: '补充佐证材料' });
    useAnnotationEditor.setState({ key: null, taskId: null, unitCode: null });
    await durableIdle();
    await editor().open('T1-19', UNIT);
    expect(editor().fields.nextSteps).toBe('补充佐证材料');
  });
});

describe('switching tasks quickly', () => {
  it('A → B → A ends on A with A\'s fields: the form never shows another task than the one asked for last', async () => {
    await editor().open('T2-02', UNIT);
    editor().change({ results: '二之二' });
    await editor().flush();
    await editor().open('T2-01', UNIT);
    editor().change({ results: '二之一' });
    // Leaving A for B settles A's edit first; A is asked for again meanwhile.
    const toB = editor().open('T2-02', UNIT);
    const backToA = editor().open('T2-01', UNIT);
    await Promise.all([toB, backToA]);
    expect(editor().key).toBe(`T2-01|${UNIT}`);
    expect(editor().taskId).toBe('T2-01');
    expect(editor().fields.results).toBe('二之一');
    expect((await getAnnotation(db, 'T2-01', UNIT))?.results).toBe('二之一');
  });
});
