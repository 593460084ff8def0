/**
 * 报告起草 end to end (headless Chromium through the harness; the Word file is built by the real
 * main-side code): a draft made from the builder's choices, a section rewritten by the author, a
 * figure chip that follows the data (with its change marker), 重新生成 that asks before replacing
 * the author's words, a quote from 素材 with its provenance, and a Word file that holds the
 * author's words and the figure frozen at export; the draft file exported beside it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const AUTHOR_WORDS = '作者亲笔：高层次人才引进仍是短板';

async function setStatus(page: Page, id: string, status: string) {
  const wb = new Workbench(page);
  const panel = new AnnotationPanel(page);
  await wb.openTask(id);
  await panel.setStatus(status);
  await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
}

const nav = (page: Page, name: string) => page.locator('.app-header .ant-segmented-item', { hasText: name }).click();
const section = (page: Page, title: string) => page.getByRole('textbox', { name: `正文：${title}` });
const chip = (page: Page, key: string) => page.locator(`section[aria-label="一、总体推进情况"] .figure-chip[data-figure="${key}"]`);
const saved = (page: Page) => expect.poll(() => page.locator('.drafting-state').innerText()).toBe('已自动保存');

describe('report drafting', () => {
  it("drafts a report with live figures, quotes and regeneration, and exports the author's words with the figures frozen", async () => {
    app = await startApp({ viewport: { width: 1440, height: 1500 } });
    const page = app.page;
    await new ProfileDialog(page).complete('李起草', '玄武区');
    await new Workbench(page).waitReady();
    await setStatus(page, 'T1-01', '已完成');
    const panel = new AnnotationPanel(page);
    await panel.field('results').fill('累计服务企业120家，带动投资8.5亿元');
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');

    // A new draft from the builder's choices (district, 玄武区): the generated draft, with chips.
    await nav(page, '报告');
    await page.locator('.report-head .ant-segmented-item', { hasText: '报告起草' }).click();
    await page.getByRole('button', { name: /按当前选择新建草稿/ }).click();
    await page.getByTestId('drafting').waitFor();
    await expect.poll(() => chip(page, 'overall.implemented').innerText()).toBe('1');
    expect(await chip(page, 'overall.implemented').getAttribute('title')).toBe('实时数字：overall.implemented');
    expect(await page.locator('.report-block-card').first().innerText()).toContain('各表任务推进情况');

    // The author writes in 四、存在问题 (replacing the placeholder) and in 五.
    const problems = section(page, '四、存在问题');
    await problems.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(AUTHOR_WORDS);
    const formToggle = page.getByRole('button', { name: '公文要素' });
    await formToggle.click();
    await page.getByLabel('主送机关').fill('市服务业扩大开放综合试点工作领导小组办公室');
    await formToggle.click();
    const next = section(page, '五、下一步工作打算');
    await next.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('这句稍后会被重新生成替换');
    await saved(page);

    // 重新生成 of a section the author wrote in asks first; confirmed, the generated text returns.
    await page.locator('section[aria-label="五、下一步工作打算"]').getByRole('button', { name: /重新生成/ }).click();
    const ask = page.getByRole('dialog').filter({ hasText: '重新生成「下一步工作打算」？' });
    await ask.waitFor();
    await ask.getByRole('button', { name: /替换为初稿/ }).click();
    // The generated next steps (with no data yet: every task still to be started) replace the author's sentence.
    await expect.poll(() => next.innerText()).toMatch(/未启动任务/);
    expect(await next.innerText()).not.toContain('这句稍后会被重新生成替换');
    // The untouched 一 regenerates without asking.
    await page.locator('section[aria-label="一、总体推进情况"]').getByRole('button', { name: /重新生成/ }).click();
    await page.getByText('已重新生成「总体推进情况」').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);

    // A quote from 素材 goes into the section at the cursor, with its provenance.
    await problems.click();
    await page.keyboard.press('End');
    const materials = page.getByTestId('materials');
    await materials.getByRole('searchbox', { name: '筛选素材' }).fill('累计服务企业');
    await expect.poll(() => materials.locator('.material').count()).toBe(1);
    await materials.getByRole('button', { name: /插入引文/ }).click();
    await expect.poll(() => problems.locator('blockquote').innerText()).toBe('累计服务企业120家，带动投资8.5亿元（玄武区，T1-01）');
    await saved(page);

    // The data changes elsewhere; back in the draft the chip follows, marked as changed.
    await nav(page, '任务');
    await setStatus(page, 'T1-02', '基本完成');
    await nav(page, '报告');
    await page.getByTestId('drafting').waitFor();
    await expect.poll(() => chip(page, 'overall.implemented').innerText()).toBe('2');
    expect(await chip(page, 'overall.implemented').getAttribute('class')).toContain('figure-changed');
    expect(await chip(page, 'overall.implemented').getAttribute('title')).toBe('实时数字：overall.implemented（刷新前为 1）');
    expect(await problems.innerText()).toContain(AUTHOR_WORDS);
    // The refreshed figures are saved with the draft (and the screen has settled for its picture).
    await saved(page);
    await page.screenshot({ path: screenshotPath('drafting.png') });

    // Export: the author's words, the quote and the figure as it is now, frozen in the file.
    const dir = mkdtempSync(join(tmpdir(), 'drafting-'));
    const docx = join(dir, '玄武区报告.docx');
    app.harness.dialogQueue.push(docx);
    await page.getByRole('button', { name: /导出 Word/ }).click();
    await expect.poll(() => existsSync(docx), { timeout: 60_000 }).toBe(true);
    const text = strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain(AUTHOR_WORDS);
    expect(text).toContain('累计服务企业120家，带动投资8.5亿元（玄武区，T1-01）');
    expect(text).toMatch(/已实施2项，实施率/);
    expect(text).not.toContain('这句稍后会被重新生成替换');

    const json = join(dir, '玄武区报告.json');
    app.harness.dialogQueue.push(json);
    await page.getByRole('button', { name: /导出草稿/ }).click();
    await expect.poll(() => existsSync(json), { timeout: 30_000 }).toBe(true);
    const file = JSON.parse(readFileSync(json, 'utf8')) as { type: string; draft: { form: { recipients: string }; sections: { key: string }[] } };
    expect(file.type).toBe('pilot-desk-report-draft');
    expect(file.draft.form.recipients).toBe('市服务业扩大开放综合试点工作领导小组办公室');
    expect(JSON.stringify(file.draft.sections)).toContain(AUTHOR_WORDS);
    expect(app.errors).toEqual([]);
  });
});
