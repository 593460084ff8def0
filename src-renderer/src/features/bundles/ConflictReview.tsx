/**
 * The conflict review of an import preview: one count (conflicting fields, grouped by task), bulk
 * decisions for all, per unit and per task, one decision per field — over a windowed list, so that
 * a city bundle's 8,447 field conflicts put only a screenful of rows in the page and a click
 * re-renders that screenful, not the whole preview. Decisions live in a Map keyed by field
 * (`fieldKey`); the bundles view turns them into the merge's Decisions only when applying.
 */
import { memo, useCallback, useMemo, useRef, useState, type ReactNode, type UIEvent } from 'react';
import { Button, Input, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AnnotationFields, FieldName } from '../../../../src-main/shared/domain';
import type { Decision, Decisions, FieldConflict, KeyPlan } from '../../../../src-main/shared/bundle/merge';
import { docFromText } from '../../../../src-main/shared/richtext';
import { displayValue } from '../../db/repo';
import { when } from '../../i18n/time';

/** Fields whose conflict can be resolved with an edited text. */
const EDITABLE: FieldName[] = ['results', 'problems', 'nextSteps', 'progressNotes'];

/** The key of one conflicting field in the decision map. */
export const fieldKey = (key: string, field: FieldName): string => `${key}:${field}`;

export type DecisionMap = ReadonlyMap<string, Decision>;

/** The merge's Decisions from the map (only conflicts of `keys` count). */
export function toDecisions(keys: readonly KeyPlan[], map: DecisionMap): Decisions {
  const out: Decisions = {};
  for (const k of keys) {
    for (const c of k.conflicts) {
      const d = map.get(fieldKey(k.key, c.field));
      if (d) (out[k.key] ??= {})[c.field] = d;
    }
  }
  return out;
}

/** Every conflicting field of `keys` decided the same way (a new map; the old one is not changed). */
export function decideAll(map: DecisionMap, keys: readonly KeyPlan[], take: 'mine' | 'theirs'): Map<string, Decision> {
  const next = new Map(map);
  const d: Decision = { take };
  for (const k of keys) for (const c of k.conflicts) next.set(fieldKey(k.key, c.field), d);
  return next;
}

/** Conflicting fields and tasks, per unit and in all; how many fields are still undecided. */
export interface ConflictTally {
  fields: number;
  tasks: number;
  left: number;
  byUnit: Map<string, { fields: number; tasks: number; left: number }>;
}

export function tallyConflicts(keys: readonly KeyPlan[], map: DecisionMap): ConflictTally {
  const byUnit = new Map<string, { fields: number; tasks: number; left: number }>();
  let fields = 0;
  let left = 0;
  for (const k of keys) {
    const u = byUnit.get(k.unitCode) ?? { fields: 0, tasks: 0, left: 0 };
    byUnit.set(k.unitCode, u);
    u.tasks++;
    for (const c of k.conflicts) {
      fields++;
      u.fields++;
      if (!map.has(fieldKey(k.key, c.field))) {
        left++;
        u.left++;
      }
    }
  }
  return { fields, tasks: keys.length, left, byUnit };
}

type Row = { kind: 'task'; k: KeyPlan } | { kind: 'field'; k: KeyPlan; c: FieldConflict };

const TASK_H = 40;
const FIELD_H = 172;
const EDIT_H = 300;
/** Height of the windowed list (it scrolls within). */
const VIEW_H = 560;
/** Rows rendered above and below the visible ones (Tab moves into them). */
const OVERSCAN = 3;

function valueText(field: FieldName, value: unknown): string {
  return displayValue(field, { [field]: value } as unknown as AnnotationFields);
}

interface FieldRowProps {
  k: KeyPlan;
  c: FieldConflict;
  decision: Decision | undefined;
  unitName(code: string): string;
  onDecide(id: string, d: Decision): void;
}

const FieldRow = memo(function FieldRow({ k, c, decision, unitName, onDecide }: FieldRowProps) {
  const { t } = useTranslation();
  const id = fieldKey(k.key, c.field);
  const mode = !decision ? undefined : 'take' in decision ? decision.take : 'edit';
  const side = (label: string, value: unknown, by: FieldConflict['mineBy']) => (
    <div className="conflict-side">
      <Typography.Text type="secondary">
        {label} · {t('bundles.by', { name: by.author.name, unit: unitName(by.unitCode), time: when(by.at) })}
      </Typography.Text>
      <div className="conflict-value">{valueText(c.field, value) || t('common.none')}</div>
    </div>
  );
  return (
    <div className={`conflict-row${decision ? ' conflict-decided' : ''}`} data-conflict={id}>
      <Typography.Text strong>
        {k.taskId} · {unitName(k.unitCode)} · {t(`fields.${c.field}`)}
      </Typography.Text>
      <div className="conflict-sides">
        {side(t('bundles.mine'), c.mine, c.mineBy)}
        {side(t('bundles.theirs'), c.theirs, c.theirsBy)}
      </div>
      <Radio.Group
        value={mode}
        aria-label={`${k.taskId} ${unitName(k.unitCode)} ${t(`fields.${c.field}`)}`}
        onChange={(e) => {
          const v = e.target.value as 'mine' | 'theirs' | 'edit';
          if (v === 'edit') {
            const start = valueText(c.field, c.theirs);
            onDecide(id, { value: c.field === 'progressNotes' ? docFromText(start) : start });
          } else onDecide(id, { take: v });
        }}
        options={[
          { value: 'mine', label: t('bundles.keepMine') },
          { value: 'theirs', label: t('bundles.takeTheirs') },
          ...(EDITABLE.includes(c.field) ? [{ value: 'edit', label: t('bundles.editValue') }] : []),
        ]}
      />
      {mode === 'edit' && decision && 'value' in decision && (
        <Input.TextArea
          aria-label={`${t('bundles.editValue')} ${t(`fields.${c.field}`)}`}
          autoSize={{ minRows: 2, maxRows: 4 }}
          defaultValue={valueText(c.field, decision.value)}
          onChange={(e) => onDecide(id, { value: c.field === 'progressNotes' ? docFromText(e.target.value) : e.target.value })}
        />
      )}
    </div>
  );
});

