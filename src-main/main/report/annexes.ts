/**
 * The tables of the annexes: the task ledger (任务清单推进情况表, landscape, one row per task × unit)
 * and the city report's task × unit status matrix.
 */
import { Paragraph, Table } from 'docx';
import { toCnNumeral } from '../../shared/cnNumeral';
import { taskLead } from './body';
import { STATUS_LABELS, type Status } from '../../shared/domain';
import { LEDGER_COLUMNS, REPORT_STATUS_ORDER, type LedgerRow, type ReportModel } from '../../shared/report/model';
import {
  C,
  CELL_MARGIN,
  type CellText,
  FONTS,
  LANDSCAPE_TEXT_HEIGHT,
  LANDSCAPE_TEXT_WIDTH,
  SIZE,
  estimateLines,
  gridTable,
  twoByTwo,
  body,
  h1,
  h2,
  richParagraphs,
  run,
} from './docxBlocks';

/** Relative widths of the 14 ledger columns, scaled to the landscape 版心 (12756 twips). */
const LEDGER_WEIGHTS: Record<(typeof LEDGER_COLUMNS)[number]['key'], number> = {
  // After scaling (× 0.89) and less 114 twips of cell margins, in 五号 characters of 210 twips:
  index: 640, // 2.2: 序号
  // 3.1: T1-01 on one line even where Times New Roman falls back to DejaVu Serif (LibreOffice
  // without metric-compatible fonts, as on a plain Debian: T1-01 is ~600 twips there, ~510 in TNR).
  taskId: 860,
  category: 700,
  taskText: 1900, // 7.6
  leadUnits: 700,
  partnerUnits: 700,
  unitName: 660,
  deadline: 900, // 3.2: 2025年 / 6月30日
  progress: 2820, // 11.4: the longest text of a row gets the widest column
  results: 1250,
  problems: 900,
  nextSteps: 950,
  status: 700, // 2.4: 序时/推进
  remarks: 640,
};

export function ledgerWidths(total = LANDSCAPE_TEXT_WIDTH): number[] {
  const w = LEDGER_COLUMNS.map((c) => LEDGER_WEIGHTS[c.key]);
  const sum = w.reduce((a, b) => a + b, 0);
  const scaled = w.map((x) => Math.floor((x * total) / sum));
  scaled[scaled.length - 1]! += total - scaled.reduce((a, b) => a + b, 0);
  return scaled;
}

const LEDGER_SIZE = SIZE.wu;
const LEDGER_LINE = 290; // 14.5 pt for 10.5 pt text

/**
 * A four-character header (任务编号, 存在问题, 下步计划, 完成状态) in a column too narrow for it on
 * one line, broken two and two — as the figure tables do — instead of wherever the width runs out
 * (任务编 / 号).
 */
function headerLabel(label: string, width: number): string {
  const fits = Math.floor((width - CELL_MARGIN.left - CELL_MARGIN.right) / (LEDGER_SIZE * 10));
  return !label.includes('/') && fits < 4 ? twoByTwo(label) : label;
}

export function ledgerTable(rows: LedgerRow[]): Paragraph {
  const widths = ledgerWidths();
  const centred = new Set(['index', 'taskId', 'deadline', 'status', 'unitName']);
  // Rows are kept whole (cantSplit) unless taller than a page (less the repeated header row),
  // which cannot be kept whole at all. The first row may also split when it does not fit under
  // the attachment's headings: kept whole it would leave the headings alone on their page.
  const headerTwips = 1240;
  const headingsTwips = 1800;
  const maxLines = Math.floor((LANDSCAPE_TEXT_HEIGHT - headerTwips) / LEDGER_LINE);
  const firstMaxLines = Math.floor((LANDSCAPE_TEXT_HEIGHT - headerTwips - headingsTwips) / LEDGER_LINE);
  const tall = rows.map(
    (r, i) => Math.max(...LEDGER_COLUMNS.map((c, ci) => estimateLines(r[c.key], widths[ci]!, LEDGER_SIZE))) > (i === 0 ? firstMaxLines : maxLines),
  );
  return gridTable({
    widths,
    header: LEDGER_COLUMNS.map((c, ci) => ({ text: headerLabel(c.label, widths[ci]!), align: C, bold: true, font: FONTS.heiti })),
    rows: rows.map((r) => LEDGER_COLUMNS.map((c) => ({ text: r[c.key], align: centred.has(c.key) ? C : ('left' as const) }))),
    size: LEDGER_SIZE,
    line: LEDGER_LINE,
    splittable: (i) => tall[i] ?? false,
  });
}

