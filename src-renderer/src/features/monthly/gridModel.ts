/**
 * The 本月更新 grid without React: its columns, what typing in a status cell offers, how a typed
 * progress or deadline becomes a field value, and the one save of a cell — through the app's write
 * path (db/writes.ts), so every cell is one mutation with its revision, its event and its search
 * index update, and a bad value is refused by the same rules as in the annotation form.
 */
import { STATUSES, STATUS_LABELS, type AnnotationFields, type Author, type Status } from '../../../../src-main/shared/domain';
import type { PilotDb } from '../../db/db';
import { dateFieldValue } from '../../../../src-main/shared/time';
import { firstClause } from '../../../../src-main/shared/report/format';
import * as writes from '../../db/writes';

/** The grid's columns, left to right. `edit`: how the cell is changed (none: read-only). */
export const COLUMNS = [
  { id: 'task', edit: 'none' },
  { id: 'title', edit: 'none' },
  { id: 'status', edit: 'choice' },
  { id: 'progress', edit: 'text' },
  { id: 'deadline', edit: 'text' },
  { id: 'light', edit: 'none' },
  { id: 'updated', edit: 'none' },
  { id: 'checked', edit: 'toggle' },
] as const;
export type ColumnId = (typeof COLUMNS)[number]['id'];
export const STATUS_COLUMN = COLUMNS.findIndex((c) => c.id === 'status');

/** Pinyin initials of the status labels, so a status can be typed without an IME (wqd = 未启动). */
const INITIALS: Record<Status, string> = {
  not_started: 'wqd',
  on_track: 'xstj',
  delayed: 'jdzh',
  mostly_done: 'jbwc',
  done: 'ywc',
  not_applicable: 'bsj',
};

/**
 * The statuses a status cell offers for what was typed, best first: its number (1–6, in the
 * order of the list), the Chinese label or a part of it, the pinyin initials, or the label in the
 * current language (`label`). Nothing typed: all six.
 */
export function statusChoices(typed: string, label: (s: Status) => string = (s) => STATUS_LABELS[s]): Status[] {
  const q = typed.trim().toLowerCase();
  if (!q) return [...STATUSES];
  if (/^[1-6]$/.test(q)) return [STATUSES[Number(q) - 1]!];
  return STATUSES.filter((s) => STATUS_LABELS[s].includes(q) || INITIALS[s].startsWith(q) || label(s).toLowerCase().includes(q) || s.startsWith(q));
}

/**
 * A typed progress as the field's value: a whole number (a trailing % is allowed). Anything else
 * stays as typed so that the annotation rules word the refusal (进度须为 0 到 100 之间的整数).
 */
export function parseProgress(text: string): number {
  const t = text.trim().replace(/[%％]$/, '').trim();
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** One edit of a cell, as the grid commits it. */
export type CellEdit =
  | { column: 'status'; value: Status }
  | { column: 'progress'; text: string }
  | { column: 'deadline'; text: string }
  | { column: 'checked' };

/** The fields a cell edit sets. */
export function patchOf(edit: Exclude<CellEdit, { column: 'checked' }>): Partial<AnnotationFields> {
  if (edit.column === 'status') return { status: edit.value };
  if (edit.column === 'progress') return { progress: parseProgress(edit.text) };
  return { deadline: dateFieldValue(edit.text) };
}

export type CellResult = Awaited<ReturnType<typeof writes.saveAnnotationPatch>>;

/** Saves one cell: one write through the app's write path (a tick records 本月已核实). */
export function saveCell(db: PilotDb, taskId: string, unitCode: string, edit: CellEdit, author: Author): Promise<CellResult> {
  if (edit.column === 'checked') return writes.recordCheck(db, taskId, unitCode, author);
  return writes.saveAnnotationPatch(db, taskId, unitCode, patchOf(edit), author);
}

/** A short title for a row: the task's first clause, at most `max` characters, cut after a whole word. */
export function shortTitle(text: string, max = 36): string {
  return firstClause(text, max);
}
