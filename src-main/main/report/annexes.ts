/**
 * The annexes of a progress report (`reportAnnexes`, in the order and with the titles the 附件说明
 * prints) and their tables: the compact task ledger of a district report (one row per task: few
 * columns, 推进情况 shortened at a sentence), the city report's task summary (one row per task of the
 * plan, with its city-level status and the units behind it) and task × unit status matrix, the full
 * list of 本期变化情况, and the case annex. The full ledger (every field of every task × unit) is the
 * ledger report and the Excel workbook.
 */
import { Paragraph, Table } from 'docx';
import { caseBlocks } from './cases';
import { noteLine, taskLead } from './body';
import { STATUS_LABELS, type Status } from '../../shared/domain';
import { LEDGER_COLUMNS, REPORT_STATUS_ORDER, type LedgerRow, type ReportModel } from '../../shared/report/model';
import { annexList, selectedCases, type AnnexKey } from '../../shared/report/generate';
import { shortenAtSentence } from '../../shared/report/format';
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
  const cols = mx.units.length + 1;
  const per = Math.floor((LANDSCAPE_TEXT_WIDTH - first) / Math.max(1, cols));
  const widths = [LANDSCAPE_TEXT_WIDTH - per * cols, per, ...mx.units.map(() => per)];
  const cell = (s: Status | null): CellText => ({ text: s ? MATRIX_ABBR[s] : '—', align: C, bold: s === 'delayed' });
  return gridTable({
    widths,
    header: [
      { text: '任务', align: C, bold: true, font: FONTS.heiti },
      { text: '全市', align: C, bold: true, font: FONTS.heiti },
      ...mx.units.map((u) => ({ text: u.name, align: C, bold: true, font: FONTS.heiti })),
    ],
    rows: mx.rows.map((r) => [{ text: `${r.task.taskId} ${r.task.shortTitle}` }, { ...cell(r.city), bold: true }, ...r.cells.map(cell)]),
    size: SIZE.xiaowu,
    line: 250,
    centreRows: true,
  });
}

/** The case annex of a progress report (制度创新成果和最佳实践案例材料): each case as `caseBlocks` lays it out. */
export function caseAnnexBlocks(m: ReportModel): (Paragraph | Table)[] {
  return m.cases.flatMap((c) => caseBlocks(c, c.index));
}

// ---------------------------------------------------------------------------------------------
// Compact tables of the progress reports' annexes

/** A compact table in the landscape 版心, widths in relative weights. */
function compactTable(weights: number[], header: string[], rows: CellText[][]): Paragraph {
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((w * LANDSCAPE_TEXT_WIDTH) / sum));
  widths[widths.length - 1]! += LANDSCAPE_TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  return gridTable({
    widths,
    header: header.map((text) => ({ text, align: C, bold: true, font: FONTS.heiti })),
    rows,
    size: LEDGER_SIZE,
    line: LEDGER_LINE,
  });
}

/** 推进情况 in the compact ledger: whole sentences (or clauses) up to this many characters. */
export const COMPACT_PROGRESS_CHARS = 60;

/**
 * 推进情况 shortened for the compact ledger: without a lead-in the table already says (总体进展。,
 * 截至2025年3月，, …围绕“task”任务，), then whole sentences up to `COMPACT_PROGRESS_CHARS`.
 */
export function progressSummary(text: string): string {
  const t = text
    .replace(/^\s*总体进展[。：:]\s*/u, '')
    .replace(/^截至[^，。]{0,20}，/u, '')
    .replace(/^[^，。]{0,12}围绕“[^”]*”(?:任务)?，/u, '');
  return shortenAtSentence(t.replace(/\n+/g, ''), COMPACT_PROGRESS_CHARS);
}

/** The compact ledger of a district report: one row per annotated task, the longer texts shortened at a sentence. */
export function compactLedgerTable(m: ReportModel): Paragraph {
  const rows = m.ledger.map((r): CellText[] => [
    { text: r.index, align: C },
    { text: r.taskId, align: C },
    { text: r.shortTitle },
    { text: r.leadUnits },
    { text: r.deadline, align: C },
    { text: r.status, align: C },
    { text: progressSummary(r.progress) },
    { text: r.remarks },
  ]);
  return compactTable([560, 900, 2300, 1300, 1560, 1000, 3700, 1400], ['序号', '任务编号', '试点任务', '牵头单位', '完成时限', '完成状态', '推进情况（摘要）', '备注'], rows);
}


