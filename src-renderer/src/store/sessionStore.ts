/**
 * Who is working and on which unit: the profile, the unit list, the unit being viewed, and whether
 * the browser granted persistent storage. The unit list follows the data-change event (a unit
 * saved, an import, a restore).
 */
import { create } from 'zustand';
import type { Author, Unit } from '../../../src-main/shared/domain';
import type { AppError } from '../../../src-main/shared/result';
import { describeOpenError } from '../db/openError';
import { db, openDatabase, recordOpened } from '../db/db';
import { invoke } from '../api/client';
import { startupMark } from '../lib/perfMarks';
import { primeUnitData } from '../db/unitData';
import { isBulkChange, onDataChange } from '../db/mutate';
import { getProfile, listUnits, type Profile } from '../db/repo';
import { saveProfile } from '../db/writes';
import type { StorageOriginAnswer } from '../../../src-main/shared/ipc-contract';

type OriginMoveStep = NonNullable<StorageOriginAnswer['move']>;

export type Persistence = 'granted' | 'denied' | 'unsupported' | 'unknown';

interface SessionState {
  /** `moving`: main asked this page to move the data from file:// to app:// first (`move`). */
  status: 'loading' | 'moving' | 'ready' | 'error';
  move: OriginMoveStep | null;
  error: AppError | null;
  profile: Profile | null;
  units: Unit[];
  /** The unit whose annotations are shown and edited. */
  unitCode: string | null;
  persistence: Persistence;
}

interface SessionActions {
  /** Opens the session; `afterMove`: a move was just tried (and failed): open as usual, do not ask again. */
  init(options?: { afterMove?: boolean }): Promise<void>;
  completeProfile(p: Profile): Promise<string | null>;
  setUnit(code: string): void;
  reloadUnits(): Promise<void>;
}

export const useSessionStore = create<SessionState & SessionActions>()((set, get) => ({
  status: 'loading',
  move: null,
  error: null,
  profile: null,
  units: [],
  unitCode: null,
  persistence: 'unknown',
  async init(options = {}) {
    try {
      // A changed page origin would open a different, empty database: stop and say so instead.
      // Both asked at once: each is a round trip to main, and the first screen waits for them.
      const [origin, info] = await Promise.all([invoke('app:storageOrigin', location.origin), invoke('app:info')]);
      const move = options.afterMove ? undefined : origin.ok ? origin.value.move : undefined;
      if (origin.ok && origin.value.expected !== location.origin) {
        set({
          status: 'error',
          error: {
            code: 'storage.origin_changed',
            message: `本软件的数据存放位置发生了变化（原为 ${origin.value.expected}，现为 ${location.origin}），为避免显示空白数据，已停止打开。原有数据未被改动；请使用原来的安装方式启动，或联系维护人员迁移数据。`,
          },
        });
        return;
      }
      const appVersion = info.ok ? info.value.version : undefined;
      await openDatabase(db, { appVersion, record: 'later' });
      startupMark('db-open');
      const [profile, units] = await Promise.all([
        getProfile(db).then(async (p) => {
          // The unit's annotations are read now, so that the task list draws once, with its badges.
          if (p?.unitCode) await primeUnitData(p.unitCode);
          return p;
        }),
        listUnits(db),
      ]);
      startupMark('session');
      set({
        status: move ? 'moving' : 'ready',
        move: move ?? null,
        profile: profile ?? null,
        units,
        unitCode: profile?.unitCode ?? null,
      });
      // The version note and the persistence request wait for the first screen (a durable write).
      void recordOpened(db, appVersion).then(
        (persistence) => set({ persistence: persistence ?? 'unknown' }),
        () => undefined, // a database that cannot take this write says so at the first save
      );
    } catch (e) {
      set({ status: 'error', error: describeOpenError(e) });
    }
  },
  async completeProfile(p) {
    const r = await saveProfile(db, p);
    if (!r.ok) return r.error.message;
    // A changed unit of one's own (设置) moves the screens to it; otherwise the unit on screen stays.
    const before = get().profile;
    set({ profile: p, unitCode: before && before.unitCode !== p.unitCode ? p.unitCode : (get().unitCode ?? p.unitCode) });
    return null;
  },
  setUnit(code) {
    set({ unitCode: code });
  },
  async reloadUnits() {
    set({ units: await listUnits(db) });
  },
}));

let starting: Promise<void> | null = null;

/**
 * `init` once per page: the app starts it together with loading the corpus (not after it), so the
 * database is open by the time the workbench mounts.
 */
export function startSession(): Promise<void> {
  starting ??= useSessionStore.getState().init();
  return starting;
}

/** The author of edits made now: the profile's name and unit. */
export function currentAuthor(): Author {
  const p = useSessionStore.getState().profile;
  return { name: p?.name ?? '未署名', unitCode: p?.unitCode ?? 'SJBM' };
}

onDataChange(async (c) => {
  if (c.kind === 'units' || isBulkChange(c)) await useSessionStore.getState().reloadUnits();
});
