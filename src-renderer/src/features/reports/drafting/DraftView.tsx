import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Collapse, Form, Input, Space, Typography } from 'antd';
import { ArrowLeftOutlined, ExportOutlined, FileWordOutlined, ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import type { Editor } from '@tiptap/react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Corpus } from '../../../../../src-main/shared/corpus/types';
import { isIsoDate } from '../../../../../src-main/shared/domain';
import type { DraftSection, GongwenForm, ReportDraft } from '../../../../../src-main/shared/report/draft';
import { draftFile } from '../../../../../src-main/shared/report/draftSchema';
import { buildReportModel } from '../../../../../src-main/shared/report/model';
import { toCnNumeral } from '../../../../../src-main/shared/cnNumeral';
import type { RichDoc } from '../../../../../src-main/shared/richtext';
import { invoke } from '../../../api/client';
import { db } from '../../../db/db';
import { readDraft } from '../../../db/drafts';
import { onDataChange, settlePendingEdits } from '../../../db/mutate';
import { readReportRows } from '../../../db/repo';
import { useSessionStore } from '../../../store/sessionStore';
import { RichTextEditor } from '../../richtext/RichTextEditor';
import { clearFigureChanges, markFigureChanges, type DraftNodeLabels } from '../../richtext/draftNodes';
import { reportMonthly } from '../../dashboard/reportMonthly';
import { authorChanged, draftInput, quoteNode, refreshSections, regeneratedSection, type Material } from './draftLogic';
import { changeDraft, closeDraftSession, discardDraft, flushDraft, journaledDraft, openDraftSession, setDraftComposing, type DraftSaveState } from './draftEdits';
import { MaterialsPane } from './MaterialsPane';
import { GongwenFormFields } from '../GongwenFormFields';

/**
 * The drafting screen (报告起草) of one draft: its 公文 fields, its sections in the rich-text editor
 * with live figures as chips, 刷新数字 (and a refresh whenever the data changes), 重新生成 per
 * section (asking first when the author has written there), the 素材 pane, autosave, and export
 * to Word (figures refreshed and frozen) or to a draft file the command line renders.
 */
export function DraftView({ id, corpus, onClose }: { id: string; corpus: Corpus; onClose(): void }) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const units = useSessionStore((s) => s.units);
  const rows = useLiveQuery(() => readReportRows(db), []);
  const [draft, setDraftState] = useState<ReportDraft | null | undefined>(undefined);
  const draftRef = useRef<ReportDraft | null>(null);
  const [docKeys, setDocKeys] = useState<Record<string, number>>({});
  /** Bumped when the stored draft replaced the screen's (a restore): every editor takes it. */
  const [generation, setGeneration] = useState(0);
  const [saveState, setSaveState] = useState<{ state: DraftSaveState; message: string | null }>({ state: 'saved', message: null });
  const [busy, setBusy] = useState(false);
  const editors = useRef(new Map<string, Editor>());
  const lastFocused = useRef<DraftSection['key'] | null>(null);

  // Open: the stored draft (or what the journal kept of a window closed mid-edit), a new session.
  useEffect(() => {
    let live = true;
    // The screen already shows what a save stored (it sent it), so only the state is taken.
    openDraftSession(id, (state, msg) => setSaveState({ state, message: msg }));
    void readDraft(db, id).then((stored) => {
      if (!live) return;
      const journaled = stored ? journaledDraft(id, stored.updatedAt) : null;
      const d = journaled ?? stored ?? null;
      draftRef.current = d;
      setDraftState(d);
      if (journaled) changeDraft(journaled);
    });
    return () => {
      live = false;
      clearFigureChanges();
      void closeDraftSession(id);
    };
  }, [id]);

  // A restored backup (or its undo) replaced the drafts: show the stored one, or that it is gone.
  useEffect(
    () =>
      onDataChange(async (c) => {
        if (c.kind !== 'restore') return;
        discardDraft(id);
        const stored = (await readDraft(db, id)) ?? null;
        draftRef.current = stored;
        setDraftState(stored);
        setGeneration((g) => g + 1);
      }),
    [id],
  );

  /** Every change of the draft goes through here: the screen and the autosave. */
  const update = useCallback((fn: (d: ReportDraft) => ReportDraft) => {
    const cur = draftRef.current;
    if (!cur) return;
    const next = fn(cur);
    draftRef.current = next;
    setDraftState(next);
    changeDraft(next);
  }, []);
  const resetEditors = (keys: Iterable<string>) =>
    setDocKeys((k) => {
      const out = { ...k };
      for (const key of keys) out[key] = (out[key] ?? 0) + 1;
      return out;
    });

  // The model of the figures: the draft's kind, scope and dates over the live data — not its text,
  // so typing does not rebuild it.
  const d = draft;
  const modelKey = d ? JSON.stringify([d.kind, d.scope, d.asOf, d.title, d.issuer, d.signDate]) : '';
  const model = useMemo(() => {
    const cur = draftRef.current;
    if (!cur || !rows || !isIsoDate(cur.asOf) || !isIsoDate(cur.signDate)) return null;
    const r = buildReportModel({ ...draftInput(cur, units, rows), draft: undefined, corpus });
    return r.ok ? r.value : null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [modelKey, rows, units, corpus]);

  const refresh = useCallback(
    (announce: 'manual' | 'auto') => {
      const cur = draftRef.current;
      if (!cur || !model) return;
      const r = refreshSections(cur.sections, model);
      if (r.changed.size === 0) {
        if (announce === 'manual') void message.info(t('drafting.upToDate'));
        return;
      }
      markFigureChanges(r.changed);
      update((x) => ({ ...x, sections: r.sections }));
      resetEditors(r.sectionKeys);
      void message.info(t(announce === 'manual' ? 'drafting.refreshed' : 'drafting.autoRefreshed', { count: r.changed.size }));
    },
    [model, update, message, t],
  );
  // Whenever the data (or the draft's scope or date) changes, the figures follow.
  useEffect(() => {
    if (draft) refresh('auto');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, draft === null || draft === undefined]);

  const labels: DraftNodeLabels = useMemo(
    () => ({
      figureTitle: (key, was) => (was === undefined ? t('drafting.figureTitle', { key }) : t('drafting.figureWas', { key, was })),
      blockLabel: (block) => t(`drafting.blocks.${block}`, { defaultValue: block }),
    }),
    [t],
  );

  if (draft === undefined) return null;
  if (draft === null) {
    return (
      <Alert type="warning" showIcon title={t('drafting.missing')} action={<Button onClick={onClose}>{t('drafting.back')}</Button>} />
    );
  }

  const titleOf = (s: DraftSection) => (s.key === 'lead' ? t('drafting.lead') : s.title);
  const numbered = (() => {
    let n = 0;
    return new Map(draft.sections.map((s) => [s.key, s.key === 'lead' ? t('drafting.lead') : `${toCnNumeral(++n)}、${s.title}`]));
  })();

  const regenerate = (s: DraftSection) => {
    if (!model) return;
    const fresh = regeneratedSection(model, s.key);
    if (!fresh) return void message.warning(t('drafting.noGenerated'));
    const replace = () => {
      update((x) => ({ ...x, sections: x.sections.map((y) => (y.key === s.key ? { ...y, doc: fresh.doc, generated: fresh.generated } : y)) }));
      resetEditors([s.key]);
      void message.success(t('drafting.regenerated', { title: titleOf(s) }));
    };
    const current = draftRef.current?.sections.find((y) => y.key === s.key) ?? s;
    if (!authorChanged(current)) return replace();
    modal.confirm({
      title: t('drafting.regenerateTitle', { title: titleOf(s) }),
      content: t('drafting.regenerateContent'),
      okText: t('drafting.regenerateOk'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: replace,
    });
  };

  const insertQuote = (m: Material) => {
    const cur = draftRef.current;
    if (!cur) return;
    const key = lastFocused.current ?? cur.sections.find((s) => s.key !== 'lead')?.key ?? cur.sections[0]?.key;
    const editor = key ? editors.current.get(key) : undefined;
    if (!editor || !key) return;
    editor.chain().focus().insertContent(quoteNode(m)).run();
    void message.success(t('drafting.inserted', { title: numbered.get(key) ?? key }));
  };

  const setForm = (patch: Partial<GongwenForm>) => update((x) => ({ ...x, form: { ...x.form, ...patch } }));
  const dateError = (v: string) => (isIsoDate(v) ? null : t('drafting.dateInvalid'));

  const exportDocx = async () => {
    if (!rows || !model) return;
    setBusy(true);
    try {
      await flushDraft(id);
      await settlePendingEdits();
      const cur = draftRef.current!;
      // Frozen at export: the file prints the figures as the data gives them now.
      const frozen = { ...cur, sections: refreshSections(cur.sections, model).sections };
      const input = draftInput(frozen, units, rows);
      const monthly = await reportMonthly(corpus, input);
      const name = `${cur.title.replace(/[\\/:*?"<>|]/g, '_') || 'report'}.docx`;
      const r = await invoke('report:export', { input: monthly ? { ...input, monthly } : input, format: 'docx', defaultName: name });
      if (!r.ok) return void message.error(r.error.message);
      if (!r.value.canceled) void message.success(t('reports.saved', { path: r.value.path }));
    } finally {
      setBusy(false);
    }
  };

  const exportJson = async () => {
    setBusy(true);
    try {
      await flushDraft(id);
      const cur = draftRef.current!;
      const info = await invoke('app:info');
      const file = draftFile(cur, { appVersion: info.ok ? info.value.version : 'unknown', corpusHash: corpus.hash, exportedAt: new Date().toISOString() });
      const bytes = new TextEncoder().encode(JSON.stringify(file, null, 2) + '\n');
      const name = `${cur.title.replace(/[\\/:*?"<>|]/g, '_') || 'draft'}.json`;
      const r = await invoke('file:save', { title: t('drafting.exportJson'), defaultName: name, bytes });
      if (!r.ok) return void message.error(r.error.message);
      if (!r.value.canceled) void message.success(t('drafting.exportedJson', { path: r.value.path }));
    } finally {
      setBusy(false);
    }
  };

  const stateText =
    saveState.state === 'error' ? t('drafting.state.error', { message: saveState.message ?? '' }) : t(`drafting.state.${saveState.state}`);
  return (
    <div className="drafting" data-testid="drafting">
      <div className="drafting-bar">
        <Button icon={<ArrowLeftOutlined />} onClick={onClose}>{t('drafting.back')}</Button>
        <Typography.Title level={4} className="drafting-title">{draft.title}</Typography.Title>
        <Typography.Text type={saveState.state === 'error' ? 'danger' : 'secondary'} role="status" className="drafting-state">{stateText}</Typography.Text>
        <Space wrap>
          <Button icon={<SyncOutlined />} disabled={!model} onClick={() => refresh('manual')}>{t('drafting.refresh')}</Button>
          <Button type="primary" icon={<FileWordOutlined />} disabled={!model || busy} onClick={() => void exportDocx()}>{t('drafting.exportDocx')}</Button>
          <Button icon={<ExportOutlined />} disabled={busy} onClick={() => void exportJson()}>{t('drafting.exportJson')}</Button>
        </Space>
      </div>
      <div className="drafting-columns">
        <div className="drafting-main">
          {/* The 公文 elements fold away: most of the time the author is writing the body. */}
          <Collapse size="small" className="drafting-form" items={[{ key: 'form', label: t('drafting.formTitle'), forceRender: true, children: (
            <Form layout="vertical" component="div">
              <Form.Item label={t('drafting.docTitle')} htmlFor="draft-title">
                <Input id="draft-title" value={draft.title} onChange={(e) => update((x) => ({ ...x, title: e.target.value }))} />
              </Form.Item>
              <Space wrap align="start">
                <Form.Item label={t('drafting.issuer')} htmlFor="draft-issuer">
                  <Input id="draft-issuer" style={{ width: 240 }} value={draft.issuer} onChange={(e) => update((x) => ({ ...x, issuer: e.target.value }))} />
                </Form.Item>
                <Form.Item label={t('drafting.asOf')} htmlFor="draft-asof" validateStatus={dateError(draft.asOf) ? 'error' : undefined} help={dateError(draft.asOf)}>
                  <Input id="draft-asof" style={{ width: 130 }} value={draft.asOf} onChange={(e) => update((x) => ({ ...x, asOf: e.target.value.trim() }))} />
                </Form.Item>
                <Form.Item label={t('drafting.signDate')} htmlFor="draft-signdate" validateStatus={dateError(draft.signDate) ? 'error' : undefined} help={dateError(draft.signDate)}>
                  <Input id="draft-signdate" style={{ width: 130 }} value={draft.signDate} onChange={(e) => update((x) => ({ ...x, signDate: e.target.value.trim() }))} />
                </Form.Item>
              </Space>
              <GongwenFormFields form={draft.form} onChange={setForm} idPrefix="draft" issuer={draft.issuer} />
            </Form>
          ) }]} />
          <Typography.Title level={5} className="drafting-body-title">{t('drafting.body')}</Typography.Title>
          {draft.sections.map((s) => (
            <section key={s.key} className="drafting-section" aria-label={numbered.get(s.key)}>
              <div className="drafting-section-head">
                <Typography.Text strong>{numbered.get(s.key)}</Typography.Text>
                <Button size="small" icon={<ReloadOutlined />} disabled={!model} onClick={() => regenerate(s)}>{t('drafting.regenerate')}</Button>
              </div>
              <RichTextEditor
                value={s.doc}
                docKey={`${id}:${generation}:${s.key}:${docKeys[s.key] ?? 0}`}
                ariaLabel={t('drafting.sectionLabel', { title: numbered.get(s.key) })}
                minHeight={s.key === 'lead' ? 60 : 120}
                draft={labels}
                onEditor={(ed) => (ed ? editors.current.set(s.key, ed) : editors.current.delete(s.key))}
                onFocus={() => (lastFocused.current = s.key)}
                onChange={(doc: RichDoc) => update((x) => ({ ...x, sections: x.sections.map((y) => (y.key === s.key ? { ...y, doc } : y)) }))}
                onBlur={() => void flushDraft(id)}
                onComposingChange={(c) => setDraftComposing(id, c)}
              />
            </section>
          ))}
        </div>
        <MaterialsPane draft={draft} rows={rows} corpus={corpus} units={units} onInsert={insertQuote} />
      </div>
    </div>
  );
}
