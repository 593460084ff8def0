/**
 * The domain rules, each one function, used alike by the app's screens and filters, the dashboard,
 * the reports and the CLI — so a number on the dashboard, a row of the task list, a line of a report
 * and the CLI's output can never disagree about what "implemented", "overdue", a traffic light or
 * the issuer of a unit's documents is.
 *
 *  - 已实施 (implemented): 已完成 or 基本完成 (`isImplemented`). It is also what "done" means for a
 *    deadline: a 基本完成 task has done what the plan asked and is counted in the implementation
 *    share, so it is never at the same time listed as 已超期 or lit red or yellow.
 *  - 已超期 (overdue): the deadline is before the as-of date (Beijing date) and the task is neither
 *    implemented nor 不涉及 (`isOverdue`, `daysOverdue`).
 *  - Traffic light (`trafficLight`): red = 进度滞后 or overdue; yellow = deadline within 30 days;
 *    none = 未启动 without a deadline (nothing to be on time for yet, and certainly not "green");
 *    green otherwise (implemented, 不涉及, or under way with time left).
 *  - A task × unit without an annotation is 未启动 with no deadline and no problems (`orNotStarted`),
 *    in the task list, its filters, the dashboard and the reports' replay alike.
 *  - 发文机关 of a unit's documents (`issuerOf`).
 *
 * Pure: no node, electron or DOM imports.
 */
import type { Annotation, Status, Unit } from './domain';
import { daysBetween } from './time';

/** 已实施: 已完成 + 基本完成 — the implementation share, and "done" as far as deadlines go. */
export function isImplemented(status: Status): boolean {
  return status === 'done' || status === 'mostly_done';
}

/** The statuses that count as implemented, in display order (a drill from an implementation share). */
export const IMPLEMENTED_STATUSES: readonly Status[] = ['done', 'mostly_done'];

/** Whole days a task is past its deadline at `asOf`, or null when it is not overdue (see `isOverdue`). */
export function daysOverdue(a: { status: Status; deadline: string | null }, asOf: string): number | null {
  if (a.deadline === null || a.status === 'not_applicable' || isImplemented(a.status)) return null;
  const days = daysBetween(a.deadline, asOf);
  return days > 0 ? days : null;
}

/** 已超期: past its deadline at `asOf` (a deadline today is not yet past), not implemented, not 不涉及. */
export function isOverdue(a: { status: Status; deadline: string | null }, asOf: string): boolean {
  return daysOverdue(a, asOf) !== null;
}

/** A traffic light; `none` = 未启动 without a deadline. */
export type Light = 'red' | 'yellow' | 'green' | 'none';

/** Display order of the lights (filters, charts, reports). */
export const LIGHTS: readonly Light[] = ['red', 'yellow', 'green', 'none'];

/** Colours of the traffic lights (badges, dashboard, report charts). */
export const LIGHT_COLORS: Record<Light, string> = { red: '#cf1322', yellow: '#d48806', green: '#389e0d', none: '#bfbfbf' };

/** Days before a deadline from which an unfinished task turns yellow. */
export const YELLOW_DAYS = 30;

/**
 * The traffic light of a task at `today` (an ISO date: the as-of date of a report, Beijing today in
 * the app): red = 进度滞后 or overdue; yellow = deadline within 30 days and not implemented; none =
 * 未启动 without a deadline; green otherwise. 不涉及 and implemented tasks are green.
 */
export function trafficLight(a: { status: Status; deadline: string | null }, today: string): Light {
  if (a.status === 'not_applicable' || isImplemented(a.status)) return 'green';
  if (a.status === 'delayed') return 'red';
  if (a.deadline) {
    const left = daysBetween(today, a.deadline);
    if (left < 0) return 'red';
    if (left <= YELLOW_DAYS) return 'yellow';
  } else if (a.status === 'not_started') return 'none';
  return 'green';
}

/** What a task × unit without an annotation counts as: 未启动, no deadline, no problems. */
export const NOT_REPORTED: Readonly<Pick<Annotation, 'status' | 'deadline' | 'problems'>> = Object.freeze({
  status: 'not_started',
  deadline: null,
  problems: '',
});

/** An annotation, or for a task × unit without one, `NOT_REPORTED`. */
export function orNotStarted<A extends Pick<Annotation, 'status' | 'deadline' | 'problems'>>(a: A | undefined | null): A | typeof NOT_REPORTED {
  return a ?? NOT_REPORTED;
}

