/**
 * The main-side handler map: one plain async function per IPC channel. No electron here, so the
 * same map serves the Electron IPC, the browser harness and tests.
 */
import type { Corpus } from '../shared/corpus/types';
import { BUNDLE_CAPS, listCentralDirectory } from '../shared/bundle/zip';
import { plainFileName } from '../shared/evidence/fileType';
import { CHANNELS, type AppInfo, type Channel, type Handlers, type MovedProfile, type OpenedFile, type SaveOutcome, type StorageOriginAnswer } from '../shared/ipc-contract';
import { fail, ok, type Result } from '../shared/result';
import { buildReportModel } from '../shared/report/model';
import { refreshFigures } from '../shared/report/generate';
import { renderReportDocx } from './report/docx';
import { renderCasesDocx } from './report/cases';
import { renderLedgerXlsx } from './report/xlsx';
import { renderMatrixXlsx } from './report/matrixXlsx';
import { buildCircularModel } from '../shared/report/circular';
import { renderCircularDocx } from './report/circularDocx';
import { checkedForm } from './report/gongwen';
import { MATRIX_WORDS_ZH, matrixTable, statusMatrix } from '../shared/matrix';
import { cnDate } from '../shared/time';
import type { BackupStore } from './services/backups';
import { MAX_FILE_BYTES, parseArgs, saveDialogName } from './ipcArgs';
import { bundlePrecheck, openWithSystem, readChosenFile, writeFileAtomic, type Dialogs } from './services/files';
import type { ExchangeFolder } from './services/exchange';

export interface HandlerDeps {
  corpus: () => Result<Corpus>;
  info: AppInfo;
  dialogs: Dialogs;
  /** Opens a file with the system's default program; returns '' or an error text (shell.openPath). */
  openPath: (path: string) => Promise<string>;
  /** Shows a file in the system file manager (shell.showItemInFolder). */
  showInFolder: (path: string) => void;
  /**
   * Records the first origin it is given and returns the recorded one — or, with the move of
   * services/originMove.ts, the whole answer (the origin and the step of a move from file://).
   */
  storageOrigin: (origin: string) => Promise<string | StorageOriginAnswer>;
  /** The move from file:// to app:// (absent: nothing to move, e.g. in the browser harness). */
  originMove?: {
    handOver(args: { backup: string | null; profile: MovedProfile | null }, pageOrigin: string): Promise<Result<void>>;
    moved(args: { ok: true } | { ok: false; reason: string }, pageOrigin: string): Promise<Result<void>>;
  };
  /** The backup folder (<userData>/backups; a temp folder in the harness). */
  backups: BackupStore;
  /** The page's answers to `app:quitRequested` (QuitGuard.onPhase). */
  quitReady: (phase: 'started' | 'done') => void;
  /**
   * The exchange folder (services/exchange.ts) and the folder dialog that chooses it (absent: the
   * exchange channels answer that there is none).
   */
  exchange?: { folder: ExchangeFolder; chooseFolder(title?: string): Promise<string | null> };
}

