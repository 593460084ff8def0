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
import { buildReview, buildSubmission, issueReview, recordDecision, recordSubmission } from '../../src-main/shared/rounds/service';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
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

  it('round circular writes the 情况通报 of a round: late and missing units, the returned task with its comment; a bad 发文字号 or unknown round writes nothing', async () => {
    const { sup, xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-11T02:00:00.000Z', 'sub-1'));
    if (!s.ok) throw new Error(s.error.message);
    expect((await importInto(sup, s.value.bytes, SUPERVISOR)).ok).toBe(true);
    expect((await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-01', decision: 'return', comment: '请补充试点成效的量化数据' }, SUPERVISOR, new Date('2026-11-12T00:00:00.000Z'))).ok).toBe(true);
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-12T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    await issueReview(sup, review.value.decisions);
    const all = await buildExport(sup, { scope: { scope: 'all' }, author: SUPERVISOR, appVersion: '0.1.0', corpus: corpus(), role: 'supervisor' });
    if (!all.ok) throw new Error(all.error.message);
    writeFileSync(file('督办2.pilotbundle'), all.value.bytes);

    const r = await run('round', 'circular', '--bundle', file('督办2.pilotbundle'), '--round', 'r-2026-11', '--out', file('通报.docx'), '--doc-number', '宁试点办[2026]5号', '--sign-date', '2026-11-16');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('按时报送 0 个，逾期报送 1 个，未报送 1 个，退回补充 1 项');
    const text = strFromU8(unzipSync(readFileSync(file('通报.docx')))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain('宁试点办〔2026〕5号');
    expect(text).toContain('关于2026年11月服务业扩大开放综合试点任务推进情况的通报');
    expect(text).toContain('玄武区、秦淮区：');
    expect(text).toContain('逾期报送的单位：玄武区。');
    expect(text).toContain('未报送的单位：秦淮区。');
    expect(text).toContain('请补充试点成效的量化数据');

    const bad = await run('round', 'circular', '--bundle', file('督办2.pilotbundle'), '--round', 'r-2026-11', '--out', file('坏.docx'), '--doc-number', '第5号');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('不是发文字号');
    const none = await run('round', 'circular', '--bundle', file('督办2.pilotbundle'), '--round', 'nope', '--out', file('坏.docx'));
    expect(none.code).toBe(1);
    expect(() => readFileSync(file('坏.docx'))).toThrow();
  });

  it('report --accepted-only builds from what the supervisor accepted and says so; an approved extension prints as such', async () => {
    const { sup, xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', {
      ...fileCtx(DISTRICT, '2026-11-08T02:00:00.000Z', 'sub-a'),
      extensions: [{ taskId: 'T1-01', from: (await xuanwu.annotations.get('T1-01|320102'))!.deadline, to: '2027-12-31', reason: '项目延后' }],
    });
    if (!s.ok) throw new Error(s.error.message);
    await recordSubmission(xuanwu, s.value.receipt);
    expect((await importInto(sup, s.value.bytes, SUPERVISOR)).ok).toBe(true);
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-01', decision: 'pass', comment: '' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-01', decision: 'extend', comment: '' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-a'));
    if (!review.ok) throw new Error(review.error.message);
    await issueReview(sup, review.value.decisions);
    const all = await buildExport(sup, { scope: { scope: 'all' }, author: SUPERVISOR, appVersion: '0.1.0', corpus: corpus(), role: 'supervisor' });
    if (!all.ok) throw new Error(all.error.message);
    writeFileSync(file('督办-审核后.pilotbundle'), all.value.bytes);

    const docText = (path: string) => strFromU8(unzipSync(new Uint8Array(readFileSync(path)))['word/document.xml']!).replace(/<[^>]+>/g, '');
    const accepted = await run('report', '--kind', 'ledger', '--unit', '320102', '--accepted-only', '--as-of', '2026-11-30', '--bundle', file('督办-审核后.pilotbundle'), '--out', file('accepted.docx'));
    expect(accepted.code, accepted.err).toBe(0);
    const text = docText(file('accepted.docx'));
    expect(text).toContain('仅计入经市级督办审核通过（含销号）的数据');
    expect(text).toContain('2027年12月31日（经批准延期');
    expect(text).not.toContain('T1-02');

    const everything = await run('report', '--kind', 'ledger', '--unit', '320102', '--as-of', '2026-11-30', '--bundle', file('督办-审核后.pilotbundle'), '--out', file('all.docx'));
    expect(everything.code, everything.err).toBe(0);
    expect(docText(file('all.docx'))).not.toContain('仅计入经市级督办审核通过');
    expect(docText(file('all.docx'))).toContain('T1-02');

    // A district bundle without any accepted task: a clear error, no file.
    const own = await buildExport(xuanwu, { scope: { scope: 'all' }, author: DISTRICT, appVersion: '0.1.0', corpus: corpus() });
    if (!own.ok) throw new Error(own.error.message);
    writeFileSync(file('玄武区.pilotbundle'), own.value.bytes);
    const none = await run('report', '--kind', 'ledger', '--unit', '320102', '--accepted-only', '--bundle', file('玄武区.pilotbundle'), '--out', file('none.docx'));
    expect(none.code).toBe(1);
    expect(none.err).toContain('没有经审核通过');
  });
});
