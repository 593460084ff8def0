/**
 * The one write path of the renderer. A write the person starts goes through `mutate`:
 *
 * 1. every open editor first saves what was typed (`settlePendingEdits`: editors register a settle
 *    function), so the write — an export, an import, a restore, a snapshot — sees the latest text;
 * 2. the write runs;
 * 3. if it changed data, one typed `DataChange` is sent to every subscriber (the search index, the
 *    session's unit list, the open editor, the periods screen …), each of which keeps its own
 *    in-memory view current — no caller has to know who else needs to hear about it.
 *
 * This module imports no store or feature: they import it and subscribe.
 */
import type { Annotation, Evidence, LogEntry } from '../../../src-main/shared/domain';

/** What changed. One event per committed write; a refused or no-op write sends none. */
export type DataChange =
  /**
   * Annotations were saved (form, case write-up, restored revision, a draft recovered at start-up,
   * a cell of the 本月更新 grid, or a 本月已核实 record).
   */
  | { kind: 'annotation'; source: 'edit' | 'case' | 'revision' | 'draft' | 'grid' | 'check'; annotations: Annotation[] }
  /** A progress-log entry was added, changed or deleted (a deleted one has `deleted: true`). */
  | { kind: 'log'; entry: LogEntry }
  /** An evidence row was added, changed or deleted. */
  | { kind: 'evidence'; evidence: Evidence }
  /** A bundle import was applied or undone: any row of any table may have changed. */
  | { kind: 'import'; action: 'applied' | 'undone'; importId: string | null }
  /** A backup was restored, or a restore undone: every data table was replaced. */
  | { kind: 'restore'; action: 'restored' | 'undone' }
  /** An evaluation period was saved or deleted (`id`: the period's), or a snapshot frozen (the snapshot's). */
  | { kind: 'period'; action: 'saved' | 'deleted' | 'frozen'; id: string }
  /** A round was saved (`id`: the round's), a submission recorded (the receipt's), a review decision recorded or issued (the round's). */
  | { kind: 'round'; action: 'saved' | 'submitted' | 'decided' | 'issued'; id: string }
  /** A report draft was created, saved, renamed, deleted or put back (`id`: the draft's). */
  | { kind: 'draft'; action: 'created' | 'saved' | 'deleted' | 'undeleted'; id: string }
  | { kind: 'profile' }
  | { kind: 'units' };

export type DataChangeKind = DataChange['kind'];
type Payload<K extends DataChangeKind> = Omit<Extract<DataChange, { kind: K }>, 'kind'>;

/** Changes after which every in-memory copy of the data is stale (what used to be refreshed by hand). */
export const isBulkChange = (c: DataChange): c is Extract<DataChange, { kind: 'import' | 'restore' }> =>
  c.kind === 'import' || c.kind === 'restore';

// ---------------------------------------------------------------------------------------------
// The settle barrier

type Settler = () => Promise<void>;
const settlers = new Set<Settler>();

/**
 * An editor with edits not yet in the database registers how to save them now. Returns the
 * unregister function.
 */
export function registerSettler(settle: Settler): () => void {
  settlers.add(settle);
  return () => settlers.delete(settle);
}

/**
 * Saves every pending edit of every editor (autosave timers cut short, IME compositions excepted).
 * One editor's failure does not hold back the others: a refused save keeps its edit in the form and
 * its journal, where the person sees why.
 */
export async function settlePendingEdits(): Promise<void> {
  await Promise.all([...settlers].map((s) => s().catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------
// Change events

type Listener = (change: DataChange) => void | Promise<void>;
const listeners = new Set<Listener>();

/** Hears every committed change. Returns the unsubscribe. */
export function onDataChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Sends a change to every subscriber, in the order they subscribed, and waits for them (so that a
 * caller awaiting the write sees the stores updated). A subscriber that throws does not stop the
 * others; the write itself is done either way.
 */
export async function emitDataChange(change: DataChange): Promise<void> {
  for (const l of [...listeners]) {
    try {
      await l(change);
    } catch (e) {
      console.error('data change subscriber failed', change.kind, e);
    }
  }
}

export interface MutateOptions {
  /**
   * Settle pending edits first (default). An editor's own save passes false: it is what settling
   * waits for.
   */
  settle?: boolean;
}

/**
 * Runs one write: settles pending edits, runs `write`, then sends the change `describe` derives from
 * its value (null: nothing changed, or the write was refused — no event).
 */
export async function mutate<K extends DataChangeKind, T>(
  kind: K,
  write: () => Promise<T>,
  describe: (value: T) => Payload<K> | null,
  options: MutateOptions = {},
): Promise<T> {
  if (options.settle !== false) await settlePendingEdits();
  const value = await write();
  const payload = describe(value);
  if (payload) await emitDataChange({ kind, ...payload } as DataChange);
  return value;
}
