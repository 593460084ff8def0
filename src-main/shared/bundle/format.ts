/**
 * The bundle format (`*.pilotbundle`): a ZIP container that people exchange on USB sticks and by
 * mail. Pure TypeScript (no node, electron or DOM imports): it runs in the renderer's Web Worker
 * and in the CLI.
 *
 * Layout (formatVersion 4; version 3 added revisions of kind `check`, 本月已核实, to version 2's layout):
 *
 *   manifest.json            Manifest: format id and version, app version, corpus hash, author,
 *                            units, time, scope, counts, sha-256 and size of every other entry
 *   units.json               Unit[]
 *   annotations.json         Annotation[]      ┐ large lists are split into parts of at most
 *   revisions.json           Revision[]        │ PART_SOFT_BYTES: `revisions.json`,
 *   log-entries.json         LogEntry[]        │ `revisions.2.json`, `revisions.3.json` …, read
 *   evidence.json            Evidence[]        ┘ back in part order and concatenated
 *   attachments/<sha-256>    evidence files, each once, named by the hex sha-256 of its bytes
 *   periods.json             Period[]     evaluation periods (评估期)            ┐ since version 2;
 *   snapshots.json           Snapshot[]   read-only snapshots, each with its    ┘ a version 1 bundle
 *                                          content hash (src-main/shared/snapshot)  reads as having none
 *   rounds.json              Round[]            填报轮次                           ┐ since version 4
 *   submissions.json         Submission[]       报送 receipts                      │ (src-main/shared/rounds);
 *   reviews.json             ReviewDecision[]   审核 decisions (supervisor only)   ┘ older: none
 *
 * Since version 4 the manifest also says what the file is (`kind`: an ordinary bundle, a district's
 * 报送 or a supervisor's review file), the role the sender's profile declares, for a submission or a
 * review the round marker, and `signature` (null until files are signed).
 *   report-drafts.json          ReportDraft[]          ┐ optional, only in backups: the author's
 *   report-draft-revisions.json ReportDraftRevision[]  ┘ report drafts (absent: none)
 *
 * Invariants that stay the same in every format version (readers rely on them before migrating):
 * the file is a ZIP, `manifest.json` is a JSON object with `format`, `formatVersion` and
 * `entries` ({ [name]: { sha256, size } } for every entry except the manifest).
 */
import type { Annotation, Author, Evidence, LogEntry, Revision, Unit } from '../domain';
import type { Period, Snapshot } from '../snapshot/model';
import type { ReviewDecision, Round, RoundMarker, Submission } from '../rounds/schema';
import { ROUND_FILES, type BundleKind, type ProfileRole, type RoundListKind } from '../rounds/kinds';
import type { ReportDraft } from '../report/draft';
import type { ReportDraftRevision } from '../report/draftSchema';
import { fail, ok, type Result } from '../result';

export const FORMAT_ID = 'pilot-desk-bundle';
export const FORMAT_VERSION = 5;
/** File extension, without the dot. */
export const BUNDLE_EXTENSION = 'pilotbundle';

export type BundleScope = 'all' | 'units' | 'since';
export const BUNDLE_SCOPES = ['all', 'units', 'since'] as const satisfies readonly BundleScope[];

export interface BundleCounts {
  annotations: number;
  revisions: number;
  logEntries: number;
  evidence: number;
  attachments: number;
  /** Evaluation periods (format version 2; absent in version 1). */
  periods?: number;
  /** Read-only snapshots (format version 2; absent in version 1). */
  snapshots?: number;
  /** Rounds, submission receipts and review decisions (format version 4). */
  rounds?: number;
  submissions?: number;
  reviews?: number;
  /** Report drafts and their revisions (backups only; absent: none). */
  reportDrafts?: number;
  reportDraftRevisions?: number;
}

export interface ManifestEntry {
  /** Lower-case hex sha-256 of the entry's (uncompressed) bytes. */
  sha256: string;
  /** Uncompressed size in bytes. */
  size: number;
}

