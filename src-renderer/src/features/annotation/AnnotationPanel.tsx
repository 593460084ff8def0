import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { App as AntApp, Tabs, Typography } from 'antd';
import { FIELD_LABELS, type FieldName } from '../../../../src-main/shared/domain';
import { useUiStore } from '../../store/uiStore';
import { useTranslation } from 'react-i18next';
import { useSessionStore } from '../../store/sessionStore';
import { useAnnotationEditor } from './annotationStore';
import { AnnotationForm } from './AnnotationForm';
import { EvidenceList } from './EvidenceList';
import { HistoryView } from './HistoryView';
import { TimelineView } from './TimelineView';
import { TaskReviewNote } from '../rounds/TaskReviewNote';
import { focusTaskRow, inOpenPopup, isComposing } from '../tasks/keyboard';

/** The current unit's work on one task: annotation, evidence, progress log and history. */
export function AnnotationPanel({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const unitCode = useSessionStore((s) => s.unitCode);
  const units = useSessionStore((s) => s.units);
  const open = useAnnotationEditor((s) => s.open);
  const loadedKey = useAnnotationEditor((s) => s.key);
  const { modal } = AntApp.useApp();
  const asking = useRef(false);
  const [tab, setTab] = useState('annotation');
  // Opening a task from the keyboard puts it in the form: show the form's tab.
  const wantsForm = useUiStore((s) => s.formFocus?.taskId === taskId);
  if (wantsForm && tab !== 'annotation') setTab('annotation');

  useEffect(() => {
    if (!unitCode) return;
    const ed = useAnnotationEditor.getState();
    const errors = Object.keys(ed.fieldErrors) as FieldName[];
    // Leaving a task of this unit with a field in error asks first: stay, or discard that field.
    if (ed.key && ed.taskId && ed.taskId !== taskId && ed.unitCode === unitCode && errors.length > 0) {
      if (asking.current) return;
      asking.current = true;
      const back = ed.taskId;
      modal.confirm({
        title: t('annotation.leaveTitle'),
        content: t('annotation.leaveBody', { fields: errors.map((f) => FIELD_LABELS[f]).join('、') }),
        okText: t('annotation.leaveDiscard'),
        cancelText: t('annotation.leaveStay'),
        onOk: async () => {
          asking.current = false;
          await useAnnotationEditor.getState().discardErrors();
          void open(taskId, unitCode);
        },
        onCancel: () => {
          asking.current = false;
          useUiStore.getState().selectTask(back);
        },
      });
      return;
    }
    void open(taskId, unitCode);
  }, [taskId, unitCode, open, modal, t]);

  if (!unitCode) return null;
  const unitName = units.find((u) => u.code === unitCode)?.name ?? unitCode;
  const ready = loadedKey === `${taskId}|${unitCode}`;
  /**
   * Esc in any field of the panel (none of its lists or pickers open: those close first and keep the
   * key) takes the keyboard back to the task's row in the list, where j/k go on. Leaving the form
   * saves it (its blur flushes the autosave).
   */
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || e.defaultPrevented || isComposing(e.nativeEvent) || inOpenPopup(e.target)) return;
    if (focusTaskRow(taskId)) e.preventDefault();
  };
  return (
    <section className="annotation-panel" aria-label={t('annotation.title')} data-unit={unitCode} onKeyDown={onKeyDown}>
      <Typography.Title level={5} className="annotation-panel-title">
        {t('annotation.unitLabel', { unit: unitName })}
      </Typography.Title>
      <TaskReviewNote taskId={taskId} unitCode={unitCode} />
      <Tabs
        destroyOnHidden
        activeKey={tab}
        onChange={(key) => {
          setTab(key);
          useUiStore.getState().clearFormFocus();
        }}
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
