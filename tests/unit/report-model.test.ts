/** The report model: every figure recomputed here from the fixture, independently of model.ts. */
import { describe, expect, it } from 'vitest';
import { STATUSES, STATUS_LABELS, type Annotation, type Status } from '../../src-main/shared/domain';
import { CITY_STATUS_RULE, cityTaskStatus } from '../../src-main/shared/rules';
import { EMPTY_SCOPE_MESSAGE, LEDGER_COLUMNS, buildReportModel, pct, shortTitle, type ReportInput } from '../../src-main/shared/report/model';
import { cnDate, onOrBefore } from '../../src-main/shared/time';
import { reportCharts } from '../../src-main/shared/report/charts';
import { deepXmlSafe, xmlSafe } from '../../src-main/shared/report/sanitize';
import { AS_OF, NOTE_MARK, SIGN_DATE, UNITS, ann, corpus, doc, p, smallAnnotations, smallEvidence, smallLogs } from './report-fixtures';

const c = corpus();
const taskIds = new Set(c.tasks.map((t) => t.id));
const tableOf = new Map(c.tasks.map((t) => [t.id, t.table]));
/** End of the as-of day in Nanjing (UTC+8), as an instant. */
const AS_OF_END = Date.parse(`${AS_OF}T16:00:00.000Z`);

function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    kind: 'district',
    corpus: c,
    units: UNITS,
    annotations: smallAnnotations(),
    logEntries: smallLogs(),
    evidence: smallEvidence(),
    scope: { unitCodes: ['320102'], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '玄武区服务业扩大开放综合试点推进情况报告',
    issuer: '玄武区人民政府',
    signDate: SIGN_DATE,
    appVersion: '0.1.0',
    ...over,
  };
}

/** The annotations a report of these units should count, by hand. */
function expected(units: string[] | null): Annotation[] {
  return smallAnnotations().filter(
    (a) => (units === null || units.includes(a.unitCode)) && taskIds.has(a.taskId) && Date.parse(a.updatedAt) < AS_OF_END,
  );
}

function tally(list: Annotation[], tasks = 0): Record<Status, number> {
  const t = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const a of list) t[a.status] += 1;
  // A unit's report counts all its tasks: those without an annotation (by the as-of date) as 未启动.
  if (tasks) t.not_started += tasks - list.length;
  return t;
}

const tasksOfTable = (n: number) => c.tasks.filter((t) => t.table === n).length;

