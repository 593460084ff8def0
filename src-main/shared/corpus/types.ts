/**
 * The corpus: the pilot plan as parsed from the seed text. Pure data, shared by every process.
 * Ids of tasks (`T{table}-{number:02}`) are published and never change: bundles and reports refer to them.
 */

/** Metadata of the notice (商务部关于印发《…》的通知) that carries the plan. */
export interface CorpusMeta {
  /** Title of the notice, joined from its wrapped lines. */
  noticeTitle: string;
  /** Title of the plan itself: 南京市服务业扩大开放综合试点总体方案. */
  title: string;
  /** 商资发〔2022〕209号 */
  docNumber: string;
  /** 商务部 */
  issuer: string;
  /** ISO date of the notice, 2022-12-29. */
  date: string;
  /** The notice's addressees (主送机关), one string. */
  addressees: string;
  /** The notice's body paragraphs (after the addressees, before the signature). */
  noticeBody: string[];
}

/** A chapter of the plan (一、总体要求 …), with its paragraphs as clean text. */
export interface Chapter {
  /** 1-based chapter number (一 = 1). */
  number: number;
  /** 一、总体要求 → "总体要求" */
  title: string;
  /** Sub-headings （一）…, each with its paragraphs; chapter 二's sections hold the measures instead. */
  sections: ChapterSection[];
}

export interface ChapterSection {
  /** 1-based number of （一）… inside its chapter; 0 for text that stands before any （一）. */
  number: number;
  /** （一）指导思想。 → "指导思想" */
  title: string;
  paragraphs: string[];
}

/** One of the 17 numbered measures of 二、主要任务和措施. */
export interface Measure {
  /** 1–17 */
  number: number;
  /** "充分竞争性服务业" (the lead phrase before the first 。) */
  title: string;
  /** The full clean text of the measure, title included. */
  text: string;
  /** Number (1–5) of the （一）…（五） heading it stands under; equals the table number of its tasks. */
  section: number;
  /** That heading's text: 推动服务业重点行业领域深化改革扩大开放 */
  sectionTitle: string;
}

/** One of the five task tables (表1…表5) of 试点任务清单. */
export interface TaskTable {
  /** 1–5 */
  number: number;
  /** 推动服务业重点行业领域深化改革扩大开放 */
  title: string;
  /** Number of tasks in the table. */
  taskCount: number;
}

/** A pilot task: one numbered row of a table. */
export interface Task {
  /** Stable id, e.g. T1-09. */
  id: string;
  /** 1–5 */
  table: number;
  tableTitle: string;
  /** 类别 (the vertical or wrapped label in the first column), joined: 充分竞争性服务业, 深化放管服改革 */
  group: string;
  /** 领域 (table 1 only): 科技服务领域; null elsewhere. */
  domain: string | null;
  /** Number within its table, 1-based. */
  number: number;
  /** Clean text: line wraps joined, no page numbers or repeated headers. */
  text: string;
  /** The narrative measure (1–17) this task restates. */
  measure: number;
}

export interface Corpus {
  meta: CorpusMeta;
  /** The plan's opening paragraphs, before 一、 (为全面有效推进…制定本方案。). */
  preamble: string[];
  chapters: Chapter[];
  measures: Measure[];
  tables: TaskTable[];
  tasks: Task[];
  /** sha-256 (hex) of the normalised task list; identifies the corpus version in bundles and reports. */
  hash: string;
}

/** Why a seed could not be parsed; `message` is Chinese and says what a person can do. */
export interface CorpusError {
  code: 'missing' | 'empty' | 'damaged';
  message: string;
  /** Technical detail for the log (which part failed). */
  detail: string;
}
