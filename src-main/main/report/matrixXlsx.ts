/**
 * The task × unit matrix (全市总览) as an Excel workbook: the screen's rows and cells (built by
 * `matrixTable` of shared/matrix.ts, in the screen's order), each status cell filled with a tint
 * of its status colour, the totals row at the foot, the task and city columns and the header
 * frozen. Printed A4 landscape, one page wide, header repeated, 「第 N 页 共 M 页」. The city rule
 * (`CITY_STATUS_RULE`) and the as-of date are in the 说明 sheet. Every string passes `xmlSafe`.
 */
import ExcelJS from 'exceljs';
import { STATUS_COLORS, type Status } from '../../shared/domain';
import type { MatrixTable } from '../../shared/matrix';
import { CITY_STATUS_RULE } from '../../shared/rules';
import { xmlSafe } from '../../shared/report/sanitize';
import { printedSheet, rowHeight } from './xlsx';

export const MATRIX_SHEET = '任务单位状态矩阵';
/** Row of the header (the title is row 1); data from the next row, the totals after the data. */
export const MATRIX_HEADER_ROW = 2;

const FONT = '宋体';
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** A status colour mixed with white: pale enough for black text on paper. */
export function statusTint(status: Status): string {
  const hex = STATUS_COLORS[status].replace('#', '');
  const mix = (i: number) =>
    Math.round(parseInt(hex.slice(i, i + 2), 16) * 0.3 + 255 * 0.7)
      .toString(16)
      .padStart(2, '0');
  return `FF${mix(0)}${mix(2)}${mix(4)}`.toUpperCase();
}

export async function renderMatrixXlsx(table: MatrixTable, meta: { title: string; asOfText: string; scopeText: string; corpusHash: string }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pilot Desk';
  wb.title = xmlSafe(meta.title);
  wb.keywords = xmlSafe(`语料哈希 ${meta.corpusHash}`);
  wb.description = xmlSafe(`${meta.scopeText}；数据截至${meta.asOfText}；任务清单版本（语料哈希）${meta.corpusHash}`);

  const n = table.header.length;
  const units = n - 3;
  const ws = wb.addWorksheet(MATRIX_SHEET, printedSheet(MATRIX_HEADER_ROW));
  // 任务 (id and short title), 全市状态, one narrow column per unit, the counts.
  const widths = [30, 10, ...Array.from({ length: units }, () => 9.5), 30];
  ws.columns = widths.map((width) => ({ width }));

  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = xmlSafe(`${meta.title}（数据截至${meta.asOfText}）`);
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  const header = ws.getRow(MATRIX_HEADER_ROW);
  table.header.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = xmlSafe(h);
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.border = BORDER;
  });
  header.height = rowHeight(table.header.map((h, i) => ({ text: h, width: widths[i]! })));

  const writeRow = (r: number, texts: string[], statuses?: { city: Status; cells: (Status | null)[] }) => {
    const row = ws.getRow(r);
    texts.forEach((text, i) => {
      const cell = row.getCell(i + 1);
      cell.value = xmlSafe(text);
      cell.font = { name: FONT, size: 11, bold: !statuses };
      cell.alignment = { horizontal: i === 0 || i === n - 1 ? 'left' : 'center', vertical: 'top', wrapText: true };
      cell.border = BORDER;
      const status = statuses ? (i === 1 ? statuses.city : i >= 2 && i < n - 1 ? statuses.cells[i - 2] : null) : null;
      if (status) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: statusTint(status) } };
    });
    row.height = rowHeight(texts.map((text, i) => ({ text, width: widths[i]! })));
  };
  table.rows.forEach((texts, i) => writeRow(MATRIX_HEADER_ROW + 1 + i, texts, table.statuses[i]));
  writeRow(MATRIX_HEADER_ROW + 1 + table.rows.length, table.totals);
  ws.autoFilter = { from: { row: MATRIX_HEADER_ROW, column: 1 }, to: { row: MATRIX_HEADER_ROW + table.rows.length, column: n } };

  const info = wb.addWorksheet('说明');
  info.columns = [{ width: 14 }, { width: 100 }];
  const rows: [string, string][] = [
    ['统计范围', meta.scopeText],
    ['数据截至', meta.asOfText],
    ['全市状态', CITY_STATUS_RULE],
    ['未填报', '单位未填报的任务显示为“—”，计数时按未启动计。'],
    ['合计', '每个单位：已实施（已完成、基本完成）任务数 / 适用（未标注不涉及）任务数；全市状态一列按全市状态统计计划任务。'],
  ];
  rows.forEach(([k, v], i) => {
    const row = info.getRow(i + 1);
    row.getCell(1).value = k;
    row.getCell(1).font = { name: FONT, size: 11, bold: true };
    row.getCell(2).value = xmlSafe(v);
    row.getCell(2).font = { name: FONT, size: 11 };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = rowHeight([{ text: v, width: 100 }]);
  });

  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
