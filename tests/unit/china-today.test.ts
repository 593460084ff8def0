/**
 * "Today" is a date in Nanjing (UTC+8), whatever time zone the machine is set to. CI runs on UTC, where
 * the machine's date lags Nanjing's from 16:00 to 24:00 UTC; with the machine's date, an edit made
 * just after midnight in Nanjing fell "after" the default 数据截至 and was left out of the case
 * collection and the report, and a deadline that had passed in Nanjing still showed as due today.
 * These instants are fixed, so the tests do not depend on when they run; on a UTC or any western
 * machine the old local-date rule fails them.
 */
import { describe, expect, it } from 'vitest';
import { trafficLight } from '../../src-main/shared/rules';
import { chinaDate, chinaToday } from '../../src-main/shared/time';
import { buildReportModel } from '../../src-main/shared/report/model';
import { UNITS, ann, corpus } from './report-fixtures';

/** 2026-11-26 16:30 UTC = 2026-11-27 00:30 in Nanjing. */
const JUST_AFTER_MIDNIGHT_IN_NANJING = new Date('2026-11-26T16:30:00.000Z');

describe('today in China time', () => {
  it('turns over at 16:00 UTC, not at the machine’s midnight', () => {
    expect(chinaToday(new Date('2026-11-26T15:59:59.999Z'))).toBe('2026-11-26');
    expect(chinaToday(new Date('2026-11-26T16:00:00.000Z'))).toBe('2026-11-27');
    expect(chinaToday(JUST_AFTER_MIDNIGHT_IN_NANJING)).toBe('2026-11-27');
    // Year end and a leap day.
    expect(chinaToday(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(chinaToday(new Date('2028-02-28T16:00:00.000Z'))).toBe('2028-02-29');
  });

  it('agrees with the Asia/Shanghai calendar every 37 minutes over a year', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    const start = Date.parse('2026-01-01T00:00:00Z');
    const mismatches: string[] = [];
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 37 * 60_000) {
      const d = new Date(ms);
      if (chinaToday(d) !== shanghai.format(d)) mismatches.push(d.toISOString());
    }
    expect(mismatches).toEqual([]);
  });

  it('is the date the report model files an edit under', () => {
    const at = JUST_AFTER_MIDNIGHT_IN_NANJING.toISOString();
    expect(chinaDate(at)).toBe(chinaToday(JUST_AFTER_MIDNIGHT_IN_NANJING));
  });
});

describe('what depends on today', () => {
  const now = JUST_AFTER_MIDNIGHT_IN_NANJING;
  const today = chinaToday(now);

  it('a case written just after midnight in Nanjing is in that day’s case collection', () => {
    const written = ann('T1-01', '320102', {
      status: 'done',
      isBestPractice: true,
      caseStudy: { name: '企业服务专员制度', field: '营商环境', approach: '一是建立专员制度。', results: '服务企业1200家。', replicability: '可在全市推广。' },
    }, now.toISOString());
    const m = buildReportModel({
      kind: 'district', corpus: corpus(), units: UNITS, annotations: [written], logEntries: [], evidence: [],
      scope: { unitCodes: ['320102'], tables: [], statuses: [] }, asOf: today, title: '', issuer: '玄武区人民政府', signDate: today,
    });
    if (!m.ok) throw new Error(m.error.message);
    expect(m.value.meta.excludedAfterAsOf).toBe(0);
    expect(m.value.cases.map((c) => c.caseStudy?.name)).toEqual(['企业服务专员制度']);
  });

  it('a deadline that passed at midnight in Nanjing is overdue (red), not due today', () => {
    expect(trafficLight({ status: 'on_track', deadline: '2026-11-26' }, today)).toBe('red');
    expect(trafficLight({ status: 'on_track', deadline: '2026-11-27' }, today)).toBe('yellow');
  });
});
