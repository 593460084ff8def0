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
import { freezeSnapshot, type Period } from '../../src-main/shared/snapshot/model';
import type { Status } from '../../src-main/shared/domain';
import { corpus, unzipText, xmlError } from './report-fixtures';
import { divergentBundles } from './bundle-fixtures';

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

  it('combines bundles by revision ancestry, keeps the first-given side of a conflict and says so', async () => {
    const { district, supervisor, keys } = divergentBundles(corpus());
    const d = join(dir, 'district-edits.pilotbundle');
    const s = join(dir, 'supervisor-edits.pilotbundle');
    writeFileSync(d, writeBundle(district));
    writeFileSync(s, writeBundle(supervisor));
    const out = join(dir, 'combined-ledger.xlsx');
    const r = await run(['ledger', '--bundle', d, '--bundle', s, '--as-of', '2025-06-30', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const taskId = keys.bothChanged.split('|')[0]!;
    expect(r.out).toContain('注意：1 条批注在不同批注包中被分别修改了同一字段（共 1 处），已按批注包的给出顺序保留先给出的内容：');
    expect(r.out).toContain(`「supervisor-edits.pilotbundle」 ${taskId}（玄武区）存在问题：保留先读入的内容`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ExcelJS.Buffer);
    const cells = (wb.getWorksheet('任务清单推进情况表')!.getSheetValues() as unknown[][]).flat().map(String);
    // The district's 存在问题 and 下步计划 (merged with the supervisor's later status), not the
    // supervisor's newer copy of either annotation.
    expect(cells.some((c) => c.includes('区里记录的问题'))).toBe(true);
    expect(cells.some((c) => c.includes('市里记录的问题'))).toBe(false);
    expect(cells.some((c) => c.includes('区里的下步计划'))).toBe(true);
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

describe('cli report: the 公文 form flags', () => {
  it('prints each element given on the command line (版头 with 签发人, 主送机关, 附注, 版记)', async () => {
    const out = join(dir, 'form.docx');
    const r = await run([
      'report', '--kind', 'district', '--bundle', one, '--as-of', '2025-06-30', '--out', out,
      '--recipients', '市商务局', '--org-mark', '南京市玄武区人民政府文件', '--doc-number', '玄政发[2025]12号', '--signer', '张三',
      '--seal', '--note', '联系人：李四，电话：025-12345678', '--copy-to', '市发展改革委，市财政局', '--printer', '玄武区商务局', '--print-date', '2025-07-01',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const xml = unzipText(new Uint8Array(readFileSync(out)))['word/document.xml']!;
    for (const t of ['市商务局：', '南京市玄武区人民政府文件', '玄政发〔2025〕12号', '签发人：', '张三', '（联系人：李四，电话：025-12345678）', '抄送：市发展改革委，市财政局。', '玄武区商务局', '2025年7月1日印发']) {
      expect(xml, t).toContain(t);
    }
  }, 60_000);

  it('refuses a malformed element with a Chinese usage error and writes nothing', async () => {
    const out = join(dir, 'bad-form.docx');
    const base = ['report', '--kind', 'district', '--bundle', one, '--out', out];
    const bad = await run([...base, '--doc-number', '玄政发2025年第012号']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('不是发文字号');
    const date = await run([...base, '--print-date', '2025-02-30']);
    expect(date.code).toBe(2);
    expect(date.err).toContain('印发日期「2025-02-30」无效');
    const signer = await run([...base, '--signer', '张三']);
    expect(signer.code).toBe(2);
    expect(signer.err).toContain('有签发人时须同时给出发文字号');
    const ledger = await run(['report', '--kind', 'ledger', '--bundle', one, '--unit', '320102', '--recipients', '市商务局', '--out', out]);
    expect(ledger.code).toBe(2);
    expect(ledger.err).toContain('只用于区级报告和全市报告');
    expect(existsSync(out)).toBe(false);
  });
});

describe('cli report --since (本期变化情况)', () => {
  let withSnapshot: string;
  let snapshotId: string;
  let moved: string[];

  beforeAll(() => {
    const c = corpus();
    const demo = makeDemoData({ units: 1, seed: 3, corpus: c, revisionsPerAnnotation: 1, logEntriesPerAnnotation: 1 });
    // The snapshot says: three tasks now 已完成 were 序时推进 then, one now 进度滞后 was 序时推进.
    // Everything else is as it is now: so exactly 4 moves, 3 newly implemented, 1 newly delayed.
    const pick = (status: Status, n: number) => demo.annotations.filter((a) => a.status === status).slice(0, n);
    const changed = [...pick('done', 3), ...pick('delayed', 1)];
    expect(changed).toHaveLength(4);
    moved = changed.map((a) => a.taskId);
    const then = demo.annotations.map((a) => (moved.includes(a.taskId) ? { ...a, status: 'on_track' as const } : a));
    const period: Period = { id: 'period-2024', name: '2024年度', kind: 'annual', start: '2024-01-01', end: '2024-12-31', createdAt: '2024-12-30T01:00:00.000Z', updatedAt: '2024-12-30T01:00:00.000Z' };
    const snapshot = freezeSnapshot(
      { annotations: then, evidence: demo.evidence, logEntries: demo.logEntries },
      { id: 'snap-2024', periodId: period.id, frozenAt: '2024-12-31T09:00:00.000Z', author: demo.manifest.author, corpusHash: c.hash },
    );
    snapshotId = snapshot.id;
    withSnapshot = join(dir, 'with-snapshot.pilotbundle');
    writeFileSync(withSnapshot, writeBundle({ ...demo, periods: [period], snapshots: [snapshot] }));
  }, 60_000);

  it('adds the section with the right counts, the snapshot named by its period or by its id', async () => {
    for (const since of ['2024年度', snapshotId]) {
      const out = join(dir, `changes-${since === snapshotId ? 'id' : 'name'}.docx`);
      const r = await run(['report', '--kind', 'district', '--bundle', withSnapshot, '--as-of', '2025-06-30', '--since', since, '--out', out]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('本期变化情况：与「2024年度」快照（2024年12月31日冻结）相比 4 项状态变化');
      const xml = unzipText(new Uint8Array(readFileSync(out)))['word/document.xml']!;
      expect(xmlError(xml)).toBeNull();
      expect(xml).toContain('本期变化情况');
      expect(xml).toContain('共有4项任务的完成状态发生变化，其中新实施（转为已完成或基本完成）3项、转为进度滞后1项');
      for (const id of moved) expect(xml).toContain(id);
    }
  }, 90_000);

  it('without --since there is no such section', async () => {
    const out = join(dir, 'no-changes.docx');
    expect((await run(['report', '--kind', 'district', '--bundle', withSnapshot, '--as-of', '2025-06-30', '--out', out])).code).toBe(0);
    expect(unzipText(new Uint8Array(readFileSync(out)))['word/document.xml']).not.toContain('本期变化情况');
  }, 60_000);

  it('an unknown snapshot is a Chinese error that lists the snapshots there are, and writes nothing', async () => {
    const out = join(dir, 'unknown.docx');
    const r = await run(['report', '--kind', 'district', '--bundle', withSnapshot, '--since', '2023年度', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('找不到快照「2023年度」。所给批注包中的快照有：');
    expect(r.err).toContain(`「2024年度」  2024年12月31日冻结`);
    expect(r.err).toContain(snapshotId);
    const none = await run(['report', '--kind', 'district', '--bundle', one, '--since', '2024年度', '--out', out]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('所给批注包中没有任何快照');
    expect(existsSync(out)).toBe(false);
    // The section belongs to district and city reports only.
    expect((await run(['report', '--kind', 'ledger', '--bundle', withSnapshot, '--since', '2024年度', '--out', out])).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
