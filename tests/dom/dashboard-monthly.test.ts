/**
 * The dashboard's monthly series read from the v4 index (keys only) is the series the whole
 * revisions give: edits that leave the status alone, merges, restores, equal times, revisions after
 * the as-of date, other units — and revisions written later by the app's own write paths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { historiesFromRevisions, monthlySeries, type MonthlyScope } from '../../src-main/shared/dashboard/monthly';
import { emptyFields, type Annotation, type AnnotationFields, type Revision, type RevisionKind, type Status } from '../../src-main/shared/domain';
import { docFromText } from '../../src-main/shared/richtext';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { listRevisions, restoreRevision, saveAnnotation } from '../../src-renderer/src/db/repo';
import { loadStatusHistories } from '../../src-renderer/src/features/dashboard/loadHistories';

const opened: PilotDb[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

async function freshDb(): Promise<PilotDb> {
  const db = createDb(`monthly-${crypto.randomUUID()}`);
  opened.push(db);
  await openDatabase(db, { persist: false });
  return db;
}

const author = { name: '李明', unitCode: '320102' };

function rev(id: string, taskId: string, unitCode: string, at: string, status: Status, kind: RevisionKind = 'edit', extra: Partial<AnnotationFields> = {}, parents: string[] = []): Revision {
  return {
    id,
    key: `${taskId}|${unitCode}`,
    taskId,
    unitCode,
    parents,
    author,
    at,
    kind,
    changed: ['status'],
    fields: { ...emptyFields(), status, progressNotes: docFromText(`${id}：召开推进会，印发实施方案`), problems: `${id} 的问题说明`, ...extra },
  };
}

/** Head annotation of the last revision listed for each key. */
function annotationsOf(revisions: Revision[]): Annotation[] {
  const byKey = new Map<string, Revision>();
  for (const r of revisions) byKey.set(r.key, r);
  return [...byKey.values()].map((r) => ({ ...r.fields, key: r.key, taskId: r.taskId, unitCode: r.unitCode, head: r.id, updatedAt: r.at, updatedBy: author }));
}

// Times are UTC; a month ends at 16:00 UTC of its last day (24:00 China time).
const FIXTURE: Revision[] = [
  // T1-01 in 玄武区: started in January, an edit in February that leaves the status alone, a merge
  // in March that makes it 滞后, a restore in April of the January revision (正常推进 again).
  rev('a1', 'T1-01', '320102', '2024-01-10T02:00:00.000Z', 'on_track'),
  rev('a2', 'T1-01', '320102', '2024-02-03T02:00:00.000Z', 'on_track', 'edit', { progress: 30 }, ['a1']),
  rev('a3', 'T1-01', '320102', '2024-03-15T02:00:00.000Z', 'delayed', 'merge', { progress: 30 }, ['a2', 'x9']),
  { ...rev('a4', 'T1-01', '320102', '2024-04-02T02:00:00.000Z', 'on_track', 'restore', {}, ['a3']), restoredFrom: 'a1' },
  // The other side of the merge (an import), listed out of time order.
  rev('x9', 'T1-01', '320102', '2024-03-01T02:00:00.000Z', 'delayed', 'edit', {}, ['a1']),
  // T1-02: two revisions at the same time — the one listed last (the greater id) counts, although
  // the index orders them by status the other way round ('delayed' < 'on_track').
  rev('b-1', 'T1-02', '320102', '2024-02-10T02:00:00.000Z', 'on_track'),
  rev('b-2', 'T1-02', '320102', '2024-02-10T02:00:00.000Z', 'delayed', 'edit', {}, ['b-1']),
  // The same instant written two ways: still a tie, broken by the order listed.
  rev('b-3', 'T1-02', '320102', '2024-03-20T00:00:00Z', 'mostly_done', 'edit', {}, ['b-2']),
  rev('b-4', 'T1-02', '320102', '2024-03-20T00:00:00.000Z', 'done', 'edit', {}, ['b-3']),
  // 31 Jan 17:00 UTC is already 1 Feb in Nanjing: counts from February on.
  rev('c1', 'T1-03', '320102', '2024-01-31T17:00:00.000Z', 'done'),
  // After the as-of date: ignored.
  rev('c2', 'T1-03', '320102', '2024-07-01T02:00:00.000Z', 'delayed', 'edit', {}, ['c1']),
  // Another unit (秦淮区).
  rev('d1', 'T1-01', '320104', '2023-12-20T02:00:00.000Z', 'not_applicable'),
  rev('d2', 'T1-01', '320104', '2024-05-05T02:00:00.000Z', 'mostly_done', 'edit', {}, ['d1']),
];

