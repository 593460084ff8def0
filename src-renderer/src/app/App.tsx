import { useEffect, useMemo, useRef } from 'react';
import { Alert, Button, ConfigProvider, Input, Layout, Result, Segmented, Select, Spin, Typography } from 'antd';
import type { InputRef } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { useCorpusStore } from '../store/corpusStore';
import { useUiStore, type View } from '../store/uiStore';
import { filterTasks } from '../lib/taskSearch';
import { TaskTree } from '../features/tasks/TaskTree';
import { TaskView } from '../features/tasks/TaskView';
import { PlanReader } from '../features/reader/PlanReader';
import type { Corpus } from '../../../src-main/shared/corpus/types';

function CorpusErrorScreen({ message, detail, onRetry }: { message: string; detail?: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('corpusError.title')}
      subTitle={message}
      extra={<Button onClick={onRetry}>{t('corpusError.retry')}</Button>}
    >
      <Typography.Paragraph>{t('corpusError.hint')}</Typography.Paragraph>
      {detail && (
        <Alert type="info" title={t('corpusError.detail')} description={<code>{detail}</code>} />
      )}
    </Result>
  );
}

function Workbench({ corpus }: { corpus: Corpus }) {
  const { t, i18n } = useTranslation();
  const view = useUiStore((s) => s.view);
  const setView = useUiStore((s) => s.setView);
  const query = useUiStore((s) => s.query);
  const setQuery = useUiStore((s) => s.setQuery);
  const search = useRef<InputRef>(null);
  const tasks = useMemo(() => filterTasks(corpus.tasks, query), [corpus.tasks, query]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setView('tasks');
        setTimeout(() => search.current?.focus(), 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <div className="app-brand">
          <span className="app-title">{t('app.title')}</span>
          <span className="app-subtitle">{t('app.subtitle')} · {corpus.meta.docNumber}</span>
        </div>
        <Segmented<View>
          value={view}
          onChange={setView}
          options={[
            { label: t('nav.tasks'), value: 'tasks' },
            { label: t('nav.reader'), value: 'reader' },
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
        />
      </Layout.Header>
      {view === 'tasks' ? (
        <Layout>
          <Layout.Sider width={420} theme="light" className="app-sider">
            <Input.Search
              ref={search}
              allowClear
              role="searchbox"
              aria-label={t('search.placeholder')}
              placeholder={t('search.placeholder')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            <TaskTree tasks={tasks} />
          </Layout.Sider>
          <Layout.Content className="app-content">
            <TaskView />
          </Layout.Content>
        </Layout>
      ) : (
        <Layout.Content className="app-content app-reader">
          <PlanReader />
        </Layout.Content>
      )}
    </Layout>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const state = useCorpusStore((s) => s.state);
  const load = useCorpusStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#b4232a', borderRadius: 4 } }}>
      {state.status === 'loading' && (
        <div className="app-loading">
          <Spin description={t('app.loading')} />
        </div>
      )}
      {state.status === 'error' && (
        <CorpusErrorScreen message={state.error.message} detail={state.error.detail} onRetry={() => void load()} />
      )}
      {state.status === 'ready' && <Workbench corpus={state.corpus} />}
    </ConfigProvider>
  );
}