export interface Manifest {
  format: typeof FORMAT_ID;
  formatVersion: number;
  /** Version of the app that wrote the bundle. */
  appVersion: string;
  /** `corpus.hash` of the plan the annotations refer to. */
  corpusHash: string;
  /** Who exported (their name and unit). */
  author: Author;
  /** Units whose work is in the bundle (annotations, log entries or evidence), in unit order. */
  unitCodes: string[];
  /** ISO timestamp (UTC, milliseconds) of the export. */
  createdAt: string;
  scope: BundleScope;
  /** For scope `since`: the ISO timestamp records were selected from (inclusive). */
  since?: string;
  counts: BundleCounts;
  /** Every entry except `manifest.json`, by name. */
  entries: Record<string, ManifestEntry>;
  /** What the file is (version 4; older bundles read as 'bundle'). */
  kind?: BundleKind;
  /** The role the sender's profile declares — not proof of anything until files are signed. */
  role?: ProfileRole;
  /** A submission's or review's round, unit and submission. */
  round?: RoundMarker;
  /** Reserved for signing (always null for now). */
  signature?: null;
}

/** What the exporter supplies; `format`, version, unit codes, counts and entries are computed. */
export interface ManifestBase {
  appVersion: string;
  corpusHash: string;
  author: Author;
  createdAt: string;
  scope: BundleScope;
  since?: string;
  /** Default: an ordinary bundle from an official. */
  kind?: BundleKind;
  role?: ProfileRole;
  round?: RoundMarker;
}

/** The records a bundle carries. */
export interface BundleRecords {
  units: Unit[];
  annotations: Annotation[];
  revisions: Revision[];
  logEntries: LogEntry[];
  evidence: Evidence[];
}

/** A bundle that passed every check of `readBundle`. Attachments are keyed by their sha-256 hex. */
export interface BundleContent extends BundleRecords {
  manifest: Manifest;
  attachments: Map<string, Uint8Array>;
  /** Evaluation periods (empty for a version 1 bundle; `readBundle` always sets it). */
  periods?: Period[];
  /** Read-only snapshots, each checked against its hash (`readBundle` always sets it). */
  snapshots?: Snapshot[];
  /** Rounds, submission receipts, review decisions (empty before version 4; `readBundle` always sets them). */
  rounds?: Round[];
  submissions?: Submission[];
  reviews?: ReviewDecision[];
  /** Report drafts and their revisions, checked (`readBundle` always sets them; empty unless a backup carried some). */
  reportDrafts?: ReportDraft[];
  reportDraftRevisions?: ReportDraftRevision[];
}

/**
 * The optional entries of a backup that carry report drafts. Only backups write them (a bundle for a
 * colleague carries no drafts), and only when there are drafts, so a backup without drafts stays
 * readable by earlier versions of the app.
 */
export type DraftKind = 'reportDrafts' | 'reportDraftRevisions';
export const DRAFT_FILES: Record<DraftKind, string> = { reportDrafts: 'report-drafts.json', reportDraftRevisions: 'report-draft-revisions.json' };

/** The entries of format version 2 that carry periods and snapshots (one file each, never split). */
export type SnapshotKind = 'periods' | 'snapshots';
export const SNAPSHOT_FILES: Record<SnapshotKind, string> = { periods: 'periods.json', snapshots: 'snapshots.json' };

// ---------------------------------------------------------------------------------------------
// Entry names

export const MANIFEST_NAME = 'manifest.json';
export const ATTACHMENT_DIR = 'attachments/';

export type RecordKind = keyof BundleRecords;
export const RECORD_KINDS = ['units', 'annotations', 'revisions', 'logEntries', 'evidence'] as const satisfies readonly RecordKind[];

/** File name (without `.json`) of each record list. */
export const RECORD_FILES: Record<RecordKind, string> = {
  units: 'units',
  annotations: 'annotations',
  revisions: 'revisions',
  logEntries: 'log-entries',
  evidence: 'evidence',
};

