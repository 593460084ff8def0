/**
 * Backup names and the rotation rule: the last 5 valid of today, the newest valid of each of the
 * previous 30 days, nothing older — and an invalid backup never counts, so it can never push a good
 * one out. Checked over simulated weeks of backups, both all at once and the way the app runs it
 * (rotation after every new backup).
 */
import { describe, expect, it } from 'vitest';
import {
  KEEP_DAYS,
  KEEP_TODAY,
  backupName,
  parseBackupName,
  planRotation,
  utcDay,
  type RotationItem,
} from '../../src-main/shared/backup/rotation';
import { beijingDayNumber } from '../../src-main/shared/time';

const MIN = 60_000;
const DAY = 86_400_000;

describe('backup names', () => {
  it('are UTC to the millisecond and parse back', () => {
    const d = new Date('2025-06-30T08:05:09.007Z');
    expect(backupName(d)).toBe('pilotdesk-20250630-080509-007.pilotbundle');
    expect(backupName(d, 'restore')).toBe('pilotdesk-20250630-080509-007-restore.pilotbundle');
    expect(parseBackupName('pilotdesk-20250630-080509-007.pilotbundle')).toEqual({ at: d, kind: 'auto' });
    expect(parseBackupName('pilotdesk-20250630-080509-007-restore.pilotbundle')).toEqual({ at: d, kind: 'restore' });
  });

  it('sort by time as strings', () => {
    const names = [3, 1, 2].map((n) => backupName(new Date(Date.UTC(2025, 0, n, 23, 59, 59, 999))));
    expect([...names].sort()).toEqual([names[1], names[2], names[0]]);
  });

  it.each([
    '../pilotdesk-20250630-080509-007.pilotbundle',
    'pilotdesk-20250630-080509-007.pilotbundle/..',
    'sub/pilotdesk-20250630-080509-007.pilotbundle',
    'pilotdesk-20250630-080509-007.pilotbundle\u0000',
    'C:\\pilotdesk-20250630-080509-007.pilotbundle',
    'pilotdesk-20250630-080509-007.pilotbundle.tmp',
    'pilotdesk-20250630-080509-07.pilotbundle',
    'pilotdesk-20250230-080509-007.pilotbundle', // 30 February
    'pilotdesk-20250630-250509-007.pilotbundle', // hour 25
    'pilotdesk-20250630-080509-007-other.pilotbundle',
    'PILOTDESK-20250630-080509-007.pilotbundle',
    '.pilotdesk-backup-1-abc.tmp',
    '',
  ])('refuse %j', (name) => {
    expect(parseBackupName(name)).toBeNull();
  });

  it('refuse invalid dates when naming', () => {
    expect(() => backupName(new Date(NaN))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------

const item = (iso: string, valid = true): RotationItem => ({ name: backupName(new Date(iso)), at: new Date(iso), valid });
const names = (items: RotationItem[]) => items.map((i) => i.name);

/** What the rule promises, stated directly: the 5 newest valid of today, the newest valid of each of the 30 days before. */
function promised(all: readonly RotationItem[], now: Date, day: (d: Date) => number): Set<string> {
  const today = day(now);
  const valid = all.filter((b) => b.valid).sort((a, b) => b.at.getTime() - a.at.getTime());
  const out = new Set<string>();
  const days = new Set<number>();
  for (const b of valid) {
    const age = today - day(b.at);
    if (age === 0 && out.size < KEEP_TODAY) out.add(b.name);
    else if (age >= 1 && age <= KEEP_DAYS && !days.has(age)) {
      days.add(age);
      out.add(b.name);
    }
  }
  return out;
}

describe('planRotation — tables', () => {
  const now = new Date('2025-06-30T12:00:00.000Z');
  const day = utcDay;
  it.each<{ title: string; backups: RotationItem[]; keep: string[] }>([
    { title: 'nothing', backups: [], keep: [] },
    {
      title: 'today: the 5 newest',
      backups: ['01', '02', '03', '04', '05', '06', '07'].map((h) => item(`2025-06-30T${h}:00:00.000Z`)),
      keep: names(['07', '06', '05', '04', '03'].map((h) => item(`2025-06-30T${h}:00:00.000Z`))),
    },
    {
      title: 'today: invalid ones do not take a place, and are removed',
      backups: [
        ...['01', '02', '03', '04', '05', '06'].map((h) => item(`2025-06-30T${h}:00:00.000Z`)),
        item('2025-06-30T07:00:00.000Z', false),
        item('2025-06-30T08:00:00.000Z', false),
      ],
      keep: names(['06', '05', '04', '03', '02'].map((h) => item(`2025-06-30T${h}:00:00.000Z`))),
    },
    {
      title: 'a previous day: its newest valid one',
      backups: [item('2025-06-29T08:00:00.000Z'), item('2025-06-29T09:00:00.000Z'), item('2025-06-29T10:00:00.000Z', false)],
      keep: [item('2025-06-29T09:00:00.000Z').name],
    },
    {
      title: 'a corrupted newest backup of a day does not replace its good one',
      backups: [item('2025-06-28T23:30:00.000Z'), item('2025-06-28T23:59:00.000Z', false)],
      keep: [item('2025-06-28T23:30:00.000Z').name],
    },
    {
      title: 'day 30 is kept, day 31 is not',
      backups: [item('2025-05-31T10:00:00.000Z'), item('2025-05-30T23:00:00.000Z'), item('2025-06-30T01:00:00.000Z')],
      keep: [item('2025-06-30T01:00:00.000Z').name, item('2025-05-31T10:00:00.000Z').name],
    },
    {
      title: 'only old ones: the newest valid survives (never zero good backups)',
      backups: [item('2025-04-01T10:00:00.000Z'), item('2025-04-02T10:00:00.000Z'), item('2025-04-03T10:00:00.000Z', false)],
      keep: [item('2025-04-02T10:00:00.000Z').name],
    },
    {
      title: 'only invalid ones: all removed',
      backups: [item('2025-06-30T10:00:00.000Z', false), item('2025-06-29T10:00:00.000Z', false)],
      keep: [],
    },
    {
      title: 'a backup dated in the future is kept and counted nowhere',
      backups: [item('2025-07-02T10:00:00.000Z'), ...['01', '02', '03', '04', '05', '06'].map((h) => item(`2025-06-30T${h}:00:00.000Z`))],
      keep: [item('2025-07-02T10:00:00.000Z').name, ...names(['06', '05', '04', '03', '02'].map((h) => item(`2025-06-30T${h}:00:00.000Z`)))],
    },
  ])('$title', ({ backups, keep }) => {
    const plan = planRotation(backups, now, { day });
    expect(plan.keep).toEqual(keep);
    expect([...plan.keep, ...plan.remove].sort()).toEqual(names(backups).sort());
  });

  it('keeps pinned backups (the last restore point) beyond the rule, without counting them', () => {
    const today = ['01', '02', '03', '04', '05', '06'].map((h) => item(`2025-06-30T${h}:00:00.000Z`));
    const old = item('2025-05-01T10:00:00.000Z');
    const plan = planRotation([...today, old], now, { day, pinned: [today[0]!.name, old.name] });
    expect(plan.keep).toEqual([...names(today.slice(1).reverse()), today[0]!.name, old.name]);
    expect(plan.remove).toEqual([]);
  });

  it('groups days in the given calendar: 16:30 UTC is the next day in China', () => {
    const b = [item('2025-06-29T15:30:00.000Z'), item('2025-06-29T16:30:00.000Z')];
    // UTC: both on the 29th (yesterday) → one kept. Beijing: 23:30 on the 29th and 00:30 on the 30th → both kept.
    expect(planRotation(b, now, { day: utcDay }).keep).toHaveLength(1);
    expect(planRotation(b, now, { day: beijingDayNumber }).keep).toHaveLength(2);
  });

  it('by default groups by Beijing days, whatever time zone the machine is set to', () => {
    const b = [item('2025-06-29T15:30:00.000Z'), item('2025-06-29T16:30:00.000Z')];
    const saved = process.env.TZ;
    try {
      // Los Angeles (UTC−7 in June) puts both on the 29th, a day that in Nanjing they straddle.
      for (const tz of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai']) {
        process.env.TZ = tz;
        expect(planRotation(b, now).keep).toEqual(names([...b].reverse()));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('planRotation — simulated weeks', () => {
  // Every 30 minutes for 40 days, starting at a local midnight-ish so days fill up unevenly.
  const start = Date.UTC(2025, 3, 1, 0, 10);
  const every = 30 * MIN;
  const count = (40 * DAY) / every;
  const seq = Array.from({ length: count }, (_, i) => new Date(start + i * every));
  /** Deterministic corruption: some isolated ones, whole corrupted runs, and corrupted newest ones of a day. */
  const corrupt = (i: number, at: Date) => i % 7 === 3 || (i >= 500 && i < 540) || (at.getUTCHours() === 23 && at.getUTCMinutes() === 40 && i % 3 === 0);

  for (const [label, day] of [
    ['UTC days', utcDay],
    ['Beijing days', beijingDayNumber],
  ] as const) {
    it(`all at once (${label}): exactly the promised set`, () => {
      const all = seq.map((at, i) => ({ name: backupName(at), at, valid: !corrupt(i, at) }));
      const now = seq.at(-1)!;
      const plan = planRotation(all, now, { day });
      expect(new Set(plan.keep)).toEqual(promised(all, now, day));
      // 5 of today + one for each of 30 days (every day had good backups); every kept one is valid.
      expect(plan.keep).toHaveLength(KEEP_TODAY + KEEP_DAYS);
      const validNames = new Set(all.filter((b) => b.valid).map((b) => b.name));
      for (const n of plan.keep) expect(validNames.has(n)).toBe(true);
      expect(plan.keep.length + plan.remove.length).toBe(all.length);
    });

    it(`as the app runs it (${label}): rotation after each good backup; a corrupted new one is removed at once`, () => {
      let kept: RotationItem[] = [];
      const everGood: RotationItem[] = [];
      seq.forEach((at, i) => {
        const b = { name: backupName(at), at, valid: !corrupt(i, at) };
        if (!b.valid) return; // the service verifies after writing and removes it; nothing else is touched
        everGood.push(b);
        const plan = planRotation([...kept, b], at, { day });
        const keep = new Set(plan.keep);
        kept = [...kept, b].filter((x) => keep.has(x.name));
        // At every step: exactly what the rule promises over every good backup ever made.
        expect(keep).toEqual(promised(everGood, at, day));
      });
      expect(kept).toHaveLength(KEEP_TODAY + KEEP_DAYS);
    });
  }

  it('a backup that goes bad later is dropped, and the day keeps nothing worse', () => {
    const now = new Date('2025-06-30T12:00:00.000Z');
    const yesterday = [item('2025-06-29T08:00:00.000Z'), item('2025-06-29T20:00:00.000Z')];
    // The representative rots: the older good one of that day takes its place.
    const plan = planRotation([{ ...yesterday[1]!, valid: false }, yesterday[0]!], now, { day: utcDay });
    expect(plan.keep).toEqual([yesterday[0]!.name]);
    expect(plan.remove).toEqual([yesterday[1]!.name]);
  });
});
