/**
 * The dashboard's figures (数据看板): status by table, by group and by unit, the implementation share
 * per table, red / yellow / green counts, the overdue list and the tasks with problems — pure
 * functions of the tasks, the units in view and their current annotations.
 *
 * What is counted. 全市 (`city`): the plan's tasks, each once, by its city-level status and deadline
 * (`cityTaskStatus` of rules.ts, the rule the city report prints) — overall, per table and per 类别;
 * the per-unit figures count each unit's tasks, and the overdue and problem lists name the unit of
 * each item (task × unit). One unit, or several without `city`: every task × unit pair in view.
 * A pair without an annotation counts as 未启动
 * with no deadline and no problems (`orNotStarted` of rules.ts) — so it has no traffic light, not a
 * green one — the same rule as the task list's filters, so a number on the dashboard is exactly the
 * number of tasks the task list shows for the same conditions. Overdue (已超期) and the lights are the
 * rules of rules.ts (`isOverdue`, `trafficLight`); shares: `figuresOf` of the report model.
 *
 * Pure: no node, electron or DOM imports.
 */
import { STATUS_LABELS, type Annotation, type Status, type Unit } from '../domain';
import { cityTaskStatus, daysOverdue, isOverdue, orNotStarted, trafficLight, type Light } from '../rules';
import type { Task, TaskTable } from '../corpus/types';
import { figuresOf, shortTitle, tableLabel, type Figures, type FiguresRow } from '../report/model';

/** What a chart element or a list row on the dashboard points at; the task list applies it as filters. */
export interface DrillTarget {
  /** The unit whose tasks the list shows (null/absent: keep the current unit). */
  unitCode?: string;
  table?: number;
  group?: string;
  statuses?: Status[];
  light?: Light;
  overdue?: boolean;
  hasProblems?: boolean;
}

export interface DashboardUnit {
  code: string;
  name: string;
  /** The unit's kind: a 市级部门's own record is the city's status (`cityTaskStatus`); absent: a district. */
  kind?: Unit['kind'];
}

/** The fields of an annotation the dashboard reads. */
export type DashboardAnnotation = Pick<Annotation, 'taskId' | 'unitCode' | 'status' | 'deadline' | 'problems'>;

export interface DashboardInput {
  tasks: readonly Pick<Task, 'id' | 'table' | 'group' | 'text'>[];
  tables: readonly Pick<TaskTable, 'number' | 'title'>[];
  /** Every unit in view, in display order (全市: the units to count; one unit: that unit only). */
  units: readonly DashboardUnit[];
  annotations: readonly DashboardAnnotation[];
  /** ISO date: today in the app, the as-of date in a report. */
  asOf: string;
  /** 全市: overall, per-table and per-类别 figures count the plan's tasks by their city-level status. */
  city?: boolean;
}

export interface GroupRow extends FiguresRow {
  table: number;
  group: string;
}

export interface TableRow extends FiguresRow {
  table: number;
}

export interface DashboardItem {
  taskId: string;
  shortTitle: string;
  unitCode: string;
  unitName: string;
  status: Status;
  statusLabel: string;
}

export interface OverdueItem extends DashboardItem {
  deadline: string;
  /** Whole days past the deadline at the as-of date (≥ 1). */
  daysOverdue: number;
}

export interface ProblemItem extends DashboardItem {
  problems: string;
}

export interface DashboardData {
  asOf: string;
  units: DashboardUnit[];
  /** Counted over the plan's tasks (全市) or over task × unit pairs (see the module's note). */
  basis: 'tasks' | 'pairs';
  overall: Figures;
  byTable: TableRow[];
  byGroup: GroupRow[];
  byUnit: FiguresRow[];
  /** How many of the counted (tasks or pairs) are past their deadline unfinished (the 已超期 card). */
  overdueCount: number;
  /** Each unit's overdue tasks (task × unit): most days overdue first, then task order, then unit order. */
  overdue: OverdueItem[];
  /** Task order, then unit order. */
  problems: ProblemItem[];
}

