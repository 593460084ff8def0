/**
 * The task ledger (任务清单推进情况表) as an Excel workbook an office can print, with exceljs: the
 * same 14 columns as the Word ledger, a title row with the traffic-light legend, the header row
 * frozen, filtered and repeated on every printed page, 序号 and 任务编号 frozen, 完成状态 as a
 * drop-down list of the six statuses filled with its traffic light, 完成时限 as a real date, and
 * rows tall enough for their wrapped text.
 *
 * Print: A4 landscape, one page wide (`fitToWidth: 1`, `fitToHeight: 0`), 「第 N 页 共 M 页」 in the
 * footer. The column widths are chosen so that fitting them to one page wide keeps the scale at
 * about 75 %, so 11 pt text prints at ≥ 8 pt (`ledgerPrintScale`). Scope and as-of date go to a
 * second sheet 「说明」 (nothing under the data disturbs sorting and filtering); the corpus hash and
 * the full provenance line go to the workbook's properties (keywords, description), where a
 * program can read them and a reader is not distracted. Every string passes through `xmlSafe`.
 */
import ExcelJS from 'exceljs';
import { STATUSES, STATUS_LABELS } from '../../shared/domain';
import { LEDGER_COLUMNS, type LedgerKey, type LedgerRow, type ReportModel } from '../../shared/report/model';
import { LIGHT_COLORS, LIGHTS, type Light } from '../../shared/rules';
import { xmlSafe } from '../../shared/report/sanitize';

/**
 * Column widths in Excel units (≈ one Latin digit of the default font; a Chinese character ≈ 2).
 * Their sum (185) is what A4 landscape holds at ~75 %: see `ledgerPrintScale`. (Never exactly 9:
 * exceljs leaves a column of width 9 out of the file, taking it for the default, and Excel then
 * draws it 8.43 wide.)
 */
export const LEDGER_XLSX_WIDTHS: Record<LedgerKey, number> = {
  index: 5,
  taskId: 8,
  category: 10,
  taskText: 23,
  leadUnits: 10,
  partnerUnits: 10,
  unitName: 9.5,
  deadline: 19,
  progress: 29,
  results: 15,
  problems: 13,
  nextSteps: 14,
  status: 9.5,
  remarks: 10,
};

/** Header row number (the title and legend are row 1). */
export const LEDGER_HEADER_ROW = 2;

/** Font size of the data (pt); printed at this × the fit-to-width scale. */
export const LEDGER_FONT_SIZE = 11;

/** Page margins in inches (Excel's unit). */
export const LEDGER_MARGINS = { left: 0.4, right: 0.4, top: 0.55, bottom: 0.6, header: 0.3, footer: 0.3 };

/** The footer of every printed page: 第 1 页 共 9 页. */
export const LEDGER_FOOTER = '&C第 &P 页 共 &N 页';

/** The Chinese date format of 完成时限. */
export const LEDGER_DATE_FORMAT = 'yyyy"年"m"月"d"日"';

/** What each light means, as the legend prints it. */
export const LIGHT_LEGEND: Record<Light, string> = {
  red: '红灯：进度滞后或已超期',
  yellow: '黄灯：30日内到期',
  green: '绿灯：按期推进或已实施',
  none: '未亮灯：未启动且未定时限',
};

/**
 * The fill of a light: its colour from `LIGHT_COLORS` mixed with white, light enough that black text
 * on it prints legibly on an office laser printer, distinct enough to tell apart.
 */
export function lightTint(light: Light): string {
  const hex = LIGHT_COLORS[light].replace('#', '');
  const keep = light === 'none' ? 0.35 : 0.28;
  const mix = (i: number) =>
    Math.round(parseInt(hex.slice(i, i + 2), 16) * keep + 255 * (1 - keep))
      .toString(16)
      .padStart(2, '0');
  return `FF${mix(0)}${mix(2)}${mix(4)}`.toUpperCase();
}

/** Width of a column in pixels at 96 dpi, as Excel draws it (default font: a digit is 7 px, plus 5 px padding). */
export function columnPixels(width: number): number {
  return Math.trunc(width * 7 + 5);
}

/**
 * The scale at which a sheet of these column widths prints one page wide on A4 landscape with
 * `LEDGER_MARGINS` (1 when it fits at full size).
 */
export function ledgerPrintScale(widths: readonly number[], margins: { left: number; right: number } = LEDGER_MARGINS): number {
  const printablePx = (297 / 25.4 - margins.left - margins.right) * 96;
  const totalPx = widths.reduce((s, w) => s + columnPixels(w), 0);
  return Math.min(1, printablePx / totalPx);
}

