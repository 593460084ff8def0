/**
 * Strict schemas of the periods and snapshots a bundle carries (format version 2), and the checks
 * `readBundle` runs on them: schema, duplicate ids, each snapshot's period present, task ids in the
 * corpus, and each snapshot's hash equal to its content (a tampered snapshot is refused).
 */
import { z } from 'zod';
import { EVIDENCE_KINDS, STATUSES, UNIT_CODE_PATTERN, annotationKey, isIsoDate } from '../domain';
import { fail, ok, type Result } from '../result';
import { cnDate } from '../time';
import { ID_PATTERN, LIMITS, TASK_ID_PATTERN, authorSchema, checkInPlace } from '../bundle/schema';
import { PERIOD_KINDS, snapshotIntact, type Period, type Snapshot } from './model';

/** Most periods and snapshots a bundle may carry. */
export const SNAPSHOT_LIMITS = { periods: 1_000, snapshots: 1_000, entries: 200_000 } as const;

const timestamp = z.iso.datetime({ precision: 3 });
const isoDate = z.string().refine(isIsoDate, { message: '日期须为有效日期（如 2024-06-30）' });
const id = z.string().min(1).max(LIMITS.id).regex(ID_PATTERN);
const unitCode = z.string().regex(UNIT_CODE_PATTERN);
const taskId = z.string().max(LIMITS.id).regex(TASK_ID_PATTERN);
/** No control characters except tab, line feed and carriage return. */
const noControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
};
const label = (max: number) =>
  z
    .string()
    .max(max)
    .refine(noControl, { message: '含有不允许的控制字符' })
    .refine((s) => s.trim() !== '', { message: '不能为空' });

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

const unitList = z.array(label(LIMITS.unitName)).max(LIMITS.unitsPerField);

export const snapshotEntrySchema = z
  .strictObject({
    key: z.string().max(LIMITS.id * 2),
    taskId,
    unitCode,
    head: id.nullable(),
    status: z.enum(STATUSES),
    progress: z.int().min(0).max(100),
    deadline: isoDate.nullable(),
    leadUnits: unitList,
    partnerUnits: unitList,
    isInnovation: z.boolean(),
    isBestPractice: z.boolean(),
    evidence: z.array(z.strictObject({ id, title: label(LIMITS.name), kind: z.enum(EVIDENCE_KINDS) })).max(10_000),
    logCount: z.int().min(0).max(10_000_000),
    updatedAt: timestamp.nullable(),
  })
  .refine((e) => e.key === annotationKey(e.taskId, e.unitCode), { message: 'key 与任务编号、单位代码不一致', path: ['key'] });

export const snapshotSchema = z.strictObject({
  id,
  periodId: id,
  frozenAt: timestamp,
  author: authorSchema,
  corpusHash: z.string().regex(/^[0-9a-f]{64}$/),
  entries: z.array(snapshotEntrySchema).max(SNAPSHOT_LIMITS.entries),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

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
    periods.push(r.value as Period);
  }
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < rawSnapshots.length; i++) {
    const r = checkInPlace(snapshotSchema, rawSnapshots[i], FILES.snapshots, i);
    if (!r.ok) return r;
    snapshots.push(r.value as Snapshot);
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
