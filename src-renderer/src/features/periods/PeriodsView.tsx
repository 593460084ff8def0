/**
 * 评估期与快照: define periods, freeze read-only snapshots, look at one, and see "what changed"
 * between two snapshots or a snapshot and the current data — each row opens its task.
 * Loaded with React.lazy (App.tsx), so none of this is in the first chunk.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { PERIOD_KINDS, snapshotStats, type Period, type PeriodKind, type Snapshot } from '../../../../src-main/shared/snapshot/model';
import type { SnapshotChanges } from '../../../../src-main/shared/snapshot/compare';
import { StatusBadge } from '../../components/StatusBadge';
import { DateInput } from '../../components/DateInput';
import { db } from '../../db/db';
import { dateText, when } from '../../i18n/time';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { useUiStore } from '../../store/uiStore';
import { onDataChange, settlePendingEdits } from '../../db/mutate';
import { countAnnotations } from '../../db/repo';
import { compareSides, deletePeriod, freezeNow, listPeriods, listSnapshots, savePeriod, type CompareSide } from './periodService';


interface Ref {
  key: string;
  taskId: string;
  unitCode: string;
}

export default function PeriodsView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const role = useSessionStore((s) => s.profile?.role);
  const setUnit = useSessionStore((s) => s.setUnit);
  const openTask = useUiStore((s) => s.openTask);
  const [periods, setPeriods] = useState<Period[]>([]);
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [editing, setEditing] = useState<Partial<Period> | null>(null);
  const [viewing, setViewing] = useState<Snapshot | null>(null);
  const [older, setOlder] = useState<string | undefined>();
  const [newer, setNewer] = useState<CompareSide>('current');
  const [changes, setChanges] = useState<SnapshotChanges | null>(null);
  const [error, setError] = useState<string | null>(null);

  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const taskText = useMemo(() => new Map(corpus.tasks.map((x) => [x.id, x.text])), [corpus]);
  const periodName = (id: string) => periods.find((p) => p.id === id)?.name ?? id;

  const reload = useCallback(async () => {
    const [p, s] = await Promise.all([listPeriods(db), listSnapshots(db)]);
    setPeriods(p);
    setSnapshots(s);
  }, []);
  useEffect(() => {
    void reload();
    // Periods and snapshots also change by an import, its undo or a restore.
    return onDataChange((c) => {
      if (c.kind === 'period' || c.kind === 'import' || c.kind === 'restore') void reload();
    });
  }, [reload]);

  const runCompare = async (o: string | undefined, n: CompareSide) => {
    setError(null);
    if (!o) return setError(t('periods.pickOlder'));
    await settlePendingEdits();
    const r = await compareSides(db, o, n);
    if (!r.ok) return setError(r.error.message);
    setChanges(r.value);
  };

  const freeze = (p: Period) => {
    void countAnnotations(db).then((count) =>
      Modal.confirm({
        title: t('periods.freezeTitle', { name: p.name }),
        content: t('periods.freezeBody', { count }),
        okText: t('periods.freeze'),
        cancelText: t('periods.cancel'),
        onOk: async () => {
          const r = await freezeNow(db, p.id, currentAuthor(), corpus.hash);
          if (!r.ok) return void message.error(r.error.message);
          void message.success(t('periods.frozen', { count: snapshotStats(r.value).annotated }));
        },
      }),
    );
  };

  const open = (r: Ref) => {
    if (role === 'supervisor' && units.some((u) => u.code === r.unitCode)) setUnit(r.unitCode);
    openTask(r.taskId);
  };
  const refCols = [
    {
      title: t('periods.task'),
      dataIndex: 'taskId',
      width: 90,
      render: (id: string) => <Typography.Text strong>{id}</Typography.Text>,
    },
    { title: t('periods.unit'), dataIndex: 'unitCode', width: 100, render: unitName },
    {
      title: '',
      dataIndex: 'taskId',
      key: 'text',
      ellipsis: true,
      render: (id: string) => <span className="periods-task-text">{taskText.get(id)}</span>,
    },
  ];
  const rowProps = (r: Ref) => ({ onClick: () => open(r), className: 'periods-change-row', title: t('periods.openTask') });

  /** One kind of change: its title and count, and its rows (task, unit, text, then `column`), or 无. */
  const section = <R extends Ref>(kind: string, title: string, rows: readonly R[], column: ColumnType<R>) => (
    <section className="periods-changes-section" aria-label={title} data-kind={kind}>
      <Typography.Title level={5}>
        {title} <Tag>{rows.length}</Tag>
      </Typography.Title>
      {rows.length ? (
        <Table<R> size="small" rowKey="key" pagination={false} dataSource={rows} onRow={rowProps} columns={[...(refCols as ColumnType<R>[]), column]} />
      ) : (
        <Typography.Text type="secondary">{t('periods.nothing')}</Typography.Text>
      )}
    </section>
  );

  return (
    <div className="periods-view">
      <Card
        size="small"
        title={t('periods.periodsTitle')}
        extra={
          <Button type="primary" onClick={() => setEditing({ kind: 'annual' })}>
            {t('periods.newPeriod')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('periods.periodsHint')}</Typography.Paragraph>
        <Table<Period>
          size="small"
          rowKey="id"
          pagination={false}
          className="periods-table"
          locale={{ emptyText: t('periods.noPeriods') }}
          dataSource={periods}
          columns={[
            { title: t('periods.name'), dataIndex: 'name' },
            { title: t('periods.kind'), dataIndex: 'kind', render: (k: PeriodKind) => t(`periods.kinds.${k}`) },
            { title: t('periods.range'), key: 'range', render: (_: unknown, p) => `${dateText(p.start)} — ${dateText(p.end)}` },
            { title: t('periods.snapshotCount'), key: 'n', render: (_: unknown, p) => snapshots.filter((s) => s.periodId === p.id).length },
            {
              title: t('periods.actions'),
              key: 'a',
              render: (_: unknown, p) => (
                <Space size="small">
                  <Button size="small" type="primary" ghost onClick={() => freeze(p)}>
                    {t('periods.freeze')}
                  </Button>
                  <Button size="small" onClick={() => setEditing(p)}>
                    {t('periods.edit')}
                  </Button>
                  {!snapshots.some((s) => s.periodId === p.id) && (
                    <Popconfirm
                      title={t('periods.deleteConfirm', { name: p.name })}
                      okText={t('periods.delete')}
                      cancelText={t('periods.cancel')}
                      onConfirm={async () => {
                        const r = await deletePeriod(db, p.id);
                        if (!r.ok) void message.error(r.error.message);
                      }}
                    >
                      <Button size="small" danger>
                        {t('periods.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card size="small" title={t('periods.snapshotsTitle')} className="periods-card">
        <Table<Snapshot>
          size="small"
          rowKey="id"
          pagination={false}
          className="snapshots-table"
          locale={{ emptyText: t('periods.noSnapshots') }}
          dataSource={snapshots}
          columns={[
            { title: t('periods.period'), dataIndex: 'periodId', render: periodName },
            { title: t('periods.frozenAt'), dataIndex: 'frozenAt', render: when },
            { title: t('periods.frozenBy'), key: 'by', render: (_: unknown, s) => `${s.author.name}（${unitName(s.author.unitCode)}）` },
            { title: t('periods.annotated'), key: 'a', render: (_: unknown, s) => snapshotStats(s).annotated },
            { title: t('periods.units'), key: 'u', render: (_: unknown, s) => snapshotStats(s).units },
            { title: t('periods.hash'), dataIndex: 'hash', render: (h: string) => <code title={h}>{h.slice(0, 12)}</code> },
            {
              title: t('periods.actions'),
              key: 'x',
              render: (_: unknown, s) => (
                <Space size="small">
                  <Button size="small" onClick={() => setViewing(s)}>
                    {t('periods.view')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      setOlder(s.id);
                      setNewer('current');
                      void runCompare(s.id, 'current');
                    }}
                  >
                    {t('periods.compareWithCurrent')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card size="small" title={t('periods.compareTitle')} className="periods-card periods-compare">
        <Space wrap>
          <Select
            aria-label={t('periods.older')}
            placeholder={t('periods.older')}
            style={{ minWidth: 280 }}
            value={older}
            onChange={setOlder}
            options={snapshots.map((s) => ({ value: s.id, label: `${periodName(s.periodId)} · ${when(s.frozenAt)}` }))}
          />
          <span>→</span>
          <Select
            aria-label={t('periods.newer')}
            style={{ minWidth: 280 }}
            value={newer}
            onChange={setNewer}
            options={[{ value: 'current', label: t('periods.current') }, ...snapshots.map((s) => ({ value: s.id, label: `${periodName(s.periodId)} · ${when(s.frozenAt)}` }))]}
          />
          <Button type="primary" onClick={() => void runCompare(older, newer)}>
            {t('periods.compare')}
          </Button>
        </Space>
        {error && <Alert className="periods-error" type="error" showIcon role="alert" title={error} />}
        {changes && (
          <div className="periods-changes" aria-label={t('periods.compareTitle')}>
            <Typography.Paragraph className="periods-summary">
              {t('periods.summary', {
                moves: changes.statusMoves.length,
                evidence: changes.newEvidence.length,
                cases: changes.newCases.length,
                annotated: changes.newlyAnnotated.length,
              })}
            </Typography.Paragraph>
            {section('statusMoves', t('periods.statusMoves'), changes.statusMoves, {
              title: `${t('periods.from')} → ${t('periods.to')}`,
              key: 'move',
              width: 210,
              render: (_: unknown, m) => (
                <span className="status-move">
                  <StatusBadge status={m.from} compact /> → <StatusBadge status={m.to} compact />
                </span>
              ),
            })}
            {section('newEvidence', t('periods.newEvidence'), changes.newEvidence, {
              title: t('periods.evidence'),
              key: 'ev',
              width: 260,
              ellipsis: true,
              render: (_: unknown, e) => e.evidence.map((x) => x.title).join('；'),
            })}
            {section('newCases', t('periods.newCases'), changes.newCases, {
              title: t('periods.flags'),
              key: 'f',
              width: 220,
              render: (_: unknown, c) => c.flags.map((f) => <Tag key={f} color="gold">{t(`annotation.${f}`)}</Tag>),
            })}
            {section('newlyAnnotated', t('periods.newlyAnnotated'), changes.newlyAnnotated, {
              title: t('periods.status'),
              key: 's',
              width: 120,
              render: (_: unknown, n) => <StatusBadge status={n.status} compact />,
            })}
          </div>
        )}
      </Card>

      {editing && <PeriodForm period={editing} onClose={() => setEditing(null)} onSaved={() => void reload()} />}
      {viewing && (
        <Modal
          open
          width={960}
          title={t('periods.snapshotOf', { period: periodName(viewing.periodId), time: when(viewing.frozenAt) })}
          onCancel={() => setViewing(null)}
          footer={<Button onClick={() => setViewing(null)}>{t('periods.close')}</Button>}
        >
          <Alert type="info" showIcon title={t('periods.readOnly', { time: when(viewing.frozenAt) })} />
          <Table
            size="small"
            rowKey="key"
            className="snapshot-entries"
            pagination={{ pageSize: 15, showSizeChanger: false }}
            dataSource={viewing.entries.filter((e) => e.head !== null)}
            columns={[
              { title: t('periods.task'), dataIndex: 'taskId', width: 80 },
              { title: t('periods.unit'), dataIndex: 'unitCode', width: 100, render: unitName },
              { title: t('periods.status'), dataIndex: 'status', width: 100, render: (s) => <StatusBadge status={s} compact /> },
              { title: t('periods.progress'), dataIndex: 'progress', width: 70, render: (p: number) => `${p}%` },
              { title: t('periods.deadline'), dataIndex: 'deadline', width: 110, render: (d: string | null) => (d ? dateText(d) : '—') },
              { title: t('periods.evidence'), key: 'ev', width: 80, render: (_: unknown, e) => e.evidence.length },
              { title: t('periods.logCount'), dataIndex: 'logCount', width: 80 },
              {
                title: t('periods.flags'),
                key: 'f',
                render: (_: unknown, e) => (
                  <>
                    {e.isInnovation && <Tag color="gold">{t('annotation.isInnovation')}</Tag>}
                    {e.isBestPractice && <Tag color="gold">{t('annotation.isBestPractice')}</Tag>}
                  </>
                ),
              },
            ]}
          />
        </Modal>
      )}
      {snapshots.length === 0 && periods.length === 0 && <Empty className="periods-empty" description={t('periods.noSnapshots')} />}
    </div>
  );
}

function PeriodForm({ period, onClose, onSaved }: { period: Partial<Period>; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; kind: PeriodKind; start: string; end: string }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = form.getFieldsValue();
    const r = await savePeriod(db, { id: period.id, name: v.name ?? '', kind: v.kind ?? 'other', start: v.start ?? '', end: v.end ?? '' });
    if (!r.ok) return setError(r.error.message);
    onSaved();
    onClose();
  };
  return (
    <Modal open title={period.id ? t('periods.editPeriod') : t('periods.newPeriod')} okText={t('periods.save')} cancelText={t('periods.cancel')} onOk={() => void submit()} onCancel={onClose}>
      <Form form={form} layout="vertical" initialValues={period}>
        <Form.Item name="name" label={t('periods.name')}>
          <Input maxLength={60} placeholder={t('periods.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="kind" label={t('periods.kind')}>
          <Select aria-label={t('periods.kind')} options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`periods.kinds.${k}`) }))} />
        </Form.Item>
        <Space>
          <Form.Item name="start" label={t('periods.start')}>
            <DateInput aria-label={t('periods.start')} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="end" label={t('periods.end')}>
            <DateInput aria-label={t('periods.end')} style={{ width: 220 }} />
          </Form.Item>
        </Space>
        {period.id && <Typography.Paragraph type="secondary" className="period-edit-hint">{t('periodRenames.editHint')}</Typography.Paragraph>}
        {error && <Alert type="error" showIcon role="alert" title={error} />}
      </Form>
    </Modal>
  );
}
