/**
 * Which units a colleague's bundle may add. A unit is who a record belongs to, so a look-alike —
 * code 3201O2 (letter O) named 玄武区, or 玄武区 with a zero-width or bidi character in it — would
 * show a second 玄武区 column in the matrix and collect another district's work. New units must
 * have a well-formed code (GB/T 2260 digits for a district, capital letters for others) and a
 * printable name that no unit here (or in the same bundle) already has once normalised.
 */
import type { Unit } from './domain';

/** District codes are GB/T 2260 administrative division codes (six digits, 320102 玄武区). */
export const DISTRICT_CODE = /^\d{6}$/;
/** Zones and city departments: capital letters (JBXQ 江北新区, SJBM 市级部门). */
export const OTHER_UNIT_CODE = /^[A-Z]{2,16}$/;

/** A name as people read it: NFKC (full-width and compatibility forms folded), without invisible characters or spaces. */
export function unitNameKey(name: string): string {
  return name.normalize('NFKC').replace(/[\p{Cc}\p{Cf}\p{Z}\u3164\u115f\u1160]/gu, '');
}

/** Why `unit` may not be added beside `existing` (and the other new units before it), or null. */
export function newUnitProblem(unit: Unit, existing: Iterable<Unit>): string | null {
  const code = unit.kind === 'district' ? DISTRICT_CODE : OTHER_UNIT_CODE;
  if (!code.test(unit.code)) {
    return unit.kind === 'district'
      ? `单位代码「${unit.code}」不是六位数字的行政区划代码（GB/T 2260）`
      : `单位代码「${unit.code}」不是由大写字母组成的代码`;
  }
  if (/[\p{Cc}\p{Cf}]/u.test(unit.name) || unitNameKey(unit.name) === '') return `单位名称「${unitNameKey(unit.name)}」含有不可见的字符`;
  const key = unitNameKey(unit.name);
  for (const u of existing) {
    if (u.code !== unit.code && unitNameKey(u.name) === key) return `单位「${unit.name}」（${unit.code}）与已有单位「${u.name}」（${u.code}）同名`;
  }
  return null;
}
