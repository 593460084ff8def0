/**
 * Coalesced revisions through the annotation editor itself (autosave, journal): an hour of writing
 * leaves a handful of revisions, not one per pause; leaving the task closes its working session.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { listRevisions, saveProfile } from '../../src-renderer/src/db/repo';
import { AUTOSAVE_MS, useAnnotationEditor } from '../../src-renderer/src/features/annotation/annotationStore';
import { durableIdle, getJournalDb } from '../../src-renderer/src/db/journalDb';
import { useSessionStore } from '../../src-renderer/src/store/sessionStore';

const UNIT = '320102';
const editor = () => useAnnotationEditor.getState();

/** Waits, on real setImmediate (the database's), until the editor's save has finished. */
async function saveSettled(): Promise<void> {
  for (let i = 0; i < 10_000 && editor().saveState === 'saving'; i++) await new Promise((r) => setImmediate(r));
  expect(editor().saveState).not.toBe('saving');
}

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
  // Timers and the clock are fake (the window is measured on the save's clock); setImmediate,
  // which fake-indexeddb runs on, stays real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: new Date('2026-03-02T01:00:00.000Z') });
});
afterEach(async () => {
  await editor().flush();
  useAnnotationEditor.setState({ key: null, taskId: null, unitCode: null });
  vi.useRealTimers();
});

describe('an hour of writing', () => {
  it('a sentence every 30 s for an hour, each save after a pause longer than the autosave delay, leaves at most 7 revisions', async () => {
    await editor().open('T2-05', UNIT);
    let text = '';
    let saves = 0;
    for (let i = 0; i < 120; i++) {
      text += `第${i + 1}句：推进情况补充说明。`;
      editor().change({ results: text });
      await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 1);
      await saveSettled();
      if (editor().saveState === 'saved') saves++;
      await vi.advanceTimersByTimeAsync(30_000 - AUTOSAVE_MS - 1);
    }
    expect(saves).toBe(120); // every pause saved: nothing typed waits for the next sentence
    const revisions = await listRevisions(db, `T2-05|${UNIT}`);
    expect(revisions.length).toBeGreaterThanOrEqual(1);
    expect(revisions.length).toBeLessThanOrEqual(7);
    expect(revisions[0]!.fields.results).toBe(text);
  });

  it('a pause of more than ten minutes starts a new revision', async () => {
    await editor().open('T2-06', UNIT);
    editor().change({ results: '上午写的' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 1);
    await saveSettled();
    await vi.advanceTimersByTimeAsync(11 * 60_000);
    editor().change({ results: '上午写的；午后补充' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 1);
    await saveSettled();
    expect((await listRevisions(db, `T2-06|${UNIT}`)).map((r) => r.fields.results)).toEqual(['上午写的；午后补充', '上午写的']);
  });
});

describe('leaving the task', () => {
  it('closes the working window: coming back a minute later adds a revision instead of amending', async () => {
    await editor().open('T2-07', UNIT);
    editor().change({ problems: '资金未到位' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 1);
    await saveSettled();
    await editor().open('T2-08', UNIT);
    await vi.advanceTimersByTimeAsync(60_000);
    await editor().open('T2-07', UNIT);
    editor().change({ problems: '资金未到位，已协调' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 1);
    await saveSettled();
    expect((await listRevisions(db, `T2-07|${UNIT}`)).map((r) => r.fields.problems)).toEqual(['资金未到位，已协调', '资金未到位']);
  });
});
