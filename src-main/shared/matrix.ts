/**
 * The supervisor's task × unit matrix (全市总览) as data: one row per task of the plan with each
 * unit's status, how many units are in each status, and the task's city-level status
 * (`cityTaskStatus` of rules.ts — the one rule the reports and the dashboard use too); one total per
 * unit (已实施 / tasks that are not 不涉及). The screen draws it and main writes the same rows to an
 * Excel workbook, so the file has exactly the cells the screen shows, in the order it shows them.
 *
 * A task × unit without an annotation shows as empty (null) but counts as 未启动
 * (`NOT_REPORTED` of rules.ts), as in the task list, the dashboard and the reports.
 *
 * Pure: no node, electron or DOM imports.
 */
import { STATUSES, STATUS_LABELS, type Annotation, type Status, type Unit } from './domain';
import type { Task } from './corpus/types';
import { NOT_REPORTED, cityTaskStatus, isImplemented } from './rules';
import { shortTitle } from './report/model';

export interface MatrixUnit {
  code: string;
  name: string;
  kind: Unit['kind'];
}

/** The fields of an annotation the matrix reads. */
export type MatrixAnnotation = Pick<Annotation, 'taskId' | 'unitCode' | 'status' | 'deadline'>;

export interface MatrixInput {
  tasks: readonly Pick<Task, 'id' | 'text'>[];
  /** The columns, in display order. */
  units: readonly MatrixUnit[];
  annotations: readonly MatrixAnnotation[];
  /** ISO date (Beijing today in the app): the city status counts a unit past its deadline as 进度滞后. */
  asOf: string;
}

export interface MatrixRow {
  taskId: string;
  shortTitle: string;
  text: string;
  /** Position of the task in the plan (the order of 任务编号). */
  order: number;
  /** One per unit of `units`; null where the unit has no annotation of the task. */
  cells: (Status | null)[];
  /** Units in each status, an unannotated one counted as 未启动. */
  counts: Record<Status, number>;
  city: { status: Status; source: 'city' | 'derived' };
}

export interface MatrixUnitTotal {
  unitCode: string;
  /** 已实施: 已完成 + 基本完成. */
  implemented: number;
  /** Tasks that are not 不涉及 (an unannotated task is 未启动, so applicable). */
  applicable: number;
}

export interface StatusMatrixData {
  units: MatrixUnit[];
  rows: MatrixRow[];
  totals: MatrixUnitTotal[];
  /** Tasks in each city-level status (the plan's tasks, not task × unit pairs). */
  cityCounts: Record<Status, number>;
}

/** What the rows are ordered by: 任务编号, the city status, or one unit's column. */
export type MatrixSortKey = 'task' | 'city' | `unit:${string}`;
export interface MatrixSort {
  key: MatrixSortKey;
  dir: 'asc' | 'desc';
}
export const DEFAULT_MATRIX_SORT: MatrixSort = { key: 'task', dir: 'asc' };

const zero = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** The matrix of every task × every unit in `input.units`. */
export function statusMatrix(input: MatrixInput): StatusMatrixData {
  const byKey = new Map<string, MatrixAnnotation>();
  for (const a of input.annotations) byKey.set(`${a.taskId}|${a.unitCode}`, a);
  const totals = input.units.map((u) => ({ unitCode: u.code, implemented: 0, applicable: 0 }));
  const cityCounts = zero();
  const rows = input.tasks.map((task, order): MatrixRow => {
    const counts = zero();
    const annotations = input.units.map((u) => byKey.get(`${task.id}|${u.code}`) ?? null);
    annotations.forEach((a, i) => {
      const status = (a ?? NOT_REPORTED).status;
      counts[status] += 1;
      if (status !== 'not_applicable') totals[i]!.applicable += 1;
      if (isImplemented(status)) totals[i]!.implemented += 1;
    });
    const city = cityTaskStatus(
      input.units.map((u, i) => ({ unitKind: u.kind, annotation: annotations[i] ?? null })),
      input.asOf,
    );
    cityCounts[city.status] += 1;
    return { taskId: task.id, shortTitle: shortTitle(task.text), text: task.text, order, cells: annotations.map((a) => a?.status ?? null), counts, city };
  });
  return { units: [...input.units], rows, totals, cityCounts };
}

