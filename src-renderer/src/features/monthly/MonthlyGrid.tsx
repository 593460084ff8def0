/**
 * 本月更新: the unit's tasks in one virtualised table to go down row by row each month — status,
 * progress and deadline edited in place, 本月已核实 ticked where nothing changed. Keyboard first:
 * arrows, Tab and Enter move from cell to cell; typing on a status cell filters the choices
 * (1–6, 未启动 …, pinyin initials wqd …), Enter commits and moves down, Esc cancels; Space ticks;
 * Ctrl+Enter opens the task's full annotation. Every cell saves through the app's write path.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { App as AntApp, Button, Checkbox, Input, Progress, Select, Space, Spin, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Corpus, Task } from '../../../../src-main/shared/corpus/types';
import { STATUSES, type Annotation, type Status } from '../../../../src-main/shared/domain';
import { LIGHTS, trafficLight, type Light } from '../../../../src-main/shared/rules';
import { chinaToday } from '../../../../src-main/shared/time';
import { db } from '../../db/db';
import { applyFilters, emptyFilters } from '../../db/filters';
import { searchAll } from '../../db/search';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { useSearchStore } from '../../store/searchStore';
import { useUiStore } from '../../store/uiStore';
import { LightDot, StatusBadge } from '../../components/StatusBadge';
import { dateText, when } from '../../i18n/time';
import { useUnitData } from '../tasks/useUnitData';
import { COLUMNS, STATUS_COLUMN, saveCell, shortTitle, statusChoices, type CellEdit } from './gridModel';
import { useMonthActivity } from './useMonthActivity';
import './monthly.css';

export const ROW_HEIGHT = 40;
/** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 6;

interface Filters {
  tables: number[];
  statuses: Status[];
  lights: Light[];
  uncheckedOnly: boolean;
  query: string;
}
const NO_FILTERS: Filters = { tables: [], statuses: [], lights: [], uncheckedOnly: false, query: '' };

interface Editing {
  row: number;
  col: number;
  text: string;
  /** Highlighted choice of a status cell. */
  choice: number;
}

