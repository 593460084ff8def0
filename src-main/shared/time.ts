/**
 * Time, the one place for it. The pilot runs in Nanjing, so every calendar date the app compares,
 * defaults to, files a change under or prints, and every time of day it shows, is Beijing time
 * (Asia/Shanghai), whatever time zone the machine is set to. A laptop or CI machine on UTC would
 * otherwise, for eight hours a day, call today's edits "after today" (reports, case collection), a
 * deadline that passed in Nanjing "due today", refuse a log entry dated today as "in the future",
 * group a night's backups under the wrong day, and show an export made at 09:00 in Nanjing as 01:00.
 *
 * Dates are ISO calendar dates (yyyy-mm-dd) as strings; instants are ISO timestamps, `Date`s or
 * milliseconds since the epoch. The calendar comes from `Intl.DateTimeFormat` in Asia/Shanghai (the
 * tz database's offsets, daylight saving of 1986–1991 included), not from a hand-written +8 h.
 *
 * Pure: no node, electron or DOM imports.
 */
import { isIsoDate } from './domain';

export const BEIJING_TIME_ZONE = 'Asia/Shanghai';

/** Languages the display formatters speak (the app's catalogues). */
export type TimeLanguage = 'zh-CN' | 'en';

const WALL_CLOCK = new Intl.DateTimeFormat('en-US', {
  timeZone: BEIJING_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** Beijing's offset from UTC at an instant, in ms, as the tz database has it (exact, slow: ~25 µs). */
function offsetAt(ms: number): number {
  const p: Record<string, number> = {};
  for (const part of WALL_CLOCK.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour === 24 ? 0 : p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

// Reports and the monthly replay ask for the dates of tens of thousands of instants, so the offset
// is looked up once per UTC day (at its first and last millisecond) and the date computed from it;
// only on a day when the offset changes (daylight saving, 1986–1991) is each instant asked exactly.
const offsetByUtcDay = new Map<number, number | null>();

function offsetMs(ms: number): number {
  const day = Math.floor(ms / 86_400_000);
  let o = offsetByUtcDay.get(day);
  if (o === undefined) {
    const first = offsetAt(day * 86_400_000);
    o = first === offsetAt(day * 86_400_000 + 86_399_999) ? first : null;
    if (offsetByUtcDay.size > 100_000) offsetByUtcDay.clear();
    offsetByUtcDay.set(day, o);
  }
  return o ?? offsetAt(ms);
}

interface BeijingParts {
  /** yyyy-mm-dd */
  date: string;
  /** HH:mm */
  clock: string;
}

function partsOfMs(ms: number): BeijingParts {
  const wall = new Date(ms + offsetMs(ms)).toISOString();
  return { date: wall.slice(0, 10), clock: wall.slice(11, 16) };
}

function msOf(instant: string | number | Date): number {
  if (typeof instant === 'number') return instant;
  if (instant instanceof Date) return instant.getTime();
  return Date.parse(instant);
}

/** The Beijing calendar date of an instant (milliseconds since the epoch). */
export function chinaDateOfMs(ms: number): string {
  return partsOfMs(ms).date;
}

/** Today's date in Beijing, as an ISO date. */
export function chinaToday(now: Date = new Date()): string {
  return chinaDateOfMs(now.getTime());
}

/**
 * The Beijing month of an instant (`2026-12`) and the UTC timestamp at which it began (00:00 China
 * time on the 1st; China keeps +08:00 all year): what "this month" means for 本月已核实.
 */
export function chinaMonth(now: Date = new Date()): { month: string; start: string } {
  const month = chinaToday(now).slice(0, 7);
  return { month, start: new Date(`${month}-01T00:00:00+08:00`).toISOString() };
}

/** The Beijing date of a timestamp (an ISO date is itself), or null if it is neither. */
export function chinaDate(timestamp: string): string | null {
  if (isIsoDate(timestamp)) return timestamp;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? null : chinaDateOfMs(ms);
}

/** Was `timestamp` on or before the end of `asOf`, Beijing time? */
export function onOrBefore(timestamp: string, asOf: string): boolean {
  const d = chinaDate(timestamp);
  return d !== null && d <= asOf;
}

/** Whole days from `a` to `b` (ISO dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * A Beijing calendar day as a day number (consecutive days differ by 1), for grouping instants by
 * the day they fall on in Nanjing (backup rotation).
 */
export function beijingDayNumber(instant: Date | number): number {
  return Date.parse(`${chinaDateOfMs(typeof instant === 'number' ? instant : instant.getTime())}T00:00:00Z`) / 86_400_000;
}

const EN_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/**
 * A date as printed: 2025-03-05 → 2025年3月5日 (GB/T 9704: full year, no leading zeros), or in
 * English 5 March 2025. A timestamp prints as its Beijing date; anything else (null, '', not a date)
 * as ''.
 */
export function formatDate(value: string | null | undefined, lang: TimeLanguage = 'zh-CN'): string {
  if (!value) return '';
  const date = chinaDate(value);
  if (date === null) return '';
  const [y, m, d] = date.split('-');
  if (lang === 'en') return EN_DATE.format(new Date(`${date}T00:00:00Z`));
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** 2025-03-05 → 2025年3月5日: the Chinese date of documents and reports ('' for no date). */
export function cnDate(value: string | null | undefined): string {
  return formatDate(value, 'zh-CN');
}

/** The Beijing time of day of an instant, HH:mm (24 h); '' for an invalid instant. */
export function beijingClock(instant: string | number | Date): string {
  const ms = msOf(instant);
  return Number.isNaN(ms) ? '' : partsOfMs(ms).clock;
}

/**
 * An instant as shown to a person, in Chinese, with the zone named: 2026年12月2日 11:22（北京时间）.
 * The app's screens say the same through their catalogue (`time.at`), so the English one has its own
 * words; the CLI and documents use this. '' for an invalid instant.
 */
export function formatTime(instant: string | number | Date): string {
  const ms = msOf(instant);
  if (Number.isNaN(ms)) return '';
  const { date, clock } = partsOfMs(ms);
  return `${cnDate(date)} ${clock}（北京时间）`;
}

// 2025-06-30, 2025-6-30, 2025/6/30, 2025.6.30 and 2025年6月30日 (日 may be left off), after NFKC, so
// full-width digits and separators typed with a Chinese input method count as the ASCII ones.
const DATE_INPUT = /^(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)$/;

/**
 * A calendar date as a person types it — 2025-06-30, 2025/6/30 or 2025年6月30日 (also with full-width
 * digits, 2025.6.30, or without the 日) — as an ISO date, or null when it is not one of these or not a
 * day of the calendar (2025/2/30). The one parser behind every date field the app has.
 */
export function parseDateInput(text: string): string | null {
  const m = DATE_INPUT.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  const month = m[3] ?? m[5]!;
  const day = m[4] ?? m[6]!;
  const iso = `${m[1]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * The value of a date field from what is typed in it: blank → null (no date), a date in any form
 * `parseDateInput` reads → its ISO date, anything else the text as typed (trimmed), for the rules to
 * refuse with their message while the field keeps what the person typed.
 */
export function dateFieldValue(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return parseDateInput(trimmed) ?? trimmed;
}
