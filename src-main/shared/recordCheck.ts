/**
 * Validation of one record against its schema with a Chinese message that names the file, the
 * record's position and the field — for bundles, snapshots and backups alike.
 */
import type { z } from 'zod';
import { zhErrors } from './records';
import { fail, ok, type Result } from './result';


const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '（整条记录）';

/**
 * Parses one value with a schema. Failure: `bundle.invalid_record` (or `bundle.unsafe_link` for a
 * link with a disallowed protocol) naming the file, the record's position and the field.
 */
export function checkRecord<T>(schema: z.ZodType<T>, value: unknown, file: string, index: number | null): Result<T> {
  const r = schema.safeParse(value, { error: zhErrors });
  if (r.success) return ok(r.data);
  return recordError(r.error, file, index);
}

/**
 * Validates without keeping zod's copy: on success returns `value` itself. Safe for the bundle
 * schemas, which only check (strict objects, no defaults or transforms), and it halves the memory
 * a large import holds.
 */
export function checkInPlace<T>(schema: z.ZodType<T>, value: unknown, file: string, index: number | null): Result<T> {
  const r = schema.safeParse(value, { error: zhErrors });
  if (r.success) return ok(value as T);
  return recordError(r.error, file, index);
}

function recordError(error: z.ZodError, file: string, index: number | null): Result<never> {
  const r = { error };
  const issue = r.error.issues[0]!;
  const where = index === null ? file : `${file} 第 ${index + 1} 条记录`;
  const field = pathText(issue.path);
  const detail = `${file}${index === null ? '' : `[${index}]`} ${field}: ${issue.message}`;
  if (issue.code === 'custom' && issue.message.startsWith('链接')) {
    return fail('bundle.unsafe_link', `批注包中${where}（${field}）含有不安全的链接：${issue.message}。已拒绝导入。`, detail);
  }
  return fail('bundle.invalid_record', `批注包中${where}的「${field}」不符合要求（${issue.message}），已拒绝导入。请让对方检查后重新导出。`, detail);
}
