/**
 * The one Dexie module: the renderer's IndexedDB database, its tables, the entity types with their
 * invariants, the versioned schema, and the one list of the tables that hold the person's data.
 * Views reach the data through `repo.ts` and the other db/ modules, never a table; the feature
 * services (bundles, backups, periods) work on the tables in transactions of their own. Every
 * write a person starts goes through `mutate.ts` (the repo's via `writes.ts`), which settles
 * pending edits first and announces the change.
 *
 * Schema versions only go up. A `version()` with an `upgrade()` is never removed or edited once
 * shipped: people open the app with databases of every earlier version, and each upgrade runs in
 * order. Every upgrade is covered by a migration test (tests/dom/db-schema.test.ts) that builds a
 * database at the old version with data in it and opens it with this module.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import {
  DEFAULT_UNITS,
  type Annotation,
  type Evidence,
  type LogEntry,
  type Revision,
  type Unit,
} from '../../../src-main/shared/domain';
import type { Period, Snapshot } from '../../../src-main/shared/snapshot/model';
import type { ReviewDecision, Round, Submission } from '../../../src-main/shared/rounds/schema';
import type { ReportDraft } from '../../../src-main/shared/report/draft';
import type { ReportDraftRevision } from '../../../src-main/shared/report/draftSchema';
import type { ImportDetail, ImportRecord, MetaRecord } from '../../../src-main/shared/store/types';

// The records of imports and the meta rows are shared with the import service (which also runs
// over a memory store on the command line); documented in src-main/shared/store/types.ts.
export type { ImportDetail, ImportRecord, ImportRows, ImportSummary, ImportedAnnotationRef, MetaRecord } from '../../../src-main/shared/store/types';

// ---------------------------------------------------------------------------------------------
// Entity types (those of the shared domain are documented in src-main/shared/domain.ts)

/** What the person told the app about themselves on first run. */
export interface Profile {
  /** 姓名, 1–40 characters, trimmed. */
  name: string;
  /** Code of the person's own unit (must be in `units`); decides which unit they edit by default. */
  unitCode: string;
  language: 'zh-CN' | 'en';
  /** 区级经办人 edits their unit; 市级督办 also switches units and merges bundles. */
  role: 'official' | 'supervisor';
}

/** A profile field whose changes are kept (the interface language is a preference, not who one is). */
export type ProfileHistoryField = 'name' | 'unitCode' | 'role';

/** One save that changed the profile: when, and each field from what to what (unit codes, role ids). */
export interface ProfileChange {
  at: string;
  changes: { field: ProfileHistoryField; from: string; to: string }[];
}

/**
 * The stored profile: exactly one row, id `local`. `history` holds every change since the first
 * save, oldest first (absent in rows written before changes were kept). It stays on this machine,
 * like the profile itself: not in backups or bundles.
 */
export interface ProfileRecord extends Profile {
  id: 'local';
  updatedAt: string;
  history?: ProfileChange[];
}

/**
 * An evidence file. Invariant: `hash` is the sha-256 (lower-case hex) of the bytes of `blob`, and
 * `size` their length (≤ MAX_ATTACHMENT_BYTES). Stored once per hash however many evidence rows
 * refer to it; rows are never changed once written.
 */
export interface AttachmentRecord {
  hash: string;
  /** File name under which it was first stored (each evidence row keeps its own name too). */
  name: string;
  mime: string;
  size: number;
  blob: Blob;
  addedAt: string;
}

/** An import record with its undo lists: one row of `imports` as schema versions 2–4 stored it. */
export type ImportWithDetail = ImportRecord & Omit<ImportDetail, 'id'>;

/** The fields of an import that go to `importDetails` (schema v5); the rest stay in `imports`. */
const DETAIL_FIELDS = ['before', 'after', 'bundleHeads'] as const;

/** Splits an import as versions 2–4 stored it into its record and its detail (fields it lacks stay absent). */
export function splitImport(full: Record<string, unknown> & { id: string }): { record: Record<string, unknown>; detail: Record<string, unknown> } {
  const record: Record<string, unknown> = { ...full };
  const detail: Record<string, unknown> = { id: full.id };
  for (const f of DETAIL_FIELDS) {
    if (f in record) {
      if (record[f] !== undefined) detail[f] = record[f];
      delete record[f];
    }
  }
  return { record, detail };
}

// ---------------------------------------------------------------------------------------------
// Schema

