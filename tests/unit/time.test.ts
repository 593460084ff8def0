/**
 * Time is Beijing time (Asia/Shanghai) whatever the machine's zone: today, the date of an instant,
 * the day a backup counts under, and every time shown — in the app (both catalogues) and by the CLI.
 * Each case runs with the process set to zones far from UTC+8 as well; the instants sit on both
 * sides of 16:00 UTC, Beijing's midnight, where the machine's calendar and Nanjing's part.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beijingClock, beijingDayNumber, chinaDate, chinaDateOfMs, chinaToday, cnDate, daysBetween, formatDate, formatTime, onOrBefore } from '../../src-main/shared/time';
import i18n from '../../src-renderer/src/i18n';
import { dateText, when } from '../../src-renderer/src/i18n/time';
import { planSnapshotImport } from '../../src-main/shared/snapshot/importPlan';
import type { Snapshot } from '../../src-main/shared/snapshot/model';

const ZONES = ['America/Los_Angeles', 'Pacific/Honolulu', 'UTC', 'Europe/London', 'Asia/Shanghai', 'Pacific/Kiritimati'];
const savedTz = process.env.TZ;

function inEachZone(check: () => void): void {
  for (const tz of ZONES) {
    process.env.TZ = tz;
    check();
  }
}

afterEach(async () => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
  await i18n.changeLanguage('zh-CN');
});

describe('the Beijing calendar, in any machine zone', () => {
  it('today turns over at 16:00 UTC', () => {
    inEachZone(() => {
      expect(chinaToday(new Date('2026-12-01T15:59:59.999Z'))).toBe('2026-12-01');
      expect(chinaToday(new Date('2026-12-01T16:00:00.000Z'))).toBe('2026-12-02');
      expect(chinaDateOfMs(Date.parse('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
      expect(chinaDate('2026-12-01T17:00:00.000Z')).toBe('2026-12-02');
      expect(chinaDate('2026-12-01')).toBe('2026-12-01');
      expect(chinaDate('not a date')).toBeNull();
      expect(onOrBefore('2026-12-01T17:00:00.000Z', '2026-12-01')).toBe(false);
      expect(onOrBefore('2026-12-01T15:00:00.000Z', '2026-12-01')).toBe(true);
    });
  });

  it('day numbers step by one at Beijing midnight (backup rotation)', () => {
    inEachZone(() => {
      const before = beijingDayNumber(new Date('2026-12-01T15:59:00Z'));
      expect(beijingDayNumber(new Date('2026-12-01T16:01:00Z'))).toBe(before + 1);
      expect(beijingDayNumber(new Date('2026-12-01T00:30:00Z'))).toBe(before);
    });
  });

  it('agrees with the tz database minute for minute, daylight saving of 1986–1991 included', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const mismatches: string[] = [];
    // 1986–1987 (the first summer times) and a stretch of 2026, every 37 minutes.
    for (const [from, days] of [[Date.parse('1986-01-01T00:00:00Z'), 730], [Date.parse('2026-01-01T00:00:00Z'), 60]] as const) {
      for (let ms = from; ms < from + days * 86_400_000; ms += 37 * 60_000) {
        const p = Object.fromEntries(shanghai.formatToParts(ms).map((x) => [x.type, x.value]));
        const expected = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
        if (`${chinaDateOfMs(ms)} ${beijingClock(ms)}` !== expected) mismatches.push(new Date(ms).toISOString());
      }
    }
    expect(mismatches).toEqual([]);
    // 1986-05-04 02:00 CST became 03:00 CDT: an hour later the clock reads 04:30, not 03:30.
    expect(beijingClock(Date.parse('1986-05-03T19:30:00Z'))).toBe('04:30');
  });

  it('counts whole days between dates', () => {
    expect(daysBetween('2025-06-14', '2025-06-15')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });
});

describe('dates and times as shown', () => {
  const AT = '2026-12-02T03:22:00.000Z'; // 11:22 in Nanjing
  const LATE = '2026-12-01T16:30:00.000Z'; // 00:30 on 2 December in Nanjing, still 1 December in UTC and west

  it('dates: 2025年6月30日 in Chinese, 30 June 2025 in English; a timestamp prints its Beijing date', () => {
    inEachZone(() => {
      expect(cnDate('2025-06-30')).toBe('2025年6月30日');
      expect(cnDate('2025-03-05')).toBe('2025年3月5日');
      expect(cnDate(LATE)).toBe('2026年12月2日');
      expect(formatDate('2025-06-30', 'en')).toBe('30 June 2025');
      expect(formatDate(LATE, 'en')).toBe('2 December 2026');
      expect(cnDate(null)).toBe('');
      expect(cnDate('')).toBe('');
    });
  });

  it('the CLI and documents: 2026年12月2日 11:22（北京时间）', () => {
    inEachZone(() => {
      expect(formatTime(AT)).toBe('2026年12月2日 11:22（北京时间）');
      expect(formatTime(LATE)).toBe('2026年12月2日 00:30（北京时间）');
      expect(beijingClock(new Date(LATE))).toBe('00:30');
      expect(formatTime('garbage')).toBe('');
    });
  });

  it('the app says the same in Chinese, and has its own words in English', async () => {
    inEachZone(() => {
      expect(when(AT)).toBe(formatTime(AT));
      expect(when(LATE)).toBe('2026年12月2日 00:30（北京时间）');
      expect(dateText('2025-06-30')).toBe('2025年6月30日');
    });
    await i18n.changeLanguage('en');
    inEachZone(() => {
      expect(when(AT)).toBe('2 December 2026, 11:22 (Beijing time)');
      expect(when(new Date(LATE))).toBe('2 December 2026, 00:30 (Beijing time)');
      expect(dateText('2025-06-30')).toBe('30 June 2025');
    });
  });
});

describe('snapshot dates in messages', () => {
  it('name the Beijing day it was frozen (00:30 on 1 January in Nanjing), not the UTC one', () => {
    const s = { id: 'snap-1', periodId: 'p', frozenAt: '2024-12-31T16:30:00.000Z', author: { name: '王督办', unitCode: 'SJBM' }, hash: 'b' } as unknown as Snapshot;
    const plan = planSnapshotImport({ periods: new Map(), snapshotHashes: new Map([['snap-1', 'a']]) }, { snapshots: [s] });
    expect(plan.conflict?.message).toContain('批注包中的快照（2025年1月1日冻结，王督办）');
  });
});
