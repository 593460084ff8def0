/**
 * The 公文 frame of GB/T 9704-2012 around a report's body: 版头 (7.2), 主送机关 (7.3.2), 附件说明
 * (7.3.4), 落款 (7.3.5), 附注 (7.3.6) and 版记 (7.4). The body and the annexes come from elsewhere;
 * the assembler (`docx.ts`) puts them into this frame. Measures are in `gbt9704.ts`, the XML in
 * `docxBlocks.ts`.
 *
 * Defaults where the form leaves an element empty (`resolveForm`):
 *  - 主送机关: a report always has one. A district report goes to the city's leading group office
 *    (南京市服务业扩大开放综合试点工作领导小组办公室), which the plan charges with gathering the
 *    districts' progress; the city report goes to 商务部, which runs the national pilot.
 *  - 印发机关: the issuer's office (南京市玄武区人民政府 → 南京市玄武区人民政府办公室; an issuer that
 *    is itself an office or a bureau prints its own name); 印发日期: the 成文日期.
 *  - 版头, 抄送机关 and 附注 have no default: not printed unless given.
 */
import { AlignmentType, type Paragraph } from 'docx';
import { fail, ok, type Result } from '../../shared/result';
import type { GongwenForm } from '../../shared/report/draft';
import type { ReportMeta } from '../../shared/report/model';
import { cnDate } from '../../shared/time';
import { isIsoDate } from '../../shared/domain';
import { AUTOSPACE, BODY_LINE, CHAR_PITCH, FONTS, HALF_PITCH, RED, RULE, SIZE, TEXT_HEIGHT, TEXT_WIDTH, orgMarkSize } from './gbt9704';
import { body, charUnits, emptyLine, para, run, runsWithBreaks, tab, titlePara } from './docxBlocks';

export const DISTRICT_RECIPIENT = '南京市服务业扩大开放综合试点工作领导小组办公室';
export const CITY_RECIPIENT = '商务部';

/** The form as printed: defaults filled in, blanks trimmed (an empty string is not printed). */
export interface ResolvedForm {
  recipients: string;
  header: { orgMark: string; docNumber: string; signer: string } | null;
  seal: boolean;
  note: string;
  copyTo: string;
  printer: string;
  /** 印发日期 as printed: 2025年3月5日. */
  printDateText: string;
}

/** 印发机关 by default: a government's office; an office, a bureau or a department prints itself. */
export function defaultPrinter(issuer: string): string {
  const i = issuer.trim();
  if (!i) return '';
  return /人民政府$|管理委员会$|管委会$/.test(i) ? `${i}办公室` : i;
}

export function resolveForm(meta: Pick<ReportMeta, 'kind' | 'issuer' | 'signDate' | 'form'>): ResolvedForm {
  const f = meta.form;
  const t = (s: string | undefined) => (s ?? '').trim();
  const header = f.header ? { orgMark: t(f.header.orgMark), docNumber: t(f.header.docNumber), signer: t(f.header.signer) } : null;
  const printDate = f.printDate && isIsoDate(f.printDate) ? f.printDate : meta.signDate;
  return {
    recipients: t(f.recipients) || (meta.kind === 'city' ? CITY_RECIPIENT : DISTRICT_RECIPIENT),
    header: header && (header.orgMark || header.docNumber || header.signer) ? header : null,
    seal: f.seal,
    note: t(f.note).replace(/^[（(]|[）)]$/g, ''),
    copyTo: t(f.copyTo).replace(/[。.]$/, ''),
    printer: t(f.printer) || defaultPrinter(meta.issuer),
    printDateText: cnDate(printDate),
  };
}

// ---------------------------------------------------------------------------------------------
// Checking a form given by a person (CLI flags, a draft file)

/** Limits of each element, in characters. */
export const FORM_LIMITS = { recipients: 200, orgMark: 30, docNumber: 40, signer: 40, note: 200, copyTo: 300, printer: 60 } as const;

/** 发文字号: 机关代字 + 〔年份〕 + 序号 + 号 (7.2.4), 序号 without leading zeros and without 第. */
export const DOC_NUMBER_PATTERN = /^[^\s〔〕]{1,20}〔(19|20)\d{2}〕[1-9]\d{0,5}号$/u;

