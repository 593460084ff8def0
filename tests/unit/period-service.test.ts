/**
 * The period service is shared: the same rules run over the app's IndexedDB store and over the
 * in-memory store the command line and these tests use. What a supervisor relies on: a period name
 * is unique, saving without a change writes nothing (so it cannot override a colleague's rename), a
 * period with snapshots cannot be deleted, and a freeze holds every annotation as it was.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src-main/shared/store/memoryStore';
import { compareSides, deletePeriod, freezeSnapshotOf, listPeriods, listSnapshots, savePeriod } from '../../src-main/shared/services/periodService';
import { snapshotIntact } from '../../src-main/shared/snapshot/model';
import { ann } from './report-fixtures';

const me = { name: '张三', unitCode: 'SJBM' };
let n = 0;
const ctx = (iso: string) => ({ now: new Date(iso), newId: () => `id-${++n}` });

describe('period service over the in-memory store', () => {
  it('creates, renames and refuses a duplicate name with nothing written', async () => {
    const store = createMemoryStore();
    const a = await savePeriod(store, { name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31' }, ctx('2026-01-05T02:00:00Z'));
    expect(a.ok && a.value.wrote).toBe(true);
    const b = await savePeriod(store, { name: '中期评估', kind: 'midterm', start: '2024-06-01', end: '2025-06-30' }, ctx('2026-01-05T02:01:00Z'));
    expect(b.ok).toBe(true);
    expect((await listPeriods(store)).map((p) => p.name)).toEqual(['中期评估', '2025年度']); // by start date

    const clash = await savePeriod(store, { id: b.ok ? b.value.period.id : '', name: ' 2025年度 ', kind: 'midterm', start: '2024-06-01', end: '2025-06-30' });
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.error.message).toContain('已有名为「2025年度」');
    expect((await listPeriods(store)).map((p) => p.name)).toEqual(['中期评估', '2025年度']);

    const bad = await savePeriod(store, { name: '倒序', kind: 'other', start: '2025-12-31', end: '2025-01-01' });
    expect(bad.ok).toBe(false);
    expect(await listPeriods(store)).toHaveLength(2);
  });

  it('saving a period unchanged writes nothing and keeps its version', async () => {
    const store = createMemoryStore();
    const a = await savePeriod(store, { name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31' }, ctx('2026-01-05T02:00:00Z'));
    if (!a.ok) throw new Error(a.error.message);
    const again = await savePeriod(store, { id: a.value.period.id, name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31' }, ctx('2026-02-01T00:00:00Z'));
    expect(again.ok && again.value.wrote).toBe(false);
    expect((await store.periods.get(a.value.period.id))!.updatedAt).toBe(a.value.period.updatedAt);
    const renamed = await savePeriod(store, { id: a.value.period.id, name: '2025年度评估', kind: 'annual', start: '2025-01-01', end: '2025-12-31' }, ctx('2026-02-01T00:00:00Z'));
    expect(renamed.ok && renamed.value.wrote).toBe(true);
    expect((await store.periods.get(a.value.period.id))!.updatedAt > a.value.period.updatedAt).toBe(true);
  });

  it('freezes every annotation into an intact snapshot, and then the period cannot be deleted', async () => {
    const store = createMemoryStore();
    const p = await savePeriod(store, { name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31' }, ctx('2026-01-05T02:00:00Z'));
    if (!p.ok) throw new Error(p.error.message);
    const id = p.value.period.id;
    expect((await freezeSnapshotOf(store, id, me, 'c'.repeat(64))).ok).toBe(false); // nothing to freeze yet
    await store.annotations.bulkPut([ann('T1-01', '320102', { status: 'done' }), ann('T1-02', '320102', { status: 'delayed' })]);
    const s = await freezeSnapshotOf(store, id, me, 'c'.repeat(64), ctx('2026-01-06T02:00:00Z'));
    if (!s.ok) throw new Error(s.error.message);
    expect(snapshotIntact(s.value)).toBe(true);
    expect(s.value.entries.filter((e) => e.head !== null)).toHaveLength(2);
    expect((await listSnapshots(store)).map((x) => x.id)).toEqual([s.value.id]);

    const del = await deletePeriod(store, id);
    expect(del.ok).toBe(false);
    expect(await store.periods.get(id)).toBeDefined();

    // The snapshot against the current data: a later change shows.
    await store.annotations.put(ann('T1-02', '320102', { status: 'on_track' }, '2026-01-07T02:00:00.000Z'));
    const cmp = await compareSides(store, s.value.id, 'current');
    expect(cmp.ok).toBe(true);
    if (cmp.ok) expect(JSON.stringify(cmp.value)).toContain('T1-02');
  });

  it('deletes a period without snapshots', async () => {
    const store = createMemoryStore();
    const p = await savePeriod(store, { name: '2026年度', kind: 'annual', start: '2026-01-01', end: '2026-12-31' });
    if (!p.ok) throw new Error(p.error.message);
    expect((await deletePeriod(store, p.value.period.id)).ok).toBe(true);
    expect(await listPeriods(store)).toEqual([]);
  });
});
