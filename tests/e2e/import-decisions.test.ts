/**
 * An import that explains itself (headless Chromium through the harness; not Electron): one count
 * of conflicts (fields, grouped by task) in the table and the list header, bulk decisions for all,
 * per unit and per task, the number of decisions left beside a greyed 应用导入, progress while
 * applying with 放弃 disabled, an error that clears after a later successful undo — and at city
 * scale (8,446 field conflicts) a windowed list, a decision that works, and a preview cancelled
 * while it is being made that writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { emptyState, planImport, resolveConflicts, applyToState, type KeyPlan } from '../../src-main/shared/bundle/merge';
import type { BundleContent } from '../../src-main/shared/bundle/format';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { DEFAULT_UNITS } from '../../src-main/shared/domain';
import { corpus } from '../unit/bundle-fixtures';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { ProfileDialog, Workbench } from './support/pages';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

/** Two divergent demo datasets over the same tasks and units (seeds 1 and 2), their files and the plan of importing the second after the first. */
function divergent(units: number, dir: string) {
  const a = makeDemoData({ units, seed: 1, corpus: corpus() });
  const b = makeDemoData({ units, seed: 2, corpus: corpus() });
  const first = join(dir, `seed1-${units}.pilotbundle`);
  const second = join(dir, `seed2-${units}.pilotbundle`);
  writeFileSync(first, writeBundle(a));
  writeFileSync(second, writeBundle(b));
  const asContent = (d: typeof a) => d as unknown as BundleContent;
  const ws = resolveConflicts(planImport(emptyState(), asContent(a)), {}, { name: 't', unitCode: '320100' }, new Date());
  if (!ws.ok) throw new Error(ws.error.message);
  const plan = planImport(applyToState(emptyState(), ws.value), asContent(b));
  const conflicts = plan.keys
    .filter((k) => k.outcome === 'conflict')
    .sort((x, y) => (x.unitCode === y.unitCode ? (x.taskId < y.taskId ? -1 : 1) : x.unitCode < y.unitCode ? -1 : 1));
  return { first, second, conflicts, fields: conflicts.reduce((n, k) => n + k.conflicts.length, 0) };
}

const fieldsOf = (keys: KeyPlan[], unit: string) => keys.filter((k) => k.unitCode === unit).reduce((n, k) => n + k.conflicts.length, 0);

async function nav(page: Page, label: string) {
  await page.locator('.app-header .ant-segmented-item', { hasText: label }).click();
}

async function choose(app: AppSession, file: string) {
  await nav(app.page, '批注包');
  app.harness.dialogQueue.push(file);
  await app.page.getByRole('button', { name: /选择批注包/ }).click();
}

async function applyAndWait(app: AppSession) {
  await app.page.locator('.import-preview').getByRole('button', { name: /应用导入/ }).click();
  await app.page.getByText(/导入完成/).first().waitFor({ timeout: 180_000 });
}

/** A stored annotation, read straight from IndexedDB. */
function storedAnnotation(page: Page, key: string): Promise<Record<string, unknown> | undefined> {
  return page.evaluate(async (k) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('pilot-desk');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const row = await new Promise<Record<string, unknown> | undefined>((res, rej) => {
      const r = db.transaction('annotations').objectStore('annotations').get(k);
      r.onsuccess = () => res(r.result as Record<string, unknown> | undefined);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return row;
  }, key);
}

function storeCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('pilot-desk');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const out: Record<string, number> = {};
    for (const name of ['annotations', 'revisions', 'logEntries', 'evidence', 'imports']) {
      out[name] = await new Promise<number>((res, rej) => {
        const r = db.transaction(name).objectStore(name).count();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    }
    db.close();
    return out;
  });
}

const leftText = (page: Page) => page.locator('.import-preview .decisions-left');

