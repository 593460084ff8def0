/**
 * Strict schemas of the periods and snapshots a bundle carries (format version 2), and the checks
 * `readBundle` runs on them: schema, duplicate ids, each snapshot's period present, task ids in the
 * corpus, and each snapshot's hash equal to its content (a tampered snapshot is refused).
 */
import { z } from 'zod';
import { EVIDENCE_KINDS, annotationKey } from '../domain';
import { HEX64, LIMITS, authorSchema, fieldsShape, id, isoDate, nonBlank, taskId, timestamp, unitCode } from '../records';
import { fail, ok, type Result } from '../result';
import { cnDate } from '../time';
import { checkInPlace } from '../recordCheck';
import { canonicalJson, sha256Hex } from '../hash';

/** Kinds of evaluation period (评估期). */
export const PERIOD_KINDS = ['annual', 'midterm', 'final', 'other'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The content hash of a snapshot (every field except `hash`). */
export function snapshotHash(s: Omit<Snapshot, 'hash'>): string {
  return sha256Hex(
    canonicalJson({ id: s.id, periodId: s.periodId, frozenAt: s.frozenAt, author: { name: s.author.name, unitCode: s.author.unitCode }, corpusHash: s.corpusHash, entries: s.entries }),
  );
}

/** Whether a snapshot's hash matches its content. */
export function snapshotIntact(s: Snapshot): boolean {
  return snapshotHash(s) === s.hash;
}


/** Most periods and snapshots a bundle may carry. */
export const SNAPSHOT_LIMITS = { periods: 1_000, snapshots: 1_000, entries: 200_000 } as const;

const label = nonBlank;

/**
 * An evaluation period, e.g. 「2024年度」 or 「中期评估」. Invariant: `start` ≤ `end` (ISO dates).
 * Periods can be renamed and their dates moved by anyone who has them (also one that came in a
 * colleague's bundle); the snapshots frozen in them never change. An edit sets `updatedAt`, and it
 * travels in the next bundle: on import the newer version wins (`newerPeriod`).
 */
export const periodSchema = z
  .strictObject({
    id,
    name: label(60),
    kind: z.enum(PERIOD_KINDS),
    start: isoDate,
    end: isoDate,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .refine((p) => p.start <= p.end, { message: '结束日期不能早于开始日期', path: ['end'] });
export type Period = z.infer<typeof periodSchema>;

/** A piece of evidence as a snapshot remembers it (enough to list it without the evidence table). */
export const snapshotEvidenceSchema = z.strictObject({ id, title: label(LIMITS.name), kind: z.enum(EVIDENCE_KINDS) });
export type SnapshotEvidence = z.infer<typeof snapshotEvidenceSchema>;

/**
 * One (task, unit) at the moment of freezing: the fields a comparison and a report need (not the
 * long texts, which stay in the revision history: `head` names the revision they come from).
 * `head` is null for a (task, unit) with evidence or log entries but no annotation saved yet.
 */
export const snapshotEntrySchema = z
  .strictObject({
    key: z.string().max(LIMITS.id * 2),
    taskId,
    unitCode,
    head: id.nullable(),
    // The annotation's own field schemas: a snapshot holds these fields as they were.
    status: fieldsShape.status,
    progress: fieldsShape.progress,
    deadline: fieldsShape.deadline,
    leadUnits: fieldsShape.leadUnits,
    partnerUnits: fieldsShape.partnerUnits,
    isInnovation: fieldsShape.isInnovation,
    isBestPractice: fieldsShape.isBestPractice,
    /** Live (not deleted) evidence, by id. */
    evidence: z.array(snapshotEvidenceSchema).max(10_000),
    /** Live log entries. */
    logCount: z.int().min(0).max(10_000_000),
    /** `updatedAt` of the annotation (null without one). */
    updatedAt: timestamp.nullable(),
  })
  .refine((e) => e.key === annotationKey(e.taskId, e.unitCode), { message: 'key 与任务编号、单位代码不一致', path: ['key'] });
export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;

/** A frozen, read-only copy of every annotation. Never edited; see snapshot/model.ts for `hash`. */
export const snapshotSchema = z.strictObject({
  id,
  periodId: id,
  /** ISO timestamp (UTC, ms) of freezing. */
  frozenAt: timestamp,
  author: authorSchema,
  /** `corpus.hash` of the plan the entries refer to. */
  corpusHash: z.string().regex(HEX64),
  /** Sorted by key. */
  entries: z.array(snapshotEntrySchema).max(SNAPSHOT_LIMITS.entries),
  /** sha-256 (hex) of the canonical JSON of all the fields above. */
  hash: z.string().regex(HEX64),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

const FILES = { periods: 'periods.json', snapshots: 'snapshots.json' } as const;

/**
 * Checks the raw period and snapshot lists of a bundle. On success returns them typed; on failure
 * one Chinese message (nothing is imported).
 */
export function checkSnapshotRecords(
  rawPeriods: readonly unknown[],
  rawSnapshots: readonly unknown[],
  ctx: { taskIds: ReadonlySet<string> },
): Result<{ periods: Period[]; snapshots: Snapshot[] }> {
  if (rawPeriods.length > SNAPSHOT_LIMITS.periods || rawSnapshots.length > SNAPSHOT_LIMITS.snapshots) {
    return fail('bundle.too_large', `批注包中的评估期或快照超过 ${SNAPSHOT_LIMITS.periods} 个上限，已拒绝导入。`, 'periods/snapshots over limit');
  }
  const periods: Period[] = [];
  for (let i = 0; i < rawPeriods.length; i++) {
    const r = checkInPlace(periodSchema, rawPeriods[i], FILES.periods, i);
    if (!r.ok) return r;
    periods.push(r.value);
  }
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < rawSnapshots.length; i++) {
    const r = checkInPlace(snapshotSchema, rawSnapshots[i], FILES.snapshots, i);
    if (!r.ok) return r;
    snapshots.push(r.value);
  }
  const periodIds = new Set<string>();
  for (const p of periods) {
    if (periodIds.has(p.id)) return fail('bundle.duplicate_id', `批注包中有重复的评估期（编号「${p.id}」），已拒绝导入。`, `periods: duplicate ${p.id}`);
    periodIds.add(p.id);
  }
  const snapshotIds = new Set<string>();
  for (const s of snapshots) {
    if (snapshotIds.has(s.id)) return fail('bundle.duplicate_id', `批注包中有重复的快照（编号「${s.id}」），已拒绝导入。`, `snapshots: duplicate ${s.id}`);
    snapshotIds.add(s.id);
    if (!periodIds.has(s.periodId)) {
      return fail('bundle.broken_reference', `批注包内容不完整或相互矛盾：快照所属的评估期「${s.periodId}」缺失。请让对方重新导出。`, `snapshot ${s.id}: period ${s.periodId}`);
    }
    const keys = new Set<string>();
    for (const e of s.entries) {
      if (!ctx.taskIds.has(e.taskId)) {
        return fail('bundle.unknown_task', `批注包中的快照引用了试点方案中不存在的任务编号「${e.taskId}」，已拒绝导入。`, `snapshot ${s.id}: ${e.taskId}`);
      }
      if (keys.has(e.key)) return fail('bundle.duplicate_id', `批注包中的快照有重复的条目（${e.taskId}，${e.unitCode}），已拒绝导入。`, `snapshot ${s.id}: duplicate ${e.key}`);
      keys.add(e.key);
    }
    if (!snapshotIntact(s)) {
      return fail(
        'bundle.snapshot_tampered',
        `批注包中的快照（${cnDate(s.frozenAt)}冻结）内容与其校验值不符，快照可能被改动过，已拒绝导入。请让对方重新导出。`,
        `snapshot ${s.id}: hash mismatch`,
      );
    }
  }
  return ok({ periods, snapshots });
}
