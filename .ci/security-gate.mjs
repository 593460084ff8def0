#!/usr/bin/env node
/**
 * Security gate: runs Doyensec's Electronegativity over the Electron code and fails on any HIGH or
 * MEDIUM finding that is not in the reviewed allowlist (.ci/electronegativity-allowlist.json).
 * Electronegativity itself always exits 0, so this script reads its findings and decides.
 *
 *   node .ci/security-gate.mjs                      # CI: builds out/, then scans the default inputs
 *   node .ci/security-gate.mjs --input src-main     # scan only what is named (never builds)
 *   node .ci/security-gate.mjs --self-test          # CI, after the gate: the gate catches what it must
 *   options: --input <path> (repeatable) · --allowlist <file> · --report <file.json>
 *            --no-build (default inputs, but scan the out/ that is there)
 *
 * What is scanned, and why. Electronegativity checks one tree at a time, and its global checks (CSP,
 * navigation limits, permission handlers) judge the whole tree at once. The sources in `src-main` give
 * findings with the lines a reviewer can act on; but the page's Content-Security-Policy only exists
 * after the build (electron.vite.config.ts injects it into out/renderer/index.html), and `out/` is
 * the code that actually ships. So by default the gate builds, copies `src-main`, `out/main`,
 * `out/preload`, the built page `out/renderer/index.html` and `package.json` into one temporary tree
 * (paths kept relative to the project root) and scans that once. package.json lets the JSON checks
 * look at the scripts (e.g. disabled security warnings). The renderer's JavaScript bundle is left
 * out on purpose: it is third-party UI code in a sandboxed, context-isolated page with no Node
 * (what the page may do is the CSP and the preload's one `invoke`, both scanned); its file name
 * changes with every build, so a finding there could not be reviewed and allowlisted stably; and it
 * takes most of the scan time (4 MB, ~10 s).
 *
 * How the tool is run. It lives in its own tools folder, .ci/electronegativity (own package.json and
 * lock file; its TypeScript 4.2 never meets the app's; installed with `npm ci --prefix
 * .ci/electronegativity --ignore-scripts`, it needs no install script). It is started in a child
 * Node process through its programmatic runner, which returns the findings as objects with their
 * severity. Its file outputs are not used: the SARIF file has no severity, and the CSV writer
 * writes header and rows with two racing asynchronous writes. The child never touches the network:
 * the tool would fetch updated translations and Electron's release list from the internet at every
 * run; its HTTP client (`got`) is replaced by one that fails at once, so it uses its bundled English
 * texts, and AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK (network only) is excluded. The Electron version
 * is the installed one (node_modules/electron), so version-dependent defaults are judged right.
 *
 * Self-test (--self-test; needs the tool, and out/renderer/index.html from the gate's own build, so
 * CI runs it right after the gate). The gate is run as CI runs it, a child process, and must
 *  - fail on tests/fixtures/insecure-electron, with each of its deliberate mistakes blocking and
 *    none hidden by the real allowlist;
 *  - fail on a copy of src-main whose guard in front of shell.openExternal is removed, with exactly
 *    that one finding blocking (the allowlist entry pins the guard on the flagged line).
 * It lives here rather than in the unit tests because the tool is installed only in CI; the unit
 * suite (tests/unit/security-gate.test.ts) keeps what needs no tool: usage and allowlist checks.
 *
 * Exit codes: 0 pass · 1 unallowed HIGH/MEDIUM findings (self-test: a check failed) · 2 the gate
 * could not run (tool missing, a file it could not parse, bad allowlist, build failed).
 */
/* global process, console */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsFolder = join(root, '.ci', 'electronegativity');
const FAIL_SEVERITIES = new Set(['HIGH', 'MEDIUM']);
/** What CI scans: the main-process sources, the built main and preload, the built page, package.json. */
const DEFAULT_INPUTS = ['src-main', 'out/main', 'out/preload', 'out/renderer/index.html', 'package.json'];
/**
 * Findings the gate rates higher than Electronegativity does. An explicit `nodeIntegration: true`
 * comes out INFORMATIONAL (the tool leaves it to a global check that only fires together with
 * http: resources); in this app Node in a page is never acceptable. A CSP the tool's evaluator finds
 * certainly vulnerable comes out LOW; it fails the gate too.
 */
