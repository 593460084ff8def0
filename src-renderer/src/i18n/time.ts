/**
 * Times and dates as the screens show them: Beijing time, in the current language, the zone named
 * (2026年12月2日 11:22（北京时间）/ 2 December 2026, 11:22 (Beijing time)). Every displayed instant goes
 * through `when`, every displayed calendar date through `dateText`, so no screen shows the machine's
 * zone. The calendar is shared/time.ts's; the words are the catalogues' (`time.at`).
 */
import i18n from './index';
import { beijingClock, formatDate, type TimeLanguage } from '../../../src-main/shared/time';

function language(): TimeLanguage {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** An instant (ISO timestamp, Date or ms) with its Beijing date and time of day; '' for an invalid one. */
export function when(instant: string | number | Date): string {
  const time = beijingClock(instant);
  if (!time) return '';
  const iso = instant instanceof Date ? instant.toISOString() : typeof instant === 'number' ? new Date(instant).toISOString() : instant;
  return i18n.t('time.at', { date: formatDate(iso, language()), time });
}

/** A calendar date (or an instant's Beijing date): 2025年6月30日 / 30 June 2025; '' for none. */
export function dateText(value: string | null | undefined): string {
  return formatDate(value, language());
}