/**
 * 发文字号 as GB/T 9704 writes it: the year's brackets in any of the forms people type
 * ([2025] 【2025】 (2025) （2025） ［2025］) become 六角括号 〔2025〕. Null when it is not a 发文字号.
 */
export function normaliseDocNumber(text: string): string | null {
  const s = text.trim().replace(/[[【(（［]\s*((?:19|20)\d{2})\s*[\]】)）］]/u, '〔$1〕');
  return DOC_NUMBER_PATTERN.test(s) ? s : null;
}

/**
 * A form from the page, ready to print: its 发文字号 normalised (「宁试点办[2026]5号」 → 〔2026〕), or the
 * failure — a 发文字号 that is none, or `checkForm`'s problems — said in Chinese, with nothing written.
 */
export function checkedForm(f: GongwenForm): Result<GongwenForm> {
  let form = f;
  if (f.header && f.header.docNumber.trim()) {
    const docNumber = normaliseDocNumber(f.header.docNumber);
    if (docNumber === null) return fail('form.doc_number', `「${f.header.docNumber}」不是发文字号：应如「宁试点办〔2026〕5号」。文件未生成。`);
    form = { ...f, header: { ...f.header, docNumber } };
  }
  const problems = checkForm(form);
  return problems.length ? fail('form.invalid', `${problems.join('')}文件未生成。`) : ok(form);
}

/** The problems of a form, in Chinese, one a line; empty when it can be printed. */
export function checkForm(f: GongwenForm): string[] {
  const errors: string[] = [];
  const single = (label: string, v: string, max: number) => {
    if (/[\r\n]/.test(v)) errors.push(`${label}不能换行。`);
    if (Array.from(v.trim()).length > max) errors.push(`${label}过长（上限 ${max} 字）。`);
  };
  single('主送机关', f.recipients, FORM_LIMITS.recipients);
  single('附注', f.note, FORM_LIMITS.note);
  single('抄送机关', f.copyTo, FORM_LIMITS.copyTo);
  single('印发机关', f.printer, FORM_LIMITS.printer);
  if (f.header) {
    single('发文机关标志', f.header.orgMark, FORM_LIMITS.orgMark);
    single('签发人', f.header.signer, FORM_LIMITS.signer);
    if (f.header.docNumber.trim() && !DOC_NUMBER_PATTERN.test(f.header.docNumber.trim())) {
      errors.push(`发文字号「${f.header.docNumber}」格式不对，应如「玄政发〔2025〕12号」：年份用六角括号〔〕括入，序号不加“第”字、不编虚位（1 不写作 01）。`);
    }
    if (f.header.signer.trim() && !f.header.docNumber.trim()) errors.push('有签发人时须同时给出发文字号（两者排在同一行，GB/T 9704 7.2.4）。');
  }
  if (f.printDate !== null && !isIsoDate(f.printDate)) errors.push(`印发日期「${f.printDate}」无效，请填写如 2025-03-05 的日期。`);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// 版头 (7.2) and the title with its 主送机关

/** Distance from the 版心's top to the 发文机关标志's top edge (7.2.3): 35 mm. */
const ORG_MARK_TOP = 1985;

/**
 * 版头: the 发文机关标志 35 mm below the 版心's top, red 小标宋, centred; two lines below it the
 * 发文字号 — centred, or for a 上行文 (with 签发人) one character in on the left with 「签发人：」 and
 * the name (楷体) one character in on the right of the same line (7.2.4, 7.2.5); the red separator
 * line 4 mm under the 发文字号, as wide as the 版心 (7.2.6).
 */
export function headBlocks(form: ResolvedForm, issuer: string): Paragraph[] {
  const h = form.header;
  if (!h) return [];
  const mark = h.orgMark || `${issuer}文件`;
  const size = orgMarkSize(Array.from(mark).length);
  const out: Paragraph[] = [
    para([run('')], { indent: false, line: ORG_MARK_TOP }),
    para([run(mark, { font: FONTS.title, size, color: RED })], { indent: false, align: AlignmentType.CENTER, line: Math.round(size * 10 * 1.2) }),
    emptyLine(),
    emptyLine(),
  ];
  // The red line as the bottom rule of the 发文字号's line, 4 mm (11 pt) below it.
  const redLine = { bottom: { size: RULE.red, color: RED, space: 11 } };
  if (h.signer) {
    out.push(
      para([run(h.docNumber), tab(), run('签发人：'), run(h.signer, { font: FONTS.kaiti })], {
        indent: false,
        align: AlignmentType.LEFT,
        left: CHAR_PITCH,
        right: CHAR_PITCH,
        tabRight: TEXT_WIDTH - 2 * CHAR_PITCH,
        border: redLine,
      }),
    );
  } else {
    out.push(para([run(h.docNumber)], { indent: false, align: AlignmentType.CENTER, border: redLine }));
  }
  // The title two lines under the red line (7.3.1).
  out.push(emptyLine(), emptyLine());
  return out;
}

/** The title, and one line below it the 主送机关 顶格 with a full-width colon (7.3.2). */
export function titleBlocks(title: string, form: ResolvedForm): Paragraph[] {
  const out: Paragraph[] = [titlePara(title), emptyLine()];
  if (form.recipients) out.push(para([run(`${form.recipients.replace(/[：:]$/, '')}：`)], { indent: false, align: AlignmentType.LEFT }));
  return out;
}

// ---------------------------------------------------------------------------------------------
// 附件说明, 落款, 附注 (7.3.4–7.3.6): one chain kept with the body's end

/** Width of text on a line of 三号, in twips (CJK 315, Latin 155, ¼ character between the two). */
function lineWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charUnits(ch) < 1 ? HALF_PITCH : CHAR_PITCH;
  const spaces = text.match(/[0-9A-Za-z](?=[^ -~])|[^ -~](?=[0-9A-Za-z])/g)?.length ?? 0;
  return w + spaces * AUTOSPACE;
}

