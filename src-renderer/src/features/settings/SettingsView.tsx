import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Select, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { UNIT_CODE_PATTERN, type Unit, type UnitKind } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';
import { saveUnit, setUnitActive } from '../../db/writes';
import { useSessionStore } from '../../store/sessionStore';
import { ProfileEditor } from '../profile/ProfileEditor';

/** Settings: profile, the editable unit list, and whether storage is persistent. */
export function SettingsView() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const profile = useSessionStore((s) => s.profile);
  const units = useSessionStore((s) => s.units);
  const persistence = useSessionStore((s) => s.persistence);
  const supervisor = profile?.role === 'supervisor';
  const [draft, setDraft] = useState<{ code: string; name: string; kind: UnitKind }>({ code: '', name: '', kind: 'district' });
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    if (!UNIT_CODE_PATTERN.test(draft.code)) return setError(t('units.codeHint'));
    const r = await saveUnit(db, { ...draft, order: units.length + 1, active: true }, 'create');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setDraft({ code: '', name: '', kind: 'district' });
  };

  const rename = async (u: Unit, name: string) => {
    if (name.trim() === '' || name === u.name) return;
    const r = await saveUnit(db, { ...u, name: name.trim() }, 'update');
    if (!r.ok) message.error(r.error.message);
  };

  return (
    <div className="settings-view">
      <Typography.Title level={4}>{t('settings.title')}</Typography.Title>
      <Card size="small" title={t('settings.profile')} className="settings-card">
        <ProfileEditor />
      </Card>
      <Card size="small" title={t('settings.storage')} className="settings-card">
        <Alert
          data-persistence={persistence}
          type={persistence === 'granted' ? 'success' : persistence === 'denied' ? 'warning' : 'info'}
          title={persistence === 'granted' ? t('settings.persisted') : persistence === 'denied' ? t('settings.notPersisted') : t('settings.storageUnknown')}
        />
      </Card>
      <Card size="small" title={t('units.title')} className="settings-card">
        <Table<Unit>
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={units}
          columns={[
            { title: t('units.code'), dataIndex: 'code', width: 100 },
            {
              title: t('units.name'),
              // Names are the city's: only a supervisor profile renames (repo refuses others too).
              render: (_, u) => (
                <Input size="small" defaultValue={u.name} aria-label={`${t('units.name')} ${u.code}`} disabled={!supervisor} title={supervisor ? undefined : t('units.renameSupervisorOnly')}
                  onBlur={(e) => void rename(u, e.target.value)} />
              ),
            },
            { title: t('units.kind'), dataIndex: 'kind', width: 90, render: (k: UnitKind) => t(`units.${k}`) },
            {
              title: t('units.active'),
              width: 80,
              render: (_, u) => (
                <Switch size="small" checked={u.active} aria-label={`${t('units.active')} ${u.name}`}
                  onChange={async (on) => {
                    const r = await setUnitActive(db, u.code, on);
                    if (!r.ok) message.error(r.error.message);
                  }} />
              ),
            },
          ]}
        />
        <Form layout="inline" component="div" className="units-add">
          <Form.Item label={t('units.code')} validateStatus={error ? 'error' : undefined} help={error ?? t('units.codeHint')}>
            <Input value={draft.code} onChange={(e) => setDraft({ ...draft, code: e.target.value.trim().toUpperCase() })} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label={t('units.name')}>
            <Input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('units.kind')}>
            <Select value={draft.kind} onChange={(kind) => setDraft({ ...draft, kind })} style={{ width: 100 }}
              options={(['district', 'zone', 'city'] as const).map((k) => ({ value: k, label: t(`units.${k}`) }))} />
          </Form.Item>
          <Button onClick={() => void add()} disabled={draft.code === '' || draft.name.trim() === ''}>
            {t('units.add')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
