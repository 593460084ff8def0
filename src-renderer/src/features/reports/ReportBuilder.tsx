import { UnsavedNotice } from '../annotation/UnsavedMark';
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, Progress, Radio, Segmented, Select, Space, Table, Typography } from 'antd';
import { FileExcelOutlined, FileWordOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { STATUSES, isIsoDate, type Status } from '../../../../src-main/shared/domain';
import { CITY_ISSUER, issuerOf } from '../../../../src-main/shared/rules';
import { chinaToday } from '../../../../src-main/shared/time';
import { buildReportModel, defaultTitle, pct, type ReportInput, type ReportKind } from '../../../../src-main/shared/report/model';
import { invoke } from '../../api/client';
import { acceptedData } from '../../../../src-main/shared/rounds/accepted';
import { reportMonthly } from '../dashboard/reportMonthly';
import { db } from '../../db/db';
import { readReportRows } from '../../db/repo';
import { useSessionStore } from '../../store/sessionStore';
import { settlePendingEdits } from '../../db/mutate';
import { useSnapshotChoice } from '../periods/useSnapshotChoice';
import { DraftList } from './drafting/DraftList';
import { DraftView } from './drafting/DraftView';
import type { DraftChoices } from './drafting/draftLogic';
import { errorText } from '../../i18n/errors';

type Stage = 'collect' | 'build' | 'save' | null;

/** The tab and the open draft, kept while the person visits other views (the author comes back to it). */
const kept: { mode: 'builder' | 'drafts'; draft: string | null } = { mode: 'builder', draft: null };

/** Report builder: kind, scope, dates, title and issuer; a preview of the figures; export via main. */
export function ReportBuilder({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const profile = useSessionStore((s) => s.profile);
  const ownUnit = units.find((u) => u.code === profile?.unitCode);
  const [kind, setKind] = useState<ReportKind>(profile?.role === 'supervisor' ? 'city' : 'district');
  const [unitCodes, setUnitCodes] = useState<string[]>(profile?.role === 'supervisor' || !profile ? [] : [profile.unitCode]);
  const [tables, setTables] = useState<number[]>([]);
  const [statuses, setStatuses] = useState<Status[]>([]);
  // Today in China time, as the report model dates every timestamp (onOrBefore): the machine's own
  // date would leave out today's edits for the hours it differs from UTC+8.
  const [asOf, setAsOf] = useState(() => chinaToday());
  const [signDate, setSignDate] = useState(asOf);
  const [title, setTitle] = useState('');
  const [issuer, setIssuer] = useState('');
  const [stage, setStage] = useState<Stage>(null);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const data = useLiveQuery(() => readReportRows(db), []);
  // Review state: approved extensions move deadlines; 仅用审核通过的数据 takes each task as accepted.
  const [acceptedOnly, setAcceptedOnly] = useState(false);
  const review = useLiveQuery(async () => {
    const [reviews, submissions] = await Promise.all([db.reviews.filter((d) => d.reviewId !== null).toArray(), db.submissions.toArray()]);
    return { reviews, submissions, revisions: acceptedOnly ? await db.revisions.toArray() : null };
  }, [acceptedOnly]);
  const snapshotChoice = useSnapshotChoice();
  const [mode, setModeState] = useState<'builder' | 'drafts'>(kept.mode);
  const [openDraft, setOpenDraftState] = useState<string | null>(kept.draft);
  const setMode = (m: 'builder' | 'drafts') => setModeState((kept.mode = m));
  const setOpenDraft = (id: string | null) => {
    kept.draft = id;
    if (id) kept.mode = 'drafts';
    setOpenDraftState(id);
    if (id) setModeState('drafts');
  };

  const scopeUnitNames = (unitCodes.length ? units.filter((u) => unitCodes.includes(u.code)) : units).map((u) => u.name);
  const fallbackTitle = defaultTitle(kind, unitCodes.length ? scopeUnitNames : []);
  const fallbackIssuer = kind === 'city' ? CITY_ISSUER : issuerOf(ownUnit);
  const dateErrors = { asOf: isIsoDate(asOf) ? null : t('reports.dateInvalid'), signDate: isIsoDate(signDate) ? null : t('reports.dateInvalid') };

  const input: Omit<ReportInput, 'corpus'> | null = useMemo(() => {
    if (!data || !review || dateErrors.asOf || dateErrors.signDate) return null;
    const accepted = acceptedOnly && review.revisions ? acceptedData({ ...data, revisions: review.revisions }, review.reviews, review.submissions) : null;
    if (acceptedOnly && !accepted) return null;
    const rows = accepted ?? data;
    return {
      kind,
      units,
      annotations: rows.annotations,
      logEntries: rows.logEntries,
      evidence: rows.evidence,
      ...(review.reviews.length ? { extensions: review.reviews } : {}),
      ...(accepted ? { acceptedOnly: { leftOut: accepted.leftOut } } : {}),
      scope: { unitCodes, tables, statuses },
      asOf,
      title: title.trim(),
      issuer: issuer.trim() || fallbackIssuer,
      signDate,
      changesSince: kind === 'ledger' ? undefined : snapshotChoice.baseline,
    };
  }, [data, review, acceptedOnly, kind, units, unitCodes, tables, statuses, asOf, title, issuer, fallbackIssuer, signDate, dateErrors.asOf, dateErrors.signDate, snapshotChoice.baseline]);
  const model = useMemo(() => (input ? buildReportModel({ ...input, corpus }) : null), [input, corpus]);

  const run = async (format: 'docx' | 'xlsx') => {
    if (!input) return;
    setSavedPath(null);
    setStage('collect');
    await settlePendingEdits();
    setStage('build');
    const base = (title.trim() || fallbackTitle).replace(/[\\/:*?"<>|]/g, '_');
    // The chart is drawn from every revision: not from accepted data only.
    const monthly = format === 'docx' && !input.acceptedOnly ? await reportMonthly(corpus, input) : undefined;
    const r = await invoke('report:export', { input: monthly ? { ...input, monthly } : input, format, defaultName: `${base}.${format}` });
    setStage(null);
    if (!r.ok) return void message.error(errorText(t, r.error));
    if (r.value.canceled) return;
    setSavedPath(r.value.path);
    void message.success(t('reports.saved', { path: r.value.path }));
  };

  const stagePercent = stage === 'collect' ? 15 : stage === 'build' ? 60 : stage === 'save' ? 90 : 100;
  // A draft starts from these choices (a ledger is not drafted).
  const draftChoices: DraftChoices | null =
    kind === 'ledger' || !input
      ? null
      : { kind, scope: { unitCodes, tables, statuses }, asOf, signDate, title: title.trim() || fallbackTitle, issuer: issuer.trim() || fallbackIssuer };
  if (openDraft) return <DraftView id={openDraft} corpus={corpus} onClose={() => setOpenDraft(null)} />;
  return (
    <div className="report-builder">
      <div className="report-head">
        <Typography.Title level={4}>{t(mode === 'builder' ? 'reports.title' : 'drafting.tabDrafts')}</Typography.Title>
        <Segmented value={mode} onChange={(v) => setMode(v as 'builder' | 'drafts')}
          options={[{ value: 'builder', label: t('drafting.tabBuilder') }, { value: 'drafts', label: t('drafting.tabDrafts') }]} />
      </div>
      <div className="report-columns">
        <Card size="small" className="report-form">
          <Form layout="vertical" component="div">
            <Form.Item label={t('reports.kind')}>
              <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} optionType="button"
                options={(['district', 'city', 'ledger'] as const).map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))} />
            </Form.Item>
            <Form.Item label={t('reports.units')} htmlFor="report-units">
              <Select id="report-units" mode="multiple" allowClear placeholder={t('reports.allUnits')} value={unitCodes} onChange={setUnitCodes}
                options={units.map((u) => ({ value: u.code, label: u.name }))} />
            </Form.Item>
            <Space wrap>
              <Form.Item label={t('reports.tables')} htmlFor="report-tables">
                <Select id="report-tables" mode="multiple" allowClear placeholder={t('reports.allTables')} style={{ minWidth: 180 }} value={tables} onChange={setTables}
                  options={corpus.tables.map((tb) => ({ value: tb.number, label: `表${tb.number}` }))} />
              </Form.Item>
              <Form.Item label={t('reports.statuses')} htmlFor="report-statuses">
                <Select id="report-statuses" mode="multiple" allowClear placeholder={t('reports.allStatuses')} style={{ minWidth: 220 }} value={statuses} onChange={setStatuses}
                  options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
              </Form.Item>
            </Space>
            <Space wrap>
              <Form.Item label={t('reports.asOf')} validateStatus={dateErrors.asOf ? 'error' : undefined} help={dateErrors.asOf} htmlFor="report-asof">
                <Input id="report-asof" style={{ width: 140 }} value={asOf} onChange={(e) => setAsOf(e.target.value.trim())} />
              </Form.Item>
              <Form.Item label={t('reports.signDate')} validateStatus={dateErrors.signDate ? 'error' : undefined} help={dateErrors.signDate} htmlFor="report-signdate">
                <Input id="report-signdate" style={{ width: 140 }} value={signDate} onChange={(e) => setSignDate(e.target.value.trim())} />
              </Form.Item>
            </Space>
            <Form.Item label={t('reports.docTitle')} htmlFor="report-title">
              <Input id="report-title" value={title} placeholder={t('reports.titlePlaceholder', { title: fallbackTitle })} onChange={(e) => setTitle(e.target.value)} />
            </Form.Item>
            <Form.Item label={t('reports.issuer')} htmlFor="report-issuer">
              <Input id="report-issuer" value={issuer} placeholder={fallbackIssuer} onChange={(e) => setIssuer(e.target.value)} />
            </Form.Item>
            {kind !== 'ledger' && snapshotChoice.field}
            <Form.Item className="report-accepted-only" extra={t('reports.acceptedOnlyHint')}>
              <Checkbox checked={acceptedOnly} onChange={(e) => setAcceptedOnly(e.target.checked)}>{t('reports.acceptedOnly')}</Checkbox>
            </Form.Item>
            <Space wrap>
              <Button type="primary" icon={<FileWordOutlined />} disabled={!model?.ok || stage !== null} onClick={() => void run('docx')}>
                {t('reports.exportDocx')}
              </Button>
              <Button icon={<FileExcelOutlined />} disabled={!model?.ok || stage !== null} onClick={() => void run('xlsx')}>
                {t('reports.exportXlsx')}
              </Button>
            </Space>
            {stage && (
              <div className="report-progress" role="status">
                <Progress percent={stagePercent} status="active" size="small" />
                <Typography.Text type="secondary">{t(stage === 'collect' ? 'reports.stageCollect' : stage === 'build' ? 'reports.stageBuild' : 'reports.stageSave')}</Typography.Text>
              </div>
            )}
            {savedPath && (
              <Alert className="report-saved" type="success" showIcon title={t('reports.saved', { path: savedPath })}
                action={<Button size="small" icon={<FolderOpenOutlined />} onClick={() => void invoke('file:showInFolder', savedPath)}>{t('reports.showInFolder')}</Button>} />
            )}
          </Form>
        </Card>
        {mode === 'drafts' ? (
          <DraftList choices={draftChoices} model={model?.ok ? model.value : null} onOpen={setOpenDraft} />
        ) : (
        <Card size="small" title={t('reports.preview')} className="report-preview" data-testid="report-preview">
          <UnsavedNotice />
          {model && !model.ok && <Alert type="warning" showIcon title={errorText(t, model.error)} />}
          {model?.ok && (
            <>
              <Typography.Paragraph type="secondary">{t('reports.previewHint')}</Typography.Paragraph>
              {model.value.summary.map((p, i) => (
                <Typography.Paragraph key={i} className="report-summary">{p}</Typography.Paragraph>
              ))}
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={[...model.value.byTable.filter((r) => r.total > 0)]}
                columns={[
                  { title: '', dataIndex: 'label' },
                  { title: t('reports.total'), dataIndex: 'total' },
                  { title: t('reports.implemented'), dataIndex: 'implemented' },
                  { title: t('reports.implementedShare'), render: (_, r) => pct(r.implementedShare) },
                  { title: t('reports.red'), render: (_, r) => r.lights.red },
                ]}
              />
              <Typography.Paragraph type="secondary" className="report-provenance">{model.value.meta.provenance}</Typography.Paragraph>
            </>
          )}
        </Card>
        )}
      </div>
    </div>
  );
}
