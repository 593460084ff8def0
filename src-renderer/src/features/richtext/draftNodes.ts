/**
 * The two nodes only a report draft's editor has (src-main/shared/richtext.ts): an inline `figure`,
 * shown as a chip with its printed value (its key on hover, a marker when a refresh changed it),
 * and a block `reportBlock`, shown as a card naming the computed table or chart. Both are atoms:
 * the author moves or deletes them whole and never types inside. The annotation editor does not
 * load them, so it keeps refusing both.
 */
import { Node } from '@tiptap/core';
import { FIGURE_KEY_PATTERN, REPORT_BLOCKS } from '../../../../src-main/shared/richtext';

/**
 * What the last refresh changed: figure key → the text it had before. Chips of these keys show
 * the change marker until the draft is closed (`clearFigureChanges`). View state, never stored.
 */
const changes = new Map<string, string>();
const listeners = new Set<() => void>();

export function markFigureChanges(changed: ReadonlyMap<string, string>): void {
  for (const [k, was] of changed) if (!changes.has(k)) changes.set(k, was);
  for (const l of listeners) l();
}
export function clearFigureChanges(): void {
  changes.clear();
  for (const l of listeners) l();
}

export interface DraftNodeLabels {
  /** The hover text of a chip: its key, and what it was before a refresh changed it. */
  figureTitle(key: string, was: string | undefined): string;
  /** The card's text for a report block. */
  blockLabel(block: string): string;
}

export function draftNodes(labels: DraftNodeLabels) {
  const Figure = Node.create({
    name: 'figure',
    group: 'inline',
    inline: true,
    atom: true,
    selectable: true,
    addAttributes() {
      return { key: { default: '', rendered: false }, text: { default: '—', rendered: false } };
    },
    parseHTML() {
      return [
        {
          tag: 'span[data-figure]',
          getAttrs: (el) => {
            const key = (el as HTMLElement).getAttribute('data-figure') ?? '';
            return FIGURE_KEY_PATTERN.test(key) ? { key, text: (el as HTMLElement).textContent ?? '—' } : false;
          },
        },
      ];
    },
    renderHTML({ node }) {
      return ['span', { 'data-figure': String(node.attrs.key), class: 'figure-chip' }, String(node.attrs.text)];
    },
    renderText({ node }) {
      return String(node.attrs.text);
    },
    addNodeView() {
      return ({ node: initial }) => {
        let node = initial;
        const dom = document.createElement('span');
        dom.contentEditable = 'false';
        const paint = () => {
          const key = String(node.attrs.key);
          const was = changes.get(key);
          dom.className = was !== undefined && was !== node.attrs.text ? 'figure-chip figure-changed' : 'figure-chip';
          dom.dataset.figure = key;
          dom.textContent = String(node.attrs.text);
          dom.title = labels.figureTitle(key, was !== node.attrs.text ? was : undefined);
        };
        paint();
        listeners.add(paint);
        return {
          dom,
          update: (next) => {
            if (next.type.name !== 'figure') return false;
            node = next;
            paint();
            return true;
          },
          destroy: () => void listeners.delete(paint),
        };
      };
    },
  });

  const ReportBlock = Node.create({
    name: 'reportBlock',
    group: 'block',
    atom: true,
    selectable: true,
    draggable: true,
    addAttributes() {
      return { block: { default: REPORT_BLOCKS[0], rendered: false } };
    },
    parseHTML() {
      return [
        {
          tag: 'div[data-report-block]',
          getAttrs: (el) => {
            const block = (el as HTMLElement).getAttribute('data-report-block') ?? '';
            return (REPORT_BLOCKS as readonly string[]).includes(block) ? { block } : false;
          },
        },
      ];
    },
    renderHTML({ node }) {
      return ['div', { 'data-report-block': String(node.attrs.block), class: 'report-block-card' }, labels.blockLabel(String(node.attrs.block))];
    },
    addNodeView() {
      return ({ node }) => {
        const dom = document.createElement('div');
        dom.contentEditable = 'false';
        dom.className = 'report-block-card';
        dom.dataset.reportBlock = String(node.attrs.block);
        dom.setAttribute('role', 'img');
        dom.textContent = labels.blockLabel(String(node.attrs.block));
        dom.setAttribute('aria-label', dom.textContent);
        return { dom };
      };
    },
  });

  return [Figure, ReportBlock];
}
