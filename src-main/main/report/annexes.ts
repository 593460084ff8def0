/**
 * The tables of the annexes: the task ledger (任务清单推进情况表, landscape, one row per task × unit)
 * and the city report's task × unit status matrix.
 */
import { AlignmentType, Paragraph, Table } from 'docx';
import { caseBlocks } from './cases';
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
  para,
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

/** The case annex of a progress report (制度创新成果和最佳实践案例材料): each case as `caseBlocks` lays it out. */
export function caseAnnexBlocks(m: ReportModel): (Paragraph | Table)[] {
  return m.cases.flatMap((c) => caseBlocks(c, c.index));
}

/** An annex of a report: its title exactly as the 附件说明 prints it, its orientation and its blocks (under the title). */
export interface ReportAnnex {
  title: string;
  landscape: boolean;
  blocks: () => (Paragraph | Table)[];
}

/** The annexes of a progress report, in order: the ledger, the city's matrix, the case write-ups. */
export function reportAnnexes(m: ReportModel): ReportAnnex[] {
  const out: ReportAnnex[] = [
    {
      title: `${m.meta.scopeName}服务业扩大开放综合试点任务清单推进情况表`,
      landscape: true,
      blocks: () => [
        para([run(`数据截至${m.meta.asOfText}`, { size: SIZE.xiaosi })], { indent: false, align: AlignmentType.CENTER, line: 400, after: 120, keepNext: true }),
        ledgerTable(m.ledger),
      ],
    },
  ];
  if (m.matrix) {
    out.push({
      title: '试点任务分单位完成状态表',
      landscape: true,
      blocks: () => [
        para([run(`数据截至${m.meta.asOfText}。${matrixLegend()}；“—”表示未填报或不在统计范围内。`, { size: SIZE.xiaosi })], {
          indent: false,
          align: AlignmentType.CENTER,
          line: 400,
          after: 120,
          keepNext: true,
        }),
        matrixTable(m),
      ],
    });
  }
  if (m.cases.length) out.push({ title: '制度创新成果和最佳实践案例材料', landscape: false, blocks: () => caseAnnexBlocks(m) });
  return out;
}
