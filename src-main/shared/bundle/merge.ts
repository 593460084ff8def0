/**
 * Merging a bundle into local data by revision ancestry. Pure functions: a plan first (what would
 * change, per unit, with conflicts to review), then the write set once conflicts are decided.
 *
 * Per (task, unit):
 * - no local annotation                          → `new`: take theirs (all its revisions);
 * - their head is the local head or an ancestor  → `unchanged` (we already have it, or more);
 * - the local head is an ancestor of theirs      → `fast_forward`: take theirs;
 * - otherwise the histories diverged             → three-way merge per field against the nearest
 *   common ancestor (several candidates: the latest by `at`, then the greater id; none: the empty
 *   form). A field changed on one side only takes that side; changed on both sides to the same
 *   value is no conflict; changed differently on both sides is a conflict → `conflict`, else
 *   `merged`. Either way one merge revision (parents: local head, their head) records both sides.
 *
 * Merge revisions are deterministic: id = 'm-' + 32 hex of sha-256(sorted parent ids + canonical
 * JSON of the merged fields), `at` = the later head's `at`. Two supervisors who merge the same
 * divergence the same way produce the same revision, so each other's bundles are `unchanged`.
 *
 * Log entries and evidence are unions by id; for the same id the later `updatedAt` wins (deletion
 * tombstones included, so a deleted note is not revived). Equal `updatedAt` with different content
 * (clocks that agree to the millisecond): the tombstone wins, else the greater canonical JSON, so
 * every supervisor keeps the same row.
 */
import {
  FIELD_NAMES,
  changedFields,
  emptyFields,
  fieldValue,
  sameValue,
  type Annotation,
  type AnnotationFields,
  type Author,
  type Evidence,
  type FieldName,
  type LogEntry,
  type Revision,
  type Unit,
} from '../domain';
import { fail, ok, type Result } from '../result';
import type { BundleContent, Manifest } from './format';
import { canonicalJson, sha256Hex } from '../hash';
import { annotationFieldsSchema, checkRecord } from './schema';
import { normalFields } from './write';

/**
 * The local data a merge needs. Only what concerns the bundle's records must be present: the
 * annotations of the bundle's (task, unit) keys and ALL local revisions of those keys (ancestry
 * is computed from them; a missing local revision makes its descendants look unrelated), the log
 * entries and evidence with the bundle's ids, and the hashes of stored files. `units` (optional):
 * local units; bundle units not among them are added, local ones are never overwritten.
 */
export interface LocalState {
  annotations: Map<string, Annotation>;
  revisions: Map<string, Revision>;
  logEntries: Map<string, LogEntry>;
  evidence: Map<string, Evidence>;
  attachmentHashes: Set<string>;
  units?: Map<string, Unit>;
}

export function emptyState(): LocalState {
  return { annotations: new Map(), revisions: new Map(), logEntries: new Map(), evidence: new Map(), attachmentHashes: new Set(), units: new Map() };
}

export type MergeOutcome = 'new' | 'unchanged' | 'fast_forward' | 'merged' | 'conflict';

/** Who last changed a field on one side, for the review screen. */
export interface SideInfo {
  revisionId: string;
  author: Author;
  /** Unit of the author (a city reviewer may edit a district's annotation). */
  unitCode: string;
  at: string;
}

export interface FieldConflict<F extends FieldName = FieldName> {
  field: F;
  base: AnnotationFields[F];
  mine: AnnotationFields[F];
  theirs: AnnotationFields[F];
  mineBy: SideInfo;
  theirsBy: SideInfo;
}

export interface KeyPlan {
  key: string;
  taskId: string;
  unitCode: string;
  outcome: MergeOutcome;
  /** The bundle's annotation. */
  theirs: Annotation;
  /** The local annotation, if any. */
  mine: Annotation | null;
  /** Merge base (merged / conflict): its revision id, or null when the histories share none. */
  baseId: string | null;
  /** merged: the merged fields; conflict: the merged fields with mine in the conflicting fields. */
  merged: AnnotationFields | null;
  /** Fields that took their value automatically (merged / conflict). */
  takenFromTheirs: FieldName[];
  conflicts: FieldConflict[];
  /** merged / conflict: `at` of the merge revision — the later of the two heads' `at`. */
  mergeAt: string | null;
}

export interface UnitCounts {
  new: number;
  /** fast_forward + merged */
  updated: number;
  unchanged: number;
  conflicts: number;
}

