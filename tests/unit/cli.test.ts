/** The CLI, run as a person runs it: `npm run -s cli -- corpus --json|--csv`, exit codes included. */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src-main/cli/run';
import type { Corpus } from '../../src-main/shared/corpus/types';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cli corpus', () => {
  it('prints the whole corpus as JSON with the right counts per table', async () => {
    const r = await run(['corpus', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out) as Corpus;
    expect(c.meta.docNumber).toBe('商资发〔2022〕209号');
    const counts = [1, 2, 3, 4, 5].map((n) => c.tasks.filter((t) => t.table === n).length);
    expect(counts).toEqual([50, 13, 8, 17, 16]);
    expect(Object.keys(c.tasks[0]!).sort()).toEqual(['domain', 'group', 'id', 'measure', 'number', 'table', 'tableTitle', 'text'].sort());
    expect(c.measures).toHaveLength(17);
    expect(c.tables.map((t) => t.taskCount)).toEqual([50, 13, 8, 17, 16]);
  });

  it('prints a CSV that Excel opens as UTF-8: BOM, CRLF, quoted cells', async () => {
    const r = await run(['corpus', '--csv']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('\uFEFFid,table,tableTitle,group,domain,number,text,measure\r\n')).toBe(true);
    const lines = r.out.trimEnd().split('\r\n');
    expect(lines).toHaveLength(105);
    expect(lines[1]).toMatch(/^T1-01,1,/);
  });

  it('exits non-zero with a Chinese message on a damaged seed, printing no corpus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const seed = join(dir, 'seed.txt');
    writeFileSync(seed, '这不是方案原文');
    const r = await run(['corpus', '--json', '--seed', seed]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/错误/);
    const missing = await run(['corpus', '--json', '--seed', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/找不到/);
  });

  it('treats unknown commands and options as usage errors (exit 2)', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['corpus', '--xml'])).code).toBe(2);
  });

  it('runs through npm as documented', { timeout: 60_000 }, () => {
    const out = execFileSync('npm', ['run', '-s', 'cli', '--', 'corpus', '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    expect((JSON.parse(out) as Corpus).tasks).toHaveLength(104);
    const bad = spawnSync('npm', ['run', '-s', 'cli', '--', 'corpus', '--seed', '/nonexistent/seed.txt'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
  });
});
