/**
 * Typing a date: the one parser behind every date field (完成时限, 评估期 start and end). A person types
 * 2025-06-30, 2025/6/30 or 2025年6月30日, often with a Chinese input method's full-width digits; each is
 * the same calendar day, and anything that is not a real day is refused rather than guessed at.
 */
import { describe, expect, it } from 'vitest';
import { dateFieldValue, parseDateInput } from '../../src-main/shared/time';

describe('parseDateInput', () => {
  it.each([
    ['2025-06-30', '2025-06-30'],
    ['2025-6-30', '2025-06-30'],
    ['2025/6/30', '2025-06-30'],
    ['2025/06/30', '2025-06-30'],
    ['2025.6.30', '2025-06-30'],
    ['2025年6月30日', '2025-06-30'],
    ['2025年6月30', '2025-06-30'],
    [' 2025 年 6 月 3 日 ', '2025-06-03'],
    ['２０２５年６月３０日', '2025-06-30'],
    ['２０２５／６／３０', '2025-06-30'],
    ['2024/2/29', '2024-02-29'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDateInput(text)).toBe(iso);
  });

  it.each([
    ['', 'nothing'],
    ['abc', 'no date'],
    ['2025/2/30', 'a day February does not have'],
    ['2023/2/29', 'a leap day in a common year'],
    ['2025/13/1', 'a thirteenth month'],
    ['2025/6/0', 'day zero'],
    ['25/6/30', 'a two-digit year'],
    ['2025-6/30', 'mixed separators'],
    ['2025/6/30/1', 'a fourth part'],
    ['6/30/2025', 'the American order'],
    ['2025年6月30日 12:00', 'a time of day'],
  ])('refuses %j (%s)', (text) => {
    expect(parseDateInput(text)).toBeNull();
  });
});

describe('dateFieldValue: what a date field holds after typing', () => {
  it('is null when the field is cleared, blanks included', () => {
    expect(dateFieldValue('')).toBeNull();
    expect(dateFieldValue('   ')).toBeNull();
  });

  it('is the ISO date for every form a person types, the shown form 2025年6月30日 included', () => {
    for (const text of ['2025/6/30', ' 2025-06-30 ', '2025年6月30日', '２０２５／６／３０']) expect(dateFieldValue(text)).toBe('2025-06-30');
  });

  it('keeps what is not a date as typed (trimmed), so the rules refuse it and the person sees it', () => {
    expect(dateFieldValue(' 明年 ')).toBe('明年');
    expect(dateFieldValue('2025/2/30')).toBe('2025/2/30');
  });
});
