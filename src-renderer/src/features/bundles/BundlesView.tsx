import { useCallback, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, AutoComplete, Button, Card, Checkbox, Descriptions, Popconfirm, Progress, Radio, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { chinaToday } from '../../../../src-main/shared/time';
import type { Decision, KeyPlan } from '../../../../src-main/shared/bundle/merge';
import type { ExportScope } from '../../../../src-main/shared/bundle/write';
import { invoke } from '../../api/client';
import { db, type ImportRecord } from '../../db/db';
import { when } from '../../i18n/time';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { settlePendingEdits } from '../../db/mutate';
import { applyImport, buildExport, lastExportTo, listImports, listRecipients, prepareImport, recordExport, undoImport, type ApplyProgress, type PreviewPlan } from './bundleService';
import { ConflictList, decideAll, tallyConflicts, toDecisions, type DecisionMap } from './ConflictReview';
import { verifyBundle } from './verifyClient';
import { PeriodImportNote } from '../periods/PeriodImportNote';
import { roundPlanWrites } from '../../../../src-main/shared/rounds/importPlan';

/** Largest bundle file main will read. */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;
const BUNDLE_FILTERS = [{ name: '批注包', extensions: ['pilotbundle'] }];


function ExportCard({ corpus, onDone }: { corpus: Corpus; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const profile = useSessionStore((s) => s.profile);
  const [scope, setScope] = useState<'all' | 'units' | 'since'>('all');
  const [unitCodes, setUnitCodes] = useState<string[]>(profile ? [profile.unitCode] : []);
  const [recipient, setRecipient] = useState('');
  const [busy, setBusy] = useState(false);
  const recipients = useLiveQuery(() => listRecipients(db), []) ?? [];
  const last = useLiveQuery(() => (recipient.trim() ? lastExportTo(db, recipient) : Promise.resolve(null)), [recipient]);

  const run = async () => {
    setBusy(true);
    try {
      const info = await invoke('app:info');
      const s: ExportScope =
        scope === 'units' ? { scope: 'units', unitCodes } : scope === 'since' && last ? { scope: 'since', since: last } : { scope: 'all' };
      const createdAt = new Date();
      const built = await buildExport(db, { scope: s, author: currentAuthor(), appVersion: info.ok ? info.value.version : 'unknown', corpus, now: createdAt, role: profile?.role ?? 'official' });
      if (!built.ok) return void message.error(built.error.message);
      const unitName = units.find((u) => u.code === profile?.unitCode)?.name ?? '';
      const day = chinaToday(createdAt);
      const saved = await invoke('file:save', {
        title: t('bundles.exportTitle'),
        defaultName: `批注包-${unitName}-${day}.pilotbundle`,
        bytes: built.value.bytes,
      });
      if (!saved.ok) return void message.error(saved.error.message);
      if (saved.value.canceled) return;
      if (recipient.trim()) await recordExport(db, recipient, createdAt.toISOString());
      onDone();
      void message.success(t('bundles.exported', { path: saved.value.path }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('bundles.exportTitle')} className="bundle-card">
      <Typography.Paragraph type="secondary">{t('bundles.exportHint')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}
          options={[
            { value: 'all', label: t('bundles.scopeAll') },
            { value: 'units', label: t('bundles.scopeUnits') },
            { value: 'since', label: t('bundles.scopeSince') },
          ]} />
        {scope === 'units' && (
          <Select mode="multiple" aria-label={t('bundles.scopeUnits')} style={{ minWidth: 320 }} value={unitCodes} onChange={setUnitCodes}
            options={units.map((u) => ({ value: u.code, label: u.name }))} />
        )}
        <Space wrap>
          <span>{t('bundles.recipient')}</span>
          <AutoComplete aria-label={t('bundles.recipient')} style={{ width: 260 }} value={recipient} onChange={setRecipient}
            placeholder={t('bundles.recipientPlaceholder')} options={recipients.map((r) => ({ value: r.recipient }))} />
          {scope === 'since' && recipient.trim() !== '' && (
            <Typography.Text type="secondary">{last ? t('bundles.lastExport', { time: when(last) }) : t('bundles.neverExported')}</Typography.Text>
          )}
        </Space>
        <Button type="primary" icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} disabled={scope === 'units' && unitCodes.length === 0}>
          {t('bundles.export')}
        </Button>
      </Space>
    </Card>
  );
}

function ImportCard({ corpus, error, setError }: { corpus: Corpus; error: string | null; setError(e: string | null): void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PreviewPlan | null>(null);
  const [present, setPresent] = useState<ImportRecord | null>(null);
  const [bundleSha, setBundleSha] = useState('');
  const [fileName, setFileName] = useState('');
  const [decisions, setDecisions] = useState<DecisionMap>(() => new Map());
  // While applying: rows written of all (null: not applying). 放弃 and 选择 wait for it.
  const [progress, setProgress] = useState<ApplyProgress | null>(null);
  // The preview being made (verify, merge), which 取消 aborts.
  const preparing = useRef<AbortController | null>(null);
  // A bundle that brings units not here asks before adding them (a look-alike unit collects another's work).
  const [unitsConfirmed, setUnitsConfirmed] = useState(false);
  const unitName = useCallback((code: string) => units.find((u) => u.code === code)?.name ?? code, [units]);

  const choose = async () => {
    setError(null);
    setPlan(null);
    setPresent(null);
    const file = await invoke('file:open', { title: t('bundles.importTitle'), filters: BUNDLE_FILTERS, maxBytes: MAX_BUNDLE_BYTES, kind: 'bundle' });
    if (!file.ok) return setError(file.error.message);
    if (!file.value) return;
    const abort = new AbortController();
    preparing.current = abort;
    setBusy(true);
    try {
      const prepared = await prepareImport(
        db,
        file.value.bytes,
        (bytes) => verifyBundle(bytes, corpus),
        settlePendingEdits,
        abort.signal,
      );
      if (abort.signal.aborted) return void message.info(t('bundles.previewCancelled'));
      if (!prepared.ok) return setError(prepared.error.message);
      setFileName(file.value.name);
      setDecisions(new Map());
      setUnitsConfirmed(false);
      setBundleSha(prepared.value.sha256);
      if (prepared.value.kind === 'present') setPresent(prepared.value.record);
      else if (prepared.value.plan.snapshots?.conflict) return setError(prepared.value.plan.snapshots.conflict.message);
      else setPlan(prepared.value.plan);
    } finally {
      if (preparing.current === abort) preparing.current = null;
      setBusy(false);
    }
  };

  const conflicts = useMemo(() => (plan ? plan.keys.filter((k) => k.outcome === 'conflict') : []), [plan]);
  const tally = useMemo(() => tallyConflicts(conflicts, decisions), [conflicts, decisions]);
  const onDecide = useCallback((id: string, d: Decision) => setDecisions((prev) => new Map(prev).set(id, d)), []);
  const onBulk = useCallback((keys: KeyPlan[], take: 'mine' | 'theirs') => setDecisions((prev) => decideAll(prev, keys, take)), []);
  const unitKeys = (unit: string) => conflicts.filter((k) => k.unitCode === unit);
  const nothing = plan && plan.counts.total.new + plan.counts.total.updated + plan.counts.total.conflicts === 0 && plan.logEntries.length === 0 && plan.evidence.length === 0 && !plan.snapshots?.newSnapshots.length && !plan.snapshots?.newPeriods.length && !plan.snapshots?.updatedPeriods.length && !roundPlanWrites(plan.rounds);
  const unitsPending = !!plan && plan.units.length > 0 && !unitsConfirmed;

  const apply = async () => {
    if (!plan) return;
    setBusy(true);
    setProgress({ done: 0, total: 0 });
    try {
      const r = await applyImport(db, plan, toDecisions(conflicts, decisions), { author: currentAuthor(), fileName, bundleSha256: bundleSha }, { onProgress: setProgress });
      if (!r.ok) return setError(r.error.message);
      setError(null);
      void message.success(t('bundles.applied', { annotations: r.value.written.annotations, logs: r.value.written.logEntries, evidence: r.value.written.evidence }));
      setPlan(null);
    } finally {
      setProgress(null);
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('bundles.importTitle')} className="bundle-card">
      <Typography.Paragraph type="secondary">{t('bundles.importHint')}</Typography.Paragraph>
      <Button icon={<UploadOutlined />} onClick={() => void choose()} disabled={busy}>
        {t('bundles.import')}
      </Button>
      {busy && !progress && (
        <Space className="bundle-busy">
          <Spin description={t('bundles.verifying')} />
          <Button onClick={() => preparing.current?.abort()} disabled={!preparing.current}>{t('bundles.cancelPreview')}</Button>
        </Space>
      )}
      {error && (
        <Alert className="bundle-error" type="error" showIcon role="alert" title={t('bundles.failed', { message: error })} description={t('bundles.zeroRows')} />
      )}
      {present && (
        <div className="import-present">
          <Alert type="info" showIcon title={t('bundles.nothingNew')} description={t('bundleImport.alreadyImported', { time: when(present.at), file: present.fileName })} />
          <Space className="import-actions">
            <Button type="primary" disabled>
              {t('bundles.apply')}
            </Button>
            <Button onClick={() => setPresent(null)}>{t('bundles.cancel')}</Button>
          </Space>
        </div>
      )}
      {plan && (
        <div className="import-preview" aria-label={t('bundles.preview')}>
          <Typography.Title level={5}>{t('bundles.preview')}</Typography.Title>
          <Typography.Paragraph>
            {t('bundles.from', { name: plan.manifest.author.name, unit: unitName(plan.manifest.author.unitCode), time: when(plan.manifest.createdAt) })}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="unit"
            pagination={false}
            className="import-counts"
            dataSource={Object.entries(plan.counts.byUnit).map(([unit, c]) => ({ unit, ...c }))}
            columns={[
              { title: t('bundles.unit'), dataIndex: 'unit', render: (u: string) => unitName(u) },
              { title: t('bundles.new'), dataIndex: 'new' },
              { title: t('bundles.updated'), dataIndex: 'updated' },
              { title: t('bundles.unchanged'), dataIndex: 'unchanged' },
              {
                title: t('bundles.conflictFields'),
                dataIndex: 'unit',
                key: 'conflicts',
                render: (u: string) => {
                  const c = tally.byUnit.get(u);
                  if (!c) return 0;
                  return (
                    <Space size={4} wrap className="unit-conflicts" data-unit={u}>
                      <Tag color={c.left ? 'orange' : 'green'}>{c.fields}</Tag>
                      <Typography.Text type="secondary">{t('bundles.unitConflictTasks', { count: c.tasks, left: c.left })}</Typography.Text>
                      <Button size="small" disabled={busy} aria-label={t('bundles.unitKeepMine', { unit: unitName(u) })} onClick={() => onBulk(unitKeys(u), 'mine')}>{t('bundles.allKeepMine')}</Button>
                      <Button size="small" disabled={busy} aria-label={t('bundles.unitTakeTheirs', { unit: unitName(u) })} onClick={() => onBulk(unitKeys(u), 'theirs')}>{t('bundles.allTakeTheirs')}</Button>
                    </Space>
                  );
                },
              },
            ]}
          />
          <Typography.Paragraph type="secondary" className="import-rows">
            {t('bundles.logEntries', { ...plan.counts.logEntries })} · {t('bundles.evidence', { ...plan.counts.evidence, files: plan.counts.attachments })}
          </Typography.Paragraph>
          {!!plan.snapshots && plan.snapshots.newSnapshots.length + plan.snapshots.sameSnapshots > 0 && (
            <Typography.Paragraph type="secondary" className="import-snapshots">{t('periods.importSnapshots', { new: plan.snapshots.newSnapshots.length, same: plan.snapshots.sameSnapshots })}</Typography.Paragraph>
          )}
          <PeriodImportNote plan={plan.snapshots} />
          {nothing && <Alert type="info" title={t('bundles.nothingNew')} />}
          {plan.units.length > 0 && (
            <Alert
              className="import-new-units"
              type="warning"
              showIcon
              title={t('bundles.newUnits', { count: plan.units.length })}
              description={
                <>
                  <div>{plan.units.map((u) => `${u.name}（${u.code}）`).join('、')}</div>
                  <Checkbox checked={unitsConfirmed} onChange={(e) => setUnitsConfirmed(e.target.checked)}>
                    {t('bundles.confirmUnits')}
                  </Checkbox>
                </>
              }
            />
          )}
          {conflicts.length > 0 && (
            <div className="conflicts">
              <Typography.Title level={5} className="conflicts-title">{t('bundles.resolveTitle', { count: tally.fields, tasks: tally.tasks })}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('bundles.resolveHint')}</Typography.Paragraph>
              <Space className="conflicts-bulk" wrap>
                <Button disabled={busy} onClick={() => onBulk(conflicts, 'mine')}>{t('bundles.allKeepMine')}</Button>
                <Button disabled={busy} onClick={() => onBulk(conflicts, 'theirs')}>{t('bundles.allTakeTheirs')}</Button>
                <Typography.Text type="secondary">{t('bundles.bulkHint')}</Typography.Text>
              </Space>
              <ConflictList keys={conflicts} decisions={decisions} unitName={unitName} onDecide={onDecide} onBulk={onBulk} />
            </div>
          )}
          <Space className="import-actions" wrap>
            <Button type="primary" onClick={() => void apply()} disabled={busy || !!nothing || tally.left > 0 || unitsPending}>
              {t('bundles.apply')}
            </Button>
            <Button onClick={() => setPlan(null)} disabled={busy}>{t('bundles.cancel')}</Button>
            {tally.left > 0 && <Typography.Text type="warning" className="decisions-left">{t('bundles.decisionsLeft', { count: tally.left })}</Typography.Text>}
            {tally.left === 0 && unitsPending && <Typography.Text type="warning" className="decisions-left">{t('bundles.confirmUnitsFirst')}</Typography.Text>}
          </Space>
          {progress && (
            <div className="import-progress" role="status">
              <Progress percent={progress.total ? Math.floor((progress.done / progress.total) * 100) : 0} size="small" />
              <Typography.Text type="secondary">{t('bundles.writing', { done: progress.done, total: progress.total })}</Typography.Text>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

function ImportHistory({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const imports = useLiveQuery(() => listImports(db), []) ?? [];
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  return (
    <Card size="small" title={t('bundles.historyTitle')} className="bundle-card">
      <Table<ImportRecord>
        size="small"
        rowKey="id"
        className="import-history"
        pagination={imports.length > 10 ? { pageSize: 10 } : false}
        dataSource={imports}
        locale={{ emptyText: t('bundles.noImports') }}
        columns={[
          { title: t('bundles.time'), dataIndex: 'at', width: 170, render: when },
          { title: t('bundles.file'), dataIndex: 'fileName' },
          { title: t('bundles.author'), render: (_, r) => `${r.author.name}（${unitName(r.author.unitCode)}）` },
          { title: t('bundles.summary'), render: (_, r) => t('bundles.summaryText', { ...r.summary }) },
          {
            title: '',
            width: 160,
            render: (_, r) =>
              r.undoneAt ? (
                <Typography.Text type="secondary">{t('bundles.undoneAt', { time: when(r.undoneAt) })}</Typography.Text>
              ) : (
                <Popconfirm title={t('bundles.undoConfirm')} okText={t('common.ok')} cancelText={t('common.cancel')}
                  onConfirm={async () => {
                    // Typing not yet saved counts as an edit since the import (undo then refuses).
                    await settlePendingEdits();
                    const u = await undoImport(db, r.id, currentAuthor());
                    if (!u.ok) return void message.error(u.error.message);
                    onDone();
                    void message.success(t('bundles.undone'));
                  }}>
                  <Button size="small">{t('bundles.undo')}</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}

/** 批注包: export, import with preview and conflict review, the import history with undo. */
export function BundlesView({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const profile = useSessionStore((s) => s.profile);
  // The last import's failure; a later action that succeeds (an export, an import, an undo) clears it.
  const [error, setError] = useState<string | null>(null);
  const clearError = useCallback(() => setError(null), []);
  return (
    <div className="bundles-view">
      <Typography.Title level={4}>{t('bundles.nav')}</Typography.Title>
      <Descriptions size="small" column={1} className="bundle-corpus">
        <Descriptions.Item label={t('bundles.corpusVersion')}>{corpus.meta.docNumber} · {corpus.hash.slice(0, 12)}</Descriptions.Item>
        <Descriptions.Item label={t('profile.name')}>{profile?.name}</Descriptions.Item>
      </Descriptions>
      <ExportCard corpus={corpus} onDone={clearError} />
      <ImportCard corpus={corpus} error={error} setError={setError} />
      <ImportHistory onDone={clearError} />
    </div>
  );
}
