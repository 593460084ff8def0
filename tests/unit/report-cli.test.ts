/** `report` and `ledger` on the command line, from bundles written by the app's own bundle code. */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runCli } from '../../src-main/cli/run';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { EMPTY_SCOPE_MESSAGE } from '../../src-main/shared/report/model';
import { corpus, unzipText, xmlError } from './report-fixtures';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let dir: string;
let one: string;
let three: string;

beforeAll(() => {
  const c = corpus();
  dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
  one = join(dir, 'xuanwu.pilotbundle');
  three = join(dir, 'three.pilotbundle');
  writeFileSync(one, writeBundle(makeDemoData({ units: 1, seed: 3, corpus: c, revisionsPerAnnotation: 1, logEntriesPerAnnotation: 1 })));
  writeFileSync(three, writeBundle(makeDemoData({ units: 3, seed: 5, corpus: c, revisionsPerAnnotation: 1, logEntriesPerAnnotation: 1 })));
}, 60_000);

describe('cli report / ledger', () => {
  it('writes a district report from a bundle, with default title and issuer', async () => {
    const out = join(dir, 'district.docx');
    const r = await run(['report', '--kind', 'district', '--bundle', one, '--as-of', '2025-06-30', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/已生成.*批注 104 条/);
    const parts = unzipText(new Uint8Array(readFileSync(out)));
    expect(xmlError(parts['word/document.xml']!)).toBeNull();
    expect(parts['word/document.xml']).toContain('玄武区服务业扩大开放综合试点推进情况报告');
    expect(parts['word/document.xml']).toContain('玄武区人民政府');
    expect(parts['word/document.xml']).toContain('2025年6月30日');
  }, 60_000);

  it('writes a city report across units and a ledger .docx for one unit', async () => {
    const city = join(dir, 'city.docx');
    const r = await run(['report', '--kind', 'city', '--bundle', three, '--as-of', '2025-06-30', '--sign-date', '2025-07-02', '--title', '全市汇总', '--out', city]);
    expect(r.code).toBe(0);
    const xml = unzipText(new Uint8Array(readFileSync(city)))['word/document.xml']!;
    expect(xml).toContain('全市汇总');
    expect(xml).toContain('南京市商务局');
    expect(xml).toContain('2025年7月2日');
    expect(xml).toContain('试点任务分单位完成状态表');
    const led = join(dir, 'ledger.docx');
    expect((await run(['report', '--kind', 'ledger', '--bundle', three, '--unit', '320104', '--as-of', '2025-06-30', '--out', led])).code).toBe(0);
    expect(unzipText(new Uint8Array(readFileSync(led)))['word/document.xml']).toContain('w:orient="landscape"');
  }, 90_000);

  it('writes the Excel ledger from several bundles combined', async () => {
    const out = join(dir, 'ledger.xlsx');
    const r = await run(['ledger', '--bundle', one, '--bundle', three, '--as-of', '2025-06-30', '--out', out]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('任务清单推进情况表')!;
    expect(ws.getRow(2).getCell(1).value).toBe('序号');
    // 3 units × 104 tasks; 玄武区 is in both bundles and counted once.
    expect(ws.rowCount).toBe(2 + 3 * 104);
  }, 60_000);

  it('reports bad data with exit 1 and a Chinese message, writing nothing', async () => {
    const bad = join(dir, 'bad.pilotbundle');
    writeFileSync(bad, 'not a zip');
    const out = join(dir, 'never.docx');
    const r = await run(['report', '--kind', 'city', '--bundle', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/批注包「bad.pilotbundle」无法使用/);
    const empty = await run(['report', '--kind', 'city', '--bundle', one, '--as-of', '2020-01-01', '--out', out]);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain(EMPTY_SCOPE_MESSAGE);
    const which = await run(['report', '--kind', 'district', '--bundle', three, '--out', out]);
    expect(which.code).toBe(1);
    expect(which.err).toMatch(/--unit/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('treats bad arguments as usage errors (exit 2)', async () => {
    expect((await run(['report', '--kind', 'weekly', '--bundle', one, '--out', 'x.docx'])).code).toBe(2);
    expect((await run(['report', '--kind', 'city', '--bundle', one])).code).toBe(2);
    expect((await run(['report', '--kind', 'city', '--bundle', one, '--out', 'x.pdf'])).code).toBe(2);
    expect((await run(['ledger', '--bundle', one, '--out', 'x.docx'])).code).toBe(2);
    expect((await run(['report', '--kind', 'city', '--bundle', one, '--as-of', '2025-13-01', '--out', 'x.docx'])).code).toBe(2);
    expect((await run(['report', '--kind', 'city', '--frobnicate'])).code).toBe(2);
    expect((await run(['help'])).out).toContain('report --kind district|city|ledger');
  });
});