/**
 * 附件说明 (7.3.4): one line below the body, two characters in, 「附件：」 and the names; with
 * several, numbered 「1. 」…, each name's later lines aligned with its first character (hanging
 * indent). Names without closing punctuation. Every paragraph keeps with the next (the 落款
 * follows), so the note never breaks over two pages and stays with the body's end.
 */
export function attachmentNote(titles: string[]): Paragraph[] {
  if (titles.length === 0) return [];
  const names = titles.map((t) => t.replace(/[。；;，,.]$/, ''));
  const label = 2 * CHAR_PITCH + 3 * CHAR_PITCH; // 「附件：」 after the two-character indent
  const out: Paragraph[] = [para([run('')], { indent: false, keepNext: true })];
  if (names.length === 1) {
    out.push(para([run(`附件：${names[0]}`)], { indent: false, left: label, hanging: 3 * CHAR_PITCH, keepNext: true, keepLines: true, align: AlignmentType.LEFT }));
    return out;
  }
  names.forEach((n, i) => {
    const num = `${i + 1}. `;
    const numW = lineWidth(num);
    const left = label + numW;
    out.push(
      para([run(i === 0 ? `附件：${num}${n}` : `${num}${n}`)], {
        indent: false,
        left,
        hanging: i === 0 ? 3 * CHAR_PITCH + numW : numW,
        keepNext: true,
        keepLines: true,
        align: AlignmentType.LEFT,
      }),
    );
  });
  return out;
}

/**
 * Right indents (twips) of the 发文机关署名 and the 成文日期.
 *  - With a seal (7.3.5.1): the date 右空四字; the issuer centred over the date.
 *  - Without (7.3.5.2): the issuer 右空二字; the date on the next line, its first character two
 *    characters right of the issuer's first; only when the date is longer than the issuer, the
 *    date 右空二字 and the issuer moves left by as much.
 * Characters are counted in the widths they take on the line (`lineWidth`).
 */
export function signatureIndents(issuer: string, date: string, seal = false): { issuerRight: number; dateRight: number } {
  const il = lineWidth(issuer);
  const dl = lineWidth(date);
  if (seal) {
    const dateRight = 4 * CHAR_PITCH;
    return { issuerRight: Math.max(0, Math.round(dateRight + (dl - il) / 2)), dateRight };
  }
  if (dl > il) return { issuerRight: 4 * CHAR_PITCH + dl - il, dateRight: 2 * CHAR_PITCH };
  return { issuerRight: 2 * CHAR_PITCH, dateRight: il - dl };
}

/**
 * 落款 and 附注. The issuer one line below the body (or the 附件说明); with a seal two lines more,
 * so that the seal (42 mm, about four lines), its top within a line of the text above, presses on
 * the issuer and the date below its centre (7.3.5.1). 附注 (7.3.6): the next line after the date, two
 * characters in, in brackets. All but the last kept with the next.
 */
