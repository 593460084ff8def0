/**
 * The body of a progress report, 一、总体推进情况 to 五、下一步工作打算: what each section says, laid
 * out from the report model with the blocks of `docxBlocks.ts`. The frame around it (title, 附件说明,
 * 落款) and the package are `docx.ts`'s.
 */
import { Paragraph, Table, TextRun } from 'docx';
import { STATUS_LABELS } from '../../shared/domain';
import type { RichDoc } from '../../shared/richtext';
import {
  REPORT_STATUS_ORDER,
  pct,
  tableLabel,
  type Figures,
  type FiguresRow,
  type LaggingItem,
  type ReportModel,
  type TextItem,
  type TaskRef,
  type UnitRef,
} from '../../shared/report/model';
import { toCnNumeral } from '../../shared/cnNumeral';
import type { ChartImage } from './charts';
import { progressParagraphs } from './progress';
import { changesSection } from './changes';
import type { DraftSection } from '../../shared/report/draft';
import {
  C,
  type CellText,
  FONTS,
  SIZE,
  TEXT_WIDTH,
  body,
  chartParagraphs,
  gridTable,
  h1,
  h2,
  h3,
  para,
  richParagraphs,
  run,
  runsWithBreaks,
  tableCaption,
  twoByTwo,
} from './docxBlocks';

function figuresHeader(first: string): CellText[] {
  return [
    { text: first, align: C, bold: true },
    { text: '任务数', align: C, bold: true },
    // Four-character labels break 2 + 2 (基本/完成) rather than 3 + 1 in the narrow columns.
    ...REPORT_STATUS_ORDER.map((s) => ({ text: twoByTwo(STATUS_LABELS[s]), align: C, bold: true })),
    { text: '实施率', align: C, bold: true },
  ];
}

function figuresCells(label: string, f: Figures): CellText[] {
  return [
    { text: label },
    { text: String(f.total), align: C },
    ...REPORT_STATUS_ORDER.map((s) => ({ text: String(f.byStatus[s]), align: C })),
    { text: pct(f.implementedShare), align: C },
  ];
}

/** Status counts by table (or unit) with a 合计 row, 仿宋 五号. */
function figuresTable(first: string, rows: FiguresRow[], totals: Figures, label: (r: FiguresRow) => string): Paragraph {
  const firstW = 2364;
  const rest = Math.floor((TEXT_WIDTH - firstW) / 8);
  return gridTable({
    widths: [firstW + (TEXT_WIDTH - firstW - rest * 8), ...Array(8).fill(rest)],
    header: figuresHeader(first),
    rows: [...rows.map((r) => figuresCells(label(r), r)), figuresCells('合计', totals).map((c, i) => (i === 0 ? { ...c, align: C, bold: true } : c))],
    size: SIZE.wu,
    line: 300,
    centreRows: true,
  });
}

export function taskLead(t: TaskRef): string {
  return `${t.taskId} ${t.shortTitle}`;
}

function unitSuffix(m: ReportModel, u: UnitRef): string {
  return m.meta.units.length > 1 ? `（${u.name}）` : '';
}

export function overviewSection(m: ReportModel, charts: ChartImage[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('一、总体推进情况')];
  const city = m.meta.kind === 'city';
  if (city) out.push(h2('（一）总体情况'));
  const [first, second, third, fourth, ...rest] = m.summary;
  for (const s of [first, second, third]) if (s) out.push(body(s));
  const restSentences = city ? rest : [fourth, ...rest].filter((s): s is string => !!s);
  for (const s of restSentences) if (s) out.push(body(s));
  out.push(tableCaption(`表1  各表任务推进情况（截至${m.meta.asOfText}）`));
  out.push(figuresTable('任务表', m.byTable, m.overall, (r) => `${r.key}\n${r.label.slice(r.key.length + 1)}`));
  const byTable = charts.find((c) => c.id === 'status-by-table');
  if (byTable) out.push(...chartParagraphs(byTable, 1));
  if (city) {
    out.push(h2('（二）分单位情况'));
    if (fourth) out.push(body(fourth));
    out.push(tableCaption(`表2  各单位任务推进情况（截至${m.meta.asOfText}）`));
    out.push(figuresTable('单位', m.byUnit, m.overall, (r) => r.label));
    const byUnit = charts.find((c) => c.id === 'status-by-unit');
    if (byUnit) out.push(...chartParagraphs(byUnit, 2));
    if (m.matrix) out.push(body('各项任务在各单位的完成状态见附件2。'));
  }
  out.push(...progressParagraphs(m, charts));
  return out;
}

