/**
 * The body of a progress report, 一、总体推进情况 to 五、下一步工作打算: the draft's sections
 * (`model.sections`: the author's saved draft or the generated one) laid out with the blocks of
 * `docxBlocks.ts`. Numbering is computed here, never taken from the text: each section's heading
 * gets 一、二、… in order, a level-2 heading inside it （一）（二）…, a level-3 heading 1. 2. … (from 1
 * under each level-2 heading), and the computed tables and charts 表N and 图N in the order they
 * appear. A `figure` prints as its text; a `reportBlock` as the table or chart it names. The frame
 * around the body (title, 主送机关, 附件说明, 落款) and the package are `docx.ts`'s.
 */
import { AlignmentType, Paragraph, Table, TextRun } from 'docx';
import { STATUS_LABELS } from '../../shared/domain';
import type { RichDoc, RichMark, RichNode } from '../../shared/richtext';
import { REPORT_STATUS_ORDER, pct, type Figures, type FiguresRow, type ReportModel, type TaskRef } from '../../shared/report/model';
import type { DraftSection } from '../../shared/report/draft';
import { toCnNumeral } from '../../shared/cnNumeral';
import type { ChartImage } from './charts';
import {
  C,
  type CellText,
  SIZE,
  TEXT_WIDTH,
  body,
  caption,
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

/** Status counts by table (or unit), with a 合计 row when given, 仿宋 五号. */
export function figuresTable(first: string, rows: FiguresRow[], totals: Figures | null, label: (r: FiguresRow) => string): Paragraph {
  const firstW = 2364;
  const rest = Math.floor((TEXT_WIDTH - firstW) / 8);
  const total = totals ? [figuresCells('合计', totals).map((c, i) => (i === 0 ? { ...c, align: C, bold: true } : c))] : [];
  return gridTable({
    widths: [firstW + (TEXT_WIDTH - firstW - rest * 8), ...Array(8).fill(rest)],
    header: figuresHeader(first),
    rows: [...rows.map((r) => figuresCells(label(r), r)), ...total],
    size: SIZE.wu,
    line: 300,
    centreRows: true,
  });
}

export function taskLead(t: TaskRef): string {
  return `${t.taskId} ${t.shortTitle}`;
}

/** Plain text of inline nodes, a figure as its text. */
function inlineText(nodes: RichNode[] | undefined): string {
  return (nodes ?? []).map((n) => (n.type === 'text' ? (n.text ?? '') : n.type === 'figure' ? String(n.attrs?.text ?? '—') : n.type === 'hardBreak' ? '\n' : '')).join('');
}

/** Runs of a paragraph's inline nodes: text with its marks, a figure as its text, line breaks. */
function inlineRuns(nodes: RichNode[] | undefined): TextRun[] {
  const out: TextRun[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'figure') out.push(run(String(n.attrs?.text ?? '—')));
    else if (n.type === 'hardBreak') out.push(...runsWithBreaks('\n', {}));
    else if (n.type === 'text' && n.text) {
      const marks = new Set((n.marks ?? []).map((mk: RichMark) => mk.type));
      out.push(...runsWithBreaks(n.text, { bold: marks.has('bold'), italics: marks.has('italic'), underline: marks.has('underline'), strike: marks.has('strike') }));
    }
  }
  return out;
}

/** A doc with every figure replaced by a text node of its printed value (for the shared rich-text blocks). */
function figuresAsText(nodes: RichNode[]): RichNode[] {
  return nodes.map((n) =>
    n.type === 'figure' ? { type: 'text', text: String(n.attrs?.text ?? '—') } : n.content ? { ...n, content: figuresAsText(n.content) } : n,
  );
}

interface Counters {
  table: number;
  chart: number;
}

/** The computed table or chart a `reportBlock` names, numbered. */
function reportBlock(m: ReportModel, name: string, charts: ChartImage[], n: Counters): (Paragraph | Table)[] {
  const asOf = `截至${m.meta.asOfText}`;
  const city = m.meta.kind === 'city';
  switch (name) {
    case 'table.byTable': {
      n.table += 1;
      const what = m.basis.unit === 'tasks' ? `${city ? '全市口径，' : ''}按${m.basis.tasks}项任务计` : '按任务×单位计';
      return [
        tableCaption(`表${n.table}  各表任务推进情况（${what}，${asOf}）`),
        figuresTable('任务表', m.byTable, m.overall, (r) => `${r.key}\n${r.label.slice(r.key.length + 1)}`),
      ];
    }
    case 'table.byUnit': {
      n.table += 1;
      return [tableCaption(`表${n.table}  各单位任务推进情况（${asOf}）`), figuresTable('单位', m.byUnit, null, (r) => r.label)];
    }
    default: {
      if (!name.startsWith('chart.')) return [];
      const img = charts.find((c) => c.id === name.slice('chart.'.length));
      if (!img) return [];
      n.chart += 1;
      return chartParagraphs(img, n.chart);
    }
  }
}

/** One section's doc: headings numbered, paragraphs, lists and tables of rich text, report blocks. */
function sectionBlocks(m: ReportModel, doc: RichDoc, charts: ChartImage[], n: Counters): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  let h2n = 0;
  let h3n = 0;
  const merged = new Set<number>();
  doc.content.forEach((node, i) => {
    if (node.type === 'heading') {
      const text = inlineText(node.content).trim();
      if (!text) return;
      const level = Number(node.attrs?.level ?? 2);
      if (level <= 2) {
        h2n += 1;
        h3n = 0;
        out.push(h2(`（${toCnNumeral(h2n)}）${text}`));
      } else {
        h3n += 1;
        // 「1. 标题。」 and the paragraph after it make one paragraph, as offices write it.
        const next = doc.content[i + 1];
        if (next?.type === 'paragraph' && inlineRuns(next.content).length) {
          merged.add(i + 1);
          out.push(para([run(`${h3n}. ${text.replace(/[。.]$/u, '')}。`, { bold: true }), ...inlineRuns(next.content)]));
        } else out.push(h3(`${h3n}. ${text}`));
      }
    } else if (node.type === 'paragraph') {
      if (merged.has(i)) return;
      const runs = inlineRuns(node.content);
      if (!runs.length) return;
      // A lead-in that ends in a colon (主要举措：) stays with what follows it.
      out.push(para(runs, { keepNext: /[：:]\s*$/u.test(inlineText(node.content)) }));
    } else if (node.type === 'reportBlock') {
      out.push(...reportBlock(m, String(node.attrs?.block ?? ''), charts, n));
    } else {
      out.push(...richParagraphs({ type: 'doc', content: figuresAsText([node]) }, []));
    }
  });
  return out;
}

/**
 * The body between the title (and 主送机关) and the 附件说明: each section with its heading 一、…
 * (a section without a title, the opening paragraph, has none), its text, and its computed tables
 * and charts numbered 表N / 图N in order.
 */
export function bodyBlocks(m: ReportModel, sections: DraftSection[], charts: ChartImage[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const n: Counters = { table: 0, chart: 0 };
  let number = 0;
  for (const s of sections) {
    const blocks = sectionBlocks(m, s.doc, charts, n);
    if (s.title.trim()) {
      number += 1;
      out.push(h1(`${toCnNumeral(number)}、${s.title.trim()}`));
      if (!blocks.length) out.push(body('（无）'));
    }
    out.push(...blocks);
  }
  return out;
}

/** A caption under a block (used by the annexes). */
export function noteLine(text: string): Paragraph {
  return para([run(text, { size: SIZE.xiaosi })], { indent: false, align: AlignmentType.CENTER, line: 400, after: 120, keepNext: true });
}

export { caption };
