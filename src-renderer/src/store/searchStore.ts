/**
 * The full-text index over task text, every annotation field and the progress logs. The task text
 * is searchable at once; the annotations and logs are indexed in the background in chunks (at city
 * scale this takes a couple of seconds) and then kept current one document at a time.
 */
import { create } from 'zustand';
import type { Corpus } from '../../../src-main/shared/corpus/types';
import type { Annotation, LogEntry } from '../../../src-main/shared/domain';
import { db } from '../db/db';
import { listAllLogEntries, listAnnotations } from '../db/repo';
import { buildSearchIndex, createSearchIndex, indexAnnotation, indexLogEntry, type SearchIndex } from '../db/search';

interface SearchState {
  index: SearchIndex | null;
  /** True while annotations and logs are still being indexed. */
  building: boolean;
  /** Bumped on every change, so memoised searches re-run. */
  version: number;
  build(corpus: Corpus): Promise<void>;
  annotationSaved(a: Annotation): void;
  logChanged(e: LogEntry): void;
}

type Update = { kind: 'annotation'; a: Annotation } | { kind: 'log'; e: LogEntry };
/** Changes saved while a background build runs, replayed onto the new index when it is ready. */
let pending: Update[] | null = null;

function apply(index: SearchIndex, u: Update): void {
  if (u.kind === 'annotation') indexAnnotation(index, u.a);
  else indexLogEntry(index, u.e); // a deleted entry is removed
}

export const useSearchStore = create<SearchState>()((set, get) => {
  const update = (u: Update) => {
    const { index } = get();
    if (index) apply(index, u);
    pending?.push(u);
    set({ version: get().version + 1 });
  };
  return {
    index: null,
    building: false,
    version: 0,
    async build(corpus) {
      pending = [];
      set({ index: createSearchIndex(corpus), building: true, version: get().version + 1 });
      try {
        const [annotations, logEntries] = await Promise.all([listAnnotations(db), listAllLogEntries(db)]);
        const full = await buildSearchIndex(corpus, { annotations, logEntries });
        for (const u of pending) apply(full, u);
        set({ index: full, version: get().version + 1 });
      } finally {
        pending = null;
        set({ building: false });
      }
    },
    annotationSaved: (a) => update({ kind: 'annotation', a }),
    logChanged: (e) => update({ kind: 'log', e }),
  };
});
