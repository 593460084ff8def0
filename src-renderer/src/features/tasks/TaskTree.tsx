import { useEffect, useMemo, useState } from 'react';
import { Empty, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import { localToday, trafficLight, type Annotation } from '../../../../src-main/shared/domain';
import type { Task } from '../../../../src-main/shared/corpus/types';
import { useCorpus } from '../../store/corpusStore';
import { useUiStore } from '../../store/uiStore';
import { LightDot, StatusBadge } from '../../components/StatusBadge';
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
}

/** 表 → 类别 → 领域 → tasks, filtered, with each task's status and traffic light in the current unit. */
export function TaskTree({ tasks, annotationsByTask, hits }: Props) {
  const { t } = useTranslation();
  const corpus = useCorpus();
  const query = useUiStore((s) => s.filters.query);
  const selected = useUiStore((s) => s.selectedTaskId);
  const selectTask = useUiStore((s) => s.selectTask);
  const nodes = useMemo(() => buildTaskTree(corpus.tables, tasks), [corpus.tables, tasks]);
  const allKeys = useMemo(() => branchKeys(nodes), [nodes]);
  const [expanded, setExpanded] = useState<React.Key[]>(allKeys);
  useEffect(() => setExpanded(allKeys), [allKeys]);

  const data = useMemo(() => {
    const today = localToday();
    const toData = (ns: TreeNode[]): DataNode[] =>
      ns.map((n) => {
        if (n.kind !== 'task') {
          return {
            key: n.key,
            title: (
              <span className={`branch branch-${n.kind}`} data-branch={n.key}>
                {n.kind === 'table' ? `表${n.key.split(':')[1]} ` : ''}
                {n.label}
                <span className="count">{n.count}</span>
              </span>
            ),
            children: toData(n.children),
          };
        }
        const a = annotationsByTask.get(n.key);
        const hit = hits?.get(n.key);
        return {
          key: n.key,
          isLeaf: true,
          title: (
            <span className="task-leaf" data-task-id={n.key} title={n.task!.text}>
              <span className="task-id">{n.key}</span>
              <span className="task-label">
                <span className="task-label-text">
                  <Highlight text={n.label} query={query} />
                </span>
                {hit && (
                  <span className="task-hit">
                    <span className="task-hit-field">{t(`searchHits.fields.${hit.field}`)}</span>
                    <Highlight text={hit.snippet} query={query} />
                  </span>
                )}
              </span>
              {a && (
                <span className="task-meta">
                  <StatusBadge status={a.status} compact />
                  <LightDot light={trafficLight(a, today)} />
                </span>
              )}
            </span>
          ),
        };
      });
    return toData(nodes);
  }, [nodes, annotationsByTask, hits, query, t]);

  if (tasks.length === 0) return <Empty description={t('tree.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <nav aria-label={t('tree.all')}>
      <Typography.Text type="secondary" className="tree-total" data-testid="tree-total">
        {t('search.results', { count: tasks.length })}
      </Typography.Text>
      <Tree
        blockNode
        virtual={false}
        treeData={data}
        expandedKeys={expanded}
        onExpand={(keys) => setExpanded(keys)}
        selectedKeys={selected ? [selected] : []}
        onSelect={(_keys, info) => {
          if (info.node.isLeaf) selectTask(String(info.node.key));
        }}
      />
    </nav>
  );
}
