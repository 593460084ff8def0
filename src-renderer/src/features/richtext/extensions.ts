/**
 * The editor's schema: exactly the nodes and marks of `src-main/shared/richtext.ts`, so what the
 * editor saves always validates and what a bundle brings always fits the editor.
 */
import StarterKit from '@tiptap/starter-kit';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { isSafeLink } from '../../../../src-main/shared/richtext';

export function editorExtensions() {
  return [
    StarterKit.configure({
      codeBlock: false,
      code: false,
      horizontalRule: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['https', 'http', 'mailto'],
        defaultProtocol: 'https',
        // Only web and mail links: never javascript:, data: or file:.
        isAllowedUri: (url) => isSafeLink(url),
        shouldAutoLink: (url) => isSafeLink(url.includes(':') ? url : `https://${url}`),
      },
    }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
  ];
}
