import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Col, Empty, Modal, Row, Select, Space, Spin, Statistic, Table, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { RoundReviewCard } from '../rounds/RoundReviewCard';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { Annotation } from '../../../../src-main/shared/domain';
import { chinaToday } from '../../../../src-main/shared/time';
import { pct } from '../../../../src-main/shared/report/model';
import {
  dashboardData,
  drillCounts,
  type DashboardInput,
  type DashboardUnit,
  type DrillTarget,
  type OverdueItem,
  type ProblemItem,
} from '../../../../src-main/shared/dashboard/aggregate';
import {
  dashboardImplementedShare,
  dashboardLights,
  dashboardStatusByGroup,
  dashboardStatusByTable,
  dashboardStatusByUnit,
  statusTrendChart,
} from '../../../../src-main/shared/dashboard/charts';
import { cityOf, monthlySeries, type MonthlySeries } from '../../../../src-main/shared/dashboard/monthly';
import { db } from '../../db/db';
import { listAnnotations } from '../../db/repo';
import { useSessionStore } from '../../store/sessionStore';
import { StatusBadge } from '../../components/StatusBadge';
import { ChartBox } from './ChartBox';
import { chartLabels } from './chartLabels';
import { loadStatusHistories } from './loadHistories';
import { openDrill, openTaskOfUnit } from './drill';
import { dateText } from '../../i18n/time';
import './dashboard.css';

const CITY = '__city__';

interface Trend {
  state: 'loading' | 'ready';
  done: number;
  total: number;
  series: MonthlySeries | null;
  ms: number;
}

/** The last series computed, so that coming back to the dashboard with unchanged data is instant. */
let lastTrend: { key: string; trend: Trend } | null = null;

/**
 * The monthly series of the units in view, read revision by revision in the background. Recomputed
 * when an annotation's head (so its revisions), the units or the date change.
 */
