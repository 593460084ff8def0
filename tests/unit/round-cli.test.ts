/**
 * `round list`, `round status` and `bundle verify` on the files of the 督办 loop: a supervisor's
 * bundle with a round and two submissions (one on time, one late) and a district's submission file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run';
import { buildExport } from '../../src-main/shared/services/exportService';
import { buildSubmission } from '../../src-main/shared/rounds/service';
import { DISTRICT, SUPERVISOR, corpus } from './bundle-fixtures';
import { QINHUAI, fileCtx, importInto, setup } from './round-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'round-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cli round', { timeout: 30_000 }, () => {
  it('lists rounds, prints 报送情况 per unit with the 催报 line, and bundle verify names the kind and round', async () => {
    const { sup, xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-11T02:00:00.000Z', 'sub-1'));
    if (!s.ok) throw new Error(s.error.message);
    writeFileSync(file('玄武区报送.pilotbundle'), s.value.bytes);
    expect((await importInto(sup, s.value.bytes, SUPERVISOR)).ok).toBe(true);
    const all = await buildExport(sup, { scope: { scope: 'all' }, author: SUPERVISOR, appVersion: '0.1.0', corpus: corpus(), role: 'supervisor' });
    if (!all.ok) throw new Error(all.error.message);
    writeFileSync(file('督办.pilotbundle'), all.value.bytes);

    const list = await run('round', 'list', '--bundle', file('督办.pilotbundle'));
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain('r-2026-11  2026年11月月报  截止 2026年11月10日');

    const status = await run('round', 'status', '--bundle', file('督办.pilotbundle'), '--round', 'r-2026-11');
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/玄武区\t逾期报送\t更新任务 1 项/);
    expect(status.out).toMatch(/秦淮区\t未报送\t更新任务 0 项/);
    expect(status.out).toContain('合计：按时报送 0 个，逾期报送 1 个，未报送 1 个');
    expect(status.out).toContain('以下单位尚未报送：秦淮区');
    expect(QINHUAI.unitCode).toBe('320104');

    const missing = await run('round', 'status', '--bundle', file('督办.pilotbundle'), '--round', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('没有编号为「nope」的填报轮次');

    const verify = await run('bundle', 'verify', file('玄武区报送.pilotbundle'));
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toContain('文件类型：报送文件（导出账户：区级经办人，未签名）');
    expect(verify.out).toContain('填报轮次：2026年11月月报（r-2026-11）· 单位：玄武区');
  });
});
