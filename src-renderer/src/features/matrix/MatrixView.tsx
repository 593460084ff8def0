import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { App as AntApp, Button, Table, Tooltip, Typography } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { FileExcelOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { STATUS_COLORS, type Annotation, type Status } from '../../../../src-main/shared/domain';
import {
  DEFAULT_MATRIX_SORT,
  matrixTable,
  sortMatrixRows,
  statusMatrix,
  type MatrixRow,
  type MatrixSort,
  type MatrixSortKey,
  type MatrixWords,
} from '../../../../src-main/shared/matrix';
import { chinaToday } from '../../../../src-main/shared/time';
import { invoke } from '../../api/client';
import { db } from '../../db/db';
import { listAnnotations } from '../../db/repo';
import { settlePendingEdits } from '../../db/mutate';
import { useSessionStore } from '../../store/sessionStore';
import { useUiStore } from '../../store/uiStore';
import './matrix.css';

const NONE: Annotation[] = [];

/** Where the keyboard is in the grid: row index in display order, column index (0 = task). */
interface Pos {
  row: number;
  col: number;
}

/**
 * The supervisor's grid (全市总览): every task × every unit, status as colour and text, the task's
 * short title (full text on hover), the city status of each task (`cityTaskStatus`, explained in the
 * header's note), per-task counts and per-unit totals; sortable by task, city status or a unit; the
 * same cells exported to Excel by main. The grid is one tab stop; arrow keys move between cells,
 * Enter opens a unit's annotation.
 */
export function MatrixView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const setUnit = useSessionStore((s) => s.setUnit);
  const openTask = useUiStore((s) => s.openTask);
  const annotations = useLiveQuery(() => listAnnotations(db), []) ?? NONE;
  const [sort, setSort] = useState<MatrixSort>(DEFAULT_MATRIX_SORT);
  const [pos, setPos] = useState<Pos>({ row: 0, col: 0 });
  const [exporting, setExporting] = useState(false);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const asOf = chinaToday();

  const shown = useMemo(
    () => units.filter((u) => u.active || annotations.some((a) => a.unitCode === u.code)).map((u) => ({ code: u.code, name: u.name, kind: u.kind })),
    [units, annotations],
  );
  const data = useMemo(() => statusMatrix({ tasks: corpus.tasks, units: shown, annotations, asOf }), [corpus.tasks, shown, annotations, asOf]);
  const words: MatrixWords = useMemo(
    () => ({
      task: t('matrix.task'),
      city: t('matrix.city'),
      counts: t('matrix.counts'),
      total: t('matrix.total'),
      empty: t('matrix.empty'),
      status: (s: Status) => t(`status.${s}`),
      count: (s: Status, n: number) => t('matrix.count', { status: t(`status.${s}`), n }),
      unitTotal: (implemented: number, applicable: number) => t('matrix.unitTotal', { implemented, applicable }),
      cityTotal: (implemented: number, applicable: number) => t('matrix.unitTotal', { implemented, applicable }),
    }),
    [t],
  );
  const rows = useMemo(() => sortMatrixRows(data, sort), [data, sort]);
  const table = useMemo(() => matrixTable(data, sort, words), [data, sort, words]);
  const lastCol = shown.length + 2;

  const open = useCallback(
    async (taskId: string, unitCode: string) => {
      await settlePendingEdits();
      setUnit(unitCode);
      openTask(taskId);
    },
    [setUnit, openTask],
  );

  const focusCell = (p: Pos) => {
    setPos(p);
    gridRef.current?.querySelector<HTMLElement>(`[data-pos="${p.row}:${p.col}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    let next: Pos | null = null;
    const move = moves[e.key];
    if (move) next = { row: pos.row + move[0], col: pos.col + move[1] };
    else if (e.key === 'Home') next = { row: e.ctrlKey ? 0 : pos.row, col: 0 };
    else if (e.key === 'End') next = { row: e.ctrlKey ? rows.length - 1 : pos.row, col: lastCol };
    if (!next) return;
    e.preventDefault();
    focusCell({ row: Math.max(0, Math.min(rows.length - 1, next.row)), col: Math.max(0, Math.min(lastCol, next.col)) });
  };
  /** A cell's focus props: one tab stop for the whole grid (the current cell), the rest by arrow keys. */
  const cellProps = (row: number, col: number) => ({
    'data-pos': `${row}:${col}`,
    tabIndex: row === pos.row && col === pos.col ? 0 : -1,
    onFocus: () => (row !== pos.row || col !== pos.col) && setPos({ row, col }),
  });

  const sortOrder = (key: MatrixSortKey): SortOrder => (sort.key === key ? (sort.dir === 'asc' ? 'ascend' : 'descend') : null);
  const statusCell = (status: Status, label: string, row: number, col: number, extra: Record<string, string> = {}, onClick?: () => void) => (
    <button
      type="button"
      className="matrix-cell"
      data-status={status}
      style={{ background: STATUS_COLORS[status] }}
      {...extra}
      {...cellProps(row, col)}
      onClick={onClick}
    >
      {label}
    </button>
  );

  const exportXlsx = async () => {
    setExporting(true);
    setSavedPath(null);
    await settlePendingEdits();
    const r = await invoke('matrix:export', {
      units: shown,
      annotations: annotations.map((a) => ({ taskId: a.taskId, unitCode: a.unitCode, status: a.status, deadline: a.deadline })),
      asOf,
      sort,
      defaultName: `${t('matrix.fileName')}.xlsx`,
    });
    setExporting(false);
    if (!r.ok) return void message.error(r.error.message);
    if (r.value.canceled) return;
    setSavedPath(r.value.path);
    void message.success(t('matrix.saved', { path: r.value.path }));
  };

  const rowIndex = new Map(rows.map((r, i) => [r.taskId, i]));
  const at = (r: MatrixRow) => rowIndex.get(r.taskId)!;

  return (
    <div className="matrix-view">
      <div className="matrix-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('matrix.title')}
        </Typography.Title>
        <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportXlsx()}>
          {t('matrix.export')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('matrix.hint')}</Typography.Paragraph>
      {savedPath && (
        <Typography.Paragraph className="matrix-saved" type="success">
          {t('matrix.saved', { path: savedPath })}
        </Typography.Paragraph>
      )}
      <div ref={gridRef} className="matrix-grid" role="grid" aria-label={t('matrix.title')} aria-rowcount={rows.length + 2} onKeyDown={onKeyDown}>
        <Table<MatrixRow>
          size="small"
          rowKey="taskId"
          bordered
          pagination={false}
          className="status-matrix"
          scroll={{ x: 'max-content', y: 'calc(100vh - 290px)' }}
          dataSource={rows}
          showSorterTooltip={false}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = (s?.columnKey as MatrixSortKey | undefined) ?? 'task';
            setSort(s?.order ? { key, dir: s.order === 'ascend' ? 'asc' : 'desc' } : DEFAULT_MATRIX_SORT);
          }}
          columns={[
            {
              title: t('matrix.task'),
              key: 'task',
              fixed: 'left',
              width: 260,
              sorter: true,
              sortOrder: sortOrder('task'),
              render: (_: unknown, r) => (
                <span className="matrix-task-cell" title={r.text} data-task={r.taskId} {...cellProps(at(r), 0)}>
                  <span className="matrix-task">{r.taskId}</span> <span className="matrix-title">{r.shortTitle}</span>
                </span>
              ),
            },
            {
              title: (
                <Tooltip title={t('matrix.cityRule')} placement="bottom">
                  <span className="matrix-city-head">
                    {t('matrix.city')} <QuestionCircleOutlined aria-label={t('matrix.cityRule')} />
                  </span>
                </Tooltip>
              ),
              key: 'city',
              fixed: 'left',
              width: 96,
              align: 'center' as const,
              sorter: true,
              sortOrder: sortOrder('city'),
              render: (_: unknown, r) =>
                statusCell(r.city.status, t(`status.${r.city.status}`), at(r), 1, {
                  'data-city': r.taskId,
                  'data-source': r.city.source,
                  title: t(r.city.source === 'city' ? 'matrix.citySourceCity' : 'matrix.citySourceDerived'),
                }),
            },
            ...shown.map((u, ui) => ({
              title: u.name,
              key: `unit:${u.code}`,
              width: 80,
              align: 'center' as const,
              sorter: true,
              sortOrder: sortOrder(`unit:${u.code}`),
              render: (_: unknown, r: MatrixRow) => {
                const status = r.cells[ui];
                const row = at(r);
                if (!status)
                  return (
                    <span className="matrix-empty" data-empty={`${r.taskId}|${u.code}`} aria-label={`${r.taskId} ${u.name} ${t('matrix.none')}`} {...cellProps(row, ui + 2)}>
                      {t('matrix.empty')}
                    </span>
                  );
                return statusCell(
                  status,
                  t(`status.${status}`),
                  row,
                  ui + 2,
                  { 'data-cell': `${r.taskId}|${u.code}`, 'aria-label': `${r.taskId} ${u.name} ${t(`status.${status}`)}` },
                  () => void open(r.taskId, u.code),
                );
              },
            })),
            {
              title: t('matrix.counts'),
              key: 'counts',
              width: 220,
              render: (_: unknown, r) => (
                <span className="matrix-counts" data-counts={r.taskId} {...cellProps(at(r), lastCol)}>
                  {table.rows[at(r)]![lastCol]}
                </span>
              ),
            },
          ]}
          summary={() => (
            <Table.Summary fixed="bottom">
              <Table.Summary.Row className="matrix-totals">
                {table.totals.map((text, i) => (
                  <Table.Summary.Cell key={i} index={i} align={i === 0 || i === lastCol ? 'left' : 'center'}>
                    <span data-total={i === 0 ? 'label' : i === 1 ? 'city' : i === lastCol ? 'counts' : shown[i - 2]!.code} title={i >= 1 && i < lastCol ? t('matrix.totalNote') : undefined}>
                      {text}
                    </span>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          )}
        />
      </div>
    </div>
  );
}
