/**
 * 填报轮次 and 审核. A supervisor defines rounds, sees 报送情况 per unit (on time, late, not yet, with
 * the 催报 text to copy), and reviews the tasks of a unit's latest submission (通过 / 退回补充 with a
 * comment / 销号), then issues the review file. A district sees the open rounds of its unit with a
 * checklist (tasks not updated since the round opened first, returned tasks marked with the
 * comment), submits (报送) and keeps the receipts. The supervisor imports several submission files
 * at once here (one preview); review files and round notices are imported in 批注包 → 导入 like any
 * bundle. With an exchange folder (exchangeFolder.tsx), 报送 and review files can be written there,
 * and collected from there — submissions by the supervisor, review files by the district — through
 * the same preview as files chosen in a dialog. The supervisor saves a round's 情况通报 from its
 * status card (CircularExport.tsx). Loaded with React.lazy (App.tsx).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { Annotation } from '../../../../src-main/shared/domain';
import { chinaToday } from '../../../../src-main/shared/time';
import {
  isExtensionDecision,
  latestSubmission,
  reviewStateOf,
  roundChecklist,
  roundStatus,
  urgeText,
  validateExtensionRequest,
  type ExtensionRequest,
  type ReviewDecision,
  type ReviewDecisionKind,
  type Round,
  type Submission,
} from '../../../../src-main/shared/rounds/model';
import { cnDate } from '../../../../src-main/shared/time';
import { invoke } from '../../api/client';
import { db } from '../../db/db';
import { onDataChange } from '../../db/mutate';
import { dateText, when } from '../../i18n/time';
import { DateInput } from '../../components/DateInput';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { useUiStore } from '../../store/uiStore';
import { applySubmissionFiles, decide, decisionsOfRound, issueReview, issuedDecisionsOfUnit, listRounds, listSubmissions, previewSubmissionFiles, saveRound, submit, type FileEnv, type SubmissionFileRow } from './roundService';
import { verifyBundle } from '../bundles/verifyClient';
import { ExchangeFolderCard, fileNameOf, saveToExchange, useExchangeStore } from './exchangeFolder';
import { CircularExport } from './CircularExport';

const SUBMISSION_FILTERS = [{ name: '报送文件', extensions: ['pilotbundle'] }];
const MAX_SUBMISSION_BYTES = 512 * 1024 * 1024;

const DECISION_COLORS: Record<ReviewDecisionKind, string> = { pass: 'green', return: 'red', close: 'blue', extend: 'purple', refuse_extension: 'orange' };
const STATE_COLORS = { onTime: 'green', late: 'orange', missing: 'default' } as const;

async function fileEnv(corpus: Corpus, title: string): Promise<FileEnv> {
  const info = await invoke('app:info');
  return {
    author: currentAuthor(),
    appVersion: info.ok ? info.value.version : 'unknown',
    corpus,
    save: (bytes, defaultName) => invoke('file:save', { title, defaultName, bytes }),
  };
}

export default function RoundsView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const role = useSessionStore((s) => s.profile?.role);
  const [rounds, setRounds] = useState<Round[]>([]);
  const [submissions, setSubmissions] = useState<Submission[]>([]);
  const reload = useCallback(async () => {
    const [r, s] = await Promise.all([listRounds(db), listSubmissions(db)]);
    setRounds(r);
    setSubmissions(s);
  }, []);
  useEffect(() => {
    void reload();
    return onDataChange((c) => {
      if (c.kind === 'round' || c.kind === 'import' || c.kind === 'restore') void reload();
    });
  }, [reload]);
  return (
    <div className="rounds-view">
      <Typography.Title level={4}>{t('rounds.title')}</Typography.Title>
      <ExchangeFolderCard />
      {role === 'supervisor' ? (
        <SupervisorRounds corpus={corpus} rounds={rounds} submissions={submissions} />
      ) : (
        <DistrictRounds corpus={corpus} rounds={rounds} submissions={submissions} />
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// District

function DistrictRounds({ corpus, rounds, submissions }: { corpus: Corpus; rounds: Round[]; submissions: Submission[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const unitCode = useSessionStore((s) => s.profile?.unitCode ?? '');
  const units = useSessionStore((s) => s.units);
  const openTask = useUiStore((s) => s.openTask);
  const mine = rounds.filter((r) => r.unitCodes.includes(unitCode));
  const [roundId, setRoundId] = useState<string | undefined>();
  const round = mine.find((r) => r.id === roundId) ?? mine[0];
  const [annotations, setAnnotations] = useState<Map<string, Annotation>>(new Map());
  const [decisions, setDecisions] = useState<ReviewDecision[]>([]);
  const [busy, setBusy] = useState(false);
  const [requests, setRequests] = useState<ExtensionRequest[]>([]);
  const [asking, setAsking] = useState<{ taskId: string; to: string; reason: string; error?: string } | null>(null);
  const unitName = units.find((u) => u.code === unitCode)?.name ?? unitCode;
  const exchangeFolder = useExchangeStore((s) => s.folder);

  const load = useCallback(async () => {
    const [a, d] = await Promise.all([db.annotations.where('unitCode').equals(unitCode).toArray(), issuedDecisionsOfUnit(db, unitCode)]);
    setAnnotations(new Map(a.map((x) => [x.taskId, x])));
    setDecisions(d);
  }, [unitCode]);
  useEffect(() => {
    void load();
    return onDataChange(() => void load());
  }, [load]);

  const taskText = useMemo(() => new Map(corpus.tasks.map((x) => [x.id, x.text])), [corpus]);
  if (!round) return <Empty description={t('rounds.noneForUnit')} />;
  const list = roundChecklist(round, corpus.tasks, annotations);
  const receipts = submissions.filter((s) => s.roundId === round.id && s.unitCode === unitCode).sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1));
  const stateOf = (taskId: string) => reviewStateOf(decisions.filter((d) => d.roundId === round.id), taskId, unitCode);
  // Returned tasks first, then those not updated, then the rest (the checklist's own order).
  const rows = [...list].sort((a, b) => Number(stateOf(b.taskId)?.decision === 'return') - Number(stateOf(a.taskId)?.decision === 'return'));
  const notUpdated = list.filter((i) => !i.updated).length;
  const date = (d: string | null) => (d ? cnDate(d) : t('rounds.noDeadline'));
  const addRequest = () => {
    if (!asking) return;
    const x: ExtensionRequest = { taskId: asking.taskId, from: annotations.get(asking.taskId)?.deadline ?? null, to: asking.to, reason: asking.reason.trim() };
    const problem = validateExtensionRequest(x);
    if (problem) return setAsking({ ...asking, error: problem });
    setRequests([...requests.filter((y) => y.taskId !== x.taskId), x]);
    setAsking(null);
  };

  const doSubmit = async (toFolder = false) => {
    setBusy(true);
    try {
      const env = await fileEnv(corpus, t('rounds.submitTitle'));
      const r = await submit(db, round, unitCode, unitName, { ...env, ...(toFolder ? { save: saveToExchange } : {}), extensions: requests });
      if (!r.ok) return void message.error(r.error.message);
      if (r.value) {
        setRequests([]);
        void message.success(toFolder ? t('exchange.submitted', { name: fileNameOf(r.value.path) }) : t('rounds.submitted', { path: r.value.path }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('rounds.openRound')} extra={mine.length > 1 && <Select aria-label={t('rounds.chooseRound')} value={round.id} onChange={setRoundId} options={mine.map((r) => ({ value: r.id, label: r.name }))} style={{ minWidth: 220 }} />}>
        <Typography.Paragraph>
          <Typography.Text strong>{round.name}</Typography.Text> · {t('rounds.due', { date: dateText(round.dueDate) })} · {t('rounds.tables', { tables: round.tables.join('、') })}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('rounds.checklistHint', { count: notUpdated, total: list.length })}</Typography.Paragraph>
        <Space>
          <Button type="primary" onClick={() => void doSubmit()} loading={busy}>
            {t('rounds.submit')}
          </Button>
          <Button onClick={() => void doSubmit(true)} disabled={busy || !exchangeFolder} title={exchangeFolder ? undefined : t('exchange.chooseFirst')}>
            {t('exchange.submit')}
          </Button>
          {chinaToday() > round.dueDate && <Tag color="orange">{t('rounds.pastDue')}</Tag>}
        </Space>
        <SubmissionImport corpus={corpus} accept="review" forUnit={unitCode} />
      </Card>
      {(asking || requests.length > 0) && (
        <Card size="small" title={t('rounds.extensionsPending', { count: requests.length })} className="extension-requests">
          {requests.map((x) => (
            <Typography.Paragraph key={x.taskId} className="extension-request">
              {t('rounds.extensionLine', { id: x.taskId, from: date(x.from), to: date(x.to), reason: x.reason })}{' '}
              <Button size="small" onClick={() => setRequests(requests.filter((y) => y.taskId !== x.taskId))}>{t('rounds.extensionRemove')}</Button>
            </Typography.Paragraph>
          ))}
          {asking && (
            <Form layout="inline" className="extension-form" onSubmitCapture={(e) => { e.preventDefault(); addRequest(); }}>
              <Form.Item label={t('rounds.extensionOf', { id: asking.taskId })}>
                <Typography.Text type="secondary">{date(annotations.get(asking.taskId)?.deadline ?? null)} →</Typography.Text>
              </Form.Item>
              <Form.Item label={t('rounds.extensionTo')} htmlFor="extension-to">
                <DateInput id="extension-to" value={asking.to} onChange={(v) => setAsking({ ...asking, to: v ?? '' })} style={{ width: 220 }} />
              </Form.Item>
              <Form.Item label={t('rounds.extensionReason')} htmlFor="extension-reason">
                <Input id="extension-reason" value={asking.reason} placeholder={t('rounds.extensionReasonPlaceholder')} onChange={(e) => setAsking({ ...asking, reason: e.target.value })} style={{ width: 320 }} />
              </Form.Item>
              <Space>
                <Button type="primary" htmlType="submit">{t('rounds.extensionAdd')}</Button>
                <Button onClick={() => setAsking(null)}>{t('rounds.cancel')}</Button>
              </Space>
              {asking.error && <Alert type="error" showIcon role="alert" title={asking.error} style={{ width: '100%', marginTop: 8 }} />}
            </Form>
          )}
        </Card>
      )}
      {receipts.length > 0 && (
        <Card size="small" title={t('rounds.receipts')}>
          {receipts.map((s) => (
            <Typography.Paragraph key={s.id} className="round-receipt">
              {t('rounds.receipt', { time: when(s.submittedAt), who: s.author.name, tasks: s.updatedTaskIds.length, digest: s.digest.slice(0, 12) })}
            </Typography.Paragraph>
          ))}
        </Card>
      )}
      <Card size="small" title={t('rounds.checklist')}>
        <Table
          size="small"
          rowKey="taskId"
          pagination={{ pageSize: 20 }}
          dataSource={rows}
          onRow={(r) => ({ onDoubleClick: () => openTask(r.taskId) })}
          columns={[
            { title: t('rounds.task'), dataIndex: 'taskId', width: 90, render: (id: string) => <Button type="link" size="small" onClick={() => openTask(id)}>{id}</Button> },
            { title: t('rounds.taskText'), dataIndex: 'taskId', key: 'text', ellipsis: true, render: (id: string) => taskText.get(id) },
            {
              title: t('rounds.updated'),
              dataIndex: 'updated',
              width: 110,
              render: (u: boolean) => (u ? <Tag color="green">{t('rounds.isUpdated')}</Tag> : <Tag>{t('rounds.notUpdated')}</Tag>),
            },
            {
              title: '',
              key: 'extension',
              width: 110,
              render: (_: unknown, r) =>
                requests.some((x) => x.taskId === r.taskId) ? (
                  <Tag color="purple">{t('review.extensionAsked')}</Tag>
                ) : (
                  <Button size="small" onClick={() => setAsking({ taskId: r.taskId, to: '', reason: '' })}>{t('rounds.askExtension')}</Button>
                ),
            },
            {
              title: t('review.decision'),
              key: 'review',
              width: 320,
              render: (_: unknown, r) => {
                const d = stateOf(r.taskId);
                if (!d) return null;
                return (
                  <span className="review-note">
                    <Tag color={DECISION_COLORS[d.decision]}>{t(`review.${d.decision}`)}</Tag>
                    {d.comment && <Typography.Text>{d.comment}</Typography.Text>}
                  </span>
                );
              },
            },
          ]}
        />
      </Card>
    </Space>
  );
}

// ---------------------------------------------------------------------------------------------
// Supervisor

function SupervisorRounds({ corpus, rounds, submissions }: { corpus: Corpus; rounds: Round[]; submissions: Submission[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const [roundId, setRoundId] = useState<string | undefined>();
  const [reviewUnit, setReviewUnit] = useState<string | null>(null);
  const [form, setForm] = useState<{ name: string; unitCodes: string[]; tables: number[]; dueDate: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const round = rounds.find((r) => r.id === roundId) ?? rounds[0];
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;

  const create = async () => {
    if (!form) return;
    const r = await saveRound(db, { id: crypto.randomUUID(), ...form }, currentAuthor());
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setForm(null);
    setRoundId(r.value.id);
    void message.success(t('rounds.saved'));
  };

  const status = round ? roundStatus(round, submissions) : [];
  const missing = status.filter((s) => s.state === 'missing').map((s) => s.unitCode);
  const urge = round ? urgeText(round, missing, unitName) : '';

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title={t('rounds.roundsTitle')}
        extra={
          <Button onClick={() => setForm({ name: '', unitCodes: units.filter((u) => u.active && u.kind !== 'city').map((u) => u.code), tables: [1, 2, 3, 4, 5], dueDate: '' })}>
            {t('rounds.new')}
          </Button>
        }
      >
        {form && (
          <Form layout="vertical" className="round-form" onSubmitCapture={(e) => { e.preventDefault(); void create(); }}>
            <Form.Item label={t('rounds.name')} htmlFor="round-name">
              <Input id="round-name" value={form.name} placeholder={t('rounds.namePlaceholder')} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </Form.Item>
            <Form.Item label={t('rounds.units')}>
              <Select mode="multiple" aria-label={t('rounds.units')} value={form.unitCodes} onChange={(v) => setForm({ ...form, unitCodes: v })} options={units.map((u) => ({ value: u.code, label: u.name }))} />
            </Form.Item>
            <Form.Item label={t('rounds.tablesLabel')}>
              <Checkbox.Group value={form.tables} onChange={(v) => setForm({ ...form, tables: v as number[] })} options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: t('rounds.table', { n }) }))} />
            </Form.Item>
            <Form.Item label={t('rounds.dueDate')} htmlFor="round-due">
              <DateInput id="round-due" value={form.dueDate} onChange={(v) => setForm({ ...form, dueDate: v ?? '' })} style={{ width: 220 }} />
            </Form.Item>
            {error && <Alert type="error" showIcon role="alert" title={error} />}
            <Space>
              <Button type="primary" htmlType="submit">{t('rounds.create')}</Button>
              <Button onClick={() => setForm(null)}>{t('rounds.cancel')}</Button>
            </Space>
          </Form>
        )}
        {rounds.length === 0 && !form && <Empty description={t('rounds.none')} />}
        {rounds.length > 0 && (
          <Select aria-label={t('rounds.chooseRound')} value={round?.id} onChange={(v) => { setRoundId(v); setReviewUnit(null); }} style={{ minWidth: 260 }}
            options={rounds.map((r) => ({ value: r.id, label: `${r.name}（${t('rounds.due', { date: dateText(r.dueDate) })}）` }))} />
        )}
        <Typography.Paragraph type="secondary" className="round-hint">{t('rounds.distributeHint')}</Typography.Paragraph>
      </Card>

      {round && (
        <Card size="small" title={t('rounds.statusTitle', { name: round.name })}>
          <Table
            size="small"
            rowKey="unitCode"
            pagination={false}
            dataSource={status}
            columns={[
              { title: t('rounds.unit'), dataIndex: 'unitCode', render: (c: string) => unitName(c) },
              { title: t('rounds.state'), dataIndex: 'state', render: (s: keyof typeof STATE_COLORS) => <Tag color={STATE_COLORS[s]}>{t(`rounds.state_${s}`)}</Tag> },
              { title: t('rounds.submittedAt'), key: 'at', render: (_: unknown, s) => (s.latest ? `${when(s.latest.submittedAt)}${s.count > 1 ? t('rounds.times', { count: s.count }) : ''}` : '') },
              { title: t('rounds.tasksUpdated'), dataIndex: 'tasksUpdated' },
              {
                title: '',
                key: 'review',
                render: (_: unknown, s) => s.latest && <Button size="small" onClick={() => setReviewUnit(s.unitCode)}>{t('review.open')}</Button>,
              },
            ]}
          />
          {urge && (
            <Alert className="round-urge" type="warning" showIcon title={t('rounds.urgeTitle', { count: missing.length })}
              description={<Typography.Paragraph copyable={{ text: urge }} className="round-urge-text">{urge}</Typography.Paragraph>} />
          )}
          <SubmissionImport corpus={corpus} />
          <div className="round-circular">
            <CircularExport key={round.id} round={round} />
          </div>
        </Card>
      )}
      {round && reviewUnit && <ReviewPanel corpus={corpus} round={round} unitCode={reviewUnit} submissions={submissions} />}
    </Space>
  );
}

/**
 * 导入报送文件: several files in one open dialog, or every new file of the exchange folder
 * (从交换文件夹收取), one preview, then each imported all or nothing. A district takes its review
 * files from the folder the same way (`accept="review"`, only those for its unit). Files of another
 * kind or for another unit in a shared folder are not listed, and are not offered again.
 */
