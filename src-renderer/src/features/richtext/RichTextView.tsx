import type { ReactNode } from 'react';
import { isSafeLink, type RichDoc, type RichNode } from '../../../../src-main/shared/richtext';

/** Renders stored rich text as React elements (never as HTML strings), links only when safe. */
export function RichTextView({ doc, className }: { doc: RichDoc | null | undefined; className?: string }) {
  if (!doc) return null;
  return <div className={`rich-view ${className ?? ''}`}>{doc.content.map((n, i) => renderNode(n, i))}</div>;
}

function renderText(n: RichNode, key: number): ReactNode {
  let node: ReactNode = n.text ?? '';
  for (const m of n.marks ?? []) {
    if (m.type === 'bold') node = <strong>{node}</strong>;
    else if (m.type === 'italic') node = <em>{node}</em>;
    else if (m.type === 'underline') node = <u>{node}</u>;
    else if (m.type === 'strike') node = <s>{node}</s>;
    else if (m.type === 'link' && m.attrs && isSafeLink(m.attrs.href)) {
      node = <a href={m.attrs.href} target="_blank" rel="noreferrer noopener">{node}</a>;
    }
  }
  return <span key={key}>{node}</span>;
}

function renderNode(n: RichNode, key: number): ReactNode {
  const kids = (n.content ?? []).map((c, i) => renderNode(c, i));
  switch (n.type) {
    case 'text':
      return renderText(n, key);
    case 'hardBreak':
      return <br key={key} />;
    case 'paragraph':
      return <p key={key}>{kids}</p>;
    case 'heading': {
      const level = Math.min(Math.max(Number(n.attrs?.level ?? 2), 1), 3);
      return level === 1 ? <h3 key={key}>{kids}</h3> : level === 2 ? <h4 key={key}>{kids}</h4> : <h5 key={key}>{kids}</h5>;
    }
    case 'bulletList':
      return <ul key={key}>{kids}</ul>;
    case 'orderedList':
      return <ol key={key}>{kids}</ol>;
    case 'listItem':
      return <li key={key}>{kids}</li>;
    case 'blockquote':
      return <blockquote key={key}>{kids}</blockquote>;
    case 'table':
      return (
        <table key={key}>
          <tbody>{kids}</tbody>
        </table>
      );
    case 'tableRow':
      return <tr key={key}>{kids}</tr>;
    case 'tableHeader':
      return <th key={key}>{kids}</th>;
    case 'tableCell':
      return <td key={key}>{kids}</td>;
    default:
      return null;
  }
}
