/**
 * Snapshots and "what changed": a frozen snapshot keeps what was true at freezing, and the
 * comparison lists exactly the status moves, new evidence, new cases and newly annotated tasks —
 * checked against hand-written fixtures.
 */
import { describe, expect, it } from 'vitest';
import { emptyFields, type Annotation, type Evidence, type LogEntry, type Status } from '../../src-main/shared/domain';
import { docFromText } from '../../src-main/shared/richtext';
import { compareSnapshots, changeCount } from '../../src-main/shared/snapshot/compare';
import { freezeEntries, freezeSnapshot, snapshotIntact, validatePeriod } from '../../src-main/shared/snapshot/model';

const author = { name: '王芳', unitCode: '320104' };
function ann(taskId: string, unitCode: string, status: Status, extra: Partial<Annotation> = {}): Annotation {
  return {
    ...emptyFields(),
    status,
    key: `${taskId}|${unitCode}`,
    taskId,
    unitCode,
    head: `rev-${taskId}-${unitCode}-${status}`,
    updatedAt: '2024-12-01T00:00:00.000Z',
    updatedBy: author,
    ...extra,
  };
}
function ev(id: string, taskId: string, unitCode: string, deleted = false): Evidence {
  return {
    id, taskId, unitCode, title: `佐证${id}`, kind: 'policy', docNumber: '', date: null, attachmentHash: null, fileName: null, mime: null, size: null,
    author, createdAt: '2024-12-01T00:00:00.000Z', updatedAt: '2024-12-01T00:00:00.000Z', deleted,
  };
}
function log(id: string, taskId: string, unitCode: string, deleted = false): LogEntry {
  return { id, taskId, unitCode, date: '2024-11-01', body: docFromText('推进会'), author, createdAt: '2024-11-01T00:00:00.000Z', updatedAt: '2024-11-01T00:00:00.000Z', deleted };
}
const meta = { id: 'snap-2024', periodId: 'p-2024', frozenAt: '2024-12-31T08:00:00.000Z', author, corpusHash: 'c'.repeat(64) };

// At the end of 2024: three tasks annotated in 秦淮区, one in 玄武区; two pieces of evidence.
const older = {
  annotations: [
    ann('T1-01', '320104', 'on_track'),
    ann('T1-02', '320104', 'delayed', { isInnovation: true }),
    ann('T2-05', '320104', 'not_started'),
    ann('T1-01', '320102', 'on_track'),
  ],
  evidence: [ev('e1', 'T1-01', '320104'), ev('e2', 'T1-02', '320104')],
  logEntries: [log('l1', 'T1-01', '320104'), log('l2', 'T1-01', '320104', true)],
};

describe('freezing a snapshot', () => {
  it('holds one entry per task and unit with its status, flags, live evidence and live log count', () => {
    const s = freezeSnapshot(older, meta);
    expect(s.entries.map((e) => e.key)).toEqual(['T1-01|320102', 'T1-01|320104', 'T1-02|320104', 'T2-05|320104']);
    const t101 = s.entries.find((e) => e.key === 'T1-01|320104')!;
    expect(t101).toMatchObject({ status: 'on_track', logCount: 1, evidence: [{ id: 'e1', title: '佐证e1', kind: 'policy' }] });
    expect(s.entries.find((e) => e.key === 'T1-02|320104')!.isInnovation).toBe(true);
    expect(snapshotIntact(s)).toBe(true);
  });

  it('is not affected by later edits of the live records, and any edit of its content breaks its hash', () => {
    const live = { annotations: [ann('T1-01', '320104', 'on_track')], evidence: [] as Evidence[], logEntries: [] as LogEntry[] };
    const s = freezeSnapshot(live, meta);
    live.annotations[0]!.status = 'done';
    live.annotations[0]!.leadUnits.push('区商务局');
    expect(s.entries[0]!.status).toBe('on_track');
    expect(s.entries[0]!.leadUnits).toEqual([]);
    const forged = structuredClone(s);
    forged.entries[0]!.status = 'done';
    expect(snapshotIntact(forged)).toBe(false);
    expect(snapshotIntact({ ...s, periodId: 'p-other' })).toBe(false);
  });

  it('gives the same hash for the same content whatever the input order', () => {
    const a = freezeSnapshot(older, meta);
    const b = freezeSnapshot({ annotations: [...older.annotations].reverse(), evidence: [...older.evidence].reverse(), logEntries: [...older.logEntries].reverse() }, meta);
    expect(b.hash).toBe(a.hash);
  });
});

