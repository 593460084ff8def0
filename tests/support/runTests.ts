/**
 * Every test, in two vitest runs at the same time: the end-to-end files (one after another — each
 * drives its own headless Chromium) and the unit, dom and office files (one worker) beside them.
 * vitest itself runs a project whose files may not run in parallel as a group of its own, after the
 * others, so one `vitest run` took the sum of both; most of an e2e file's time is waiting on the
 * browser, which leaves a core for the other run. Output is prefixed per run; the exit code is the
 * first failure's (0 when both pass). Extra arguments go to both runs.
 *
 *   npx tsx tests/support/runTests.ts [vitest args…]
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const VITEST = resolve('node_modules/vitest/vitest.mjs');
const extra = process.argv.slice(2);

function run(label: string, args: string[]): Promise<number> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [VITEST, 'run', '--passWithNoTests', ...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${label}] ${line}\n`));
    }
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(`[${label}] finished in ${seconds} s: ${code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`}\n`);
      done(code ?? 1);
    });
  });
}

const codes = await Promise.all([
  run('e2e', ['--project', 'e2e']),
  run('unit', ['--project', 'unit', '--project', 'dom', '--project', 'office', '--maxWorkers', '1']),
]);
const which = [codes[0] !== 0 ? 'e2e' : '', codes[1] !== 0 ? 'unit/dom/office' : ''].filter(Boolean);
if (which.length) process.stdout.write(`tests FAILED: ${which.join(' and ')}\n`);
process.exit(codes.find((c) => c !== 0) ?? 0);