/**
 * The first paragraph of a note (its lead, usually the 总体进展 sentence). The city report prints
 * only that for each unit — 13 units × 104 full notes would fill a thousand pages — and says that
 * the full text is in 附件1 (the ledger), which prints every note whole.
 */
function firstParagraph(doc: RichDoc): RichDoc {
  const first = doc.content.find((n) => (n.type === 'paragraph' || n.type === 'heading') && (n.content ?? []).length > 0);
  return { type: 'doc', content: first ? [first] : [] };
}

export function practicesSection(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('二、主要做法和成效')];
  const city = m.meta.kind === 'city';
  if (city) out.push(body('以下按任务列示各单位推进情况的要点和量化成效，各单位推进情况全文见附件1。'));
  const withItems = m.practices.filter((p) => p.groups.length > 0);
  if (withItems.length === 0) {
    out.push(body('所选范围内暂无推进情况和量化成效的记载。'));
    return out;
  }
  withItems.forEach((sec, si) => {
    out.push(h2(`（${toCnNumeral(si + 1)}）${tableLabel(sec.number)} ${sec.title}`));
    out.push(
      body(
        `本表纳入统计的任务批注${sec.figures.total}项，已实施${sec.figures.implemented}项，实施率${pct(sec.figures.implementedShare)}。` +
          (sec.withoutNotes ? `其中${sec.withoutNotes}项暂无推进情况记载。` : ''),
      ),
    );
    sec.groups.forEach((g, gi) => {
      out.push(h3(`${gi + 1}. ${g.group}`));
      for (const item of g.items) {
        if (item.entries.length === 1) {
          const e = item.entries[0]!;
          const lead = [run(`${taskLead(item)}${unitSuffix(m, e.unit)}（${e.statusLabel}）。`, { bold: true })];
          out.push(...richParagraphs(e.notes, lead));
          if (e.results) out.push(para([run('量化成效：', { bold: true }), ...runsWithBreaks(e.results, {})]));
        } else {
          out.push(para([run(`${taskLead(item)}。`, { bold: true })], { keepNext: true }));
          for (const e of item.entries) {
            const lead = [run(`${e.unit.name}（${e.statusLabel}）：`, { font: FONTS.kaiti })];
            out.push(...richParagraphs(city ? firstParagraph(e.notes) : e.notes, lead));
            if (e.results) out.push(para([run('量化成效：', { font: FONTS.kaiti }), ...runsWithBreaks(e.results, {})]));
          }
        }
      }
    });
  });
  return out;
}

export function casesSection(m: ReportModel, caseAttachment: number | null): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('三、制度创新成果和最佳实践案例')];
  if (m.cases.length === 0) {
    out.push(body('所选范围内暂未标记制度创新成果和最佳实践案例。'));
    return out;
  }
  out.push(
    body(
      `共形成制度创新成果${m.innovationCount}项、最佳实践案例${m.bestPracticeCount}项` +
        (caseAttachment ? `（案例材料详见附件${caseAttachment}）` : '') +
        '。',
    ),
  );
  for (const c of m.cases) {
    const kinds = [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、');
    const cs = c.caseStudy;
    if (cs) {
      // A written-up case: its name, then its results (else its approach).
      out.push(h3(`${c.index}. ${cs.name}（${taskLead(c)}${m.meta.units.length > 1 ? `，${c.unit.name}` : ''}，${kinds}）`));
      if (cs.results || cs.approach) out.push(body(cs.results ? `成效：${cs.results.replace(/\s*\n\s*/g, '')}` : `做法：${cs.approach.replace(/\s*\n\s*/g, '')}`));
      continue;
    }
    out.push(h3(`${c.index}. ${taskLead(c)}${m.meta.units.length > 1 ? `（${c.unit.name}，${kinds}）` : `（${kinds}）`}`));
    if (c.results) out.push(body(`成效：${c.results}`));
    else {
      const firstPara = c.notes.content.find((n) => n.type === 'paragraph' && (n.content ?? []).length > 0);
      if (firstPara) out.push(...richParagraphs({ type: 'doc', content: [firstPara] }, []));
    }
  }
  return out;
}

