import { highlight } from '../../db/search';

/** Text with the search terms marked, folded as the search folds them (so what matched is what is marked). */
export function Highlight({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlight(text, query).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