const ESCALATE = [
  { test: (i) => /^NODE_INTEGRATION_(JS|HTML)_CHECK$/.test(i.id), to: 'HIGH' },
  { test: (i) => i.id === 'CSP_GLOBAL_CHECK' && i.confidence === 'CERTAIN', to: 'MEDIUM' },
];
/** Checks that only talk to the network; the gate runs offline. */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

function usage(message) {
  console.error(`security-gate: ${message}`);
  console.error('usage: node .ci/security-gate.mjs [--input <path>]... [--allowlist <file>] [--report <file.json>] [--no-build] | --self-test');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { inputs: [], allowlist: join(root, '.ci', 'electronegativity-allowlist.json'), report: null, build: true, selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--input') opts.inputs.push(value());
    else if (a === '--allowlist') opts.allowlist = resolve(value());
    else if (a === '--report') opts.report = resolve(value());
    else if (a === '--no-build') opts.build = false;
    else if (a === '--self-test') opts.selfTest = true;
    else usage(`unknown argument ${a}`);
  }
  if (opts.inputs.length === 0) {
    if (resolve(process.cwd()) !== root) usage('run it from the project root, or name the inputs with --input');
    opts.inputs = DEFAULT_INPUTS;
  } else opts.build = false;
  return opts;
}

/**
 * Where an input lands in the scanned tree, and so how findings and allowlist entries name it: its
 * path from the working directory (CI runs from the project root), or external/<n>-<name>.
 */
function stagedName(abs, index) {
  const rel = relative(process.cwd(), abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel;
  return join('external', `${index}-${basename(abs)}`);
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies?.electron ?? '';
    const m = /\d+\.\d+\.\d+/.exec(range);
    if (!m) usage('cannot tell the Electron version (no node_modules/electron and no devDependencies.electron)');
    return m[0];
  }
}

function loadAllowlist(file) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    usage(`cannot read the allowlist ${file}: ${e.message}`);
  }
  const entries = Array.isArray(data) ? data : data.entries;
  if (!Array.isArray(entries)) usage(`${file}: expected { "entries": [ … ] }`);
  return entries.map((e, i) => {
    const files = typeof e.file === 'string' ? [e.file] : e.file;
    const ok =
      e && typeof e.check === 'string' && Array.isArray(files) && files.length > 0 && files.every((f) => typeof f === 'string') &&
      typeof e.reason === 'string' && e.reason.trim().length >= 20 && (e.sample === undefined || typeof e.sample === 'string');
    if (!ok) usage(`${file}: entry ${i} needs "check", "file" (path or list of paths), a "reason" that says why it is a false positive, and optionally "sample"`);
    return { check: e.check, files: files.map((f) => f.split('/').join(sep)), sample: e.sample, reason: e.reason, used: 0 };
  });
}

/**
 * Runs in the child process (CommonJS, `node -e`). Replaces `got` before the tool loads, runs the
 * tool's own runner and writes its findings as JSON.
 */
const CHILD = String.raw`
const Module = require('module');
const [cfgJson] = process.argv.slice(1);
const cfg = JSON.parse(cfgJson);
const load = Module._load;
Module._load = function (request) {
  if (request === 'got') {
    const offline = () => Promise.reject(new Error('security-gate: network disabled'));
    offline.head = offline;
    offline.get = offline;
    return offline;
  }
  return load.apply(this, arguments);
};
const run = require(cfg.runner);
run({
  input: cfg.input,
  isRelative: true,
  electronVersionOverride: cfg.electronVersion,
  customScan: [],
  excludeFromScan: cfg.exclude,
  parserPlugins: [],
}, false).then((r) => {
  const issues = r.issues.map((i) => ({
    id: i.id,
    severity: i.severity && i.severity.name,
    confidence: i.confidence && i.confidence.name,
    file: i.file,
    line: i.location ? i.location.line : 0,
    column: i.location ? i.location.column : 0,
    sample: i.sample || '',
    description: i.description || '',
    manualReview: Boolean(i.manualReview),
  }));
  require('fs').writeFileSync(cfg.out, JSON.stringify({ checks: r.globalChecks + r.atomicChecks, errors: r.errors, issues }));
}).catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(3);
});
`;

