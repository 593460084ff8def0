import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, ConfigProvider, Input, Layout, Result, Segmented, Select, Spin, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../src-main/shared/time';
import type { Corpus } from '../../../src-main/shared/corpus/types';
import { loadCorpusOnce, useCorpusStore } from '../store/corpusStore';
import { useUiStore, type View } from '../store/uiStore';
import { startSession, useSessionStore } from '../store/sessionStore';
import { useSearchStore } from '../store/searchStore';
import { applyFilters } from '../db/filters';
import { searchAll } from '../db/search';
import { TaskTree, type TaskHitInfo } from '../features/tasks/TaskTree';
import { preloadAnnotationPanel, TaskView } from '../features/tasks/TaskView';
import { FilterBar } from '../features/tasks/FilterBar';
import { useUnitData } from '../features/tasks/useUnitData';
import { firstShownTask, focusedFormField, focusInTaskList, focusTaskRow, isComposing, isTypingTarget } from '../features/tasks/keyboard';
import { ShortcutButton, ShortcutSheet } from '../features/shortcuts/ShortcutSheet';
import { ProfileSetup } from '../features/profile/ProfileSetup';
import { BACKUP_START_DELAY_MS, useBackupScheduler } from '../features/backups/useBackupScheduler';
import { QuitHandshake } from '../features/backups/quitHandshake';
import { ErrorBoundary } from './ErrorBoundary';
const DashboardView = lazy(() => import('../features/dashboard/DashboardView'));
const PeriodsView = lazy(() => import('../features/periods/PeriodsView'));
const RoundsView = lazy(() => import('../features/rounds/RoundsView'));
const CasesView = lazy(() => import('../features/cases/CasesView'));
const MonthlyGrid = lazy(() => import('../features/monthly/MonthlyGrid'));
import { installFlushOnHide, recoverDrafts } from '../features/annotation/annotationStore';
import { refreshUnsaved } from '../features/annotation/unsavedEdits';
import { settlePendingEdits } from '../db/mutate';
import { db } from '../db/db';

// Views other than the task list load when first opened, so the first chunk stays small (issue #8).
const PlanReader = lazy(() => import('../features/reader/PlanReader').then((m) => ({ default: m.PlanReader })));
const SettingsView = lazy(() => import('../features/settings/SettingsView').then((m) => ({ default: m.SettingsView })));
const BundlesView = lazy(() => import('../features/bundles/BundlesView').then((m) => ({ default: m.BundlesView })));
const MatrixView = lazy(() => import('../features/matrix/MatrixView').then((m) => ({ default: m.MatrixView })));
const ReportBuilder = lazy(() => import('../features/reports/ReportBuilder').then((m) => ({ default: m.ReportBuilder })));
const BackupsView = lazy(() => import('../features/backups/BackupsView').then((m) => ({ default: m.BackupsView })));

/**
 * zeroRuntime: antd's component styles come from its prebuilt stylesheet (imported in main.tsx, before
 * app.css) instead of being generated in JavaScript as each component first mounts — about a fifth of
 * the first render's main-thread time (issue #8). The theme still applies: that stylesheet reads CSS
 * variables, which ConfigProvider sets from these tokens.
 */
const THEME = { zeroRuntime: true, token: { colorPrimary: '#b4232a', borderRadius: 4 } } as const;

/** How long the start-up spinner waits before it explains that a long wait is expected. */
export const SLOW_START_MS = 3000;

/**
 * The start-up spinner. Opening a city's database the first time after a schema upgrade re-indexes
 * it (tens of seconds at city scale, once); after a few seconds the spinner says so, so nobody
 * closes the window thinking the app hangs.
 */
export function StartupLoading() {
  const { t } = useTranslation();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), SLOW_START_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="app-loading" role="status">
      <Spin description={t('app.loading')} />
      {slow && <Typography.Paragraph type="secondary" className="app-loading-slow">{t('app.loadingSlow')}</Typography.Paragraph>}
    </div>
  );
}

function ViewLoading() {
  return (
    <div className="app-loading">
      <Spin />
    </div>
  );
}

function CorpusErrorScreen({ message, detail, onRetry }: { message: string; detail?: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result status="error" title={t('corpusError.title')} subTitle={message} extra={<Button onClick={onRetry}>{t('corpusError.retry')}</Button>}>
      <Typography.Paragraph>{t('corpusError.hint')}</Typography.Paragraph>
      {detail && <Alert type="info" title={t('corpusError.detail')} description={<code>{detail}</code>} />}
    </Result>
  );
}

