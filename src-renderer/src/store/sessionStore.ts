/**
 * Who is working and on which unit: the profile, the unit list, the unit being viewed, and whether
 * the browser granted persistent storage.
 */
import { create } from 'zustand';
import type { Author, Unit } from '../../../src-main/shared/domain';
import { db, openDatabase } from '../db/db';
import { invoke } from '../api/client';
import { getProfile, listUnits, saveProfile, type Profile } from '../db/repo';

export type Persistence = 'granted' | 'denied' | 'unsupported' | 'unknown';

interface SessionState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  profile: Profile | null;
  units: Unit[];
  /** The unit whose annotations are shown and edited. */
  unitCode: string | null;
  persistence: Persistence;
}

interface SessionActions {
  init(): Promise<void>;
  completeProfile(p: Profile): Promise<string | null>;
  setUnit(code: string): void;
  reloadUnits(): Promise<void>;
}

export const useSessionStore = create<SessionState & SessionActions>()((set, get) => ({
  status: 'loading',
  error: null,
  profile: null,
  units: [],
  unitCode: null,
  persistence: 'unknown',
  async init() {
    try {
      const info = await invoke('app:info');
      const opened = await openDatabase(db, { appVersion: info.ok ? info.value.version : undefined });
      const [profile, units] = await Promise.all([getProfile(db), listUnits(db)]);
      set({
        status: 'ready',
        profile: profile ?? null,
        units,
        unitCode: profile?.unitCode ?? null,
        persistence: opened.persistence ?? 'unknown',
      });
    } catch (e) {
      set({ status: 'error', error: (e as Error).message ?? String(e) });
    }
  },
  async completeProfile(p) {
    const r = await saveProfile(db, p);
    if (!r.ok) return r.error.message;
    set({ profile: p, unitCode: get().unitCode ?? p.unitCode });
    return null;
  },
  setUnit(code) {
    set({ unitCode: code });
  },
  async reloadUnits() {
    set({ units: await listUnits(db) });
  },
}));

/** The author of edits made now: the profile's name and unit. */
export function currentAuthor(): Author {
  const p = useSessionStore.getState().profile;
  return { name: p?.name ?? '未署名', unitCode: p?.unitCode ?? 'SJBM' };
}
