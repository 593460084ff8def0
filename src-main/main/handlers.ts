/**
 * The main-side handler map: one plain async function per IPC channel. No electron here, so the
 * same map serves the Electron IPC, the browser harness and tests.
 */
import type { Corpus } from '../shared/corpus/types';
import type { AppInfo, Handlers } from '../shared/ipc-contract';
import { fail, ok, type Result } from '../shared/result';
import { buildReportModel } from '../shared/report/model';
import { renderReportDocx } from './report/docx';
import { renderCasesDocx } from './report/cases';
import { renderLedgerXlsx } from './report/xlsx';
import type { BackupStore } from './services/backups';
import { openWithSystem, readChosenFile, writeFileAtomic, type Dialogs } from './services/files';

export interface HandlerDeps {
  corpus: () => Result<Corpus>;
  info: AppInfo;
  dialogs: Dialogs;
  /** Opens a file with the system's default program; returns '' or an error text (shell.openPath). */
  openPath: (path: string) => Promise<string>;
  /** Shows a file in the system file manager (shell.showItemInFolder). */
  showInFolder: (path: string) => void;
  /** Records the first origin it is given and returns the recorded one. */
  storageOrigin: (origin: string) => Promise<string>;
  /** The backup folder (<userData>/backups; a temp folder in the harness). */
  backups: BackupStore;
  /** The page's answers to `app:quitRequested` (QuitGuard.onPhase). */
  quitReady: (phase: 'started' | 'done') => void;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'corpus:get': async () => deps.corpus(),
    'app:info': async () => ok(deps.info),
    'file:open': async (options) => {
      const path = await deps.dialogs.showOpen(options);
      if (path === null) return ok(null);
      return readChosenFile(path, options.maxBytes);
    },
    'file:save': async ({ bytes, ...options }) => {
      const path = await deps.dialogs.showSave(options);
      if (path === null) return ok({ canceled: true });
      return writeFileAtomic(path, bytes);
    },
    'file:openWithSystem': async ({ name, bytes }) => openWithSystem(name, bytes, deps.openPath),
    'report:export': async ({ input, format, defaultName, document }) => {
      const corpus = deps.corpus();
      if (!corpus.ok) return corpus;
      const model = buildReportModel({ ...input, corpus: corpus.value });
      if (!model.ok) return model;
      let bytes: Uint8Array;
      try {
        if (document === 'cases') {
          const cases = await renderCasesDocx(model.value);
          if (!cases.ok) return cases;
          bytes = cases.value;
        } else bytes = format === 'xlsx' ? await renderLedgerXlsx(model.value) : await renderReportDocx(model.value);
      } catch (e) {
        return fail('report.render_failed', '生成文档时出错，文件未保存。请重试；如仍失败，请导出日志并联系维护人员。', String(e));
      }
      const path = await deps.dialogs.showSave({
        title: document === 'cases' ? '保存典型案例汇编' : '保存报告',
        defaultName,
        filters: format === 'xlsx' ? [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] : [{ name: 'Word 文档', extensions: ['docx'] }],
      });
      if (path === null) return ok({ canceled: true });
      return writeFileAtomic(path, bytes);
    },
    'file:showInFolder': async (path) => {
      deps.showInFolder(path);
      return ok(null);
    },
    'app:storageOrigin': async (origin) => ok({ expected: await deps.storageOrigin(origin) }),
    'backup:list': async () => deps.backups.list(),
    'backup:write': async ({ bytes, kind }) => deps.backups.write(bytes, kind === 'restore' ? 'restore' : 'auto'),
    'backup:read': async ({ name }) => deps.backups.read(name),
    'backup:remove': async ({ name }) => deps.backups.remove(name),
    'app:quitReady': async ({ phase }) => {
      if (phase !== 'started' && phase !== 'done') return fail('ipc.bad_request', '请求无效。');
      deps.quitReady(phase);
      return ok(null);
    },
  } satisfies Handlers;
}
