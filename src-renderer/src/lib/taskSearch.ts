/**
 * Plain substring search over the task list, for the search box. Chinese has no word breaks, so a
 * substring match is what a person means by 「知识产权」; Latin letters match case-insensitively.
 */
import type { Task } from '../../../src-main/shared/corpus/types';

export function normaliseQuery(query: string): string {
  return query.normalize('NFKC').trim().toLowerCase();
}

/** Tasks whose text, id, group or domain contain every space-separated term of the query. */
export function filterTasks(tasks: readonly Task[], query: string): Task[] {
  const terms = normaliseQuery(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...tasks];
  return tasks.filter((t) => {
    const hay = `${t.id} ${t.group} ${t.domain ?? ''} ${t.text}`.normalize('NFKC').toLowerCase();
    return terms.every((term) => hay.includes(term));
  });
}

/** Splits text into parts with the query's terms marked, for highlighting. */
export function highlightParts(text: string, query: string): { text: string; hit: boolean }[] {
  const terms = normaliseQuery(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [{ text, hit: false }];
  const lower = text.normalize('NFKC').toLowerCase();
  // NFKC can change lengths for some characters; fall back to no highlight then.
  if (lower.length !== text.length) return [{ text, hit: false }];
  const marks = new Array<boolean>(text.length).fill(false);
  for (const term of terms) {
    let i = lower.indexOf(term);
    while (i >= 0) {
      for (let k = i; k < i + term.length; k++) marks[k] = true;
      i = lower.indexOf(term, i + term.length);
    }
  }
  const parts: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts[parts.length - 1];
    if (last && last.hit === marks[i]) last.text += text[i];
    else parts.push({ text: text[i]!, hit: marks[i]! });
  }
  return parts;
}
