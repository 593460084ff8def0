/**
 * The one IPC contract between main, preload and renderer. Each channel is `domain:verb` with its
 * argument tuple and result type. Main binds a handler for every channel (checked with `satisfies`),
 * the preload forwards exactly these channels, and the renderer reaches main only through
 * `src-renderer/src/api/client.ts`. Expected failures come back as `Result` values with a Chinese message.
 */
import type { BackupKind } from './backup/rotation';
import type { Corpus } from './corpus/types';
import type { MatrixAnnotation, MatrixSort, MatrixUnit } from './matrix';
import type { ReportInput } from './report/model';
import type { CircularInput } from './report/circular';
import type { Result } from './result';

/** What the app reports about itself (about box, bundle manifests). */
export interface AppInfo {
  name: string;
  version: string;
  /** `electron` in the desktop app, `harness` in the browser harness. */
  shell: 'electron' | 'harness';
  platform: string;
}

/** A file the person chose in an open dialog: its name and bytes (main reads, never parses). */
export interface OpenedFile {
  name: string;
  size: number;
  bytes: Uint8Array;
}

/** Options of an open-file dialog. */
export interface OpenFileOptions {
  title?: string;
  /** e.g. [{ name: '批注包', extensions: ['pilotbundle'] }] */
  filters?: { name: string; extensions: string[] }[];
  /** Files larger than this are refused before they are read. */
  maxBytes: number;
  /** `bundle`: a 批注包 or backup, whose ZIP directory main checks before reading the whole file. */
  kind?: 'bundle';
}

/**
 * Options of a save dialog that writes bytes the renderer produced. `defaultName` is a file name,
 * never a path: main keeps only its last segment, normalised, and derives the dialog's filter from
 * its extension (src-main/main/ipcArgs.ts `saveDialogName`).
 */
export interface SaveFileOptions {
  title?: string;
  defaultName: string;
  bytes: Uint8Array;
}

/** Where a file was saved; `canceled` when the person closed the dialog. */
export type SaveOutcome = { canceled: true } | { canceled: false; path: string };

/** A backup in the user-data backup folder (see src-main/shared/backup/rotation.ts for names). */
export interface BackupInfo {
  /** File name, e.g. `pilotdesk-20250630-080000-000.pilotbundle`. */
  name: string;
  size: number;
  /** When it was made (ISO, from the name). */
  at: string;
  /** File modification time (ISO). */
  mtime: string;
  /** `restore`: the restore point saved just before a restore. */
  kind: BackupKind;
}

/** The local profile as it crosses from one origin's database to the other's (checked by the page). */
export interface MovedProfile {
  name: string;
  unitCode: string;
  language: 'zh-CN' | 'en';
  role: 'official' | 'supervisor';
}

/** The origin the app's data lives under, and the step of a move from file:// the page must take. */
export interface StorageOriginAnswer {
  expected: string;
  move?: 'export' | { import: { backup: string | null; profile: MovedProfile | null } };
}

/**
 * What `exchange:collect` finds in the exchange folder: the bundle files not taken here yet, with
 * their bytes and content hash; the files refused before reading (too large, not a bundle), by
 * name and reason; and how many more are waiting for the next collection (`left`).
 */
export interface ExchangeCollection {
  folder: string;
  files: (OpenedFile & { sha256: string })[];
  refused: { name: string; reason: string }[];
  left: number;
}

