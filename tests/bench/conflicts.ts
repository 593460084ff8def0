/**
 * The conflict review at city scale, in the real app (headless Chromium through the harness): a
 * supervisor has the demo city data (seed 1) and imports a divergent city bundle (seed 2, the same
 * tasks and units, other histories: 1,352 conflicting annotations, 8,446 field conflicts).
 *
 * - conflictPreviewMs: from clicking 选择批注包 to the first conflict row in the page (hash, verify in
 *   the worker, merge, render);
 * - conflictDecisionMs: one click (采用对方 / 保留本机, always a change) on a conflict row until that row shows it checked (the
 *   click, React's update, the next frame), over several rows;
 * - conflictBulkMs: 全部采用对方 until nothing is left to decide (only where the app has it).
 *
 * The selectors work on the app before bulk decisions too (`--renderer DIR` runs an older build),
 * so the same bench gives a before and an after.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { ProfileDialog, Workbench } from '../e2e/support/pages';
import { BENCH_DIR } from './data';
import { log } from './stats';

export interface ConflictSamples {
  conflictPreviewMs: number[];
  conflictDecisionMs: number[];
  conflictBulkMs: number[];
  /** Conflict rows in the page right after the preview appeared (the whole list before windowing). */
  rowsInPage: number[];
}

/** The two city bundles (cached in .bench/conflicts). */
export function conflictFiles(corpus: Corpus): { first: string; second: string } {
  const dir = join(BENCH_DIR, 'conflicts');
  mkdirSync(dir, { recursive: true });
  const first = join(dir, 'city-seed1.pilotbundle');
  const second = join(dir, 'city-seed2.pilotbundle');
  if (!existsSync(first)) writeFileSync(first, writeBundle(makeDemoData({ units: 13, seed: 1, corpus })));
  if (!existsSync(second)) writeFileSync(second, writeBundle(makeDemoData({ units: 13, seed: 2, corpus })));
  return { first, second };
}

const DECISIONS = 12;

/** One click on `choice` in the `i`-th rendered conflict row, timed in the page until the row shows it checked. */
function timedDecision(page: Page, i: number, choice: '采用对方' | '保留本机'): Promise<number> {
  // As text: tsx would wrap a named function in the page in a helper the page does not have.
  return page.evaluate(`new Promise((res, rej) => {
    const row = document.querySelectorAll('.conflict-row')[${i}];
    const label = row && [...row.querySelectorAll('label.ant-radio-wrapper')].find((l) => l.textContent.includes(${JSON.stringify(choice)}));
    if (!label) return rej(new Error('no conflict row ${i}'));
    const id = row.getAttribute('data-conflict');
    const t0 = performance.now();
    label.click();
    const check = () => {
      const now = document.querySelector('.conflict-row[data-conflict="' + id + '"] .ant-radio-wrapper-checked');
      if (now && now.textContent.includes(${JSON.stringify(choice)})) requestAnimationFrame(() => res(performance.now() - t0));
      else if (performance.now() - t0 > 120000) rej(new Error('decision not shown within 120 s'));
      else requestAnimationFrame(check);
    };
    check();
  })`);
}

export async function benchConflicts(
  page: Page,
  queue: unknown[],
  files: { first: string; second: string },
  runs: number,
): Promise<ConflictSamples> {
  const out: ConflictSamples = { conflictPreviewMs: [], conflictDecisionMs: [], conflictBulkMs: [], rowsInPage: [] };
  await new ProfileDialog(page).complete('吴督办', '市级部门');
  await new Workbench(page).waitReady();
  await page.locator('.app-header .ant-segmented-item', { hasText: '批注包' }).click();
  queue.push(files.first);
  await page.getByRole('button', { name: /选择批注包/ }).click();
  await page.locator('.import-preview').getByRole('button', { name: /应用导入/ }).click({ timeout: 300_000 });
  await page.getByText(/导入完成/).first().waitFor({ timeout: 300_000 });
  for (let r = 0; r < runs; r++) {
    queue.push(files.second);
    const t0 = performance.now();
    await page.getByRole('button', { name: /选择批注包/ }).click();
    await page.locator('.conflict-row').first().waitFor({ timeout: 600_000 });
    out.conflictPreviewMs.push(performance.now() - t0);
    out.rowsInPage.push(await page.locator('.conflict-row').count());
    const decisions: number[] = [];
    // Four rows, each decided 采用对方, then 保留本机, then 采用对方 again: every click changes a decision.
    for (let i = 0; i < DECISIONS; i++) decisions.push(await timedDecision(page, i % 4, Math.floor(i / 4) % 2 ? '保留本机' : '采用对方'));
    out.conflictDecisionMs.push(...decisions);
    const bulk = page.locator('.conflicts-bulk').getByRole('button', { name: '全部采用对方' });
    if (await bulk.count()) {
      const b0 = performance.now();
      await bulk.click();
      await page.locator('.decisions-left').waitFor({ state: 'detached', timeout: 120_000 });
      out.conflictBulkMs.push(performance.now() - b0);
    }
    await page.locator('.import-preview').getByRole('button', { name: /放\s*弃/ }).click({ timeout: 600_000 });
    await page.locator('.import-preview').waitFor({ state: 'detached', timeout: 600_000 });
    log(
      `conflicts run ${r + 1}/${runs}: preview ${Math.round(out.conflictPreviewMs.at(-1)!)} ms (${out.rowsInPage.at(-1)} rows in the page), ` +
        `decisions ${decisions.map((d) => Math.round(d)).join(', ')} ms${out.conflictBulkMs.length > r ? `, bulk ${Math.round(out.conflictBulkMs.at(-1)!)} ms` : ''}`,
    );
  }
  return out;
}
