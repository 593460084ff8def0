/**
 * The task list draws once, with its badges (issue #8): the session reads the unit's annotations
 * while the app starts, so the first render of `useUnitData` already has them instead of an empty
 * list followed by a second render; the evidence counts come with the live read right after. Without
 * a profile, or for another unit, it reads as before.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { emptyFields } from '../../src-main/shared/domain';
import { ok } from '../../src-main/shared/result';

const corpusResult = vi.hoisted(() => ({ value: null as unknown }));
vi.mock('../../src-renderer/src/api/client', () => ({
  invoke: async (channel: string) => {
    if (channel === 'corpus:get') return corpusResult.value;
    if (channel === 'app:storageOrigin') return { ok: true, value: { expected: location.origin } };
    if (channel === 'app:info') return { ok: true, value: { version: 'test' } };
    return { ok: false, error: { code: 'test', message: channel } };
  },
}));

const { db, openDatabase } = await import('../../src-renderer/src/db/db');
const { addEvidence, saveAnnotation, saveProfile } = await import('../../src-renderer/src/db/repo');
const { useCorpusStore } = await import('../../src-renderer/src/store/corpusStore');
const { startSession, useSessionStore } = await import('../../src-renderer/src/store/sessionStore');
const { useUnitData } = await import('../../src-renderer/src/features/tasks/useUnitData');

let corpus: Corpus;
const UNIT = '320102';

beforeAll(async () => {
  corpus = testCorpus();
  corpusResult.value = ok(corpus);
  await openDatabase(db, { persist: false });
  expect((await saveProfile(db, { name: '李明', unitCode: UNIT, language: 'zh-CN', role: 'official' })).ok).toBe(true);
  const me = { name: '李明', unitCode: UNIT };
  await saveAnnotation(db, 'T1-01', UNIT, { ...emptyFields(), status: 'done' }, me);
  await saveAnnotation(db, 'T2-03', UNIT, { ...emptyFields(), status: 'delayed' }, me);
  await saveAnnotation(db, 'T1-01', '320104', { ...emptyFields(), status: 'on_track' }, { name: '王五', unitCode: '320104' });
  await addEvidence(db, { taskId: 'T1-01', unitCode: UNIT, title: '实施方案', kind: 'policy', docNumber: '', date: null }, null, me);
  db.close();
});
afterEach(cleanup);

describe('start-up read of the unit’s rows', () => {
  it('gives the task list its badges in its first render', async () => {
    // As App does: the corpus loads while the session opens the database.
    void useCorpusStore.getState().load();
    await startSession();
    expect(useSessionStore.getState().status).toBe('ready');
    const ids = corpus.tasks.map((t) => t.id);
    const seen: { loaded: boolean; statuses: string[] }[] = [];
    renderHook(() => {
      const d = useUnitData(UNIT, ids);
      seen.push({ loaded: d.loaded, statuses: [...d.annotationsByTask.values()].map((a) => `${a.taskId}:${a.status}`).sort() });
      return d;
    });
    expect(seen[0]).toEqual({ loaded: true, statuses: ['T1-01:done', 'T2-03:delayed'] });
  });

  it('brings the evidence counts with the live read that follows (the start-up read skips them: the one filter that needs them starts off)', async () => {
    const ids = corpus.tasks.map((t) => t.id);
    const hook = renderHook(() => useUnitData(UNIT, ids));
    await waitFor(() => expect(hook.result.current.evidenceCountByTask.get('T1-01')).toBe(1));
    expect(hook.result.current.evidenceCountByTask.size).toBe(1);
  });

  it('records which app version opened the database, after the session is ready (a durable write off the first screen’s path)', async () => {
    // startSession ran in the test above, with app:info saying version 'test'.
    await waitFor(async () => expect(await db.meta.get('lastOpenedBy')).toMatchObject({ value: 'test' }));
    // jsdom has no navigator.storage: the request settles as unsupported instead of staying unknown.
    await waitFor(() => expect(useSessionStore.getState().persistence).toBe('unsupported'));
  });

  it('is used once: another unit (or the same one later) is read live, as before', async () => {
    const ids = corpus.tasks.map((t) => t.id);
    const other = renderHook(() => useUnitData('320104', ids));
    expect(other.result.current.loaded).toBe(false);
    await waitFor(() => expect(other.result.current.loaded).toBe(true));
    expect([...other.result.current.annotationsByTask.keys()]).toEqual(['T1-01']);
    const again = renderHook(() => useUnitData(UNIT, ids));
    expect(again.result.current.loaded).toBe(false);
    await waitFor(() => expect(again.result.current.annotationsByTask.size).toBe(2));
  });
});
