/**
 * The security gate (.ci/security-gate.mjs) runs Electronegativity and fails on HIGH/MEDIUM findings
 * outside the reviewed allowlist. The tool is installed only in CI (`.ci/run`), where the gate also
 * checks itself (`--self-test`: it must fail on tests/fixtures/insecure-electron and on src-main with
 * the openExternal guard removed). What runs here needs no tool: the gate refuses bad usage and a
 * bad allowlist before it scans anything, and the real allowlist is well-formed and still points at
 * the code it was reviewed for.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const gate = resolve('.ci/security-gate.mjs');
const allowlistFile = resolve('.ci/electronegativity-allowlist.json');

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runGate(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [gate, ...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

function allowlist(entries: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-allowlist-'));
  temps.push(dir);
  const file = join(dir, 'allowlist.json');
  writeFileSync(file, JSON.stringify({ entries }));
  return file;
}

interface Entry {
  check: string;
  file: string | string[];
  reason: string;
  sample?: string;
}

describe('security gate (without the tool)', () => {
  it('refuses an allowlist entry that does not say why the finding is a false positive', async () => {
    const file = allowlist([{ check: 'SANDBOX_JS_CHECK', file: 'src-main/main/window.ts', reason: 'ok' }]);
    const r = await runGate(['--input', 'src-main', '--allowlist', file]);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/entry 0 needs "check", "file".*a "reason" that says why/);
  });

  it('refuses unknown arguments and inputs that do not exist, with its usage line', async () => {
    const unknown = await runGate(['--inputs', 'src-main']);
    expect(unknown.code, unknown.out).toBe(2);
    expect(unknown.out).toMatch(/unknown argument --inputs[\s\S]*usage: node \.ci\/security-gate\.mjs/);
    // The real allowlist is read (and accepted) before the inputs are checked.
    const missing = await runGate(['--input', 'no-such-folder']);
    expect(missing.code, missing.out).toBe(2);
    expect(missing.out).toMatch(/input no-such-folder does not exist/);
  });

  it('has an allowlist whose every entry names an existing file and the reviewed line', () => {
    const entries = (JSON.parse(readFileSync(allowlistFile, 'utf8')) as { entries: Entry[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.reason.trim().length, e.check).toBeGreaterThanOrEqual(20);
      const sources = (typeof e.file === 'string' ? [e.file] : e.file).filter((f) => f.startsWith('src-main/'));
      expect(sources.length, `${e.check} names a source file`).toBeGreaterThan(0);
      for (const f of sources) {
        expect(existsSync(resolve(f)), `${e.check}: ${f}`).toBe(true);
        // A sample pins the entry to the reviewed code; if that code is gone, the entry is stale.
        if (e.sample) expect(readFileSync(resolve(f), 'utf8'), `${e.check}: ${f} still holds ${e.sample}`).toContain(e.sample);
      }
    }
  });
});
