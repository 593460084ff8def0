/**
 * The task tree the officials start from (a plain ARIA tree since issue #8): every table, group,
 * domain and task, the unit's status badge and traffic light on each annotated task, branches that
 * fold and unfold by mouse and keyboard, and a task opened by click or Enter.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import '../../src-renderer/src/i18n';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { emptyFields, type Annotation } from '../../src-main/shared/domain';
import { useCorpusStore } from '../../src-renderer/src/store/corpusStore';
import { useUiStore } from '../../src-renderer/src/store/uiStore';
import { TaskTree } from '../../src-renderer/src/features/tasks/TaskTree';

let corpus: Corpus;

beforeAll(() => {
  corpus = testCorpus();
  useCorpusStore.setState({ state: { status: 'ready', corpus, taskById: new Map(corpus.tasks.map((t) => [t.id, t])) } });
});
beforeEach(() => useUiStore.getState().selectTask(null));
afterEach(cleanup);

function annotation(taskId: string, status: Annotation['status'], deadline: string | null): Annotation {
  return {
    key: `${taskId}|320102`,
    taskId,
    unitCode: '320102',
    ...emptyFields(),
    status,
    deadline,
    head: 'r1',
    updatedAt: '2024-01-01T00:00:00.000Z',
    updatedBy: { name: '张三', unitCode: '320102' },
  } as Annotation;
}

const leaf = (id: string) => screen.getByRole('treeitem', { name: new RegExp(`^${id}`) });

describe('TaskTree', () => {
  it('lists every task under its table, with the badge and light of the unit’s annotation', () => {
    const annotations = new Map([['T1-03', annotation('T1-03', 'delayed', '2020-01-01')]]);
    render(<TaskTree tasks={corpus.tasks} annotationsByTask={annotations} />);
    const tree = screen.getByRole('tree');
    const leaves = within(tree).getAllByRole('treeitem').filter((el) => el.dataset.leaf === 'true');
    expect(leaves.map((el) => el.dataset.key)).toEqual(corpus.tasks.map((t) => t.id));
    const tables = within(tree).getAllByRole('treeitem').filter((el) => el.getAttribute('aria-level') === '1');
    expect(tables.map((el) => el.dataset.key)).toEqual(corpus.tables.map((t) => `table:${t.number}`));

    const badge = leaf('T1-03').querySelector('[data-status]')!;
    expect(badge.getAttribute('data-status')).toBe('delayed');
    expect(badge.textContent).toBe('进度滞后');
    // Overdue and delayed: a red light, named for screen readers, not colour alone.
    expect(within(leaf('T1-03')).getByRole('img').getAttribute('data-light')).toBe('red');
    expect(within(leaf('T1-03')).getByRole('img').getAttribute('aria-label')).toBeTruthy();
    expect(leaf('T1-01').querySelector('[data-status]')).toBeNull();
  });

  it('folds a branch by click and unfolds it with →; Enter on a task opens it', () => {
    render(<TaskTree tasks={corpus.tasks} annotationsByTask={new Map()} />);
    const table1 = screen.getAllByRole('treeitem').find((el) => el.dataset.key === 'table:1')!;
    expect(table1.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(within(table1).getByText(/^表1/));
    expect(table1.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('treeitem', { name: /^T1-01/ })).toBeNull();
    // Other tables stay open.
    expect(leaf('T2-01')).toBeTruthy();

    fireEvent.keyDown(table1, { key: 'ArrowRight' });
    expect(table1.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(table1, { key: 'ArrowLeft' });
    expect(table1.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(table1, { key: 'Enter' });
    expect(table1.getAttribute('aria-expanded')).toBe('true');

    fireEvent.click(leaf('T1-05'));
    expect(useUiStore.getState().selectedTaskId).toBe('T1-05');
    expect(leaf('T1-05').getAttribute('aria-selected')).toBe('true');
    // Only the selected task is in the Tab order.
    expect(leaf('T1-05').tabIndex).toBe(0);
    expect(leaf('T1-06').tabIndex).toBe(-1);

    fireEvent.keyDown(leaf('T1-06'), { key: 'Enter' });
    expect(useUiStore.getState().selectedTaskId).toBe('T1-06');
    expect(leaf('T1-05').getAttribute('aria-selected')).toBe('false');
  });

  it('opens every branch again when the list changes (a search or a filter)', () => {
    const view = render(<TaskTree tasks={corpus.tasks} annotationsByTask={new Map()} />);
    const table = (n: number) => screen.getAllByRole('treeitem').find((el) => el.dataset.key === `table:${n}`)!;
    fireEvent.click(within(table(1)).getByText(/^表1/));
    expect(table(1).getAttribute('aria-expanded')).toBe('false');
    // The same tasks again in a new array (the list is rebuilt after every save): still folded.
    view.rerender(<TaskTree tasks={[...corpus.tasks]} annotationsByTask={new Map([['T2-01', annotation('T2-01', 'done', null)]])} />);
    expect(table(1).getAttribute('aria-expanded')).toBe('false');
    view.rerender(<TaskTree tasks={corpus.tasks.filter((t) => t.table <= 2)} annotationsByTask={new Map()} />);
    expect(table(1).getAttribute('aria-expanded')).toBe('true');
    expect(leaf('T1-01')).toBeTruthy();
  });

  it('shows only the filtered tasks, with the counts of what is shown', () => {
    const some = corpus.tasks.filter((t) => t.id === 'T1-01' || t.id === 'T1-02' || t.id === 'T3-01');
    render(<TaskTree tasks={some} annotationsByTask={new Map()} />);
    const leaves = screen.getAllByRole('treeitem').filter((el) => el.dataset.leaf === 'true');
    expect(leaves.map((el) => el.dataset.key)).toEqual(['T1-01', 'T1-02', 'T3-01']);
    expect(screen.getByTestId('tree-total').textContent).toContain('3');
    const table1 = screen.getAllByRole('treeitem').find((el) => el.dataset.key === 'table:1')!;
    expect(table1.querySelector('.count')!.textContent).toBe('2');
  });

  it('says so when nothing matches', () => {
    render(<TaskTree tasks={[]} annotationsByTask={new Map()} />);
    expect(screen.queryByRole('tree')).toBeNull();
    expect(screen.getByText('没有符合条件的任务')).toBeTruthy();
  });
});
