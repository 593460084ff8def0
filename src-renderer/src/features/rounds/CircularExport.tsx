/**
 * 情况通报 of a round, from the rounds screen: the supervisor fills the 公文 elements (the same
 * fields as a report draft: 主送机关 — by default the round's units — 版头, 附注, 版记), the 发文机关 and
 * the dates, and saves the Word document. The page gathers the round's receipts, issued decisions and
 * its units' annotations; main builds the document (`circular:export`, the model the CLI's
 * `round circular` uses) and asks where to save it.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Space, Typography } from 'antd';
import { FileWordOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isIsoDate } from '../../../../src-main/shared/domain';
import { CIRCULAR_ISSUER, circularTitle } from '../../../../src-main/shared/report/circular';
import { EMPTY_FORM, type GongwenForm } from '../../../../src-main/shared/report/draft';
import type { Round, Submission } from '../../../../src-main/shared/rounds/schema';
import { chinaToday } from '../../../../src-main/shared/time';
import { invoke } from '../../api/client';
import { DateInput } from '../../components/DateInput';
import { db } from '../../db/db';
import { settlePendingEdits } from '../../db/mutate';
import { useSessionStore } from '../../store/sessionStore';
import { GongwenFormFields } from '../reports/GongwenFormFields';

/** What main needs for the circular of `round`, read from the database now. */
async function circularInput(round: Round, units: readonly { code: string; name: string }[]) {
  const [submissions, reviews, annotations] = await Promise.all([
    db.submissions.filter((s: Submission) => s.roundId === round.id).toArray(),
    // Only issued decisions are the supervisor's word; drafts stay out (the model skips them too).
    db.reviews.filter((d) => d.roundId === round.id && d.reviewId !== null).toArray(),
    db.annotations.where('unitCode').anyOf(round.unitCodes).toArray(),
  ]);
  return {
    round,
    submissions,
    reviews,
    annotations: annotations.map(({ taskId, unitCode, status, deadline, problems, updatedAt }) => ({ taskId, unitCode, status, deadline, problems, updatedAt })),
    units: units.map(({ code, name }) => ({ code, name })),
  };
}

export function CircularExport({ round }: { round: Round }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const [open, setOpen] = useState(false);
  const [issuer, setIssuer] = useState(CIRCULAR_ISSUER);
  const [signDate, setSignDate] = useState<string | null>(chinaToday());
  const [asOf, setAsOf] = useState<string | null>(null);
  const [form, setForm] = useState<GongwenForm>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const roundUnits = round.unitCodes.map((c) => units.find((u) => u.code === c)?.name ?? c).join('、');

  const exportDocx = async () => {
    if (signDate !== null && !isIsoDate(signDate)) return setError(t('circular.badDate'));
    setBusy(true);
    setError(null);
    try {
      await settlePendingEdits();
      const input = await circularInput(round, units);
      const r = await invoke('circular:export', {
        input: { ...input, issuer: issuer.trim() || CIRCULAR_ISSUER, form, ...(signDate ? { signDate } : {}), ...(asOf ? { asOf } : {}) },
        defaultName: circularTitle(round.name),
      });
      if (!r.ok) return setError(r.error.message);
      if (!r.value.canceled) void message.success(t('circular.saved', { path: r.value.path }));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <Button icon={<FileWordOutlined />} onClick={() => setOpen(true)}>
        {t('circular.open')}
      </Button>
    );
  }
  return (
    <Form layout="vertical" component="div" className="circular-form" aria-label={t('circular.title', { name: round.name })}>
      <Typography.Title level={5}>{t('circular.title', { name: round.name })}</Typography.Title>
      <div><Space wrap align="start">
        <Form.Item label={t('drafting.issuer')} htmlFor="circular-issuer">
          <Input id="circular-issuer" style={{ width: 360 }} value={issuer} onChange={(e) => setIssuer(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('drafting.signDate')} htmlFor="circular-signdate">
          <DateInput id="circular-signdate" value={signDate} onChange={setSignDate} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item label={t('circular.asOf')} htmlFor="circular-asof" help={t('circular.asOfHint')}>
          <DateInput id="circular-asof" value={asOf} onChange={setAsOf} style={{ width: 200 }} />
        </Form.Item>
      </Space></div>
      <GongwenFormFields form={form} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} idPrefix="circular" issuer={issuer} recipientsPlaceholder={roundUnits} />
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      <Space>
        <Button type="primary" icon={<FileWordOutlined />} loading={busy} onClick={() => void exportDocx()}>
          {t('circular.export')}
        </Button>
        <Button onClick={() => setOpen(false)}>{t('rounds.cancel')}</Button>
      </Space>
    </Form>
  );
}