describe('an import that explains itself', () => {
  it('counts conflicts once, decides in bulk per unit, for all and per task, shows what is left, shows progress, and clears a stale error', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-decisions-'));
    const data = divergent(2, dir);
    const [ua, ub] = [DEFAULT_UNITS[0]!, DEFAULT_UNITS[1]!];
    const bad = join(dir, 'not-a-bundle.pilotbundle');
    writeFileSync(bad, 'this is not a zip file at all');
    const app = await startApp();
    sessions.push(app);
    await new ProfileDialog(app.page).complete('吴督办', '市级部门');
    await new Workbench(app.page).waitReady();
    const page = app.page;

    // A first bundle goes in; then a file that is no bundle fails; a later successful undo clears that error.
    await choose(app, data.first);
    await page.locator('.import-preview').waitFor({ timeout: 60_000 });
    await applyAndWait(app);
    await choose(app, bad);
    const error = page.locator('.bundle-error', { hasText: '未导入' });
    await error.waitFor();
    await page.locator('.import-history tbody tr').first().getByRole('button', { name: /撤销这次导入/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText(/已于 .* 撤销/).first().waitFor();
    await error.waitFor({ state: 'detached' });

    // Again, then the divergent bundle: every count says fields and tasks, and they agree.
    await choose(app, data.first);
    await page.locator('.import-preview').waitFor({ timeout: 60_000 });
    await applyAndWait(app);
    await choose(app, data.second);
    const preview = page.locator('.import-preview');
    await preview.locator('.conflicts-title').waitFor({ timeout: 60_000 });
    expect(await preview.locator('.conflicts-title').innerText()).toBe(`需要处理的冲突：${data.fields} 处字段，涉及 ${data.conflicts.length} 项任务`);
    const unitCell = (u: string) => preview.locator(`.unit-conflicts[data-unit="${u}"]`);
    const fa = fieldsOf(data.conflicts, ua.code);
    const fb = fieldsOf(data.conflicts, ub.code);
    expect(fa + fb).toBe(data.fields);
    expect(await unitCell(ua.code).innerText()).toContain(`${fa}`);
    expect(await unitCell(ua.code).innerText()).toContain('涉及 104 项任务');
    expect(await leftText(page).innerText()).toBe(`还有 ${data.fields} 处冲突未决定`);
    const applyButton = preview.getByRole('button', { name: /应用导入/ });
    expect(await applyButton.isDisabled()).toBe(true);
    // The list is windowed: a screenful of rows, not all of them.
    expect(await preview.locator('.conflict-row').count()).toBeLessThan(30);

    // Per unit: 玄武区 all theirs → only 秦淮区's fields are left.
    await page.getByRole('button', { name: `${ua.name}全部采用对方` }).click();
    await expect.poll(() => leftText(page).innerText()).toBe(`还有 ${fb} 处冲突未决定`);
    expect(await applyButton.isDisabled()).toBe(true);
    // Per task: the first task of 秦淮区 is decided with one click.
    const firstB = data.conflicts.find((k) => k.unitCode === ub.code)!;
    await preview.locator('.conflict-list').evaluate((el, key) => {
      // Scroll the windowed list until the task's header is rendered (one screenful at a time).
      return new Promise<void>((res) => {
        const step = () => {
          if (el.querySelector(`[data-conflict-task="${key}"]`)) return res();
          el.scrollTop += el.clientHeight;
          requestAnimationFrame(() => requestAnimationFrame(step));
        };
        step();
      });
    }, firstB.key);
    await preview.locator(`[data-conflict-task="${firstB.key}"]`).getByRole('button', { name: '本任务全部保留本机' }).click();
    await expect.poll(() => leftText(page).innerText()).toBe(`还有 ${fb - firstB.conflicts.length} 处冲突未决定`);
    // README's picture: the whole preview, the list scrolled to where 秦淮区 begins.
    await preview.locator('.conflict-list').evaluate((el, key) => {
      const slot = el.querySelector(`[data-conflict-task="${key}"]`)!.parentElement as HTMLElement;
      el.scrollTop = slot.offsetTop - 2 * 172;
    }, firstB.key);
    await preview.evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      // Below the app's header, in whatever scrolls the page.
      let p: HTMLElement | null = el.parentElement;
      while (p && p.scrollHeight <= p.clientHeight) p = p.parentElement;
      (p ?? document.scrollingElement!).scrollTop -= 64;
    });
    await page.waitForTimeout(100);
    await page.screenshot({ path: screenshotPath('import-conflicts.png') });

    // For all: keep all mine → nothing left, 应用导入 enabled. Then 玄武区 all theirs again, and one field by hand.
    await preview.locator('.conflicts-bulk').getByRole('button', { name: '全部保留本机' }).click();
    await expect.poll(() => leftText(page).count()).toBe(0);
    expect(await applyButton.isDisabled()).toBe(false);
    await page.getByRole('button', { name: `${ua.name}全部采用对方` }).click();
    await preview.locator('.conflict-list').evaluate((el) => (el.scrollTop = 0));
    const firstA = data.conflicts[0]!;
    const handField = firstA.conflicts[0]!;
    const handRow = preview.locator(`[data-conflict="${firstA.key}:${handField.field}"]`);
    await handRow.getByText('保留本机').click();
    expect(await handRow.locator('.ant-radio-wrapper-checked').innerText()).toBe('保留本机');

    // Apply: progress with counts appears, and 放弃 is disabled while it shows.
    await page.evaluate(() => {
      const w = window as unknown as { __progressSeen: { text: string; discardDisabled: boolean }[] };
      w.__progressSeen = [];
      new MutationObserver(() => {
        const p = document.querySelector('.import-progress');
        if (!p) return;
        const discard = [...document.querySelectorAll('.import-actions button')].find((b) => /放\s*弃/.test(b.textContent ?? '')) as HTMLButtonElement | undefined;
        w.__progressSeen.push({ text: p.textContent ?? '', discardDisabled: !!discard?.disabled });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await applyAndWait(app);
    const seen = await page.evaluate(() => (window as unknown as { __progressSeen: { text: string; discardDisabled: boolean }[] }).__progressSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.discardDisabled)).toBe(true);
    expect(seen.some((s) => /正在写入：\d+ \/ \d+ 条记录/.test(s.text))).toBe(true);

    // What was stored follows the decisions: the hand-kept field is mine, 玄武区's others theirs, 秦淮区's mine.
    const storedA = (await storedAnnotation(page, firstA.key))!;
    expect(storedA[handField.field]).toEqual(handField.mine);
    for (const c of firstA.conflicts.slice(1)) expect(storedA[c.field]).toEqual(c.theirs);
    const lastB = data.conflicts.filter((k) => k.unitCode === ub.code).at(-1)!;
    const storedB = (await storedAnnotation(page, lastB.key))!;
    for (const c of lastB.conflicts) expect(storedB[c.field]).toEqual(c.mine);
    expect(app.errors).toEqual([]);
  });

  it('at city scale: a preview cancelled while it is made writes nothing; the list of 8,446 field conflicts is windowed, and a decision works', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-scale-'));
    const data = divergent(13, dir);
    expect([data.conflicts.length, data.fields]).toEqual([1352, 8446]);
    const app = await startApp();
    sessions.push(app);
    await new ProfileDialog(app.page).complete('吴督办', '市级部门');
    await new Workbench(app.page).waitReady();
    const page = app.page;
    await choose(app, data.first);
    await page.locator('.import-preview').waitFor({ timeout: 180_000 });
    await applyAndWait(app);
    const before = await storeCounts(page);

    // 取消 while the bundle is being checked: no preview, and nothing written.
    await choose(app, data.second);
    await page.locator('.bundle-busy').getByRole('button', { name: /取\s*消/ }).click();
    await page.getByText('已取消，本机数据没有任何改动。').first().waitFor({ timeout: 120_000 });
    expect(await page.locator('.import-preview').count()).toBe(0);
    expect(await storeCounts(page)).toEqual(before);

    await choose(app, data.second);
    const preview = page.locator('.import-preview');
    await preview.locator('.conflicts-title').waitFor({ timeout: 180_000 });
    expect(await preview.locator('.conflicts-title').innerText()).toBe('需要处理的冲突：8446 处字段，涉及 1352 项任务');
    const list = preview.locator('.conflict-list');
    expect(await list.getAttribute('data-rows')).toBe(String(1352 + 8446));
    expect(await preview.locator('.conflict-row').count()).toBeLessThan(30);
    // To the end of the list: the last field is rendered, and still only a window of rows.
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastKey = data.conflicts.at(-1)!;
    const lastRow = preview.locator(`[data-conflict="${lastKey.key}:${lastKey.conflicts.at(-1)!.field}"]`);
    await lastRow.waitFor();
    expect(await preview.locator('.conflict-row').count()).toBeLessThan(30);
    await lastRow.getByText('采用对方').click();
    await expect.poll(() => leftText(page).innerText()).toBe('还有 8445 处冲突未决定');
    expect(await lastRow.locator('.ant-radio-wrapper-checked').innerText()).toBe('采用对方');
    await preview.locator('.conflicts-bulk').getByRole('button', { name: '全部采用对方' }).click();
    await expect.poll(() => leftText(page).count()).toBe(0);
    expect(await preview.getByRole('button', { name: /应用导入/ }).isDisabled()).toBe(false);
    // Discarding the preview writes nothing either.
    await preview.getByRole('button', { name: /放\s*弃/ }).click();
    expect(await storeCounts(page)).toEqual(before);
    expect(app.errors).toEqual([]);
  });
});
