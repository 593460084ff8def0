/**
 * The task list marks the search terms in a task's text and in a hit's snippet with the search's
 * own folding, so what the search found is what is marked — full-width letters, and text with a
 * character that NFKC widens (ﬁ → fi), included.
 */
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { Highlight } from '../../src-renderer/src/features/tasks/Highlight';

const marked = (text: string, query: string) =>
  [...render(<Highlight text={text} query={query} />).container.querySelectorAll('mark')].map((m) => m.textContent);

describe('Highlight', () => {
  it('marks every occurrence of every term, Latin case- and width-insensitively', () => {
    expect(marked('加强知识产权保护，对接ＲＣＥＰ规则，产权交易', '产权 rcep')).toEqual(['产权', 'ＲＣＥＰ', '产权']);
  });

  it('still marks the term when the text holds a character whose folded form is longer', () => {
    expect(marked('ﬁntech 企业知识产权质押融资', '知识产权')).toEqual(['知识产权']);
  });

  it('marks nothing for an empty query', () => {
    expect(marked('知识产权', '  ')).toEqual([]);
  });
});
