import { useState } from 'react';
import { Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSessionStore } from '../../store/sessionStore';
import { RoleChoice } from './RoleChoice';

/** First run: who is this, which unit do they annotate for, and in which role (each explained). */
export function ProfileSetup() {
  const { t, i18n } = useTranslation();
  const units = useSessionStore((s) => s.units);
  const completeProfile = useSessionStore((s) => s.completeProfile);
  const [name, setName] = useState('');
  const [unitCode, setUnitCode] = useState<string | undefined>(undefined);
  const [role, setRole] = useState<'official' | 'supervisor'>('official');
  const [errors, setErrors] = useState<{ name?: string; unit?: string; form?: string }>({});

  const submit = async () => {
    const e: typeof errors = {};
    if (name.trim() === '') e.name = t('profile.nameRequired');
    if (!unitCode) e.unit = t('profile.unitRequired');
    setErrors(e);
    if (Object.keys(e).length) return;
    const err = await completeProfile({ name: name.trim(), unitCode: unitCode!, role, language: i18n.language === 'en' ? 'en' : 'zh-CN' });
    if (err) setErrors({ form: err });
  };

  return (
    <Modal open closable={false} maskClosable={false} keyboard={false} footer={null} title={t('profile.setupTitle')} width={520}>
      <Typography.Paragraph type="secondary">{t('profile.setupHint')}</Typography.Paragraph>
      <Form layout="vertical" component="form" onSubmitCapture={(ev) => { ev.preventDefault(); void submit(); }}>
        <Form.Item label={t('profile.name')} required validateStatus={errors.name ? 'error' : undefined} help={errors.name} htmlFor="profile-name">
          <Input id="profile-name" autoFocus placeholder={t('profile.namePlaceholder')} value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('profile.unit')} required validateStatus={errors.unit ? 'error' : undefined} help={errors.unit} htmlFor="profile-unit">
          <Select id="profile-unit" showSearch={{ optionFilterProp: 'label' }} value={unitCode} onChange={setUnitCode}
            options={units.filter((u) => u.active).map((u) => ({ value: u.code, label: u.name }))} />
        </Form.Item>
        <Form.Item label={t('profile.role')}>
          <RoleChoice value={role} onChange={setRole} />
        </Form.Item>
        {errors.form && <Typography.Text type="danger">{errors.form}</Typography.Text>}
        <Button type="primary" htmlType="submit" block>
          {t('profile.start')}
        </Button>
      </Form>
    </Modal>
  );
}