function SubmissionImport({ corpus, accept = 'submission', forUnit }: { corpus: Corpus; accept?: 'submission' | 'review'; forUnit?: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const exchangeFolder = useExchangeStore((s) => s.folder);
  const [rows, setRows] = useState<SubmissionFileRow[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What a collection from the folder left out: files of another kind or unit, and files for next time.
  const [note, setNote] = useState<string | null>(null);
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const taken = (hashes: (string | undefined)[]) => {
    const sha256 = [...new Set(hashes.filter((h): h is string => !!h))];
    return sha256.length ? invoke('exchange:taken', { sha256 }) : Promise.resolve(null);
  };
  const start = () => {
    setError(null);
    setRows(null);
    setNote(null);
  };
  const preview = (files: readonly { name: string; bytes: Uint8Array }[]) => previewSubmissionFiles(db, files, (bytes) => verifyBundle(bytes, corpus), accept, forUnit);
  const choose = async () => {
    start();
    const files = await invoke('file:openMany', { title: t('rounds.importMany'), filters: SUBMISSION_FILTERS, maxBytes: MAX_SUBMISSION_BYTES, maxFiles: 50 });
    if (!files.ok) return setError(files.error.message);
    if (files.value.length === 0) return;
    setBusy(true);
    try {
      setRows(await preview(files.value));
    } finally {
      setBusy(false);
    }
  };
  const collect = async () => {
    start();
    setBusy(true);
    try {
      const found = await invoke('exchange:collect', { maxFiles: 50, maxBytes: MAX_SUBMISSION_BYTES });
      if (!found.ok) return setError(found.error.message);
      const previewed = await preview(found.value.files);
      const other = previewed.filter((r) => r.problemCode === 'round.not_submission' || r.problemCode === 'round.not_review' || r.problemCode === 'round.other_unit');
      // Already here, or not for this desk: remembered as taken, so the folder does not offer them again.
      await taken([...previewed.filter((r) => r.present), ...other].map((r) => r.sha256));
      const shown = [...previewed.filter((r) => !r.present && !other.includes(r)), ...found.value.refused.map((f) => ({ fileName: f.name, problem: f.reason }))];
      const notes = [other.length ? t('exchange.otherFiles', { count: other.length }) : '', found.value.left ? t('exchange.left', { count: found.value.left }) : ''].filter(Boolean);
      setNote(notes.join(' ') || null);
      if (shown.length === 0) return void message.info(t('exchange.nothingNew'));
      setRows(shown);
    } finally {
      setBusy(false);
    }
  };
  const ready = rows?.filter((r) => !r.problem) ?? [];
  const apply = async () => {
    if (!rows) return;
    setBusy(true);
    try {
      const done = await applySubmissionFiles(db, rows, currentAuthor());
      const failed = done.filter((d) => !d.result.ok);
      const imported = new Set(done.filter((d) => d.result.ok).map((d) => d.fileName));
      await taken(rows.filter((r) => imported.has(r.fileName)).map((r) => r.sha256));
      if (failed.length) setError(failed.map((f) => `${f.fileName}：${f.result.ok ? '' : f.result.error.message}`).join('\n'));
      void message.success(t(accept === 'review' ? 'exchange.importedReviews' : 'rounds.importedMany', { count: done.length - failed.length }));
      setRows(null);
    } finally {
      setBusy(false);
    }
  };
  const unitOf = (r: SubmissionFileRow) => r.receipt?.unitCode ?? r.plan?.manifest.round?.unitCode;
  return (
    <div className="submission-import">
      <Space wrap>
        {accept === 'submission' && <Button onClick={() => void choose()} loading={busy}>{t('rounds.importMany')}</Button>}
        <Button onClick={() => void collect()} disabled={busy || !exchangeFolder} title={exchangeFolder ? undefined : t('exchange.chooseFirst')}>
          {t(accept === 'review' ? 'exchange.collectReviews' : 'exchange.collect')}
        </Button>
        <Typography.Text type="secondary">{t(accept === 'review' ? 'exchange.collectReviewsHint' : 'rounds.importHint')}</Typography.Text>
      </Space>
      {error && <Alert className="bundle-error" type="error" showIcon role="alert" title={error} description={t('bundles.zeroRows')} />}
      {note && !rows && <Typography.Paragraph type="secondary" className="exchange-note">{note}</Typography.Paragraph>}
      {rows && (
        <div className="submission-preview">
          <Table
            size="small"
            rowKey="fileName"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: t('rounds.file'), dataIndex: 'fileName' },
              { title: t('rounds.unit'), key: 'unit', render: (_: unknown, r: SubmissionFileRow) => { const u = unitOf(r); return u ? unitName(u) : ''; } },
              { title: t(accept === 'review' ? 'exchange.madeAt' : 'rounds.submittedAt'), key: 'at', render: (_: unknown, r: SubmissionFileRow) => (r.receipt ? when(r.receipt.submittedAt) : r.plan ? when(r.plan.manifest.createdAt) : '') },
              accept === 'review'
                ? { title: t('exchange.decisions'), key: 'n', render: (_: unknown, r: SubmissionFileRow) => r.plan?.rounds?.newReviews.length ?? '' }
                : { title: t('rounds.tasksUpdated'), key: 'n', render: (_: unknown, r: SubmissionFileRow) => r.receipt?.updatedTaskIds.length ?? '' },
              { title: t('rounds.fileState'), key: 'state', render: (_: unknown, r: SubmissionFileRow) => (r.problem ? <Typography.Text type="danger">{r.problem}</Typography.Text> : <Tag color="green">{t('rounds.ready')}</Tag>) },
            ]}
          />
          {note && <Typography.Paragraph type="secondary" className="exchange-note">{note}</Typography.Paragraph>}
          <Space className="import-actions">
            <Button type="primary" disabled={ready.length === 0 || busy} onClick={() => void apply()}>
              {t(accept === 'review' ? 'exchange.applyReviews' : 'rounds.applyMany', { count: ready.length })}
            </Button>
            <Button onClick={() => setRows(null)}>{t('rounds.cancel')}</Button>
          </Space>
        </div>
      )}
    </div>
  );
}

