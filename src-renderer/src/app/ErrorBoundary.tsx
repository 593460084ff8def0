import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Result, Typography } from 'antd';
import i18n from '../i18n';

interface State {
  error: Error | null;
}

interface Props {
  children: ReactNode;
  /**
   * Set for one panel (an editor, a rich-text view): a failure there is shown in its place and the
   * rest of the window — navigation, the other fields — keeps working. Without it, the whole screen.
   */
  panel?: string;
}

/**
 * Catches a rendering bug below it and shows a recovery screen instead of a blank window (or, for a
 * panel, a notice in the panel's place). What was typed is safe: saved data is in IndexedDB and
 * unsaved input in the draft journal, which the next start recovers.
 */
export class ErrorBoundary extends Component<Props, State> {
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
    if (this.props.panel !== undefined) {
      return (
        <Alert
          type="warning"
          showIcon
          role="alert"
          message={t('recovery.panelTitle', { panel: this.props.panel })}
          description={
            <>
              {t('recovery.panelHint')} <code className="recovery-detail">{String(error.message || error).slice(0, 200)}</code>
            </>
          }
        />
      );
    }
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
