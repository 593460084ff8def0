import { useMemo, useState, useEffect } from 'react';
import { Empty, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../../../src-main/shared/corpus/types';
import { useCorpus } from '../../store/corpusStore';
import { useUiStore } from '../../store/uiStore';
import { branchKeys, buildTaskTree, type TreeNode } from './buildTree';
import { Highlight } from './Highlight';

function toData(nodes: TreeNode[], query: string): DataNode[] {
  return nodes.map((n) => ({
    key: n.key,
    isLeaf: n.kind === 'task',
    title:
      n.kind === 'task' ? (
        <span className="task-leaf" data-task-id={n.key} title={n.task!.text}>
          <span className="task-id">{n.key}</span>
          <span className="task-label">
            <Highlight text={n.label} query={query} />
          </span>
        </span>
      ) : (
        <span className={`branch branch-${n.kind}`} data-branch={n.key}>
          {n.kind === 'table' ? `表${n.key.split(':')[1]} ` : ''}
          {n.label}
          <span className="count">{n.count}</span>
        </span>
      ),
    children: n.kind === 'task' ? undefined : toData(n.children, query),
  }));
}

/** 表 → 类别 → 领域 → tasks, filtered by the search. */
export function TaskTree({ tasks }: { tasks: Task[] }) {
  const { t } = useTranslation();
  const corpus = useCorpus();
  const query = useUiStore((s) => s.query);
  const selected = useUiStore((s) => s.selectedTaskId);
  const selectTask = useUiStore((s) => s.selectTask);
  const nodes = useMemo(() => buildTaskTree(corpus.tables, tasks), [corpus.tables, tasks]);
  const data = useMemo(() => toData(nodes, query), [nodes, query]);
  const allKeys = useMemo(() => branchKeys(nodes), [nodes]);
  const [expanded, setExpanded] = useState<React.Key[]>(allKeys);
  useEffect(() => setExpanded(allKeys), [allKeys]);

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
