import { useMemo, useState } from 'react';
import { App as AntApp, Button, Empty, Radio, Table, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { FieldName, Revision } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';
import { when } from '../../i18n/time';
import { diffRevisions, listRevisions } from '../../db/repo';
import { restoreRevision } from '../../db/writes';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { useAnnotationEditor } from './annotationStore';

/** Every save of this annotation; pick two to see a field-level diff; restore one as a new revision. */
export function HistoryView() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const key = useAnnotationEditor((s) => s.key);
  const units = useSessionStore((s) => s.units);
  const revisions = useLiveQuery(() => (key ? listRevisions(db, key) : Promise.resolve([] as Revision[])), [key]) ?? [];
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  // Default comparison: the newest revision against the one before it.
  const idA = a ?? revisions[1]?.id ?? null;
  const idB = b ?? revisions[0]?.id ?? null;
  const revA = revisions.find((r) => r.id === idA);
  const revB = revisions.find((r) => r.id === idB);
  const diff = useMemo(() => (revA && revB ? diffRevisions(revA, revB) : []), [revA, revB]);
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;

  if (!key || revisions.length === 0) return <Empty description={t('history.empty')} />;

  const restore = (rev: Revision) =>
    modal.confirm({
      title: t('history.restore'),
      content: t('history.restoreConfirm'),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        // Settles the form first; the form then shows the restored fields (data-change event).
        const r = await restoreRevision(db, key, rev.id, currentAuthor());
        if (!r.ok) {
          message.error(r.error.message);
          return;
        }
        message.success(t('history.restored'));
      },
    });

  return (
    <div className="history-view">
      <Typography.Paragraph type="secondary">{t('history.compareHint')}</Typography.Paragraph>
      <Table<Revision>
        size="small"
        rowKey="id"
        pagination={revisions.length > 20 ? { pageSize: 20 } : false}
        dataSource={revisions}
        className="history-table"
        columns={[
          {
            title: 'A',
            width: 44,
            render: (_, r) => <Radio aria-label={`A ${r.at}`} checked={r.id === idA} onChange={() => setA(r.id)} />,
          },
          {
            title: 'B',
            width: 44,
            render: (_, r) => <Radio aria-label={`B ${r.at}`} checked={r.id === idB} onChange={() => setB(r.id)} />,
          },
          { title: '#', width: 48, render: (_, _r, i) => revisions.length - i },
          { title: t('evidence.date'), dataIndex: 'at', width: 240, render: (at: string) => when(at) },
          { title: t('profile.name'), render: (_, r) => `${r.author.name}（${unitName(r.author.unitCode)}）` },
          {
            title: t('history.field'),
            render: (_, r) => (
              <span className="history-changed">
                <Tag>{t(`history.kind.${r.kind}`)}</Tag>
                {r.parents.length === 0 ? t('history.first') : r.changed.map((f) => t(`fields.${f}`)).join('、')}
              </span>
            ),
          },
          {
            title: '',
            width: 120,
            render: (_, r, i) => (i === 0 ? null : <Button size="small" onClick={() => restore(r)}>{t('history.restore')}</Button>),
          },
        ]}
      />
      <Typography.Title level={5}>{t('history.compare')}</Typography.Title>
      {diff.length === 0 ? (
        <Typography.Text type="secondary">{t('history.noDiff')}</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          className="history-diff"
          dataSource={diff}
          columns={[
            { title: t('history.field'), dataIndex: 'field', width: 110, render: (f: FieldName) => t(`fields.${f}`) },
            { title: t('history.before'), render: (_, d) => <span className="diff-before">{d.before || t('common.none')}</span> },
            { title: t('history.after'), render: (_, d) => <span className="diff-after">{d.after || t('common.none')}</span> },
          ]}
        />
      )}
    </div>
  );
}