/** The city report's task summary: every task of the plan with its city-level status and the units behind it. */
export function taskSummaryTable(m: ReportModel): Paragraph {
  const rows = m.cityTasks.map((t, i): CellText[] => [
    { text: String(i + 1), align: C },
    { text: t.taskId, align: C },
    { text: t.shortTitle },
    { text: t.statusLabel, align: C, bold: t.status === 'delayed' },
    { text: t.source === 'city' ? '市级部门' : '各区汇总', align: C },
    { text: t.applicableUnits ? `${t.implementedUnits}/${t.applicableUnits}` : '—', align: C },
    { text: t.laggingUnits.length ? t.laggingUnits.map((u) => u.name).join('、') : '' },
  ]);
  return compactTable([600, 820, 3600, 1000, 1100, 1200, 4400], ['序号', '任务编号', '试点任务', '全市状态', '状态依据', '已实施单位/涉及单位', '进度滞后或超期的单位'], rows);
}

/** Every status move since the snapshot (本期变化情况 in full). */
export function changesTable(m: ReportModel): Paragraph {
  const c = m.changes!;
  const multi = m.meta.units.length > 1;
  const rows = c.statusMoves.map((r, i): CellText[] => [
    { text: String(i + 1), align: C },
    { text: r.taskId, align: C },
    { text: r.shortTitle },
    ...(multi ? [{ text: r.unitName, align: C }] : []),
    { text: r.from ?? '未填报', align: C },
    { text: r.to ?? '', align: C },
  ]);
  return compactTable(multi ? [700, 1000, 5200, 1600, 1400, 1400] : [700, 1000, 6800, 1400, 1400], ['序号', '任务编号', '试点任务', ...(multi ? ['单位'] : []), '原状态', '现状态'], rows);
}

/** The city report's list of every case (the selected ones follow in full). */
export function caseListTable(m: ReportModel): Paragraph {
  const rows = m.cases.map((c, i): CellText[] => [
    { text: String(i + 1), align: C },
    { text: c.caseStudy?.name || taskLead(c) },
    { text: c.taskId, align: C },
    { text: c.unit.name, align: C },
    { text: [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、'), align: C },
    { text: c.statusLabel, align: C },
  ]);
  return compactTable([600, 5600, 900, 1300, 2400, 1000], ['序号', '案例名称', '任务编号', '报送单位', '类别', '完成状态'], rows);
}

export interface ReportAnnex {
  /** The title exactly as the 附件说明 prints it. */
  title: string;
  landscape: boolean;
  blocks: () => (Paragraph | Table)[];
}

/** The annexes of a district or city report, in order (none for the ledger report). */
export function reportAnnexes(m: ReportModel): ReportAnnex[] {
  if (m.meta.kind === 'ledger') return [];
  const asOf = `数据截至${m.meta.asOfText}。`;
  const of: Record<AnnexKey, () => Omit<ReportAnnex, 'title'>> = {
    ledger: () => ({
      landscape: true,
      blocks: () => [noteLine(`${asOf}按已填报的任务逐项列示；推进情况为摘要，全文见任务清单推进情况表（电子台账）。`), compactLedgerTable(m)],
    }),
    taskSummary: () => ({
      landscape: true,
      blocks: () => [noteLine(`${asOf}全市状态按文末说明的规则确定；各单位逐项填报内容见任务清单推进情况表（电子台账）。`), taskSummaryTable(m)],
    }),
    matrix: () => ({
      landscape: true,
      blocks: () => [noteLine(`${asOf}${matrixLegend()}；“—”表示未填报或不在统计范围内。`), matrixTable(m)],
    }),
    changes: () => ({
      landscape: true,
      blocks: () => [noteLine(`${m.changes!.baselineText.replace(/（.*）$/u, '')}至${m.meta.asOfText}。`), changesTable(m)],
    }),
    cases: () => ({
      landscape: false,
      blocks: () => {
        if (m.meta.kind !== 'city') return caseAnnexBlocks(m);
        const chosen = selectedCases(m).map((c, i) => ({ ...c, index: i + 1 }));
        return [
          noteLine(`${asOf}共${m.cases.length}项，清单如下；其后为其中${chosen.length}项的案例材料，全部案例见《典型案例汇编》。`),
          caseListTable(m),
          ...caseAnnexBlocks({ ...m, cases: chosen }),
        ];
      },
    }),
  };
  return annexList(m).map((a) => ({ title: a.title, ...of[a.key]() }));
}