function useTrend(annotations: Annotation[] | undefined, units: DashboardUnit[], taskIds: string[], asOf: string, unitCode: string | null): Trend {
  const [trend, setTrend] = useState<Trend>({ state: 'loading', done: 0, total: 0, series: null, ms: 0 });
  const unitKey = units.map((u) => u.code).join(',');
  // Re-read when the set of annotations (their heads) changes, not on every render.
  const headKey = useMemo(() => (annotations ?? []).map((a) => a.head).join(','), [annotations]);
  useEffect(() => {
    if (!annotations) return;
    const cacheKey = `${headKey}|${unitKey}|${asOf}`;
    if (lastTrend?.key === cacheKey) {
      setTrend(lastTrend.trend);
      return;
    }
    const signal = { cancelled: false };
    const codes = new Set(unitKey.split(','));
    const inView = annotations.filter((a) => codes.has(a.unitCode));
    const started = performance.now();
    setTrend({ state: 'loading', done: 0, total: inView.length, series: null, ms: 0 });
    void loadStatusHistories(db, inView, { signal, onProgress: (done, total) => !signal.cancelled && setTrend((t) => ({ ...t, done, total })) }).then((histories) => {
      if (!histories || signal.cancelled) return;
      // 全市: the plan's tasks by their city-level status, as the cards above count them.
      const series = monthlySeries(histories, { asOf, unitCodes: [...codes], taskIds, unitCode, city: unitCode ? undefined : cityOf(units, inView) });
      const ready: Trend = { state: 'ready', done: inView.length, total: inView.length, series, ms: Math.round(performance.now() - started) };
      lastTrend = { key: cacheKey, trend: ready };
      setTrend(ready);
    });
    return () => {
      signal.cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [headKey, unitKey, asOf]);
  return trend;
}

/** 数据看板: the city's or one unit's figures as charts and lists; every element opens the filtered task list. */
export function DashboardView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  // react-i18next gives a new `t` when the language changes.
  const labels = useMemo(() => chartLabels(t), [t]);
  const allUnits = useSessionStore((s) => s.units);
  const profile = useSessionStore((s) => s.profile);
  // A district official's dashboard opens on the official's own unit; a supervisor's on 全市.
  const [choice, setChoice] = useState<string>(() => (profile && profile.role !== 'supervisor' && profile.unitCode ? profile.unitCode : CITY));
  const [picking, setPicking] = useState<DrillTarget | null>(null);
  const annotations = useLiveQuery(() => listAnnotations(db), []);
  const asOf = chinaToday();

  const unitsWithData = useMemo(() => new Set((annotations ?? []).map((a) => a.unitCode)), [annotations]);
  const cityUnits = useMemo(
    () => allUnits.filter((u) => u.active || unitsWithData.has(u.code)).map((u) => ({ code: u.code, name: u.name, kind: u.kind })),
    [allUnits, unitsWithData],
  );
  const unitCode = choice === CITY || !cityUnits.some((u) => u.code === choice) ? null : choice;
  const scopeName = unitCode ? (cityUnits.find((u) => u.code === unitCode)?.name ?? unitCode) : t('dashboard.city');
  const units = useMemo(() => (unitCode ? cityUnits.filter((u) => u.code === unitCode) : cityUnits), [cityUnits, unitCode]);
  const input: DashboardInput | null = useMemo(
    () => (annotations ? { tasks: corpus.tasks, tables: corpus.tables, units, annotations, asOf, city: !unitCode } : null),
    [annotations, corpus, units, asOf, unitCode],
  );
  const data = useMemo(() => (input ? dashboardData(input) : null), [input]);
  const taskIds = useMemo(() => corpus.tasks.map((x) => x.id), [corpus.tasks]);
  const trend = useTrend(annotations, units, taskIds, asOf, unitCode);

  const drill = (target: DrillTarget) => {
    const code = target.unitCode ?? unitCode;
    if (code) void openDrill({ ...target, unitCode: code });
    else setPicking(target);
  };

  const charts = useMemo(() => {
    if (!data) return null;
    const u = unitCode ?? undefined;
    return {
      byTable: dashboardStatusByTable(data, u, labels),
      share: dashboardImplementedShare(data, u, labels),
      lights: dashboardLights(data, u, labels),
      byGroup: dashboardStatusByGroup(data, u, labels),
      byUnit: unitCode ? null : dashboardStatusByUnit(data, labels),
    };
  }, [data, unitCode, labels]);
  const trendChart = useMemo(() => (trend.series ? statusTrendChart(trend.series, undefined, labels) : null), [trend.series, labels]);

  if (!data || !charts || !input) {
    return (
      <div className="dash-loading">
        <Spin description={t('dashboard.loading')} />
      </div>
    );
  }
  const o = data.overall;

  return (
    <div className="dashboard" data-testid="dashboard">
      <div className="dash-head">
        <Typography.Title level={4} style={{ margin: 0 }} className="dash-title">
          {t('dashboard.titleOf', { scope: scopeName })}
        </Typography.Title>
        <Space>
          <label htmlFor="dash-unit">{t('dashboard.scope')}</label>
          <Select
            id="dash-unit"
            aria-label={t('dashboard.scope')}
            value={unitCode ?? CITY}
            onChange={setChoice}
            style={{ width: 160 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={[{ value: CITY, label: t('dashboard.city') }, ...cityUnits.map((u) => ({ value: u.code, label: u.name }))]}
          />
          <Typography.Text type="secondary">{t('dashboard.asOf', { date: dateText(asOf) })}</Typography.Text>
        </Space>
      </div>
      <Typography.Paragraph type="secondary" className="dash-hint">
        {t('dashboard.hint')}
      </Typography.Paragraph>
      {!unitCode && (
        <Typography.Paragraph type="secondary" className="dash-city-basis" data-basis={data.basis}>
          {t('dashboard.cityHint')} {t('matrix.cityRule')}
        </Typography.Paragraph>
      )}

      <Row gutter={[16, 16]}>
        <Col span={4}>
          <Card size="small" data-stat="total">
            <Statistic title={t(unitCode ? 'dashboard.total' : 'dashboard.cityTotal')} value={o.total} suffix={t('dashboard.items')} />
          </Card>
        </Col>
        <Col span={5}>
          <Card size="small">
            <Statistic title={t('dashboard.implemented')} value={o.implemented} suffix={`${t('dashboard.items')} · ${pct(o.implementedShare)}`} />
          </Card>
        </Col>
        <Col span={3}>
          <Card size="small" data-light="red">
            <Statistic title={t('dashboard.red')} value={o.lights.red} suffix={t('dashboard.items')} styles={{ content: { color: '#cf1322' } }} />
          </Card>
        </Col>
        <Col span={3}>
          <Card size="small" data-light="green">
            <Statistic title={t('dashboard.green')} value={o.lights.green} suffix={t('dashboard.items')} styles={{ content: { color: '#389e0d' } }} />
          </Card>
        </Col>
        <Col span={5}>
          <Card size="small" data-light="none">
            <Statistic title={t('dashboard.unlit')} value={o.lights.none} suffix={t('dashboard.items')} styles={{ content: { color: '#8c8c8c' } }} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title={t('dashboard.overdue')} value={data.overdueCount} suffix={t('dashboard.items')} styles={{ content: { color: '#d4380d' } }} />
          </Card>
        </Col>

        <Col xs={24} xl={14}>
          <Card size="small" title={charts.byTable.caption}>
            <ChartBox spec={charts.byTable} onDrill={drill} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={charts.share.caption}>
            <ChartBox spec={charts.share} onDrill={drill} />
          </Card>
        </Col>
        {charts.byUnit && (
          <Col xs={24} xl={14}>
            <Card size="small" title={charts.byUnit.caption}>
              <ChartBox spec={charts.byUnit} onDrill={drill} />
            </Card>
          </Col>
        )}
        <Col xs={24} xl={charts.byUnit ? 10 : 8}>
          <Card size="small" title={charts.lights.caption}>
            <ChartBox spec={charts.lights} onDrill={drill} />
          </Card>
        </Col>
        <Col xs={24} xl={charts.byUnit ? 24 : 16}>
          <Card size="small" title={charts.byGroup.caption}>
            <ChartBox spec={charts.byGroup} onDrill={drill} />
          </Card>
        </Col>

        <Col span={24}>
          <Card
            size="small"
            title={t('dashboard.trend')}
            className="dash-trend"
            data-state={trend.state}
            data-elapsed-ms={trend.state === 'ready' ? trend.ms : undefined}
            extra={trend.state === 'ready' && <Typography.Text type="secondary">{t('dashboard.trendNote')}</Typography.Text>}
          >
            {trend.state === 'loading' ? (
              <div className="dash-trend-loading">
                <Spin description={t('dashboard.trendLoading', { done: trend.done, total: trend.total })} />
              </div>
            ) : trendChart ? (
              <ChartBox spec={trendChart} />
            ) : (
              <Empty description={t('dashboard.trendEmpty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
        </Col>

        <Col xs={24}>
          <RoundReviewCard />
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={`${t('dashboard.overdueList')}（${data.overdue.length}）`}
            extra={data.overdue.length > 0 && <Button size="small" type="link" onClick={() => drill({ overdue: true })}>{t('dashboard.showInList')}</Button>}
          >
            <ItemTable<OverdueItem> items={data.overdue} kind="overdue" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={`${t('dashboard.problemList')}（${data.problems.length}）`}
            extra={data.problems.length > 0 && <Button size="small" type="link" onClick={() => drill({ hasProblems: true })}>{t('dashboard.showInList')}</Button>}
          >
            <ItemTable<ProblemItem> items={data.problems} kind="problems" />
          </Card>
        </Col>
      </Row>

      <Modal
        open={picking !== null}
        title={t('dashboard.pickUnit')}
        footer={null}
        onCancel={() => setPicking(null)}
        destroyOnHidden
      >
        {picking && (
          <div className="dash-pick" role="list">
            {drillCounts(input, picking).map(({ unit, count }) => (
              <Button
                key={unit.code}
                role="listitem"
                disabled={count === 0}
                data-unit={unit.code}
                onClick={() => {
                  setPicking(null);
                  void openDrill({ ...picking, unitCode: unit.code });
                }}
              >
                {unit.name}（{count}）
              </Button>
            ))}
          </div>
        )}
      </Modal>
    </div>
  );
}

/** The overdue or problems list: a row (a button, so keyboard reachable) opens the task in its unit. */
function ItemTable<T extends OverdueItem | ProblemItem>({ items, kind }: { items: T[]; kind: 'overdue' | 'problems' }) {
  const { t } = useTranslation();
  return (
    <Table<T>
      size="small"
      className={`dash-list dash-list-${kind}`}
      rowKey={(r) => `${r.taskId}|${r.unitCode}`}
      dataSource={items}
      pagination={items.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
      locale={{ emptyText: t('dashboard.none') }}
      columns={[
        {
          title: t('dashboard.task'),
          key: 'task',
          render: (_: unknown, r: T) => (
            <Button type="link" size="small" className="dash-task-link" onClick={() => void openTaskOfUnit(r.taskId, r.unitCode)}>
              {r.taskId} {r.shortTitle}
            </Button>
          ),
        },
        { title: t('dashboard.unit'), dataIndex: 'unitName', width: 90 },
        { title: t('dashboard.status'), key: 'status', width: 90, render: (_: unknown, r: T) => <StatusBadge status={r.status} compact /> },
        kind === 'overdue'
          ? {
              title: t('dashboard.daysOverdue'),
              key: 'days',
              width: 110,
              render: (_: unknown, r: T) => t('dashboard.days', { deadline: dateText((r as OverdueItem).deadline), days: (r as OverdueItem).daysOverdue }),
            }
          : {
              title: t('dashboard.problems'),
              key: 'problems',
              ellipsis: true,
              render: (_: unknown, r: T) => <span title={(r as ProblemItem).problems}>{(r as ProblemItem).problems}</span>,
            },
      ]}
    />
  );
}

export default DashboardView;
