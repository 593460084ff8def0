/**
 * The import store over plain Maps, for the command line (and tests): no database, the same
 * operations and the same all-or-nothing transactions as the app's IndexedDB store. A transaction
 * remembers every table as it was and puts them back if it throws. It serves one caller at a time
 * (the command line awaits each import before the next); a transaction started inside another one
 * joins it.
 */
import type { Annotation, Evidence, LogEntry, Revision, Unit } from '../domain';
import type { Period, Snapshot } from '../snapshot/model';
import type { ReviewDecision, Round, Submission } from '../rounds/schema';
import type { ImportDetail, ImportRecord, ImportStore, MetaRecord, NewFile, StoreTable } from './types';

/** The error IndexedDB raises for an add under a key that is taken; the import services look for the name. */
function constraintError(key: string): Error {
  const e = new Error(`Key already exists in the object store: ${key}`);
  e.name = 'ConstraintError';
  return e;
}

class MemoryTable<T> implements StoreTable<T> {
  rows = new Map<string, T>();
  constructor(readonly keyOf: (row: T) => string) {}
  async get(key: string) {
    return this.rows.get(key);
  }
  async bulkGet(keys: readonly string[]) {
    return keys.map((k) => this.rows.get(k));
  }
  async put(row: T) {
    this.rows.set(this.keyOf(row), row);
  }
  async bulkPut(rows: readonly T[]) {
    for (const r of rows) this.rows.set(this.keyOf(r), r);
  }
  async bulkAdd(rows: readonly T[]) {
    const keys = new Set<string>();
    for (const r of rows) {
      const k = this.keyOf(r);
      if (this.rows.has(k) || keys.has(k)) throw constraintError(k);
      keys.add(k);
    }
    for (const r of rows) this.rows.set(this.keyOf(r), r);
  }
  async bulkDelete(keys: readonly string[]) {
    for (const k of keys) this.rows.delete(k);
  }
  async toArray() {
    return [...this.rows.values()];
  }
  where(test: (row: T) => boolean): T[] {
    const out: T[] = [];
    for (const r of this.rows.values()) if (test(r)) out.push(r);
    return out;
  }
}

export interface MemoryStore extends ImportStore<NewFile> {
  /** The stored files with their bytes, by hash (what an export of the store carries). */
  files(): ReadonlyMap<string, NewFile>;
}

export function createMemoryStore(): MemoryStore {
  const units = new MemoryTable<Unit>((u) => u.code);
  const annotations = new MemoryTable<Annotation>((a) => a.key);
  const revisions = new MemoryTable<Revision>((r) => r.id);
  const logEntries = new MemoryTable<LogEntry>((e) => e.id);
  const evidence = new MemoryTable<Evidence>((e) => e.id);
  const attachments = new MemoryTable<NewFile>((f) => f.hash);
  const periods = new MemoryTable<Period>((p) => p.id);
  const snapshots = new MemoryTable<Snapshot>((s) => s.id);
  const rounds = new MemoryTable<Round>((r) => r.id);
  const submissions = new MemoryTable<Submission>((s) => s.id);
  const reviews = new MemoryTable<ReviewDecision>((d) => d.id);
  const imports = new MemoryTable<ImportRecord>((r) => r.id);
  const importDetails = new MemoryTable<ImportDetail>((d) => d.id);
  const meta = new MemoryTable<MetaRecord>((m) => m.key);
  const all: MemoryTable<unknown>[] = [units, annotations, revisions, logEntries, evidence, attachments, periods, snapshots, rounds, submissions, reviews, imports, importDetails, meta] as MemoryTable<unknown>[];
  let depth = 0;

  return {
    units,
    annotations: Object.assign(annotations, {
      countByUnit: async (codes: readonly string[]) => {
        const set = new Set(codes);
        return annotations.where((a) => set.has(a.unitCode)).length;
      },
    }),
    revisions: Object.assign(revisions, {
      byAnnotation: async (keys: readonly string[]) => {
        const set = new Set(keys);
        return revisions.where((r) => set.has(r.key));
      },
    }),
    logEntries,
    evidence: Object.assign(evidence, {
      byAttachment: async (hashes: readonly string[]) => {
        const set = new Set(hashes);
        return evidence.where((e) => !!e.attachmentHash && set.has(e.attachmentHash));
      },
    }),
    attachments: {
      bulkGet: (hashes) => attachments.bulkGet(hashes),
      bulkPut: (files) => attachments.bulkPut(files),
      bulkDelete: (hashes) => attachments.bulkDelete(hashes),
      bytes: async (files) => new Map(files.map((f) => [f.hash, f.bytes])),
    },
    periods,
    snapshots: Object.assign(snapshots, {
      byPeriod: async (ids: readonly string[]) => {
        const set = new Set(ids);
        return snapshots.where((s) => set.has(s.periodId));
      },
    }),
    rounds,
    submissions,
    reviews: Object.assign(reviews, { byReview: async (reviewId: string) => reviews.where((d) => d.reviewId === reviewId) }),
    imports,
    importDetails,
    meta,
    files: () => attachments.rows,
    async transaction<T>(mode: 'r' | 'rw', fn: () => Promise<T>): Promise<T> {
      // A read-only transaction has nothing to undo (and a read inside a write joins it).
      if (depth > 0 || mode === 'r') return fn();
      // Rows are never changed in place (see types.ts), so copying the maps keeps the old state.
      const saved = all.map((t) => new Map(t.rows));
      depth++;
      try {
        return await fn();
      } catch (e) {
        all.forEach((t, i) => (t.rows = saved[i]!));
        throw e;
      } finally {
        depth--;
      }
    },
  };
}
