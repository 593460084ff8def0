/**
 * How reports print things: status order, shares, table labels and shortened names. Shared by the
 * report model, the synthesised draft and the renderers (kept apart from the model so the draft
 * generator, which the model calls, needs nothing of the model at run time).
 *
 * Pure: no node, electron or DOM imports.
 */
import type { Status } from '../domain';
import type { Light } from '../rules';

/** The order in which reports list statuses: from done to not started, 不涉及 last. */
export const REPORT_STATUS_ORDER: readonly Status[] = ['done', 'mostly_done', 'on_track', 'delayed', 'not_started', 'not_applicable'];

/** `none`: 未启动 and no deadline yet — not lit, so never counted as 绿灯. */
export const LIGHT_LABELS: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯', none: '未亮灯' };

/** A share as printed: 62.5% (one decimal); — when there is no denominator. */
export function pct(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

/** n ÷ d as a share, null when d is 0. */
export function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

/** 表1 … 表5 */
export function tableLabel(n: number): string {
  return `表${n}`;
}

/**
 * `text` in Chinese double quotes, its own double quotes turned into single ones (“创新‘两业’融合”),
 * as a quotation inside a quotation is written; never “加强“原创认证…”建设”.
 */
export function quoted(text: string): string {
  return `“${text.replace(/“/gu, '‘').replace(/”/gu, '’')}”`;
}

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
const TRAILING = /[、，,；;：:“”"（(）)《》\s]+$/u;

/**
 * `text` at most `max` characters: cut after the last whole word that fits (a word as
 * `Intl.Segmenter` finds it, so 风险共担模式 is never left as 风险共担模) and ended with …, never with
 * punctuation. Shorter texts come back as they are.
 */
export function shortenAtWord(text: string, max: number): string {
  const t = text.trim();
  const chars = Array.from(t);
  if (chars.length <= max) return t;
  let out = '';
  let n = 0;
  for (const { segment } of segmenter.segment(t)) {
    const len = Array.from(segment).length;
    if (n + len > max - 1) break;
    out += segment;
    n += len;
  }
  if (n < Math.floor(max / 2)) out = chars.slice(0, max - 1).join('');
  return `${out.replace(TRAILING, '')}…`;
}

/**
 * The first clause of a task's text, at most `max` characters; a longer clause is shortened at a
 * word boundary with an ellipsis (`shortenAtWord`).
 */
export function firstClause(text: string, max: number): string {
  const first = text.split(/[，,；;。：:]/)[0]?.trim() || text.trim();
  return shortenAtWord(first, max);
}

/** A task's short title in tables and lists: its first clause, at most 20 characters. */
export function shortTitle(text: string): string {
  return firstClause(text, 20);
}

/**
 * A text shortened at a sentence boundary: the whole sentences (ending in 。！？；) that fit in `max`
 * characters; when even the first does not fit, that sentence shortened at a word (with …).
 */
export function shortenAtSentence(text: string, max: number): string {
  const t = text.replace(/\s*\n\s*/g, '').trim();
  if (Array.from(t).length <= max) return t;
  const sentences = t.match(/[^。！？；]+[。！？；]?/gu) ?? [t];
  let out = '';
  for (const s of sentences) {
    if (Array.from(out + s).length > max) break;
    out += s;
  }
  if (!out) {
    // No whole sentence fits: its clauses (to a comma) that do, else a word boundary.
    const first = sentences[0]!.replace(/[。！？；]$/u, '');
    let clauses = '';
    for (const c of first.match(/[^，,]+[，,]?/gu) ?? []) {
      if (Array.from((clauses + c).replace(/[，,]$/u, '')).length > max - 1) break;
      clauses += c;
    }
    return clauses.length >= max / 3 ? `${clauses.replace(/[，,]$/u, '')}…` : shortenAtWord(first, max);
  }
  return out.replace(/；$/u, '。');
}