/** Record lists that may be split into parts (units are few and always one file). */
const SPLITTABLE: readonly RecordKind[] = ['annotations', 'revisions', 'logEntries', 'evidence'];
/** A writer starts a new part once a part's JSON reaches this size (a part may exceed it by one record). */
export const PART_SOFT_BYTES = 16 * 1024 * 1024;
export const MAX_PARTS = 999;

/** Name of part `part` (1-based) of a record list: `revisions.json`, `revisions.2.json`, … */
export function partName(kind: RecordKind, part: number): string {
  return part === 1 ? `${RECORD_FILES[kind]}.json` : `${RECORD_FILES[kind]}.${part}.json`;
}

export type EntryName =
  | { type: 'manifest' }
  | { type: 'records'; kind: RecordKind; part: number }
  | { type: 'snapshots'; kind: SnapshotKind }
  | { type: 'drafts'; kind: DraftKind }
  | { type: 'rounds'; kind: RoundListKind }
  | { type: 'attachment'; hash: string };

const HEX64 = /^[0-9a-f]{64}$/;
const FILE_TO_KIND = new Map(RECORD_KINDS.map((k) => [RECORD_FILES[k], k]));

/** What an entry name means, or null when the format does not allow the name. */
export function parseEntryName(name: string): EntryName | null {
  if (name === MANIFEST_NAME) return { type: 'manifest' };
  if (name === SNAPSHOT_FILES.periods) return { type: 'snapshots', kind: 'periods' };
  if (name === SNAPSHOT_FILES.snapshots) return { type: 'snapshots', kind: 'snapshots' };
  for (const kind of ['rounds', 'submissions', 'reviews'] as const) if (name === ROUND_FILES[kind]) return { type: 'rounds', kind };
  if (name === DRAFT_FILES.reportDrafts) return { type: 'drafts', kind: 'reportDrafts' };
  if (name === DRAFT_FILES.reportDraftRevisions) return { type: 'drafts', kind: 'reportDraftRevisions' };
  if (name.startsWith(ATTACHMENT_DIR)) {
    const hash = name.slice(ATTACHMENT_DIR.length);
    return HEX64.test(hash) ? { type: 'attachment', hash } : null;
  }
  const m = /^([a-z-]+)(?:\.([1-9][0-9]{0,2}))?\.json$/.exec(name);
  if (!m) return null;
  const kind = FILE_TO_KIND.get(m[1]!);
  if (!kind) return null;
  const part = m[2] ? Number(m[2]) : 1;
  if (m[2] && (part < 2 || !SPLITTABLE.includes(kind))) return null;
  return { type: 'records', kind, part };
}

export const isBundleEntryName = (name: string): boolean => parseEntryName(name) !== null;

// ---------------------------------------------------------------------------------------------
// Format migrations (Excalidraw style): an ordered list, each lifting the raw JSON of a bundle by
// one version. Applied after the hashes are verified and before the strict schema runs, so the
// schema only ever sees the current version.

/** A bundle's parsed JSON before validation: the manifest object and each record list. */
export interface RawBundle {
  manifest: Record<string, unknown>;
  records: Record<RecordKind, unknown[]>;
  /** Version 2: periods and snapshots (absent before the v1→v2 migration). */
  periods?: unknown[];
  snapshots?: unknown[];
  /** Version 3: rounds, submissions, reviews (absent before the v2→v3 migration). */
  rounds?: unknown[];
  submissions?: unknown[];
  reviews?: unknown[];
}

export interface FormatMigration {
  from: number;
  to: number;
  /** Short Chinese title shown in logs, e.g. 「为修订记录增加 kind 字段」. */
  title: string;
  description: string;
  apply(raw: RawBundle): RawBundle;
}