export function signatureBlocks(meta: Pick<ReportMeta, 'issuer' | 'signDateText'>, form: ResolvedForm): Paragraph[] {
  const { issuerRight, dateRight } = signatureIndents(meta.issuer, meta.signDateText, form.seal);
  const blank = () => para([run('')], { indent: false, keepNext: true });
  const out: Paragraph[] = [blank()];
  if (form.seal) out.push(blank(), blank());
  if (meta.issuer) out.push(para([run(meta.issuer)], { align: AlignmentType.RIGHT, indent: false, right: issuerRight, keepNext: true }));
  out.push(para([run(meta.signDateText)], { align: AlignmentType.RIGHT, indent: false, right: dateRight, keepNext: !!form.note }));
  if (form.note) out.push(body(`（${form.note}）`, { align: AlignmentType.LEFT }));
  return out;
}

// ---------------------------------------------------------------------------------------------
// 版记 (7.4)

/** 四号: the 版记's text, and its one-character indents. */
const COLOPHON_CHAR = SIZE.si * 10;
/** What the 版记's rules and their spacing add to its lines, with some slack, in twips: the rules are 2 × (1 pt + 4 pt of spacing) = 200; at 200 LibreOffice pushed the 版记 to the next page. */
const COLOPHON_RULES = 400;

/**
 * 版记: 抄送机关 (「抄送：」, later lines aligned after the colon, ending with 。) and 印发机关 / 印发日期
 * on one line, 四号 仿宋, one character in from each side; the first and last rules thick, the one
 * between thin, all as wide as the 版心. It is the only content of its section, which starts on an
 * even page (the document's last page, after the annexes), so an empty line of exact height puts it
 * at the page's foot: its last rule on the 版心's bottom edge.
 */
export function colophonBlocks(form: ResolvedForm): Paragraph[] {
  const s = { size: SIZE.si };
  const rows: Paragraph[] = [];
  const thick = { size: RULE.thick, space: 4 };
  const thin = { size: RULE.thin, space: 4 };
  let lines = 1;
  if (form.copyTo) {
    const label = 3 * COLOPHON_CHAR; // 抄送：
    const perLine = Math.floor((TEXT_WIDTH - 2 * COLOPHON_CHAR - label) / COLOPHON_CHAR);
    lines += Math.max(1, Math.ceil((charUnits(form.copyTo) + 1) / perLine));
    rows.push(
      para([run(`抄送：${form.copyTo}。`, s)], {
        indent: false,
        align: AlignmentType.LEFT,
        left: COLOPHON_CHAR + label,
        hanging: label,
        right: COLOPHON_CHAR,
        border: { top: thick, bottom: thin },
      }),
    );
  }
  // A long 印发机关 (a leading group's office) with its date wraps to a second line: count it, or
  // the 版记 runs over its page.
  // the 版记 runs over its page; the date then goes whole to the second line's right end.
  const wraps = charUnits(`${form.printer}${form.printDateText}印发`) + 1 > Math.floor((TEXT_WIDTH - 2 * COLOPHON_CHAR) / COLOPHON_CHAR);
  if (wraps) lines += 1;
  rows.push(
    para([...(wraps ? runsWithBreaks(`${form.printer}\n`, s) : [run(form.printer, s)]), tab(s), run(`${form.printDateText}印发`, s)], {
      indent: false,
      align: AlignmentType.LEFT,
      left: COLOPHON_CHAR,
      right: COLOPHON_CHAR,
      tabRight: TEXT_WIDTH - 2 * COLOPHON_CHAR,
      border: form.copyTo ? { bottom: thick } : { top: thick, bottom: thick },
    }),
  );
  const spacer = TEXT_HEIGHT - lines * BODY_LINE - COLOPHON_RULES;
  return [para([run('')], { indent: false, line: spacer }), ...rows];
}

/** The 版记's words for tests and previews: 抄送 line (or empty) and the 印发 line. */
export function colophonText(form: ResolvedForm): { copyTo: string; printed: string } {
  return { copyTo: form.copyTo ? `抄送：${form.copyTo}。` : '', printed: `${form.printer}${form.printDateText}印发` };
}
