/**
 * The task ledger (任务清单推进情况表) as an Excel workbook, with exceljs: the same 14 columns as the
 * Word ledger, a title row, the header row frozen and filtered, 完成状态 as a drop-down list of the
 * six statuses, wrapped text and column widths that fit Chinese text (a CJK character is about two
 * width units). Scope, as-of date and corpus hash go to a second sheet 「说明」, so that nothing
 * under the data disturbs sorting and filtering. Every string passes through `xmlSafe`.
 */
import ExcelJS from 'exceljs';
import { STATUSES, STATUS_LABELS } from '../../shared/domain';
import { LEDGER_COLUMNS, type LedgerKey, type ReportModel } from '../../shared/report/model';
import { xmlSafe } from '../../shared/report/sanitize';

/** Column widths in Excel units (≈ one Latin digit; a Chinese character ≈ 2). */
export const LEDGER_XLSX_WIDTHS: Record<LedgerKey, number> = {
  index: 6,
  taskId: 10,
  category: 18,
  taskText: 40,
  leadUnits: 14,
  partnerUnits: 14,
  unitName: 12,
  deadline: 15,
  progress: 50,
  results: 28,
  problems: 24,
  nextSteps: 24,
  status: 11,
  remarks: 20,
};

/** Header row number (the title is row 1). */
export const LEDGER_HEADER_ROW = 2;

const FONT = '宋体';
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const STYLE_LEFT: Partial<ExcelJS.Style> = {
  font: { name: FONT, size: 11 },
  alignment: { horizontal: 'left', vertical: 'top', wrapText: true },
  border: BORDER,
};
const STYLE_CENTRE: Partial<ExcelJS.Style> = { ...STYLE_LEFT, alignment: { horizontal: 'center', vertical: 'top', wrapText: true } };
const STYLE_BOLD: Partial<ExcelJS.Style> = { ...STYLE_CENTRE, font: { name: FONT, size: 11, bold: true } };

export async function renderLedgerXlsx(model: ReportModel): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pilot Desk';
  wb.title = xmlSafe(model.meta.title);
  wb.created = new Date(`${model.meta.signDate}T00:00:00+08:00`);

  const ws = wb.addWorksheet('任务清单推进情况表', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: LEDGER_HEADER_ROW, topLeftCell: `A${LEDGER_HEADER_ROW + 1}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${LEDGER_HEADER_ROW}:${LEDGER_HEADER_ROW}` },
  });
  const n = LEDGER_COLUMNS.length;
  ws.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: LEDGER_XLSX_WIDTHS[c.key] }));

  // Title row.
  const ledgerTitle = model.meta.kind === 'ledger' ? model.meta.title : `${model.meta.scopeName}服务业扩大开放综合试点任务清单推进情况表`;
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = xmlSafe(`${ledgerTitle}（数据截至${model.meta.asOfText}）`);
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  // Header row.
  const header = ws.getRow(LEDGER_HEADER_ROW);
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.label;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.border = BORDER;
  });
  header.height = 30;

  // Data rows.
  const centred = new Set<LedgerKey>(['index', 'taskId', 'unitName', 'deadline', 'status']);
  const statusList = `"${STATUSES.map((s) => STATUS_LABELS[s]).join(',')}"`;
  const statusCol = LEDGER_COLUMNS.findIndex((c) => c.key === 'status') + 1;
  model.ledger.forEach((r, ri) => {
    const row = ws.getRow(LEDGER_HEADER_ROW + 1 + ri);
    LEDGER_COLUMNS.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = c.key === 'index' ? Number(r.index) : xmlSafe(r[c.key]);
      cell.style = c.key === 'status' && r.statusCode === 'delayed' ? STYLE_BOLD : centred.has(c.key) ? STYLE_CENTRE : STYLE_LEFT;
    });
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

  // 说明 sheet: what the figures were computed from.
  const info = wb.addWorksheet('说明');
  info.columns = [{ width: 18 }, { width: 90 }];
  const rows: [string, string][] = [
    ['标题', model.meta.title],
    ['填报单位', model.meta.issuer || model.meta.scopeName],
    ['统计范围', model.meta.scopeText],
    ['数据截至', `${model.meta.asOfText}（按批注最后更新时间，北京时间当日24时前）`],
    ['批注条数', String(model.ledger.length)],
    ['语料哈希', model.meta.corpusHash],
    ['说明', model.meta.provenance],
  ];
  rows.forEach(([k, v], i) => {
    const row = info.getRow(i + 1);
    row.getCell(1).value = k;
    row.getCell(1).font = { name: FONT, size: 11, bold: true };
    row.getCell(2).value = xmlSafe(v);
    row.getCell(2).font = { name: FONT, size: 11 };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  });

  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