/** Version 1: the tables of the annotation workspace. */
const SCHEMA_V1 = {
  profile: 'id',
  units: 'code, order',
  annotations: 'key, taskId, unitCode, status, updatedAt',
  revisions: 'id, key, at',
  logEntries: 'id, [taskId+unitCode], updatedAt',
  evidence: 'id, [taskId+unitCode], attachmentHash, updatedAt',
  attachments: 'hash',
} as const;

/** Version 2: facts about the database itself, and the import records that make imports undoable. */
const SCHEMA_V2 = {
  meta: 'key',
  imports: 'id, at',
} as const;

/**
 * Version 3: evaluation periods and their read-only snapshots (src-main/shared/snapshot). Snapshots
 * are written once and never changed; `periodId` lists a period's snapshots, `frozenAt` orders them.
 */
const SCHEMA_V3 = {
  periods: 'id, start',
  snapshots: 'id, periodId, frozenAt',
} as const;

/**
 * Version 4: an index that carries, for every revision, what the dashboard's monthly series needs
 * (`key`, `at`, `fields.status`), so the series is read from index keys alone (a keys-only cursor,
 * `loadStatusHistories`) instead of whole revisions with their rich-text snapshots. IndexedDB keeps
 * it in step with every write path (saves, imports, restores, undo, backup restore) by itself.
 * And import records by the sha-256 of their bundle file, so "was this very file imported?" reads the
 * matching records only, not every import record with its lists of written ids (re-import, issue #8).
 */
const SCHEMA_V4 = {
  revisions: 'id, key, at, [key+at+fields.status]',
  imports: 'id, at, bundleSha256',
} as const;

/**
 * Version 5: an import's undo lists in a table of their own (`ImportDetail`), so that the import
 * history and the look-up of a re-opened file read the small records only; the upgrade moves the
 * lists out of every existing record.
 */
const SCHEMA_V5 = {
  importDetails: 'id',
} as const;

/**
 * Version 6: report drafts (报告起草, src-main/shared/report/draft.ts) and their revisions — one per
 * working session (src-main/shared/report/draftSchema.ts). `updatedAt` lists drafts newest first;
 * `[draftId+at]` a draft's revisions in order.
 */
const SCHEMA_V6 = {
  reportDrafts: 'id, updatedAt',
  reportDraftRevisions: 'id, draftId, [draftId+at]',
};

/**
 * Version 7: the 督办 loop (src-main/shared/rounds): 填报轮次, the receipts of 报送 (a district's own,
 * a supervisor's imported ones; listed by round and unit) and the 审核 decisions (by round and unit,
 * by task and unit for a task's badge and history, by the review file that issued them).
 */
const SCHEMA_V7 = {
  rounds: 'id, dueDate',
  submissions: 'id, [roundId+unitCode], submittedAt',
  reviews: 'id, [roundId+unitCode], [taskId+unitCode], reviewId',
} as const;

/**
 * The tables that hold the person's data, written once: what a backup holds and its fingerprint
 * reads, what a bundle export reads (all but `imports`), what a restore replaces
 * (`REPLACED_ON_RESTORE`), and what the backup scheduler watches. Not `profile` and `meta`
 * (this machine's own) nor `importDetails` (the undo lists of this machine's imports).
 */
export const DATA_TABLES = [
  'units',
  'annotations',
  'revisions',
  'logEntries',
  'evidence',
  'attachments',
  'imports',
  'periods',
  'snapshots',
  'reportDrafts',
  'reportDraftRevisions',
  'rounds',
  'submissions',
  'reviews',
] as const;
export type DataTable = (typeof DATA_TABLES)[number];

/** Report drafts and their revisions: in backups (and restored from them), never in a bundle for a colleague. */
export const DRAFT_TABLES = ['reportDrafts', 'reportDraftRevisions'] as const satisfies readonly DataTable[];

/** The data tables a bundle carries (the import history stays on the machine that imported; drafts are the author's). */
export const BUNDLED_TABLES = DATA_TABLES.filter((t) => t !== 'imports' && !(DRAFT_TABLES as readonly string[]).includes(t));

/**
 * The data tables a restore empties and fills from the backup: files are content-addressed and
 * never change, so `attachments` only gains the missing ones; the import history stays.
 */
export const REPLACED_ON_RESTORE = DATA_TABLES.filter((t): t is Exclude<DataTable, 'attachments' | 'imports'> => t !== 'attachments' && t !== 'imports');

