/**
 * The report builder's choice of a snapshot to compare with (「本期变化情况」): the field to show
 * and the chosen baseline for ReportInput.changesSince (undefined = no such section).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Form, Select } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { ChangesBaseline } from '../../../../src-main/shared/snapshot/report';
import { db } from '../../db/db';
import { dateText } from '../../i18n/time';
import { listPeriods, listSnapshots } from './periodService';

export function useSnapshotChoice(): { field: ReactNode; baseline: ChangesBaseline | undefined } {
  const { t } = useTranslation();
  const [id, setId] = useState<string | undefined>();
  const data = useLiveQuery(async () => {
    const [snapshots, periods] = await Promise.all([listSnapshots(db), listPeriods(db)]);
    return { snapshots, periods: new Map(periods.map((p) => [p.id, p.name])) };
  }, []);
  const baseline = useMemo(() => {
    const s = id ? data?.snapshots.find((x) => x.id === id) : undefined;
    return s ? { periodName: data!.periods.get(s.periodId) ?? '', frozenAt: s.frozenAt, entries: s.entries } : undefined;
  }, [id, data]);
  const field = (
    <Form.Item label={t('periods.reportCompare')} htmlFor="report-compare" extra={t('periods.reportCompareHint')}>
      <Select
        id="report-compare"
        allowClear
        placeholder={t('periods.reportCompareNone')}
        value={id}
        onChange={setId}
        options={(data?.snapshots ?? []).map((s) => ({ value: s.id, label: `${data!.periods.get(s.periodId) ?? ''} · ${dateText(s.frozenAt)}` }))}
      />
    </Form.Item>
  );
  return { field, baseline };
}
