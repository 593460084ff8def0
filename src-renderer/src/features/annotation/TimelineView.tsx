import { useState } from 'react';
import { App as AntApp, Button, Empty, Form, Input, Popconfirm, Timeline, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { LogEntry } from '../../../../src-main/shared/domain';
import { chinaToday } from '../../../../src-main/shared/time';
import { dateText } from '../../i18n/time';
import { emptyDoc, isEmptyDoc, type RichDoc } from '../../../../src-main/shared/richtext';
import { db } from '../../db/db';
import { listLogEntries } from '../../db/repo';
import { addLogEntry, deleteLogEntry } from '../../db/writes';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { RichTextEditor } from '../richtext/RichTextEditor';
import { RichTextView } from '../richtext/RichTextView';

/** 进展记录: dated notes on this task in this unit, newest first. */
export function TimelineView({ taskId, unitCode }: { taskId: string; unitCode: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const entries = useLiveQuery(() => listLogEntries(db, taskId, unitCode), [taskId, unitCode]) ?? [];
  const [date, setDate] = useState(chinaToday());
  const [body, setBody] = useState<RichDoc>(emptyDoc());
  const [seq, setSeq] = useState(0);
  const [error, setError] = useState<{ date?: string; body?: string }>({});
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;

  const add = async () => {
    if (isEmptyDoc(body)) {
      setError({ body: t('timeline.bodyRequired') });
      return;
    }
    const r = await addLogEntry(db, { taskId, unitCode, date, body }, currentAuthor());
    if (!r.ok) {
      const fe = (r as { fieldErrors?: { date?: string; body?: string } }).fieldErrors;
      setError(fe ?? { body: r.error.message });
      return;
    }
    setError({});
    setBody(emptyDoc());
    setSeq((n) => n + 1);
  };

  return (
    <div className="timeline-view">
      <Form layout="vertical" component="div" className="timeline-add">
        <Form.Item label={t('timeline.date')} validateStatus={error.date ? 'error' : undefined} help={error.date} htmlFor="timeline-date">
          <Input id="timeline-date" style={{ width: 160 }} value={date} onChange={(e) => setDate(e.target.value.trim())} />
        </Form.Item>
        <Form.Item label={t('timeline.body')} validateStatus={error.body ? 'error' : undefined} help={error.body}>
          <RichTextEditor ariaLabel={t('timeline.body')} docKey={`log:${taskId}:${unitCode}:${seq}`} value={body} onChange={setBody} minHeight={80} />
        </Form.Item>
        <Button type="primary" onClick={() => void add()}>
          {t('timeline.add')}
        </Button>
      </Form>
      {entries.length === 0 ? (
        <Empty description={t('timeline.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline
          className="timeline-list"
          items={entries.map((e: LogEntry) => ({
            key: e.id,
            content: (
              <div className="timeline-entry" data-log-id={e.id}>
                <Typography.Text strong>{dateText(e.date)}</Typography.Text>{' '}
                <Typography.Text type="secondary">{t('timeline.by', { name: e.author.name, unit: unitName(e.author.unitCode) })}</Typography.Text>
                <RichTextView doc={e.body} />
                <Popconfirm title={t('common.confirmDelete')} okText={t('common.ok')} cancelText={t('common.cancel')}
                  onConfirm={async () => {
                    const r = await deleteLogEntry(db, e.id, currentAuthor());
                    if (!r.ok) message.error(r.error.message);
                  }}>
                  <Button size="small" type="link" danger>{t('common.delete')}</Button>
                </Popconfirm>
              </div>
            ),
          }))}
        />
      )}
    </div>
  );
}
