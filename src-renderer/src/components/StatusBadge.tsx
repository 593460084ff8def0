import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { LIGHT_COLORS, STATUS_COLORS, type Light, type Status } from '../../../src-main/shared/domain';

/** The status as colour and text (never colour alone). */
export function StatusBadge({ status, compact }: { status: Status; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} className={`status-badge status-${status}${compact ? ' is-compact' : ''}`} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}


/** A traffic-light dot with its meaning as tooltip and accessible name. */
export function LightDot({ light }: { light: Light }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`light.${light}`)}>
      <span className={`light-dot light-${light}`} data-light={light} role="img" aria-label={t(`light.${light}`)}
        style={{ background: LIGHT_COLORS[light] }} />
    </Tooltip>
  );
}
