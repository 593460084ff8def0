import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result, Typography } from 'antd';
import i18n from '../i18n';

interface State {
  error: Error | null;
}

/**
 * Catches a rendering bug anywhere below it and shows a recovery screen instead of a blank window.
 * What was typed is safe: saved data is in IndexedDB and unsaved input in the draft journal, which
 * the next start recovers.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('render error', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const t = i18n.t.bind(i18n);
    return (
      <Result
        status="warning"
        title={t('recovery.title')}
        subTitle={t('recovery.hint')}
        extra={[
          <Button key="retry" onClick={() => this.setState({ error: null })}>
            {t('recovery.retry')}
          </Button>,
          <Button key="reload" type="primary" onClick={() => location.reload()}>
            {t('recovery.reload')}
          </Button>,
        ]}
      >
        <Typography.Paragraph type="secondary" className="recovery-detail">
          <code>{String(error.message || error)}</code>
        </Typography.Paragraph>
      </Result>
    );
  }
}
