/** The corpus as the renderer sees it: loaded once from main, or the reason it could not be. */
import { create } from 'zustand';
import type { Corpus, Task } from '../../../src-main/shared/corpus/types';
import type { AppError } from '../../../src-main/shared/result';
import { invoke } from '../api/client';
import { startupMark } from '../lib/perfMarks';

export type CorpusState =
  | { status: 'loading' }
  | { status: 'ready'; corpus: Corpus; taskById: Map<string, Task> }
  | { status: 'error'; error: AppError };

interface CorpusStore {
  state: CorpusState;
  load(): Promise<void>;
}

export const useCorpusStore = create<CorpusStore>()((set) => ({
  state: { status: 'loading' },
  async load() {
    set({ state: { status: 'loading' } });
    const r = await invoke('corpus:get');
    if (!r.ok) return set({ state: { status: 'error', error: r.error } });
    const corpus = r.value;
    if (corpus.tasks.length === 0) {
      return set({ state: { status: 'error', error: { code: 'corpus.empty', message: '试点方案原文中没有任务。' } } });
    }
    startupMark('corpus');
    set({ state: { status: 'ready', corpus, taskById: new Map(corpus.tasks.map((t) => [t.id, t])) } });
  },
}));

/** The loaded corpus; only call below the gate that renders on `ready`. */
export function useCorpus(): Corpus {
  const s = useCorpusStore((x) => x.state);
  if (s.status !== 'ready') throw new Error('corpus not loaded');
  return s.corpus;
}

let firstLoad: Promise<void> | null = null;

/**
 * The corpus's first load, started once: main.tsx starts it (with the session) before React's first
 * render, so the request to main overlaps that render; App asks again for pages mounted without
 * main.tsx. A retry after a failure calls `load` itself.
 */
export function loadCorpusOnce(): Promise<void> {
  firstLoad ??= useCorpusStore.getState().load();
  return firstLoad;
}
