/**
 * The task × unit matrix a supervisor reads and exports: per-task counts, per-unit totals, the
 * city status of each task by the one rule (`cityTaskStatus`), sorting, and an Excel file with
 * exactly the rows the screen shows; a bad export request writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createHandlers } from '../../src-main/main/handlers';
import { renderMatrixXlsx, MATRIX_HEADER_ROW, MATRIX_SHEET, statusTint } from '../../src-main/main/report/matrixXlsx';
import { createBackupStore } from '../../src-main/main/services/backups';
import { DEFAULT_UNITS, type Status } from '../../src-main/shared/domain';
import type { Handlers } from '../../src-main/shared/ipc-contract';
import { MATRIX_WORDS_ZH, matrixTable, sortMatrixRows, statusMatrix, type MatrixAnnotation, type MatrixUnit } from '../../src-main/shared/matrix';
import { cityTaskStatus, CITY_STATUS_RULE } from '../../src-main/shared/rules';
import { ok } from '../../src-main/shared/result';
import { testCorpus } from '../support/corpus';

const corpus = testCorpus();
const AS_OF = '2025-06-30';
const X: MatrixUnit = { code: '320102', name: '玄武区', kind: 'district' };
const Q: MatrixUnit = { code: '320104', name: '秦淮区', kind: 'district' };
const C: MatrixUnit = { code: 'SJBM', name: '市级部门', kind: 'city' };
const a = (taskId: string, unit: MatrixUnit, status: Status, deadline: string | null = null): MatrixAnnotation => ({ taskId, unitCode: unit.code, status, deadline });

const annotations: MatrixAnnotation[] = [
  a('T1-01', X, 'done'),
  a('T1-01', Q, 'done'),
  a('T1-02', X, 'done'),
  a('T1-02', Q, 'on_track', '2025-01-31'), // past its deadline unfinished: the city status is 进度滞后
  a('T1-03', X, 'delayed'),
  a('T1-03', C, 'mostly_done'), // the city departments' own record decides
  a('T1-04', X, 'not_applicable'),
  a('T1-04', Q, 'not_applicable'),
];
const units = [X, Q, C];

describe('statusMatrix', () => {
  const data = statusMatrix({ tasks: corpus.tasks, units, annotations, asOf: AS_OF });
  const row = (id: string) => data.rows.find((r) => r.taskId === id)!;

  it('has one row per task of the plan, with each unit’s status or none, and its short title and text', () => {
    expect(data.rows).toHaveLength(corpus.tasks.length);
    expect(row('T1-01').cells).toEqual(['done', 'done', null]);
    expect(row('T1-01').text).toBe(corpus.tasks[0]!.text);
    expect(row('T1-01').shortTitle.length).toBeGreaterThan(0);
    expect(row('T1-01').shortTitle.length).toBeLessThan(row('T1-01').text.length);
  });

  it('counts units per status, an unannotated one as 未启动', () => {
    expect(row('T1-01').counts).toMatchObject({ done: 2, not_started: 1 });
    expect(row('T1-03').counts).toMatchObject({ delayed: 1, mostly_done: 1, not_started: 1 });
    expect(row('T2-01').counts.not_started).toBe(3);
  });

  it('takes the city status from cityTaskStatus: the 市级部门’s own record, else derived from the districts', () => {
    expect(row('T1-01').city).toMatchObject({ status: 'done', source: 'derived' });
    expect(row('T1-02').city).toMatchObject({ status: 'delayed', source: 'derived' });
    expect(row('T1-03').city).toMatchObject({ status: 'mostly_done', source: 'city' });
    expect(row('T1-04').city.status).toBe('not_applicable');
    expect(row('T2-01').city.status).toBe('not_started');
    for (const r of data.rows) {
      const records = units.map((u) => ({ unitKind: u.kind, annotation: annotations.find((x) => x.taskId === r.taskId && x.unitCode === u.code) ?? null }));
      expect(r.city, r.taskId).toEqual(cityTaskStatus(records, AS_OF));
    }
    expect(Object.values(data.cityCounts).reduce((s, n) => s + n, 0)).toBe(corpus.tasks.length);
  });

  it('totals each unit: implemented over applicable', () => {
    const n = corpus.tasks.length;
    expect(data.totals).toEqual([
      { unitCode: X.code, implemented: 2, applicable: n - 1 },
      { unitCode: Q.code, implemented: 1, applicable: n - 1 },
      { unitCode: C.code, implemented: 1, applicable: n },
    ]);
  });

  it('sorts by task, by city status, by a unit’s column; ties keep plan order, empty cells last', () => {
    const ids = (key: 'task' | 'city' | `unit:${string}`, dir: 'asc' | 'desc' = 'asc') => sortMatrixRows(data, { key, dir }).map((r) => r.taskId);
    expect(ids('task')).toEqual(corpus.tasks.map((t) => t.id));
    expect(ids('task', 'desc')).toEqual(corpus.tasks.map((t) => t.id).reverse());
    const byCity = ids('city');
    // 未启动 (all the others) first, then 进度滞后, 基本完成, 已完成, 不涉及.
    expect(byCity.slice(-4)).toEqual(['T1-02', 'T1-03', 'T1-01', 'T1-04']);
    expect(byCity[0]).toBe('T1-05');
    expect(ids('city', 'desc').slice(0, 4)).toEqual(['T1-04', 'T1-01', 'T1-03', 'T1-02']);
    const byX = ids(`unit:${X.code}`);
    expect(byX.slice(0, 4)).toEqual(['T1-03', 'T1-01', 'T1-02', 'T1-04']);
    expect(byX[4]).toBe('T1-05');
    expect(ids('unit:NOPE')).toEqual(corpus.tasks.map((t) => t.id));
  });

  it('writes the sorted rows as text: header, cells, counts and totals', () => {
    const table = matrixTable(data, { key: `unit:${X.code}`, dir: 'asc' }, MATRIX_WORDS_ZH);
    expect(table.header).toEqual(['任务', '全市状态', '玄武区', '秦淮区', '市级部门', '各状态单位数']);
    expect(table.rows[0]!.slice(1)).toEqual(['基本完成', '进度滞后', '—', '基本完成', '未启动1 · 进度滞后1 · 基本完成1']);
    expect(table.rows[0]![0]).toMatch(/^T1-03 /);
    expect(table.totals.slice(2, 5)).toEqual([`2 / ${corpus.tasks.length - 1}`, `1 / ${corpus.tasks.length - 1}`, `1 / ${corpus.tasks.length}`]);
    // The city column's total counts the plan's tasks by their city status: 已完成 T1-01, 基本完成 T1-03.
    expect(table.totals[1]).toBe(`2 / ${corpus.tasks.length - 1}`);
  });
});

describe('the matrix as an Excel workbook', () => {
  let dir: string;
  let handlers: Handlers;
  let nextSavePath: string | null = null;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    handlers = createHandlers({
      corpus: () => ok(corpus),
      info: { name: 'PilotDesk', version: '0', shell: 'harness', platform: 'linux' },
      dialogs: { showOpen: async () => null, showOpenMany: async () => null, showSave: async () => nextSavePath },
      openPath: async () => '',
      showInFolder: () => {},
      storageOrigin: async (o) => o,
      backups: createBackupStore(join(dir, 'backups')),
      quitReady: () => {},
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the screen’s cells in the screen’s order, status cells tinted, printable, with the city rule', async () => {
    const sort = { key: 'city' as const, dir: 'desc' as const };
    const table = matrixTable(statusMatrix({ tasks: corpus.tasks, units, annotations, asOf: AS_OF }), sort, MATRIX_WORDS_ZH);
    nextSavePath = join(dir, '总览.xlsx');
    const r = await handlers['matrix:export']({ units, annotations, asOf: AS_OF, sort, defaultName: '总览.xlsx' });
    expect(r).toEqual({ ok: true, value: { canceled: false, path: nextSavePath } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(nextSavePath) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet(MATRIX_SHEET)!;
    const text = (r: number) => (ws.getRow(r).values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    expect(text(MATRIX_HEADER_ROW)).toEqual(table.header);
    table.rows.forEach((cells, i) => expect(text(MATRIX_HEADER_ROW + 1 + i), cells[0]).toEqual(cells));
    expect(text(MATRIX_HEADER_ROW + 1 + table.rows.length)).toEqual(table.totals);
    const first = ws.getRow(MATRIX_HEADER_ROW + 1);
    expect((first.getCell(2).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(statusTint(table.statuses[0]!.city));
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${MATRIX_HEADER_ROW}:${MATRIX_HEADER_ROW}` });
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页 共 &N 页');
    const info = (wb.getWorksheet('说明')!.getSheetValues() as unknown[][]).flat().map(String);
    expect(info).toContain(CITY_STATUS_RULE);
    expect(wb.keywords).toContain(corpus.hash);
  });

  it('writes nothing for a request the app never makes, with a Chinese message', async () => {
    nextSavePath = join(dir, 'bad.xlsx');
    const bad = await handlers['matrix:export']({ units: [{ ...X, kind: 'evil' as never }], annotations, asOf: AS_OF, sort: { key: 'task', dir: 'asc' }, defaultName: 'bad.xlsx' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toBe('请求参数无效，已拒绝。');
    expect(existsSync(nextSavePath)).toBe(false);
    const canceled = await (async () => {
      nextSavePath = null;
      return handlers['matrix:export']({ units, annotations, asOf: AS_OF, sort: { key: 'task', dir: 'asc' }, defaultName: 'x.xlsx' });
    })();
    expect(canceled).toEqual({ ok: true, value: { canceled: true } });
  });

  it('renders every default unit as a column', async () => {
    const all = DEFAULT_UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind }));
    const table = matrixTable(statusMatrix({ tasks: corpus.tasks, units: all, annotations: [], asOf: AS_OF }), { key: 'task', dir: 'asc' }, MATRIX_WORDS_ZH);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderMatrixXlsx(table, { title: 't', asOfText: 'x', scopeText: 's', corpusHash: 'h' })) as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet(MATRIX_SHEET)!.getRow(MATRIX_HEADER_ROW).cellCount).toBe(DEFAULT_UNITS.length + 3);
  });
});
