/**
 * The bundle commands as a supervisor runs them: `bundle verify`, `bundle merge`, `demo`.
 * (In-process through runCli — the same entry as `npm run -s cli -- …`; cli.test.ts covers the npm
 * plumbing.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { runCli } from '../../src-main/cli/run';
import { BUNDLE_USAGE } from '../../src-main/cli/commands/bundle';
import { readBundle } from '../../src-main/shared/bundle/read';
import { ctx, editJson, tamper } from './bundle-fixtures';
import { snapshotBundle } from './snapshot-fixtures';
import { snapshotHash } from '../../src-main/shared/snapshot/model';

const dir = mkdtempSync(join(tmpdir(), 'bundle-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cli bundle and demo', { timeout: 20_000 }, () => {
  it('demo output is byte-identical for the same seed and different for another seed', async () => {
    for (const [name, seed] of [
      ['a1.pilotbundle', '1'],
      ['a2.pilotbundle', '1'],
      ['b.pilotbundle', '2'],
    ]) {
      const r = await run('demo', '--units', '2', '--seed', seed!, '--out', file(name!));
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('已生成演示批注包');
    }
    const a1 = readFileSync(file('a1.pilotbundle'));
    expect(a1.equals(readFileSync(file('a2.pilotbundle')))).toBe(true);
    expect(a1.equals(readFileSync(file('b.pilotbundle')))).toBe(false);
  });

  it('bundle verify: exit 0 with a Chinese summary for a good bundle', async () => {
    const r = await run('demo', '--units', '3', '--seed', '4', '--revisions', '3', '--log', '1', '--attachments', '4', '--out', file('good.pilotbundle'));
    expect(r.code, r.err).toBe(0);
    const v = await run('bundle', 'verify', file('good.pilotbundle'));
    expect(v.code, v.err).toBe(0);
    expect(v.out).toContain('批注包校验通过');
    expect(v.out).toContain('单位（3）：玄武区、秦淮区、建邺区');
    expect(v.out).toContain('批注 312 条');
    expect(v.out).toContain('附件 4 个');
    expect(v.out).toContain('导出时间：2025年6月30日 16:00（北京时间）');
  });

  it('bundle verify: exit 1 with the reason for a corrupted or truncated bundle, and for a missing file', async () => {
    const good = readFileSync(file('good.pilotbundle'));
    writeFileSync(file('cut.pilotbundle'), good.subarray(0, Math.floor(good.length * 0.6)));
    const cut = await run('bundle', 'verify', file('cut.pilotbundle'));
    expect(cut.code).toBe(1);
    expect(cut.out).toBe('');
    expect(cut.err).toContain('批注包校验未通过');
    expect(cut.err).toContain('批注包已损坏或不完整');
    expect(cut.err).toContain('bundle.truncated');
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)] ^= 0xff;
    writeFileSync(file('flip.pilotbundle'), flipped);
    const f = await run('bundle', 'verify', file('flip.pilotbundle'));
    expect(f.code).toBe(1);
    expect(f.err).toMatch(/[\u4e00-\u9fff]/);
    // 100,000-deep JSON in manifest.format: a refusal (exit 1) naming the nesting, not a usage error (exit 2) from a stack overflow.
    writeFileSync(file('deep.pilotbundle'), zipSync({ 'manifest.json': strToU8(`{"format":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`) }));
    const deep = await run('bundle', 'verify', file('deep.pilotbundle'));
    expect(deep.code, deep.err).toBe(1);
    expect(deep.err).toContain('嵌套层级超过');
    expect(deep.err).not.toContain('call stack');
    const missing = await run('bundle', 'verify', file('nope.pilotbundle'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('找不到文件');
  });

  it('bundle merge A B --out: a bundle that verifies, with both units’ work, conflicts reported and resolved', { timeout: 30_000 }, async () => {
    // A: the districts 玄武区 and 秦淮区; B: the city reviewer's view of three units (with edits that conflict).
    const small = ['--revisions', '3', '--log', '1'];
    expect((await run('demo', '--units', '2', '--seed', '9', ...small, '--out', file('A.pilotbundle'))).code).toBe(0);
    expect((await run('demo', '--units', '3', '--seed', '9', ...small, '--variant', 'reviewer', '--out', file('B.pilotbundle'))).code).toBe(0);
    const m = await run('bundle', 'merge', file('A.pilotbundle'), file('B.pilotbundle'), '--out', file('M.pilotbundle'), '--now', '2025-07-01T02:00:00.000Z');
    expect(m.code, m.err).toBe(0);
    expect(m.out).toMatch(/处字段冲突，已按「采用后导入的批注包（theirs）」处理/);
    expect(m.out).toContain('已写出合并后的批注包');
    const v = await run('bundle', 'verify', file('M.pilotbundle'));
    expect(v.code, v.err).toBe(0);
    const r = readBundle(new Uint8Array(readFileSync(file('M.pilotbundle'))), ctx());
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.manifest.unitCodes).toEqual(['320102', '320104', '320105']);
    expect(r.value.annotations).toHaveLength(312);
    expect(r.value.revisions.some((x) => x.kind === 'merge' && x.author.name === '命令行合并')).toBe(true);
    // theirs by default: every field the reviewer changed (conflicting or not) now has the reviewer's value.
    const b = readBundle(new Uint8Array(readFileSync(file('B.pilotbundle'))), ctx());
    if (!b.ok) throw new Error(b.error.message);
    const merged = new Map(r.value.annotations.map((a) => [a.key, a]));
    const reviewed = b.value.annotations.filter((a) => a.updatedBy.unitCode === 'SJBM');
    expect(reviewed.length).toBeGreaterThan(4);
    for (const a of reviewed) {
      const head = b.value.revisions.find((x) => x.id === a.head)!;
      for (const f of head.changed) expect(merged.get(a.key)![f], `${a.key} ${f}`).toEqual(a[f]);
    }
    const mine = await run('bundle', 'merge', file('A.pilotbundle'), file('B.pilotbundle'), '--out', file('M2.pilotbundle'), '--prefer', 'mine', '--now', '2025-07-01T02:00:00.000Z');
    expect(mine.code, mine.err).toBe(0);
    expect(mine.out).toContain('保留先导入的内容（mine）');
    expect(readFileSync(file('M2.pilotbundle')).equals(readFileSync(file('M.pilotbundle')))).toBe(false);
    // Merging a bundle with itself (or one already contained) adds nothing.
    const same = await run('bundle', 'merge', file('M.pilotbundle'), file('A.pilotbundle'), '--out', file('M3.pilotbundle'));
    expect(same.code).toBe(0);
    expect(same.out).toContain('没有字段冲突');
    expect(same.out).toMatch(/「A\.pilotbundle」：批注 新增 0，更新 0，未变 208，冲突 0/);
  });

  it('bundle merge refuses a bad input without writing the output', async () => {
    const r = await run('bundle', 'merge', file('A.pilotbundle'), file('cut.pilotbundle'), '--out', file('never.pilotbundle'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('cut.pilotbundle');
    expect(() => readFileSync(file('never.pilotbundle'))).toThrow();
  });

  it('bundle merge keeps the snapshots of its inputs, and refuses two different snapshots under one id', async () => {
    const { bytes, snapshot } = snapshotBundle();
    writeFileSync(file('S.pilotbundle'), bytes);
    const v = await run('bundle', 'verify', file('S.pilotbundle'));
    expect(v.out).toContain('评估期 1 个 · 快照 1 份');
    const m = await run('bundle', 'merge', file('S.pilotbundle'), file('S.pilotbundle'), '--out', file('SS.pilotbundle'), '--now', '2025-07-01T02:00:00.000Z');
    expect(m.code, m.err).toBe(0);
    const merged = readBundle(new Uint8Array(readFileSync(file('SS.pilotbundle'))), ctx());
    expect(merged.ok && merged.value.snapshots).toEqual([snapshot]);
    // A consistent forgery: content changed and re-hashed, so it reads fine alone but clashes with the original.
    const forged = tamper(bytes, {
      mutate: (f) =>
        editJson(f, 'snapshots.json', (l) => {
          l[0].entries[0].status = 'done';
          l[0].hash = snapshotHash(l[0]);
        }),
      rehash: true,
    });
    writeFileSync(file('F.pilotbundle'), forged);
    const bad = await run('bundle', 'merge', file('S.pilotbundle'), file('F.pilotbundle'), '--out', file('never2.pilotbundle'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('内容不一致');
    expect(() => readFileSync(file('never2.pilotbundle'))).toThrow();
  });

  it('usage errors exit 2; the usage lists the bundle commands', async () => {
    expect((await run('bundle')).code).toBe(2);
    expect((await run('bundle', 'verify')).code).toBe(2);
    expect((await run('bundle', 'merge', file('A.pilotbundle'))).code).toBe(2);
    expect((await run('bundle', 'merge', file('A.pilotbundle'), '--out', file('x'), '--prefer', 'both')).code).toBe(2);
    expect((await run('demo', '--units', '99', '--seed', '1', '--out', file('x'))).code).toBe(2);
    expect((await run('demo', '--units', '2', '--out', file('x'))).code).toBe(2);
    // (run.ts appends these lines to its usage; loading that full text would load the report stack too.)
    expect(BUNDLE_USAGE).toContain('bundle verify FILE');
    expect(BUNDLE_USAGE).toContain('npm run -s cli -- bundle verify');
    expect(BUNDLE_USAGE).toContain('bundle merge A B');
    expect(BUNDLE_USAGE).toContain('demo --units N --seed S --out FILE');
  });
});
