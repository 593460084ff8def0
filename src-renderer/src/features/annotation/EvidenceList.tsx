import { useState } from 'react';
import { App as AntApp, Button, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { EVIDENCE_KINDS, MAX_ATTACHMENT_BYTES, isIsoDate, type Evidence, type EvidenceKind } from '../../../../src-main/shared/domain';
import { normaliseFileName } from '../../../../src-main/shared/evidence/fileType';
import type { OpenedFile } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api/client';
import { db } from '../../db/db';
import { getAttachment, listEvidence } from '../../db/repo';
import { addEvidence, deleteEvidence } from '../../db/writes';
import { currentAuthor } from '../../store/sessionStore';
import { dateText } from '../../i18n/time';

interface Draft {
  title: string;
  kind: EvidenceKind;
  docNumber: string;
  date: string;
  file: OpenedFile | null;
}
const blank: Draft = { title: '', kind: 'policy', docNumber: '', date: '', file: null };

function size(n: number | null): string {
  if (n === null) return '';
  return n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** 佐证材料: documents, statistics, cases, photos — each with an optional file opened by the system viewer. */
export function EvidenceList({ taskId, unitCode }: { taskId: string; unitCode: string }) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const items = useLiveQuery(() => listEvidence(db, taskId, unitCode), [taskId, unitCode]) ?? [];
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(blank);
  const [errors, setErrors] = useState<Partial<Record<'title' | 'date' | 'file', string>>>({});
  const [busy, setBusy] = useState(false);

  const chooseFile = async () => {
    const r = await invoke('file:open', { title: t('evidence.chooseFile'), maxBytes: MAX_ATTACHMENT_BYTES });
    if (!r.ok) {
      setErrors((e) => ({ ...e, file: r.error.message }));
      setDraft((d) => ({ ...d, file: null }));
      return;
    }
    if (r.value) {
      setErrors((e) => ({ ...e, file: undefined }));
      setDraft((d) => ({ ...d, file: r.value, title: d.title || r.value!.name.replace(/\.[^.]+$/, '') }));
    }
  };

  const save = async () => {
    const e: typeof errors = {};
    if (draft.title.trim() === '') e.title = t('evidence.titleRequired');
    if (draft.date !== '' && !isIsoDate(draft.date)) e.date = t('evidence.dateInvalid');
    if (Object.keys(e).length) return setErrors(e);
    setBusy(true);
    const file = draft.file ? { name: draft.file.name, bytes: draft.file.bytes } : undefined;
    const r = await addEvidence(
      db,
      { taskId, unitCode, title: draft.title.trim(), kind: draft.kind, docNumber: draft.docNumber.trim(), date: draft.date || null },
      file,
      currentAuthor(),
    );
    setBusy(false);
    if (!r.ok) return setErrors({ file: r.error.message });
    setOpen(false);
    setDraft(blank);
    setErrors({});
  };

  const openFile = async (ev: Evidence) => {
    if (!ev.attachmentHash) return;
    const att = await getAttachment(db, ev.attachmentHash);
    if (!att) return message.error('附件数据缺失');
    const bytes = new Uint8Array(await att.blob.arrayBuffer());
    const name = normaliseFileName(ev.fileName ?? att.name);
    const r = await invoke('file:openWithSystem', { name, bytes });
    if (r.ok) return;
    if (r.error.code !== 'file.unsafe_type') return void message.error(r.error.message);
    // Not a viewable kind (or its name says another): it may only be saved, with the warning shown.
    modal.confirm({
      title: t('evidence.notOpened'),
      content: (
        <>
          <p>{r.error.message}</p>
          <p>{t('evidence.saveAsWarning')}</p>
        </>
      ),
      okText: t('evidence.saveAs'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        const saved = await invoke('file:save', { title: t('evidence.saveAs'), defaultName: name, bytes });
        if (!saved.ok) message.error(saved.error.message);
        else if (!saved.value.canceled) message.success(t('evidence.savedTo', { path: saved.value.path }));
      },
    });
  };

  return (
    <div className="evidence-list">
      <Space className="evidence-toolbar">
        <Button onClick={() => setOpen(true)}>{t('evidence.add')}</Button>
      </Space>
      {items.length === 0 ? (
        <Empty description={t('evidence.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Table<Evidence>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={items}
          columns={[
            { title: t('evidence.name'), dataIndex: 'title' },
            { title: t('evidence.kind'), dataIndex: 'kind', width: 90, render: (k: EvidenceKind) => t(`evidenceKind.${k}`) },
            { title: t('evidence.docNumber'), dataIndex: 'docNumber', width: 160 },
            { title: t('evidence.date'), dataIndex: 'date', width: 130, render: (d: string | null) => dateText(d) },
            {
              title: t('evidence.file'),
              render: (_, ev) =>
                ev.attachmentHash ? (
                  <Button size="small" type="link" icon={<PaperClipOutlined />} onClick={() => void openFile(ev)}>
                    {normaliseFileName(ev.fileName ?? '')} <Typography.Text type="secondary">{size(ev.size)}</Typography.Text>
                  </Button>
                ) : (
                  <Typography.Text type="secondary">{t('evidence.noFile')}</Typography.Text>
                ),
            },
            {
              title: '',
              width: 70,
              render: (_, ev) => (
                <Popconfirm title={t('common.confirmDelete')} okText={t('common.ok')} cancelText={t('common.cancel')}
                  onConfirm={async () => {
                    const r = await deleteEvidence(db, ev.id, currentAuthor());
                    if (!r.ok) message.error(r.error.message);
                  }}>
                  <Button size="small" type="link" danger>{t('common.delete')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={open}
        title={t('evidence.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => {
          setOpen(false);
          setErrors({});
        }}
        destroyOnHidden
      >
        <Form layout="vertical" component="div">
          <Form.Item label={t('evidence.name')} required validateStatus={errors.title ? 'error' : undefined} help={errors.title} htmlFor="evidence-title">
            <Input id="evidence-title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          </Form.Item>
          <Space>
            <Form.Item label={t('evidence.kind')} htmlFor="evidence-kind">
              <Select id="evidence-kind" style={{ width: 140 }} value={draft.kind} onChange={(kind) => setDraft({ ...draft, kind })}
                options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`evidenceKind.${k}`) }))} />
            </Form.Item>
            <Form.Item label={t('evidence.docNumber')} htmlFor="evidence-docno">
              <Input id="evidence-docno" value={draft.docNumber} onChange={(e) => setDraft({ ...draft, docNumber: e.target.value })} />
            </Form.Item>
            <Form.Item label={t('evidence.date')} validateStatus={errors.date ? 'error' : undefined} help={errors.date} htmlFor="evidence-date">
              <Input id="evidence-date" placeholder="2024-06-30" value={draft.date} onChange={(e) => setDraft({ ...draft, date: e.target.value.trim() })} />
            </Form.Item>
          </Space>
          <Form.Item label={t('evidence.file')} validateStatus={errors.file ? 'error' : undefined} help={errors.file}>
            <Space>
              <Button icon={<PaperClipOutlined />} onClick={() => void chooseFile()}>
                {t('evidence.chooseFile')}
              </Button>
              {draft.file && <span className="evidence-chosen">{draft.file.name}（{size(draft.file.size)}）</span>}
            </Space>
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
