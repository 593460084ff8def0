/**
 * 设置 → 个人信息: the profile edited after the first start (name, unit, role with what each role
 * may do), saved through `saveProfile` — which records each change of name, unit or role in the
 * profile's history — and that history, newest first, in Beijing time.
 */
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Form, Input, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProfileRole } from '../../../../src-main/shared/rounds/schema';
import { db } from '../../db/db';
import { onDataChange } from '../../db/mutate';
import { getProfileHistory, type ProfileChange, type ProfileHistoryField } from '../../db/repo';
import { when } from '../../i18n/time';
import { useSessionStore } from '../../store/sessionStore';
import { RoleChoice } from './RoleChoice';

export function ProfileEditor() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const profile = useSessionStore((s) => s.profile);
  const units = useSessionStore((s) => s.units);
  const completeProfile = useSessionStore((s) => s.completeProfile);
  const [name, setName] = useState(profile?.name ?? '');
  const [unitCode, setUnitCode] = useState(profile?.unitCode ?? '');
  const [role, setRole] = useState<ProfileRole>(profile?.role ?? 'official');
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<ProfileChange[]>([]);

  useEffect(() => {
    const load = () => void getProfileHistory(db).then(setHistory);
    load();
    return onDataChange(load);
  }, []);

  if (!profile) return null;
  const changed = name.trim() !== profile.name || unitCode !== profile.unitCode || role !== profile.role;
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const valueText = (field: ProfileHistoryField, v: string) =>
    field === 'unitCode' ? unitName(v) : field === 'role' ? t(v === 'supervisor' ? 'profile.roleSupervisor' : 'profile.roleOfficial') : v;
  const fieldLabel = (field: ProfileHistoryField) => t(field === 'name' ? 'profile.name' : field === 'unitCode' ? 'profile.unit' : 'profile.role');

  const save = async () => {
    const err = await completeProfile({ ...profile, name: name.trim(), unitCode, role });
    if (err) return setError(err);
    setError(null);
    setHistory(await getProfileHistory(db));
    void message.success(t('profile.saved'));
  };

  return (
    <div className="profile-editor">
      <Form layout="vertical" component="form" onSubmitCapture={(e) => { e.preventDefault(); void save(); }}>
        <Form.Item label={t('profile.name')} htmlFor="settings-profile-name" validateStatus={error ? 'error' : undefined} help={error}>
          <Input id="settings-profile-name" style={{ width: 240 }} value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('profile.unit')} htmlFor="settings-profile-unit">
          <Select id="settings-profile-unit" style={{ width: 240 }} showSearch={{ optionFilterProp: 'label' }} value={unitCode} onChange={setUnitCode}
            options={units.filter((u) => u.active).map((u) => ({ value: u.code, label: u.name }))} />
        </Form.Item>
        <Form.Item label={t('profile.role')}>
          <RoleChoice value={role} onChange={setRole} />
        </Form.Item>
        <Button type="primary" htmlType="submit" disabled={!changed}>{t('profile.save')}</Button>
      </Form>
      <Typography.Title level={5} className="profile-history-title">{t('profile.historyTitle')}</Typography.Title>
      <Table<ProfileChange>
        size="small"
        className="profile-history"
        rowKey="at"
        pagination={false}
        locale={{ emptyText: t('profile.historyEmpty') }}
        dataSource={history}
        columns={[
          { title: t('profile.historyWhen'), dataIndex: 'at', width: 280, render: (at: string) => when(at) },
          {
            title: t('profile.historyChanges'),
            key: 'changes',
            render: (_, c) => c.changes.map((x) => t('profile.historyChange', { field: fieldLabel(x.field), from: valueText(x.field, x.from), to: valueText(x.field, x.to) })).join(t('profile.historySeparator')),
          },
        ]}
      />
    </div>
  );
}
