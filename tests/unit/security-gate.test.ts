/**
 * The security gate (.ci/security-gate.mjs) runs Electronegativity and fails on HIGH/MEDIUM findings
 * outside the reviewed allowlist. Here it must fail on a deliberately insecure main process and pass
 * on the real one. Needs the tools folder installed: `npm ci --prefix .ci/electronegativity --ignore-scripts`
 * (.ci/run does it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CSP_BUILD } from '../../electron.vite.config';

const gate = resolve('.ci/security-gate.mjs');

interface Finding {
  id: string;
  severity: string;
  file: string;
  sample: string;
  blocking: boolean;
  allowlisted: string | null;
}
interface Report {
  passed: boolean;
  electronVersion: string;
  findings: Finding[];
  errors: unknown[];
}

const temps: string[] = [];
function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the gate as CI does (a child Node process) and reads its JSON report. */
function runGate(inputs: string[], cwd = process.cwd()): Promise<{ code: number; out: string; report: Report | null }> {
  const report = join(temp('gate-report-'), 'report.json');
  const args = [gate, ...inputs.flatMap((i) => ['--input', i]), '--report', report];
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const parsed = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Report) : null;
      done({ code, out: `${stdout}\n${stderr}`, report: parsed });
    });
  });
}

/**
 * The CSP is injected into the page at build time (electron.vite.config.ts). Make that page from the
 * same template and the same policy, so these tests need no build.
 */
function makePage(): string {
  const dir = join(temp('gate-page-'), 'renderer');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.html'), readFileSync(resolve('src-renderer/index.html'), 'utf8').replace('%CSP%', CSP_BUILD));
  return dir;
}

const installed = existsSync(resolve('.ci/electronegativity/node_modules/@doyensec/electronegativity/package.json'));

// Each gate run takes a few seconds (mostly loading the tool). They run one after another, so the
// suite does not take several cores from the other test files at once.
describe('security gate', () => {
  it('has Electronegativity installed in its tools folder', () => {
    expect(installed, 'run: npm ci --prefix .ci/electronegativity --ignore-scripts').toBe(true);
  });

  it('fails on a deliberately insecure Electron main process, naming each mistake', { timeout: 120_000 }, async () => {
    const r = await runGate(['tests/fixtures/insecure-electron']);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/security-gate: FAILED/);
    const blocking = r.report!.findings.filter((f) => f.blocking);
    const ids = new Set(blocking.map((f) => f.id));
    for (const id of [
      'NODE_INTEGRATION_JS_CHECK', // nodeIntegration: true (the tool says INFORMATIONAL; the gate rates it HIGH)
      'CONTEXT_ISOLATION_JS_CHECK', // contextIsolation: false
      'WEB_SECURITY_JS_CHECK', // webSecurity: false
      'SANDBOX_JS_CHECK', // sandbox: false
      'INSECURE_CONTENT_JS_CHECK', // allowRunningInsecureContent: true
      'OPEN_EXTERNAL_JS_CHECK', // shell.openExternal(url) with no check
      'HTTP_RESOURCES_JS_CHECK', // loadURL('http://…')
      'LIMIT_NAVIGATION_GLOBAL_CHECK', // no will-navigate handler
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', // no permission handler
      'CSP_GLOBAL_CHECK', // no CSP at all
    ]) {
      expect(ids, `${id} should block`).toContain(id);
    }
    const openExternal = blocking.find((f) => f.id === 'OPEN_EXTERNAL_JS_CHECK')!;
    expect(openExternal.file).toMatch(/insecure-electron[\\/]main\.js$/);
    expect(openExternal.sample).toContain('shell.openExternal(url)');
    // The real allowlist does not hide any of it.
    expect(r.report!.findings.filter((f) => f.allowlisted)).toEqual([]);
  });

  it('passes on the real src-main with the page the build produces, allowlisting only reviewed findings', { timeout: 120_000 }, async () => {
    const r = await runGate(['src-main', makePage(), 'package.json']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/security-gate: passed/);
    const report = r.report!;
    expect(report.passed).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.electronVersion).toMatch(/^45\./);
    // Every HIGH/MEDIUM finding is allowlisted with a reason, and each sits where the review said.
    const serious = report.findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
    for (const f of serious) expect(f.allowlisted, `${f.id} ${f.file}`).toBeTruthy();
    expect(new Set(serious.map((f) => f.file.replace(/\\/g, '/')))).toEqual(new Set(['src-main/main/window.ts', 'src-main/main/index.ts']));
    // The CSP was seen (no "no CSP" finding).
    expect(report.findings.some((f) => f.id === 'CSP_GLOBAL_CHECK' && f.file === 'N/A')).toBe(false);
  });

  it('fails on the real main process once the guard in front of shell.openExternal is removed', { timeout: 120_000 }, async () => {
    // The allowlist entry for openExternal pins the guard on the flagged line; without it the gate fails.
    const tree = temp('gate-unguarded-');
    cpSync('src-main', join(tree, 'src-main'), { recursive: true });
    const index = join(tree, 'src-main', 'main', 'index.ts');
    const guarded = readFileSync(index, 'utf8');
    const unguarded = guarded.replace(/if \(isSafeExternalUrl\(url\)\) (void shell\.openExternal\(url\))/, '$1');
    expect(unguarded).not.toBe(guarded);
    writeFileSync(index, unguarded);
    const r = await runGate(['src-main', makePage()], tree);
    expect(r.code, r.out).toBe(1);
    const blocking = r.report!.findings.filter((f) => f.blocking);
    expect(blocking.map((f) => `${f.id} ${f.file.replace(/\\/g, '/')}`)).toEqual(['OPEN_EXTERNAL_JS_CHECK src-main/main/index.ts']);
  });
});
