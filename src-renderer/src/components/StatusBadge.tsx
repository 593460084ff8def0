import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { STATUS_COLORS, type Status } from '../../../src-main/shared/domain';
import { LIGHT_COLORS, type Light } from '../../../src-main/shared/rules';

/** The status as colour and text (never colour alone). */
export function StatusBadge({ status, compact }: { status: Status; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} className={`status-badge status-${status}${compact ? ' is-compact' : ''}`} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}


/**
 * A traffic-light dot with its meaning as accessible name and native tooltip. Plain markup, no hooks:
 * the task tree draws one per task on the first screen (issue #8); callers pass the translated label.
 */
export function LightDot({ light, label }: { light: Light; label: string }) {
  return <span className={`light-dot light-${light}`} data-light={light} role="img" aria-label={label} title={label} style={{ background: LIGHT_COLORS[light] }} />;
}

/** StatusBadge's compact look as plain markup (no antd Tag), for the task tree's one-per-task badges. */
export function PlainStatusBadge({ status, label }: { status: Status; label: string }) {
  return (
    <span className={`status-badge status-${status} is-compact tree-badge`} data-status={status} style={{ background: STATUS_COLORS[status] }}>
      {label}
    </span>
  );
}