const TASKS = ['T1-01', 'T1-02', 'T1-03', 'T1-04'];
const CITY: MonthlyScope = { asOf: '2024-06-15', unitCodes: ['320102', '320104'], taskIds: TASKS, unitCode: null };
const XUANWU: MonthlyScope = { asOf: '2024-06-15', unitCodes: ['320102'], taskIds: TASKS, unitCode: '320102' };

async function seeded(): Promise<{ db: PilotDb; annotations: Annotation[] }> {
  const db = await freshDb();
  const annotations = annotationsOf(FIXTURE);
  await db.revisions.bulkAdd(FIXTURE);
  await db.annotations.bulkAdd(annotations);
  return { db, annotations };
}

async function fromFullRevisions(db: PilotDb, scope: MonthlyScope) {
  return monthlySeries(historiesFromRevisions(await db.revisions.toArray()), scope);
}

describe('the monthly series read from the index', () => {
  it('is the series of the whole revisions, for the city and for one unit', async () => {
    const { db, annotations } = await seeded();
    const fast = await loadStatusHistories(db, annotations);
    expect(fast).not.toBeNull();

    const city = monthlySeries(fast!, CITY)!;
    expect(city).toEqual(await fromFullRevisions(db, CITY));
    // Written out by hand, so that both paths being wrong the same way fails too.
    expect(city.labels).toEqual(['2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06-15']);
    expect(city.total).toBe(8);
    expect(city.byStatus).toEqual({
      not_started: [7, 6, 4, 4, 4, 4, 4],
      on_track: [0, 1, 1, 0, 1, 1, 1],
      delayed: [0, 0, 1, 1, 0, 0, 0],
      mostly_done: [0, 0, 0, 0, 0, 1, 1],
      done: [0, 0, 1, 2, 2, 2, 2],
      not_applicable: [1, 1, 1, 1, 1, 0, 0],
    });

    // One unit: its keys lie between the other unit's in the index (T1-01|320104 sorts between
    // T1-01|320102 and T1-02|320102), and a pair without revisions is asked for too.
    const asked = [...annotations.filter((a) => a.unitCode === '320102'), { key: 'T1-04|320102', taskId: 'T1-04', unitCode: '320102' }];
    const unitOnly = (await loadStatusHistories(db, asked))!;
    expect(unitOnly.map((h) => `${h.taskId}|${h.unitCode}`).sort()).toEqual(['T1-01|320102', 'T1-02|320102', 'T1-03|320102']);
    const xuanwu = monthlySeries(unitOnly, XUANWU)!;
    expect(xuanwu).toEqual(await fromFullRevisions(db, XUANWU));
    expect(xuanwu.labels[0]).toBe('2024-01');
  });

  it('reads only the annotations asked for, and reports its progress', async () => {
    const { db, annotations } = await seeded();
    const progress: number[] = [];
    const one = await loadStatusHistories(db, annotations.filter((a) => a.key === 'T1-02|320102'), { onProgress: (done) => progress.push(done) });
    expect(one).toEqual([
      {
        taskId: 'T1-02',
        unitCode: '320102',
        points: [
          { at: '2024-02-10T02:00:00.000Z', status: 'on_track' },
          { at: '2024-02-10T02:00:00.000Z', status: 'delayed' },
          { at: '2024-03-20T00:00:00Z', status: 'mostly_done' },
          { at: '2024-03-20T00:00:00.000Z', status: 'done' },
        ],
      },
    ]);
    expect(progress).toEqual([1]);
    expect(await loadStatusHistories(db, annotations, { signal: { cancelled: true } })).toBeNull();
  });

  it('follows revisions the app writes afterwards (a first save, a restore)', async () => {
    const { db } = await seeded();
    const saved = await saveAnnotation(db, 'T1-04', '320102', { ...emptyFields(), status: 'not_applicable' }, author, new Date('2024-06-10T02:00:00.000Z'));
    expect(saved.ok).toBe(true);
    const restored = await restoreRevision(db, 'T1-01|320102', 'a3', author, new Date('2024-06-11T02:00:00.000Z'));
    expect(restored.ok).toBe(true);
    expect((await listRevisions(db, 'T1-01|320102')).length).toBe(6);

    const all = await db.annotations.toArray();
    const series = monthlySeries((await loadStatusHistories(db, all))!, CITY)!;
    expect(series).toEqual(await fromFullRevisions(db, CITY));
    const last = series.byStatus;
    expect([last.delayed.at(-1), last.not_applicable.at(-1), last.done.at(-1)]).toEqual([1, 1, 2]);
  });
});
