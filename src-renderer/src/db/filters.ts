/**
 * The task list's filters, as pure functions of the tasks, one unit's annotations, the evidence
 * counts and the search hits. Nothing here reads the database, so the list, the tests and the
 * reports agree on what "红灯" or "已完成但无佐证" means.
 */
import type { Annotation, Status } from '../../../src-main/shared/domain';
import { isOverdue, orNotStarted, trafficLight, type Light } from '../../../src-main/shared/rules';
import type { Task } from '../../../src-main/shared/corpus/types';
import type { Hit } from './search';

/**
 * What the person chose. Empty lists and `false` mean "no restriction"; all chosen conditions must
 * hold (values within one list are alternatives).
 */
export interface TaskFilters {
  /** 表1…表5 */
  tables: number[];
  /** 类别 */
  groups: string[];
  /** 领域 (table 1 only) */
  domains: string[];
  /** A task with no annotation in the unit counts as 未启动. */
  statuses: Status[];
  /**
   * The unit being viewed: search hits of other units do not count. (The annotation conditions look
   * at `FilterData.annotationsByTask`, which the caller builds for this unit.)
   */
  unitCode: string | null;
  /** Traffic light of the unit's annotation (no annotation = green). */
  lights: Light[];
  /** 存在问题 is filled in. */
  hasProblems: boolean;
  /** Marked 制度创新成果 or 最佳实践案例. */
  flagged: boolean;
  /** 已完成 but without any (non-deleted) evidence. */
  doneWithoutEvidence: boolean;
  /** The search box; matched through `hits` when given. */
  query: string;
  /** 已超期 (`isOverdue` of rules.ts, the dashboard's overdue list). */
  overdue?: boolean;
}

/** Filters that restrict nothing. */
export function emptyFilters(unitCode: string | null = null): TaskFilters {
  return {
    tables: [],
    groups: [],
    domains: [],
    statuses: [],
    unitCode,
    lights: [],
    hasProblems: false,
    flagged: false,
    doneWithoutEvidence: false,
    query: '',
  };
}

/** How many conditions are set (for a "筛选 (3)" badge); the unit and the query are not counted. */
export function countActiveFilters(f: TaskFilters): number {
  return (
    (f.tables.length > 0 ? 1 : 0) +
    (f.groups.length > 0 ? 1 : 0) +
    (f.domains.length > 0 ? 1 : 0) +
    (f.statuses.length > 0 ? 1 : 0) +
    (f.lights.length > 0 ? 1 : 0) +
    (f.hasProblems ? 1 : 0) +
    (f.flagged ? 1 : 0) +
    (f.doneWithoutEvidence ? 1 : 0) +
    (f.overdue ? 1 : 0)
  );
}

type Lookup<V> = ReadonlyMap<string, V> | Readonly<Record<string, V>>;

const lookup = <V>(m: Lookup<V>, key: string): V | undefined =>
  m instanceof Map ? m.get(key) : Object.prototype.hasOwnProperty.call(m, key) ? (m as Record<string, V>)[key] : undefined;

/** What the filters look at besides the tasks. */
export interface FilterData {
  /** The chosen unit's annotations by task id (e.g. `annotationsByTask(list, unitCode)`). */
  annotationsByTask: Lookup<Annotation>;
  /** Live (non-deleted) evidence per annotation key, as `countEvidenceByKey` returns. */
  evidenceCountByKey: Lookup<number>;
  /**
   * Search hits for `filters.query` (from `searchAll`). A task passes if it has a hit that is its
   * own text or belongs to the chosen unit. Without hits, the query is matched against the task
   * text, id, 类别 and 领域 only.
   */
  hits?: readonly Hit[] | null;
}

/** The annotations of one unit, by task id. */
export function annotationsByTask(annotations: readonly Annotation[], unitCode: string): Map<string, Annotation> {
  const m = new Map<string, Annotation>();
  for (const a of annotations) if (a.unitCode === unitCode) m.set(a.taskId, a);
  return m;
}

/** The tasks that pass every chosen condition, in their original order. `today` is an ISO date. */
export function applyFilters(tasks: readonly Task[], data: FilterData, filters: TaskFilters, today: string): Task[] {
  const query = filters.query.trim();
  let searchPass: Set<string> | null = null;
  if (query && data.hits) {
    searchPass = new Set(
      data.hits.filter((h) => h.unitCode === null || filters.unitCode === null || h.unitCode === filters.unitCode).map((h) => h.taskId),
    );
  }
  const terms = query && !data.hits ? query.normalize('NFKC').toLowerCase().split(/\s+/) : [];

  return tasks.filter((task) => {
    if (filters.tables.length && !filters.tables.includes(task.table)) return false;
    if (filters.groups.length && !filters.groups.includes(task.group)) return false;
    if (filters.domains.length && (task.domain === null || !filters.domains.includes(task.domain))) return false;

    const a = lookup(data.annotationsByTask, task.id);
    // Without an annotation a task is 未启动 with no deadline (`orNotStarted`): no light, never overdue.
    const x = orNotStarted(a);
    const status: Status = x.status;
    if (filters.statuses.length && !filters.statuses.includes(status)) return false;
    if (filters.lights.length && !filters.lights.includes(trafficLight(x, today))) return false;
    if (filters.hasProblems && x.problems.trim() === '') return false;
    if (filters.flagged && !(a && (a.isInnovation || a.isBestPractice))) return false;
    if (filters.overdue && !isOverdue(x, today)) return false;
    if (filters.doneWithoutEvidence) {
      // 'done' implies an annotation, whose key names its unit.
      if (!a || status !== 'done') return false;
      if ((lookup(data.evidenceCountByKey, a.key) ?? 0) > 0) return false;
    }

    if (searchPass && !searchPass.has(task.id)) return false;
    if (terms.length) {
      const hay = `${task.id} ${task.group} ${task.domain ?? ''} ${task.text}`.normalize('NFKC').toLowerCase();
      if (!terms.every((t) => hay.includes(t))) return false;
    }
    return true;
  });
}
