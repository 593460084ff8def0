import { useEffect } from 'react';
import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSessionStore } from '../../store/sessionStore';
import { useAnnotationEditor } from './annotationStore';
import { AnnotationForm } from './AnnotationForm';
import { EvidenceList } from './EvidenceList';
import { HistoryView } from './HistoryView';
import { TimelineView } from './TimelineView';
import { TaskReviewNote } from '../rounds/TaskReviewNote';

/** The current unit's work on one task: annotation, evidence, progress log and history. */
export function AnnotationPanel({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const unitCode = useSessionStore((s) => s.unitCode);
  const units = useSessionStore((s) => s.units);
  const open = useAnnotationEditor((s) => s.open);
  const loadedKey = useAnnotationEditor((s) => s.key);

  useEffect(() => {
    if (unitCode) void open(taskId, unitCode);
  }, [taskId, unitCode, open]);

  if (!unitCode) return null;
  const unitName = units.find((u) => u.code === unitCode)?.name ?? unitCode;
  const ready = loadedKey === `${taskId}|${unitCode}`;
  return (
    <section className="annotation-panel" aria-label={t('annotation.title')} data-unit={unitCode}>
      <Typography.Title level={5} className="annotation-panel-title">
        {t('annotation.unitLabel', { unit: unitName })}
      </Typography.Title>
      <TaskReviewNote taskId={taskId} unitCode={unitCode} />
      <Tabs
        destroyOnHidden
        items={[
          { key: 'annotation', label: t('annotation.tabs.annotation'), children: ready ? <AnnotationForm /> : null },
          { key: 'evidence', label: t('annotation.tabs.evidence'), children: <EvidenceList taskId={taskId} unitCode={unitCode} /> },
          { key: 'timeline', label: t('annotation.tabs.timeline'), children: <TimelineView taskId={taskId} unitCode={unitCode} /> },
          { key: 'history', label: t('annotation.tabs.history'), children: ready ? <HistoryView /> : null },
        ]}
      />
    </section>
  );
}