function TaskRow({ k, left, unitName, onBulk }: { k: KeyPlan; left: number; unitName(code: string): string; onBulk(keys: KeyPlan[], take: 'mine' | 'theirs'): void }) {
  const { t } = useTranslation();
  return (
    <div className="conflict-task" data-conflict-task={k.key}>
      <Typography.Text strong>
        {k.taskId} · {unitName(k.unitCode)}
      </Typography.Text>
      <Typography.Text type="secondary">{t('bundles.taskConflicts', { count: k.conflicts.length, left })}</Typography.Text>
      <Space size={4}>
        <Button size="small" onClick={() => onBulk([k], 'mine')}>{t('bundles.taskKeepMine')}</Button>
        <Button size="small" onClick={() => onBulk([k], 'theirs')}>{t('bundles.taskTakeTheirs')}</Button>
      </Space>
    </div>
  );
}

/** The windowed list of conflicts, grouped by task (tasks sorted by unit, then id). */
export function ConflictList({ keys, decisions, unitName, onDecide, onBulk }: {
  keys: readonly KeyPlan[];
  decisions: DecisionMap;
  unitName(code: string): string;
  onDecide(id: string, d: Decision): void;
  onBulk(keys: KeyPlan[], take: 'mine' | 'theirs'): void;
}) {
  const rows = useMemo(() => {
    const sorted = [...keys].sort((a, b) => (a.unitCode === b.unitCode ? (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0) : a.unitCode < b.unitCode ? -1 : 1));
    const out: Row[] = [];
    for (const k of sorted) {
      out.push({ kind: 'task', k });
      for (const c of k.conflicts) out.push({ kind: 'field', k, c });
    }
    return out;
  }, [keys]);
  // Row offsets: an edited field is taller (its text box). Recomputed per decision: one pass over the rows.
  const offsets = useMemo(() => {
    const o = new Float64Array(rows.length + 1);
    rows.forEach((r, i) => {
      const d = r.kind === 'field' ? decisions.get(fieldKey(r.k.key, r.c.field)) : undefined;
      o[i + 1] = o[i]! + (r.kind === 'task' ? TASK_H : d && 'value' in d ? EDIT_H : FIELD_H);
    });
    return o;
  }, [rows, decisions]);
  const total = offsets[rows.length]!;
  const [top, setTop] = useState(0);
  const frame = useRef(0);
  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => {
    const y = e.currentTarget.scrollTop;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setTop(y));
  }, []);
  // The first row whose bottom is below the top of the view (binary search over the offsets).
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= top) lo = mid + 1;
    else hi = mid;
  }
  const first = Math.max(0, lo - OVERSCAN);
  let last = lo;
  while (last < rows.length - 1 && offsets[last]! < top + VIEW_H) last++;
  last = Math.min(rows.length - 1, last + OVERSCAN);
  const leftOf = (k: KeyPlan) => k.conflicts.filter((c) => !decisions.has(fieldKey(k.key, c.field))).length;
  const visible: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const r = rows[i]!;
    visible.push(
      <div key={r.kind === 'task' ? `t:${r.k.key}` : fieldKey(r.k.key, r.c.field)} className="conflict-slot" style={{ top: offsets[i], height: offsets[i + 1]! - offsets[i]! }}>
        {r.kind === 'task' ? (
          <TaskRow k={r.k} left={leftOf(r.k)} unitName={unitName} onBulk={onBulk} />
        ) : (
          <FieldRow k={r.k} c={r.c} decision={decisions.get(fieldKey(r.k.key, r.c.field))} unitName={unitName} onDecide={onDecide} />
        )}
      </div>,
    );
  }
  return (
    <div className="conflict-list" style={{ height: Math.min(VIEW_H, total) }} onScroll={onScroll} data-rows={rows.length}>
      <div className="conflict-canvas" style={{ height: total }}>
        {visible}
      </div>
    </div>
  );
}

export type { Decision };