export interface RowCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface ImportPlan {
  manifest: Manifest;
  /** One per annotation of the bundle, sorted by key. */
  keys: KeyPlan[];
  /** The bundle's revisions that are not local (all keys). */
  revisions: Revision[];
  /** Log entries / evidence to write: new ids, or newer than the local row. */
  logEntries: LogEntry[];
  evidence: Evidence[];
  /** Files not stored locally. */
  attachments: Map<string, Uint8Array>;
  /** Units unknown locally (only when the state lists its units). */
  units: Unit[];
  counts: {
    byUnit: Record<string, UnitCounts>;
    total: UnitCounts;
    logEntries: RowCounts;
    evidence: RowCounts;
    revisions: number;
    attachments: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Ancestry

type Graph = (id: string) => Revision | undefined;

/** The revision and all its ancestors (ids) reachable in the graph. */
function ancestry(graph: Graph, head: string): Set<string> {
  const seen = new Set<string>([head]);
  const stack = [head];
  while (stack.length) {
    const r = graph(stack.pop()!);
    if (!r) continue;
    for (const p of r.parents) {
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return seen;
}

/** The nearest common ancestor of two heads (see module comment), or null. */
function mergeBase(graph: Graph, mineAnc: Set<string>, theirsAnc: Set<string>): Revision | null {
  const common = [...mineAnc].filter((id) => theirsAnc.has(id) && graph(id));
  if (!common.length) return null;
  // Drop every common ancestor that is a proper ancestor of another common ancestor.
  const dominated = new Set<string>();
  const stack: string[] = [];
  for (const id of common) for (const p of graph(id)!.parents) stack.push(p);
  while (stack.length) {
    const id = stack.pop()!;
    if (dominated.has(id)) continue;
    dominated.add(id);
    for (const p of graph(id)?.parents ?? []) stack.push(p);
  }
  const best = common.filter((id) => !dominated.has(id)).map((id) => graph(id)!);
  best.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
  return best[0] ?? null;
}

/** The latest revision on one side (since the base) that changed `field`; else the head. */
function lastChange(graph: Graph, head: Revision, baseAnc: Set<string>, field: FieldName): SideInfo {
  let best: Revision | null = null;
  for (const id of ancestry(graph, head.id)) {
    if (baseAnc.has(id)) continue;
    const r = graph(id);
    if (r && r.changed.includes(field) && (!best || r.at > best.at)) best = r;
  }
  const r = best ?? head;
  return { revisionId: r.id, author: r.author, unitCode: r.author.unitCode, at: r.at };
}

// ---------------------------------------------------------------------------------------------
// Plan

const zero = (): UnitCounts => ({ new: 0, updated: 0, unchanged: 0, conflicts: 0 });

/** Which of two versions of a row (same id) to keep; `a` on a full tie. */
function newerRow<T extends { updatedAt: string; deleted: boolean }>(a: T, b: T): T {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  if (a.deleted !== b.deleted) return a.deleted ? a : b;
  if (sameValue(a, b)) return a;
  return canonicalJson(a) >= canonicalJson(b) ? a : b;
}

function unionRows<T extends { id: string; updatedAt: string; deleted: boolean }>(local: Map<string, T>, theirs: readonly T[]): { write: T[]; counts: RowCounts } {
  const write: T[] = [];
  const counts: RowCounts = { added: 0, updated: 0, unchanged: 0 };
  for (const t of theirs) {
    const l = local.get(t.id);
    if (!l) {
      write.push(t);
      counts.added++;
    } else if (newerRow(l, t) !== l && !sameValue(l, t)) {
      write.push(t);
      counts.updated++;
    } else counts.unchanged++;
  }
  return { write, counts };
}

/** What importing `bundle` into `state` would do. Writes nothing. */
export function planImport(state: LocalState, bundle: BundleContent): ImportPlan {
  const theirRevs = new Map(bundle.revisions.map((r) => [r.id, r]));
  const graph: Graph = (id) => state.revisions.get(id) ?? theirRevs.get(id);

  const keys: KeyPlan[] = [];
  const byUnit: Record<string, UnitCounts> = {};
  const total = zero();
  for (const theirs of [...bundle.annotations].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const mine = state.annotations.get(theirs.key) ?? null;
    const plan: KeyPlan = {
      key: theirs.key,
      taskId: theirs.taskId,
      unitCode: theirs.unitCode,
      outcome: 'new',
      theirs,
      mine,
      baseId: null,
      merged: null,
      takenFromTheirs: [],
      conflicts: [],
      mergeAt: null,
    };
    if (mine) {
      const mineAnc = ancestry(graph, mine.head);
      const theirsAnc = ancestry(graph, theirs.head);
      if (mineAnc.has(theirs.head)) plan.outcome = 'unchanged';
      else if (theirsAnc.has(mine.head)) plan.outcome = 'fast_forward';
      else {
        const base = mergeBase(graph, mineAnc, theirsAnc);
        const baseFields = base ? base.fields : emptyFields();
        const baseAnc = base ? ancestry(graph, base.id) : new Set<string>();
        const mineHead = graph(mine.head);
        const theirHead = graph(theirs.head)!;
        const merged = { ...normalFields(mine) } as Record<FieldName, unknown>;
        for (const f of FIELD_NAMES) {
          // fieldValue: a write-up absent in older data counts as null.
          const b = fieldValue(baseFields, f);
          const m = fieldValue(mine, f);
          const t = fieldValue(theirs, f);
          if (sameValue(m, t) || sameValue(t, b)) continue;
          if (sameValue(m, b)) {
            merged[f] = structuredClone(t);
            plan.takenFromTheirs.push(f);
            continue;
          }
          const mineBy: SideInfo = mineHead
            ? lastChange(graph, mineHead, baseAnc, f)
            : { revisionId: mine.head, author: mine.updatedBy, unitCode: mine.updatedBy.unitCode, at: mine.updatedAt };
          plan.conflicts.push({ field: f, base: b, mine: m, theirs: t, mineBy, theirsBy: lastChange(graph, theirHead, baseAnc, f) } as FieldConflict);
        }
        const mineAt = mineHead?.at ?? mine.updatedAt;
        plan.mergeAt = mineAt > theirHead.at ? mineAt : theirHead.at;
        plan.baseId = base?.id ?? null;
        plan.merged = merged as unknown as AnnotationFields;
        plan.outcome = plan.conflicts.length ? 'conflict' : 'merged';
      }
    }
    keys.push(plan);
    const c = (byUnit[theirs.unitCode] ??= zero());
    const slot: keyof UnitCounts =
      plan.outcome === 'new' ? 'new' : plan.outcome === 'unchanged' ? 'unchanged' : plan.outcome === 'conflict' ? 'conflicts' : 'updated';
    c[slot]++;
    total[slot]++;
  }

  const revisions = bundle.revisions.filter((r) => !state.revisions.has(r.id));
  const logs = unionRows(state.logEntries, bundle.logEntries);
  const ev = unionRows(state.evidence, bundle.evidence);
  const attachments = new Map([...bundle.attachments].filter(([h]) => !state.attachmentHashes.has(h)));
  const units = state.units ? bundle.units.filter((u) => !state.units!.has(u.code)) : [];
  return {
    manifest: bundle.manifest,
    keys,
    revisions,
    logEntries: logs.write,
    evidence: ev.write,
    attachments,
    units,
    counts: { byUnit, total, logEntries: logs.counts, evidence: ev.counts, revisions: revisions.length, attachments: attachments.size },
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions → write set

export type Decision = { take: 'mine' | 'theirs' } | { value: unknown };
/** Per annotation key, per conflicting field. */
export type Decisions = Record<string, Partial<Record<FieldName, Decision>>>;

/** Everything an import writes, in one transaction. */
export interface WriteSet {
  units: Unit[];
  /** Their revisions that were not local, then the merge revisions. */
  revisions: Revision[];
  /** Annotations to put (new, fast-forwarded, merged). */
  annotations: Annotation[];
  logEntries: LogEntry[];
  evidence: Evidence[];
  attachments: Map<string, Uint8Array>;
}

export function isEmptyWriteSet(ws: WriteSet): boolean {
  return !ws.units.length && !ws.revisions.length && !ws.annotations.length && !ws.logEntries.length && !ws.evidence.length && !ws.attachments.size;
}

/** The deterministic id of a merge revision. */
export function mergeRevisionId(parents: readonly string[], fields: AnnotationFields): string {
  return `m-${sha256Hex(`${[...parents].sort().join('\n')}\n${canonicalJson(fields)}`).slice(0, 32)}`;
}

export interface ResolveOptions {
  /** For conflicting fields without a decision (the CLI); without it every conflict needs one. */
  default?: 'mine' | 'theirs';
  /**
   * `updatedAt` of merged annotations: `now` (default), or `merge` — the merge revision's own `at`,
   * so that merging the same files gives the same annotations whenever it runs (the command line).
   */
  mergesDated?: 'now' | 'merge';
}

/**
 * The final write set of a plan. `decisions` answer each conflicting field: keep mine, take
 * theirs, or an edited value (validated like a form). `author` signs the merge revisions; `now`
 * (ISO timestamp) becomes the merged annotations' `updatedAt` — the revision's own `at` is the
 * later head's, so the revision stays the same whoever merges and whenever.
 * Fails (`merge.undecided`, `merge.invalid_value`) without a decision for a conflict or with an
 * invalid edited value.
 */
export function resolveConflicts(plan: ImportPlan, decisions: Decisions, author: Author, now: string | Date, opts: ResolveOptions = {}): Result<WriteSet> {
  const at = typeof now === 'string' ? now : now.toISOString();
  const revisions: Revision[] = [...plan.revisions];
  const annotations: Annotation[] = [];
  let undecided = 0;
  for (const k of plan.keys) {
    if (k.outcome === 'unchanged') continue;
    if (k.outcome === 'new' || k.outcome === 'fast_forward') {
      annotations.push(k.theirs);
      continue;
    }
    const mine = k.mine!;
    const fields = { ...k.merged! } as Record<FieldName, unknown>;
    for (const c of k.conflicts) {
      const d = decisions[k.key]?.[c.field] ?? (opts.default ? { take: opts.default } : undefined);
      if (!d) {
        undecided++;
        continue;
      }
      if ('take' in d) fields[c.field] = structuredClone(d.take === 'mine' ? c.mine : c.theirs);
      else fields[c.field] = d.value;
    }
    if (undecided) continue;
    const checked = checkRecord(annotationFieldsSchema, fields, '合并结果', null);
    if (!checked.ok) {
      return fail('merge.invalid_value', `（${k.taskId}，${k.unitCode}）的合并结果无效：${checked.error.message.replace(/^批注包中合并结果/, '')}`, checked.error.detail);
    }
    const merged = normalFields(checked.value as AnnotationFields);
    const parents = [mine.head, k.theirs.head];
    const id = mergeRevisionId(parents, merged);
    const revision: Revision = {
      id,
      key: k.key,
      taskId: k.taskId,
      unitCode: k.unitCode,
      parents,
      author: { name: author.name, unitCode: author.unitCode },
      at: k.mergeAt!,
      kind: 'merge',
      changed: changedFields(normalFields(mine), merged),
      fields: merged,
    };
    revisions.push(revision);
    annotations.push({ ...merged, key: k.key, taskId: k.taskId, unitCode: k.unitCode, head: id, updatedAt: opts.mergesDated === 'merge' ? revision.at : at, updatedBy: revision.author });
  }
  if (undecided) {
    return fail('merge.undecided', `还有 ${undecided} 处冲突没有处理，请逐项选择「保留本机」「采用对方」或编辑后再导入。`, `${undecided} undecided`);
  }
  return ok({
    units: plan.units,
    revisions,
    annotations,
    logEntries: plan.logEntries,
    evidence: plan.evidence,
    attachments: plan.attachments,
  });
}

/** A new state with the write set applied (the inputs are not changed). */
export function applyToState(state: LocalState, ws: WriteSet): LocalState {
  const next: LocalState = {
    annotations: new Map(state.annotations),
    revisions: new Map(state.revisions),
    logEntries: new Map(state.logEntries),
    evidence: new Map(state.evidence),
    attachmentHashes: new Set(state.attachmentHashes),
    units: new Map(state.units ?? []),
  };
  for (const u of ws.units) if (!next.units!.has(u.code)) next.units!.set(u.code, u);
  for (const r of ws.revisions) if (!next.revisions.has(r.id)) next.revisions.set(r.id, r);
  for (const a of ws.annotations) next.annotations.set(a.key, a);
  for (const e of ws.logEntries) next.logEntries.set(e.id, e);
  for (const e of ws.evidence) next.evidence.set(e.id, e);
  for (const h of ws.attachments.keys()) next.attachmentHashes.add(h);
  return next;
}
