import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Annotation, Status } from '../../../../src-main/shared/domain';
import { trafficLight, type Light } from '../../../../src-main/shared/rules';
import { chinaToday } from '../../../../src-main/shared/time';
import type { Task } from '../../../../src-main/shared/corpus/types';
import { useCorpus } from '../../store/corpusStore';
import { useUiStore } from '../../store/uiStore';
import { LightDot, PlainStatusBadge } from '../../components/StatusBadge';
import { UnsavedMark } from '../annotation/UnsavedMark';
import { branchKeys, buildTaskTree, type TreeNode } from './buildTree';
import { Highlight } from './Highlight';

export interface TaskHitInfo {
  field: string;
  snippet: string;
}

interface Props {
  tasks: Task[];
  annotationsByTask: Map<string, Annotation>;
  /** Where the search matched outside the task text, per task (shown under the leaf). */
  hits?: Map<string, TaskHitInfo>;
  /** Tasks sent back (退回补充) and not yet submitted again: the comment, shown as a badge. */
  returned?: ReadonlyMap<string, { comment: string }>;
}

/**
 * 表 → 类别 → 领域 → tasks, filtered, with each task's status and traffic light in the current unit.
 *
 * A plain ARIA tree (role tree / group / treeitem) rather than antd's Tree: it is the first thing the
 * app draws, and ~140 antd tree nodes with a Tag and a Tooltip per leaf cost most of the first
 * render (issue #8). Badge and dot are plain markup (PlainStatusBadge, LightDot); the dot's
 * meaning is its accessible name and native tooltip. Keys: ↑/↓ and j/k move the selection and the
 * keyboard with it (App), ←/→ collapse / expand a branch, Enter or Space opens the focused task with
 * the keyboard in its annotation form (Esc there comes back to the row).
 */
export function TaskTree({ tasks, annotationsByTask, hits, returned }: Props) {
  const { t } = useTranslation();
  const corpus = useCorpus();
  const query = useUiStore((s) => s.filters.query);
  const selected = useUiStore((s) => s.selectedTaskId);
  const selectTask = useUiStore((s) => s.selectTask);
  const editTask = useUiStore((s) => s.editTask);
  const nodes = useMemo(() => buildTaskTree(corpus.tables, tasks), [corpus.tables, tasks]);
  // The branches shown, as one string: a new array with the same branches (the list is rebuilt after
  // every save, as its badges change) is the same list.
  const list = useMemo(() => branchKeys(nodes).join('\n'), [nodes]);
  // Folded branches belong to one list: a new list (filters, search) opens every branch again.
  // Derived while rendering, not reset in an effect (which would draw the whole tree twice).
  const [folded, setFolded] = useState<{ list: string; keys: ReadonlySet<string> }>(() => ({ list, keys: NONE }));
  const collapsed = folded.list === list ? folded.keys : NONE;
  const today = chinaToday();
  const labels = useMemo(
    () => ({
      status: (s: Status) => t(`status.${s}`),
      light: (l: Light) => t(`light.${l}`),
      field: (f: string) => t(`searchHits.fields.${f}`),
      returned: t('review.returnedBadge'),
    }),
    [t],
  );

  if (tasks.length === 0) return <Empty description={t('tree.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;

  const toggle = (key: string, open?: boolean) =>
    setFolded((prev) => {
      const next = new Set(prev.list === list ? prev.keys : NONE);
      if (open ?? next.has(key)) next.delete(key);
      else next.add(key);
      return { list, keys: next };
    });

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!item) return;
    const key = item.dataset.key!;
    if (item.dataset.leaf === 'true') {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        editTask(key);
      }
      return;
    }
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      toggle(key, e.key === 'ArrowRight' ? true : e.key === 'ArrowLeft' ? false : undefined);
    }
  };

  const firstLeaf = findFirstLeaf(nodes);
  const render = (ns: readonly TreeNode[], level: number): React.ReactNode =>
    ns.map((n) => {
      if (n.kind === 'task') {
        const a = annotationsByTask.get(n.key);
        return (
          <TaskLeaf
            key={n.key}
            node={n}
            level={level}
            selected={selected === n.key}
            focusable={selected ? selected === n.key : n === firstLeaf}
            status={a?.status}
            light={a ? trafficLight(a, today) : undefined}
            hit={hits?.get(n.key)}
            returned={returned?.get(n.key)?.comment}
            query={query}
            labels={labels}
            onSelect={selectTask}
          />
        );
      }
      const open = !collapsed.has(n.key);
      return (
        <li key={n.key} role="treeitem" aria-expanded={open} aria-level={level} data-key={n.key} tabIndex={-1} className={`tree-branch tree-${n.kind}`}>
          <div className="tree-row" style={{ paddingInlineStart: (level - 1) * 16 }} onClick={() => toggle(n.key)}>
            <span className={`tree-caret${open ? ' is-open' : ''}`} aria-hidden />
            <span className={`branch branch-${n.kind}`} data-branch={n.key}>
              {n.kind === 'table' ? `表${n.key.split(':')[1]} ` : ''}
              {n.label}
              <span className="count">{n.count}</span>
            </span>
          </div>
          {open && (
            <ul role="group" className="tree-group">
              {render(n.children, level + 1)}
            </ul>
          )}
        </li>
      );
    });
  return (
    <nav aria-label={t('tree.all')}>
      <Typography.Text type="secondary" className="tree-total" data-testid="tree-total">
        {t('search.results', { count: tasks.length })}
      </Typography.Text>
      <ul role="tree" aria-label={t('tree.all')} className="task-tree" onKeyDown={onKeyDown}>
        {render(nodes, 1)}
      </ul>
    </nav>
  );
}

