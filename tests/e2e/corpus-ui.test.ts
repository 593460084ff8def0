/**
 * End to end in headless Chromium (not Electron: the binary cannot be fetched here) through the
 * loopback harness: the tree lists every task, search finds exactly the tasks that contain a term,
 * a task shows its measure, the reader links measures to tasks, and a damaged seed shows an error screen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testCorpus } from '../support/corpus';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { ProfileDialog, Workbench } from './support/pages';

const corpus = testCorpus();

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('task tree and search', () => {
  it('lists all tasks, finds 「知识产权」 exactly, and opens a task with its measure', async () => {
    app = await startApp();
    await new ProfileDialog(app.page).complete('李四', '建邺区');
    const wb = new Workbench(app.page);
    await wb.waitReady();
    const all = await wb.visibleTaskIds();
    expect(all).toEqual(corpus.tasks.map((t) => t.id));
    expect(all).toHaveLength(104);

    for (const term of ['知识产权', '跨境', 'RCEP']) {
      await wb.search(term);
      const expected = corpus.tasks.filter((t) => t.text.includes(term)).map((t) => t.id);
      expect(expected.length).toBeGreaterThan(0);
      await expect.poll(() => wb.visibleTaskIds()).toEqual(expected);
    }

    await wb.search('知识产权');
    const first = corpus.tasks.find((t) => t.text.includes('知识产权'))!;
    const view = await wb.openTask(first.id);
    await expect.poll(() => view.innerText()).toContain(first.text);
    const measure = corpus.measures.find((m) => m.number === first.measure)!;
    const box = view.locator(`[data-measure="${measure.number}"]`);
    await expect.poll(() => box.innerText()).toContain(`${measure.number}. ${measure.title}`);
    // The matched term is highlighted in the task text.
    expect(await view.locator('mark').first().innerText()).toBe('知识产权');
    await app.page.screenshot({ path: screenshotPath('tasks.png') });
    expect(app.errors).toEqual([]);
  });

  it('follows a measure from a task to the reader and back to a task', async () => {
    app = await startApp();
    await new ProfileDialog(app.page).complete('李四', '建邺区');
    const wb = new Workbench(app.page);
    await wb.waitReady();
    const task = corpus.tasks.find((t) => t.id === 'T2-01')!;
    const view = await wb.openTask(task.id);
    await view.getByRole('button', { name: /在方案原文中查看/ }).click();
    const measureBlock = app.page.locator(`.reader-measure[data-measure="${task.measure}"]`);
    await measureBlock.waitFor();
    const links = await measureBlock.locator('.reader-task-link').allInnerTexts();
    expect(links).toEqual(corpus.tasks.filter((t) => t.measure === task.measure).map((t) => t.id));
    await measureBlock.locator('.reader-task-link', { hasText: task.id }).click();
    await app.page.locator(`article[data-task-id="${task.id}"]`).waitFor();
    expect(app.errors).toEqual([]);
  });

  it('focuses the search box with Ctrl+K', async () => {
    app = await startApp();
    await new ProfileDialog(app.page).complete('李四', '建邺区');
    const wb = new Workbench(app.page);
    await wb.waitReady();
    await app.page.keyboard.press('Control+k');
    await expect.poll(() => wb.searchBox.evaluate((el) => el === document.activeElement)).toBe(true);
  });
});

describe('damaged seed', () => {
  it('shows a clear error screen instead of an empty task list', async () => {
    app = await startApp({
      corpus: () => ({ ok: false, error: { code: 'corpus.damaged', message: '种子文件已损坏：缺少表3。', detail: 'table 3 missing' } }),
    });
    await app.page.getByText('无法载入试点方案原文').waitFor();
    expect(await app.page.getByText('种子文件已损坏：缺少表3。').count()).toBe(1);
    expect(await app.page.getByRole('navigation').count()).toBe(0);
  });
});

describe('storage that never silently resets', () => {
  it('stops with a clear message when the data’s origin has changed, instead of opening an empty database', async () => {
    app = await startApp({ recordedOrigin: 'http://127.0.0.1:1' });
    await app.page.getByText('无法打开本地数据').waitFor();
    expect(await app.page.getByText(/数据存放位置发生了变化/).count()).toBe(1);
    // No profile dialog, no task list: nothing was created in the new origin's database.
    expect(await app.page.getByRole('navigation').count()).toBe(0);
    const dbs = await app.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(dbs).not.toContain('pilot-desk');
  });
});

describe('content security policy (in the built page)', () => {
  it('does not run an injected inline script, and eval throws', async () => {
    app = await startApp();
    await app.page.getByRole('dialog').waitFor();
    const result = await app.page.evaluate(async () => {
      const w = window as unknown as { __injected?: number };
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1';
      document.body.appendChild(s);
      const img = document.createElement('img');
      img.setAttribute('src', 'x');
      img.setAttribute('onerror', 'window.__injected = 2');
      document.body.appendChild(img);
      await new Promise((r) => setTimeout(r, 300));
      let evalOutcome = 'ran';
      try {
        (0, eval)('1 + 1');
      } catch (e) {
        evalOutcome = (e as Error).name;
      }
      let fnOutcome = 'ran';
      try {
        new Function('return 1')();
      } catch (e) {
        fnOutcome = (e as Error).name;
      }
      return { injected: w.__injected ?? null, evalOutcome, fnOutcome };
    });
    expect(result).toEqual({ injected: null, evalOutcome: 'EvalError', fnOutcome: 'EvalError' });
  });
});
