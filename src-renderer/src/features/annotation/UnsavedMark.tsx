import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSessionStore } from '../../store/sessionStore';
import { useUnsavedEdits } from './unsavedEdits';

/** The task tree's mark on a task of the current unit with content that is not saved. */
export function UnsavedMark({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const unitCode = useSessionStore((s) => s.unitCode);
  const marked = useUnsavedEdits((s) => s.items.some((i) => i.taskId === taskId && i.unitCode === unitCode));
  if (!marked) return null;
  return (
    <span className="unsaved-mark" data-unsaved-task={taskId} role="img" aria-label={t('annotation.unsavedMark')} title={t('annotation.unsavedMark')}>
      !
    </span>
  );
}

/** The report builder's line 「N 项任务有未保存的内容」 with the tasks, when there are any. */
export function UnsavedNotice() {
  const { t } = useTranslation();
  const items = useUnsavedEdits((s) => s.items);
  const units = useSessionStore((s) => s.units);
  if (items.length === 0) return null;
  const name = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  return (
    <Alert
      className="unsaved-notice"
      data-testid="unsaved-notice"
      type="warning"
      showIcon
      title={t('annotation.unsavedTasks', { count: items.length })}
      description={items.map((i) => `${i.taskId}（${name(i.unitCode)}）`).join('、')}
    />
  );
}