/** Two-character forms of the statuses for the task × unit matrix (a legend is printed above it). */
export const MATRIX_ABBR: Record<Status, string> = {
  done: '完成',
  mostly_done: '基本',
  on_track: '序时',
  delayed: '滞后',
  not_started: '未启',
  not_applicable: '不涉',
};

export function matrixLegend(): string {
  return REPORT_STATUS_ORDER.map((s) => `${MATRIX_ABBR[s]}=${STATUS_LABELS[s]}`).join('，');
}

export function matrixTable(m: ReportModel): Paragraph {
  const mx = m.matrix!;
  const first = 3000;
  const per = Math.floor((LANDSCAPE_TEXT_WIDTH - first) / Math.max(1, mx.units.length));
  const widths = [LANDSCAPE_TEXT_WIDTH - per * mx.units.length, ...mx.units.map(() => per)];
  const cell = (s: Status | null): CellText => ({ text: s ? MATRIX_ABBR[s] : '—', align: C, bold: s === 'delayed' });
  return gridTable({
    widths,
    header: [{ text: '任务', align: C, bold: true, font: FONTS.heiti }, ...mx.units.map((u) => ({ text: u.name, align: C, bold: true, font: FONTS.heiti }))],
    rows: mx.rows.map((r) => [{ text: `${r.task.taskId} ${r.task.shortTitle}` }, ...r.cells.map(cell)]),
    size: SIZE.xiaowu,
    line: 250,
    centreRows: true,
  });
}

/** The case annex of a progress report (附件: 制度创新成果和最佳实践案例材料): each case's write-up, or its task's notes and results. */
export function caseAnnexBlocks(m: ReportModel): (Paragraph | Table)[] {
  const tail: (Paragraph | Table)[] = [];
  for (const c of m.cases) {
    const kinds = [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、');
    const cs = c.caseStudy;
    // With a write-up: its name and parts; else the task's notes and results.
    let part = 3; // the last numbered part so far: （三）
    if (cs) {
      tail.push(h1(`案例${toCnNumeral(c.index)}：${cs.name}`));
      tail.push(body(`报送单位：${c.unit.name}；对应任务：${taskLead(c)}；类别：${kinds}${cs.field ? `；所属领域：${cs.field}` : ''}；完成状态：${c.statusLabel}。`));
      // One paragraph a line: a justified line ending in a break would be spread out.
      const lines = (text: string) => {
        const ls = text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
        return (ls.length ? ls : ['暂无记载。']).map((l) => body(l));
      };
      tail.push(h2('（一）主要做法'), ...lines(cs.approach));
      tail.push(h2('（二）取得成效'), ...lines(cs.results));
      tail.push(h2('（三）复制推广价值'), ...lines(cs.replicability));
    } else {
      tail.push(h1(`案例${toCnNumeral(c.index)}：${taskLead(c)}`));
      tail.push(body(`报送单位：${c.unit.name}；类别：${kinds}；完成状态：${c.statusLabel}。`));
      tail.push(h2('（一）任务内容'));
      tail.push(body(c.taskText));
      tail.push(h2('（二）主要做法'));
      const notes = richParagraphs(c.notes, []);
      tail.push(...(notes.length ? notes : [body('暂无记载。')]));
      tail.push(h2('（三）取得成效'));
      tail.push(body(c.results || '暂无记载。'));
    }
    if (c.evidence.length) {
      tail.push(h2(`（${toCnNumeral(++part)}）佐证材料`));
      c.evidence.forEach((e, i) =>
        tail.push(body(`${i + 1}. ${e.title}${e.docNumber ? `（${e.docNumber}）` : ''}${e.dateText ? `，${e.dateText}` : ''}，${e.kindLabel}。`)),
      );
    }
    if (c.logs.length) {
      tail.push(h2(`（${toCnNumeral(part + 1)}）进展记录`));
      for (const l of c.logs) tail.push(...richParagraphs(l.body, [run(`${l.dateText}：`, { font: FONTS.kaiti })]));
    }
  }
  return tail;
}
