/**
 * Periods on import: a rename (or new dates) is a newer version of the same period (same id). The
 * newer `updatedAt` wins; a tie is decided the same way whichever copy arrives first; a local change
 * that is newer than the bundle's copy is kept and reported, never silently undone.
 */
import { describe, expect, it } from 'vitest';
import { newerPeriod, nextPeriodStamp, type Period } from '../../src-main/shared/snapshot/model';
import { planSnapshotImport } from '../../src-main/shared/snapshot/importPlan';

const base: Period = { id: 'p-2024', name: '2024年度', kind: 'annual', start: '2024-01-01', end: '2024-12-31', createdAt: '2024-01-02T08:00:00.000Z', updatedAt: '2024-01-02T08:00:00.000Z' };
const v = (over: Partial<Period>): Period => ({ ...base, ...over });
const plan = (local: Period[], theirs: Period[]) => planSnapshotImport({ periods: new Map(local.map((p) => [p.id, p])), snapshotHashes: new Map() }, { periods: theirs });

describe('period versions on import', () => {
  it('a newer rename in the bundle replaces the local name', () => {
    const renamed = v({ name: '2024年度（终稿）', updatedAt: '2025-01-05T09:00:00.000Z' });
    const p = plan([base], [renamed]);
    expect(p.updatedPeriods).toEqual([{ before: base, theirs: renamed }]);
    expect(p.keptPeriods).toEqual([]);
    expect(p.newPeriods).toEqual([]);
  });

  it('an older copy in the bundle does not undo a newer local rename, and says so', () => {
    const mine = v({ name: '2024年度评估', updatedAt: '2025-02-01T00:00:00.000Z' });
    const p = plan([mine], [base]);
    expect(p.updatedPeriods).toEqual([]);
    expect(p.keptPeriods).toEqual([{ before: mine, theirs: base }]);
  });

  it('the same version is nothing to do; an unknown id is new', () => {
    const other = v({ id: 'p-mid', name: '中期评估', kind: 'midterm' });
    const p = plan([base], [{ ...base }, other]);
    expect(p).toMatchObject({ newPeriods: [other], updatedPeriods: [], keptPeriods: [] });
  });

  it('a tie (same updatedAt, different content) is decided the same way in both directions', () => {
    const at = '2025-03-01T00:00:00.000Z';
    const a = v({ name: '甲名', updatedAt: at });
    const b = v({ name: '乙名', updatedAt: at });
    expect(newerPeriod(a, b)).toBe(newerPeriod(b, a));
    const winner = newerPeriod(a, b);
    const loser = winner === a ? b : a;
    // On the machine holding the loser, the bundle's winner replaces it; on the other, nothing changes.
    expect(plan([loser], [winner]).updatedPeriods.map((u) => u.theirs)).toEqual([winner]);
    expect(plan([winner], [loser]).keptPeriods.map((u) => u.before)).toEqual([winner]);
  });

  it('a local edit is always later than the version it replaces, even with a clock behind', () => {
    const fromAhead = v({ updatedAt: '2030-01-01T00:00:00.000Z' });
    const stamp = nextPeriodStamp(fromAhead, new Date('2025-06-01T00:00:00.000Z'));
    expect(stamp > fromAhead.updatedAt).toBe(true);
    expect(nextPeriodStamp(base, new Date('2025-06-01T00:00:00.000Z'))).toBe('2025-06-01T00:00:00.000Z');
    expect(nextPeriodStamp(undefined, new Date('2025-06-01T00:00:00.000Z'))).toBe('2025-06-01T00:00:00.000Z');
  });
});