describe('buildReportModel', () => {
  it('counts a district exactly as the data says', () => {
    const r = buildReportModel(input());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value;
    const exp = expected(['320102']);
    // The district's 104 tasks, each once; a task it has not annotated is 未启动.
    const t = tally(exp, 104);
    expect(m.basis).toMatchObject({ tasks: 104, units: 1, unit: 'tasks' });
    expect(m.overall.total).toBe(104);
    expect(m.overall.byStatus).toEqual(t);
    expect(m.overall.implemented).toBe(t.done + t.mostly_done);
    expect(m.overall.applicable).toBe(104 - t.not_applicable);
    expect(m.overall.implementedShare).toBeCloseTo((t.done + t.mostly_done) / (104 - t.not_applicable));
    // Traffic lights worked out by hand for 2025-03-05: T1-04 delayed and T5-02 past its deadline
    // are red, T1-03 (due 2025-03-20) is yellow, the annotated rest green; unannotated: no light.
    expect(m.overall.lights).toEqual({ red: 2, yellow: 1, green: exp.length - 3, none: 104 - exp.length });
    expect(m.meta.provenance).toContain('任务数按方案104项试点任务计，未填报的任务按未启动计');
    expect(m.delayedCount).toBe(exp.filter((a) => a.status === 'delayed').length);
    expect(m.overdueCount).toBe(2);
    for (const row of m.byTable) {
      const n = Number(row.key.slice(1));
      expect(row.byStatus).toEqual(tally(exp.filter((a) => tableOf.get(a.taskId) === n), tasksOfTable(n)));
    }
    // As-of and unknown tasks are left out, and said so.
    expect(m.meta.excludedAfterAsOf).toBe(1);
    expect(m.meta.unknownTasks).toBe(1);
    // The task updated after the as-of date had no annotation by then: unreported (未启动) too.
    expect(m.meta.unreported).toBe(104 - exp.length);
    expect(m.meta.provenance).toContain(c.hash);
    expect(m.meta.provenance).toContain('2025年3月5日');
    expect(m.meta.provenance).toContain('玄武区');
    expect(m.meta.signDateText).toBe('2025年3月5日');
    expect(m.summary[0]).toContain('方案104项试点任务中纳入统计的104项');
    expect(m.summary[0]).toContain(`已完成${t.done}项（占${pct(t.done / 104)}）`);
  });

  it('builds the sections: practices by table and group, cases, problems, next steps, ledger', () => {
    const r = buildReportModel(input());
    if (!r.ok) throw new Error(r.error.message);
    const m = r.value;
    const t1 = m.practices.find((s) => s.number === 1)!;
    const item = t1.groups.flatMap((g) => g.items).find((i) => i.taskId === 'T1-01')!;
    expect(item.shortTitle.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(item.entries[0]!.notes)).toContain(NOTE_MARK);
    expect(m.cases.map((x) => x.taskId)).toEqual(['T1-01', 'T4-01']);
    expect(m.innovationCount).toBe(1);
    expect(m.bestPracticeCount).toBe(2);
    expect(m.cases[0]!.evidence[0]!.docNumber).toBe('玄政发〔2024〕12号');
    expect(m.cases[0]!.logs).toHaveLength(1);
    expect(m.lagging.map((l) => l.taskId)).toEqual(['T1-04', 'T5-02']);
    expect(m.problems.map((x) => x.taskId)).toEqual(['T1-04']);
    expect(m.nextSteps.map((x) => x.taskId)).toEqual(['T1-01', 'T1-04']);
    expect(LEDGER_COLUMNS.map((x) => x.label)).toEqual(['序号', '任务编号', '类别/领域', '试点任务', '牵头单位', '配合单位', '责任区/功能区', '完成时限', '推进情况', '量化成效', '存在问题', '下步计划', '完成状态', '备注']);
    expect(m.ledger).toHaveLength(8);
    const first = m.ledger[0]!;
    expect(first).toMatchObject({ index: '1', taskId: 'T1-01', unitName: '玄武区', leadUnits: '区科技局', partnerUnits: '区财政局、区市场监管局', deadline: '2024年12月31日', status: '已完成' });
    expect(first.category).toBe('充分竞争性服务业/科技服务领域');
    expect(first.progress).toContain(NOTE_MARK);
    expect(first.remarks).toContain('制度创新成果');
    expect(m.matrix).toBeNull();
  });

  it('aggregates a city report across units, with a task × unit matrix', () => {
    const r = buildReportModel(input({ kind: 'city', scope: { unitCodes: [], tables: [], statuses: [] }, issuer: '南京市商务局' }));
    if (!r.ok) throw new Error(r.error.message);
    const m = r.value;
    const exp = expected(null);
    // The city counts the plan's 104 tasks, each by its city-level status (cityTaskStatus over the
    // units' records), never the task × unit pairs.
    const cityStatus = new Map(
      c.tasks.map((t) => [
        t.id,
        cityTaskStatus(
          UNITS.map((u) => ({ unitKind: u.kind, annotation: exp.find((a) => a.taskId === t.id && a.unitCode === u.code) ?? null })),
          AS_OF,
        ).status,
      ]),
    );
    const cityTally = Object.fromEntries(STATUSES.map((s) => [s, [...cityStatus.values()].filter((x) => x === s).length]));
    expect(exp.length).not.toBe(104);
    expect(m.overall.total).toBe(104);
    expect(m.overall.byStatus).toEqual(cityTally);
    for (const row of m.byTable) {
      const n = Number(row.key.slice(1));
      expect(row.total).toBe(tasksOfTable(n));
      expect(row.byStatus.delayed).toBe(c.tasks.filter((t) => t.table === n && cityStatus.get(t.id) === 'delayed').length);
    }
    expect(m.meta.provenance).toContain(CITY_STATUS_RULE);
    expect(m.meta.provenance).toContain('全市任务数按方案104项试点任务计');
    // Per unit: each unit's 104 tasks.
    expect(m.byUnit).toHaveLength(13);
    for (const u of m.byUnit) expect(u.byStatus).toEqual(tally(exp.filter((a) => a.unitCode === u.key), 104));
    expect(m.matrix!.rows.map((r) => r.city)).toEqual(c.tasks.map((t) => cityStatus.get(t.id)));
    expect(m.matrix!.units).toHaveLength(13);
    expect(m.matrix!.rows).toHaveLength(104);
    const row = m.matrix!.rows.find((x) => x.task.taskId === 'T1-01')!;
    expect(row.cells.slice(0, 2)).toEqual(['done', 'on_track']);
    expect(row.cells[11]).toBe('done'); // 江北新区
    expect(m.meta.scopeName).toBe('全市');
    expect(m.summary.some((s) => s.startsWith('分单位看'))).toBe(true);
  });

  it('applies table and status filters', () => {
    const r = buildReportModel(input({ scope: { unitCodes: ['320102', '320104'], tables: [1], statuses: ['done', 'mostly_done'] } }));
    if (!r.ok) throw new Error(r.error.message);
    const exp = expected(['320102', '320104']).filter((a) => tableOf.get(a.taskId) === 1 && (a.status === 'done' || a.status === 'mostly_done'));
    expect(r.value.overall.total).toBe(exp.length);
    expect(r.value.byTable).toHaveLength(1);
    expect(r.value.meta.unreported).toBeNull();
    expect(r.value.meta.scopeText).toContain('表1');
  });

  it('refuses an empty scope with a clear Chinese message', () => {
    const none = buildReportModel(input({ annotations: [] }));
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.error.code).toBe('report.empty_scope');
      expect(none.error.message).toBe(EMPTY_SCOPE_MESSAGE);
    }
    const filtered = buildReportModel(input({ scope: { unitCodes: ['320102'], tables: [3], statuses: ['done'] } }));
    expect(filtered.ok).toBe(false);
    const early = buildReportModel(input({ asOf: '2020-01-01' }));
    expect(early.ok).toBe(false);
  });

  it('refuses bad dates, unknown units and tables with messages a person can act on', () => {
    const bad = buildReportModel(input({ asOf: '2025-02-30' }));
    expect(!bad.ok && bad.error.message).toMatch(/截至日期.*无效/);
    const unit = buildReportModel(input({ scope: { unitCodes: ['999999'], tables: [], statuses: [] } }));
    expect(!unit.ok && unit.error.message).toMatch(/999999/);
    const table = buildReportModel(input({ scope: { unitCodes: [], tables: [9], statuses: [] } }));
    expect(!table.ok && table.error.message).toMatch(/表9/);
  });

  it('keeps the newest of duplicate keys and defaults the title', () => {
    const a = ann('T1-01', '320102', { status: 'on_track' }, '2025-01-01T00:00:00Z');
    const b = ann('T1-01', '320102', { status: 'done' }, '2025-02-01T00:00:00Z');
    const r = buildReportModel(input({ annotations: [b, a], title: '  ' }));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.ledger).toHaveLength(1);
    expect(r.value.overall.total).toBe(104);
    expect(r.value.overall.byStatus.done).toBe(1);
    expect(r.value.meta.title).toBe('玄武区服务业扩大开放综合试点推进情况报告');
  });

  it('makes every string of the model XML-safe', () => {
    const evil = ann('T1-01', '320102', {
      status: 'done',
      progressNotes: doc(p('坏\u0001字\u000b符\uFFFE与\ud800孤立代理')),
      results: '结果\uFFFF',
      problems: 'a\r\nb',
    });
    const r = buildReportModel(input({ annotations: [evil], title: '标题\u0007' }));
    if (!r.ok) throw new Error(r.error.message);
    const json = JSON.stringify(r.value);
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(JSON.parse(json).meta.title + r.value.ledger[0]!.progress + r.value.ledger[0]!.results)).toBe(false);
    expect(r.value.ledger[0]!.progress).toBe('坏字符与孤立代理');
    expect(r.value.ledger[0]!.problems).toBe('a\nb');
    expect(r.value.meta.title).toBe('标题');
  });
});

