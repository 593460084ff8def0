import { useEffect, useRef, useState } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor as TiptapEditor } from '@tiptap/react';
import { Button, Space, Tooltip, App as AntApp } from 'antd';
import {
  BoldOutlined,
  ItalicOutlined,
  OrderedListOutlined,
  UnorderedListOutlined,
  LinkOutlined,
  TableOutlined,
  UndoOutlined,
  RedoOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isSafeLink, validateRichDoc, type RichDoc } from '../../../../src-main/shared/richtext';
import { ErrorBoundary } from '../../app/ErrorBoundary';
import { editorExtensions } from './extensions';
import { draftNodes, type DraftNodeLabels } from './draftNodes';

export interface RichTextEditorProps {
  /** The document to show; a change of `docKey` resets the editor to `value`. */
  value: RichDoc;
  docKey: string;
  onChange(doc: RichDoc): void;
  onBlur?(): void;
  /** Called when an IME composition starts/ends, so saving waits for the committed text. */
  onComposingChange?(composing: boolean): void;
  ariaLabel: string;
  placeholder?: string;
  minHeight?: number;
  /**
   * A report draft's section: the editor also has the `figure` and `reportBlock` nodes (shown with
   * these labels), and checks the document as a draft. Absent: an annotation's editor, without them.
   */
  draft?: DraftNodeLabels;
  /** The editor once it exists (null when it goes): for inserting at the cursor from outside. */
  onEditor?(editor: TiptapEditor | null): void;
  onFocus?(): void;
}

/**
 * Tiptap editor with a small toolbar: headings, bold, italic, lists, tables and safe links. A
 * document that fails in the editor fails in this panel alone, never the window.
 */
export function RichTextEditor(props: RichTextEditorProps) {
  return (
    <ErrorBoundary key={props.docKey} panel={props.ariaLabel}>
      <CheckedEditor {...props} />
    </ErrorBoundary>
  );
}

/**
 * The document is checked once when it is opened, before ProseMirror sees it: a stored document
 * outside the schema (a table cell spanning 1e9 columns, written before bundles were checked for
 * it) would make prosemirror-tables throw — or allocate a grid until memory runs out, which no
 * error boundary catches. What the editor writes afterwards is within the schema by construction.
 */
function CheckedEditor(props: RichTextEditorProps) {
  const [problem] = useState(() => (props.draft ? validateRichDoc(props.value, 400_000, { draft: true }) : validateRichDoc(props.value)));
  if (problem) throw new Error(problem);
  return <Editor {...props} />;
}

function Editor({ value, docKey, onChange, onBlur, onComposingChange, ariaLabel, minHeight = 160, draft, onEditor, onFocus }: RichTextEditorProps) {
  const { t } = useTranslation();
  const { modal } = AntApp.useApp();
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onBlurRef = useRef(onBlur);
  onBlurRef.current = onBlur;
  const onComposingRef = useRef(onComposingChange);
  onComposingRef.current = onComposingChange;
  const onFocusRef = useRef(onFocus);
  onFocusRef.current = onFocus;
  // The node set is fixed for the editor's life (labels only change with the language).
  const [extensions] = useState(() => (draft ? [...editorExtensions(), ...draftNodes(draft)] : editorExtensions()));

  const editor = useEditor({
    extensions,
    content: value,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: { 'aria-label': ariaLabel, role: 'textbox', 'aria-multiline': 'true', class: 'rich-editor-content' },
      handleDOMEvents: {
        compositionstart: () => {
          onComposingRef.current?.(true);
          return false;
        },
        compositionend: () => {
          onComposingRef.current?.(false);
          return false;
        },
      },
    },
    onUpdate: ({ editor: ed }) => onChangeRef.current(ed.getJSON() as RichDoc),
    onBlur: () => onBlurRef.current?.(),
    onFocus: () => onFocusRef.current?.(),
  });

  const onEditorRef = useRef(onEditor);
  onEditorRef.current = onEditor;
  useEffect(() => {
    onEditorRef.current?.(editor);
    return () => onEditorRef.current?.(null);
  }, [editor]);

  // A different task (or a restored revision) replaces the content without emitting a change.
  useEffect(() => {
    if (!editor) return;
    editor.commands.setContent(value, { emitUpdate: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editor, docKey]);

  const state = useEditorState({
    editor,
    selector: ({ editor: ed }) => ({
      bold: ed?.isActive('bold') ?? false,
      italic: ed?.isActive('italic') ?? false,
      bullet: ed?.isActive('bulletList') ?? false,
      ordered: ed?.isActive('orderedList') ?? false,
      h2: ed?.isActive('heading', { level: 2 }) ?? false,
      link: ed?.isActive('link') ?? false,
    }),
  });

  const askLink = () => {
    if (!editor) return;
    let href = (editor.getAttributes('link').href as string | undefined) ?? 'https://';
    modal.confirm({
      title: t('editor.linkTitle'),
      content: (
        <input
          className="ant-input"
          aria-label={t('editor.linkTitle')}
          defaultValue={href}
          autoFocus
          onChange={(e) => (href = e.target.value)}
        />
      ),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => {
        if (href.trim() === '') {
          editor.chain().focus().extendMarkRange('link').unsetLink().run();
          return;
        }
        if (!isSafeLink(href.trim())) {
          modal.error({ title: t('editor.unsafeLink') });
          return;
        }
        editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run();
      },
    });
  };

  if (!editor) return null;
  const btn = (key: string, icon: React.ReactNode, active: boolean, run: () => void) => (
    <Tooltip title={t(`editor.${key}`)} key={key}>
      <Button size="small" type={active ? 'primary' : 'text'} icon={icon} aria-label={t(`editor.${key}`)} aria-pressed={active}
        onMouseDown={(e) => e.preventDefault()} onClick={run} />
    </Tooltip>
  );
  return (
    <div className="rich-editor" style={{ ['--rich-min-height' as string]: `${minHeight}px` }}>
      <Space size={2} className="rich-toolbar" wrap>
        <Button size="small" type={state?.h2 ? 'primary' : 'text'} aria-label={t('editor.heading')} onMouseDown={(e) => e.preventDefault()}
          onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}>H</Button>
        {btn('bold', <BoldOutlined />, state?.bold ?? false, () => editor.chain().focus().toggleBold().run())}
        {btn('italic', <ItalicOutlined />, state?.italic ?? false, () => editor.chain().focus().toggleItalic().run())}
        {btn('bulletList', <UnorderedListOutlined />, state?.bullet ?? false, () => editor.chain().focus().toggleBulletList().run())}
        {btn('orderedList', <OrderedListOutlined />, state?.ordered ?? false, () => editor.chain().focus().toggleOrderedList().run())}
        {btn('table', <TableOutlined />, false, () => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run())}
        {btn('link', <LinkOutlined />, state?.link ?? false, askLink)}
        {btn('undo', <UndoOutlined />, false, () => editor.chain().focus().undo().run())}
        {btn('redo', <RedoOutlined />, false, () => editor.chain().focus().redo().run())}
      </Space>
      <EditorContent editor={editor} />
    </div>
  );
}