describe('what changed between two snapshots', () => {
  const before = freezeSnapshot(older, meta);
  // During 2025: T1-01 (秦淮) done, T1-02 delayed → on_track, T2-05 unchanged; 玄武 T1-01 done;
  // new evidence e3 on T2-05 (and e2 deleted); T2-05 becomes a best practice; T3-01 newly annotated
  // with evidence e4 and the innovation flag.
  const newer = {
    annotations: [
      ann('T1-01', '320104', 'done'),
      ann('T1-02', '320104', 'on_track', { isInnovation: true }),
      ann('T2-05', '320104', 'not_started', { isBestPractice: true }),
      ann('T1-01', '320102', 'done'),
      ann('T3-01', '320104', 'on_track', { isInnovation: true }),
    ],
    evidence: [ev('e1', 'T1-01', '320104'), ev('e2', 'T1-02', '320104', true), ev('e3', 'T2-05', '320104'), ev('e4', 'T3-01', '320104')],
    logEntries: older.logEntries,
  };

  it('lists exactly the status moves, from → to, in task then unit order', () => {
    const c = compareSnapshots(before, { entries: freezeEntries(newer) });
    expect(c.statusMoves.map((m) => [m.taskId, m.unitCode, m.from, m.to])).toEqual([
      ['T1-01', '320102', 'on_track', 'done'],
      ['T1-01', '320104', 'on_track', 'done'],
      ['T1-02', '320104', 'delayed', 'on_track'],
    ]);
  });

  it('lists new evidence, new cases and newly annotated tasks — and not what was already there', () => {
    const c = compareSnapshots(before, { entries: freezeEntries(newer) });
    expect(c.newEvidence.map((e) => [e.taskId, e.evidence.map((x) => x.id)])).toEqual([
      ['T2-05', ['e3']],
      ['T3-01', ['e4']],
    ]);
    expect(c.newCases.map((x) => [x.taskId, x.flags])).toEqual([
      ['T2-05', ['isBestPractice']],
      ['T3-01', ['isInnovation']],
    ]);
    expect(c.newlyAnnotated.map((x) => [x.taskId, x.status])).toEqual([['T3-01', 'on_track']]);
    expect(changeCount(c)).toBe(8);
  });

  it('finds nothing between a snapshot and itself, and can be narrowed to units', () => {
    expect(changeCount(compareSnapshots(before, before))).toBe(0);
    const c = compareSnapshots(before, { entries: freezeEntries(newer) }, { unitCodes: ['320102'] });
    expect(c.statusMoves.map((m) => m.unitCode)).toEqual(['320102']);
    expect(c.newEvidence).toEqual([]);
  });

  it('a task with evidence but no saved annotation is not "newly annotated" until saved', () => {
    const c = compareSnapshots(before, { entries: freezeEntries({ ...older, evidence: [...older.evidence, ev('e9', 'T4-01', '320104')] }) });
    expect(c.newlyAnnotated).toEqual([]);
    expect(c.newEvidence.map((e) => e.taskId)).toEqual(['T4-01']);
  });
});

describe('periods', () => {
  it('need a name and an end not before the start', () => {
    expect(validatePeriod({ name: '2024年度', start: '2024-01-01', end: '2024-12-31' })).toEqual({});
    expect(validatePeriod({ name: ' ', start: '2024-01-01', end: '2024-12-31' }).name).toBe('请填写评估期名称');
    expect(validatePeriod({ name: '中期评估', start: '2025-01-01', end: '2024-12-31' }).end).toBe('结束日期不能早于开始日期');
  });
});