/** 发文机关 of documents not signed by one unit (the city, several units): the city's commerce bureau. */
export const CITY_ISSUER = '南京市商务局';

/**
 * 发文机关 of a unit's documents when none is typed: a district's people's government under its full
 * name (南京市玄武区人民政府), 江北新区's administrative committee (南京江北新区管理委员会), and for the
 * city departments — or no single unit — 南京市商务局, which leads the pilot.
 */
export function issuerOf(unit: Pick<Unit, 'name' | 'kind'> | null | undefined): string {
  if (!unit) return CITY_ISSUER;
  const name = unit.name.trim();
  if (unit.kind === 'district') return `${name.startsWith('南京市') ? name : `南京市${name}`}人民政府`;
  if (unit.kind === 'zone') return `${name.startsWith('南京') ? name : `南京${name}`}管理委员会`;
  return CITY_ISSUER;
}

/**
 * The city-level status of one task (a city report counts the plan's 104 tasks, never task × unit
 * pairs). `records` holds one entry per unit in scope, with its annotation of the task or null where
 * it has none (that unit then counts as 未启动, `orNotStarted`).
 *
 *  1. Where the 市级部门 (a unit of kind `city`) has its own annotation, that is the city's status:
 *     the departments that lead the task report on it for the whole city.
 *  2. Otherwise the status is derived from the districts and zones that do not mark 不涉及: 不涉及 when every unit
 *     does; 进度滞后 when any of them is 进度滞后 or past its deadline unfinished; 已完成 when all of
 *     them are 已完成; 基本完成 when all are implemented (已完成 or 基本完成); 未启动 when all are 未启动;
 *     序时推进 otherwise.
 *
 * `deadline` is the city's: the 市级部门's own where rule 1 applies, otherwise the earliest deadline
 * of the units (not 不涉及) that have not implemented the task; a city task's light and 已超期 follow
 * from it and its status like a unit's (`trafficLight`, `isOverdue`).
 *
 * `CITY_STATUS_RULE` says the same in the words a report's 说明 prints. Used alike by the reports,
 * the dashboard (全市: its figures and its progress over time) and the task × unit matrix.
 */
export function cityTaskStatus(
  records: readonly { unitKind: Unit['kind']; annotation: { status: Status; deadline: string | null } | null }[],
  asOf: string,
): { status: Status; source: 'city' | 'derived'; deadline: string | null } {
  const own = records.find((r) => r.unitKind === 'city' && r.annotation);
  if (own?.annotation) return { status: own.annotation.status, source: 'city', deadline: own.annotation.deadline };
  const districts = records.filter((r) => r.unitKind !== 'city');
  if (districts.length === 0) return { status: 'not_started', source: 'derived', deadline: null };
  const applicable = districts.map((r) => r.annotation ?? NOT_REPORTED).filter((a) => a.status !== 'not_applicable');
  // The city's deadline: the earliest of the units that have not yet implemented the task.
  const deadline = applicable.filter((a) => !isImplemented(a.status) && a.deadline !== null).map((a) => a.deadline!).sort()[0] ?? null;
  const status: Status =
    applicable.length === 0
      ? 'not_applicable'
      : applicable.some((a) => a.status === 'delayed' || isOverdue(a, asOf))
        ? 'delayed'
        : applicable.every((a) => a.status === 'done')
          ? 'done'
          : applicable.every((a) => isImplemented(a.status))
            ? 'mostly_done'
            : applicable.every((a) => a.status === 'not_started')
              ? 'not_started'
              : 'on_track';
  return { status, source: 'derived', deadline };
}

/** The city-level rule of `cityTaskStatus`, as a report's 说明 prints it. */
export const CITY_STATUS_RULE =
  '全市层面每项任务的完成状态按以下规则确定：市级部门填报了该任务的，以市级部门填报的状态为准；' +
  '未填报的，按填报该任务且未标注“不涉及”的区（功能区）确定——均为已完成的为已完成，均已实施（已完成或基本完成）的为基本完成，' +
  '任一进度滞后或超过完成时限未完成的为进度滞后，均未启动的为未启动，其余为序时推进；各单位均标注不涉及的为不涉及。';