/** The migrations of this app, oldest first. */
export const MIGRATIONS: readonly FormatMigration[] = [
  {
    from: 1,
    to: 2,
    title: '增加评估期与快照',
    description: 'Version 2 adds periods.json and snapshots.json and their counts. A version 1 bundle has neither: it reads as having no periods and no snapshots.',
    apply: (raw) => {
      const counts = (raw.manifest.counts ?? {}) as Record<string, unknown>;
      return { ...raw, periods: [], snapshots: [], manifest: { ...raw.manifest, counts: { ...counts, periods: 0, snapshots: 0 } } };
    },
  },
  {
    from: 2,
    to: 3,
    title: '增加本月核实记录',
    description:
      'Version 3 allows revisions of kind "check" (本月已核实: the task was looked at and confirmed, no field changed). A version 2 bundle has none, so its content reads unchanged; the step exists so that an app that knows only version 2 refuses a version 3 bundle with "please upgrade" instead of a record error.',
    apply: (raw) => raw,
  },
  {
    from: 3,
    to: 4,
    title: '增加填报轮次、报送与审核',
    description:
      'Version 4 adds rounds.json, submissions.json and reviews.json, and the manifest fields kind, role, round and signature. A version 3 bundle is an ordinary bundle from an official, with no rounds, receipts or review decisions.',
    apply: (raw) => {
      const counts = (raw.manifest.counts ?? {}) as Record<string, unknown>;
      return {
        ...raw,
        rounds: [],
        submissions: [],
        reviews: [],
        manifest: { ...raw.manifest, kind: 'bundle', role: 'official', signature: null, counts: { ...counts, rounds: 0, submissions: 0, reviews: 0 } },
      };
    },
  },
  {
    from: 4,
    to: 5,
    title: '增加延期申请与延期审核',
    description:
      'Version 5 lets a submission receipt carry 延期申请 (`extensions`) and a review decision answer one (`extend` / `refuse_extension` with the old and asked deadline). A version 4 bundle has neither, so its content reads unchanged; the step exists so that an app that knows only version 4 refuses a version 5 bundle with "please upgrade" instead of a record error.',
    apply: (raw) => raw,
  },
];

/** A migration list is well-formed: each step goes up by one, contiguous, ending at `target`. */
export function checkMigrations(list: readonly FormatMigration[], target: number = FORMAT_VERSION): string | null {
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    if (m.to !== m.from + 1) return `migration ${i}: to must be from + 1`;
    if (i > 0 && m.from !== list[i - 1]!.to) return `migration ${i}: not contiguous`;
  }
  if (list.length && list[list.length - 1]!.to !== target) return 'last migration does not reach the current version';
  return null;
}

/**
 * Lifts a raw bundle of `fromVersion` to `target` through `migrations`. A newer version fails with
 * `bundle.future_version`; a version no migration starts from fails with `bundle.unsupported_version`.
 */
export function migrateRaw(
  raw: RawBundle,
  fromVersion: number,
  migrations: readonly FormatMigration[] = MIGRATIONS,
  target: number = FORMAT_VERSION,
): Result<RawBundle> {
  if (fromVersion > target) return futureVersion(fromVersion, target);
  let current = raw;
  let version = fromVersion;
  while (version < target) {
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      return fail(
        'bundle.unsupported_version',
        `无法读取格式版本为 ${fromVersion} 的批注包（本软件支持版本 ${target}）。请让对方用新版本软件重新导出。`,
        `no migration from version ${version}`,
      );
    }
    try {
      current = step.apply(current);
    } catch (e) {
      return fail('bundle.migration_failed', `升级旧版批注包时出错（${step.title}），无法导入。请让对方用新版本软件重新导出。`, String(e));
    }
    version = step.to;
    current = { ...current, manifest: { ...current.manifest, formatVersion: version } };
  }
  return ok(current);
}

export function futureVersion(version: number, supported: number = FORMAT_VERSION): Result<never> {
  return fail(
    'bundle.future_version',
    `这个批注包由更新版本的软件导出（格式版本 ${version}，本软件支持到版本 ${supported}），请升级本软件后再导入。`,
    `formatVersion ${version} > ${supported}`,
  );
}
