/**
 * The dashboard's charts speak the UI language: in English the legend, the axes and the categories
 * that ECharts draws are English, in Chinese they are Chinese (and the Word report's charts, built from
 * the same specs, stay Chinese — see tests/unit/dashboard.test.ts). Reads the text of the SVG that
 * ECharts renders in jsdom.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import i18n from '../../src-renderer/src/i18n';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { DEFAULT_UNITS, emptyFields, type Author } from '../../src-main/shared/domain';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { saveAnnotation } from '../../src-renderer/src/db/repo';
import { useSessionStore } from '../../src-renderer/src/store/sessionStore';
import { DashboardView } from '../../src-renderer/src/features/dashboard/DashboardView';
import { useMatchMedia } from '../support/dom';

let corpus: Corpus;
const me: Author = { name: '张三', unitCode: '320102' };

beforeAll(async () => {
  corpus = testCorpus();
  // jsdom lays nothing out: give the chart containers a size, and the APIs antd and ECharts ask for.
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 640 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 340 });
  // No canvas in jsdom: ECharts then measures text by its own estimate (and jsdom stays quiet).
  HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  useMatchMedia();
  await openDatabase(db, { persist: false });
  await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'done' }, me);
  await saveAnnotation(db, 'T1-02', '320102', { ...emptyFields(), status: 'delayed' }, me);
  await saveAnnotation(db, 'T2-01', '320104', { ...emptyFields(), status: 'on_track' }, me);
  // The 全市 view counts each task once by the city rule: the 市级部门's own 已完成 makes one city task done.
  await saveAnnotation(db, 'T1-03', 'SJBM', { ...emptyFields(), status: 'done' }, { name: '王督办', unitCode: 'SJBM' });
  useSessionStore.setState({ units: [...DEFAULT_UNITS] });
});
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('zh-CN');
});
afterAll(() => {
  db.close();
});

/** The text ECharts drew in one chart (its SVG `<text>` elements). */
function chartText(container: HTMLElement, id: string): string {
  const chart = container.querySelector(`[data-chart="${id}"]`);
  return [...(chart?.querySelectorAll('svg text') ?? [])].map((t) => t.textContent ?? '').join(' | ');
}

async function renderDashboard() {
  const view = render(
    <AntApp>
      <DashboardView corpus={corpus} />
    </AntApp>,
  );
  await waitFor(() => expect(chartText(view.container, 'dash-lights')).not.toBe(''), { timeout: 20_000 });
  return view;
}

describe('dashboard charts and the UI language', { timeout: 60_000 }, () => {
  it('draws English legends, axes and categories in the English UI', async () => {
    await i18n.changeLanguage('en');
    const { container } = await renderDashboard();
    const byTable = chartText(container, 'dash-status-by-table');
    for (const word of ['Not started', 'On track', 'Delayed', 'Done', 'Tasks', 'Table 1', 'Implemented']) expect(byTable).toContain(word);
    const lights = chartText(container, 'dash-lights');
    for (const word of ['Red', 'Yellow', 'Green']) expect(lights).toContain(word);
    expect(chartText(container, 'dash-implemented-share')).toContain('Table 5');
    expect(chartText(container, 'dash-status-by-group')).toContain('Table 1·');
    // No Chinese chart vocabulary is left in any chart (unit and category names are data, not labels).
    const all = [...container.querySelectorAll('[data-chart] svg text')].map((t) => t.textContent ?? '').join(' ');
    for (const zh of ['未启动', '序时推进', '进度滞后', '已完成', '任务数', '实施率', '红灯', '黄灯', '绿灯', '表1']) expect(all).not.toContain(zh);
    // The captions (card titles and the charts' accessible names) too.
    expect(container.textContent).toContain('Status by table');
    expect(container.querySelector('[data-chart="dash-lights"]')?.getAttribute('aria-label')).toMatch(/^Deadline warnings/);
  });

  it('draws Chinese labels in the Chinese UI', async () => {
    const { container } = await renderDashboard();
    const byTable = chartText(container, 'dash-status-by-table');
    for (const word of ['未启动', '序时推进', '进度滞后', '已完成', '任务数（项）', '表1', '实施率']) expect(byTable).toContain(word);
    const lights = chartText(container, 'dash-lights');
    for (const word of ['红灯', '黄灯', '绿灯']) expect(lights).toContain(word);
    expect(container.textContent).toContain('各表任务完成状态分布');
  });
});