const NONE: ReadonlySet<string> = new Set();

function findFirstLeaf(ns: readonly TreeNode[]): TreeNode | undefined {
  for (const n of ns) {
    if (n.kind === 'task') return n;
    const f = findFirstLeaf(n.children);
    if (f) return f;
  }
  return undefined;
}

interface LeafProps {
  node: TreeNode;
  level: number;
  selected: boolean;
  focusable: boolean;
  status?: Status;
  light?: Light;
  hit?: TaskHitInfo;
  /** The comment of a 退回补充 not yet answered. */
  returned?: string;
  query: string;
  labels: { status(s: Status): string; light(l: Light): string; field(f: string): string; returned: string };
  onSelect(id: string): void;
}

/** One task; memoised, so a selection change re-renders two leaves, not the tree. */
const TaskLeaf = memo(function TaskLeaf({ node, level, selected, focusable, status, light, hit, returned, query, labels, onSelect }: LeafProps) {
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-selected={selected}
      data-key={node.key}
      data-leaf="true"
      tabIndex={focusable ? 0 : -1}
      className={`tree-leaf${selected ? ' is-selected' : ''}`}
      onClick={() => onSelect(node.key)}
    >
      <span className="task-leaf" data-task-id={node.key} title={node.task!.text} style={{ paddingInlineStart: (level - 1) * 16 + 18 }}>
        <span className="task-id">{node.key}</span>
        <span className="task-label">
          <span className="task-label-text">
            <Highlight text={node.label} query={query} />
          </span>
          {hit && (
            <span className="task-hit">
              <span className="task-hit-field">{labels.field(hit.field)}</span>
              <Highlight text={hit.snippet} query={query} />
            </span>
          )}
        </span>
        <UnsavedMark taskId={node.key} />
        {returned !== undefined && (
          <span className="task-returned" title={returned} aria-label={`${labels.returned}：${returned}`}>
            {labels.returned}
          </span>
        )}
        {status && light && (
          <span className="task-meta">
            <PlainStatusBadge status={status} label={labels.status(status)} />
            <LightDot light={light} label={labels.light(light)} />
          </span>
        )}
      </span>
    </li>
  );
});
