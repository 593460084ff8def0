import { lazy, Suspense, useLayoutEffect, useRef } from 'react';
import { Button, Descriptions, Empty, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCorpus } from '../../store/corpusStore';
import { useUiStore } from '../../store/uiStore';
import { Highlight } from './Highlight';
import { shortTitle } from '../../../../src-main/shared/report/format';

/**
 * The annotation panel (and with it Tiptap / ProseMirror, a third of the first chunk) loads apart
 * from the first screen, which needs only the task list (issue #8). `preloadAnnotationPanel` is called
 * once the list has painted, so the panel is there before anyone has clicked a task.
 */
const loadAnnotationPanel = () => import('../annotation/AnnotationPanel').then((m) => ({ default: m.AnnotationPanel }));
const AnnotationPanel = lazy(loadAnnotationPanel);
export function preloadAnnotationPanel(): void {
  void loadAnnotationPanel();
}

/**
 * The selected task: its id, full text, place in the tables and the measure it restates. The header
 * (id and short title) stays at the top of the pane while it scrolls, and opening another task
 * scrolls the pane back to the top — so the form below always belongs to the task named above it.
 */
export function TaskView() {
  const { t } = useTranslation();
  const corpus = useCorpus();
  const id = useUiStore((s) => s.selectedTaskId);
  const query = useUiStore((s) => s.filters.query);
  const showMeasure = useUiStore((s) => s.showMeasure);
  const article = useRef<HTMLElement>(null);
  const task = id ? corpus.tasks.find((x) => x.id === id) : undefined;
  useLayoutEffect(() => {
    // The pane that scrolls is the layout's content area around this view.
    const pane = article.current?.closest('.app-content');
    if (pane) pane.scrollTop = 0;
  }, [id]);
  if (!task) return <Empty className="task-empty" description={t('task.none')} />;
  const measure = corpus.measures.find((m) => m.number === task.measure);
  return (
    <article className="task-view" aria-labelledby="task-title" data-task-id={task.id} ref={article}>
      <header className="task-head" data-testid="task-head">
        <Typography.Title level={4} id="task-title" className="task-head-title">
          <span className="task-id-badge">{task.id}</span> <span className="task-head-text">{shortTitle(task.text)}</span>
        </Typography.Title>
      </header>
      <Typography.Text type="secondary" className="task-text-label">
        {t('task.text')}
      </Typography.Text>
      <Typography.Paragraph className="task-text">
        <Highlight text={task.text} query={query} />
      </Typography.Paragraph>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('task.id')}>{task.id}</Descriptions.Item>
        <Descriptions.Item label={t('task.table')}>{`表${task.table} ${task.tableTitle}`}</Descriptions.Item>
        <Descriptions.Item label={t('task.group')}>{task.group}</Descriptions.Item>
        {task.domain && <Descriptions.Item label={t('task.domain')}>{task.domain}</Descriptions.Item>}
      </Descriptions>
      {measure && (
        <section className="measure-box" aria-label={t('task.measure')} data-measure={measure.number}>
          <Typography.Title level={5}>
            {t('task.measure')}{t('task.measureSeparator')}{measure.number}. {measure.title}
          </Typography.Title>
          <Typography.Paragraph ellipsis={{ rows: 4, expandable: true }} className="measure-text">
            {measure.text}
          </Typography.Paragraph>
          <Button type="link" onClick={() => showMeasure(measure.number)}>
            {t('task.measureLink')}
          </Button>
        </section>
      )}
      <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
        <AnnotationPanel taskId={task.id} />
      </Suspense>
    </article>
  );
}
