/**
 * Evaluation periods (评估期) and read-only snapshots (快照) of every annotation, frozen at a
 * period's end. Pure: runs in the renderer, its worker and the CLI.
 *
 * A snapshot is immutable. Its `hash` is the sha-256 of the canonical JSON of everything else in
 * it, so any copy (a colleague's bundle, a backup) can be checked against the original: the same
 * id with another hash is a different, tampered or forged snapshot and is refused.
 */
import { annotationKey, emptyFields, type Annotation, type Author, type Evidence, type LogEntry } from '../domain';
import { canonicalJson } from '../hash';
import type { Period, Snapshot, SnapshotEntry } from './schema';

// The record types are inferred from their schemas in schema.ts (one source per shape).
export type { Period, Snapshot, SnapshotEntry, SnapshotEvidence } from './schema';

// ---------------------------------------------------------------------------------------------
// Periods

export { PERIOD_KINDS, snapshotHash, snapshotIntact, type PeriodKind } from './schema';
import { snapshotHash, type PeriodKind } from './schema';
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  annual: '年度',
  midterm: '中期评估',
  final: '终期评估',
  other: '其他',
};

/** Problems of a period the person is editing, as Chinese messages by field. Empty when valid. */
export function validatePeriod(p: Pick<Period, 'name' | 'start' | 'end'>): Partial<Record<'name' | 'start' | 'end', string>> {
  const errors: Partial<Record<'name' | 'start' | 'end', string>> = {};
  if (p.name.trim() === '') errors.name = '请填写评估期名称';
  else if (p.name.length > 60) errors.name = '评估期名称不超过 60 字';
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(p.start)) errors.start = '请选择开始日期';
  if (!date.test(p.end)) errors.end = '请选择结束日期';
  if (!errors.start && !errors.end && p.start > p.end) errors.end = '结束日期不能早于开始日期';
  return errors;
}

/**
 * Which of two versions of the same period (same id) wins a merge: a rename or a date change is a
 * newer version, so the later `updatedAt` wins. On a tie the version whose canonical JSON sorts last
 * wins — arbitrary but the same on every machine, whichever copy arrives first. Equal copies: `a`.
 */
export function newerPeriod(a: Period, b: Period): Period {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  const ja = canonicalJson(a);
  const jb = canonicalJson(b);
  return jb > ja ? b : a;
}

/** Whether two copies of a period are the same version (every field equal). */
export function samePeriod(a: Period, b: Period): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The `updatedAt` of a local edit of `old`: now, but always later than the version it replaces, so
 * that the edit wins over that version everywhere even when this machine's clock is behind the
 * colleague's who wrote it.
 */
export function nextPeriodStamp(old: Pick<Period, 'updatedAt'> | undefined, now: Date): string {
  const at = now.toISOString();
  if (!old || at > old.updatedAt) return at;
  return new Date(Date.parse(old.updatedAt) + 1).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Snapshots

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Where the live data comes from. */
export interface LiveRecords {
  annotations: Iterable<Annotation>;
  evidence: Iterable<Evidence>;
  logEntries: Iterable<LogEntry>;
}

/** The entries a snapshot of `live` holds now (also "当前" in a comparison). */
export function freezeEntries(live: LiveRecords): SnapshotEntry[] {
  const byKey = new Map<string, SnapshotEntry>();
  const entry = (taskId: string, unitCode: string): SnapshotEntry => {
    const key = annotationKey(taskId, unitCode);
    let e = byKey.get(key);
    if (!e) {
      const f = emptyFields();
      e = {
        key,
        taskId,
        unitCode,
        head: null,
        status: f.status,
        progress: f.progress,
        deadline: f.deadline,
        leadUnits: [],
        partnerUnits: [],
        isInnovation: false,
        isBestPractice: false,
        evidence: [],
        logCount: 0,
        updatedAt: null,
      };
      byKey.set(key, e);
    }
    return e;
  };
  for (const a of live.annotations) {
    const e = entry(a.taskId, a.unitCode);
    e.head = a.head;
    e.status = a.status;
    e.progress = a.progress;
    e.deadline = a.deadline;
    e.leadUnits = [...a.leadUnits];
    e.partnerUnits = [...a.partnerUnits];
    e.isInnovation = a.isInnovation;
    e.isBestPractice = a.isBestPractice;
    e.updatedAt = a.updatedAt;
  }
  for (const ev of live.evidence) if (!ev.deleted) entry(ev.taskId, ev.unitCode).evidence.push({ id: ev.id, title: ev.title, kind: ev.kind });
  for (const l of live.logEntries) if (!l.deleted) entry(l.taskId, l.unitCode).logCount++;
  const out = [...byKey.values()].sort((a, b) => cmp(a.key, b.key));
  for (const e of out) e.evidence.sort((a, b) => cmp(a.id, b.id));
  return out;
}

/** Freezes `live` into a new snapshot of period `periodId`. */
export function freezeSnapshot(
  live: LiveRecords,
  meta: { id: string; periodId: string; frozenAt: string; author: Author; corpusHash: string },
): Snapshot {
  const base = { ...meta, author: { name: meta.author.name, unitCode: meta.author.unitCode }, entries: freezeEntries(live) };
  return { ...base, hash: snapshotHash(base) };
}

/** Counts of a snapshot, for lists. */
export function snapshotStats(s: { entries: readonly SnapshotEntry[] }): { annotated: number; units: number; evidence: number } {
  const units = new Set<string>();
  let annotated = 0;
  let evidence = 0;
  for (const e of s.entries) {
    if (e.head !== null) annotated++;
    units.add(e.unitCode);
    evidence += e.evidence.length;
  }
  return { annotated, units: units.size, evidence };
}
