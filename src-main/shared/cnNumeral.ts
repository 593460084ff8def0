/**
 * Chinese numerals both ways: 12 → 十二 for the numbering of headings (（一）, 案例十二, 表 headings in
 * the plan), and 十二 → 12 for reading the plan's own headings. Two names, one per direction.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 21 → 二十一, 105 → 一百零五, 112 → 一百一十二 (up to 999; larger as Arabic digits). */
export function toCnNumeral(n: number): string {
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 1000) {
    const rest = n % 100;
    const tail = rest === 0 ? '' : rest < 10 ? `零${DIGITS[rest]}` : rest < 20 ? `一${toCnNumeral(rest)}` : toCnNumeral(rest);
    return `${DIGITS[Math.floor(n / 100)]}百${tail}`;
  }
  return String(n);
}

const VALUES: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 → 1 … 99; NaN if `s` is not such a numeral. */
export function parseCnNumeral(s: string): number {
  if (!/^[一二三四五六七八九十]+$/.test(s)) return NaN;
  if (s === '十') return 10;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? VALUES[s]! : NaN;
  const tens = ten === 0 ? 1 : VALUES[s.slice(0, ten)]!;
  const rest = s.slice(ten + 1);
  const ones = rest === '' ? 0 : VALUES[rest]!;
  return tens * 10 + ones;
}
