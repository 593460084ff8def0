/**
 * Progress over time (推进态势): for each month end from the month of the first revision to the
 * as-of date, how many tasks were in each status — reconstructed from revision histories.
 *
 * Rules:
 *  - A month ends at 24:00 China Standard Time (UTC+8, Nanjing, no DST) on its last day. The last
 *    point is the as-of date itself (end of that day), unless the as-of date is a month end anyway.
 *  - The status of a task × unit pair at a cut-off is that of its revision with the latest time at or
 *    before the cut-off (equal times: the one listed last). A pair with no revision yet counts as
 *    未启动, like the dashboard and the task list, so every point sums to tasks × units in scope.
 *  - Revisions of units or tasks outside the scope are ignored; the first month is that of the first
 *    revision in scope.
 *  - 全市 (`scope.city`) counts the plan's tasks instead, each by its city-level status at the
 *    cut-off (`cityTaskStatus`, as the dashboard's figures and the city report), so every point sums
 *    to the tasks in scope.
 *
 * Pure: no node, electron or DOM imports. The caller reads revisions (per annotation key, so the UI
 * can yield between keys) and keeps only `{ at, status }` of each.
 */
import { STATUSES, type Status, type Unit } from '../domain';
import { cityTaskStatus } from '../rules';
import { chinaDateOfMs } from '../time';

/** What the series needs of one revision. */
export interface StatusPoint {
  /** ISO timestamp of the revision. */
  at: string;
  status: Status;
}

/** The status points of one annotation (task × unit). */
export interface StatusHistory {
  taskId: string;
  unitCode: string;
  points: StatusPoint[];
}

export interface MonthlySeries {
  /** Unit in scope, or null for 全市 (every unit in `unitCodes`). */
  unitCode: string | null;
  /** Cut-off dates (ISO, end of day UTC+8): month ends, the last one the as-of date. */
  dates: string[];
  /** Axis labels: 2024-03 (the last one 2025-06-15 when it is not a month end). */
  labels: string[];
  /** Tasks per status at each date (same length as `dates`). */
  byStatus: Record<Status, number[]>;
  /** What every point sums to: task × unit pairs in scope, or the tasks (全市 with `city`). */
  total: number;
}

/** The China-time calendar date of a timestamp, or null if it is not one. */
function chinaDay(at: string): string | null {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : chinaDateOfMs(ms);
}