export default function MonthlyGrid({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const unitCode = useSessionStore((s) => s.unitCode);
  const units = useSessionStore((s) => s.units);
  const role = useSessionStore((s) => s.profile?.role);
  const openTask = useUiStore((s) => s.openTask);
  const taskIds = useMemo(() => corpus.tasks.map((x) => x.id), [corpus.tasks]);
  const { annotationsByTask, evidenceCountByTask, loaded } = useUnitData(unitCode, taskIds);
  const activity = useMonthActivity(unitCode);
  const index = useSearchStore((s) => s.index);
  const version = useSearchStore((s) => s.version);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const today = chinaToday();

  useEffect(() => {
    if (filters.query.trim()) useSearchStore.getState().start();
  }, [filters.query]);
  const hits = useMemo(
    () => (index && filters.query.trim() ? searchAll(index, filters.query, { unitCode }) : null),
    // `version` changes when the index changes in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [index, version, filters.query, unitCode],
  );
  const evidenceCountByKey = useMemo(() => {
    const m = new Map<string, number>();
    for (const [taskId, n] of evidenceCountByTask) m.set(`${taskId}|${unitCode}`, n);
    return m;
  }, [evidenceCountByTask, unitCode]);
  const rows = useMemo(() => {
    const base = { ...emptyFilters(unitCode), tables: filters.tables, statuses: filters.statuses, lights: filters.lights, query: filters.query };
    const list = applyFilters(corpus.tasks, { annotationsByTask, evidenceCountByKey, hits }, base, today);
    return filters.uncheckedOnly ? list.filter((task) => !activity.byTask.get(task.id)?.checkedAt) : list;
  }, [corpus.tasks, annotationsByTask, evidenceCountByKey, hits, filters, unitCode, today, activity]);

  const touched = useMemo(() => taskIds.filter((id) => activity.byTask.has(id)).length, [taskIds, activity]);
  const checked = useMemo(() => taskIds.filter((id) => activity.byTask.get(id)?.checkedAt).length, [taskIds, activity]);

  // ---- active cell, editing, virtual window ----
  const [active, setActive] = useState({ row: 0, col: STATUS_COLUMN });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const editor = useRef<InputRef>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  const activeRow = Math.min(active.row, Math.max(rows.length - 1, 0));

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(el);
    return () => ro?.disconnect();
  }, [loaded]);
  useEffect(() => {
    // The grid takes the keyboard when it opens: the first status cell is where a month's work begins.
    if (loaded) grid.current?.focus({ preventScroll: true });
  }, [loaded]);
  const editingCell = editing ? `${editing.row}:${editing.col}` : null;
  useEffect(() => {
    if (editingCell) editor.current?.focus();
  }, [editingCell]);
  const rowsNow = useRef(rows);
  rowsNow.current = rows;
  /** The task of the active row: when the rows change (a saved status leaves a filter), the cursor stays on it. */
  const activeTask = useRef<string | null>(null);
  const activate = useCallback((row: number, col: number) => {
    activeTask.current = rowsNow.current[row]?.id ?? null;
    setActive({ row, col });
  }, []);
  useEffect(() => {
    const id = activeTask.current;
    const at = id ? rows.findIndex((x) => x.id === id) : -1;
    if (at >= 0) setActive((a) => (a.row === at ? a : { ...a, row: at }));
  }, [rows]);

  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN);

  const scrollToRow = useCallback((row: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = row * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - ROW_HEIGHT) el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
  }, []);
  const moveTo = useCallback(
    (row: number, col: number) => {
      const r = Math.min(Math.max(row, 0), Math.max(rows.length - 1, 0));
      const c = Math.min(Math.max(col, 0), COLUMNS.length - 1);
      activate(r, c);
      scrollToRow(r);
    },
    [rows.length, scrollToRow, activate],
  );

  const annotationOf = (task: Task): Annotation | undefined => annotationsByTask.get(task.id);

  const commit = useCallback(
    async (task: Task, edit: CellEdit): Promise<boolean> => {
      if (!unitCode) return false;
      setSaving((n) => n + 1);
      try {
        const r = await saveCell(db, task.id, unitCode, edit, currentAuthor());
        if (!r.ok) {
          void message.error(r.error.message);
          return false;
        }
        if (edit.column === 'checked' && 'unchanged' in r.value) {
          const at = activity.byTask.get(task.id)?.checkedAt;
          void message.info(at ? t('monthly.alreadyChecked', { at: when(at) }) : t('monthly.alreadyCheckedShort'));
        }
        return true;
      } finally {
        setSaving((n) => n - 1);
      }
    },
    [unitCode, message, activity, t],
  );

  const startEdit = (row: number, col: number, typed?: string) => {
    const task = rows[row];
    if (!task) return;
    const column = COLUMNS[col]!;
    const a = annotationOf(task);
    if (column.edit === 'toggle') {
      void commit(task, { column: 'checked' });
      return;
    }
    if (column.edit === 'none') return;
    const text = typed ?? (column.id === 'progress' ? String(a?.progress ?? 0) : column.id === 'deadline' ? (a?.deadline ?? '') : '');
    setEditing({ row, col, text, choice: 0 });
  };

  const finishEdit = async (how: 'down' | 'right' | 'left' | 'stay'): Promise<void> => {
    if (!editing) return;
    const task = rows[editing.row];
    const column = COLUMNS[editing.col]!;
    if (!task) return setEditing(null);
    let edit: CellEdit | null = null;
    if (column.id === 'status') {
      const status = statusChoices(editing.text, (s) => t(`status.${s}`))[editing.choice];
      if (!status) {
        void message.error(t('monthly.noSuchStatus', { text: editing.text }));
        return;
      }
      edit = { column: 'status', value: status };
    } else if (column.id === 'progress') edit = { column: 'progress', text: editing.text };
    else if (column.id === 'deadline') edit = { column: 'deadline', text: editing.text };
    if (!edit) return setEditing(null);
    // The keyboard moves on at once (the next row can be typed while this one saves); a refused
    // value reopens its cell with what was typed, so it can be corrected.
    const { row, col, text } = editing;
    setEditing(null);
    grid.current?.focus({ preventScroll: true });
    if (how === 'down') moveTo(row + 1, col);
    else if (how === 'right') moveTo(row, col + 1);
    else if (how === 'left') moveTo(row, col - 1);
    const ok = await commit(task, edit);
    if (!ok) {
      const at = rowsNow.current.findIndex((x) => x.id === task.id);
      if (at < 0) return;
      activate(at, col);
      scrollToRow(at);
      setEditing({ row: at, col, text, choice: 0 });
    }
  };

  const cancelEdit = () => {
    setEditing(null);
    grid.current?.focus({ preventScroll: true });
  };

  const onGridKey = (e: React.KeyboardEvent) => {
    if (editing) return;
    const task = rows[activeRow];
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (task) openTask(task.id);
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const { col } = active;
    const move: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageDown: [10, 0],
      PageUp: [-10, 0],
    };
    if (move[e.key]) {
      e.preventDefault();
      moveTo(activeRow + move[e.key]![0], col + move[e.key]![1]);
    } else if (e.key === 'Home') {
      e.preventDefault();
      moveTo(e.shiftKey ? 0 : activeRow, 0);
    } else if (e.key === 'End') {
      e.preventDefault();
      moveTo(e.shiftKey ? rows.length - 1 : activeRow, COLUMNS.length - 1);
    } else if (e.key === 'Tab') {
      // Cell to cell along the row and on to the next; out of the grid from its first or last cell.
      const flat = activeRow * COLUMNS.length + col + (e.shiftKey ? -1 : 1);
      if (flat < 0 || flat >= rows.length * COLUMNS.length) return;
      e.preventDefault();
      moveTo(Math.floor(flat / COLUMNS.length), flat % COLUMNS.length);
    } else if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      startEdit(activeRow, col);
    } else if (e.key === ' ') {
      e.preventDefault();
      if (COLUMNS[col]!.edit === 'toggle') startEdit(activeRow, col);
    } else if (e.key.length === 1 && COLUMNS[col]!.edit !== 'none' && COLUMNS[col]!.edit !== 'toggle') {
      // Typing on a cell starts editing it with what was typed.
      e.preventDefault();
      startEdit(activeRow, col, e.key);
    }
  };

  const onEditorKey = (e: React.KeyboardEvent) => {
    if (!editing || e.nativeEvent.isComposing) return;
    const isStatus = COLUMNS[editing.col]!.id === 'status';
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancelEdit();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      void finishEdit('down');
    } else if (e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      void finishEdit(e.shiftKey ? 'left' : 'right');
    } else if (isStatus && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      e.stopPropagation();
      const n = statusChoices(editing.text, (s) => t(`status.${s}`)).length;
      if (n) setEditing({ ...editing, choice: (editing.choice + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
    }
  };

  const unitName = units.find((u) => u.code === unitCode)?.name ?? '';
  const cellId = (row: number, col: number) => `mg-${row}-${col}`;

  const renderCell = (task: Task, row: number, col: number) => {
    const a = annotationOf(task);
    const column = COLUMNS[col]!;
    const status = a?.status ?? 'not_started';
    const act = activity.byTask.get(task.id);
    if (editing && editing.row === row && editing.col === col) {
      if (column.id === 'status') {
        const choices = statusChoices(editing.text, (s) => t(`status.${s}`));
        return (
          <div className="mg-choice">
            <Input
              ref={editor}
              size="small"
              aria-label={t('monthly.col.status')}
              value={editing.text}
              placeholder={t('monthly.typeToFilter')}
              onChange={(e) => setEditing({ ...editing, text: e.target.value, choice: 0 })}
              onKeyDown={onEditorKey}
              onBlur={cancelEdit}
            />
            <ul className="mg-choices" role="listbox" aria-label={t('monthly.choices')}>
              {choices.map((s, i) => (
                <li
                  key={s}
                  role="option"
                  aria-selected={i === editing.choice}
                  className={i === editing.choice ? 'is-chosen' : ''}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    setEditing({ ...editing, choice: i });
                  }}
                  onClick={() => void finishEdit('stay')}
                >
                  <span className="mg-key">{STATUSES.indexOf(s) + 1}</span>
                  <StatusBadge status={s} compact />
                </li>
              ))}
              {choices.length === 0 && <li className="mg-none">{t('monthly.noMatch')}</li>}
            </ul>
          </div>
        );
      }
      return (
        <Input
          ref={editor}
          size="small"
          aria-label={t(`monthly.col.${column.id}`)}
          value={editing.text}
          placeholder={column.id === 'deadline' ? 'YYYY-MM-DD' : '0–100'}
          onChange={(e) => setEditing({ ...editing, text: e.target.value })}
          onKeyDown={onEditorKey}
          onBlur={cancelEdit}
        />
      );
    }
    switch (column.id) {
      case 'task':
        return <span className="mg-id">{task.id}</span>;
      case 'title':
        return (
          <span className="mg-title" title={task.text}>
            {shortTitle(task.text)}
          </span>
        );
      case 'status':
        return <StatusBadge status={status} compact />;
      case 'progress':
        return <span className="mg-num">{a ? `${a.progress}%` : '—'}</span>;
      case 'deadline':
        return <span>{a?.deadline ? dateText(a.deadline) : t('monthly.noDeadline')}</span>;
      case 'light': {
        const light = trafficLight(a ?? { status: 'not_started', deadline: null }, today);
        return <LightDot light={light} label={t(`light.${light}`)} />;
      }
      case 'updated':
        return <span className="mg-when">{a ? when(a.updatedAt) : t('monthly.never')}</span>;
      case 'checked':
        return (
          <Checkbox
            tabIndex={-1}
            checked={!!act?.checkedAt}
            aria-label={t('monthly.col.checked')}
            title={act?.checkedAt ? t('monthly.checkedAt', { at: when(act.checkedAt), name: act.checkedBy ?? '' }) : t('monthly.checkHint')}
            onChange={() => void commit(task, { column: 'checked' })}
          />
        );
    }
  };

  if (!unitCode) return <Typography.Paragraph>{t('monthly.noUnit')}</Typography.Paragraph>;

  return (
    <div className="monthly" data-testid="monthly">
      <div className="mg-head">
        <Typography.Title level={4} className="mg-heading">
          {t('monthly.title', { unit: unitName })}
        </Typography.Title>
        <div className="mg-progress" data-testid="monthly-progress" data-touched={touched} data-checked={checked}>
          <Typography.Text>{t('monthly.progress', { year: activity.month.slice(0, 4), month: Number(activity.month.slice(5, 7)), done: touched, total: taskIds.length, checked })}</Typography.Text>
          <Progress percent={Math.round((touched / Math.max(taskIds.length, 1)) * 100)} size="small" style={{ width: 180 }} />
        </div>
        {role === 'supervisor' && <Typography.Text type="secondary">{t('monthly.supervisorHint')}</Typography.Text>}
      </div>
      <Space wrap className="mg-filters" role="group" aria-label={t('monthly.filters')}>
        <Input.Search
          allowClear
          size="small"
          role="searchbox"
          aria-label={t('search.placeholder')}
          placeholder={t('search.placeholder')}
          value={filters.query}
          onChange={(e) => setFilters({ ...filters, query: e.target.value })}
          style={{ width: 220 }}
        />
        <Select
          mode="multiple"
          size="small"
          allowClear
          aria-label={t('monthly.filterTables')}
          placeholder={t('monthly.filterTables')}
          value={filters.tables}
          onChange={(tables: number[]) => setFilters({ ...filters, tables })}
          options={corpus.tables.map((tb) => ({ value: tb.number, label: `表${tb.number}` }))}
          style={{ minWidth: 110 }}
        />
        <Select
          mode="multiple"
          size="small"
          allowClear
          aria-label={t('filters.statuses')}
          placeholder={t('filters.statuses')}
          value={filters.statuses}
          onChange={(statuses: Status[]) => setFilters({ ...filters, statuses })}
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          style={{ minWidth: 130 }}
          maxTagCount="responsive"
        />
        <Select
          mode="multiple"
          size="small"
          allowClear
          aria-label={t('filters.lights')}
          placeholder={t('filters.lights')}
          value={filters.lights}
          onChange={(lights: Light[]) => setFilters({ ...filters, lights })}
          options={LIGHTS.map((l) => ({ value: l, label: t(`filters.${l}`) }))}
          style={{ minWidth: 110 }}
          popupMatchSelectWidth={false}
          maxTagCount="responsive"
        />
        <Checkbox checked={filters.uncheckedOnly} onChange={(e) => setFilters({ ...filters, uncheckedOnly: e.target.checked })}>
          {t('monthly.uncheckedOnly')}
        </Checkbox>
        <Typography.Text type="secondary">{t('monthly.shown', { count: rows.length })}</Typography.Text>
        {saving > 0 && (
          <Typography.Text type="secondary" role="status" data-testid="monthly-saving">
            <Spin size="small" /> {t('monthly.saving')}
          </Typography.Text>
        )}
      </Space>
      <Typography.Text type="secondary" className="mg-keys">
        {t('monthly.keys')}
      </Typography.Text>
      {!loaded ? (
        <div className="mg-loading" role="status">
          <Spin description={t('monthly.loading')} />
        </div>
      ) : (
        <div
          ref={grid}
          className="mg-grid"
          role="grid"
          tabIndex={0}
          aria-label={t('monthly.gridLabel')}
          aria-rowcount={rows.length + 1}
          aria-colcount={COLUMNS.length + 1}
          aria-activedescendant={rows.length && !editing ? cellId(activeRow, active.col) : undefined}
          onKeyDown={onGridKey}
        >
          <div className="mg-row mg-header" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <div key={c.id} role="columnheader" className={`mg-cell mg-${c.id}`}>
                {t(`monthly.col.${c.id}`)}
              </div>
            ))}
            <div role="columnheader" className="mg-cell mg-open">
              {t('monthly.col.open')}
            </div>
          </div>
          <div ref={scroller} className="mg-body" onScroll={(e) => setViewport({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
            <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
              {rows.slice(first, last).map((task, i) => {
                const row = first + i;
                return (
                  <div
                    key={task.id}
                    role="row"
                    aria-rowindex={row + 2}
                    data-task-id={task.id}
                    className={`mg-row${row === activeRow ? ' is-active-row' : ''}`}
                    style={{ top: row * ROW_HEIGHT, height: ROW_HEIGHT }}
                  >
                    {COLUMNS.map((c, col) => (
                      <div
                        key={c.id}
                        id={cellId(row, col)}
                        role="gridcell"
                        data-col={c.id}
                        aria-colindex={col + 1}
                        aria-readonly={c.edit === 'none' ? true : undefined}
                        className={`mg-cell mg-${c.id}${row === activeRow && col === active.col ? ' is-active' : ''}`}
                        onClick={() => {
                          if (editing) return;
                          activate(row, col);
                          grid.current?.focus({ preventScroll: true });
                        }}
                        onDoubleClick={() => startEdit(row, col)}
                      >
                        {renderCell(task, row, col)}
                      </div>
                    ))}
                    <div role="gridcell" className="mg-cell mg-open" aria-colindex={COLUMNS.length + 1}>
                      <Button size="small" type="link" tabIndex={-1} onClick={() => openTask(task.id)} aria-label={t('monthly.openTask', { id: task.id })}>
                        {t('monthly.open')}
                      </Button>
                    </div>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
