/**
 * The navigation tree 表 → 类别 → 领域 → tasks, with counts, built from a (possibly filtered) list.
 * Pure, so the counts can be tested without a DOM.
 */
import type { Task, TaskTable } from '../../../../src-main/shared/corpus/types';

export interface TreeNode {
  key: string;
  kind: 'table' | 'group' | 'domain' | 'task';
  label: string;
  count: number;
  task?: Task;
  children: TreeNode[];
}

export function buildTaskTree(tables: readonly TaskTable[], tasks: readonly Task[]): TreeNode[] {
  const roots: TreeNode[] = [];
  for (const table of tables) {
    const inTable = tasks.filter((t) => t.table === table.number);
    if (inTable.length === 0) continue;
    const tableNode: TreeNode = { key: `table:${table.number}`, kind: 'table', label: table.title, count: inTable.length, children: [] };
    for (const t of inTable) {
      let group = tableNode.children.find((g) => g.label === t.group);
      if (!group) {
        group = { key: `group:${table.number}:${t.group}`, kind: 'group', label: t.group, count: 0, children: [] };
        tableNode.children.push(group);
      }
      group.count++;
      let parent = group;
      if (t.domain) {
        let domain = group.children.find((d) => d.kind === 'domain' && d.label === t.domain);
        if (!domain) {
          domain = { key: `domain:${table.number}:${t.group}:${t.domain}`, kind: 'domain', label: t.domain, count: 0, children: [] };
          group.children.push(domain);
        }
        domain.count++;
        parent = domain;
      }
      parent.children.push({ key: t.id, kind: 'task', label: t.text, count: 1, task: t, children: [] });
    }
    roots.push(tableNode);
  }
  return roots;
}

/** Keys of every non-leaf node, to expand the whole tree (e.g. while searching). */
export function branchKeys(nodes: readonly TreeNode[]): string[] {
  const out: string[] = [];
  const walk = (ns: readonly TreeNode[]) => {
    for (const n of ns) {
      if (n.kind !== 'task') {
        out.push(n.key);
        walk(n.children);
      }
    }
  };
  walk(nodes);
  return out;
}