/** Width units of a text: a CJK (or other full-width) character is two, anything else one. */
export function textUnits(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u3000-\u303F]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 2 : 1;
  return n;
}

/** Lines a wrapped cell takes in a column of `width` units (each line break starts a line; ≥ 1). */
export function wrappedLines(text: string, width: number): number {
  // Less the cell's padding, and a little for a line broken before punctuation it may not start with.
  const usable = Math.max(1, width - 2);
  return text.split('\n').reduce((s, line) => s + Math.max(1, Math.ceil(textUnits(line) / usable)), 0);
}

/** Height of one line of 11 pt CJK text in points (Excel's 宋体 takes 14.25; LibreOffice's Noto CJK ~16). */
const LINE_PT = 16;
/** Excel's largest row height. */
const MAX_ROW_PT = 409;

/** The row height (pt) that shows every cell's wrapped text, for texts per column. */
export function rowHeight(cells: readonly { text: string; width: number }[], fontSize = LEDGER_FONT_SIZE): number {
  const lines = Math.max(1, ...cells.map((c) => wrappedLines(c.text, c.width * (LEDGER_FONT_SIZE / fontSize))));
  return Math.min(MAX_ROW_PT, Math.ceil(lines * LINE_PT * (fontSize / LEDGER_FONT_SIZE) + 4));
}

/** 2025年3月5日 (the ledger row's 完成时限) → the date at 00:00 UTC, as Excel stores a day; null for none. */
export function ledgerDate(text: string): Date | null {
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 ? d : null;
}

const FONT = '宋体';
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const STYLE_LEFT: Partial<ExcelJS.Style> = {
  font: { name: FONT, size: LEDGER_FONT_SIZE },
  alignment: { horizontal: 'left', vertical: 'top', wrapText: true },
  border: BORDER,
};
const STYLE_CENTRE: Partial<ExcelJS.Style> = { ...STYLE_LEFT, alignment: { horizontal: 'center', vertical: 'top', wrapText: true } };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb }, bgColor: { argb } });

function cellText(r: LedgerRow, key: LedgerKey): string {
  return xmlSafe(r[key]);
}

/**
 * A sheet that prints as the ledger does: the first two columns and the rows down to `headerRow`
 * frozen; A4 landscape, one page wide (as many pages down as it takes), the header row repeated on
 * every page, the page number in the footer. The ledger and the task × unit matrix both print so.
 */
export function printedSheet(headerRow: number): Partial<ExcelJS.AddWorksheetOptions> {
  return {
    views: [{ state: 'frozen', xSplit: 2, ySplit: headerRow, topLeftCell: `C${headerRow + 1}` }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: LEDGER_MARGINS,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: LEDGER_FOOTER, evenFooter: LEDGER_FOOTER, firstFooter: LEDGER_FOOTER },
  };
}

