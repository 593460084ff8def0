import { useMemo, useState } from 'react';
import { Alert, App as AntApp, AutoComplete, Button, Card, Checkbox, Descriptions, Input, Popconfirm, Radio, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { AnnotationFields, FieldName } from '../../../../src-main/shared/domain';
import { chinaToday } from '../../../../src-main/shared/time';
import { docFromText } from '../../../../src-main/shared/richtext';
import type { Decision, Decisions, FieldConflict, KeyPlan } from '../../../../src-main/shared/bundle/merge';
import type { ExportScope } from '../../../../src-main/shared/bundle/write';
import { invoke } from '../../api/client';
import { db, type ImportRecord } from '../../db/db';
import { when } from '../../i18n/time';
import { displayValue } from '../../db/repo';
import { currentAuthor, useSessionStore } from '../../store/sessionStore';
import { settlePendingEdits } from '../../db/mutate';
import { applyImport, buildExport, lastExportTo, listImports, listRecipients, prepareImport, recordExport, undoImport, type PreviewPlan } from './bundleService';
import { verifyBundle } from './verifyClient';
import { PeriodImportNote } from '../periods/PeriodImportNote';
import { roundPlanWrites } from '../../../../src-main/shared/rounds/importPlan';

/** Largest bundle file main will read. */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;
const BUNDLE_FILTERS = [{ name: '批注包', extensions: ['pilotbundle'] }];
/** Fields whose conflict can be resolved with an edited text. */
const EDITABLE: FieldName[] = ['results', 'problems', 'nextSteps', 'progressNotes'];


function ExportCard({ corpus }: { corpus: Corpus }) {
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

function valueText(field: FieldName, fields: Partial<AnnotationFields>): string {
  return displayValue(field, fields as AnnotationFields);
}

function ConflictRow({ k, c, decision, onDecide }: { k: KeyPlan; c: FieldConflict; decision: Decision | undefined; onDecide(d: Decision): void }) {
  const { t } = useTranslation();
  const units = useSessionStore((s) => s.units);
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const mode = !decision ? undefined : 'take' in decision ? decision.take : 'edit';
  const side = (label: string, value: unknown, by: FieldConflict['mineBy']) => (
    <div className="conflict-side">
      <Typography.Text type="secondary">
        {label} · {t('bundles.by', { name: by.author.name, unit: unitName(by.unitCode), time: when(by.at) })}
      </Typography.Text>
      <div className="conflict-value">{valueText(c.field, { [c.field]: value } as Partial<AnnotationFields>) || t('common.none')}</div>
    </div>
  );
  return (
    <div className="conflict-row" data-conflict={`${k.key}:${c.field}`}>
      <Typography.Text strong>
        {k.taskId} · {unitName(k.unitCode)} · {t(`fields.${c.field}`)}
      </Typography.Text>
      <div className="conflict-sides">
        {side(t('bundles.mine'), c.mine, c.mineBy)}
        {side(t('bundles.theirs'), c.theirs, c.theirsBy)}
      </div>
      <Radio.Group
        value={mode}
        aria-label={`${k.taskId} ${t(`fields.${c.field}`)}`}
        onChange={(e) => {
          const v = e.target.value as 'mine' | 'theirs' | 'edit';
          if (v === 'edit') {
            const start = valueText(c.field, { [c.field]: c.theirs } as Partial<AnnotationFields>);
            onDecide({ value: c.field === 'progressNotes' ? docFromText(start) : start });
          } else onDecide({ take: v });
        }}
        options={[
          { value: 'mine', label: t('bundles.keepMine') },
          { value: 'theirs', label: t('bundles.takeTheirs') },
          ...(EDITABLE.includes(c.field) ? [{ value: 'edit', label: t('bundles.editValue') }] : []),
        ]}
      />
      {mode === 'edit' && decision && 'value' in decision && (
        <Input.TextArea
          aria-label={`${t('bundles.editValue')} ${t(`fields.${c.field}`)}`}
          autoSize={{ minRows: 2, maxRows: 8 }}
          defaultValue={valueText(c.field, { [c.field]: decision.value } as Partial<AnnotationFields>)}
          onChange={(e) => onDecide({ value: c.field === 'progressNotes' ? docFromText(e.target.value) : e.target.value })}
        />
      )}
    </div>
  );
}

function ImportCard({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [plan, setPlan] = useState<PreviewPlan | null>(null);
  const [present, setPresent] = useState<ImportRecord | null>(null);
  const [bundleSha, setBundleSha] = useState('');
  const [fileName, setFileName] = useState('');
  const [decisions, setDecisions] = useState<Decisions>({});
  // A bundle that brings units not here asks before adding them (a look-alike unit collects another's work).
  const [unitsConfirmed, setUnitsConfirmed] = useState(false);
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;

  const choose = async () => {
    setError(null);
    setPlan(null);
    setPresent(null);
    const file = await invoke('file:open', { title: t('bundles.importTitle'), filters: BUNDLE_FILTERS, maxBytes: MAX_BUNDLE_BYTES, kind: 'bundle' });
    if (!file.ok) return setError(file.error.message);
    if (!file.value) return;
    setBusy(true);
    try {
      const prepared = await prepareImport(
        db,
        file.value.bytes,
        (bytes) => verifyBundle(bytes, corpus),
        settlePendingEdits,
      );
      if (!prepared.ok) return setError(prepared.error.message);
      setFileName(file.value.name);
      setDecisions({});
      setUnitsConfirmed(false);
      setBundleSha(prepared.value.sha256);
      if (prepared.value.kind === 'present') setPresent(prepared.value.record);
      else if (prepared.value.plan.snapshots?.conflict) return setError(prepared.value.plan.snapshots.conflict.message);
      else setPlan(prepared.value.plan);
    } finally {
      setBusy(false);
    }
  };

  const conflicts = useMemo(() => (plan ? plan.keys.filter((k) => k.outcome === 'conflict') : []), [plan]);
  const conflictCount = conflicts.reduce((n, k) => n + k.conflicts.length, 0);
  const decided = conflicts.reduce((n, k) => n + k.conflicts.filter((c) => decisions[k.key]?.[c.field]).length, 0);
  const nothing = plan && plan.counts.total.new + plan.counts.total.updated + plan.counts.total.conflicts === 0 && plan.logEntries.length === 0 && plan.evidence.length === 0 && !plan.snapshots?.newSnapshots.length && !plan.snapshots?.newPeriods.length && !plan.snapshots?.updatedPeriods.length && !roundPlanWrites(plan.rounds);

  const apply = async () => {
    if (!plan) return;
    setBusy(true);
    try {
      const r = await applyImport(db, plan, decisions, { author: currentAuthor(), fileName, bundleSha256: bundleSha });
      if (!r.ok) return setError(r.error.message);
      void message.success(t('bundles.applied', { annotations: r.value.written.annotations, logs: r.value.written.logEntries, evidence: r.value.written.evidence }));
      setPlan(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('bundles.importTitle')} className="bundle-card">
      <Typography.Paragraph type="secondary">{t('bundles.importHint')}</Typography.Paragraph>
      <Button icon={<UploadOutlined />} onClick={() => void choose()} disabled={busy}>
        {t('bundles.import')}
      </Button>
      {busy && <Spin className="bundle-busy" description={t('bundles.verifying')} />}
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
              { title: t('bundles.conflicts'), dataIndex: 'conflicts', render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
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
              <Typography.Title level={5}>{t('bundles.resolveTitle', { count: conflictCount })}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('bundles.resolveHint')}</Typography.Paragraph>
              {conflicts.map((k) =>
                k.conflicts.map((c) => (
                  <ConflictRow key={`${k.key}:${c.field}`} k={k} c={c} decision={decisions[k.key]?.[c.field]}
                    onDecide={(d) => setDecisions((prev) => ({ ...prev, [k.key]: { ...prev[k.key], [c.field]: d } }))} />
                )),
              )}
            </div>
          )}
          <Space className="import-actions">
            <Button type="primary" onClick={() => void apply()} disabled={busy || !!nothing || decided < conflictCount || (plan.units.length > 0 && !unitsConfirmed)}>
              {t('bundles.apply')}
            </Button>
            <Button onClick={() => setPlan(null)}>{t('bundles.cancel')}</Button>
          </Space>
        </div>
      )}
    </Card>
  );
}

function ImportHistory() {
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
  return (
    <div className="bundles-view">
      <Typography.Title level={4}>{t('bundles.nav')}</Typography.Title>
      <Descriptions size="small" column={1} className="bundle-corpus">
        <Descriptions.Item label={t('bundles.corpusVersion')}>{corpus.meta.docNumber} · {corpus.hash.slice(0, 12)}</Descriptions.Item>
        <Descriptions.Item label={t('profile.name')}>{profile?.name}</Descriptions.Item>
      </Descriptions>
      <ExportCard corpus={corpus} />
      <ImportCard corpus={corpus} />
      <ImportHistory />
    </div>
  );
}
