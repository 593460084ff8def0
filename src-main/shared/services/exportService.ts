/**
 * Exporting from a store (see store/types.ts): every record in one consistent read, and the bundle
 * of a chosen scope. The app exports from its IndexedDB database (bundleService; backups read the
 * same records), the command line from the memory store its merge filled.
 */
import type { Annotation, Author, Evidence, LogEntry, Revision, Unit } from '../domain';
import type { Corpus } from '../corpus/types';
import { selectForExport, writeBundle, type ExportScope } from '../bundle/write';
import { fail, ok, type Result } from '../result';
import type { Period, Snapshot } from '../snapshot/model';
import type { ReviewDecision, Round, Submission } from '../rounds/schema';
import type { ProfileRole } from '../rounds/kinds';
import type { ImportStore, StoredFile } from '../store/types';
import { markRevisionsShared } from './revisionWindow';

export interface ExportRequest {
  scope: ExportScope;
  author: Author;
  appVersion: string;
  corpus: Pick<Corpus, 'hash'>;
  now?: Date;
  /**
   * The exporter's profile role (default official). An official's bundle carries no review
   * decisions (those it received stay here: a recipient would refuse them from an official's file);
   * a supervisor's carries the issued ones, never drafts.
   */
  role?: ProfileRole;
}

/** Every record an export or backup needs, with the files live evidence refers to. */
export interface AllRecords<F extends StoredFile = StoredFile> {
  units: Unit[];
  annotations: Annotation[];
  revisions: Revision[];
  logEntries: LogEntry[];
  evidence: Evidence[];
  files: F[];
  periods: Period[];
  snapshots: Snapshot[];
  rounds: Round[];
  submissions: Submission[];
  reviews: ReviewDecision[];
}

/**
 * Reads every record in ONE read transaction, so the snapshot is consistent: a save between two
 * separate reads could give an annotation without its head revision. Called inside an outer
 * transaction over the same tables, it joins that one. `share`: the records are about to leave the
 * machine (a bundle, a submission): every revision read is marked shared, never amended again.
 */
export function readAllRecords<F extends StoredFile>(store: ImportStore<F>, options: { share?: boolean; now?: Date } = {}): Promise<AllRecords<F>> {
  // What leaves the machine is shared: in the same transaction as the read, so no save in between
  // can amend a revision after it was read (see revisionWindow.ts).
  return store.transaction(options.share ? 'rw' : 'r', async () => {
    if (options.share) await markRevisionsShared(store.meta, options.now);
    const [units, annotations, revisions, logEntries, evidence, periods, snapshots, rounds, submissions, reviews] = await Promise.all([
      store.units.toArray(),
      store.annotations.toArray(),
      store.revisions.toArray(),
      store.logEntries.toArray(),
      store.evidence.toArray(),
      store.periods.toArray(),
      store.snapshots.toArray(),
      store.rounds.toArray(),
      store.submissions.toArray(),
      store.reviews.toArray(),
    ]);
    const wanted = [...new Set(evidence.filter((e) => !e.deleted && e.attachmentHash).map((e) => e.attachmentHash!))];
    const files = (await store.attachments.bulkGet(wanted)).filter((a): a is F => !!a);
    return { units, annotations, revisions, logEntries, evidence, files, periods, snapshots, rounds, submissions, reviews };
  });
}

/** Builds the bundle bytes for a scope from the whole store. */
export async function buildExport<F extends StoredFile>(
  store: ImportStore<F>,
  req: ExportRequest,
): Promise<Result<{ bytes: Uint8Array; counts: { annotations: number; units: string[] } }>> {
  const { files, ...records } = await readAllRecords(store, { share: true, ...(req.now ? { now: req.now } : {}) });
  const attachments = await store.attachments.bytes(files);
  const selected = selectForExport({ ...records, attachments }, req.scope);
  if (!selected.ok) return selected;
  const role = req.role ?? 'official';
  selected.value.reviews = role === 'supervisor' ? selected.value.reviews.filter((d) => d.reviewId !== null) : [];
  // A supervisor's bundle of rounds alone is worth sending: it is how districts learn of a round.
  if (selected.value.annotations.length + selected.value.logEntries.length + selected.value.evidence.length + selected.value.rounds.length === 0) {
    return fail('bundle.nothing_to_export', '所选范围内没有可导出的批注、进展记录或佐证材料。');
  }
  const createdAt = (req.now ?? new Date()).toISOString();
  const bytes = writeBundle({
    ...selected.value,
    manifest: {
      appVersion: req.appVersion,
      corpusHash: req.corpus.hash,
      author: req.author,
      createdAt,
      scope: req.scope.scope,
      ...(req.scope.scope === 'since' ? { since: req.scope.since } : {}),
      role,
    },
  });
  return ok({ bytes, counts: { annotations: selected.value.annotations.length, units: [...new Set(selected.value.annotations.map((a) => a.unitCode))] } });
}
