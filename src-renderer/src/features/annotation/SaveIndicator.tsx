import { Tooltip, Typography } from 'antd';
import { CheckCircleOutlined, LoadingOutlined, ExclamationCircleOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAnnotationEditor } from './annotationStore';
import { when } from '../../i18n/time';

/** 已保存 / 保存中 / 未保存 / errors: always visible, so a person knows their typing is safe. */
export function SaveIndicator() {
  const { t } = useTranslation();
  const state = useAnnotationEditor((s) => s.saveState);
  const message = useAnnotationEditor((s) => s.errorMessage);
  const at = useAnnotationEditor((s) => s.lastSavedAt);
  const content =
    state === 'saving' ? (
      <><LoadingOutlined /> {t('annotation.saving')}</>
    ) : state === 'saved' ? (
      <><CheckCircleOutlined /> {t('annotation.saved')}</>
    ) : state === 'dirty' ? (
      <><EditOutlined /> {t('annotation.unsaved')}</>
    ) : state === 'invalid' || state === 'error' ? (
      <><ExclamationCircleOutlined /> {state === 'invalid' ? t('annotation.invalid') : message}</>
    ) : (
      <>{t('annotation.noAnnotation')}</>
    );
  return (
    <Tooltip title={at ? t('annotation.savedAt', { time: when(at) }) : undefined}>
      <Typography.Text role="status" aria-live="polite" data-save-state={state} className={`save-indicator save-${state}`}
        type={state === 'invalid' || state === 'error' ? 'danger' : state === 'saved' ? 'success' : 'secondary'}>
        {content}
      </Typography.Text>
    </Tooltip>
  );
}
