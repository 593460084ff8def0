/**
 * The two roles, each with what it may do — the same words on the first start and in 设置, so a
 * newcomer knows what choosing 市级督办 means before choosing it.
 */
import { Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProfileRole } from '../../../../src-main/shared/rounds/schema';

export function RoleChoice({ value, onChange }: { value: ProfileRole; onChange: (role: ProfileRole) => void }) {
  const { t } = useTranslation();
  return (
    <Radio.Group value={value} onChange={(e) => onChange(e.target.value as ProfileRole)} className="role-choice">
      {(['official', 'supervisor'] as const).map((r) => (
        <Radio key={r} value={r} className="role-option">
          <span className="role-label">{t(r === 'official' ? 'profile.roleOfficial' : 'profile.roleSupervisor')}</span>
          <Typography.Text type="secondary" className="role-help">
            {t(r === 'official' ? 'profile.roleOfficialHelp' : 'profile.roleSupervisorHelp')}
          </Typography.Text>
        </Radio>
      ))}
    </Radio.Group>
  );
}
