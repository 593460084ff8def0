/**
 * Parser of the seed corpus: a PDF-to-text dump of 商务部关于印发《南京市服务业扩大开放综合试点总体方案》的通知
 * (商资发〔2022〕209号). Pure TypeScript, no node/electron/DOM imports: it runs in main, the CLI and the browser.
 *
 * Layout of the dump (what the parser relies on):
 * - every text line is followed by a blank line; a line starting with a space is the first line of a PDF page;
 *   neither carries meaning, so blank lines are dropped and lines are trimmed;
 * - a line holding only a number (`8`, `7`) is a page number and is dropped everywhere;
 * - the PDF lost the paragraph indentation, but a paragraph's last line is shorter than a full line, so a
 *   paragraph ends after a line that ends a sentence (。：；！？) and is clearly shorter than the usual full
 *   line, or before a heading;
 * - PDF line wraps are joined with nothing between them (the text is Chinese; a wrap may even cut a Latin word);
 *   inside a line, spaces are dropped unless both neighbours are ASCII letters/digits (`经过 3年` → `经过3年`,
 *   `“南京服务专区”。 拓展` → `“南京服务专区”。拓展`);
 * - the task list (试点任务清单) has five tables 表1…表5, one per heading （一）…（五） of chapter 二. Each page of a
 *   table repeats the header `类别 试点任务`; the 类别 column comes out before its rows, either vertically (one
 *   character per line: 充/分/竞/…) or wrapped (深化放/管服改/革); table 1 has a 领域 column wrapped in two-character
 *   lines (科技/服务/领域) after the vertical 类别. Tasks are numbered `N.` (sometimes `N. `) from 1 in each table.
 *
 * Failures are values: `parseCorpus` never returns a partial corpus. Internally a private `Damaged` exception
 * carries the reason to the single catch in `parseCorpus`.
 */
import type { Result } from '../result';
import { parseCnNumeral, toCnNumeral } from '../cnNumeral';
import { sha256Hex } from '../hash';
import type {
  Chapter,
  ChapterSection,
  Corpus,
  CorpusError,
  CorpusMeta,
  Measure,
  Task,
  TaskTable,
} from './types';

// ---------------------------------------------------------------------------------------------------------------
// Errors

const REMEDY = '请重新安装本软件，或恢复 seeds 目录中的原文文件。';

/** Reason a seed is damaged: `what` is Chinese (shown), `detail` is English (logged). */
class Damaged extends Error {
  constructor(
    readonly what: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const damaged = (what: string, detail: string): never => {
  throw new Damaged(what, detail);
};

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** A non-blank line of the seed with its 1-based line number (for `detail`). */
interface Line {
  no: number;
  text: string;
}

/** Display width in half-width units: CJK, CJK punctuation and full-width forms (U+2E80 and up) count 2. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w += c >= 0x2e80 ? 2 : 1;
  }
  return w;
}

const ASCII_WORD = /[A-Za-z0-9]/;

/** Joins wrapped lines and removes spaces that are not between two ASCII letters/digits. */
function joinClean(parts: readonly string[]): string {
  const s = parts.map((p) => p.trim()).join('');
  return s.replace(/\s+/g, (_m, offset: number, whole: string) => {
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + _m.length] ?? '';
    return ASCII_WORD.test(before) && ASCII_WORD.test(after) ? ' ' : '';
  });
}

/** Text without spaces, punctuation and symbols, for comparing the tables with the narrative. */
const bare = (s: string): string => s.replace(/[\s\p{P}\p{S}]/gu, '');

/** Ends a sentence: 。！？； possibly followed by closing quotes/brackets. */
const SENTENCE_END = /[。！？；][”’）」』]*$/;
/** Ends a sentence or introduces a list (：), for paragraph breaks. */
const PARAGRAPH_END = /[。！？；：:][”’）」』]*$/;

const PAGE_NUMBER = /^\d{1,3}$/;
const DOC_NUMBER = /^[（(]?\s*([^（(）)\s]{1,12}〔\d{4}〕\d{1,5}号)\s*[）)]?$/;
const DATE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const CHAPTER = /^([一二三四五六七八九十]{1,3})、\s*(\S.*)$/;
const SECTION = /^（([一二三四五六七八九十]{1,3})）\s*(\S.*)$/;
/** `12.深化…`, `1. 深化…`; a digit after the dot would be a decimal number, not a numbering. */
const NUMBERED = /^(\d{1,3})\s*[.．]\s*(?![\d\s])(.*)$/;
const TASK_LIST_TITLE = /^\S{2,40}任务清单$/;
const TABLE_TITLE = /^表\s*(\d{1,2})\s*(\S.*)$/;
const TABLE_HEADER = /^类别\s*试点任务$/;

/** Lead phrase of a measure or heading: text before the first 。 (or the whole text). */
function leadPhrase(text: string): string {
  const i = text.indexOf('。');
  return i < 0 ? text : text.slice(0, i);
}

const stripFinalStop = (s: string): string => s.replace(/[。.]$/, '');

/**
 * Splits narrative lines into paragraphs. A paragraph ends after a line that ends a sentence and is clearly shorter
 * than a full line (`fullWidth` minus a character and a half), because the dump lost the indentation.
 */
function paragraphs(lines: readonly Line[], fullWidth: number): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const line of lines) {
    cur.push(line.text);
    if (PARAGRAPH_END.test(line.text) && width(line.text) <= fullWidth - 3) {
      out.push(joinClean(cur));
      cur = [];
    }
  }
  if (cur.length > 0) out.push(joinClean(cur));
  return out.filter((p) => p !== '');
}