function ReviewPanel({ corpus, round, unitCode, submissions }: { corpus: Corpus; round: Round; unitCode: string; submissions: Submission[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const openTask = useUiStore((s) => s.openTask);
  const setUnit = useSessionStore((s) => s.setUnit);
  const unitName = units.find((u) => u.code === unitCode)?.name ?? unitCode;
  const latest = latestSubmission(submissions, round.id, unitCode);
  const [decisions, setDecisions] = useState<ReviewDecision[]>([]);
  const [drafts, setDrafts] = useState<Record<string, { decision?: ReviewDecisionKind; comment: string }>>({});
  const [busy, setBusy] = useState(false);
  const exchangeFolder = useExchangeStore((s) => s.folder);
  const load = useCallback(async () => setDecisions(await decisionsOfRound(db, round.id, unitCode)), [round.id, unitCode]);
  useEffect(() => {
    void load();
    return onDataChange((c) => {
      if (c.kind === 'round' || c.kind === 'import') void load();
    });
  }, [load]);
  const taskText = useMemo(() => new Map(corpus.tasks.map((x) => [x.id, x.text])), [corpus]);
  if (!latest) return null;
  const ofLatest = decisions.filter((d) => d.submissionId === latest.id);
  const onThis = new Map(ofLatest.filter((d) => !isExtensionDecision(d.decision)).map((d) => [d.taskId, d]));
  const extOnThis = new Map(ofLatest.filter((d) => isExtensionDecision(d.decision)).map((d) => [d.taskId, d]));
  const taskIds = [...new Set([...latest.updatedTaskIds, ...onThis.keys()])];
  const pending = ofLatest.filter((d) => d.reviewId === null).length;
  const asked = latest.extensions ?? [];
  const date = (d: string | null) => (d ? cnDate(d) : t('rounds.noDeadline'));

  const save = async (taskId: string, key: string = taskId) => {
    const d = drafts[key];
    if (!d?.decision) return;
    const r = await decide(db, { roundId: round.id, unitCode, taskId, decision: d.decision, comment: d.comment }, currentAuthor());
    if (!r.ok) return void message.error(r.error.message);
    void message.success(t('review.recorded'));
  };
  const issue = async (toFolder = false) => {
    setBusy(true);
    try {
      const env = await fileEnv(corpus, t('review.issueTitle'));
      const r = await issueReview(db, round, unitCode, unitName, toFolder ? { ...env, save: saveToExchange } : env);
      if (!r.ok) return void message.error(r.error.message);
      if (r.value) {
        const count = r.value.decisions.length;
        void message.success(toFolder ? t('exchange.issued', { count, name: fileNameOf(r.value.path) }) : t('review.issued', { count, path: r.value.path }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('review.title', { unit: unitName, time: when(latest.submittedAt) })} className="review-panel">
      <Alert type="info" showIcon className="review-trust" title={t('review.trustNote')} />
      <Table
        size="small"
        rowKey={(id) => id}
        pagination={false}
        dataSource={taskIds}
        locale={{ emptyText: t('review.noTasks') }}
        columns={[
          { title: t('rounds.task'), key: 'id', width: 90, render: (id: string) => <Button type="link" size="small" onClick={() => { setUnit(unitCode); openTask(id); }}>{id}</Button> },
          { title: t('rounds.taskText'), key: 'text', ellipsis: true, render: (id: string) => taskText.get(id) },
          {
            title: t('review.decision'),
            key: 'decision',
            width: 460,
            render: (id: string) => {
              const done = onThis.get(id);
              if (done?.reviewId) {
                return (
                  <span className="review-note">
                    <Tag color={DECISION_COLORS[done.decision]}>{t(`review.${done.decision}`)}</Tag> {done.comment} <Typography.Text type="secondary">{t('review.sent')}</Typography.Text>
                  </span>
                );
              }
              const d = drafts[id] ?? { decision: done?.decision, comment: done?.comment ?? '' };
              return (
                <Space.Compact style={{ width: '100%' }}>
                  <Select<ReviewDecisionKind> aria-label={t('review.decisionOf', { id })} value={d.decision} placeholder={t('review.choose')} style={{ width: 120 }}
                    onChange={(v) => setDrafts({ ...drafts, [id]: { ...d, decision: v } })}
                    options={(['pass', 'return', 'close'] as const).map((k) => ({ value: k, label: t(`review.${k}`) }))} />
                  <Input aria-label={t('review.commentOf', { id })} value={d.comment} placeholder={t('review.commentPlaceholder')} onChange={(e) => setDrafts({ ...drafts, [id]: { ...d, comment: e.target.value } })} />
                  <Button onClick={() => void save(id)} disabled={!d.decision}>{done ? t('review.change') : t('review.record')}</Button>
                </Space.Compact>
              );
            },
          },
        ]}
      />
      {asked.length > 0 && (
        <Table
          className="review-extensions"
          size="small"
          rowKey="taskId"
          pagination={false}
          dataSource={asked}
          title={() => <Typography.Text strong>{t('review.extensionsTitle')}</Typography.Text>}
          columns={[
            { title: t('rounds.task'), dataIndex: 'taskId', width: 90 },
            { title: t('review.extensionsTitle'), key: 'asked', render: (_: unknown, x: ExtensionRequest) => t('review.extensionRequest', { from: date(x.from), to: date(x.to), reason: x.reason }) },
            {
              title: t('review.decision'),
              key: 'decision',
              width: 460,
              render: (_: unknown, x: ExtensionRequest) => {
                const done = extOnThis.get(x.taskId);
                if (done?.reviewId) {
                  return (
                    <span className="review-note">
                      <Tag color={DECISION_COLORS[done.decision]}>{t(`review.${done.decision}`)}</Tag> {done.comment} <Typography.Text type="secondary">{t('review.sent')}</Typography.Text>
                    </span>
                  );
                }
                const key = `x:${x.taskId}`;
                const d = drafts[key] ?? { decision: done?.decision, comment: done?.comment ?? '' };
                return (
                  <Space.Compact style={{ width: '100%' }}>
                    <Select<ReviewDecisionKind> aria-label={t('review.extensionDecisionOf', { id: x.taskId })} value={d.decision} placeholder={t('review.choose')} style={{ width: 130 }}
                      onChange={(v) => setDrafts({ ...drafts, [key]: { ...d, decision: v } })}
                      options={(['extend', 'refuse_extension'] as const).map((k) => ({ value: k, label: t(`review.${k}`) }))} />
                    <Input aria-label={t('review.commentOf', { id: `${x.taskId} ${t('review.extensionsTitle')}` })} value={d.comment} placeholder={t('review.extensionCommentPlaceholder')} onChange={(e) => setDrafts({ ...drafts, [key]: { ...d, comment: e.target.value } })} />
                    <Button onClick={() => void save(x.taskId, key)} disabled={!d.decision}>{done ? t('review.change') : t('review.record')}</Button>
                  </Space.Compact>
                );
              },
            },
          ]}
        />
      )}
      <Space className="review-actions">
        <Button type="primary" onClick={() => void issue()} disabled={pending === 0} loading={busy}>
          {t('review.issue', { count: pending })}
        </Button>
        <Button onClick={() => void issue(true)} disabled={pending === 0 || busy || !exchangeFolder} title={exchangeFolder ? undefined : t('exchange.chooseFirst')}>
          {t('exchange.write')}
        </Button>
      </Space>
    </Card>
  );
}