/** Last day of the month of an ISO date. */
function monthEnd(isoDate: string): string {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The month ends from the month of `first` up to `asOf` (exclusive), then `asOf`. */
export function cutoffDates(first: string, asOf: string): string[] {
  const out: string[] = [];
  let end = monthEnd(first);
  while (end < asOf) {
    out.push(end);
    const next = new Date(Date.parse(`${end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    end = monthEnd(next);
  }
  out.push(asOf);
  return out;
}

export interface MonthlyScope {
  /** ISO date of the last point. */
  asOf: string;
  /** Units in scope (全市: all of them). */
  unitCodes: readonly string[];
  /** Task ids in scope. */
  taskIds: readonly string[];
  /** Recorded in the result: the unit, or null for 全市. */
  unitCode?: string | null;
  /**
   * 全市 counted over the plan's tasks: at each cut-off a task's city-level status (`cityTaskStatus`)
   * from the units' statuses then, with each unit's kind and its current 完成时限 (deadlines are
   * not replayed; the last point is therefore exactly today's city figures).
   */
  city?: { kindOf: (unitCode: string) => Unit['kind']; deadlineOf: (taskId: string, unitCode: string) => string | null };
}

/** Tasks per status at each month end; null when no revision in scope is on or before the as-of date. */
export function monthlySeries(histories: Iterable<StatusHistory>, scope: MonthlyScope): MonthlySeries | null {
  const units = new Set(scope.unitCodes);
  const taskSet = new Set(scope.taskIds);
  const total = units.size * taskSet.size;
  // Per pair: points as (day, status), in time order, only those on or before the as-of date.
  const lists: { day: string; status: Status }[][] = [];
  const pairOf: { taskId: string; unitCode: string }[] = [];
  let first: string | null = null;
  for (const h of histories) {
    if (!units.has(h.unitCode) || !taskSet.has(h.taskId)) continue;
    const pts = h.points
      .map((p, i) => ({ ms: Date.parse(p.at), day: chinaDay(p.at), status: p.status, i }))
      .filter((p): p is { ms: number; day: string; status: Status; i: number } => p.day !== null && p.day <= scope.asOf)
      .sort((a, b) => a.ms - b.ms || a.i - b.i);
    if (!pts.length) continue;
    if (first === null || pts[0]!.day < first) first = pts[0]!.day;
    lists.push(pts);
    pairOf.push({ taskId: h.taskId, unitCode: h.unitCode });
  }
  if (first === null) return null;

  const dates = cutoffDates(first, scope.asOf);
  if (scope.city) return citySeries(scope, scope.city, dates, lists, pairOf);
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, dates.map(() => 0)])) as Record<Status, number[]>;
  const counted = dates.map(() => 0);
  for (const pts of lists) {
    let j = -1;
    dates.forEach((d, k) => {
      while (j + 1 < pts.length && pts[j + 1]!.day <= d) j += 1;
      if (j >= 0) {
        byStatus[pts[j]!.status][k]! += 1;
        counted[k]! += 1;
      }
    });
  }
  // Pairs without a revision yet (and pairs never annotated) count as 未启动.
  dates.forEach((_, k) => {
    byStatus.not_started[k]! += total - counted[k]!;
  });
  return { unitCode: scope.unitCode ?? null, dates, labels: labelsOf(dates), byStatus, total };
}

/** The labels of the cut-offs: 2024-03 (the last one the whole date when it is not a month end). */
const labelsOf = (dates: readonly string[]) => dates.map((d, k) => (k === dates.length - 1 && d !== monthEnd(d) ? d : d.slice(0, 7)));

/** 全市 over the plan's tasks: each task's city-level status at each cut-off (see `MonthlyScope.city`). */
function citySeries(
  scope: MonthlyScope,
  city: NonNullable<MonthlyScope['city']>,
  dates: readonly string[],
  lists: readonly { day: string; status: Status }[][],
  pairOf: readonly { taskId: string; unitCode: string }[],
): MonthlySeries {
  const unitCodes = [...new Set(scope.unitCodes)];
  const taskIds = [...new Set(scope.taskIds)];
  // The status of each pair at each cut-off (absent: no revision yet, 未启动 by the rule).
  const at = new Map<string, (Status | null)[]>();
  lists.forEach((pts, i) => {
    const row: (Status | null)[] = [];
    let j = -1;
    for (const d of dates) {
      while (j + 1 < pts.length && pts[j + 1]!.day <= d) j += 1;
      row.push(j >= 0 ? pts[j]!.status : null);
    }
    at.set(`${pairOf[i]!.taskId}|${pairOf[i]!.unitCode}`, row);
  });
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, dates.map(() => 0)])) as Record<Status, number[]>;
  for (const taskId of taskIds) {
    const rows = unitCodes.map((u) => ({ kind: city.kindOf(u), deadline: city.deadlineOf(taskId, u), row: at.get(`${taskId}|${u}`) }));
    dates.forEach((d, k) => {
      const records = rows.map((r) => {
        const status = r.row?.[k] ?? null;
        return { unitKind: r.kind, annotation: status === null ? null : { status, deadline: r.deadline } };
      });
      byStatus[cityTaskStatus(records, d).status][k]! += 1;
    });
  }
  return { unitCode: scope.unitCode ?? null, dates: [...dates], labels: labelsOf(dates), byStatus, total: taskIds.length };
}

/** Status histories from revisions (each revision once, however many bundles carried it). */
export function historiesFromRevisions(revisions: Iterable<{ id: string; key: string; taskId: string; unitCode: string; at: string; fields: { status: Status } }>): StatusHistory[] {
  const seen = new Set<string>();
  const byKey = new Map<string, StatusHistory>();
  for (const r of revisions) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    let h = byKey.get(r.key);
    if (!h) byKey.set(r.key, (h = { taskId: r.taskId, unitCode: r.unitCode, points: [] }));
    h.points.push({ at: r.at, status: r.fields.status });
  }
  return [...byKey.values()];
}

/**
 * The series for a report: the report's units (its scope, or every unit it knows: the unit list
 * plus any unit that has annotations, as `buildReportModel` does) and the tasks of its tables. A
 * status filter in the scope does not apply (the chart shows how all statuses moved).
 */
export function reportMonthlySeries(
  histories: Iterable<StatusHistory>,
  r: {
    asOf: string;
    scope: { unitCodes: readonly string[]; tables: readonly number[] };
    units: readonly { code: string; kind?: Unit['kind'] }[];
    annotations: readonly { taskId: string; unitCode: string; deadline: string | null }[];
    tasks: readonly { id: string; table: number }[];
    /** A city report: the plan's tasks by their city-level status (`MonthlyScope.city`). */
    city?: boolean;
  },
): MonthlySeries | null {
  const unitCodes = r.scope.unitCodes.length ? [...new Set(r.scope.unitCodes)] : [...new Set([...r.units.map((u) => u.code), ...r.annotations.map((a) => a.unitCode)])];
  const taskIds = r.tasks.filter((t) => !r.scope.tables.length || r.scope.tables.includes(t.table)).map((t) => t.id);
  return monthlySeries(histories, {
    asOf: r.asOf,
    unitCodes,
    taskIds,
    unitCode: unitCodes.length === 1 ? unitCodes[0] : null,
    city: r.city ? cityOf(r.units, r.annotations) : undefined,
  });
}

/** What the city-level replay needs: each unit's kind (absent: a district) and each pair's current deadline. */
export function cityOf(
  units: readonly { code: string; kind?: Unit['kind'] }[],
  annotations: readonly { taskId: string; unitCode: string; deadline: string | null }[],
): NonNullable<MonthlyScope['city']> {
  const kinds = new Map(units.map((u) => [u.code, u.kind ?? ('district' as const)]));
  const deadlines = new Map(annotations.map((a) => [`${a.taskId}|${a.unitCode}`, a.deadline]));
  return { kindOf: (code) => kinds.get(code) ?? 'district', deadlineOf: (taskId, code) => deadlines.get(`${taskId}|${code}`) ?? null };
}
