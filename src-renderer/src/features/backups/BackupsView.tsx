/**
 * The backups screen: the backups in the user-data folder (time, size, validity), 立即备份 with
 * progress, 恢复 with a confirmation that says a restore point is saved first, and after a
 * restore a banner with 撤销恢复.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CloudUploadOutlined, RollbackOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { parseBackupName } from '../../../../src-main/shared/backup/rotation';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { db } from '../../db/db';
import { when } from '../../i18n/time';
import { currentAuthor } from '../../store/sessionStore';
import { STEP_PERCENT, track, useBackupActivity } from './backupActivity';
import { checkBackup, lastRestore, listBackups, makeBackup, restoreBackup, undoRestore, type BackupEntry, type LastRestore } from './backupService';


function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function BackupsView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const busy = useBackupActivity((s) => s.busy);
  const step = useBackupActivity((s) => s.step);
  const version = useBackupActivity((s) => s.version);
  const autoError = useBackupActivity((s) => s.autoError);
  const [rows, setRows] = useState<BackupEntry[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [restored, setRestored] = useState<LastRestore | null>(null);
  const [bannerClosed, setBannerClosed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const [l, r] = await Promise.all([listBackups(db), lastRestore(db)]);
    if (l.ok) {
      setRows(l.value);
      setListError(null);
    } else setListError(l.error.message);
    setRestored(r);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh, version]);

  const backupNow = async () => {
    setError(null);
    const r = await track('backup', (onProgress) => makeBackup(db, corpus, currentAuthor(), { onProgress }));
    if (r.ok) void message.success(t('backups.done', { time: when(r.value.backup.at) }));
    else setError(r.error.message);
  };

  const runRestore = async (job: 'restore' | 'undo', name?: string) => {
    setError(null);
    const r = await track(job, (onProgress) =>
      job === 'undo' ? undoRestore(db, corpus, currentAuthor(), { onProgress }) : restoreBackup(db, corpus, name!, currentAuthor(), { onProgress }),
    );
    if (!r.ok) return setError(r.error.message);
    setBannerClosed(false);
    void message.success(job === 'undo' ? t('backups.undone') : t('backups.restored', { time: when(backupTime(r.value.from)) }));
  };

  const confirmRestore = (b: BackupEntry) => {
    modal.confirm({
      title: t('backups.confirmTitle', { time: when(b.at) }),
      content: t('backups.confirmBody'),
      okText: t('backups.restore'),
      cancelText: t('common.cancel'),
      onOk: () => void runRestore('restore', b.name),
    });
  };

  const confirmUndo = () => {
    modal.confirm({
      title: t('backups.undoTitle'),
      content: t('backups.undoBody'),
      okText: t('backups.undo'),
      cancelText: t('common.cancel'),
      onOk: () => void runRestore('undo'),
    });
  };

  const verify = async (b: BackupEntry) => {
    const r = await checkBackup(b.name, corpus);
    if (!r.ok) void message.error(r.error.message);
    await refresh();
  };

  const names = new Set((rows ?? []).map((r) => r.name));
  const showBanner = restored && !bannerClosed && Date.now() - Date.parse(restored.at) < 30 * 86_400_000;
  const canUndo = !!restored && !restored.undoOf && names.has(restored.safety);

  return (
    <div className="backups-view">
      <Typography.Title level={4}>{t('backups.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('backups.hint')}</Typography.Paragraph>

      {showBanner && (
        <Alert
          className="backup-restored"
          role="status"
          type={restored.undoOf ? 'info' : 'success'}
          showIcon
          closable={{ onClose: () => setBannerClosed(true) }}
          title={restored.undoOf ? t('backups.bannerUndone', { time: when(restored.at) }) : t('backups.bannerRestored', { time: when(backupTime(restored.from)) })}
          description={restored.undoOf ? undefined : canUndo ? t('backups.bannerHint') : t('backups.bannerNoUndo')}
          action={
            canUndo ? (
              <Button icon={<RollbackOutlined />} onClick={confirmUndo} disabled={!!busy}>
                {t('backups.undo')}
              </Button>
            ) : undefined
          }
        />
      )}

      <Card size="small" className="backup-card">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Button type="primary" icon={<CloudUploadOutlined />} loading={busy === 'backup'} disabled={!!busy && busy !== 'backup'} onClick={() => void backupNow()}>
              {t('backups.backupNow')}
            </Button>
            {busy && step && (
              <Space>
                <Progress className="backup-progress" percent={STEP_PERCENT[step]} size="small" style={{ width: 200 }} status="active" aria-label={t('backups.progress')} />
                <Typography.Text type="secondary">{t(`backups.step.${step}`)}</Typography.Text>
              </Space>
            )}
          </Space>
          {error && <Alert className="backup-error" type="error" showIcon role="alert" title={error} />}
          {autoError && !error && <Alert type="warning" showIcon title={t('backups.autoFailed', { message: autoError.message })} />}
          {listError && <Alert type="error" showIcon title={listError} />}
          <Table<BackupEntry>
            className="backup-list"
            size="small"
            rowKey="name"
            loading={rows === null}
            dataSource={rows ?? []}
            pagination={false}
            locale={{ emptyText: t('backups.empty') }}
            columns={[
              {
                title: t('backups.time'),
                dataIndex: 'at',
                render: (at: string, b) => (
                  <Space>
                    <span>{when(at)}</span>
                    {b.kind === 'restore' && <Tag color="blue">{t('backups.restorePoint')}</Tag>}
                  </Space>
                ),
              },
              { title: t('backups.size'), dataIndex: 'size', render: (n: number) => size(n), align: 'right' },
              {
                title: t('backups.status'),
                dataIndex: 'status',
                render: (s: BackupEntry['status'], b) => {
                  const tag = <Tag color={s === 'valid' ? 'green' : s === 'invalid' ? 'red' : s === 'incompatible' ? 'orange' : 'default'}>{t(`backups.statuses.${s}`)}</Tag>;
                  return b.problem ? <Tooltip title={b.problem}>{tag}</Tooltip> : tag;
                },
              },
              {
                title: t('backups.actions'),
                key: 'actions',
                render: (_: unknown, b) => (
                  <Space>
                    <Button size="small" icon={<RollbackOutlined />} disabled={!!busy || b.status === 'invalid' || b.status === 'incompatible'} onClick={() => confirmRestore(b)} aria-label={`${t('backups.restore')} ${when(b.at)}`}>
                      {t('backups.restore')}
                    </Button>
                    {b.status === 'unverified' && (
                      <Button size="small" icon={<SafetyCertificateOutlined />} disabled={!!busy} onClick={() => void verify(b)}>
                        {t('backups.verify')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      </Card>
    </div>
  );
}

/** When backup `name` was made (ISO). */
function backupTime(name: string): string {
  return (parseBackupName(name)?.at ?? new Date()).toISOString();
}
