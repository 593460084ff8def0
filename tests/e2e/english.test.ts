/**
 * The English UI, screen by screen (headless Chromium through the harness, not Electron): with the
 * language set to English, the chrome of every view — tabs, buttons, headings, form labels, table
 * headers, placeholders, empty states — has no Chinese left. The data stays as it is (the plan's
 * tasks and the unit names are Chinese, and so are the texts the app quotes from them), so the
 * check reads the elements that carry the app's own words, not the page's whole text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { ProfileDialog, Workbench } from './support/pages';

let app: AppSession;
let page: Page;

const VIEWS = ['Tasks', 'This month', 'City overview', 'Dashboard', 'Reports', 'Cases', 'Bundles', 'Periods & snapshots', 'Rounds', 'Plan text', 'Settings'];
/** Elements whose text is the app's own wording. */
const CHROME = [
  '.app-header .ant-segmented-item',
  'button',
  'h1, h2, h3, h4, h5',
  '.ant-card-head-title',
  '.ant-form-item-label label',
  'th',
  '.ant-tabs-tab',
  '.ant-empty-description',
  '.ant-alert-message, .ant-alert-title',
  '.ant-statistic-title',
  '.ant-select-selection-placeholder',
  '.ant-select-selection-item',
].join(', ');
const CJK = /[\u3400-\u9fff]/u;
/** Texts that are data, quoted by the chrome: unit names, task ids with titles, table and status names from the plan. */
const DATA = /玄武区|秦淮区|市级部门|^T\d-\d\d\s|《|》|^Measure in the plan: \d+\. /u;

/** The plan's reader shows the source document: its headings are the plan's, not the app's. */
const PLAN_HEADINGS = '.app-reader h1, .app-reader h2, .app-reader h3, .app-reader h4, .app-reader h5';

async function chromeWithChinese(): Promise<string[]> {
  const texts = await page.locator(CHROME).evaluateAll((els, skip) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null && !e.matches(skip)).map((e) => (e as HTMLElement).innerText.trim()),
  PLAN_HEADINGS);
  const placeholders = await page.locator('input[placeholder], textarea[placeholder]').evaluateAll((els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLInputElement).placeholder),
  );
  return [...texts, ...placeholders].filter((t) => CJK.test(t) && !DATA.test(t));
}

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1440, height: 900 } });
  page = app.page;
  await new ProfileDialog(page).complete('张三', '玄武区');
  await new Workbench(page).waitReady();
  await page.getByLabel('语言', { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'English' }).click();
  await page.locator('.app-header .ant-segmented-item', { hasText: 'Tasks' }).waitFor();
});
afterAll(async () => {
  await app?.close();
});

describe('the English UI', () => {
  it.each(VIEWS)('%s: no Chinese in the app’s own words', async (view) => {
    await page.locator('.app-header .ant-segmented-item', { hasText: view }).first().click();
    // Lazy views: wait for the content to be there before reading it.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    if (view === 'Tasks') await new Workbench(page).openTask('T1-01');
    await page.screenshot({ path: screenshotPath(`en-${view.toLowerCase().replace(/[^a-z]+/g, '-')}.png`) });
    expect(await chromeWithChinese()).toEqual([]);
  });
});
