/**
 * The app's search index at start-up: the task text is searchable at once, annotations and log
 * entries join once the background build ran (started by the task list after its first paint, by a
 * search, or by a fallback timer), the store says when it is still building, and nothing saved
 * meanwhile is lost from the index.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testCorpus } from '../support/corpus';
import { emptyFields } from '../../src-main/shared/domain';
import { chinaToday } from '../../src-main/shared/time';
import { docFromText } from '../../src-main/shared/richtext';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { addLogEntry, saveAnnotation } from '../../src-renderer/src/db/repo';
import { searchAll } from '../../src-renderer/src/db/search';
import { useSearchStore } from '../../src-renderer/src/store/searchStore';

const corpus = testCorpus();
const me = { name: '测试', unitCode: '320104' };
const store = () => useSearchStore.getState();
const find = (q: string) => searchAll(store().index!, q).filter((h) => h.unitCode !== null);

beforeAll(async () => {
  await openDatabase(db, { persist: false });
  const a = await saveAnnotation(db, 'T1-09', '320104', { ...emptyFields(), problems: '跨境数据流动备案周期长' }, me);
  expect(a.ok).toBe(true);
  const l = await addLogEntry(db, { taskId: 'T3-01', unitCode: '320104', date: chinaToday(), body: docFromText('召开离岸贸易专题推进会') }, me);
  expect(l.ok).toBe(true);
});

describe('search index at start-up', { timeout: 20_000 }, () => {
  it('searches the task text at once, says it is building, and finds annotations once started', async () => {
    store().prepare(corpus, 60_000);
    expect(store().building).toBe(true);
    expect(searchAll(store().index!, '知识产权').some((h) => h.field === 'task')).toBe(true);
    expect(find('跨境数据流动备案周期长')).toEqual([]); // not indexed yet, and the store says so

    store().start();
    await vi.waitFor(() => expect(store().building).toBe(false), { timeout: 10_000 });
    expect(find('跨境数据流动备案周期长')).toEqual([expect.objectContaining({ taskId: 'T1-09', unitCode: '320104', field: 'problems' })]);
    expect(find('离岸贸易专题')).toEqual([expect.objectContaining({ taskId: 'T3-01', field: 'log' })]);
  });

  it('builds on its own after the fallback time if nothing starts it', async () => {
    store().prepare(corpus, 50);
    expect(find('离岸贸易专题')).toEqual([]);
    await vi.waitFor(() => expect(store().building).toBe(false), { timeout: 10_000 });
    expect(find('离岸贸易专题')).toHaveLength(1);
  });

  it('starts as soon as it is prepared when the task list asked first (both wait for the first paint)', async () => {
    store().start(); // nothing prepared: remembered, not lost
    expect(find('离岸贸易专题')).toHaveLength(1); // the index of the test before, untouched
    store().prepare(corpus, 60_000); // a fresh task-text index; the build starts at once, not after 60 s
    await vi.waitFor(() => expect(store().building).toBe(false), { timeout: 10_000 });
    expect(find('跨境数据流动备案周期长')).toEqual([expect.objectContaining({ taskId: 'T1-09', field: 'problems' })]);
  });

  it('keeps an annotation saved while the index is being built', async () => {
    store().prepare(corpus, 60_000);
    store().start();
    const saved = await saveAnnotation(db, 'T1-09', '320104', { ...emptyFields(), problems: '用地指标紧张' }, me);
    if (!saved.ok || !('revision' in saved.value)) throw new Error('save failed');
    store().annotationSaved(saved.value.annotation);
    await vi.waitFor(() => expect(store().building).toBe(false), { timeout: 10_000 });
    expect(find('用地指标紧张')).toEqual([expect.objectContaining({ taskId: 'T1-09', field: 'problems' })]);
    expect(find('跨境数据流动备案周期长')).toEqual([]);
  });
});
