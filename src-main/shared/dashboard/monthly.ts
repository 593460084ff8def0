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
 *
 * Pure: no node, electron or DOM imports. The caller reads revisions (per annotation key, so the UI
 * can yield between keys) and keeps only `{ at, status }` of each.
 */
import { STATUSES, type Status } from '../domain';
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
  /** Task × unit pairs in scope: every point sums to this. */
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
}

/** Tasks per status at each month end; null when no revision in scope is on or before the as-of date. */
export function monthlySeries(histories: Iterable<StatusHistory>, scope: MonthlyScope): MonthlySeries | null {
  const units = new Set(scope.unitCodes);
  const taskSet = new Set(scope.taskIds);
  const total = units.size * taskSet.size;
  // Per pair: points as (day, status), in time order, only those on or before the as-of date.
  const lists: { day: string; status: Status }[][] = [];
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
  }
  if (first === null) return null;

  const dates = cutoffDates(first, scope.asOf);
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
  const labels = dates.map((d, k) => (k === dates.length - 1 && d !== monthEnd(d) ? d : d.slice(0, 7)));
  return { unitCode: scope.unitCode ?? null, dates, labels, byStatus, total };
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
    units: readonly { code: string }[];
    annotations: readonly { unitCode: string }[];
    tasks: readonly { id: string; table: number }[];
  },
): MonthlySeries | null {
  const unitCodes = r.scope.unitCodes.length ? [...new Set(r.scope.unitCodes)] : [...new Set([...r.units.map((u) => u.code), ...r.annotations.map((a) => a.unitCode)])];
  const taskIds = r.tasks.filter((t) => !r.scope.tables.length || r.scope.tables.includes(t.table)).map((t) => t.id);
  return monthlySeries(histories, { asOf: r.asOf, unitCodes, taskIds, unitCode: unitCodes.length === 1 ? unitCodes[0] : null });
}