export async function renderLedgerXlsx(model: ReportModel): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pilot Desk';
  wb.title = xmlSafe(model.meta.title);
  wb.subject = xmlSafe(model.meta.scopeText);
  // Where the figures come from, for a program or a curious reader (File → Properties), not on paper.
  wb.keywords = xmlSafe(`语料哈希 ${model.meta.corpusHash}`);
  wb.description = xmlSafe(model.meta.provenance);
  wb.created = new Date(`${model.meta.signDate}T00:00:00+08:00`);

  const widths = LEDGER_COLUMNS.map((c) => LEDGER_XLSX_WIDTHS[c.key]);
  const ws = wb.addWorksheet('任务清单推进情况表', printedSheet(LEDGER_HEADER_ROW));
  const n = LEDGER_COLUMNS.length;
  ws.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: LEDGER_XLSX_WIDTHS[c.key] }));
  const colOf = (key: LedgerKey) => LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1;
  const statusCol = colOf('status');

  // Row 1: the title over the columns up to 推进情况, the light legend over the last ones.
  const ledgerTitle = model.meta.kind === 'ledger' ? model.meta.title : `${model.meta.scopeName}服务业扩大开放综合试点任务清单推进情况表`;
  const titleText = xmlSafe(`${ledgerTitle}（数据截至${model.meta.asOfText}）`);
  const legendFrom = colOf('results');
  ws.mergeCells(1, 1, 1, legendFrom - 1);
  const title = ws.getCell(1, 1);
  title.value = titleText;
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  const legendCaption = ws.getCell(1, legendFrom);
  legendCaption.value = '完成状态底色：';
  legendCaption.font = { name: FONT, size: 10 };
  legendCaption.alignment = { horizontal: 'right', vertical: 'middle', wrapText: true };
  const legendCells: { text: string; width: number }[] = [{ text: String(legendCaption.value), width: widths[legendFrom - 1]! }];
  LIGHTS.forEach((light, i) => {
    const cell = ws.getCell(1, legendFrom + 1 + i);
    cell.value = LIGHT_LEGEND[light];
    cell.font = { name: FONT, size: 10 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = fill(lightTint(light));
    cell.border = BORDER;
    legendCells.push({ text: LIGHT_LEGEND[light], width: widths[legendFrom + i]! });
  });
  const titleWidth = widths.slice(0, legendFrom - 1).reduce((s, w) => s + w, 0);
  ws.getRow(1).height = Math.max(rowHeight([{ text: titleText, width: titleWidth }], 16), rowHeight(legendCells, 10), 32);

  // Header row.
  const header = ws.getRow(LEDGER_HEADER_ROW);
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.label;
    cell.font = { name: FONT, size: LEDGER_FONT_SIZE, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = fill('FFF2F2F2');
    cell.border = BORDER;
  });
  header.height = Math.max(30, rowHeight(LEDGER_COLUMNS.map((c, i) => ({ text: c.label, width: widths[i]! }))));

  // Data rows.
  const centred = new Set<LedgerKey>(['index', 'taskId', 'unitName', 'deadline', 'status']);
  const statusList = `"${STATUSES.map((s) => STATUS_LABELS[s]).join(',')}"`;
  model.ledger.forEach((r, ri) => {
    const row = ws.getRow(LEDGER_HEADER_ROW + 1 + ri);
    const texts: { text: string; width: number }[] = [];
    LEDGER_COLUMNS.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const text = cellText(r, c.key);
      // A copy: exceljs shares a style object that is assigned, and a fill set later would then colour every cell.
      cell.style = { ...(centred.has(c.key) ? STYLE_CENTRE : STYLE_LEFT) };
      if (c.key === 'index') cell.value = Number(r.index);
      else if (c.key === 'deadline') {
        const date = ledgerDate(text);
        cell.value = date ?? (text || null);
        if (date) {
          cell.numFmt = LEDGER_DATE_FORMAT;
          // A date is one line: the column is wide enough for 2025年12月31日 (else Excel shows ###).
          cell.alignment = { horizontal: 'center', vertical: 'top', wrapText: false };
        }
      } else cell.value = text;
      if (c.key === 'status') {
        cell.fill = fill(lightTint(r.light));
        if (r.statusCode === 'delayed') cell.font = { name: FONT, size: LEDGER_FONT_SIZE, bold: true };
      }
      texts.push({ text, width: widths[i]! });
    });
    row.height = rowHeight(texts);
  });

  const last = LEDGER_HEADER_ROW + Math.max(1, model.ledger.length);
  // One validation for the whole column range. (Per-cell validations make exceljs 4.4 write
  // overlapping ranges — it sorts M10 before M3 — which Excel then "repairs".)
  const statusLetter = ws.getColumn(statusCol).letter;
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  validations.add(`${statusLetter}${LEDGER_HEADER_ROW + 1}:${statusLetter}${last}`, {
    type: 'list',
    allowBlank: false,
    formulae: [statusList],
    showErrorMessage: true,
    errorTitle: '完成状态',
    error: '请从列表中选择：未启动、序时推进、进度滞后、基本完成、已完成、不涉及',
  });
  ws.autoFilter = { from: { row: LEDGER_HEADER_ROW, column: 1 }, to: { row: last, column: n } };

  // 说明 sheet: what the figures were computed from, in words a reader needs (the hash is in the properties).
  const info = wb.addWorksheet('说明');
  info.columns = [{ width: 18 }, { width: 90 }];
  const rows: [string, string][] = [
    ['标题', model.meta.title],
    ['填报单位', model.meta.issuer || model.meta.scopeName],
    ['统计范围', model.meta.scopeText],
    ['数据截至', `${model.meta.asOfText}（按批注最后更新时间，北京时间当日24时前）`],
    ['批注条数', String(model.ledger.length)],
    ['完成状态底色', LIGHTS.map((l) => LIGHT_LEGEND[l]).join('；')],
  ];
  rows.forEach(([k, v], i) => {
    const row = info.getRow(i + 1);
    row.getCell(1).value = k;
    row.getCell(1).font = { name: FONT, size: 11, bold: true };
    row.getCell(2).value = xmlSafe(v);
    row.getCell(2).font = { name: FONT, size: 11 };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = rowHeight([{ text: xmlSafe(v), width: 90 }]);
  });

  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
