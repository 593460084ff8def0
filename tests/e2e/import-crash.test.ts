/**
 * Killing the browser in the middle of applying an import leaves the database all-before or
 * all-after, never in between: the import is one IndexedDB transaction. (Headless Chromium,
 * killed with SIGKILL; not Electron.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from '../../src-main/harness/server';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { demoBundle } from '../unit/bundle-fixtures';
import { launchOwned } from './support/owned';
import { ProfileDialog, Workbench } from './support/pages';

let harness: Harness | null = null;
const dirs: string[] = [];
afterAll(async () => {
  await harness?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function counts(page: Page): Promise<{ annotations: number; revisions: number; logEntries: number; imports: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('pilot-desk');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const count = (name: string) =>
      new Promise<number>((res, rej) => {
        const r = db.transaction(name).objectStore(name).count();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    const out = { annotations: await count('annotations'), revisions: await count('revisions'), logEntries: await count('logEntries'), imports: await count('imports') };
    db.close();
    return out;
  });
}

describe('a crash while an import is being applied', () => {
  it('leaves all-before or all-after, at several moments', { timeout: 600_000 }, async () => {
    const corpus = loadCorpus();
    harness = await startHarness({ rendererDir: resolve('out/renderer'), corpus: () => corpus });
    const file = join(mkdtempSync(join(tmpdir(), 'crash-import-')), 'city.pilotbundle');
    writeFileSync(file, demoBundle({ units: 4, seed: 21 }));
    const outcomes: string[] = [];
    for (const delay of [0, 150, 600, 2000]) {
      const profile = mkdtempSync(join(tmpdir(), 'pilotdesk-crash-import-'));
      dirs.push(profile);
      const b = await launchOwned(profile, harness.url);
      await new ProfileDialog(b.page).complete('吴督办', '市级部门');
      await new Workbench(b.page).waitReady();
      await b.page.locator('.app-header .ant-segmented-item', { hasText: '批注包' }).click();
      harness.dialogQueue.push(file);
      await b.page.getByRole('button', { name: /选择批注包/ }).click();
      const apply = b.page.locator('.import-preview').getByRole('button', { name: /应用导入/ });
      await apply.waitFor({ timeout: 60_000 });
      await apply.click();
      await b.page.waitForTimeout(delay);
      await b.kill();

      const again = await launchOwned(profile, harness.url);
      await new Workbench(again.page).waitReady();
      const c = await counts(again.page);
      await again.kill();
      const before = c.annotations === 0 && c.revisions === 0 && c.logEntries === 0 && c.imports === 0;
      const after = c.annotations === 4 * 104 && c.revisions > 0 && c.logEntries > 0 && c.imports === 1;
      outcomes.push(`${delay} ms: ${before ? 'before' : after ? 'after' : `IN BETWEEN ${JSON.stringify(c)}`}`);
    }
    expect(outcomes.filter((o) => o.includes('IN BETWEEN'))).toEqual([]);
    console.info(`import killed mid-apply: ${outcomes.join('; ')}`);
  });
});
