/**
 * The synthesised draft of a progress report's body, from a report model: one rich-text document
 * per section of `DRAFT_SECTION_KEYS`, with live figures (`figure` nodes) and computed tables and
 * charts (`reportBlock` nodes). The CLI prints it as it is; the app pre-fills the drafting screen
 * with it and the author rewrites it.
 *
 * What it writes, as an office would: counts per table and 类别 (the city's over the plan's tasks),
 * the plan's 发展目标 set against what was reached, an overall assessment, the main measures and the
 * strongest 量化成效 figures (with unit and task), the experience, problems grouped into themes with
 * the tasks they concern, next steps that are not already past, and for a city report the requests to
 * the Ministry (商务部). Nothing is said once per task: a stock sentence of the data is printed once,
 * with the tasks it concerns. 未启动 and 不涉及 tasks never give 主要举措 or 工作成效. Headings carry
 * no numbers (the renderer numbers them: level 2 →（一）, level 3 → 1.).
 *
 * Pure: no node, electron or DOM imports; the model is imported for its types only.
 */
import { sha256Hex } from '../hash';
import { STATUS_LABELS, type Status } from '../domain';
import { plainText, type RichDoc, type RichNode } from '../richtext';
import { cnDate, daysBetween } from '../time';
import type { DraftSection, DraftSectionKey } from './draft';
import { REPORT_STATUS_ORDER, pct, quoted, shortenAtWord, tableLabel } from './format';
import type { Figures, ReportModel, TaskRef } from './model';

/** The headings of the sections (without their numbers). */
export const SECTION_TITLES: Record<DraftSectionKey, string> = {
  lead: '',
  overview: '总体推进情况',
  changes: '本期变化情况',
  practices: '主要做法和成效',
  cases: '制度创新成果和最佳实践案例',
  problems: '存在问题',
  nextSteps: '下一步工作打算',
};

// ---------------------------------------------------------------------------------------------
// Annexes (their order and titles; the renderer lays them out)

export type AnnexKey = 'ledger' | 'taskSummary' | 'matrix' | 'changes' | 'cases';

/** The annexes of a district or city report, in order, each with the title the 附件说明 prints. */
export function annexList(m: ReportModel): { key: AnnexKey; title: string }[] {
  const out: { key: AnnexKey; title: string }[] = [];
  if (m.meta.kind === 'city') {
    out.push({ key: 'taskSummary', title: '试点任务推进情况汇总表' });
    if (m.matrix) out.push({ key: 'matrix', title: '试点任务分单位完成状态表' });
  } else out.push({ key: 'ledger', title: '任务清单推进情况表' });
  if (m.changes && m.changes.statusMoves.length) out.push({ key: 'changes', title: '本期完成状态变化明细表' });
  if (m.cases.length) out.push({ key: 'cases', title: m.meta.kind === 'city' ? '制度创新成果和最佳实践案例清单及选编' : '制度创新成果和最佳实践案例材料' });
  return out;
}

/** 附件N of an annex, or null when the report has none of that kind. */
export function annexNumber(m: ReportModel, key: AnnexKey): number | null {
  const i = annexList(m).findIndex((a) => a.key === key);
  return i < 0 ? null : i + 1;
}

// ---------------------------------------------------------------------------------------------
// Figures

/** The figures of the model a key names, or null. */
function figuresOf(m: ReportModel, scope: string, id: string | undefined): Figures | null {
  if (scope === 'overall') return m.overall;
  if (scope === 'table') return m.byTable.find((t) => t.key === `表${id}`) ?? null;
  if (scope === 'unit') return m.byUnit.find((u) => u.key === id) ?? null;
  if (scope === 'group') return m.byGroup.find((g, i) => `${g.table}-${groupIndex(m, i)}` === id) ?? null;
  return null;
}

/** 1-based position of the i-th 类别 row within its table (keys: group.<table>-<n>). */
function groupIndex(m: ReportModel, i: number): number {
  const t = m.byGroup[i]!.table;
  return m.byGroup.slice(0, i + 1).filter((g) => g.table === t).length;
}

/** The key of a 类别's figures: group.1-2 = the second 类别 of 表1. */
export function groupKey(m: ReportModel, i: number): string {
  return `group.${m.byGroup[i]!.table}-${groupIndex(m, i)}`;
}

/** Counts that are not one of the status tables. */
function countOf(m: ReportModel, key: string): number | null {
  switch (key) {
    case 'basis.tasks':
      return m.basis.tasks;
    case 'basis.units':
      return m.basis.units;
    case 'cases.total':
      return m.cases.length;
    case 'cases.innovation':
      return m.innovationCount;
    case 'cases.bestPractice':
      return m.bestPracticeCount;
    case 'lagging.delayed':
      return m.delayedCount;
    case 'lagging.overdue':
      return m.overdueCount;
    case 'lagging.pairs':
      return m.lagging.length;
    case 'unreported.total':
      return m.meta.unreported;
    case 'changes.moves':
      return m.changes?.counts.moves ?? null;
    case 'changes.nowImplemented':
      return m.changes?.counts.nowImplemented ?? null;
    case 'changes.nowDelayed':
      return m.changes?.counts.nowDelayed ?? null;
    default:
      return null;
  }
}