/** Name of the v4 index on `revisions` (as IndexedDB knows it). */
export const REVISION_STATUS_INDEX = '[key+at+fields.status]';

/** The schema version this module creates and upgrades to. */
export const SCHEMA_VERSION = 7;

function currentOrigin(): string {
  return typeof location !== 'undefined' ? location.origin : 'unknown';
}

/** The typed database. Use `createDb` (tests) or the `db` singleton (the app). */
export class PilotDb extends Dexie {
  profile!: EntityTable<ProfileRecord, 'id'>;
  units!: EntityTable<Unit, 'code'>;
  annotations!: EntityTable<Annotation, 'key'>;
  revisions!: EntityTable<Revision, 'id'>;
  logEntries!: EntityTable<LogEntry, 'id'>;
  evidence!: EntityTable<Evidence, 'id'>;
  attachments!: EntityTable<AttachmentRecord, 'hash'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  imports!: EntityTable<ImportRecord, 'id'>;
  importDetails!: EntityTable<ImportDetail, 'id'>;
  periods!: EntityTable<Period, 'id'>;
  snapshots!: EntityTable<Snapshot, 'id'>;
  rounds!: EntityTable<Round, 'id'>;
  submissions!: EntityTable<Submission, 'id'>;
  reviews!: EntityTable<ReviewDecision, 'id'>;
  reportDrafts!: EntityTable<ReportDraft, 'id'>;
  reportDraftRevisions!: EntityTable<ReportDraftRevision, 'id'>;

  /** App version written into `meta.schema` when this instance creates the database. */
  appVersion = 'unknown';
  /** Set during `open()`: the database did not exist and was created (and seeded). */
  wasCreated = false;
  /** Set during `open()`: the version the database was upgraded from, if it was. */
  upgradedFrom: number | null = null;

  constructor(name: string, options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}) {
    // Strict durability: a write resolves only once it is on disk, so "已保存" means saved even if
    // the laptop loses power a moment later (Chromium defaults to relaxed since v83).
    super(name, { ...options, chromeTransactionDurability: 'strict' });

    this.version(1).stores(SCHEMA_V1);

    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        this.upgradedFrom = 1;
        const at = new Date().toISOString();
        // v1 could write a log entry without `updatedAt` (early builds set it only on edit). Such an
        // entry is missing from the `updatedAt` index, so "changed since" queries (bundle export)
        // would skip it; give it its creation time.
        await tx
          .table<LogEntry, string>('logEntries')
          .toCollection()
          .modify((e) => {
            if (!e.updatedAt) e.updatedAt = e.createdAt || at;
            if (e.deleted === undefined) e.deleted = false;
          });
        await tx.table<MetaRecord, string>('meta').bulkPut([
          { key: 'upgradedFrom', value: 1, at },
          // IndexedDB is per origin: if the harness port or the app's scheme changes, the data is
          // still here but unreachable. Recording where it lives makes that diagnosable.
          { key: 'origin', value: currentOrigin(), at },
        ]);
      });

    // New tables only: nothing to convert, but the upgrade is recorded like v1→v2's.
    this.version(3)
      .stores(SCHEMA_V3)
      .upgrade(async (tx) => {
        this.upgradedFrom ??= 2;
        await tx.table<MetaRecord, string>('meta').put({ key: 'upgradedFrom', value: this.upgradedFrom, at: new Date().toISOString() });
      });

    // A new index only: IndexedDB fills it from the existing revisions while upgrading (one read of
    // every revision, once); the upgrade is recorded like the others.
    this.version(4)
      .stores(SCHEMA_V4)
      .upgrade(async (tx) => {
        this.upgradedFrom ??= 3;
        await tx.table<MetaRecord, string>('meta').put({ key: 'upgradedFrom', value: this.upgradedFrom, at: new Date().toISOString() });
      });

    // Each import record's lists move to `importDetails` (one read and two writes per record, once).
    this.version(5)
      .stores(SCHEMA_V5)
      .upgrade(async (tx) => {
        this.upgradedFrom ??= 4;
        const imports = tx.table<Record<string, unknown> & { id: string }, string>('imports');
        const parts = (await imports.toArray()).map(splitImport);
        await tx.table('importDetails').bulkPut(parts.map((p) => p.detail));
        await imports.bulkPut(parts.map((p) => p.record as Record<string, unknown> & { id: string }));
        await tx.table<MetaRecord, string>('meta').put({ key: 'upgradedFrom', value: this.upgradedFrom, at: new Date().toISOString() });
      });

    // New tables only (report drafts): existing data is untouched; the upgrade is recorded.
    this.version(6)
      .stores(SCHEMA_V6)
      .upgrade(async (tx) => {
        this.upgradedFrom ??= 5;
        await tx.table<MetaRecord, string>('meta').put({ key: 'upgradedFrom', value: this.upgradedFrom, at: new Date().toISOString() });
      });

    // New tables only (rounds, submissions, reviews): existing data is untouched; the upgrade is recorded.
    this.version(7)
      .stores(SCHEMA_V7)
      .upgrade(async (tx) => {
        this.upgradedFrom ??= 6;
        await tx.table<MetaRecord, string>('meta').put({ key: 'upgradedFrom', value: this.upgradedFrom, at: new Date().toISOString() });
      });

    this.on('populate', (tx: Transaction) => {
      this.wasCreated = true;
      const at = new Date().toISOString();
      return Promise.all([
        tx.table<Unit, string>('units').bulkAdd(DEFAULT_UNITS.map((u) => ({ ...u }))),
        tx.table<MetaRecord, string>('meta').bulkAdd([
          { key: 'schema', value: { version: SCHEMA_VERSION, createdBy: this.appVersion }, at },
          { key: 'origin', value: currentOrigin(), at },
        ]),
      ]);
    });
  }
}