function TasksPane({ corpus }: { corpus: Corpus }) {
  const { t } = useTranslation();
  const filters = useUiStore((s) => s.filters);
  const setQuery = useUiStore((s) => s.setQuery);
  const selectTask = useUiStore((s) => s.selectTask);
  const unitCode = useSessionStore((s) => s.unitCode);
  const index = useSearchStore((s) => s.index);
  const version = useSearchStore((s) => s.version);
  const indexing = useSearchStore((s) => s.building);
  const taskIds = useMemo(() => corpus.tasks.map((x) => x.id), [corpus.tasks]);
  const { annotationsByTask, evidenceCountByTask, returnedByTask, loaded } = useUnitData(unitCode, taskIds);
  const search = useRef<InputRef>(null);

  // The full search index is built once the list has painted with the unit's data (the frame
  // after this commit), or at once when a search is typed before that.
  useEffect(() => {
    if (!loaded) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        preloadAnnotationPanel();
        useSearchStore.getState().start();
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [loaded]);
  useEffect(() => {
    if (filters.query.trim()) useSearchStore.getState().start();
  }, [filters.query]);

  const hits = useMemo(
    () => (index && filters.query.trim() ? searchAll(index, filters.query, { unitCode }) : null),
    // `version` changes when the index changes in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [index, version, filters.query, unitCode],
  );
  const hitInfo = useMemo(() => {
    const m = new Map<string, TaskHitInfo>();
    for (const h of hits ?? []) if (h.field !== 'task' && !m.has(h.taskId)) m.set(h.taskId, { field: h.field, snippet: h.snippet });
    // A task whose own text matched shows that (highlighted in its label) instead.
    for (const h of hits ?? []) if (h.field === 'task') m.delete(h.taskId);
    return m;
  }, [hits]);
  const evidenceCountByKey = useMemo(() => {
    const m = new Map<string, number>();
    for (const [taskId, n] of evidenceCountByTask) m.set(`${taskId}|${unitCode}`, n);
    return m;
  }, [evidenceCountByTask, unitCode]);
  const tasks = useMemo(
    () => applyFilters(corpus.tasks, { annotationsByTask, evidenceCountByKey, hits }, { ...filters, unitCode }, chinaToday()),
    [corpus.tasks, annotationsByTask, evidenceCountByKey, hits, filters, unitCode],
  );

  // Enter in the search box before the search index has answered: the first result opens when it has.
  const [openFirstPending, setOpenFirstPending] = useState(false);
  const searching = filters.query.trim() !== '' && hits === null;
  useEffect(() => {
    if (!openFirstPending || searching) return;
    setOpenFirstPending(false);
    const first = firstShownTask();
    if (first) useUiStore.getState().editTask(first);
  }, [openFirstPending, searching, tasks]);

  /** ↓ moves from the search box into the results (the first one); Enter opens the first result. */
  const onSearchKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (isComposing(e.nativeEvent) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'ArrowDown') {
      const first = firstShownTask();
      if (!first) return;
      e.preventDefault();
      selectTask(first);
      focusTaskRow(first);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      setOpenFirstPending(true);
    }
  };

  useEffect(() => {
    /** The task before or after the selected one in the list as filtered. */
    const neighbour = (down: boolean) => {
      const current = useUiStore.getState().selectedTaskId;
      const i = tasks.findIndex((x) => x.id === current);
      return tasks[Math.min(Math.max(i + (down ? 1 : -1), 0), tasks.length - 1)];
    };
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        search.current?.focus();
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e)) return;
      const down = e.key === 'ArrowDown' || e.key === 'j';
      const up = e.key === 'ArrowUp' || e.key === 'k';
      if (!down && !up) return;
      e.preventDefault();
      const next = neighbour(down);
      if (!next) return;
      const inList = focusInTaskList();
      selectTask(next.id);
      // The keyboard moves with the selection, so that Enter opens the task it is on.
      if (inList) focusTaskRow(next.id);
      else document.querySelector(`[data-task-id="${next.id}"]`)?.scrollIntoView({ block: 'nearest' });
    };
    // Alt+↓ / Alt+↑: the next / previous task from anywhere, also from inside the form (a field keeps
    // the keyboard: the same field of the next task's form). Taken before the fields see it: a select
    // would open its list, the rich-text editor would join paragraphs. Leaving the task saves it first
    // (the annotation editor's open() flushes the autosave).
    const onAltArrow = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || isComposing(e)) return;
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      if ((e.target as HTMLElement | null)?.closest?.('[role="dialog"]')) return;
      e.preventDefault();
      e.stopPropagation();
      const next = neighbour(e.key === 'ArrowDown');
      if (!next || next.id === useUiStore.getState().selectedTaskId) return;
      const field = focusedFormField();
      const inList = focusInTaskList();
      if (field !== null) useUiStore.getState().editTask(next.id, field || undefined);
      else selectTask(next.id);
      if (inList) focusTaskRow(next.id);
      else document.querySelector(`[data-task-id="${next.id}"]`)?.scrollIntoView({ block: 'nearest' });
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keydown', onAltArrow, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keydown', onAltArrow, true);
    };
  }, [tasks, selectTask]);

  return (
    <Layout>
      <Layout.Sider width={440} theme="light" className="app-sider">
        <Input.Search
          ref={search}
          allowClear
          role="searchbox"
          aria-label={t('search.placeholder')}
          placeholder={t('search.placeholder')}
          value={filters.query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
        {indexing && filters.query.trim() && (
          <Typography.Text type="secondary" role="status" className="search-indexing" data-testid="search-indexing">
            {t('searchIndex.building')}
          </Typography.Text>
        )}
        <FilterBar />
        <TaskTree tasks={tasks} annotationsByTask={annotationsByTask} hits={hitInfo} returned={returnedByTask} />
      </Layout.Sider>
      <Layout.Content className="app-content">
        <TaskView />
      </Layout.Content>
    </Layout>
  );
}

