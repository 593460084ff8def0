import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Input, Modal, Space, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, FileAddOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { ReportDraft } from '../../../../../src-main/shared/report/draft';
import type { ReportModel } from '../../../../../src-main/shared/report/model';
import { db } from '../../../db/db';
import { listDrafts } from '../../../db/drafts';
import * as writes from '../../../db/writes';
import { currentAuthor } from '../../../store/sessionStore';
import { when } from '../../../i18n/time';
import { newDraftFrom, type DraftChoices } from './draftLogic';
import { discardDraft } from './draftEdits';

/**
 * The report drafts: a new one from the builder's current choices (its sections the generated
 * draft), and each draft to open, rename or delete (with 撤销).
 */
export function DraftList({ choices, model, onOpen }: { choices: DraftChoices | null; model: ReportModel | null; onOpen(id: string): void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const drafts = useLiveQuery(() => listDrafts(db), []);
  const [renaming, setRenaming] = useState<{ draft: ReportDraft; title: string } | null>(null);
  const [creating, setCreating] = useState(false);

  const create = async () => {
    if (!choices || !model) return;
    setCreating(true);
    try {
      const r = await writes.createDraft(db, newDraftFrom(choices, model), currentAuthor(), { session: crypto.randomUUID() });
      if (!r.ok) return void message.error(r.error.message);
      void message.success(t('drafting.created', { title: r.value.title }));
      onOpen(r.value.id);
    } finally {
      setCreating(false);
    }
  };

  const remove = async (d: ReportDraft) => {
    discardDraft(d.id);
    const r = await writes.deleteDraft(db, d.id);
    if (!r.ok) return void message.error(r.error.message);
    const key = `draft-deleted-${d.id}`;
    void message.open({
      key,
      type: 'success',
      duration: 8,
      content: (
        <span>
          {t('drafting.deleted', { title: d.title })}{' '}
          <Button size="small" type="link" onClick={() => {
            message.destroy(key);
            void writes.undeleteDraft(db, r.value).then((u) => !u.ok && message.error(u.error.message));
          }}>{t('drafting.undo')}</Button>
        </span>
      ),
    });
  };

  const rename = async () => {
    if (!renaming) return;
    const r = await writes.renameDraft(db, renaming.draft.id, renaming.title, currentAuthor(), { session: crypto.randomUUID() });
    if (!r.ok) return void message.error(r.error.message);
    setRenaming(null);
  };

  return (
    <Card size="small" title={t('drafting.listTitle')} className="draft-list" data-testid="draft-list"
      extra={<Button type="primary" icon={<FileAddOutlined />} disabled={!choices || !model || creating} onClick={() => void create()}>{t('drafting.create')}</Button>}>
      {!choices && <Typography.Paragraph type="secondary">{t('drafting.ledgerNotDrafted')}</Typography.Paragraph>}
      {drafts && drafts.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('drafting.empty')} />}
      <ul className="draft-items">
        {(drafts ?? []).map((d) => (
          <li key={d.id} className="draft-item">
            <div className="draft-item-text">
              <Typography.Link strong onClick={() => onOpen(d.id)}>{d.title}</Typography.Link>
              <Typography.Text type="secondary" className="draft-item-meta">
                {t('drafting.meta', { kind: t(`reports.kinds.${d.kind}`), asOf: d.asOf, when: when(d.updatedAt), name: d.updatedBy.name })}
              </Typography.Text>
            </div>
            <Space size={4}>
              <Button size="small" icon={<FolderOpenOutlined />} onClick={() => onOpen(d.id)} aria-label={`${t('drafting.open')}：${d.title}`}>{t('drafting.open')}</Button>
              <Button size="small" icon={<EditOutlined />} onClick={() => setRenaming({ draft: d, title: d.title })} aria-label={`${t('drafting.rename')}：${d.title}`}>{t('drafting.rename')}</Button>
              <Button size="small" danger icon={<DeleteOutlined />} onClick={() => void remove(d)} aria-label={`${t('drafting.delete')}：${d.title}`}>{t('drafting.delete')}</Button>
            </Space>
          </li>
        ))}
      </ul>
      <Modal open={renaming !== null} title={t('drafting.renameTitle')} okText={t('common.ok')} cancelText={t('common.cancel')} onOk={() => void rename()} onCancel={() => setRenaming(null)} destroyOnHidden>
        <Input aria-label={t('drafting.titleLabel')} autoFocus value={renaming?.title ?? ''} onChange={(e) => setRenaming((r) => (r ? { ...r, title: e.target.value } : r))} onPressEnter={() => void rename()} />
      </Modal>
    </Card>
  );
}