/** The Dexie tables of `names` (default: every data table), e.g. for a transaction's scope. */
export function tablesOf(database: PilotDb, names: readonly DataTable[] = DATA_TABLES) {
  return names.map((n) => database[n]);
}

/** A database handle (not yet opened). Tests give each case its own name. */
export function createDb(name = 'pilot-desk', options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}): PilotDb {
  return new PilotDb(name, options);
}

/** The app's database. */
export const db: PilotDb = createDb();

export type Persistence = 'granted' | 'denied' | 'unsupported';

/**
 * Asks the browser not to evict this origin's storage under disk pressure. Without it, Chromium may
 * delete IndexedDB of a "best-effort" origin; the UI shows the answer so a person knows.
 */
export async function requestPersistence(): Promise<Persistence> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage || typeof storage.persist !== 'function') return 'unsupported';
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) return 'granted';
    return (await storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}

/** What opening the database found. */
export interface OpenOutcome {
  /** The database did not exist: it was created and the default units seeded. */
  created: boolean;
  /** Schema version it was upgraded from, or null. */
  upgradedFrom: number | null;
  /** Null when `persist: false` was passed. */
  persistence: Persistence | null;
}

/**
 * Opens the database (creating and seeding it on first run, upgrading an older one), records which
 * app version opened it, and asks for persistent storage. Throws only if IndexedDB itself fails
 * (e.g. a newer app version already upgraded the database): the app shows that as an error screen.
 *
 * `record: 'later'`: only opens (and refuses a newer database); the caller runs `recordOpened` when
 * it suits it. The app does, after its first screen: the record is a durable write (an fsync) and
 * nothing on that screen needs it (issue #8).
 */
export async function openDatabase(
  database: PilotDb = db,
  options: { appVersion?: string; persist?: boolean; record?: 'now' | 'later' } = {},
): Promise<OpenOutcome> {
  if (options.appVersion) database.appVersion = options.appVersion;
  if (!database.isOpen()) await database.open();
  // Dexie 4 opens a database that a newer app already upgraded (it adapts to the installed
  // version). Writing to it with this older schema could corrupt it, so refuse: close it and fail
  // with a VersionError the app shows as 请升级本软件.
  const installed = Math.round(database.backendDB().version / 10);
  if (installed > SCHEMA_VERSION) {
    database.close();
    throw new Dexie.VersionError(`database version ${installed} is newer than this app's schema ${SCHEMA_VERSION}`);
  }
  const persistence = options.record === 'later' ? null : await recordOpened(database, options.appVersion, options.persist);
  return { created: database.wasCreated, upgradedFrom: database.upgradedFrom, persistence };
}

/**
 * What opening does besides opening: notes `appVersion` as the database's `lastOpenedBy` (if given)
 * and, unless `persist` is false, asks for persistent storage (null then).
 */
export async function recordOpened(database: PilotDb, appVersion?: string, persist?: boolean): Promise<Persistence | null> {
  if (appVersion) {
    await database.meta.put({ key: 'lastOpenedBy', value: appVersion, at: new Date().toISOString() });
  }
  return persist === false ? null : await requestPersistence();
}