/**
 * The printed value of a figure key at the model's as-of date, or null when the key names nothing
 * (the renderer then prints 「—」). Keys: `overall.<field>`, `table.<n>.<field>`, `unit.<code>.<field>`,
 * `group.<table>-<n>.<field>`, with `<field>` one of total, implemented, applicable,
 * implementedShare, byStatus.<status>, lights.<light>; and `basis.tasks`, `basis.units`,
 * `cases.total|innovation|bestPractice`, `lagging.delayed|overdue|pairs`, `unreported.total`,
 * `changes.moves|nowImplemented|nowDelayed`.
 */
export function figureText(m: ReportModel, key: string): string | null {
  const direct = countOf(m, key);
  if (direct !== null) return String(direct);
  const parts = key.split('.');
  const scope = parts[0]!;
  const rest = scope === 'overall' ? parts.slice(1) : parts.slice(2);
  const f = figuresOf(m, scope, parts[1]);
  if (!f) return null;
  const [field, sub] = rest;
  if (field === 'implementedShare' && !sub) return pct(f.implementedShare);
  if ((field === 'total' || field === 'implemented' || field === 'applicable') && !sub) return String(f[field]);
  if (field === 'byStatus' && sub && Object.hasOwn(f.byStatus, sub)) return String(f.byStatus[sub as keyof Figures['byStatus']]);
  if (field === 'lights' && sub && Object.hasOwn(f.lights, sub)) return String(f.lights[sub as keyof Figures['lights']]);
  return null;
}

/** A `figure` node for `key`, its text the model's value now. */
export function figure(m: ReportModel, key: string): RichNode {
  return { type: 'figure', attrs: { key, text: figureText(m, key) ?? '—' } };
}

/** Every figure of a document set to the model's value (the draft's doc otherwise unchanged). */
export function refreshDoc(doc: RichDoc, m: ReportModel): RichDoc {
  const walk = (n: RichNode): RichNode =>
    n.type === 'figure'
      ? { ...n, attrs: { ...n.attrs, text: figureText(m, String(n.attrs?.key ?? '')) ?? '—' } }
      : n.content
        ? { ...n, content: n.content.map(walk) }
        : n;
  return { type: 'doc', content: doc.content.map(walk) };
}

export function refreshFigures(sections: readonly DraftSection[], m: ReportModel): DraftSection[] {
  return sections.map((s) => ({ ...s, doc: refreshDoc(s.doc, m) }));
}

/** The fingerprint a section's `generated` holds. */
export function docFingerprint(doc: RichDoc): string {
  return sha256Hex(JSON.stringify(doc));
}

// ---------------------------------------------------------------------------------------------
// Building blocks

type Part = string | RichNode;

const p = (...content: Part[]): RichNode => ({
  type: 'paragraph',
  content: content.filter((c) => c !== '').map((c) => (typeof c === 'string' ? { type: 'text', text: c } : c)),
});
const bold = (text: string): RichNode => ({ type: 'text', text, marks: [{ type: 'bold' }] });
const heading = (level: 2 | 3, text: string): RichNode => ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] });
const block = (name: string): RichNode => ({ type: 'reportBlock', attrs: { block: name } });

const ORDINALS = ['一是', '二是', '三是', '四是', '五是', '六是', '七是', '八是'];

/** T1-01、T1-05、T2-03等12项任务 (at most `cap` ids named). */
function taskList(ids: readonly string[], cap = 6): string {
  const unique = [...new Set(ids)];
  if (unique.length <= cap) return `${unique.join('、')}${unique.length > 1 ? `共${unique.length}项任务` : '任务'}`;
  return `${unique.slice(0, cap).join('、')}等${unique.length}项任务`;
}

/** Units named, at most `cap`: 玄武区、秦淮区等5个单位. */
function unitList(names: readonly string[], cap = 3): string {
  const unique = [...new Set(names)];
  if (unique.length <= cap) return unique.join('、');
  return `${unique.slice(0, cap).join('、')}等${unique.length}个单位`;
}

/** The statuses that occur, as figures: 已完成X项、基本完成Y项… */
function statusParts(m: ReportModel, prefix: string, f: Figures): Part[] {
  const out: Part[] = [];
  REPORT_STATUS_ORDER.filter((s) => f.byStatus[s] > 0).forEach((s, i) => {
    out.push(`${i ? '、' : ''}${STATUS_LABELS[s]}`, figure(m, `${prefix}.byStatus.${s}`), '项');
  });
  return out;
}

