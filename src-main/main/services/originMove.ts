/**
 * Moving an installation's data from the `file://` origin to the app's own scheme.
 *
 * IndexedDB is per origin. Versions before the app:// scheme loaded the page from files, so their
 * database lives under `file://`; main keeps loading such an installation from files (which needs the
 * file-protocol fuse). This module moves it, once, with the app's own verified backups — which main
 * keeps in its backups folder, the same for every origin:
 *
 *  1. The page, loaded from files, hears `move: 'export'` from `app:storageOrigin`. It makes a
 *     verified backup of its whole database and hands its name and the local profile (not part of a
 *     backup) to main (`origin:handOver`). Main records the hand-over and loads the app:// page.
 *     A database with nothing in it hands over no backup: the record simply moves to app://.
 *  2. The app:// page hears `move: { import }`: it restores that backup into its empty database,
 *     writes the profile, and tells main (`origin:moved`). Main records app:// as the origin from
 *     then on. The old database under file:// is left as it was.
 *  3. If the restore fails, main records the failure and goes back to files, where the data still is;
 *     the move is not tried again by itself (a failed move never loops and never loses a row).
 *
 * The state is `storage-origin.json` in the user-data folder: `{ origin, recordedAt, move? }`.
 */
import { readFile } from 'node:fs/promises';
import { APP_ORIGIN, FILE_ORIGIN, rendererEntry } from '../appProtocol';
import { fail, ok, type Result } from '../../shared/result';
import { writeFileAtomic } from './files';

import type { MovedProfile, StorageOriginAnswer } from '../../shared/ipc-contract';

export type OriginMoveState =
  | { state: 'handed'; backup: string | null; profile: MovedProfile | null; at: string }
  | { state: 'failed'; reason: string; at: string };

export interface OriginState {
  origin: string | null;
  move: OriginMoveState | null;
}

export type OriginAnswer = StorageOriginAnswer;

export async function readOriginState(file: string): Promise<OriginState> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { origin?: unknown; move?: unknown };
    const origin = typeof saved.origin === 'string' ? saved.origin : null;
    const m = saved.move as Partial<OriginMoveState> | undefined;
    const move: OriginMoveState | null =
      m && m.state === 'handed' && (m.backup === null || typeof m.backup === 'string')
        ? { state: 'handed', backup: m.backup ?? null, profile: ((m as { profile?: unknown }).profile as MovedProfile | undefined) ?? null, at: String(m.at ?? '') }
        : m && m.state === 'failed'
          ? { state: 'failed', reason: String((m as { reason?: unknown }).reason ?? ''), at: String(m.at ?? '') }
          : null;
    return { origin, move };
  } catch {
    return { origin: null, move: null };
  }
}

async function writeOriginState(file: string, s: { origin: string; move?: OriginMoveState; movedFrom?: string }): Promise<void> {
  const r = await writeFileAtomic(file, new TextEncoder().encode(JSON.stringify({ ...s, recordedAt: new Date().toISOString() })));
  if (!r.ok) throw new Error(r.error.message);
}

/** Which page a start loads: from files only while the data is under file:// and not handed over. */
export function entryOf(s: OriginState): 'file' | 'scheme' {
  return s.move?.state === 'handed' ? 'scheme' : rendererEntry(s.origin);
}

export interface OriginMoveDeps {
  file: string;
  /** The names of the backups in main's folder (a hand-over must name one of them). */
  backupNames(): Promise<string[]>;
  /** Loads the app:// page, or the page from files, in the window. */
  loadScheme(): void;
  loadFile(): void;
}

/** The three IPC answers of the move, over the state file. */
export function createOriginMove(deps: OriginMoveDeps) {
  return {
    /** `app:storageOrigin`: records the first origin; answers the recorded one and the move's step. */
    async storageOrigin(pageOrigin: string): Promise<OriginAnswer> {
      const s = await readOriginState(deps.file);
      if (s.origin === null) {
        await writeOriginState(deps.file, { origin: pageOrigin });
        return { expected: pageOrigin };
      }
      if (s.origin !== FILE_ORIGIN) return { expected: s.origin };
      if (s.move?.state === 'handed') return { expected: APP_ORIGIN, move: { import: { backup: s.move.backup, profile: s.move.profile } } };
      if (s.move?.state === 'failed') return { expected: FILE_ORIGIN };
      return pageOrigin === FILE_ORIGIN ? { expected: FILE_ORIGIN, move: 'export' } : { expected: FILE_ORIGIN };
    },
    /** `origin:handOver`: the file:// page made its backup (or had nothing to back up). */
    async handOver(args: { backup: string | null; profile: MovedProfile | null }, pageOrigin: string): Promise<Result<void>> {
      const s = await readOriginState(deps.file);
      if (s.origin !== FILE_ORIGIN || s.move || pageOrigin !== FILE_ORIGIN) return fail('origin.no_move', '没有需要迁移的数据。');
      if (args.backup !== null && !(await deps.backupNames()).includes(args.backup)) return fail('origin.no_backup', '找不到用于迁移的备份，数据未迁移。');
      if (args.backup === null) await writeOriginState(deps.file, { origin: APP_ORIGIN, movedFrom: FILE_ORIGIN });
      else await writeOriginState(deps.file, { origin: FILE_ORIGIN, move: { state: 'handed', backup: args.backup, profile: args.profile, at: new Date().toISOString() } });
      deps.loadScheme();
      return ok(undefined);
    },
    /** `origin:moved`: the app:// page restored the hand-over (or could not). */
    async moved(args: { ok: true } | { ok: false; reason: string }, pageOrigin: string): Promise<Result<void>> {
      const s = await readOriginState(deps.file);
      if (s.origin !== FILE_ORIGIN || s.move?.state !== 'handed' || pageOrigin !== APP_ORIGIN) return fail('origin.no_move', '没有正在进行的数据迁移。');
      if (args.ok) {
        await writeOriginState(deps.file, { origin: APP_ORIGIN, movedFrom: FILE_ORIGIN });
        return ok(undefined);
      }
      await writeOriginState(deps.file, { origin: FILE_ORIGIN, move: { state: 'failed', reason: args.reason.slice(0, 500), at: new Date().toISOString() } });
      deps.loadFile();
      return ok(undefined);
    },
  };
}
