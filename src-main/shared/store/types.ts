/**
 * The storage the import services work over: the tables an import previews, writes and undoes,
 * with the few operations it uses. The app implements it over its IndexedDB (Dexie) database in the
 * renderer; the command line over plain Maps (memoryStore.ts). The same service code decides and
 * writes in both, so a report built from the command line merges bundles exactly as the app does.
 *
 * Rows are values: an implementation may keep the very objects it is given, so callers never change
 * a row after writing it or one they have read.
 */
import type { Annotation, Author, Evidence, LogEntry, Revision, Unit } from '../domain';
import type { Period, Snapshot } from '../snapshot/model';
import type { ReviewDecision, Round, Submission } from '../rounds/schema';

// ---------------------------------------------------------------------------------------------
// Records of imports (stored by the app in the tables `imports` and `importDetails`)

/** The rows an import touched, as they were before it or as it left them. */
export interface ImportRows {
  annotations: Annotation[];
  logEntries: LogEntry[];
  evidence: Evidence[];
  /** Local periods the import replaced with the bundle's newer version (as they were). */
  periods?: Period[];
}

/** Counts shown in the import preview and the import history. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
}

/** What an import record keeps of a row it wrote: enough to find it and to see whether it moved since. */
export interface ImportedAnnotationRef {
  key: string;
  taskId: string;
  unitCode: string;
  head: string;
}

/**
 * One applied bundle import, as the import history lists it and as a re-opened file is matched to it
 * (table `imports`). What makes it undoable — the rows it wrote and what they were before — is its
 * `ImportDetail` under the same id (table `importDetails`, schema v5), read only to undo it: the
 * lists grow with the bundle (162 k revision ids for a ×4 city bundle), and the history and
 * "was this very file imported?" need none of them (issue #8). `bundleSha256` (absent in older
 * records): the sha-256 of the bundle file, so that the same file, opened again, is answered at once
 * as already here.
 */
export interface ImportRecord {
  id: string;
  at: string;
  fileName: string;
  /** Author named in the bundle's manifest. */
  author: Author;
  summary: ImportSummary;
  bundleSha256?: string;
  /** The revision-removal count (importService's REVISION_REMOVALS_KEY) when it was applied. */
  revisionRemovalsAtApply?: number;
  /** Set when the import was undone; the record stays. */
  undoneAt?: string;
  undoneBy?: Author;
}

/**
 * The undo lists of import `id`. Invariant: `before` holds, for every row the import wrote, that row
 * as it was before (absent = the import created it); `after` names the rows the import wrote (keys
 * and ids; annotations with the head it left — records written before issue 8 hold whole rows, which
 * have the same fields). Revisions the import added are in `revisionIds` (undo deletes exactly
 * these). `bundleHeads` (with `bundleSha256` on the record): the head revisions of all the bundle's
 * annotations.
 */
export interface ImportDetail {
  id: string;
  before: ImportRows;
  after: {
    annotations: ImportedAnnotationRef[];
    /** With the `updatedAt` the import wrote (absent in records from before it was kept): undo refuses when it has changed since. */
    logEntries: { id: string; updatedAt?: string }[];
    evidence: { id: string; updatedAt?: string }[];
    revisionIds: string[];
    attachmentHashes: string[];
    unitCodes?: string[];
    /** Periods and snapshots the import added (undo removes them). */
    periodIds?: string[];
    snapshotIds?: string[];
    /**
     * Every period version the import wrote, added or updated (undo leaves a period alone that has
     * been edited since, so it never throws away a later rename).
     */
    periods?: Period[];
    /** Rounds, receipts and review decisions the import added (undo removes them). */
    roundIds?: string[];
    submissionIds?: string[];
    reviewIds?: string[];
  };
  bundleHeads?: string[];
}

/** A key/value fact about the data itself (schema origin, upgrades, counters). */
export interface MetaRecord {
  /** `schema` · `origin` · `upgradedFrom` · `lastOpenedBy` · … */
  key: string;
  value: unknown;
  at: string;
}

/** A stored evidence file, without its bytes (stored once per hash, never changed once written). */
export interface StoredFile {
  hash: string;
  /** File name under which it was first stored (each evidence row keeps its own name too). */
  name: string;
  mime: string;
  size: number;
  addedAt: string;
}

/** A file to store: `hash` is the sha-256 (lower-case hex) of `bytes`, `size` their length. */
export interface NewFile extends StoredFile {
  bytes: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** A table of rows of type T under a string key. */
export interface StoreTable<T> {
  get(key: string): Promise<T | undefined>;
  /** One answer per key, in order (undefined where there is no row). */
  bulkGet(keys: readonly string[]): Promise<(T | undefined)[]>;
  put(row: T): Promise<void>;
  bulkPut(rows: readonly T[]): Promise<void>;
  /**
   * Adds rows that must be new: if a key is taken, it throws an error named `ConstraintError` (or a
   * bulk error whose `failures` include one), which aborts the enclosing transaction.
   */
  bulkAdd(rows: readonly T[]): Promise<void>;
  bulkDelete(keys: readonly string[]): Promise<void>;
  toArray(): Promise<T[]>;
}

/**
 * Everything an import or an export reads and writes. `transaction` runs `fn` all or nothing: if it
 * throws, nothing it wrote stays. Called inside another transaction, it joins that one. Inside, only the
 * store's own operations are awaited (IndexedDB commits a transaction that waits on anything else).
 */
export interface ImportStore<F extends StoredFile = StoredFile> {
  units: StoreTable<Unit>;
  annotations: StoreTable<Annotation> & {
    /** How many annotations belong to these units. */
    countByUnit(unitCodes: readonly string[]): Promise<number>;
  };
  revisions: StoreTable<Revision> & {
    /** Every revision of these annotation keys (`${taskId}|${unitCode}`). */
    byAnnotation(keys: readonly string[]): Promise<Revision[]>;
  };
  logEntries: StoreTable<LogEntry>;
  evidence: StoreTable<Evidence> & {
    /** The evidence rows (deleted or not) that refer to these files. */
    byAttachment(hashes: readonly string[]): Promise<Evidence[]>;
  };
  attachments: {
    /** The stored files (as the implementation keeps them: `F`), without reading their bytes. */
    bulkGet(hashes: readonly string[]): Promise<(F | undefined)[]>;
    bulkPut(files: readonly NewFile[]): Promise<void>;
    bulkDelete(hashes: readonly string[]): Promise<void>;
    /** The bytes of files read with `bulkGet`, by hash. Not database work: call it outside a transaction. */
    bytes(files: readonly F[]): Promise<Map<string, Uint8Array>>;
  };
  periods: StoreTable<Period>;
  snapshots: StoreTable<Snapshot> & {
    /** The snapshots of these periods. */
    byPeriod(periodIds: readonly string[]): Promise<Snapshot[]>;
  };
  /** 填报轮次, 报送 receipts and 审核 decisions (src-main/shared/rounds). */
  rounds: StoreTable<Round>;
  submissions: StoreTable<Submission>;
  reviews: StoreTable<ReviewDecision> & {
    /** The decisions issued in the review file `reviewId`. */
    byReview(reviewId: string): Promise<ReviewDecision[]>;
  };
  imports: StoreTable<ImportRecord>;
  importDetails: StoreTable<ImportDetail>;
  meta: StoreTable<MetaRecord>;
  transaction<T>(mode: 'r' | 'rw', fn: () => Promise<T>): Promise<T>;
}