/** The pilot's three years: from the plan's notice to the end of its third year. */
function pilotPeriod(m: ReportModel): { end: string; months: number; elapsed: number } {
  const startYear = Number(m.meta.planDate.slice(0, 4)) + (m.meta.planDate.slice(5) >= '12-01' ? 1 : 0);
  const end = `${startYear + 2}-12-31`;
  const start = `${startYear}-01-01`;
  const elapsedDays = Math.max(0, Math.min(daysBetween(start, m.meta.asOf), daysBetween(start, end)));
  return { end, months: 36, elapsed: Math.round((elapsedDays / daysBetween(start, end)) * 36) };
}

const isUnderWay = (s: Status) => s === 'done' || s === 'mostly_done' || s === 'on_track' || s === 'delayed';

// ---------------------------------------------------------------------------------------------
// What the data says: measures, figures, problem themes, next steps

/** The measures named in a note: its list items and the sentences of paragraphs without a lead-in. */
function measuresOf(doc: RichDoc): string[] {
  const out: string[] = [];
  const walk = (nodes: RichNode[] | undefined, inList: boolean) => {
    for (const n of nodes ?? []) {
      if (n.type === 'listItem') {
        const t = plainText({ type: 'doc', content: n.content ?? [] }).split('\n')[0] ?? '';
        const clean = t.replace(/^[一二三四五六七八九十]是/u, '').replace(/[。；;]+$/u, '').trim();
        if (clean) out.push(clean);
      } else if (n.content) walk(n.content, inList || n.type === 'bulletList' || n.type === 'orderedList');
    }
  };
  walk(doc.content, false);
  return out;
}

interface Figure {
  sentence: string;
  template: string;
  value: number;
  taskId: string;
  table: number;
  unit: string;
}

/** The 量化成效 sentences with a number, each with its template (numbers replaced) and its first number. */
function figuresIn(text: string): { sentence: string; template: string; value: number }[] {
  return (text.match(/[^。；]+[。；]?/gu) ?? [])
    .map((s) => s.trim())
    .filter((s) => /\d/.test(s))
    .map((s) => {
      const nums = [...s.matchAll(/\d+(?:\.\d+)?/g)].map((x) => Number(x[0]));
      // 由 40 个工作日压缩至 3 个：the saving counts; otherwise the largest amount of the sentence.
      const value = /压缩至|缩短至|减少至/.test(s) && nums.length >= 2 ? nums[0]! - nums[1]! : Math.max(...nums);
      return { sentence: s.replace(/[；]$/u, '。').replace(/([^。])$/u, '$1。'), template: s.replace(/\d+(?:\.\d+)?/g, '#'), value };
    });
}

/** The strongest figure of each kind of 量化成效 (one sentence per template), strongest first. */
function strongestFigures(m: ReportModel, table: number | null, cap: number): Figure[] {
  const best = new Map<string, Figure>();
  for (const sec of m.practices) {
    if (table !== null && sec.number !== table) continue;
    for (const g of sec.groups) {
      for (const item of g.items) {
        for (const e of item.entries) {
          if (!isUnderWay(e.status) || !e.results) continue;
          for (const f of figuresIn(e.results)) {
            const prev = best.get(f.template);
            if (!prev || f.value > prev.value) best.set(f.template, { ...f, taskId: item.taskId, table: sec.number, unit: e.unit.name });
          }
        }
      }
    }
  }
  // Strongest first, relative to the median of its kind would need every value; the absolute value
  // orders amounts (亿元) and counts (个, 家) alike well enough for a draft the author rewrites.
  return [...best.values()].sort((a, b) => b.value - a.value || a.taskId.localeCompare(b.taskId)).slice(0, cap);
}

/** The most common measures of a table's implemented and under-way tasks, with the tasks that name them. */
function commonMeasures(m: ReportModel, table: number | null, cap: number): { text: string; tasks: string[] }[] {
  const uses = new Map<string, string[]>();
  for (const sec of m.practices) {
    if (table !== null && sec.number !== table) continue;
    for (const g of sec.groups)
      for (const item of g.items)
        for (const e of item.entries) {
          if (!isUnderWay(e.status)) continue;
          for (const t of measuresOf(e.notes)) uses.set(t, [...(uses.get(t) ?? []), item.taskId]);
        }
  }
  return [...uses.entries()]
    .map(([text, tasks]) => ({ text, tasks }))
    .sort((a, b) => new Set(b.tasks).size - new Set(a.tasks).size || b.tasks.length - a.tasks.length || a.text.localeCompare(b.text))
    .slice(0, cap);
}

/** Themes of 存在问题, by the words their items use; an item goes to the first theme it matches. */
const PROBLEM_THEMES: { title: string; words: RegExp; ask?: string }[] = [
  { title: '部分事项需上级授权，推进周期较长', words: /授权|部委|国家|省级|审批权|权限/u, ask: '需国家部委授权或省级部门支持' },
  { title: '配套细则和执行标准有待完善', words: /细则|标准|配套|口径|规范/u },
  { title: '专业人才支撑不足', words: /人才|队伍|专业人员/u },
  { title: '用地、资金等要素保障存在制约', words: /用地|资金|要素|载体|空间/u },
  { title: '部门协同和数据共享有待加强', words: /数据|共享|协同|部门|信息互通|壁垒/u },
  { title: '政策知晓度和企业参与度有待提升', words: /知晓|宣传|申报|积极性|企业参与/u },
];