describe('helpers', () => {
  it('formats dates and shares as official documents print them', () => {
    expect(cnDate('2025-03-05')).toBe('2025年3月5日');
    expect(cnDate('2024-12-31')).toBe('2024年12月31日');
    expect(pct(3 / 7)).toBe('42.9%');
    expect(pct(null)).toBe('—');
  });

  it('cuts task titles at the first clause', () => {
    expect(shortTitle('促进科技保险及相关再保险业务发展，开展科创企业专利保险试点。')).toBe('促进科技保险及相关再保险业务发展');
    expect(Array.from(shortTitle('一'.repeat(40))).length).toBeLessThanOrEqual(20);
    // A long clause is cut after a whole word, with an ellipsis: never 风险共担模….
    const cut = shortTitle('鼓励地方采取灵活方式探索建立多方参与的风险共担模式，更好支持保险公司');
    expect(cut).toMatch(/…$/u);
    expect(Array.from(cut).length).toBeLessThanOrEqual(20);
    expect('鼓励地方采取灵活方式探索建立多方参与的风险共担模式'.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cut).not.toMatch(/共担模…|风险共…|多方参…/u);
  });

  it('compares update times with the end of the as-of day in Nanjing', () => {
    expect(onOrBefore('2025-03-05T15:59:59.000Z', '2025-03-05')).toBe(true);
    expect(onOrBefore('2025-03-05T16:00:00.000Z', '2025-03-05')).toBe(false);
    expect(onOrBefore('not a date', '2025-03-05')).toBe(false);
  });

  it('sanitises: C0 controls (not tab/newline), U+FFFE/U+FFFF and lone surrogates go; pairs stay', () => {
    expect(xmlSafe('a\u0000b\u0001c\u000bd\u000ce\u001ff\tg\nh')).toBe('abcdef\tg\nh');
    expect(xmlSafe('x\uFFFEy\uFFFFz')).toBe('xyz');
    expect(xmlSafe('\ud800a\udc00b')).toBe('ab');
    expect(xmlSafe('😀𠀀')).toBe('😀𠀀');
    expect(deepXmlSafe({ a: ['\u0001x'], b: 1 })).toEqual({ a: ['x'], b: 1 });
  });

  it('builds chart specs from the model alone (pure ECharts options)', () => {
    const r = buildReportModel(input({ kind: 'city', scope: { unitCodes: [], tables: [], statuses: [] } }));
    if (!r.ok) throw new Error(r.error.message);
    const charts = reportCharts(r.value);
    expect(charts.map((x) => x.id)).toEqual(['status-by-table', 'status-by-unit']);
    const series = charts[0]!.option.series as { name: string; data: number[] }[];
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) {
      const status = STATUSES.find((k) => STATUS_LABELS[k] === s.name)!;
      expect(s.data).toEqual(r.value.byTable.map((t) => t.byStatus[status]));
    }
    // 图2's axis ends at the longest bar (each unit's 104 tasks), not at a round 120.
    expect((charts[1]!.option.xAxis as { max: number }).max).toBe(104);
  });
});
