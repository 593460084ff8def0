import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ECharts } from 'echarts/core';
import type { ChartSpec } from '../../../../src-main/shared/report/charts';
import type { DrillTarget } from '../../../../src-main/shared/dashboard/aggregate';
import { echarts } from './echarts';

interface Props {
  spec: ChartSpec;
  onDrill?: (target: DrillTarget) => void;
}

interface Cursor {
  series: number;
  index: number;
}

/**
 * One shared chart spec drawn with ECharts (SVG). A click on an element calls `onDrill` with what the
 * spec's `drill` says it points at. Keyboard: the chart is focusable; ←/→ move between categories,
 * ↑/↓ between series, Enter opens the element, and the element is read out in a live region.
 */
export function ChartBox({ spec, onDrill }: Props) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const drill = useRef(spec.drill);
  const onDrillRef = useRef(onDrill);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  useEffect(() => {
    drill.current = spec.drill;
    onDrillRef.current = onDrill;
  });

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, null, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => {
      const target = drill.current?.(p.seriesIndex ?? 0, p.dataIndex);
      if (target) onDrillRef.current?.(target);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(spec.option, { notMerge: true });
  }, [spec.option]);

  const series = (spec.option.series ?? []) as { name?: string; data?: unknown[] }[];
  const axis = (a: unknown) => (Array.isArray(a) ? a[0] : a) as { type?: string; data?: unknown[] } | undefined;
  const xAxis = axis(spec.option.xAxis);
  const categories = (xAxis?.type === 'category' ? xAxis.data : axis(spec.option.yAxis)?.data) ?? [];
  const valueAt = (c: Cursor) => {
    const v = series[c.series]?.data?.[c.index];
    return typeof v === 'object' && v !== null ? (v as { value: unknown }).value : v;
  };
  const describe = (c: Cursor | null) =>
    c
      ? t('dashboard.chartItem', {
          category: String(categories[c.index] ?? '').replace(/\n/g, ' '),
          series: series[c.series]?.name ?? '',
          value: String(valueAt(c) ?? ''),
        })
      : '';

  const move = (c: Cursor) => {
    const ch = chart.current;
    if (ch) {
      ch.dispatchAction({ type: 'downplay' });
      ch.dispatchAction({ type: 'highlight', seriesIndex: c.series, dataIndex: c.index });
      ch.dispatchAction({ type: 'showTip', seriesIndex: c.series, dataIndex: c.index });
    }
    setCursor(c);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const nS = series.length;
    const nI = categories.length;
    if (!nS || !nI) return;
    const c = cursor ?? { series: 0, index: 0 };
    let next: Cursor | null = null;
    if (e.key === 'ArrowRight') next = { ...c, index: cursor ? (c.index + 1) % nI : 0 };
    else if (e.key === 'ArrowLeft') next = { ...c, index: cursor ? (c.index - 1 + nI) % nI : 0 };
    else if (e.key === 'ArrowDown') next = { ...c, series: cursor ? (c.series + 1) % nS : 0 };
    else if (e.key === 'ArrowUp') next = { ...c, series: cursor ? (c.series - 1 + nS) % nS : 0 };
    else if (e.key === 'Enter' && cursor) {
      e.preventDefault();
      const target = spec.drill?.(cursor.series, cursor.index);
      if (target) onDrill?.(target);
      return;
    }
    if (next) {
      e.preventDefault();
      move(next);
    }
  };

  return (
    <div className="dash-chart-wrap">
      <div
        ref={el}
        className="dash-chart"
        data-chart={spec.id}
        style={{ height: spec.height }}
        tabIndex={0}
        role="group"
        aria-label={`${spec.caption}${spec.drill ? t('dashboard.chartKeys') : ''}`}
        onKeyDown={onKeyDown}
        onBlur={() => {
          chart.current?.dispatchAction({ type: 'hideTip' });
          chart.current?.dispatchAction({ type: 'downplay' });
        }}
      />
      <div className="dash-sr" aria-live="polite">
        {describe(cursor)}
      </div>
    </div>
  );
}