/** The contract: channel → [args, result]. */
export interface IpcContract {
  /** The parsed corpus, or why the seed could not be read. */
  'corpus:get': { args: []; result: Result<Corpus> };
  'app:info': { args: []; result: Result<AppInfo> };
  /** Shows an open dialog and returns the chosen file's bytes (size-capped), or null if canceled. */
  'file:open': { args: [OpenFileOptions]; result: Result<OpenedFile | null> };
  /**
   * An open dialog that lets the person choose several files at once (e.g. every district's
   * submission file): at most `maxFiles`, each at most `maxBytes`, together at most the IPC limit.
   * Canceled: an empty list.
   */
  'file:openMany': { args: [OpenFileOptions & { maxFiles: number }]; result: Result<OpenedFile[]> };
  /** Shows a save dialog and writes the given bytes there. */
  'file:save': { args: [SaveFileOptions]; result: Result<SaveOutcome> };
  /**
   * The page origin the app's data lives under. Main records the first origin it is told and
   * returns the recorded one ever after, so a changed origin (which would open an empty database)
   * is detected instead of looking like lost data.
   */
  'app:storageOrigin': { args: [string]; result: Result<StorageOriginAnswer> };
  /**
   * Moving data from the file:// origin to app:// (src-main/main/services/originMove.ts): the
   * file:// page hands over the name of the verified backup it made of its whole database (null:
   * nothing to move) and the local profile; main then loads the app:// page.
   */
  'origin:handOver': { args: [{ origin: string; backup: string | null; profile: MovedProfile | null }]; result: Result<void> };
  /** The app:// page restored the hand-over (ok) or could not (main goes back to files, where the data still is). */
  'origin:moved': { args: [{ origin: string; ok: boolean; reason?: string }]; result: Result<void> };
  /**
   * Builds a report in main (model → .docx or .xlsx) from data the renderer sends, then asks where
   * to save it. Main supplies the corpus. `document: 'cases'` (with format docx) builds the case
   * collection 典型案例汇编 from the same input instead of the report.
   */
  'report:export': {
    args: [{ input: Omit<ReportInput, 'corpus'>; format: 'docx' | 'xlsx'; defaultName: string; document?: 'report' | 'cases' }];
    result: Result<SaveOutcome>;
  };
  /**
   * Writes the task × unit matrix (全市总览) as an Excel workbook, then asks where to save it. Main
   * supplies the corpus and builds the rows with the same function as the screen (shared/matrix.ts),
   * in the order the screen shows: the file holds the screen's cells.
   */
  'matrix:export': {
    args: [{ units: MatrixUnit[]; annotations: MatrixAnnotation[]; asOf: string; sort: MatrixSort; defaultName: string }];
    result: Result<SaveOutcome>;
  };
  /**
   * Builds a round's 情况通报 (.docx) in main from the round, its receipts, decisions and the
   * annotations the renderer sends, then asks where to save it. Main supplies the plan's tasks.
   */
  'circular:export': {
    args: [{ input: Omit<CircularInput, 'tasks'>; defaultName: string }];
    result: Result<SaveOutcome>;
  };
  /** Shows a file in the system file manager — only one that main itself saved in this session. */
  'file:showInFolder': { args: [string]; result: Result<null> };
  /** Writes an evidence file to a private temp folder and opens it with the system's viewer. */
  'file:openWithSystem': { args: [{ name: string; bytes: Uint8Array }]; result: Result<{ path: string }> };
  /** Backups in the user-data backup folder, newest first. Main never parses them. */
  'backup:list': { args: []; result: Result<BackupInfo[]> };
  /** Stores a bundle the renderer built as a new backup (atomically; named from main's clock). */
  'backup:write': { args: [{ bytes: Uint8Array; kind?: BackupKind }]; result: Result<BackupInfo> };
  /** The bytes of one backup, by its exact name (no paths). */
  'backup:read': { args: [{ name: string }]; result: Result<OpenedFile> };
  'backup:remove': { args: [{ name: string }]; result: Result<{ removed: boolean }> };
  /**
   * The page's answer to `app:quitRequested`: `started` at once, `done` when it has saved and backed
   * up (see src-main/main/quitGuard.ts). Main holds the window's close until then.
   */
  'app:quitReady': { args: [{ phase: 'started' | 'done' }]; result: Result<null> };
  /** The exchange folder main keeps in its settings (null: none chosen). */
  'exchange:get': { args: []; result: Result<{ folder: string | null }> };
  /** Shows a folder dialog and remembers the chosen folder; null when canceled. */
  'exchange:choose': { args: [{ title?: string }]; result: Result<{ folder: string } | null> };
  /**
   * Writes a bundle the page built into the exchange folder, atomically, under a new name made from
   * `name` (a file name, never a path) and main's clock; never replaces a file.
   */
  'exchange:write': { args: [{ name: string; bytes: Uint8Array }]; result: Result<SaveOutcome> };
  /** The exchange folder's bundle files not yet taken here (src-main/main/services/exchange.ts). */
  'exchange:collect': { args: [{ maxFiles: number; maxBytes: number }]; result: Result<ExchangeCollection> };
  /** Remembers collected files as taken here, by content hash: later collections leave them out. */
  'exchange:taken': { args: [{ sha256: string[] }]; result: Result<null> };
}

export type Channel = keyof IpcContract;
export type ChannelArgs<C extends Channel> = IpcContract[C]['args'];
export type ChannelResult<C extends Channel> = IpcContract[C]['result'];

/** Every channel, in one list: the preload forwards these and no others; main refuses the rest. */
export const CHANNELS = [
  'corpus:get',
  'app:info',
  'file:open',
  'file:openMany',
  'file:save',
  'file:openWithSystem',
  'app:storageOrigin',
  'origin:handOver',
  'origin:moved',
  'report:export',
  'matrix:export',
  'circular:export',
  'file:showInFolder',
  'backup:list',
  'backup:write',
  'backup:read',
  'backup:remove',
  'app:quitReady',
  'exchange:get',
  'exchange:choose',
  'exchange:write',
  'exchange:collect',
  'exchange:taken',
] as const satisfies readonly Channel[];

// Compile-time check that CHANNELS lists every channel of the contract.
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/**
 * Events main sends to the page (the only main → renderer messages): event → payload. The preload
 * forwards these and no others, without the IPC event object.
 */
export interface MainEvents {
  /** The window is being closed: save, back up, then call `app:quitReady`. */
  'app:quitRequested': null;
}
export type MainEvent = keyof MainEvents;
export const MAIN_EVENTS = ['app:quitRequested'] as const satisfies readonly MainEvent[];
type MissingEvent = Exclude<MainEvent, (typeof MAIN_EVENTS)[number]>;
const _allEventsListed: MissingEvent extends never ? true : MissingEvent = true;
void _allEventsListed;

export function isMainEvent(value: unknown): value is MainEvent {
  return typeof value === 'string' && (MAIN_EVENTS as readonly string[]).includes(value);
}

/** The map of handlers main binds: one async function per channel. */
export type Handlers = { [C in Channel]: (...args: ChannelArgs<C>) => Promise<ChannelResult<C>> };

/** The object the preload exposes as `window.pilotDesk` (and the harness client imitates). */
export interface PreloadApi {
  invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>>;
  /** Listens to one of main's events; returns the function that stops listening. */
  on<E extends MainEvent>(event: E, listener: (payload: MainEvents[E]) => void): () => void;
}
