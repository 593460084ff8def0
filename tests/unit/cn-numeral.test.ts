/** Chinese numerals: headings are numbered 一、（二）案例十二, and the plan's own headings are read back. */
import { describe, expect, it } from 'vitest';
import { parseCnNumeral, toCnNumeral } from '../../src-main/shared/cnNumeral';

describe('Chinese numerals', () => {
  it('writes the numbers a report numbers its parts with', () => {
    expect([1, 9, 10, 11, 20, 21, 99, 100, 105, 112, 120].map(toCnNumeral)).toEqual([
      '一', '九', '十', '十一', '二十', '二十一', '九十九', '一百', '一百零五', '一百一十二', '一百二十',
    ]);
  });

  it('reads 一 … 九十九 back, and refuses what is not such a numeral', () => {
    for (let n = 1; n < 100; n++) expect(parseCnNumeral(toCnNumeral(n))).toBe(n);
    for (const s of ['', '零', '一百', '十十', '三二', '12', '一a']) expect(parseCnNumeral(s)).toBeNaN();
  });
});