/**
 * The rows in the order of `sort`: by task (plan order), by city status, or by one unit's status,
 * statuses in their display order (未启动 … 不涉及), an empty cell after every status; ties keep
 * plan order, whichever the direction.
 */
export function sortMatrixRows(data: Pick<StatusMatrixData, 'units' | 'rows'>, sort: MatrixSort): MatrixRow[] {
  const rank = (s: Status | null) => (s === null ? STATUSES.length : STATUSES.indexOf(s));
  let key: (r: MatrixRow) => number;
  if (sort.key === 'task') key = (r) => r.order;
  else if (sort.key === 'city') key = (r) => rank(r.city.status);
  else {
    const i = data.units.findIndex((u) => `unit:${u.code}` === sort.key);
    if (i < 0) return [...data.rows];
    key = (r) => rank(r.cells[i] ?? null);
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...data.rows].sort((a, b) => sign * (key(a) - key(b)) || a.order - b.order);
}

/** The cells as text, as the screen shows them and the Excel file holds them: header, rows, totals. */
export interface MatrixTable {
  header: string[];
  rows: string[][];
  /** Row statuses (for colouring): per row, the city status and each unit's (null = empty). */
  statuses: { city: Status; cells: (Status | null)[] }[];
  totals: string[];
}

/** Words the table is written in (the screen passes its catalogue's, the Excel file Chinese). */
export interface MatrixWords {
  task: string;
  city: string;
  counts: string;
  total: string;
  empty: string;
  status: (s: Status) => string;
  /** e.g. 「已完成3」 for one status count. */
  count: (s: Status, n: number) => string;
  /** e.g. 「已实施 40 / 适用 100」 for a unit's total. */
  unitTotal: (implemented: number, applicable: number) => string;
  /** The city column's total, e.g. 「已实施 30 / 适用 100」 over the plan's tasks. */
  cityTotal: (implemented: number, applicable: number) => string;
}

/** 「已完成3 · 序时推进2」: the non-zero counts of a row, in status order. */
export function countsText(counts: Record<Status, number>, words: Pick<MatrixWords, 'count'>): string {
  return STATUSES.filter((s) => counts[s] > 0)
    .map((s) => words.count(s, counts[s]))
    .join(' · ');
}

/** The matrix, sorted, as rows of text. */
export function matrixTable(data: StatusMatrixData, sort: MatrixSort, words: MatrixWords): MatrixTable {
  const rows = sortMatrixRows(data, sort);
  const cityImplemented = data.cityCounts.done + data.cityCounts.mostly_done;
  const cityApplicable = data.rows.length - data.cityCounts.not_applicable;
  return {
    header: [words.task, words.city, ...data.units.map((u) => u.name), words.counts],
    rows: rows.map((r) => [
      `${r.taskId} ${r.shortTitle}`,
      words.status(r.city.status),
      ...r.cells.map((s) => (s === null ? words.empty : words.status(s))),
      countsText(r.counts, words),
    ]),
    statuses: rows.map((r) => ({ city: r.city.status, cells: r.cells })),
    totals: [words.total, words.cityTotal(cityImplemented, cityApplicable), ...data.totals.map((t) => words.unitTotal(t.implemented, t.applicable)), ''],
  };
}

/** The Chinese words of the matrix (the Excel file; the screen's zh-CN catalogue says the same). */
export const MATRIX_WORDS_ZH: MatrixWords = {
  task: '任务',
  city: '全市状态',
  counts: '各状态单位数',
  total: '合计（已实施 / 适用）',
  empty: '—',
  status: (s) => STATUS_LABELS[s],
  count: (s, n) => `${STATUS_LABELS[s]}${n}`,
  unitTotal: (implemented, applicable) => `${implemented} / ${applicable}`,
  cityTotal: (implemented, applicable) => `${implemented} / ${applicable}`,
};