/** All dashboard figures for the units in `input.units`. */
export function dashboardData(input: DashboardInput): DashboardData {
  const { tasks, units, asOf } = input;
  const unitCodes = new Set(units.map((u) => u.code));
  const byKey = new Map<string, DashboardAnnotation>();
  for (const a of input.annotations) if (unitCodes.has(a.unitCode)) byKey.set(`${a.taskId}|${a.unitCode}`, a);

  interface Pair {
    task: (typeof tasks)[number];
    unit: DashboardUnit;
    a: Pick<Annotation, 'status' | 'deadline' | 'problems'>;
  }
  const pairs: Pair[] = [];
  for (const task of tasks) {
    for (const unit of units) pairs.push({ task, unit, a: orNotStarted(byKey.get(`${task.id}|${unit.code}`)) });
  }
  const pairFigures = (pred: (p: Pair) => boolean) => figuresOf(pairs.filter(pred).map((p) => p.a), asOf);
  // 全市: one entry per task, its city-level status and deadline.
  const cityTasks = input.city
    ? tasks.map((task) => ({
        task,
        a: cityTaskStatus(
          units.map((u) => ({ unitKind: u.kind ?? 'district', annotation: byKey.get(`${task.id}|${u.code}`) ?? null })),
          asOf,
        ),
      }))
    : null;
  const figures = (pred: (task: (typeof tasks)[number]) => boolean) =>
    cityTasks ? figuresOf(cityTasks.filter((c) => pred(c.task)).map((c) => c.a), asOf) : pairFigures((p) => pred(p.task));

  const byTable: TableRow[] = input.tables.map((t) => ({
    key: tableLabel(t.number),
    label: `${tableLabel(t.number)} ${t.title}`,
    table: t.number,
    ...figures((task) => task.table === t.number),
  }));
  const groups: { table: number; group: string }[] = [];
  for (const t of tasks) if (!groups.some((g) => g.table === t.table && g.group === t.group)) groups.push({ table: t.table, group: t.group });
  const byGroup: GroupRow[] = groups.map((g) => ({
    key: `${g.table}|${g.group}`,
    label: g.group,
    table: g.table,
    group: g.group,
    ...figures((task) => task.table === g.table && task.group === g.group),
  }));
  const byUnit: FiguresRow[] = units.map((u) => ({ key: u.code, label: u.name, ...pairFigures((p) => p.unit.code === u.code) }));

  const item = (p: Pair): DashboardItem => ({
    taskId: p.task.id,
    shortTitle: shortTitle(p.task.text),
    unitCode: p.unit.code,
    unitName: p.unit.name,
    status: p.a.status,
    statusLabel: STATUS_LABELS[p.a.status],
  });
  const overdue: OverdueItem[] = pairs
    .filter((p) => isOverdue(p.a, asOf))
    .map((p) => ({ ...item(p), deadline: p.a.deadline!, daysOverdue: daysOverdue(p.a, asOf)! }));
  // Stable sort: ties keep task order, then unit order (the order of `pairs`).
  overdue.sort((x, y) => y.daysOverdue - x.daysOverdue);
  const problems: ProblemItem[] = pairs.filter((p) => p.a.problems.trim() !== '').map((p) => ({ ...item(p), problems: p.a.problems.trim() }));

  const overdueCount = cityTasks ? cityTasks.filter((c) => isOverdue(c.a, asOf)).length : overdue.length;
  return { asOf, units: [...units], overdueCount, basis: cityTasks || units.length === 1 ? 'tasks' : 'pairs', overall: figures(() => true), byTable, byGroup, byUnit, overdue, problems };
}

/** Does a task × unit pair (annotation or none) meet every condition of a drill target? */
export function matchesDrill(
  task: Pick<Task, 'table' | 'group'>,
  a: Pick<Annotation, 'status' | 'deadline' | 'problems'> | undefined,
  target: DrillTarget,
  asOf: string,
): boolean {
  const x = orNotStarted(a);
  if (target.table !== undefined && task.table !== target.table) return false;
  if (target.group !== undefined && task.group !== target.group) return false;
  if (target.statuses?.length && !target.statuses.includes(x.status)) return false;
  if (target.light && trafficLight(x, asOf) !== target.light) return false;
  if (target.overdue && !isOverdue(x, asOf)) return false;
  if (target.hasProblems && x.problems.trim() === '') return false;
  return true;
}

/**
 * How many tasks of each unit meet a drill target: when 全市 is in view, a click on a table, group
 * or light goes through a choice of unit (the task list shows one unit's tasks), each with its count.
 */
export function drillCounts(input: DashboardInput, target: DrillTarget): { unit: DashboardUnit; count: number }[] {
  const byKey = new Map<string, DashboardAnnotation>();
  for (const a of input.annotations) byKey.set(`${a.taskId}|${a.unitCode}`, a);
  return input.units.map((unit) => ({
    unit,
    count: input.tasks.filter((t) => matchesDrill(t, byKey.get(`${t.id}|${unit.code}`), target, input.asOf)).length,
  }));
}