/** Items grouped by task, in the model's order (one group per task; several units each). */
function byTask<T extends TaskRef>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const g = groups.get(it.taskId);
    if (g) g.push(it);
    else groups.set(it.taskId, [it]);
  }
  return [...groups.values()];
}

function laggingText(l: LaggingItem): string {
  const parts: string[] = [l.delayed ? '进度滞后' : `状态为${l.statusLabel}`];
  if (l.deadlineText) parts.push(`完成时限${l.deadlineText}`);
  if (l.daysOverdue !== null) parts.push(`已超期${l.daysOverdue}天`);
  return parts.join('，');
}

/** Numbered paragraphs of texts, one per task: 「1. T1-01 标题：玄武区：…；秦淮区：…」. */
function textItemsByTask(m: ReportModel, items: TextItem[]): Paragraph[] {
  const multi = m.meta.units.length > 1;
  return byTask(items).map((g, i) => {
    const runs: TextRun[] = [run(`${i + 1}. ${taskLead(g[0]!)}：`, { bold: true })];
    g.forEach((it, k) => {
      const sep = k && !/[。；！？]$/.test(g[k - 1]!.text) ? '；' : '';
      if (multi) runs.push(run(`${sep}${it.unit.name}：`, { font: FONTS.kaiti }));
      runs.push(...runsWithBreaks(it.text, {}));
    });
    return para(runs);
  });
}

export function problemsSection(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('四、存在问题')];
  out.push(h2('（一）进度滞后和逾期任务'));
  if (m.lagging.length === 0) out.push(body(`截至${m.meta.asOfText}，所选范围内无进度滞后或超过完成时限的任务。`));
  else {
    out.push(body(`截至${m.meta.asOfText}，进度滞后任务${m.delayedCount}项，已超过完成时限未完成任务${m.overdueCount}项，具体如下：`));
    byTask(m.lagging).forEach((g, i) => {
      const text =
        m.meta.units.length > 1 ? g.map((l) => `${l.unit.name}（${laggingText(l)}）`).join('；') : laggingText(g[0]!);
      out.push(body(`${i + 1}. ${taskLead(g[0]!)}：${text}。`));
    });
  }
  out.push(h2('（二）存在的主要困难和问题'));
  if (m.problems.length === 0) out.push(body('所选范围内暂未填报存在问题。'));
  out.push(...textItemsByTask(m, m.problems));
  return out;
}

export function nextStepsSection(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('五、下一步工作打算')];
  if (m.nextSteps.length === 0) {
    out.push(body('所选范围内暂未填报下步计划。'));
    return out;
  }
  const tables = m.meta.tables.filter((t) => m.nextSteps.some((n) => n.table === t.number));
  tables.forEach((t, ti) => {
    out.push(h2(`（${toCnNumeral(ti + 1)}）${tableLabel(t.number)} ${t.title}`));
    out.push(...textItemsByTask(m, m.nextSteps.filter((n) => n.table === t.number)));
  });
  return out;
}

/**
 * The body between the title / 主送机关 and the 附件说明: the opening paragraph and 一 to 五.
 * `sections` is the author's draft (null: the sections laid out from the model as they are).
 */
export function bodyBlocks(m: ReportModel, sections: DraftSection[] | null, charts: ChartImage[]): (Paragraph | Table)[] {
  void sections;
  // The case annex's number in the annex list (ledger, matrix when there is one, cases).
  const caseNo = m.cases.length ? (m.matrix ? 3 : 2) : null;
  return [
    body(
      `按照《${m.meta.planTitle}》任务分工和工作要求，现将${m.meta.scopeName}服务业扩大开放综合试点任务推进情况报告如下（数据截至${m.meta.asOfText}）。`,
    ),
    ...overviewSection(m, charts),
    ...changesSection(m),
    ...practicesSection(m),
    ...casesSection(m, caseNo),
    ...problemsSection(m),
    ...nextStepsSection(m),
  ];
}
