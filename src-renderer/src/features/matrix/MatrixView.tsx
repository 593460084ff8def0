import { useMemo } from 'react';
import { Table, Tooltip, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus, Task } from '../../../../src-main/shared/corpus/types';
import { STATUS_COLORS, type Annotation } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';
import { listAnnotations } from '../../db/repo';
import { useSessionStore } from '../../store/sessionStore';
import { useUiStore } from '../../store/uiStore';
import { settlePendingEdits } from '../../db/mutate';

const NONE: Annotation[] = [];

/** The supervisor's grid: every task × every unit, status as colour and text; a click opens it. */
export function MatrixView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const units = useSessionStore((s) => s.units);
  const setUnit = useSessionStore((s) => s.setUnit);
  const openTask = useUiStore((s) => s.openTask);
  const annotations = useLiveQuery(() => listAnnotations(db), []) ?? NONE;
  const byKey = useMemo(() => new Map(annotations.map((a: Annotation) => [a.key, a])), [annotations]);
  const shown = units.filter((u) => u.active || annotations.some((a) => a.unitCode === u.code));

  return (
    <div className="matrix-view">
      <Typography.Title level={4}>{t('matrix.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('matrix.hint')}</Typography.Paragraph>
      <Table<Task>
        size="small"
        rowKey="id"
        bordered
        pagination={false}
        className="status-matrix"
        scroll={{ x: 'max-content', y: 'calc(100vh - 230px)' }}
        dataSource={corpus.tasks}
        columns={[
          {
            title: t('matrix.task'),
            dataIndex: 'id',
            fixed: 'left',
            width: 80,
            render: (id: string, task) => (
              <Tooltip title={task.text} placement="right">
                <span className="matrix-task">{id}</span>
              </Tooltip>
            ),
          },
          ...shown.map((u) => ({
            title: u.name,
            key: u.code,
            width: 76,
            align: 'center' as const,
            render: (_: unknown, task: Task) => {
              const a = byKey.get(`${task.id}|${u.code}`);
              if (!a) return <span className="matrix-empty">{t('matrix.empty')}</span>;
              return (
                <button
                  type="button"
                  className="matrix-cell"
                  data-cell={`${task.id}|${u.code}`}
                  data-status={a.status}
                  style={{ background: STATUS_COLORS[a.status] }}
                  aria-label={`${task.id} ${u.name} ${t(`status.${a.status}`)}`}
                  onClick={async () => {
                    await settlePendingEdits();
                    setUnit(u.code);
                    openTask(task.id);
                  }}
                >
                  {t(`status.${a.status}`)}
                </button>
              );
            },
          })),
        ]}
      />
    </div>
  );
}
