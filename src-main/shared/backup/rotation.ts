/**
 * Backups: their file names and the rotation rule. Pure (no I/O, no clock): main names and stores
 * the files, the renderer verifies them and decides with `planRotation` which to keep.
 *
 * File names carry the backup's time in UTC, to the millisecond, so they sort by time and never
 * depend on the machine's time zone:
 *   pilotdesk-YYYYMMDD-HHmmss-SSS.pilotbundle            a backup (automatic or 立即备份)
 *   pilotdesk-YYYYMMDD-HHmmss-SSS-restore.pilotbundle    a restore point: the state saved just before
 *                                                        a restore, so the restore can be undone
 * Nothing else is a backup name: no folders, no other characters, no other extension. The store
 * only ever opens names that `parseBackupName` accepts, which is what rules out path traversal.
 *
 * Rotation (`planRotation`), days being Beijing calendar days by default (`beijingDayNumber` of
 * time.ts: "today" in Nanjing, as everywhere in the app, whatever zone the machine is set to; names
 * stay UTC — only the grouping into days is Beijing's):
 *  - today: the 5 newest valid backups;
 *  - each of the previous 30 days: the newest valid backup of that day;
 *  - everything else is removed: older than 30 days, surplus of a day, and every invalid backup.
 * Invalid backups never count: they are never a day's representative and never take one of
 * today's 5 places, so a corrupted newest backup can never push a good one out.
 * Guard rails beyond the rule: a backup dated in the future (the clock was wrong when it was made,
 * or is wrong now) is kept and counted nowhere; names in `pinned` (the last restore's restore point
 * and source, so 撤销恢复 keeps working) are kept and counted nowhere; and if no valid backup would
 * remain at all (all are older than 30 days), the newest valid one is kept.
 */
import { beijingDayNumber } from '../time';

export type BackupKind = 'auto' | 'restore';

export const BACKUP_PREFIX = 'pilotdesk-';
export const BACKUP_EXTENSION = '.pilotbundle';
/** Today's newest valid backups that are kept. */
export const KEEP_TODAY = 5;
/** Previous days (before today) that keep one backup each. */
export const KEEP_DAYS = 30;

const NAME = /^pilotdesk-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})(-restore)?\.pilotbundle$/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The file name of a backup made at `date` (UTC). Throws for an invalid date or a year outside 1000–9999 (a caller bug). */
export function backupName(date: Date, kind: BackupKind = 'auto'): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError('backupName: invalid date');
  const y = date.getUTCFullYear();
  if (y < 1000 || y > 9999) throw new RangeError(`backupName: year ${y} out of range`);
  const stamp =
    `${y}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}-${pad(date.getUTCMilliseconds(), 3)}`;
  return `${BACKUP_PREFIX}${stamp}${kind === 'restore' ? '-restore' : ''}${BACKUP_EXTENSION}`;
}

/** The time and kind of a backup file name, or null if `name` is not exactly a backup name. */
export function parseBackupName(name: string): { at: Date; kind: BackupKind } | null {
  if (typeof name !== 'string' || name.length > 64) return null;
  const m = NAME.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  const kind: BackupKind = m[8] ? 'restore' : 'auto';
  // Reject impossible dates (20250230, 25:00) instead of letting Date roll them over.
  if (y < 1000 || backupName(at, kind) !== name) return null;
  return { at, kind };
}

export interface RotationItem {
  name: string;
  at: Date;
  /** Verified as a complete, readable bundle. */
  valid: boolean;
}

export interface RotationOptions {
  /** The calendar day of a moment, as a day number (consecutive days differ by 1). Default: Beijing days. */
  day?: (d: Date) => number;
  /** Names kept whatever the rule says, and not counted in it. */
  pinned?: Iterable<string>;
}

export interface RotationPlan {
  keep: string[];
  remove: string[];
}

const MS_PER_DAY = 86_400_000;

/** UTC calendar day number. */
export const utcDay = (d: Date): number => Math.floor(d.getTime() / MS_PER_DAY);

/**
 * Which backups to keep and which to remove, `now` being the time of the newest backup (or the
 * clock). Every given name appears in exactly one of the two lists, newest first. See the module
 * comment for the rule.
 */
export function planRotation(backups: readonly RotationItem[], now: Date, options: RotationOptions = {}): RotationPlan {
  const day = options.day ?? beijingDayNumber;
  const pinned = new Set(options.pinned ?? []);
  const today = day(now);
  const seen = new Set<string>();
  const sorted = [...backups]
    .filter((b) => !seen.has(b.name) && seen.add(b.name))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));

  const keep = new Set<string>();
  const daysTaken = new Set<number>();
  let todayKept = 0;
  for (const b of sorted) {
    const age = today - day(b.at);
    if (pinned.has(b.name) || age < 0) keep.add(b.name);
    else if (!b.valid || age > KEEP_DAYS) continue;
    else if (age === 0) {
      if (todayKept < KEEP_TODAY) {
        keep.add(b.name);
        todayKept++;
      }
    } else if (!daysTaken.has(age)) {
      daysTaken.add(age);
      keep.add(b.name);
    }
  }
  // Never end up with no valid backup at all while one exists.
  if (!sorted.some((b) => b.valid && keep.has(b.name))) {
    const newestValid = sorted.find((b) => b.valid);
    if (newestValid) keep.add(newestValid.name);
  }
  return {
    keep: sorted.filter((b) => keep.has(b.name)).map((b) => b.name),
    remove: sorted.filter((b) => !keep.has(b.name)).map((b) => b.name),
  };
}
