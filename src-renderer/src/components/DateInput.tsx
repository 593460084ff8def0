import { useRef, useState, type CSSProperties } from 'react';
import { Button, Calendar, Input, Popover, Space, type InputRef } from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { isIsoDate } from '../../../src-main/shared/domain';
import { chinaToday, dateFieldValue } from '../../../src-main/shared/time';
import { dateText } from '../i18n/time';

export interface DateInputProps {
  id?: string;
  /** An ISO date, null for none, or (while it is refused) the text as typed. */
  value?: string | null;
  onChange?: (value: string | null) => void;
  'aria-label'?: string;
  placeholder?: string;
  status?: 'error' | 'warning';
  style?: CSSProperties;
}

/**
 * A calendar date field: typed (2025-06-30, 2025/6/30, 2025年6月30日 — the one parser of
 * shared/time.ts) or picked from a calendar (the button beside it, or Alt+↓ in the field; Esc
 * closes it). Shown as 2025年6月30日 / 30 June 2025 when not being typed in, never in the machine's
 * mm/dd/yyyy. Gives the ISO date, null when cleared, or the text as typed when it is not a date, so
 * that the rules refuse it with their message and the person sees what they typed.
 */
export function DateInput({ id, value, onChange, placeholder, status, style, 'aria-label': ariaLabel }: DateInputProps) {
  const { t, i18n } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const input = useRef<InputRef>(null);
  const current = value ?? null;
  const valid = current !== null && isIsoDate(current);
  const shown = typed ?? (valid ? dateText(current) : (current ?? ''));

  const pick = (iso: string) => {
    setOpen(false);
    setTyped(null);
    onChange?.(iso);
    input.current?.focus();
  };

  const calendar = (
    <div
      className="date-input-calendar"
      data-testid="date-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setOpen(false);
          input.current?.focus();
        }
      }}
    >
      <Calendar
        fullscreen={false}
        // Month and weekday names (and Monday first) in the language of the screen.
        value={dayjs(valid ? current : chinaToday()).locale(i18n.language === 'en' ? 'en' : 'zh-cn')}
        onSelect={(d, info) => {
          if (info.source === 'date') pick(d.format('YYYY-MM-DD'));
        }}
      />
    </div>
  );

  return (
    <Space.Compact style={style} className="date-input">
      <Input
        ref={input}
        id={id}
        aria-label={ariaLabel}
        status={status}
        placeholder={placeholder ?? t('dateInput.placeholder')}
        value={shown}
        onBlur={() => setTyped(null)}
        onChange={(e) => {
          setTyped(e.target.value);
          onChange?.(dateFieldValue(e.target.value));
        }}
        onKeyDown={(e) => {
          if (e.altKey && e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          } else if (e.key === 'Escape' && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        placement="bottomLeft"
        content={calendar}
        destroyOnHidden
      >
        <Button icon={<CalendarOutlined />} aria-label={t('dateInput.open')} aria-expanded={open} aria-haspopup="dialog" />
      </Popover>
    </Space.Compact>
  );
}