function Workbench({ corpus }: { corpus: Corpus }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const view = useUiStore((s) => s.view);
  const setView = useUiStore((s) => s.setView);
  const session = useSessionStore();
  useBackupScheduler(corpus, { enabled: session.status === 'ready' && !!session.profile, startDelayMs: BACKUP_START_DELAY_MS });

  useEffect(() => {
    void (async () => {
      await startSession();
      const started = useSessionStore.getState();
      if (started.status === 'moving' && started.move) {
        // Data under the old file:// origin moves to app:// first (features/backups/originMove.ts).
        const { runOriginMove } = await import('../features/backups/originMove');
        const moved = await runOriginMove(db, corpus, started.move, started.profile);
        if (started.move === 'export' && moved.ok) return; // main now loads the app:// page
        if (!moved.ok) void message.error(moved.error.message, 10);
        // Imported (or a failed export, which leaves everything here): open as usual.
        if (moved.ok || started.move === 'export') await useSessionStore.getState().init({ afterMove: true });
        else return; // a failed import: main goes back to the page from files
      }
      if (useSessionStore.getState().status !== 'ready') return;
      // After the first frame: indexing the task text takes ~25 ms and its store update renders
      // again, which held back the first paint (issue #8). The rest is indexed once the task list
      // asks (TasksPane, also after its first paint; either may come first).
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      useSearchStore.getState().prepare(corpus);
      const recovered = await recoverDrafts();
      refreshUnsaved();
      if (recovered > 0) void message.info(t('annotation.recovered', { count: recovered }));
    })();
    return installFlushOnHide();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [corpus]);

  useEffect(() => {
    if (session.profile && session.profile.language !== i18n.language) void i18n.changeLanguage(session.profile.language);
    // Only when the profile is loaded or changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.profile]);

  if (session.status === 'loading') return <StartupLoading />;
  if (session.status === 'moving') {
    return (
      <div className="app-loading" role="status">
        <Spin />
        <Typography.Paragraph>{t('originMove.moving')}</Typography.Paragraph>
      </div>
    );
  }
  if (session.status === 'error') {
    return (
      <Result status="error" title={t('dbError.title')} subTitle={session.error?.message ?? ''} data-error-code={session.error?.code}>
        {session.error?.detail && <Alert type="info" title={t('corpusError.detail')} description={<code>{session.error.detail}</code>} />}
      </Result>
    );
  }
  const canSwitch = session.profile?.role === 'supervisor';
  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <div className="app-brand">
          <span className="app-title" title={t('app.title')}>{t('app.title')}</span>
          <span className="app-subtitle">{t('app.subtitle')} · {corpus.meta.docNumber}</span>
        </div>
        {canSwitch ? (
          <Select
            className="unit-switch"
            aria-label={t('units.current')}
            title={t('units.switchHint')}
            showSearch={{ optionFilterProp: 'label' }}
            value={session.unitCode ?? undefined}
            onChange={async (code: string) => {
              await settlePendingEdits();
              session.setUnit(code);
            }}
            options={session.units.filter((u) => u.active || u.code === session.unitCode).map((u) => ({ value: u.code, label: u.name }))}
          />
        ) : (
          <span className="unit-fixed" aria-label={t('units.current')}>
            {session.units.find((u) => u.code === session.unitCode)?.name ?? ''}
          </span>
        )}
        <Segmented<View>
          className="app-nav"
          value={view}
          onChange={async (v) => {
            await settlePendingEdits();
            setView(v);
          }}
          options={[
            { label: t('nav.tasks'), value: 'tasks' },
            { label: t('monthly.nav'), value: 'monthly' },
            { label: t('matrix.nav'), value: 'matrix' },
            { label: t('dashboard.nav'), value: 'dashboard' },
            { label: t('reports.nav'), value: 'reports' },
            { label: t('cases.nav'), value: 'cases' },
            { label: t('bundles.nav'), value: 'bundles' },
            { label: t('periods.nav'), value: 'periods' },
            { label: t('rounds.nav'), value: 'rounds' },
            { label: t('nav.reader'), value: 'reader' },
            { label: t('settings.title'), value: 'settings' },
          ]}
        />
        <Select
          aria-label={t('app.language')}
          size="small"
          value={i18n.language}
          onChange={(lng) => void i18n.changeLanguage(lng)}
          options={[
            { value: 'zh-CN', label: '简体中文' },
            { value: 'en', label: 'English' },
          ]}
          style={{ width: 110 }}
          popupMatchSelectWidth={false}
        />
        <ShortcutButton />
      </Layout.Header>
      {view === 'tasks' && <TasksPane corpus={corpus} />}
      <Suspense fallback={<ViewLoading />}>
      {view === 'reader' && (
        <Layout.Content className="app-content app-reader">
          <PlanReader />
        </Layout.Content>
      )}
      {view === 'monthly' && <Layout.Content className="app-content"><MonthlyGrid corpus={corpus} /></Layout.Content>}
      {view === 'matrix' && (
        <Layout.Content className="app-content">
          <MatrixView corpus={corpus} />
        </Layout.Content>
      )}
      {view === 'dashboard' && <Layout.Content className="app-content"><Suspense fallback={<Spin />}><DashboardView corpus={corpus} /></Suspense></Layout.Content>}
      {view === 'reports' && (
        <Layout.Content className="app-content">
          <ReportBuilder corpus={corpus} />
        </Layout.Content>
      )}
      {view === 'cases' && <Layout.Content className="app-content"><Suspense fallback={<Spin />}><CasesView corpus={corpus} /></Suspense></Layout.Content>}
      {view === 'bundles' && (
        <Layout.Content className="app-content">
          <BundlesView corpus={corpus} />
        </Layout.Content>
      )}
      {view === 'periods' && <Layout.Content className="app-content"><Suspense fallback={<Spin />}><PeriodsView corpus={corpus} /></Suspense></Layout.Content>}
      {view === 'rounds' && <Layout.Content className="app-content"><Suspense fallback={<Spin />}><RoundsView corpus={corpus} /></Suspense></Layout.Content>}
      {view === 'settings' && (
        <Layout.Content className="app-content">
          <SettingsView />
          <BackupsView corpus={corpus} />
        </Layout.Content>
      )}
      </Suspense>
      {!session.profile && <ProfileSetup />}
      <ShortcutSheet />
    </Layout>
  );
}

/**
 * Toasts (保存成功, 导入完成 …) appear below the 56 px header instead of over its navigation, and
 * let clicks through (app.css): antd pauses a toast while the pointer is over it, so a toast over a
 * control kept itself — and blocked the control — for as long as the pointer stayed there.
 */
const MESSAGES = { top: 64, maxCount: 3 } as const;

export function App() {
  const { t, i18n } = useTranslation();
  const state = useCorpusStore((s) => s.state);
  const load = useCorpusStore((s) => s.load);
  useEffect(() => {
    // Started by main.tsx already; these are no-ops then. The database opens while the corpus loads.
    void loadCorpusOnce();
    void startSession();
  }, []);

  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={THEME}>
      <AntApp message={MESSAGES}>
        {state.status === 'loading' && (
          <div className="app-loading">
            <Spin description={t('app.loading')} />
          </div>
        )}
        {state.status === 'error' && <CorpusErrorScreen message={state.error.message} detail={state.error.detail} onRetry={() => void load()} />}
        {state.status === 'ready' && (
          <ErrorBoundary>
            <Workbench corpus={state.corpus} />
          </ErrorBoundary>
        )}
        <QuitHandshake />
      </AntApp>
    </ConfigProvider>
  );
}