/**
 * The handler map, each behind `parseArgs` (ipcArgs.ts): arguments that are not what the app
 * itself sends are refused before any handler runs, on Electron's IPC and in the harness alike.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const handlers = createUncheckedHandlers(deps);
  const checked = {} as Record<Channel, (...args: unknown[]) => Promise<unknown>>;
  for (const channel of CHANNELS) {
    const handler = handlers[channel] as (...args: unknown[]) => Promise<unknown>;
    checked[channel] = async (...args: unknown[]) => {
      const parsed = parseArgs(channel, args);
      return parsed.ok ? handler(...(parsed.value as unknown[])) : parsed;
    };
  }
  return checked as unknown as Handlers;
}

const noExchange = () => fail('exchange.unavailable', '此环境不支持交换文件夹。');

function createUncheckedHandlers(deps: HandlerDeps): Handlers {
  // Files main saved in this session: the only paths "show in folder" will show.
  const saved = new Set<string>();
  const save = async (path: string, bytes: Uint8Array): Promise<Result<SaveOutcome>> => {
    const r = await writeFileAtomic(path, bytes);
    if (r.ok && !r.value.canceled) saved.add(r.value.path);
    return r;
  };
  const WORD = { name: 'Word 文档', extensions: ['docx'] };
  const EXCEL = { name: 'Excel 工作簿', extensions: ['xlsx'] };
  /**
   * A document main built, saved where the person chooses: the page's name as the stem, the extension
   * of the format (whatever name the page asked for), then `save`. Canceled: nothing written.
   */
  const saveDocument = async (bytes: Uint8Array, title: string, defaultName: string, filter: typeof WORD): Promise<Result<SaveOutcome>> => {
    const ext = filter.extensions[0]!;
    const stem = plainFileName(defaultName).replace(/\.(docx|xlsx)$/i, '');
    const path = await deps.dialogs.showSave({ title, defaultName: `${stem}.${ext}`, filters: [filter] });
    if (path === null) return ok({ canceled: true });
    return save(path, bytes);
  };
  return {
    'corpus:get': async () => deps.corpus(),
    'app:info': async () => ok(deps.info),
    'file:open': async (options) => {
      const path = await deps.dialogs.showOpen(options);
      if (path === null) return ok(null);
      return readChosenFile(path, options.maxBytes, options.kind === 'bundle' ? bundlePrecheck : undefined);
    },
    'file:openMany': async ({ maxFiles, ...options }) => {
      const paths = (await deps.dialogs.showOpenMany(options)) ?? [];
      if (paths.length > maxFiles) return fail('file.too_many', `一次最多选择 ${maxFiles} 个文件（选择了 ${paths.length} 个）。`);
      const files: OpenedFile[] = [];
      let total = 0;
      for (const path of paths) {
        const r = await readChosenFile(path, options.maxBytes);
        if (!r.ok) return r;
        total += r.value.size;
        // What one IPC answer may carry: the same bound as one file.
        if (total > MAX_FILE_BYTES) return fail('file.too_large', '所选文件合计过大，请分几次选择。');
        files.push(r.value);
      }
      return ok(files);
    },
    'file:save': async ({ bytes, title, defaultName }) => {
      const path = await deps.dialogs.showSave({ title, ...saveDialogName(defaultName) });
      if (path === null) return ok({ canceled: true });
      return save(path, bytes);
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
        } else if (format === 'xlsx') bytes = await renderLedgerXlsx(model.value);
        else {
          // A drafted body prints its figures as they are now, for the data sent: frozen in the file.
          const draft = input.draft ? refreshFigures(input.draft.sections, model.value) : undefined;
          bytes = await renderReportDocx(model.value, { draft });
        }
      } catch (e) {
        return fail('report.render_failed', '生成文档时出错，文件未保存。请重试；如仍失败，请导出日志并联系维护人员。', String(e));
      }
      // The file is what main built: its extension is the format's, whatever name the page asked for.
      return saveDocument(bytes, document === 'cases' ? '保存典型案例汇编' : '保存报告', defaultName, format === 'xlsx' ? EXCEL : WORD);
    },
    'matrix:export': async ({ units, annotations, asOf, sort, defaultName }) => {
      const corpus = deps.corpus();
      if (!corpus.ok) return corpus;
      let bytes: Uint8Array;
      try {
        const table = matrixTable(statusMatrix({ tasks: corpus.value.tasks, units, annotations, asOf }), sort, MATRIX_WORDS_ZH);
        bytes = await renderMatrixXlsx(table, {
          title: '南京市服务业扩大开放综合试点任务推进状态总览',
          asOfText: cnDate(asOf),
          scopeText: `${units.map((u) => u.name).join('、')}；${corpus.value.tasks.length}项任务`,
          corpusHash: corpus.value.hash,
        });
      } catch (e) {
        return fail('report.render_failed', '生成文档时出错，文件未保存。请重试；如仍失败，请导出日志并联系维护人员。', String(e));
      }
      return saveDocument(bytes, '保存总览表', defaultName, EXCEL);
    },
    'circular:export': async ({ input, defaultName }) => {
      const corpus = deps.corpus();
      if (!corpus.ok) return corpus;
      // The form as the CLI takes it: a 发文字号 written 「宁试点办[2026]5号」 is normalised, a wrong one refused.
      const form = input.form ? checkedForm(input.form) : null;
      if (form && !form.ok) return form;
      let bytes: Uint8Array;
      try {
        const model = buildCircularModel({ ...input, ...(form ? { form: form.value } : {}), tasks: corpus.value.tasks });
        bytes = await renderCircularDocx(model);
      } catch (e) {
        return fail('report.render_failed', '生成文档时出错，文件未保存。请重试；如仍失败，请导出日志并联系维护人员。', String(e));
      }
      return saveDocument(bytes, '保存情况通报', defaultName, WORD);
    },
    'file:showInFolder': async (path) => {
      if (!saved.has(path)) return fail('file.not_saved_here', '只能在文件夹中显示本软件刚保存的文件。');
      deps.showInFolder(path);
      return ok(null);
    },
    'app:storageOrigin': async (origin) => {
      const answer = await deps.storageOrigin(origin);
      return ok(typeof answer === 'string' ? { expected: answer } : answer);
    },
    'origin:handOver': async ({ origin, backup, profile }) =>
      deps.originMove ? deps.originMove.handOver({ backup, profile }, origin) : fail('origin.no_move', '没有需要迁移的数据。'),
    'origin:moved': async ({ origin, ok: done, reason }) =>
      deps.originMove
        ? deps.originMove.moved(done ? { ok: true } : { ok: false, reason: reason ?? '' }, origin)
        : fail('origin.no_move', '没有正在进行的数据迁移。'),
    'backup:list': async () => deps.backups.list(),
    'backup:write': async ({ bytes, kind }) => {
      // Main never inflates a bundle, but it stores only what has a bundle's shape: a whole ZIP
      // whose directory holds a manifest — not 64 MB of anything a page sends.
      const listed = listCentralDirectory(bytes, BUNDLE_CAPS.maxEntries);
      if (!listed.ok || !listed.value.some((e) => e.name === 'manifest.json')) {
        return fail('backup.not_bundle', '备份数据不是完整的批注包，未保存。', listed.ok ? 'no manifest.json' : listed.error.code);
      }
      return deps.backups.write(bytes, kind === 'restore' ? 'restore' : 'auto');
    },
    'backup:read': async ({ name }) => deps.backups.read(name),
    'backup:remove': async ({ name }) => deps.backups.remove(name),
    'app:quitReady': async ({ phase }) => {
      deps.quitReady(phase);
      return ok(null);
    },
    'exchange:get': async () => (deps.exchange ? ok({ folder: await deps.exchange.folder.folder() }) : ok({ folder: null })),
    'exchange:choose': async ({ title }) => {
      if (!deps.exchange) return noExchange();
      const path = await deps.exchange.chooseFolder(title);
      if (path === null) return ok(null);
      return deps.exchange.folder.setFolder(path);
    },
    'exchange:write': async ({ name, bytes }) => {
      if (!deps.exchange) return noExchange();
      const r = await deps.exchange.folder.write(bytes, name);
      if (!r.ok) return r;
      saved.add(r.value.path);
      return ok({ canceled: false, path: r.value.path });
    },
    'exchange:collect': async ({ maxFiles, maxBytes }) =>
      // What one IPC answer may carry: the same bound as one file.
      deps.exchange ? deps.exchange.folder.collect({ maxFiles, maxBytes, maxTotalBytes: MAX_FILE_BYTES }) : noExchange(),
    'exchange:taken': async ({ sha256 }) => (deps.exchange ? deps.exchange.folder.markTaken(sha256) : noExchange()),
  };
}
