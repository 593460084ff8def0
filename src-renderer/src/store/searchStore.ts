/**
 * The full-text index over task text, every annotation field and the progress logs. The task text
 * is searchable at once; the annotations and logs are indexed in the background in chunks and then
 * kept current one document at a time.
 *
 * At start-up the background build waits until the task list has painted with the unit's data
 * (`prepare` and `start` from the task list, in either order, or a search typed before that): reading and indexing
 * every annotation and log entry of the database takes seconds at city scale and must not delay
 * the first screen (issue #8). Until it is done `building` is true and the search box says so.
 *
 * The index follows the data-change event (db/mutate.ts): a saved annotation (form, case write-up,
 * restored revision, draft recovered at start-up) or log entry is re-indexed by itself; after an
 * import or a restore the whole index is rebuilt.
 */
import { create } from 'zustand';
import type { Corpus } from '../../../src-main/shared/corpus/types';
import type { Annotation, LogEntry } from '../../../src-main/shared/domain';
import { db } from '../db/db';
import { isBulkChange, onDataChange } from '../db/mutate';
import { listAllLogEntries, listAnnotations } from '../db/repo';
import { buildSearchIndex, createSearchIndex, indexAnnotation, indexLogEntry, type SearchIndex } from '../db/search';

/** A prepared build starts at the latest this long after `prepare` (e.g. the task list is not shown). */
export const BUILD_FALLBACK_MS = 4000;

interface SearchState {
  index: SearchIndex | null;
  /** True while annotations and logs are still being indexed (or waiting to be). */
  building: boolean;
  /** Bumped on every change, so memoised searches re-run. */
  version: number;
  /** Indexes the whole database now (also after an import or a restore). */
  build(corpus: Corpus): Promise<void>;
  /**
   * At start-up: the task text becomes searchable at once; the full build waits for `start`, or
   * `fallbackMs` at most.
   */
  prepare(corpus: Corpus, fallbackMs?: number): void;
  /**
   * Starts a prepared build now (first paint done, or a search typed); asked before `prepare`, the
   * build starts as soon as it is prepared.
   */
  start(): void;
  annotationSaved(a: Annotation): void;
  logChanged(e: LogEntry): void;
}

type Update = { kind: 'annotation'; a: Annotation } | { kind: 'log'; e: LogEntry };
/** Changes saved while a background build runs, replayed onto the new index when it is ready. */
let pending: Update[] | null = null;
/** A build `prepare` set up and nobody started yet. */
let prepared: { corpus: Corpus; timer: ReturnType<typeof setTimeout> } | null = null;
/** `start` was asked before `prepare` (both wait for the first paint, in either order). */
let startAsked = false;
/** The corpus of the last `prepare` or `build`: what a rebuild after an import or a restore indexes. */
let lastCorpus: Corpus | null = null;

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
      lastCorpus = corpus;
      if (prepared) {
        clearTimeout(prepared.timer);
        prepared = null;
      }
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
    prepare(corpus, fallbackMs = BUILD_FALLBACK_MS) {
      lastCorpus = corpus;
      if (prepared) clearTimeout(prepared.timer);
      // Saves made before the build starts are read from the database by the build itself.
      set({ index: createSearchIndex(corpus), building: true, version: get().version + 1 });
      prepared = { corpus, timer: setTimeout(() => get().start(), fallbackMs) };
      if (startAsked) get().start();
    },
    start() {
      startAsked = !prepared;
      if (!prepared) return;
      const { corpus } = prepared;
      void get()
        .build(corpus)
        .catch(() => undefined); // a failed read leaves the task-text index; the next import rebuilds
    },
    annotationSaved: (a) => update({ kind: 'annotation', a }),
    logChanged: (e) => update({ kind: 'log', e }),
  };
});

onDataChange((c) => {
  const search = useSearchStore.getState();
  if (c.kind === 'annotation') for (const a of c.annotations) search.annotationSaved(a);
  else if (c.kind === 'log') search.logChanged(c.entry);
  else if (isBulkChange(c) && lastCorpus) {
    // Not awaited: searching works on the old index until the new one is ready.
    void search.build(lastCorpus).catch(() => undefined);
  }
});
