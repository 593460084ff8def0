import { useMemo } from 'react';
import { Button, Checkbox, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATUSES, type Status } from '../../../../src-main/shared/domain';
import { LIGHTS, type Light } from '../../../../src-main/shared/rules';
import { useCorpus } from '../../store/corpusStore';
import { initialFilters, useUiStore } from '../../store/uiStore';
import { StatusBadge } from '../../components/StatusBadge';


/** Filters of the task list: where a task stands in the plan, and how the current unit is doing on it. */
export function FilterBar() {
  const { t } = useTranslation();
  const corpus = useCorpus();
  const filters = useUiStore((s) => s.filters);
  const setFilters = useUiStore((s) => s.setFilters);
  const groups = useMemo(() => {
    const seen = new Map<string, number>();
    for (const task of corpus.tasks) if (!seen.has(task.group)) seen.set(task.group, task.table);
    return [...seen].map(([g, table]) => ({ value: g, label: `表${table}·${g}` }));
  }, [corpus.tasks]);
  const domains = useMemo(() => [...new Set(corpus.tasks.map((x) => x.domain).filter((d): d is string => d !== null))], [corpus.tasks]);
  const active = JSON.stringify({ ...filters, query: '' }) !== JSON.stringify({ ...initialFilters, query: '' });

  return (
    <div className="filter-bar" role="group" aria-label={t('filters.title')}>
      <Select
        mode="multiple"
        size="small"
        allowClear
        aria-label={t('filters.table')}
        placeholder={t('filters.table')}
        value={filters.tables}
        onChange={(tables: number[]) => setFilters({ tables })}
        options={corpus.tables.map((tb) => ({ value: tb.number, label: t('filters.tableOption', { n: tb.number }) }))}
        style={{ minWidth: 110 }}
      />
      <Select
        mode="multiple"
        size="small"
        allowClear
        aria-label={t('task.group')}
        placeholder={t('task.group')}
        value={filters.groups}
        onChange={(g: string[]) => setFilters({ groups: g })}
        options={groups}
        popupMatchSelectWidth={false}
        style={{ minWidth: 110 }}
        maxTagCount="responsive"
      />
      <Select
        mode="multiple"
        size="small"
        allowClear
        aria-label={t('task.domain')}
        placeholder={t('task.domain')}
        value={filters.domains}
        onChange={(d: string[]) => setFilters({ domains: d })}
        options={domains.map((d) => ({ value: d, label: d }))}
        popupMatchSelectWidth={false}
        style={{ minWidth: 110 }}
        maxTagCount="responsive"
      />
      <Select
        mode="multiple"
        size="small"
        allowClear
        aria-label={t('filters.statuses')}
        placeholder={t('filters.statuses')}
        value={filters.statuses}
        onChange={(statuses: Status[]) => setFilters({ statuses })}
        options={STATUSES.map((s) => ({ value: s, label: <StatusBadge status={s} compact /> }))}
        popupMatchSelectWidth={false}
        style={{ minWidth: 140 }}
        maxTagCount="responsive"
      />
      <Checkbox.Group
        aria-label={t('filters.lights')}
        value={filters.lights}
        onChange={(v) => setFilters({ lights: v as Light[] })}
        options={LIGHTS.map((l) => ({ value: l, label: <span className={`light-option light-${l}`}>{t(`filters.${l}`)}</span> }))}
      />
      <Space size={4} wrap>
        <Checkbox checked={filters.hasProblems} onChange={(e) => setFilters({ hasProblems: e.target.checked })}>{t('filters.hasProblems')}</Checkbox>
        <Checkbox checked={filters.flagged} onChange={(e) => setFilters({ flagged: e.target.checked })}>{t('filters.flagged')}</Checkbox>
        <Checkbox checked={filters.overdue} onChange={(e) => setFilters({ overdue: e.target.checked })}>{t('dashboard.overdueFilter')}</Checkbox>
        <Checkbox checked={filters.doneWithoutEvidence} onChange={(e) => setFilters({ doneWithoutEvidence: e.target.checked })}>
          {t('filters.doneWithoutEvidence')}
        </Checkbox>
        {active && (
          <Button size="small" type="link" onClick={() => setFilters({ ...initialFilters, query: filters.query })}>
            {t('filters.reset')}
          </Button>
        )}
      </Space>
    </div>
  );
}
