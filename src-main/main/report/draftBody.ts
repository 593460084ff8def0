/**
 * The body of a report as the author drafted it (报告起草): each section's heading, numbered 一、二、…
 * in order (the lead paragraph has none), and its rich text, with every `figure` printed as the text
 * it holds — refreshed by the caller at export and frozen in the file.
 *
 * A bridge until the body renderer places drafted sections itself (with `reportBlock` tables and
 * charts numbered 表N/图N): here a `reportBlock` prints the computed table or chart that the
 * generated 一、总体推进情况 carries, once, where the author put it.
 */
import type { Paragraph, Table } from 'docx';
import type { DraftSection } from '../../shared/report/draft';
import type { RichDoc, RichNode } from '../../shared/richtext';
import { toCnNumeral } from '../../shared/cnNumeral';
import { h1, richParagraphs } from './docxBlocks';

/** A section's doc with figures as plain text and report blocks split out (in order). */
function printable(doc: RichDoc): (RichDoc | { block: string })[] {
  const inline = (n: RichNode): RichNode =>
    n.type === 'figure' ? { type: 'text', text: String(n.attrs?.text ?? '—') } : n.content ? { ...n, content: n.content.map(inline) } : n;
  const out: (RichDoc | { block: string })[] = [];
  let run: RichNode[] = [];
  for (const n of doc.content) {
    if (n.type === 'reportBlock') {
      if (run.length) out.push({ type: 'doc', content: run });
      run = [];
      out.push({ block: String(n.attrs?.block ?? '') });
    } else run.push(inline(n));
  }
  if (run.length) out.push({ type: 'doc', content: run });
  return out;
}

/**
 * The drafted body. `blockOf` prints a report block (a table or chart of the generated body), or
 * nothing for one it does not know.
 */
export function draftBodyBlocks(sections: readonly DraftSection[], blockOf: (block: string) => (Paragraph | Table)[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  let n = 0;
  for (const s of sections) {
    if (s.key !== 'lead' && s.title.trim()) out.push(h1(`${toCnNumeral(++n)}、${s.title.trim()}`));
    for (const part of printable(s.doc)) out.push(...('block' in part ? blockOf(part.block) : richParagraphs(part, [])));
  }
  return out;
}
