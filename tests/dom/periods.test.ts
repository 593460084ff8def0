/**
 * Periods and snapshots in the real database module: a frozen snapshot compared with the current
 * data shows exactly the statuses changed since; snapshots travel through export → import into a
 * fresh profile unchanged; the same snapshot twice is "already here"; a snapshot with the same id
 * and another hash refuses the whole import (zero rows); undo removes the snapshots it added.
 * A period renamed by a colleague arrives renamed (the newer version wins); a newer local rename is
 * never undone by an import or by undoing one.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useNodeBlob } from '../support/dom';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { readBundle } from '../../src-main/shared/bundle/read';
import type { BundleContent } from '../../src-main/shared/bundle/format';
import { FIELD_NAMES, emptyFields, type Author, type Status } from '../../src-main/shared/domain';
import { snapshotHash } from '../../src-main/shared/snapshot/model';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { getAnnotation, saveAnnotation } from '../../src-renderer/src/db/repo';
import { applyImport, buildExport, previewImport, undoImport } from '../../src-renderer/src/features/bundles/bundleService';
import { compareSides, deletePeriod, freezeNow, listPeriods, listSnapshots, savePeriod } from '../../src-renderer/src/features/periods/periodService';

useNodeBlob();

let corpus: Corpus;
const open: PilotDb[] = [];
const me: Author = { name: '王芳', unitCode: '320104' };
beforeAll(() => {
  corpus = testCorpus();
});
async function freshDb(): Promise<PilotDb> {
  const d = createDb(`periods-${crypto.randomUUID()}`);
  await openDatabase(d, { persist: false });
  open.push(d);
  return d;
}
let db: PilotDb;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});
const ctx = () => ({ corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });

async function setStatus(d: PilotDb, taskId: string, status: Status) {
  const prev = await getAnnotation(d, taskId, me.unitCode);
  const fields = emptyFields();
  if (prev) for (const f of FIELD_NAMES) (fields as unknown as Record<string, unknown>)[f] = prev[f];
  const r = await saveAnnotation(d, taskId, me.unitCode, { ...fields, status }, me);
  if (!r.ok) throw new Error(r.error.message);
}

/** Six annotated tasks, a period 2024年度 and a snapshot of them; then three statuses changed. */
async function scenario(d: PilotDb) {
  const tasks = ['T1-01', 'T1-02', 'T1-03', 'T2-01', 'T2-02', 'T3-01'];
  for (const t of tasks) await setStatus(d, t, 'on_track');
  const p = await savePeriod(d, { name: '2024年度', kind: 'annual', start: '2024-01-01', end: '2024-12-31' });
  if (!p.ok) throw new Error(p.error.message);
  const s = await freezeNow(d, p.value.id, me, corpus.hash);
  if (!s.ok) throw new Error(s.error.message);
  await setStatus(d, 'T1-02', 'done');
  await setStatus(d, 'T2-01', 'delayed');
  await setStatus(d, 'T3-01', 'mostly_done');
  return { period: p.value, snapshot: s.value };
}

const moves = (c: { statusMoves: { taskId: string; from: string; to: string }[] }) => c.statusMoves.map((m) => `${m.taskId} ${m.from}→${m.to}`);
const THREE = ['T1-02 on_track→done', 'T2-01 on_track→delayed', 'T3-01 on_track→mostly_done'];