interface Theme {
  title: string;
  ask?: string;
  items: { text: string; taskId: string; unit: string }[];
}

function problemItems(text: string): string[] {
  return text
    .split(/(?:^|\s|[。；;])\s*(?:\d+[.．、]|[（(]\d+[)）]|[一二三四五六七八九十]是)\s*|[。；;\n]/u)
    .map((x) => x.replace(/^[，,、\s]+|[，,、\s]+$/gu, '').trim())
    .filter((x) => x.length >= 4);
}

function problemThemes(m: ReportModel): Theme[] {
  const themes: Theme[] = PROBLEM_THEMES.map((t) => ({ title: t.title, ask: t.ask, items: [] }));
  const other: Theme = { title: '其他困难和问题', items: [] };
  for (const it of m.problems) {
    for (const text of problemItems(it.text)) {
      const th = themes.find((_, i) => PROBLEM_THEMES[i]!.words.test(text)) ?? other;
      th.items.push({ text, taskId: it.taskId, unit: it.unit.name });
    }
  }
  return [...themes, other].filter((t) => t.items.length > 0).sort((a, b) => new Set(b.items.map((i) => i.taskId)).size - new Set(a.items.map((i) => i.taskId)).size);
}

/** The most frequent wording of a theme's items (said once for all of them). */
function typicalWording(items: readonly { text: string }[]): string {
  const n = new Map<string, number>();
  for (const i of items) n.set(i.text, (n.get(i.text) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

/**
 * A 下步计划 text without what is already past: a clause with a year or date before the as-of date
 * (力争于2023年底前全面完成 in a 2025 report) is dropped, with its lead-in 下一步. Null when nothing is left.
 */
export function currentPlan(text: string, asOf: string): string | null {
  const year = Number(asOf.slice(0, 4));
  const clauses = text
    .replace(/^下一步[，,：:]?/u, '')
    .replace(/（\d{4}年\d{1,2}月\d{1,2}日复核）/gu, '')
    .split(/[，,；;。]/u)
    .map((c) => c.trim())
    .filter(Boolean);
  const kept = clauses.filter((c) => {
    const full = c.match(/(\d{4})年(\d{1,2})月(\d{1,2})日/u);
    if (full) return `${full[1]}-${full[2]!.padStart(2, '0')}-${full[3]!.padStart(2, '0')}` >= asOf;
    const y = c.match(/(\d{4})年(?:底|末|内|年底)?/u);
    return !y || Number(y[1]) >= year;
  });
  return kept.length ? kept.join('，') : null;
}

function planThemes(m: ReportModel): { text: string; tasks: string[] }[] {
  const uses = new Map<string, string[]>();
  for (const n of m.nextSteps) {
    const plan = currentPlan(n.text, m.meta.asOf);
    if (!plan) continue;
    // The first clause is the measure; a target date after it is kept in the task's own plan.
    const measure = plan.split('，')[0]!;
    if (/^力争|前全面完成/u.test(measure)) continue;
    uses.set(measure, [...(uses.get(measure) ?? []), n.taskId]);
  }
  return [...uses.entries()].map(([text, tasks]) => ({ text, tasks })).sort((a, b) => b.tasks.length - a.tasks.length || a.text.localeCompare(b.text));
}

// ---------------------------------------------------------------------------------------------
// Sections

function leadDoc(m: ReportModel): RichDoc {
  const to = m.meta.kind === 'city' ? '全市' : m.meta.scopeName;
  return {
    type: 'doc',
    content: [
      p(`按照《${m.meta.planTitle}》任务分工和工作要求，现将${to}服务业扩大开放综合试点任务推进情况（数据截至${m.meta.asOfText}）报告如下。`),
    ],
  };
}

function overviewDoc(m: ReportModel): RichDoc {
  const o = m.overall;
  const city = m.meta.kind === 'city';
  const content: RichNode[] = [];
  const subject = city ? '全市' : m.meta.scopeName;
  const basisText: Part[] =
    m.basis.unit === 'tasks'
      ? [`${subject}承担的方案`, figure(m, 'basis.tasks'), '项试点任务中，']
      : [`${subject}各单位承担的试点任务（按任务×单位计）共`, figure(m, 'overall.total'), '项，其中'];
  content.push(
    p(
      `截至${m.meta.asOfText}，`,
      ...basisText,
      ...statusParts(m, 'overall', o),
      '。已实施（已完成和基本完成）',
      figure(m, 'overall.implemented'),
      '项，占应实施任务（不含不涉及）',
      figure(m, 'overall.applicable'),
      '项的',
      figure(m, 'overall.implementedShare'),
      '。',
      ...(city ? ['全市口径的确定规则见文末说明。'] : m.meta.unreported ? ['其中', figure(m, 'unreported.total'), '项任务尚未填报，按未启动计。'] : []),
    ),
  );
  content.push(
    p(
      '按完成时限预警，红灯',
      figure(m, 'overall.lights.red'),
      '项、黄灯',
      figure(m, 'overall.lights.yellow'),
      '项、绿灯',
      figure(m, 'overall.lights.green'),
      '项',
      ...(o.lights.none ? ['，未启动且未定完成时限的', figure(m, 'overall.lights.none'), '项未亮灯'] : []),
      '。',
    ),
  );

  // Per table and 类别.
  content.push(heading(2, '分领域推进情况'));
  const tables = m.byTable.filter((t) => t.total > 0);
  const parts: Part[] = [];
  tables.forEach((t, i) => {
    parts.push(`${i ? '；' : ''}${t.key}共`, figure(m, `table.${t.key.slice(1)}.total`), '项，已实施', figure(m, `table.${t.key.slice(1)}.implemented`), '项，实施率', figure(m, `table.${t.key.slice(1)}.implementedShare`));
  });
  if (parts.length) content.push(p('分表看，', ...parts, '。'));
  const groups = m.byGroup.map((g, i) => ({ g, i })).filter(({ g }) => g.applicable > 0);
  if (groups.length > 1) {
    const ranked = [...groups].sort((a, b) => (b.g.implementedShare ?? 0) - (a.g.implementedShare ?? 0) || a.i - b.i);
    const top = ranked.slice(0, 2);
    const low = ranked.slice(-2).reverse().filter((x) => !top.includes(x));
    const gp = (x: { g: (typeof groups)[number]['g']; i: number }): Part[] => [`${tableLabel(x.g.table)}${quoted(shortenAtWord(x.g.label, 14))}类（`, figure(m, `${groupKey(m, x.i)}.implemented`), '/', figure(m, `${groupKey(m, x.i)}.applicable`), '项，', figure(m, `${groupKey(m, x.i)}.implementedShare`), '）'];
    content.push(
      p('按类别看，实施率较高的是', ...top.flatMap((x, k) => [k ? '、' : '', ...gp(x)]), ...(low.length ? ['；较低的是', ...low.flatMap((x, k) => [k ? '、' : '', ...gp(x)])] : []), '。'),
    );
  }
  content.push(block('table.byTable'), block('chart.status-by-table'));

  if (city && m.byUnit.length > 1) {
    content.push(heading(2, '分单位推进情况'));
    const ranked = m.byUnit.filter((u) => u.applicable > 0).sort((a, b) => (b.implementedShare ?? 0) - (a.implementedShare ?? 0) || a.key.localeCompare(b.key));
    if (ranked.length > 1) {
      const uf = (u: (typeof ranked)[number]): Part[] => [u.label, '（', figure(m, `unit.${u.key}.implementedShare`), '）'];
      content.push(
        p(
          `各单位对其承担的任务逐项填报，未填报的按未启动计。实施率较高的是`,
          ...ranked.slice(0, 3).flatMap((u, k) => [k ? '、' : '', ...uf(u)]),
          '，较低的是',
          ...ranked.slice(-3).reverse().flatMap((u, k) => [k ? '、' : '', ...uf(u)]),
          '。各单位情况见下表，各项任务在各单位的完成状态见附件',
          String(annexNumber(m, 'matrix') ?? ''),
          '。',
        ),
      );
    }
    content.push(block('table.byUnit'), block('chart.status-by-unit'));
  }

  if (m.monthly && m.monthly.dates.length > 1) {
    const s = m.monthly;
    const last = s.dates.length - 1;
    const impl = (k: number) => s.byStatus.done[k]! + s.byStatus.mostly_done[k]!;
    const change = (a: number, b: number) => (b > a ? `由${a}项增至${b}项` : b < a ? `由${a}项降至${b}项` : `保持${a}项`);
    content.push(heading(2, '推进态势'));
    content.push(
      p(
        `从${cnDate(s.dates[0])}至${cnDate(s.dates[last])}，${city ? `全市${s.total}项试点任务中` : m.meta.units.length > 1 ? '各单位填报的任务（按任务×单位计）中' : ''}已实施任务${change(impl(0), impl(last))}，` +
          `未启动任务${change(s.byStatus.not_started[0]!, s.byStatus.not_started[last]!)}，进度滞后任务${change(s.byStatus.delayed[0]!, s.byStatus.delayed[last]!)}` +
          `（按各月末最新填报统计，未填报的按未启动计${city ? '；每项任务的全市状态按说明所列规则确定' : ''}）。`,
      ),
      block('chart.status-over-time'),
    );
  }

  // The plan's goals against what was reached, and an overall assessment.
  const period = pilotPeriod(m);
  const ended = m.meta.asOf >= period.end;
  const expected = ended ? 1 : period.elapsed / period.months;
  if (m.meta.planGoal) {
    content.push(heading(2, '对照方案目标完成情况'));
    content.push(p(`《${m.meta.planTitle}》提出：“${m.meta.planGoal.replace(/。$/u, '')}。”`));
    const byT = (n: number) => m.byTable.find((t) => t.key === tableLabel(n));
    const goalParts: Part[] = [];
    const goals: [number[], string][] = [
      [[1], '放宽市场准入、推动重点行业领域开放'],
      [[2, 3], '“两业”融合和园区平台示范'],
      [[4], '改革监管模式、优化体制机制'],
      [[5], '优化市场环境、加强要素保障'],
    ];
    for (const [nums, goal] of goals) {
      const present = nums.map(byT).filter((t): t is NonNullable<typeof t> => !!t && t.total > 0);
      if (!present.length) continue;
      goalParts.push(`${goalParts.length ? '；' : ''}在${goal}方面，`);
      present.forEach((t, k) => goalParts.push(k ? '，' : '', `${t.key}实施率`, figure(m, `table.${t.key.slice(1)}.implementedShare`)));
    }
    content.push(
      p(
        `对照上述目标，试点${ended ? '三年期已满' : `已进行${period.elapsed}个月（共${period.months}个月，按时序应完成约${pct(expected)}）`}：`,
        ...goalParts,
        '；在积累可复制可推广经验方面，形成制度创新成果',
        figure(m, 'cases.innovation'),
        '项、最佳实践案例',
        figure(m, 'cases.bestPractice'),
        '项。',
      ),
    );
  }
  content.push(heading(2, '总体评价'));
  const share = o.implementedShare ?? 0;
  const onPace = share >= expected - 0.1;
  const ranked = m.byTable.filter((t) => t.applicable > 0).sort((a, b) => (b.implementedShare ?? 0) - (a.implementedShare ?? 0));
  const best = ranked[0];
  const worst = ranked.length > 1 ? ranked[ranked.length - 1] : undefined;
  content.push(
    p(
      `总体看，${subject}试点任务${onPace ? '推进总体符合时序进度' : '推进慢于时序进度'}，实施率`,
      figure(m, 'overall.implementedShare'),
      `${onPace ? '' : `，低于按时序应完成的约${pct(expected)}`}。`,
      ...(best ? [`${best.key}推进较快（实施率`, figure(m, `table.${best.key.slice(1)}.implementedShare`), '）'] : []),
      ...(worst ? [`，${worst.key}相对滞后（实施率`, figure(m, `table.${worst.key.slice(1)}.implementedShare`), '）'] : []),
      best ? '。' : '',
      ...(o.byStatus.delayed ? ['仍有', figure(m, 'overall.byStatus.delayed'), `项任务进度滞后，${ended ? '需在评估中说明原因并提出后续安排' : '需加快推进'}。`] : []),
    ),
  );
  return { type: 'doc', content };
}

function changesDoc(m: ReportModel): RichDoc | null {
  const c = m.changes;
  if (!c) return null;
  const content: RichNode[] = [p(c.summary)];
  const multi = m.meta.units.length > 1;
  const row = (r: (typeof c.statusMoves)[number]) => `${r.taskId}${multi ? `（${r.unitName}）` : ''}由${r.from ?? '未填报'}变为${r.to ?? ''}`;
  const done = c.statusMoves.filter((r) => r.to === STATUS_LABELS.done || r.to === STATUS_LABELS.mostly_done);
  const worse = c.statusMoves.filter((r) => r.to === STATUS_LABELS.delayed);
  const moves: string[] = [];
  if (done.length) moves.push(`新实施的主要有${done.slice(0, 6).map(row).join('、')}${done.length > 6 ? `等${done.length}项` : ''}`);
  if (worse.length) moves.push(`转为进度滞后的有${worse.slice(0, 4).map(row).join('、')}${worse.length > 4 ? `等${worse.length}项` : ''}`);
  const annex = annexNumber(m, 'changes');
  if (moves.length) content.push(p(`${moves.join('；')}。${annex ? `全部状态变化见附件${annex}。` : ''}`));
  return { type: 'doc', content };
}

function practicesDoc(m: ReportModel): RichDoc {
  const city = m.meta.kind === 'city';
  const content: RichNode[] = [];
  for (const sec of m.practices) {
    const t = m.byTable.find((b) => b.key === tableLabel(sec.number));
    if (!t || t.total === 0) continue;
    const measures = commonMeasures(m, sec.number, 3);
    const figures = strongestFigures(m, sec.number, 3);
    if (!measures.length && !figures.length) continue;
    content.push(heading(2, `${tableLabel(sec.number)} ${sec.title}`));
    const n = sec.number;
    content.push(
      p(`本领域`, figure(m, `table.${n}.total`), '项任务已实施', figure(m, `table.${n}.implemented`), '项，实施率', figure(m, `table.${n}.implementedShare`), '。'),
    );
    if (measures.length) {
      content.push(
        p(
          bold('主要做法。'),
          measures.map((x, i) => `${ORDINALS[i]}${x.text}（${taskList(x.tasks, 3)}）`).join('；') + '。',
        ),
      );
    }
    if (figures.length) {
      content.push(
        p(
          bold('工作成效。'),
          figures.map((f) => `${f.taskId}${city || m.meta.units.length > 1 ? `（${f.unit}）` : ''}${f.sentence.replace(/。$/u, '')}`).join('；') + '。',
        ),
      );
    }
  }
  if (!content.length) content.push(p('所选范围内暂无已实施或推进中任务的做法和成效记载。'));

  // Experience: the measures that recur across tables, and the cases.
  const across = commonMeasures(m, null, 12).filter((x) => new Set(x.tasks.map((id) => id.slice(0, 2))).size >= 3).slice(0, 3);
  if (across.length || m.cases.length) {
    content.push(heading(2, '主要经验'));
    const lines: Part[] = [];
    across.forEach((x, i) => lines.push(`${i ? '；' : ''}${ORDINALS[i]}${x.text}，在${new Set(x.tasks.map((id) => id.slice(1, 2))).size}个领域的${new Set(x.tasks).size}项任务中采用`));
    if (m.cases.length) {
      lines.push(`${lines.length ? '；' : ''}${ORDINALS[across.length]}以案例总结带动复制推广，形成制度创新成果`, figure(m, 'cases.innovation'), '项、最佳实践案例', figure(m, 'cases.bestPractice'), '项');
    }
    content.push(p(...lines, '。'));
  }
  return { type: 'doc', content };
}

/** A case's name at most 40 characters, cut at a word (most names are whole: 「…开展信用评级业务实践案例」 is 31). */
function caseName(c: ReportModel['cases'][number]): string {
  return shortenAtWord(c.caseStudy?.name || `${c.shortTitle.replace(/…$/u, '')}`, 40);
}

function casesDoc(m: ReportModel): RichDoc {
  if (!m.cases.length) return { type: 'doc', content: [p('所选范围内暂未标记制度创新成果和最佳实践案例。')] };
  const annex = annexNumber(m, 'cases');
  const byTable = m.meta.tables
    .map((t) => ({ t, n: m.cases.filter((c) => c.table === t.number).length }))
    .filter((x) => x.n > 0)
    .map((x) => `${tableLabel(x.t.number)}有${x.n}项`)
    .join('、');
  const content: RichNode[] = [
    p(
      '共形成制度创新成果',
      figure(m, 'cases.innovation'),
      '项、最佳实践案例',
      figure(m, 'cases.bestPractice'),
      `项（同一任务两者兼有的分别计入），按领域分布为${byTable}${annex ? `，清单和案例材料见附件${annex}` : ''}。`,
    ),
  ];
  const selected = selectedCases(m);
  const multi = m.meta.units.length > 1;
  if (selected.length) {
    content.push(
      p(
        `其中较有代表性的有：${selected.map((c) => `“${caseName(c)}”（${c.taskId}${multi ? `，${c.unit.name}` : ''}）`).join('、')}。`,
      ),
    );
  }
  return { type: 'doc', content };
}

/** The cases the body names and a city report's annex prints in full: write-ups first, one per task, at most 8. */
export function selectedCases(m: ReportModel): ReportModel['cases'] {
  const seen = new Set<string>();
  const out: ReportModel['cases'] = [];
  const ordered = [...m.cases].sort((a, b) => Number(!!b.caseStudy) - Number(!!a.caseStudy) || Number(b.innovation) - Number(a.innovation) || a.index - b.index);
  for (const c of ordered) {
    if (seen.has(c.taskId) || out.length >= 8) continue;
    seen.add(c.taskId);
    out.push(c);
  }
  return out.sort((a, b) => a.index - b.index);
}

function problemsDoc(m: ReportModel): RichDoc {
  const city = m.meta.kind === 'city';
  const content: RichNode[] = [];
  content.push(heading(2, '进度滞后和逾期任务'));
  if (city) {
    const delayed = m.cityTasks.filter((t) => t.status === 'delayed');
    const byUnit = new Map<string, number>();
    for (const l of m.lagging) byUnit.set(l.unit.name, (byUnit.get(l.unit.name) ?? 0) + 1);
    const most = [...byUnit.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
    content.push(
      p(
        '按全市口径，进度滞后的任务',
        figure(m, 'overall.byStatus.delayed'),
        '项',
        delayed.length ? `（${taskList(delayed.map((t) => t.taskId), 8)}）` : '',
        '。从单位看，进度滞后或超过完成时限未完成的任务×单位共',
        figure(m, 'lagging.pairs'),
        '个',
        most.length ? `，较多的是${most.map(([u, n]) => `${u}（${n}个）`).join('、')}` : '',
        '。',
      ),
    );
  } else if (m.lagging.length === 0) {
    content.push(p(`截至${m.meta.asOfText}，所选范围内无进度滞后或超过完成时限的任务。`));
  } else {
    const over = m.lagging.filter((l) => l.daysOverdue !== null).sort((a, b) => (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0));
    const earliest = over.map((l) => l.deadline!).sort()[0];
    content.push(
      p(
        '进度滞后任务',
        figure(m, 'lagging.delayed'),
        '项、超过完成时限未完成任务',
        figure(m, 'lagging.overdue'),
        `项，涉及${taskList(m.lagging.map((l) => l.taskId), 8)}。`,
        over.length ? `逾期任务的完成时限均已过去（最早为${cnDate(earliest)}，${over[0]!.taskId}已超期${over[0]!.daysOverdue}天），需重新明确完成时限。` : '',
      ),
    );
  }
  for (const th of problemThemes(m)) {
    const tasks = th.items.map((i) => i.taskId);
    const units = th.items.map((i) => i.unit);
    content.push(heading(3, th.title));
    content.push(
      p(`主要表现为${typicalWording(th.items).replace(/[。；]$/u, '')}，涉及${taskList(tasks)}${city || m.meta.units.length > 1 ? `，${unitList(units)}反映` : ''}。`),
    );
  }
  if (m.problems.length === 0) content.push(p('所选范围内暂未填报存在问题。'));
  return { type: 'doc', content };
}

function nextStepsDoc(m: ReportModel): RichDoc {
  const city = m.meta.kind === 'city';
  const content: RichNode[] = [];
  const period = pilotPeriod(m);
  const ended = m.meta.asOf >= period.end;
  const delayed = city ? m.cityTasks.filter((t) => t.status === 'delayed').map((t) => t.taskId) : m.lagging.map((l) => l.taskId);
  if (delayed.length) {
    content.push(heading(2, '加快滞后任务攻坚'));
    content.push(p(`对${taskList(delayed, 8)}，逐项分析原因，明确整改措施、责任单位和新的完成时限，实行清单化跟踪，按月调度。`));
  }
  const notStarted: TaskRef[] = city ? m.cityTasks.filter((t) => t.status === 'not_started') : [];
  const notStartedCount = m.overall.byStatus.not_started;
  if (notStartedCount > 0) {
    content.push(heading(2, '推动未启动任务落地'));
    content.push(
      p(
        '对尚未启动的',
        figure(m, 'overall.byStatus.not_started'),
        `项任务${notStarted.length ? `（${taskList(notStarted.map((t) => t.taskId), 8)}）` : ''}，会同牵头部门明确实施路径和启动时间，需上级支持的及时提出。`,
      ),
    );
  }
  const plans = planThemes(m).slice(0, 3);
  if (plans.length) {
    content.push(heading(2, '落实各项任务下步计划'));
    content.push(p(plans.map((x, i) => `${ORDINALS[i]}${x.text}（${taskList(x.tasks, 3)}）`).join('；') + '。'));
  }
  content.push(heading(2, ended ? '做好试点总结评估' : '做好试点评估和经验总结'));
  content.push(
    p(
      ended
        ? `试点三年期已于${cnDate(period.end)}届满，对照方案目标逐项评估任务完成情况，系统总结可复制可推广的经验，巩固提升试点成果。`
        : `试点三年期至${cnDate(period.end)}届满，对照方案目标开展评估，及时总结可复制可推广的经验，为试点期满评估做好准备。`,
    ),
  );
  if (city) {
    content.push(heading(2, '有关建议和请求'));
    const asks: string[] = [];
    const needAuth = problemThemes(m).find((t) => t.ask);
    if (needAuth) {
      asks.push(`恳请商务部协调国家有关部委，对${taskList(needAuth.items.map((i) => i.taskId))}中${needAuth.ask}的事项给予指导和支持`);
    }
    if (m.cases.length) asks.push('支持将南京试点形成的制度创新成果和最佳实践案例纳入全国复制推广范围');
    asks.push(ended ? '支持南京在试点期满后继续深化服务业扩大开放，在更多领域开展先行先试' : '在成效评估中加强对南京试点工作的指导，及时反馈评估意见');
    content.push(p(asks.map((a, i) => `${ORDINALS[i]}${a}`).join('；') + '。'));
  }
  return { type: 'doc', content };
}

/** The generated draft of every section. */
export function generateDraft(m: ReportModel): DraftSection[] {
  const docs: Partial<Record<DraftSectionKey, RichDoc>> = {
    lead: leadDoc(m),
    overview: overviewDoc(m),
    practices: practicesDoc(m),
    cases: casesDoc(m),
    problems: problemsDoc(m),
    nextSteps: nextStepsDoc(m),
  };
  const changes = changesDoc(m);
  if (changes) docs.changes = changes;
  return (Object.keys(SECTION_TITLES) as DraftSectionKey[])
    .filter((k) => docs[k])
    .map((key) => ({ key, title: SECTION_TITLES[key], doc: docs[key]!, generated: docFingerprint(docs[key]!) }));
}