/** The most common width among `lines`: the width of a full line of the narrative. */
function modeWidth(lines: readonly Line[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const l of lines) {
    const w = width(l.text);
    const c = (counts.get(w) ?? 0) + 1;
    counts.set(w, c);
    if (c > bestCount || (c === bestCount && w > best)) {
      best = w;
      bestCount = c;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor over the lines

class Cursor {
  i = 0;
  constructor(readonly lines: readonly Line[]) {}
  get done(): boolean {
    return this.i >= this.lines.length;
  }
  peek(): Line | undefined {
    return this.lines[this.i];
  }
  next(): Line | undefined {
    return this.lines[this.i++];
  }
  /** Line number for `detail`: the current line, or "end of file". */
  where(): string {
    const l = this.peek();
    return l ? `line ${l.no}` : 'end of file';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Notice and plan header

interface Header {
  meta: CorpusMeta;
}

function parseHeader(cur: Cursor): Header {
  // Notice title: the lines before the document number (the PDF wraps it).
  const titleLines: string[] = [];
  let docNumber = '';
  while (!cur.done) {
    const l = cur.next()!;
    const m = DOC_NUMBER.exec(l.text);
    if (m) {
      docNumber = m[1];
      break;
    }
    titleLines.push(l.text);
    if (titleLines.length > 4) break;
  }
  if (!docNumber || titleLines.length === 0) {
    damaged('找不到通知的标题和文号', `no notice title followed by a document number (…〔yyyy〕n号) within the first lines`);
  }
  const noticeTitle = joinClean(titleLines);

  // Addressees (主送机关): up to the first line ending with a colon.
  const addr: string[] = [];
  for (;;) {
    const l = cur.next();
    if (!l) return damaged('找不到通知的主送机关', 'end of file inside the addressees');
    addr.push(l.text);
    if (/[：:]$/.test(l.text)) break;
    if (addr.length > 40) damaged('找不到通知的主送机关', `no line ending with "：" within 40 lines after the document number`);
  }
  const addressees = joinClean(addr).replace(/[：:]$/, '');

  // Body up to the signature: the issuer's line followed by the date line.
  const body: Line[] = [];
  const signature = (): { issuer: string; date: string } => {
    for (;;) {
      const l = cur.next();
      if (!l) return damaged('找不到通知的落款（发文机关和日期）', 'end of file inside the notice body');
      const after = cur.peek();
      const dm = after ? DATE.exec(after.text) : null;
      if (dm && width(l.text) <= 40) {
        cur.next();
        return { issuer: l.text, date: `${dm[1]}-${dm[2].padStart(2, '0')}-${dm[3].padStart(2, '0')}` };
      }
      body.push(l);
      if (body.length > 60) damaged('找不到通知的落款（发文机关和日期）', 'no issuer line followed by a date within 60 lines');
    }
  };
  const { issuer, date } = signature();
  if (body.length === 0) damaged('通知正文缺失', `no body between the addressees and the signature (${cur.where()})`);

  // The plan's own title follows the signature.
  const planTitle = cur.next();
  if (!planTitle || CHAPTER.test(planTitle.text)) {
    damaged('找不到总体方案的标题', `expected the plan title after the notice signature (${cur.where()})`);
  }
  const title = joinClean([planTitle!.text]);
  if (!noticeTitle.includes(`《${title}》`)) {
    damaged(
      '通知标题与方案标题不一致',
      `notice title "${noticeTitle}" does not name the plan "${title}" (line ${planTitle!.no})`,
    );
  }

  return {
    meta: {
      noticeTitle,
      title,
      docNumber,
      issuer,
      date,
      addressees,
      noticeBody: paragraphs(body, modeWidth(body)),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Chapters and measures

interface Plan {
  preamble: string[];
  chapters: Chapter[];
  measures: Measure[];
}

/** Reads the plan from its preamble to the task list title (left unread). */
function parsePlan(cur: Cursor): Plan {
  // Gather the narrative lines first: the task list title ends them.
  // The list title is a short line ending with 任务清单 that a table (表1) or a table header follows, so that a
  // wrapped narrative line ending with those words cannot cut the plan short.
  const start = cur.i;
  const isListTitle = (i: number): boolean => {
    if (!TASK_LIST_TITLE.test(cur.lines[i].text)) return false;
    let j = i + 1;
    while (j < cur.lines.length && PAGE_NUMBER.test(cur.lines[j].text)) j++;
    const next = cur.lines[j]?.text ?? '';
    return TABLE_TITLE.test(next) || TABLE_HEADER.test(next);
  };
  while (!cur.done && !isListTitle(cur.i)) cur.next();
  if (cur.done) damaged('缺少试点任务清单', 'no "…任务清单" title followed by a table after the plan text');
  const narrative = cur.lines.slice(start, cur.i).filter((l) => !PAGE_NUMBER.test(l.text));
  const fullWidth = modeWidth(narrative);

  // Split into chapters by 一、二、… (each expected in turn, so a wrapped line cannot pass for a heading).
  interface RawChapter {
    number: number;
    title: string;
    lines: Line[];
  }
  const raw: RawChapter[] = [];
  const preambleLines: Line[] = [];
  for (const l of narrative) {
    const m = CHAPTER.exec(l.text);
    if (m && parseCnNumeral(m[1]) === raw.length + 1 && width(m[2]) <= 40 && !/[。，；]$/.test(m[2])) {
      raw.push({ number: raw.length + 1, title: m[2].trim(), lines: [] });
    } else if (raw.length > 0) {
      raw[raw.length - 1].lines.push(l);
    } else {
      // Lines before 一、 are the title and the preamble (为全面有效推进…制定本方案。).
      preambleLines.push(l);
    }
  }
  if (raw.length < 2) damaged('总体方案的章节不完整', `found ${raw.length} chapter heading(s) (一、二、…) before the task list`);

  const chapters: Chapter[] = [];
  const measures: Measure[] = [];
  for (const ch of raw) {
    chapters.push({ number: ch.number, title: ch.title, sections: sectionsOf(ch.lines, fullWidth, measures) });
  }
  if (measures.length === 0) damaged('总体方案缺少主要任务和措施', 'no numbered measures (1.…) in any chapter');
  const preamble = paragraphs(preambleLines, fullWidth);
  return { preamble, chapters, measures };
}

/**
 * Splits a chapter's lines into sections （一）（二）…; inside a section, lines starting with the next measure
 * number (`N.`, numbered across the whole plan) start a measure, which is then the section's paragraph.
 */
function sectionsOf(lines: readonly Line[], fullWidth: number, measures: Measure[]): ChapterSection[] {
  interface RawSection {
    number: number;
    title: string;
    intro: Line[];
    items: { number: number; lines: string[] }[];
  }
  const raw: RawSection[] = [{ number: 0, title: '', intro: [], items: [] }];
  let expectSectionTitleEnd = false;
  for (const l of lines) {
    const sec = raw[raw.length - 1];
    const sm = SECTION.exec(l.text);
    if (sm && parseCnNumeral(sm[1]) === raw.length) {
      raw.push({ number: raw.length, title: sm[2], intro: [], items: [] });
      expectSectionTitleEnd = !/[。：]$/.test(sm[2]);
      continue;
    }
    if (expectSectionTitleEnd && sec.items.length === 0 && sec.intro.length === 0) {
      // A heading wrapped onto a second line: join it (headings end with 。).
      sec.title += l.text;
      expectSectionTitleEnd = !/[。：]$/.test(sec.title) && width(sec.title) < 200;
      continue;
    }
    expectSectionTitleEnd = false;
    const mm = NUMBERED.exec(l.text);
    if (mm && Number(mm[1]) === measures.length + pendingCount(raw) + 1) {
      sec.items.push({ number: Number(mm[1]), lines: [mm[2]] });
      continue;
    }
    const lastItem = sec.items[sec.items.length - 1];
    if (lastItem) lastItem.lines.push(l.text);
    else sec.intro.push(l);
  }

  const sections: ChapterSection[] = [];
  for (const s of raw) {
    const title = stripFinalStop(joinClean([s.title]));
    const paras = paragraphs(s.intro, fullWidth);
    for (const item of s.items) {
      const text = joinClean(item.lines);
      measures.push({
        number: item.number,
        title: leadPhrase(text),
        text,
        section: s.number,
        sectionTitle: title,
      });
      paras.push(text);
    }
    if (s.number === 0 && paras.length === 0) continue;
    sections.push({ number: s.number, title, paragraphs: paras });
  }
  return sections;
}

/** Measures already opened in the chapter being read (not yet pushed to `measures`). */
function pendingCount(raw: readonly { items: readonly unknown[] }[]): number {
  let n = 0;
  for (const s of raw) n += s.items.length;
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Task tables

interface RawTask {
  table: number;
  number: number;
  lines: string[];
  group: string;
  domain: string | null;
  firstLine: number;
}

interface RawTable {
  number: number;
  title: string;
  tasks: RawTask[];
}

/** Labels gathered between two rows: the 类别 (and 领域) column text. */
interface LabelState {
  group: string;
  domain: string | null;
  /** The current group came from a vertical label (one character per line): such a table may have 领域. */
  vertical: boolean;
}

/**
 * Resolves a block of label lines into 类别/领域. A vertical 类别 is a run of one-character lines; what follows it,
 * if it ends with 领域, is the 领域 (wrapped in lines of two or more characters). A block made only of such a
 * 领域 under a vertical 类别 keeps the group. Anything else is a wrapped 类别 of its own.
 */
function applyLabels(block: readonly Line[], st: LabelState): void {
  if (block.length === 0) return;
  let k = 0;
  while (k < block.length && [...block[k].text].length === 1) k++;
  const rest = block.slice(k).map((l) => l.text);
  const restText = joinClean(rest);
  const restIsDomain = rest.length > 0 && rest.every((t) => [...t].length >= 2) && restText.endsWith('领域');
  if (k > 0 && (restIsDomain || rest.length === 0)) {
    const group = joinClean(block.slice(0, k).map((l) => l.text));
    if (group !== st.group) st.domain = null;
    st.group = group;
    st.vertical = true;
    if (restIsDomain) st.domain = restText;
  } else if (k === 0 && restIsDomain && st.vertical && st.group) {
    st.domain = restText;
  } else {
    const group = joinClean(block.map((l) => l.text));
    if (group !== st.group) st.domain = null;
    st.group = group;
    st.vertical = false;
  }
}

/** Short enough to be a label line, and not the end of a sentence. */
const looksLikeLabel = (text: string): boolean => [...text].length <= 12 && !SENTENCE_END.test(text);

function parseTables(cur: Cursor, sectionTitles: readonly string[]): RawTable[] {
  cur.next(); // the task list title
  const tables: RawTable[] = [];
  const missingTable = (n: number, d: string): never =>
    damaged(`缺少表${n}${sectionTitles[n - 1] ? `（${sectionTitles[n - 1]}）` : ''}`, d);

  let table: RawTable | null = null;
  let task: RawTask | null = null;
  let block: Line[] = [];
  let afterHeader = false;
  const st: LabelState = { group: '', domain: null, vertical: false };

  while (!cur.done) {
    const l = cur.next()!;
    const t = l.text;
    if (PAGE_NUMBER.test(t)) continue;

    const tm = TABLE_TITLE.exec(t);
    if (tm) {
      const n = Number(tm[1]);
      if (n !== tables.length + 1) {
        if (n > tables.length + 1) missingTable(tables.length + 1, `table ${n} found at line ${l.no} before table ${tables.length + 1}`);
        damaged(`表${n}重复或顺序错误`, `table ${n} found again at line ${l.no}`);
      }
      if (table && table.tasks.length === 0) damaged(`表${table.number}没有任何试点任务`, `table ${table.number} has no tasks before line ${l.no}`);
      if (block.length > 0) damaged(`表${tables.length}末尾有无法识别的内容`, `label lines without a task before line ${l.no}`);
      table = { number: n, title: joinClean([tm[2]]), tasks: [] };
      tables.push(table);
      task = null;
      block = [];
      afterHeader = false;
      st.group = '';
      st.domain = null;
      st.vertical = false;
      continue;
    }
    if (!table) missingTable(1, `expected "表1 …" after the task list title, found "${t}" at line ${l.no}`);
    const tbl = table!;

    if (TABLE_HEADER.test(t)) {
      afterHeader = true;
      continue;
    }

    const nm = NUMBERED.exec(t);
    if (nm) {
      const n = Number(nm[1]);
      const expected = tbl.tasks.length + 1;
      if (n === expected) {
        applyLabels(block, st);
        block = [];
        afterHeader = false;
        if (!st.group) damaged(`表${tbl.number}第${n}项缺少类别`, `no 类别 label before task ${n} of table ${tbl.number} (line ${l.no})`);
        task = { table: tbl.number, number: n, lines: [nm[2]], group: st.group, domain: st.domain, firstLine: l.no };
        tbl.tasks.push(task);
        continue;
      }
      // A wrapped line never starts with "N." right after an open task's text in this layout; a wrong number
      // means a row is missing or the numbering is broken.
      damaged(
        `表${tbl.number}的任务编号不连续（第${expected - 1}项之后出现第${n}项）`,
        `table ${tbl.number}: expected task ${expected}, found ${n} at line ${l.no}`,
      );
    }

    // Continuation of the open task, or a label line. A task is open until its text ends a sentence; after a
    // page header, a short line that does not end a sentence is the repeated label, not a continuation.
    const open = task !== null && block.length === 0 && !SENTENCE_END.test(task.lines[task.lines.length - 1]);
    if (open && !(afterHeader && looksLikeLabel(t))) {
      task!.lines.push(t);
    } else {
      block.push(l);
    }
  }
  if (block.length > 0 && table) {
    damaged(`表${table.number}末尾有无法识别的内容`, `label lines without a task at the end of table ${table.number}`);
  }
  return tables;
}

// ---------------------------------------------------------------------------------------------------------------
// Measures of tasks

/**
 * Maps each (table, 类别) to the narrative measure it restates. Table k restates the measures under heading （k） of
 * chapter 二, one 类别 per measure, and the 类别 is the measure's title (its lead phrase before the first 。):
 * table 1's 充分竞争性服务业 is measure 1 "1.充分竞争性服务业。…", table 4's 深化放管服改革 is measure 12, and so on.
 * Rule, in order:
 * 1. the measure of section k whose title equals the 类别;
 * 2. else the measure of section k whose text contains the most of the group's task texts (compared without
 *    punctuation and spaces: the tasks copy the measure's sentences), if that measure is unique.
 * The result must then be one 类别 per measure, and the 类别 must be the measure's title with at most one character
 * replaced. In the seed, every 类别 matches its measure's title except table 5's 防控化解金融风险, whose measure 17 is
 * titled 防范化解金融风险 (控/范): rule 2 maps it, and it passes the one-character check. A label line lost in the
 * file changes the 类别's length and fails that check.
 */
function mapMeasures(tables: readonly RawTable[], measures: readonly Measure[]): Map<RawTask, number> {
  const out = new Map<RawTask, number>();
  const bareText = new Map<number, string>(measures.map((m) => [m.number, bare(m.text)]));
  const groupOfMeasure = new Map<number, string>();

  for (const table of tables) {
    const candidates = measures.filter((m) => m.section === table.number);
    if (candidates.length === 0) {
      damaged(`表${table.number}没有对应的措施`, `no measure under heading (${toCnNumeral(table.number)}) for table ${table.number}`);
    }
    const groups = new Map<string, RawTask[]>();
    for (const t of table.tasks) {
      const list = groups.get(t.group);
      if (list) list.push(t);
      else groups.set(t.group, [t]);
    }
    for (const [group, tasks] of groups) {
      let chosen = candidates.find((m) => m.title === group);
      if (!chosen) {
        const taskTexts = tasks.map((t) => bare(joinClean(t.lines)));
        chosen = bestBy(candidates, (m) => taskTexts.filter((x) => bareText.get(m.number)!.includes(x)).length);
      }
      if (!chosen) {
        return damaged(
          `表${table.number}的类别“${group}”找不到对应的措施`,
          `table ${table.number} group "${group}" matches no measure of section ${table.number}`,
        );
      }
      if (!sameUpToOneChar(group, chosen.title)) {
        damaged(
          `表${table.number}的类别“${group}”与第${chosen.number}条措施“${chosen.title}”不符`,
          `table ${table.number} group "${group}" differs from the title of measure ${chosen.number} by more than one character`,
        );
      }
      const other = groupOfMeasure.get(chosen.number);
      if (other !== undefined) {
        damaged(
          `表${table.number}的类别“${other}”和“${group}”对应同一条措施`,
          `groups "${other}" and "${group}" both map to measure ${chosen.number}: a label line is damaged`,
        );
      }
      groupOfMeasure.set(chosen.number, group);
      for (const t of tasks) out.set(t, chosen.number);
    }
  }
  return out;
}

/** The candidate with the unique highest positive score, if any. */
function bestBy(candidates: readonly Measure[], score: (m: Measure) => number): Measure | undefined {
  let best: Measure | undefined;
  let bestScore = 0;
  let tie = false;
  for (const m of candidates) {
    const s = score(m);
    if (s > bestScore) {
      best = m;
      bestScore = s;
      tie = false;
    } else if (s === bestScore && s > 0) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** Same length and at most one differing character. */
function sameUpToOneChar(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff++;
  return diff <= 1;
}

/**
 * The task list restates the measures sentence by sentence: each measure's text, without its title and the
 * `…领域：` leads of its tasks' 领域, is its tasks' texts end to end (ignoring punctuation; e.g. T5-12 ends with
 * ，where measure 16 has 。). A row missing, cut or garbled anywhere in the tables breaks this, even when the
 * numbering still looks right (a file cut just after a complete row).
 */
function checkCoverage(measures: readonly Measure[], tasks: readonly Task[]): void {
  for (const m of measures) {
    const mine = tasks.filter((t) => t.measure === m.number);
    let body = m.text.slice(m.title.length);
    for (const d of new Set(mine.map((t) => t.domain))) {
      if (!d) continue;
      if (!body.includes(`${d}：`)) {
        damaged(
          `表${mine[0].table}的领域“${d}”不在总体方案第${m.number}条措施中`,
          `domain "${d}" has no "${d}：" lead in measure ${m.number}: a label line is damaged`,
        );
      }
      body = body.replace(`${d}：`, '');
    }
    const target = bare(body);
    let at = 0;
    for (const t of mine) {
      const piece = bare(t.text);
      if (!target.startsWith(piece, at)) {
        damaged(
          `试点任务${t.id}与总体方案第${m.number}条措施的内容不一致`,
          `task ${t.id} is not the next part of measure ${m.number} (at character ${at} of its bare text)`,
        );
      }
      at += piece.length;
    }
    if (at !== target.length) {
      damaged(
        `总体方案第${m.number}条措施（${m.title}）有内容在试点任务清单中缺失`,
        `measure ${m.number}: ${target.length - at} characters after task ${mine[mine.length - 1]?.id} have no task`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** sha-256 (hex) of the normalised task list: JSON of id, table, group, domain, number, text, measure, in order. */
export function corpusHash(
  tasks: readonly Pick<Task, 'id' | 'table' | 'group' | 'domain' | 'number' | 'text' | 'measure'>[],
): string {
  const normal = tasks.map((t) => ({
    id: t.id,
    table: t.table,
    group: t.group,
    domain: t.domain,
    number: t.number,
    text: t.text,
    measure: t.measure,
  }));
  return sha256Hex(JSON.stringify(normal));
}

export const taskId = (table: number, number: number): string => `T${table}-${String(number).padStart(2, '0')}`;

/** Parses the seed text into the corpus, or says why it cannot (never a partial corpus). */
export function parseCorpus(text: string): Result<Corpus, CorpusError> {
  if (typeof text !== 'string' || text.trim() === '') {
    return {
      ok: false,
      error: { code: 'empty', message: `种子文件（试点方案原文）是空的。${REMEDY}`, detail: 'seed text is empty' },
    };
  }
  try {
    return { ok: true, value: parse(text) };
  } catch (e) {
    if (e instanceof Damaged) {
      return {
        ok: false,
        error: { code: 'damaged', message: `种子文件（试点方案原文）已损坏：${e.what}。${REMEDY}`, detail: e.detail },
      };
    }
    throw e;
  }
}

function parse(text: string): Corpus {
  const lines: Line[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i].replace(/[\f\v\u00a0\u3000]/g, ' ').trim();
    if (t !== '') lines.push({ no: i + 1, text: t });
  }
  const cur = new Cursor(lines);

  const { meta } = parseHeader(cur);
  const { preamble, chapters, measures } = parsePlan(cur);

  // Measures are numbered 1..n across the plan and stand under the headings of one chapter.
  measures.forEach((m, i) => {
    if (m.number !== i + 1) damaged('总体方案的措施编号不连续', `measure #${i + 1} is numbered ${m.number}`);
  });
  const measureChapter = chapters.find((c) => c.sections.some((s) => s.number > 0 && measures.some((m) => m.sectionTitle === s.title)));
  const sectionTitles = measureChapter ? measureChapter.sections.filter((s) => s.number > 0).map((s) => s.title) : [];
  if (sectionTitles.length === 0 || measures.some((m) => m.section < 1)) {
    damaged('总体方案的措施不在（一）（二）…标题之下', 'measures must stand under numbered headings （一）…');
  }

  const rawTables = parseTables(cur, sectionTitles);
  // One table per heading of the measures' chapter, in order.
  if (rawTables.length < sectionTitles.length) {
    const n = rawTables.length + 1;
    damaged(`缺少表${n}（${sectionTitles[n - 1]}）`, `found ${rawTables.length} task tables, expected ${sectionTitles.length} (one per heading of chapter ${measureChapter!.number})`);
  }
  if (rawTables.length > sectionTitles.length) {
    damaged(`试点任务清单多出表${sectionTitles.length + 1}`, `found ${rawTables.length} task tables, expected ${sectionTitles.length}`);
  }
  for (const t of rawTables) {
    if (t.tasks.length === 0) damaged(`表${t.number}没有任何试点任务`, `table ${t.number} has no tasks`);
    const withDomain = t.tasks.filter((x) => x.domain !== null).length;
    if (withDomain !== 0 && withDomain !== t.tasks.length) {
      const first = t.tasks.find((x) => x.domain === null)!;
      damaged(`表${t.number}第${first.number}项缺少领域`, `table ${t.number}: task ${first.number} has no 领域 while others do`);
    }
  }

  // The file must end with a complete task (a truncated file stops in the middle of one).
  const lastTable = rawTables[rawTables.length - 1];
  const lastTask = lastTable.tasks[lastTable.tasks.length - 1];
  if (!SENTENCE_END.test(lastTask.lines[lastTask.lines.length - 1])) {
    damaged('文件不完整（最后一项任务没有结束）', `last task ${taskId(lastTable.number, lastTask.number)} does not end a sentence: file truncated?`);
  }

  const measureOf = mapMeasures(rawTables, measures);
  const tables: TaskTable[] = rawTables.map((t) => ({ number: t.number, title: t.title, taskCount: t.tasks.length }));
  const tasks: Task[] = [];
  for (const t of rawTables) {
    for (const r of t.tasks) {
      const taskText = joinClean(r.lines);
      if (taskText === '') damaged(`表${t.number}第${r.number}项没有内容`, `empty task at line ${r.firstLine}`);
      tasks.push({
        id: taskId(t.number, r.number),
        table: t.number,
        tableTitle: t.title,
        group: r.group,
        domain: r.domain,
        number: r.number,
        text: taskText,
        measure: measureOf.get(r)!,
      });
    }
  }

  // Every measure is restated by at least one task: a measure without tasks means rows are missing.
  const used = new Set(tasks.map((t) => t.measure));
  for (const m of measures) {
    if (!used.has(m.number)) {
      damaged(`第${m.number}条措施（${m.title}）没有对应的试点任务`, `measure ${m.number} has no task: rows missing or file truncated`);
    }
  }
  checkCoverage(measures, tasks);

  return { meta, preamble, chapters, measures, tables, tasks, hash: corpusHash(tasks) };
}