/** Everything in `d`, exported as a bundle and read back as a recipient would. */
async function exportOf(d: PilotDb): Promise<BundleContent> {
  const built = await buildExport(d, { scope: { scope: 'all' }, author: me, appVersion: '0.1.0', corpus });
  if (!built.ok) throw new Error(built.error.message);
  const read = readBundle(built.value.bytes, ctx());
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

describe('periods and snapshots', { timeout: 60_000 }, () => {
  it('freeze, change three statuses: exactly those three are what changed since the snapshot', async () => {
    const { snapshot } = await scenario(db);
    const c = await compareSides(db, snapshot.id, 'current');
    if (!c.ok) throw new Error(c.error.message);
    expect(moves(c.value)).toEqual(THREE);
    expect(c.value.newlyAnnotated).toEqual([]);
    // The snapshot itself did not change (read-only): it still says on_track.
    expect((await listSnapshots(db))[0]!.entries.find((e) => e.taskId === 'T1-02')!.status).toBe('on_track');
  });

  it('refuses bad period input and the deletion of a period with snapshots', async () => {
    const bad = await savePeriod(db, { name: '中期评估', kind: 'midterm', start: '2025-06-30', end: '2025-01-01' });
    expect(!bad.ok && bad.error.message).toBe('结束日期不能早于开始日期');
    const { period } = await scenario(db);
    const dup = await savePeriod(db, { name: '2024年度', kind: 'annual', start: '2024-01-01', end: '2024-12-31' });
    expect(!dup.ok && dup.error.message).toContain('已有名为「2024年度」的评估期');
    const del = await deletePeriod(db, period.id);
    expect(!del.ok && del.error.message).toBe('这个评估期已有快照，不能删除。');
    expect(await listPeriods(db)).toHaveLength(1);
  });

  it('snapshots survive export → import into a fresh profile, compare the same, and a second import changes nothing', async () => {
    const { snapshot, period } = await scenario(db);
    const bundle = await exportOf(db);
    expect(bundle.manifest.counts.snapshots).toBe(1);

    const other = await freshDb();
    const plan = await previewImport(other, bundle);
    expect(plan.snapshots).toMatchObject({ newSnapshots: [{ id: snapshot.id }], newPeriods: [{ id: period.id }], sameSnapshots: 0, conflict: null });
    const applied = await applyImport(other, plan, {}, { author: me, fileName: 'a.pilotbundle' });
    expect(applied.ok).toBe(true);
    expect(await other.snapshots.toArray()).toEqual([snapshot]);
    expect(await other.periods.toArray()).toEqual([period]);
    const c = await compareSides(other, snapshot.id, 'current');
    expect(c.ok && moves(c.value)).toEqual(THREE);

    const again = await previewImport(other, bundle);
    expect(again.snapshots).toMatchObject({ newSnapshots: [], newPeriods: [], sameSnapshots: 1, conflict: null });
    const second = await applyImport(other, again, {}, { author: me, fileName: 'a.pilotbundle' });
    expect(second.ok && second.value.importId).toBeNull();

    // Undo of the first import removes the snapshot and the period it added.
    if (!applied.ok || !applied.value.importId) throw new Error('import not recorded');
    const undone = await undoImport(other, applied.value.importId, me);
    expect(undone.ok).toBe(true);
    expect(await other.snapshots.count()).toBe(0);
    expect(await other.periods.count()).toBe(0);
  });

  it('a colleague renames an imported period: the rename arrives with their bundle, and undo brings the old name back', async () => {
    const { period } = await scenario(db);
    const importInto = async (d: PilotDb, bundle: BundleContent) => {
      const plan = await previewImport(d, bundle);
      const r = await applyImport(d, plan, {}, { author: me, fileName: 'x.pilotbundle' });
      if (!r.ok) throw new Error(r.error.message);
      return { plan, importId: r.value.importId };
    };
    const nameHere = async (d: PilotDb) => (await d.periods.get(period.id))!.name;

    // The colleague imports the owner's bundle and renames the period (allowed: it is theirs now too).
    const colleague = await freshDb();
    await importInto(colleague, await exportOf(db));
    const renamed = await savePeriod(colleague, { id: period.id, name: '2024年度（终稿）', kind: 'annual', start: '2024-01-01', end: '2024-12-31' }, new Date(Date.parse(period.updatedAt) + 60_000));
    expect(renamed.ok).toBe(true);
    const fromColleague = await exportOf(colleague);

    // Back at the owner's: the preview names the rename, the import applies it, undo reverts it.
    const first = await importInto(db, fromColleague);
    expect(first.plan.snapshots?.updatedPeriods.map((u) => [u.before.name, u.theirs.name])).toEqual([['2024年度', '2024年度（终稿）']]);
    expect(await nameHere(db)).toBe('2024年度（终稿）');
    expect(first.importId).not.toBeNull();
    expect((await undoImport(db, first.importId!, me)).ok).toBe(true);
    expect(await nameHere(db)).toBe('2024年度');

    // The owner renames it later than the colleague did: importing the colleague's (older) copy again
    // keeps the owner's name, and the preview says why.
    await savePeriod(db, { id: period.id, name: '2024年度评估', kind: 'annual', start: '2024-01-01', end: '2024-12-31' }, new Date(Date.parse(period.updatedAt) + 120_000));
    const again = await importInto(db, fromColleague);
    expect(again.plan.snapshots?.keptPeriods.map((u) => [u.before.name, u.theirs.name])).toEqual([['2024年度评估', '2024年度（终稿）']]);
    expect(again.plan.snapshots?.updatedPeriods).toEqual([]);
    expect(await nameHere(db)).toBe('2024年度评估');
    expect(await listPeriods(db)).toHaveLength(1);
  });

  it('undoing an import leaves a period renamed here after that import as it is', async () => {
    const { period } = await scenario(db);
    const bundle = await exportOf(db);
    const other = await freshDb();
    const applied = await applyImport(other, await previewImport(other, bundle), {}, { author: me, fileName: 'a.pilotbundle' });
    if (!applied.ok || !applied.value.importId) throw new Error('import not recorded');
    // Renamed here after the import: undoing the import must not throw the rename away.
    const r = await savePeriod(other, { id: period.id, name: '2024年度（本区）', kind: 'annual', start: '2024-01-01', end: '2024-12-31' });
    expect(r.ok).toBe(true);
    expect((await undoImport(other, applied.value.importId, me)).ok).toBe(true);
    expect(await other.snapshots.count()).toBe(0);
    expect((await other.periods.toArray()).map((p) => p.name)).toEqual(['2024年度（本区）']);
  });

  it('saving a period unchanged writes no newer version', async () => {
    const { period } = await scenario(db);
    const r = await savePeriod(db, { id: period.id, name: ' 2024年度 ', kind: 'annual', start: '2024-01-01', end: '2024-12-31' }, new Date('2099-01-01T00:00:00.000Z'));
    expect(r.ok && r.value).toEqual(period);
    expect(await db.periods.get(period.id)).toEqual(period);
  });

  it('a snapshot with a known id but another hash refuses the whole import: zero rows written', async () => {
    const { snapshot } = await scenario(db);
    const bundle = await exportOf(db);

    // The recipient holds a different snapshot under the same id (a consistent forgery on one side).
    const other = await freshDb();
    const forged = { ...snapshot, entries: snapshot.entries.map((e) => (e.taskId === 'T1-01' ? { ...e, status: 'done' as const } : e)) };
    await other.periods.add((await listPeriods(db))[0]!);
    await other.snapshots.add({ ...forged, hash: snapshotHash(forged) });
    const before = await Promise.all([other.annotations.count(), other.revisions.count(), other.imports.count()]);

    const plan = await previewImport(other, bundle);
    expect(plan.snapshots?.conflict?.message).toContain('本次导入已拒绝，本机数据没有任何改动');
    const applied = await applyImport(other, plan, {}, { author: me, fileName: 'a.pilotbundle' });
    expect(!applied.ok && applied.error.code).toBe('import.snapshot_conflict');
    // Even with a plan from before the forgery arrived, the transaction re-checks and writes nothing.
    const stale = { ...plan, snapshots: { newPeriods: [], updatedPeriods: [], keptPeriods: [], newSnapshots: bundle.snapshots!, sameSnapshots: 0, conflict: null } };
    const applied2 = await applyImport(other, stale, {}, { author: me, fileName: 'a.pilotbundle' });
    expect(!applied2.ok && applied2.error.code).toBe('import.snapshot_conflict');
    expect(await Promise.all([other.annotations.count(), other.revisions.count(), other.imports.count()])).toEqual(before);
    expect((await other.snapshots.get(snapshot.id))!.hash).not.toBe(snapshot.hash);
  });
});