function runTool(scanRoot, version, outFile) {
  let runner;
  try {
    // The package's main is its programmatic runner (documented in its README).
    runner = createRequire(join(toolsFolder, 'package.json')).resolve('@doyensec/electronegativity');
  } catch {
    console.error('security-gate: Electronegativity is not installed. Run: npm ci --prefix .ci/electronegativity --ignore-scripts');
    process.exit(2);
  }
  const cfg = { runner, input: scanRoot, electronVersion: version, exclude: EXCLUDED_CHECKS.map((c) => c.toLowerCase()), out: outFile };
  const r = spawnSync(process.execPath, ['-e', CHILD, JSON.stringify(cfg)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, LANG: 'en-US', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (r.status !== 0 || !existsSync(outFile)) {
    console.error(r.stdout, r.stderr);
    console.error(`security-gate: Electronegativity did not finish (exit ${r.status}, signal ${r.signal ?? 'none'})`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(outFile, 'utf8'));
}

/** Runs the gate in a child process, as CI does, and reads its JSON report. */
function runGateChild(inputs, cwd) {
  const dir = mkdtempSync(join(tmpdir(), 'pilot-desk-gate-self-'));
  try {
    const report = join(dir, 'report.json');
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...inputs.flatMap((i) => ['--input', i]), '--report', report], {
      cwd,
      encoding: 'utf8',
      timeout: 180_000,
    });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}`, report: existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The mistakes in tests/fixtures/insecure-electron/main.js, each of which must block. */
const INSECURE_FIXTURE_FINDINGS = [
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
];

function selfTest() {
  const page = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(page)) usage('--self-test scans the built page out/renderer/index.html: run the gate (it builds) or npm run build first');
  const problems = [];
  const check = (ok, what) => {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) problems.push(what);
  };
  const work = mkdtempSync(join(tmpdir(), 'pilot-desk-gate-self-'));
  try {
    console.log('security-gate self-test: the insecure fixture must fail');
    const bad = runGateChild(['tests/fixtures/insecure-electron'], root);
    if (bad.code === 2 || !bad.report) {
      console.error(bad.out);
      console.error('security-gate self-test: the gate could not run on the fixture');
      process.exit(2);
    }
    check(bad.code === 1 && /security-gate: FAILED/.test(bad.out), `exit 1 with FAILED (got ${bad.code})`);
    const blocking = bad.report.findings.filter((f) => f.blocking);
    const ids = new Set(blocking.map((f) => f.id));
    for (const id of INSECURE_FIXTURE_FINDINGS) check(ids.has(id), `${id} blocks`);
    const openExternal = blocking.find((f) => f.id === 'OPEN_EXTERNAL_JS_CHECK');
    check(
      !!openExternal && /insecure-electron[\\/]main\.js$/.test(openExternal.file) && openExternal.sample.includes('shell.openExternal(url)'),
      'OPEN_EXTERNAL_JS_CHECK names main.js and the unguarded call',
    );
    check(bad.report.findings.every((f) => !f.allowlisted), 'the real allowlist hides none of it');

    console.log('security-gate self-test: src-main without the guard in front of shell.openExternal must fail');
    const tree = join(work, 'tree');
    cpSync(join(root, 'src-main'), join(tree, 'src-main'), { recursive: true });
    const pageDir = join(work, 'page', 'renderer');
    cpSync(page, join(pageDir, 'index.html'));
    const index = join(tree, 'src-main', 'main', 'index.ts');
    const guarded = readFileSync(index, 'utf8');
    const unguarded = guarded.replace(/if \(isSafeExternalUrl\(url\)\) (void shell\.openExternal\(url\))/, '$1');
    check(unguarded !== guarded, 'src-main/main/index.ts still guards shell.openExternal with isSafeExternalUrl (update this self-test if it moved)');
    writeFileSync(index, unguarded);
    const open = runGateChild(['src-main', pageDir], tree);
    if (open.code === 2 || !open.report) {
      console.error(open.out);
      console.error('security-gate self-test: the gate could not run on the unguarded copy');
      process.exit(2);
    }
    const openBlocking = open.report.findings.filter((f) => f.blocking).map((f) => `${f.id} ${f.file.split(sep).join('/')}`);
    check(open.code === 1, `exit 1 (got ${open.code})`);
    check(openBlocking.length === 1 && openBlocking[0] === 'OPEN_EXTERNAL_JS_CHECK src-main/main/index.ts', `only OPEN_EXTERNAL_JS_CHECK in src-main/main/index.ts blocks (got ${openBlocking.join(', ') || 'none'})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(`security-gate self-test: FAILED — ${problems.length} check(s): the gate no longer catches what it must`);
    process.exitCode = 1;
  } else console.log('security-gate self-test: passed');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.selfTest) return selfTest();
  const started = Date.now();
  const allowlist = loadAllowlist(opts.allowlist);
  if (opts.build) {
    console.log('security-gate: building out/ (electron-vite build) so the shipped code and page are scanned');
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) {
      console.error('security-gate: the build failed');
      process.exit(2);
    }
  }
  const missing = opts.inputs.filter((input) => !existsSync(resolve(input)));
  if (missing.length > 0) usage(`input ${missing.join(', ')} does not exist`);

  const work = mkdtempSync(join(tmpdir(), 'pilot-desk-gate-'));
  try {
    const scanRoot = join(work, 'scan');
    const staged = [];
    opts.inputs.forEach((input, i) => {
      const abs = resolve(input);
      const name = stagedName(abs, i);
      cpSync(abs, join(scanRoot, name), { recursive: true, dereference: true, filter: (src) => !src.split(sep).includes('node_modules') });
      staged.push(`${name}${statSync(abs).isDirectory() ? sep : ''}`);
    });

    const version = electronVersion();
    console.log(`security-gate: Electronegativity over ${staged.join(', ')} (Electron ${version})`);
    const result = runTool(scanRoot, version, join(work, 'result.json'));

    const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
    const fatal = result.errors.filter((e) => !e.tolerable);
    for (const e of result.errors.filter((x) => x.tolerable)) console.log(`  note: ${relative(scanRoot, e.file)}: ${e.message}`);

    const findings = result.issues.map((raw) => {
      const rule = ESCALATE.find((e) => e.test(raw));
      const i = rule && order[rule.to] < order[raw.severity] ? { ...raw, severity: rule.to, toolSeverity: raw.severity } : raw;
      const file = i.file === 'N/A' ? 'N/A' : i.file.split('/').join(sep);
      const entry = allowlist.find(
        (a) => a.check === i.id && a.files.includes(file) && (a.sample === undefined || i.sample.includes(a.sample)),
      );
      if (entry) entry.used++;
      const blocking = FAIL_SEVERITIES.has(i.severity) && !entry;
      return { ...i, file, allowlisted: entry ? entry.reason : null, blocking };
    });

    findings.sort((a, b) => (order[a.severity] ?? 9) - (order[b.severity] ?? 9) || a.file.localeCompare(b.file) || a.line - b.line);
    for (const f of findings) {
      const mark = f.blocking ? 'FAIL ' : f.allowlisted ? 'allow' : 'info ';
      console.log(`  ${mark} ${f.id} ${f.severity}${f.toolSeverity ? ` (tool: ${f.toolSeverity})` : ''}|${f.confidence}${f.manualReview ? ' (review)' : ''} ${f.file}:${f.line}:${f.column}  ${f.sample.trim().slice(0, 100)}`);
      if (f.blocking) console.log(`        ${f.description.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    for (const e of fatal) console.error(`  ERROR could not parse ${relative(scanRoot, e.file)}: ${e.message}`);
    // Only the full scan can tell that an entry is stale.
    const unused = opts.inputs === DEFAULT_INPUTS ? allowlist.filter((a) => a.used === 0) : [];
    for (const a of unused) console.log(`  warning: allowlist entry ${a.check} ${a.files.join(', ')} matched nothing in this scan; remove it if the code is gone`);

    const blocking = findings.filter((f) => f.blocking);
    const passed = blocking.length === 0 && fatal.length === 0;
    if (opts.report) {
      writeFileSync(
        opts.report,
        JSON.stringify({ passed, electronVersion: version, inputs: staged, checks: result.checks, findings, errors: result.errors, unusedAllowlist: unused.map((a) => a.check) }, null, 2),
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (fatal.length > 0) {
      console.error(`security-gate: FAILED — ${fatal.length} file(s) could not be parsed, so they were not checked (${seconds} s)`);
      process.exitCode = 2;
    } else if (blocking.length > 0) {
      console.error(
        `security-gate: FAILED — ${blocking.length} HIGH/MEDIUM finding(s) not in ${relative(root, opts.allowlist)}: fix the code, or add a reviewed entry that says why it is a false positive (${seconds} s)`,
      );
      process.exitCode = 1;
    } else {
      const allowed = findings.filter((f) => f.allowlisted).length;
      console.log(`security-gate: passed — ${result.checks} checks, ${findings.length} finding(s), ${allowed} allowlisted, none blocking (${seconds} s)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
