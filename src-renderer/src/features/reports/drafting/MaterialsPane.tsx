import { useMemo, useState } from 'react';
import { Button, Card, Empty, Input, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../../src-main/shared/corpus/types';
import { STATUSES, type Status, type Unit } from '../../../../../src-main/shared/domain';
import type { ReportDraft } from '../../../../../src-main/shared/report/draft';
import { filterMaterials, materialsOf, provenanceOf, type Material, type MaterialFilter, type ReportRows } from './draftLogic';

/** How many items the pane lists at once (a city scope has thousands; the filter narrows them). */
const SHOWN = 150;

/**
 * 素材: the annotations, case write-ups and log entries in the draft's scope, filterable by table,
 * unit, status and text; each can be inserted as a quote with its provenance (unit, task id).
 */
export function MaterialsPane({ draft, rows, corpus, units, onInsert }: { draft: ReportDraft; rows: ReportRows | undefined; corpus: Corpus; units: Unit[]; onInsert(m: Material): void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<MaterialFilter>({ tables: [], unitCodes: [], statuses: [], text: '' });
  const scopeKey = JSON.stringify(draft.scope);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const all = useMemo(() => (rows ? materialsOf(draft, rows, corpus, units) : []), [rows, corpus, units, scopeKey]);
  const shown = useMemo(() => filterMaterials(all, filter), [all, filter]);
  const unitChoices = units.filter((u) => draft.scope.unitCodes.length === 0 || draft.scope.unitCodes.includes(u.code));
  return (
    <Card size="small" title={t('drafting.materials')} className="drafting-materials" data-testid="materials">
      <Typography.Paragraph type="secondary" className="drafting-materials-hint">{t('drafting.materialsHint')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }} size={6}>
        <Input.Search allowClear aria-label={t('drafting.filterText')} placeholder={t('drafting.filterText')} value={filter.text} onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))} />
        <Space wrap size={6}>
          <Select mode="multiple" allowClear aria-label={t('drafting.filterTables')} placeholder={t('drafting.filterTables')} style={{ minWidth: 110 }} value={filter.tables}
            onChange={(tables) => setFilter((f) => ({ ...f, tables }))} options={corpus.tables.map((tb) => ({ value: tb.number, label: `表${tb.number}` }))} />
          {unitChoices.length > 1 && (
            <Select mode="multiple" allowClear aria-label={t('drafting.filterUnits')} placeholder={t('drafting.filterUnits')} style={{ minWidth: 130 }} value={filter.unitCodes}
              onChange={(unitCodes) => setFilter((f) => ({ ...f, unitCodes }))} options={unitChoices.map((u) => ({ value: u.code, label: u.name }))} />
          )}
          <Select mode="multiple" allowClear aria-label={t('drafting.filterStatuses')} placeholder={t('drafting.filterStatuses')} style={{ minWidth: 130 }} value={filter.statuses}
            onChange={(statuses: Status[]) => setFilter((f) => ({ ...f, statuses }))} options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        </Space>
        <Typography.Text type="secondary">{t('drafting.materialsCount', { count: shown.length })}</Typography.Text>
      </Space>
      {shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('drafting.materialsEmpty')} />
      ) : (
        <ul className="materials-list" aria-label={t('drafting.materials')}>
          {shown.slice(0, SHOWN).map((m) => (
            <li key={m.id} className="material">
              <div className="material-head">
                <Tag>{t(`drafting.kinds.${m.kind}`)}</Tag>
                <Typography.Text type="secondary">{provenanceOf(m)}{m.date ? ` ${m.date}` : ''}</Typography.Text>
              </div>
              <Typography.Paragraph className="material-text" ellipsis={{ rows: 3, tooltip: m.text }}>{m.text}</Typography.Paragraph>
              <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => onInsert(m)} aria-label={`${t('drafting.insert')}：${m.unitName} ${m.taskId} ${t(`drafting.kinds.${m.kind}`)}`}>
                {t('drafting.insert')}
              </Button>
            </li>
          ))}
          {shown.length > SHOWN && <li className="material-more">{t('drafting.materialsMore', { count: SHOWN })}</li>}
        </ul>
      )}
    </Card>
  );
}
