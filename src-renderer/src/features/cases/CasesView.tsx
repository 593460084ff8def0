import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Input, Pagination, Segmented, Select, Space, Tag, Typography } from 'antd';
import { FileWordOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import {
  CASE_STUDY_LIMITS,
  caseStudyOf,
  emptyCaseStudy,
  validateCaseStudy,
  type Annotation,
  type CaseStudy,
  type CaseStudyPart,
} from '../../../../src-main/shared/domain';
import { issuerOf } from '../../../../src-main/shared/rules';
import { chinaToday } from '../../../../src-main/shared/time';
import { invoke } from '../../api/client';
import { db } from '../../db/db';
import { useSessionStore } from '../../store/sessionStore';
import { useUiStore } from '../../store/uiStore';
import { settlePendingEdits } from '../../db/mutate';
import { listAnnotations, readReportRows } from '../../db/repo';
import { changeCase, flushAllCases, flushCase, hasPendingCase, listenCase, readCaseDraft, setCaseComposing, type CaseSaveStatus } from './caseEdits';

type KindFilter = 'all' | 'innovation' | 'bestPractice';
const PAGE_SIZE = 10;
const PARTS: { part: CaseStudyPart; rows: number }[] = [
  { part: 'approach', rows: 4 },
  { part: 'results', rows: 3 },
  { part: 'replicability', rows: 2 },
];

/** One flagged annotation: its task, tags, and the write-up form (autosaved by caseEdits). */
function CaseCard({ a, taskTitle, unitName }: { a: Annotation; taskTitle: string; unitName: string }) {
  const { t } = useTranslation();
  const setUnit = useSessionStore((s) => s.setUnit);
  const openTask = useUiStore((s) => s.openTask);
  const stored = caseStudyOf(a);
  const [value, setValue] = useState<CaseStudy>(() => readCaseDraft(a.key, a.updatedAt) ?? stored ?? emptyCaseStudy());
  const [status, setStatus] = useState<CaseSaveStatus>({ state: 'saved', message: null });
  const mounted = useRef(true);
  const listener = (s: CaseSaveStatus) => {
    if (mounted.current) setStatus(s);
  };

  useEffect(() => {
    mounted.current = true;
    // A journaled draft from before a crash: save it.
    const draft = readCaseDraft(a.key, a.updatedAt);
    if (draft) changeCase(a.key, draft, listener);
    else listenCase(a.key, listener);
    return () => {
      mounted.current = false;
      listenCase(a.key, null);
      void flushCase(a.key);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [a.key]);

  // Stored changes from elsewhere (an import, another card state) show when nothing is pending.
  useEffect(() => {
    if (!hasPendingCase(a.key)) setValue(caseStudyOf(a) ?? emptyCaseStudy());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [a.head]);

  const errors = status.state === 'invalid' ? validateCaseStudy(value) : {};
  const change = (part: CaseStudyPart, text: string) => {
    const next = { ...value, [part]: text };
    setValue(next);
    changeCase(a.key, next, listener);
  };
  const common = (part: CaseStudyPart) => ({
    id: `case-${a.key}-${part}`,
    value: value[part],
    maxLength: CASE_STUDY_LIMITS[part],
    status: errors[part] ? ('error' as const) : undefined,
    'data-part': part,
    onBlur: () => void flushCase(a.key),
    onCompositionStart: () => setCaseComposing(a.key, true),
    onCompositionEnd: () => setCaseComposing(a.key, false),
  });
  const label = (part: CaseStudyPart) => (
    <label className="case-label" htmlFor={`case-${a.key}-${part}`}>
      {t(`cases.${part}`)}
    </label>
  );
  const stateText = { saved: 'cases.stateSaved', dirty: 'cases.stateDirty', saving: 'cases.stateSaving', invalid: 'cases.stateInvalid', error: 'cases.stateError' }[status.state];

  return (
    <Card
      size="small"
      className="case-card"
      data-case={a.key}
      data-written={caseStudyOf({ caseStudy: value }) ? 'yes' : 'no'}
      title={
        <Space wrap size={4}>
          <Typography.Text strong>{a.taskId}</Typography.Text>
          <Typography.Text className="case-task" ellipsis={{ tooltip: taskTitle }} style={{ maxWidth: 420 }}>
            {taskTitle}
          </Typography.Text>
          <Tag>{unitName}</Tag>
          {a.isInnovation && <Tag color="red">{t('cases.innovation')}</Tag>}
          {a.isBestPractice && <Tag color="gold">{t('cases.bestPractice')}</Tag>}
        </Space>
      }
      extra={
        <Space size={8}>
          <Typography.Text type={status.state === 'invalid' || status.state === 'error' ? 'danger' : 'secondary'} className="case-save-state" data-save-state={status.state} role="status">
            {t(stateText)}
          </Typography.Text>
          <Button
            size="small"
            onClick={async () => {
              await settlePendingEdits();
              setUnit(a.unitCode);
              openTask(a.taskId);
            }}
          >
            {t('cases.openTask')}
          </Button>
        </Space>
      }
    >
      {!caseStudyOf({ caseStudy: value }) && <Alert className="case-missing" type="info" showIcon title={t('cases.noWriteUp')} style={{ marginBottom: 8 }} />}
      {status.message && status.state !== 'saved' && <Alert type="error" showIcon title={status.message} style={{ marginBottom: 8 }} />}
      <div className="case-grid">
        <div className="case-name">
          {label('name')}
          <Input {...common('name')} placeholder={t('cases.namePlaceholder')} onChange={(e) => change('name', e.target.value.replace(/[\r\n]+/g, ''))} />
        </div>
        <div className="case-field">
          {label('field')}
          <Input {...common('field')} onChange={(e) => change('field', e.target.value)} />
        </div>
        {PARTS.map(({ part, rows }) => (
          <div key={part} className="case-part">
            {label(part)}
            <Input.TextArea {...common(part)} autoSize={{ minRows: rows, maxRows: 12 }} onChange={(e) => change(part, e.target.value)} />
          </div>
        ))}
      </div>
    </Card>
  );
}

/** 典型案例: every annotation flagged 制度创新成果 or 最佳实践案例, each with its write-up in place. */
export default function CasesView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const unitCode = useSessionStore((s) => s.unitCode);
  const profile = useSessionStore((s) => s.profile);
  const supervisor = profile?.role === 'supervisor';
  const [allUnits, setAllUnits] = useState(false);
  const [kind, setKind] = useState<KindFilter>('all');
  const [table, setTable] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState(false);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const scopeAll = supervisor && allUnits;

  useEffect(() => () => void flushAllCases(), []);

  const flagged = useLiveQuery(async () => {
    const rows = scopeAll ? await listAnnotations(db) : unitCode ? await listAnnotations(db, { unitCode }) : [];
    return rows.filter((a) => a.isInnovation || a.isBestPractice);
  }, [scopeAll, unitCode]);

  const taskById = useMemo(() => new Map(corpus.tasks.map((tk) => [tk.id, tk])), [corpus]);
  const unitOrder = useMemo(() => new Map(units.map((u) => [u.code, u.order])), [units]);
  const shown = useMemo(() => {
    const list = (flagged ?? []).filter(
      (a) =>
        taskById.has(a.taskId) &&
        (kind === 'all' || (kind === 'innovation' ? a.isInnovation : a.isBestPractice)) &&
        (table === null || taskById.get(a.taskId)!.table === table),
    );
    const idx = new Map(corpus.tasks.map((tk, i) => [tk.id, i]));
    return list.sort((x, y) => (unitOrder.get(x.unitCode) ?? 0) - (unitOrder.get(y.unitCode) ?? 0) || idx.get(x.taskId)! - idx.get(y.taskId)!);
  }, [flagged, kind, table, taskById, unitOrder, corpus]);
  const written = shown.filter((a) => caseStudyOf(a)).length;
  const pageCount = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pageCount);
  const pageItems = shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;

  const exportDocx = async () => {
    setBusy(true);
    setSavedPath(null);
    try {
      await settlePendingEdits();
      const { annotations, logEntries, evidence } = await readReportRows(db);
      const one = !scopeAll && unitCode ? units.find((u) => u.code === unitCode) : undefined;
      const today = chinaToday();
      const r = await invoke('report:export', {
        input: {
          kind: one ? 'district' : 'city',
          units,
          annotations,
          logEntries,
          evidence,
          scope: { unitCodes: one ? [one.code] : [], tables: table === null ? [] : [table], statuses: [] },
          asOf: today,
          title: '',
          issuer: issuerOf(one),
          signDate: today,
        },
        format: 'docx',
        document: 'cases',
        defaultName: `${one ? one.name : '南京市'}服务业扩大开放综合试点典型案例汇编.docx`,
      });
      if (!r.ok) return void message.error(r.error.message);
      if (r.value.canceled) return;
      setSavedPath(r.value.path);
      void message.success(t('cases.saved', { path: r.value.path }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cases-view">
      <Space className="cases-head" wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cases.title')}
        </Typography.Title>
        <Button type="primary" icon={<FileWordOutlined />} loading={busy} disabled={written === 0} onClick={() => void exportDocx()}>
          {t('cases.export')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('cases.hint')}</Typography.Paragraph>
      <Space wrap className="cases-filters" style={{ marginBottom: 12 }}>
        {supervisor && (
          <Segmented<'unit' | 'all'>
            aria-label={t('cases.scope')}
            value={allUnits ? 'all' : 'unit'}
            onChange={(v) => {
              setAllUnits(v === 'all');
              setPage(1);
            }}
            options={[
              { value: 'unit', label: t('cases.scopeUnit') },
              { value: 'all', label: t('cases.scopeAll') },
            ]}
          />
        )}
        <Segmented<KindFilter>
          aria-label={t('cases.kind')}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('cases.kindAll') },
            { value: 'innovation', label: t('cases.innovation') },
            { value: 'bestPractice', label: t('cases.bestPractice') },
          ]}
        />
        <Select<number | null>
          aria-label={t('cases.table')}
          style={{ minWidth: 150 }}
          value={table}
          onChange={(v) => {
            setTable(v);
            setPage(1);
          }}
          options={[{ value: null, label: t('cases.allTables') }, ...corpus.tables.map((tb) => ({ value: tb.number, label: `表${tb.number}` }))]}
        />
        <Typography.Text type="secondary" className="cases-counts">
          {t('cases.counts', { total: shown.length, written, pending: shown.length - written })}
        </Typography.Text>
      </Space>
      {savedPath && (
        <Alert
          className="cases-saved"
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('cases.saved', { path: savedPath })}
          action={
            <Button size="small" icon={<FolderOpenOutlined />} onClick={() => void invoke('file:showInFolder', savedPath)}>
              {t('reports.showInFolder')}
            </Button>
          }
        />
      )}
      {flagged && shown.length === 0 && <Empty description={t('cases.empty')} />}
      <div className="cases-list">
        {pageItems.map((a) => {
          const task = taskById.get(a.taskId)!;
          return <CaseCard key={a.key} a={a} taskTitle={task.text} unitName={unitName(a.unitCode)} />;
        })}
      </div>
      {shown.length > PAGE_SIZE && (
        <Pagination style={{ marginTop: 12 }} current={current} pageSize={PAGE_SIZE} total={shown.length} showSizeChanger={false} onChange={(p) => setPage(p)} />
      )}
    </div>
  );
}
