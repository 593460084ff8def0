/**
 * The exchange folder (交换文件夹) on the rounds screen: offices that share a network drive or a
 * synchronised folder write 报送 and 审核 files there and collect them from there. Main keeps the
 * folder (chosen in a folder dialog) and does every file operation; the page only knows its name,
 * asks main to write a file it built, and takes what main collects through the same verification
 * and preview as files chosen in an open dialog.
 */
import { useEffect } from 'react';
import { App as AntApp, Button, Card, Space, Typography } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { invoke } from '../../api/client';
import type { SaveFile } from './roundService';

interface ExchangeState {
  /** undefined: not asked yet; null: none chosen. */
  folder: string | null | undefined;
  load(): Promise<void>;
  /** Opens main's folder dialog; returns an error message, or null. */
  choose(title: string): Promise<string | null>;
}

export const useExchangeStore = create<ExchangeState>((set) => ({
  folder: undefined,
  async load() {
    const r = await invoke('exchange:get');
    set({ folder: r.ok ? r.value.folder : null });
  },
  async choose(title) {
    const r = await invoke('exchange:choose', { title });
    if (!r.ok) return r.error.message;
    if (r.value) set({ folder: r.value.folder });
    return null;
  },
}));

/** Writes a file the round service built into the exchange folder (main names it; never replaces one). */
export const saveToExchange: SaveFile = (bytes, defaultName) => invoke('exchange:write', { name: defaultName, bytes });

/** The file name alone, for messages (main answers with the whole path). */
export const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** 交换文件夹: where it is, and the button that chooses it. */
export function ExchangeFolderCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const folder = useExchangeStore((s) => s.folder);
  const load = useExchangeStore((s) => s.load);
  const choose = useExchangeStore((s) => s.choose);
  useEffect(() => {
    if (folder === undefined) void load();
  }, [folder, load]);
  const pick = async () => {
    const error = await choose(t('exchange.chooseTitle'));
    if (error) void message.error(error);
  };
  return (
    <Card size="small" className="exchange-folder" title={t('exchange.title')}>
      <Space wrap>
        <Typography.Text className="exchange-folder-path" strong={!!folder} type={folder ? undefined : 'secondary'}>
          {folder ?? t('exchange.none')}
        </Typography.Text>
        <Button icon={<FolderOpenOutlined />} onClick={() => void pick()}>
          {folder ? t('exchange.change') : t('exchange.choose')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" className="exchange-hint">{t('exchange.hint')}</Typography.Paragraph>
    </Card>
  );
}
