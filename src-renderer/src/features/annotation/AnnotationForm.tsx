import { useEffect, useRef } from 'react';
import { Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATUSES, TEXT_FIELD_LIMIT, type AnnotationFields, type FieldName } from '../../../../src-main/shared/domain';
import { RichTextEditor } from '../richtext/RichTextEditor';
import { StatusBadge } from '../../components/StatusBadge';
import { DateInput } from '../../components/DateInput';
import { isOverdue } from '../../../../src-main/shared/rules';
import { chinaToday } from '../../../../src-main/shared/time';
import { dateText } from '../../i18n/time';
import { useAnnotationEditor } from './annotationStore';
import { SaveIndicator } from './SaveIndicator';
import { useUiStore } from '../../store/uiStore';
import { statusChoices } from '../monthly/gridModel';

/** From here on the counter of a limited field turns red. */
const NEAR_LIMIT = Math.floor(TEXT_FIELD_LIMIT * 0.9);

/** The fields of one annotation, saved automatically. */
export function AnnotationForm() {
  const { t } = useTranslation();
  const fields = useAnnotationEditor((s) => s.fields);
  const key = useAnnotationEditor((s) => s.key);
  const loadSeq = useAnnotationEditor((s) => s.loadSeq);
  const errors = useAnnotationEditor((s) => s.fieldErrors);
  const change = useAnnotationEditor((s) => s.change);
  const flush = useAnnotationEditor((s) => s.flush);
  const setComposing = useAnnotationEditor((s) => s.setComposing);
  const taskId = useAnnotationEditor((s) => s.taskId);
  const formFocus = useUiStore((s) => s.formFocus);
  const root = useRef<HTMLDivElement>(null);

  // A task opened from the keyboard: its form takes the keyboard (the field asked for, else the status).
  useEffect(() => {
    if (!formFocus || formFocus.taskId !== taskId || !root.current) return;
    const el = root.current.querySelector<HTMLElement>(`#${CSS.escape(formFocus.field)}`) ?? root.current.querySelector<HTMLElement>('#field-status');
    el?.focus();
    useUiStore.getState().clearFormFocus();
  }, [formFocus, taskId]);
  /** The statuses that match what is typed in the status box: 1–6, the name (滞后), pinyin initials (jdzh). */
  const statusLabel = (s: (typeof STATUSES)[number]) => t(`status.${s}`);

  // A deadline already past (Beijing today) on a task not yet done is saved, with a warning: the
  // rule is the one that lights it red (已超期: not implemented, not 不涉及).
  const today = chinaToday();
  const pastDeadline = !errors.deadline && fields.deadline !== null && isOverdue(fields, today);
  const item = (name: FieldName) => ({
    label: t(`annotation.${name}`),
    validateStatus: errors[name] ? ('error' as const) : undefined,
    help: errors[name],
  });
  const ime = {
    onCompositionStart: () => setComposing(true),
    onCompositionEnd: () => setComposing(false),
  };
  const text = (name: 'results' | 'problems' | 'nextSteps') => (
    <Form.Item {...item(name)} htmlFor={`field-${name}`}>
      <Input.TextArea
        id={`field-${name}`}
        autoSize={{ minRows: 2, maxRows: 12 }}
        value={fields[name]}
        onChange={(e) => change({ [name]: e.target.value } as Partial<AnnotationFields>)}
        // Characters used of the limit; red from 90 % on, so a long paste is seen before it is refused.
        showCount
        count={{
          show: ({ count }) => (
            <span className={`field-count${count >= NEAR_LIMIT ? ' field-count-near' : ''}`} data-field-count={name}>
              {t('annotation.count', { count, limit: TEXT_FIELD_LIMIT })}
            </span>
          ),
        }}
        {...ime}
      />
    </Form.Item>
  );

  return (
    <div
      ref={root}
      className="annotation-form"
      onBlur={(e) => {
        // Flush when focus leaves the form (not when it moves between its own fields).
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) void flush();
      }}
    >
      <div className="annotation-form-head">
        <SaveIndicator />
      </div>
      <Form layout="vertical" component="div" key={key ?? 'none'}>
        <Space size="large" wrap align="start" className="annotation-row">
          <Form.Item {...item('status')} htmlFor="field-status">
            <Select
              id="field-status"
              style={{ width: 160 }}
              value={fields.status}
              // onSelect, not onChange: choosing 未启动 again on a blank task records that it was checked.
              onSelect={(status) => change({ status })}
              showSearch={{ filterOption: (typed, option) => !!option && statusChoices(typed, statusLabel).includes(option.value) }}
              options={STATUSES.map((s) => ({ value: s, label: <StatusBadge status={s} /> }))}
            />
          </Form.Item>
          <Form.Item {...item('progress')} htmlFor="field-progress">
            <InputNumber<number>
              id="field-progress"
              style={{ width: 110 }}
              value={fields.progress}
              // Keep what was typed (even if out of range) so the message can say what is wrong.
              onChange={(v) => change({ progress: typeof v === 'number' ? v : Number.NaN })}
            />
          </Form.Item>
          <Form.Item
            {...item('deadline')}
            htmlFor="field-deadline"
            style={{ maxWidth: 240 }}
            {...(pastDeadline
              ? { validateStatus: 'warning' as const, help: <span data-testid="deadline-warning">{t('annotation.deadlinePast', { deadline: dateText(fields.deadline), today: dateText(today) })}</span> }
              : {})}
          >
            <DateInput
              id="field-deadline"
              style={{ width: 210 }}
              placeholder={t('annotation.deadlinePlaceholder')}
              status={errors.deadline ? 'error' : pastDeadline ? 'warning' : undefined}
              value={fields.deadline}
              onChange={(deadline) => change({ deadline })}
            />
          </Form.Item>
        </Space>
        <Space size="large" wrap align="start" className="annotation-row">
          <Form.Item {...item('leadUnits')} htmlFor="field-leadUnits">
            <Select
              id="field-leadUnits"
              mode="tags"
              style={{ minWidth: 280 }}
              placeholder={t('annotation.unitsPlaceholder')}
              value={fields.leadUnits}
              onChange={(leadUnits: string[]) => change({ leadUnits: leadUnits.map((u) => u.trim()).filter(Boolean) })}
              open={false}
              suffixIcon={null}
            />
          </Form.Item>
          <Form.Item {...item('partnerUnits')} htmlFor="field-partnerUnits">
            <Select
              id="field-partnerUnits"
              mode="tags"
              style={{ minWidth: 280 }}
              placeholder={t('annotation.unitsPlaceholder')}
              value={fields.partnerUnits}
              onChange={(partnerUnits: string[]) => change({ partnerUnits: partnerUnits.map((u) => u.trim()).filter(Boolean) })}
              open={false}
              suffixIcon={null}
            />
          </Form.Item>
        </Space>
        <Form.Item {...item('progressNotes')}>
          <RichTextEditor
            ariaLabel={t('annotation.progressNotes')}
            docKey={`${key}:${loadSeq}`}
            value={fields.progressNotes}
            onChange={(progressNotes) => change({ progressNotes })}
            onComposingChange={setComposing}
          />
        </Form.Item>
        {text('results')}
        {text('problems')}
        {text('nextSteps')}
        <Form.Item label={t('annotation.flags')}>
          <Space>
            <Checkbox checked={fields.isInnovation} onChange={(e) => change({ isInnovation: e.target.checked })}>
              {t('annotation.isInnovation')}
            </Checkbox>
            <Checkbox checked={fields.isBestPractice} onChange={(e) => change({ isBestPractice: e.target.checked })}>
              {t('annotation.isBestPractice')}
            </Checkbox>
          </Space>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" className="annotation-hint" />
    </div>
  );
}
