/**
 * A report draft (报告起草): the document a report author writes, kept in the database with its
 * revisions and in backups. Its body is a list of sections (一、总体推进情况 … 五、下一步工作打算),
 * each a rich-text document that starts as a *synthesised* draft (`generateDraft`) and is then
 * rewritten by the author. The 公文 frame around the body (主送机关, 版头, 落款, 附注, 版记) is the
 * draft's `form`.
 *
 * Two nodes exist only in drafts (see `validateDraftDoc`):
 *  - `figure` (inline): a live figure, `attrs.key` naming what it counts (`FIGURE_KEY_PATTERN`, e.g.
 *    `overall.implemented`, `table.2.implementedShare`) and `attrs.text` the value as printed when it
 *    was last refreshed. The app shows it as a chip and refreshes it when the data changes
 *    (`refreshFigures`); an exported file prints the text refreshed at export — frozen there.
 *  - `reportBlock` (block): a table or chart computed from the data, `attrs.block` naming it
 *    (`REPORT_BLOCKS`), numbered 表N / 图N by the renderer.
 * Headings in a section carry no numbers: the renderer numbers them (（一）, 1.), so an inserted or
 * removed heading never leaves two （三）.
 *
 * Pure: no node, electron or DOM imports.
 */
import type { RichDoc } from '../richtext';
import type { Status } from '../domain';

/** The sections of a progress report's body, in order. `changes` (本期变化情况) only with a baseline. */
export const DRAFT_SECTION_KEYS = ['lead', 'overview', 'changes', 'practices', 'cases', 'problems', 'nextSteps'] as const;
export type DraftSectionKey = (typeof DRAFT_SECTION_KEYS)[number];

export interface DraftSection {
  key: DraftSectionKey;
  /** The heading without its number (总体推进情况); empty for `lead` (the opening paragraph has none). */
  title: string;
  doc: RichDoc;
  /**
   * A fingerprint (`sha256Hex` of the JSON) of the generated doc this section was last filled with.
   * When `doc` still equals it the author has not written anything of their own, and regenerating
   * may replace it without asking.
   */
  generated: string;
}

/**
 * The 公文 elements of GB/T 9704-2012 around the body. Empty strings mean "not printed".
 */
export interface GongwenForm {
  /** 主送机关, e.g. 市服务业扩大开放综合试点工作领导小组办公室 / 商务部. */
  recipients: string;
  /**
   * 版头: 发文机关标志 (red, e.g. 南京市玄武区人民政府文件), 发文字号 (玄政发〔2025〕12号), 签发人
   * (printed for 上行文, a report to a higher office). Null: no 版头 (a report sent as an attachment).
   */
  header: { orgMark: string; docNumber: string; signer: string } | null;
  /** 落款 with a seal (7.3.5.1: the date centred under the issuer, the seal over both) or without (7.3.5.2). */
  seal: boolean;
  /** 附注, e.g. 联系人：张三，电话：025-12345678 (printed in brackets under the 落款). */
  note: string;
  /** 抄送机关 (版记). */
  copyTo: string;
  /** 印发机关 (版记), e.g. 南京市玄武区人民政府办公室. */
  printer: string;
  /** 印发日期 (版记), ISO date; null: the 成文日期. */
  printDate: string | null;
}

export const EMPTY_FORM: GongwenForm = { recipients: '', header: null, seal: false, note: '', copyTo: '', printer: '', printDate: null };

export interface ReportDraft {
  id: string;
  kind: 'district' | 'city';
  title: string;
  /** As `ReportScope`: unit codes, tables 1–5, statuses; empty lists mean all. */
  scope: { unitCodes: string[]; tables: number[]; statuses: Status[] };
  /** ISO date: data as of the end of this day (Beijing time). */
  asOf: string;
  issuer: string;
  signDate: string;
  form: GongwenForm;
  sections: DraftSection[];
  createdAt: string;
  updatedAt: string;
  updatedBy: { name: string; unitCode: string };
}

export { FIGURE_KEY_PATTERN, REPORT_BLOCKS, type ReportBlock } from '../richtext';
