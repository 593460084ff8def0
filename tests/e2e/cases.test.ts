/**
 * 典型案例 end to end (headless Chromium through the harness; the Word document is built by the
 * real main-side code): a district official flags a task, writes its case in the cases view, the
 * write-up survives a restart and is in the task's history; the case collection is exported
 * through the save dialog. A supervisor with demo data sees every unit's cases (screenshot).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function nav(page: Page, label: string) {
  await page.locator('.app-header .ant-segmented-item', { hasText: label }).click();
}

describe('case collection', () => {
  it('flag a task, write its case, restart: it is there; export the case collection', async () => {
    const app = await startApp();
    sessions.push(app);
    const page = app.page;
    await new ProfileDialog(page).complete('李案例', '建邺区');
    const wb = new Workbench(page);
    await wb.waitReady();
    const panel = new AnnotationPanel(page);
    await wb.openTask('T1-03');
    await panel.setStatus('已完成');
    await panel.root.getByText('最佳实践案例', { exact: true }).click();
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');

    await nav(page, '典型案例');
    const card = page.locator('[data-case="T1-03|320105"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.getAttribute('data-written')).toBe('no');
    expect(await card.innerText()).toContain('尚未撰写案例材料');
    // Writing the approach first: the name is required once anything is filled.
    await card.getByLabel('主要做法').fill('一是建立企业服务专员制度。\n二是推行“一窗通办”。');
    await expect.poll(() => card.locator('[data-save-state]').getAttribute('data-save-state')).toBe('invalid');
    expect(await card.innerText()).toContain('请填写案例名称');
    await card.getByLabel('案例名称').fill('建邺区企业服务专员制度');
    await card.getByLabel('所属领域').fill('营商环境');
    await card.getByLabel('取得成效').fill('服务企业1200家，办结诉求98%。');
    await card.getByLabel('复制推广价值').fill('可在全市各区推广。');
    await expect.poll(() => card.locator('[data-save-state]').getAttribute('data-save-state'), { timeout: 30_000 }).toBe('saved');
    expect(await card.getAttribute('data-written')).toBe('yes');

    // Restart: the write-up is stored, and the task's history lists the 典型案例 change.
    const page2 = await app.restart();
    await new Workbench(page2).waitReady();
    await nav(page2, '典型案例');
    const card2 = page2.locator('[data-case="T1-03|320105"]');
    await card2.waitFor({ timeout: 60_000 });
    expect(await card2.getByLabel('案例名称').inputValue()).toBe('建邺区企业服务专员制度');
    expect(await card2.getByLabel('主要做法').inputValue()).toBe('一是建立企业服务专员制度。\n二是推行“一窗通办”。');
    expect(await card2.getByLabel('复制推广价值').inputValue()).toBe('可在全市各区推广。');

    // Export through the save dialog (answered by the harness).
    const dir = mkdtempSync(join(tmpdir(), 'cases-'));
    const docx = join(dir, '案例汇编.docx');
    app.harness.dialogQueue.push(docx);
    await page2.getByRole('button', { name: /导出案例汇编/ }).click();
    await page2.locator('.cases-saved').waitFor({ timeout: 90_000 });
    expect(existsSync(docx)).toBe(true);
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml']!);
    for (const s of ['南京市服务业扩大开放综合试点典型案例汇编', '建邺区企业服务专员制度', '一是建立企业服务专员制度。', '营商环境', '服务企业1200家', '可在全市各区推广。', '（三）复制推广价值', 'T1-03']) {
      expect(xml).toContain(s);
    }

    // The task's history shows the write-up as a change of 典型案例.
    await nav(page2, '任务');
    await new Workbench(page2).openTask('T1-03');
    const panel2 = new AnnotationPanel(page2);
    await panel2.tab('修改历史');
    await expect.poll(() => panel2.root.innerText()).toContain('典型案例');
    expect(app.errors).toEqual([]);
  }, 300_000);

  it('a supervisor sees every unit’s flagged tasks, filters them, and opens one', async () => {
    const corpus = loadCorpus();
    if (!corpus.ok) throw new Error(corpus.error.message);
    const dir = mkdtempSync(join(tmpdir(), 'cases-demo-'));
    const file = join(dir, 'demo.pilotbundle');
    writeFileSync(file, writeBundle(makeDemoData({ units: 3, seed: 11, corpus: corpus.value, logEntriesPerAnnotation: 0, attachments: 0 })));

    const app = await startApp({ viewport: { width: 1440, height: 1000 } });
    sessions.push(app);
    const page = app.page;
    const d = page.getByRole('dialog');
    await d.getByLabel('姓名').fill('王督办');
    await d.getByLabel('所在单位').click();
    await page.keyboard.type('市级部门');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '市级部门' }).click();
    await d.getByText('市级督办').click();
    await d.getByRole('button', { name: /开始使用/ }).click();
    await d.waitFor({ state: 'detached' });
    await new Workbench(page).waitReady();
    await nav(page, '批注包');
    app.harness.dialogQueue.push(file);
    await page.getByRole('button', { name: /选择批注包/ }).click();
    await page.locator('.import-preview').getByRole('button', { name: /应用导入/ }).click();
    await page.getByText(/导入完成/).first().waitFor({ timeout: 120_000 });

    await nav(page, '典型案例');
    await page.getByText('全部单位', { exact: true }).click();
    const cards = page.locator('.case-card');
    await cards.first().waitFor({ timeout: 60_000 });
    const counts = await page.locator('.cases-counts').innerText();
    const [, total, written] = /共 (\d+) 项，已撰写 (\d+) 项/.exec(counts)!.map(Number);
    expect(total).toBeGreaterThan(written!);
    expect(written).toBeGreaterThan(0);
    expect(await page.locator('.case-card[data-written="no"]').count()).toBeGreaterThanOrEqual(0);

    // Kind filter: only 制度创新成果 cards stay.
    await page.locator('.cases-filters .ant-segmented-item', { hasText: '制度创新成果' }).click();
    await expect.poll(async () => (await cards.allInnerTexts()).every((t) => t.includes('制度创新成果'))).toBe(true);
    await page.locator('.cases-filters .ant-segmented-item', { hasText: /^全部$/ }).click();
    await page.screenshot({ path: screenshotPath('cases.png') });

    // Keyboard: Tab reaches the first card's name field; its button opens the task.
    const first = cards.first();
    const key = (await first.getAttribute('data-case'))!;
    await first.getByLabel('案例名称').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('打开任务');
    await page.keyboard.press('Enter');
    await page.locator(`article[data-task-id="${key.split('|')[0]}"]`).waitFor();
    expect(app.errors).toEqual([]);
  }, 300_000);
});
