/**
 * Search at start-up, end to end in headless Chromium: the app indexes annotations and progress
 * notes only after the task list has painted (issue #8). A search typed before that finds the task
 * text at once, says that the index is still being built, and shows the annotation hits by itself
 * once it is ready.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type AppSession } from './support/app';
import { AnnotationPanel, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** Delays every IndexedDB getAll by 4 s, so that the background index build is still running. */
const SLOW_READS = `
  for (const P of [IDBObjectStore.prototype, IDBIndex.prototype]) {
    const orig = P.getAll;
    P.getAll = function (...args) {
      const r = orig.apply(this, args);
      const add = r.addEventListener.bind(r);
      r.addEventListener = (type, l, o) => add(type, type === 'success' ? (e) => setTimeout(() => l(e), 4000) : l, o);
      let h = null;
      Object.defineProperty(r, 'onsuccess', {
        set(l) { h = l; add('success', (e) => setTimeout(() => h && h.call(r, e), 4000)); },
        get() { return h; },
      });
      return r;
    };
  }
`;

describe('search before the index is ready', () => {
  it('finds task text at once, says the index is being built, then adds annotation hits', async () => {
    app = await startApp();
    const page = app.page;
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('李明');
    await dialog.getByLabel('所在单位').click();
    await page.keyboard.type('玄武区');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '玄武区' }).click();
    await dialog.getByRole('button', { name: /开始使用/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const wb = new Workbench(page);
    const panel = new AnnotationPanel(page);
    await wb.waitReady();
    // T2-01's text does not mention 知识产权; its annotation does.
    await wb.openTask('T2-01');
    await panel.field('problems').fill('知识产权质押登记周期长');
    await panel.waitSaved();

    await page.addInitScript(SLOW_READS);
    await page.reload();
    await wb.waitReady();
    await wb.search('知识产权');
    const status = page.getByTestId('search-indexing');
    await status.waitFor();
    expect(await status.innerText()).toContain('正在建立索引');
    const ids = await wb.visibleTaskIds();
    expect(ids).toContain('T1-09'); // the task text is searched already
    expect(ids).not.toContain('T2-01');

    await status.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => wb.visibleTaskIds(), { timeout: 10_000 }).toContain('T2-01');
    expect(await wb.tree.locator('[data-task-id="T2-01"] .task-hit').innerText()).toContain('存在问题');
    expect(app.errors).toEqual([]);
  });
});
