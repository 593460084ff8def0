/**
 * Report test data built in code: a small fixture with known statuses, Chinese rich notes and
 * flags, and a deterministic "realistic" city data set (13 units × 104 tasks) for looking at pages.
 */
import { DEFAULT_UNITS, emptyFields, type Annotation, type AnnotationFields, type Evidence, type LogEntry, type Status, type Unit } from '../../src-main/shared/domain';
import type { RichDoc, RichNode } from '../../src-main/shared/richtext';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { testCorpus } from '../support/corpus';
import { strFromU8, unzipSync } from 'fflate';
// @ts-expect-error jsdom ships no types here; only its DOMParser is used.
import { JSDOM } from 'jsdom';

export function corpus(): Corpus {
  return testCorpus();
}

export const AS_OF = '2025-03-05';
export const SIGN_DATE = '2025-03-05';

export function p(...parts: (string | { b: string })[]): RichNode {
  return {
    type: 'paragraph',
    content: parts.map((x) => (typeof x === 'string' ? { type: 'text', text: x } : { type: 'text', text: x.b, marks: [{ type: 'bold' }] })),
  };
}

export function doc(...content: RichNode[]): RichDoc {
  return { type: 'doc', content };
}

export function ol(...items: string[]): RichNode {
  return { type: 'orderedList', content: items.map((t) => ({ type: 'listItem', content: [p(t)] })) };
}

export function ul(...items: string[]): RichNode {
  return { type: 'bulletList', content: items.map((t) => ({ type: 'listItem', content: [p(t)] })) };
}

export function ann(taskId: string, unitCode: string, fields: Partial<AnnotationFields>, updatedAt = '2025-03-01T02:00:00.000Z'): Annotation {
  return {
    ...emptyFields(),
    ...fields,
    key: `${taskId}|${unitCode}`,
    taskId,
    unitCode,
    head: `rev-${taskId}-${unitCode}`,
    updatedAt,
    updatedBy: { name: '测试员', unitCode },
  };
}

export const UNITS: Unit[] = DEFAULT_UNITS.map((u) => ({ ...u }));

/** The note that the PDF tests look for. */
export const NOTE_MARK = '设立科技成果转化服务中心';
export const RESULT_MARK = '累计完成赋权项目126项';
export const PROBLEM_MARK = '专业人才不足';
export const NEXT_MARK = '扩大赋权改革试点范围';

/**
 * Small fixture: 玄武区 (320102) 8 annotations, 秦淮区 (320104) 4, 江北新区 (JBXQ) 3, plus one
 * annotation updated after the as-of date (must not count) and one for an unknown task.
 */
export function smallAnnotations(): Annotation[] {
  const X = '320102';
  const Q = '320104';
  const J = 'JBXQ';
  return [
    ann('T1-01', X, {
      status: 'done',
      progress: 100,
      leadUnits: ['区科技局'],
      partnerUnits: ['区财政局', '区市场监管局'],
      deadline: '2024-12-31',
      progressNotes: doc(
        p('一是', { b: NOTE_MARK }, '，为高校院所提供成果评价、赋权和交易服务。'),
        p('二是出台配套办法，主要措施包括：'),
        ol('开展职务科技成果赋权改革试点；', '建立收益分配激励机制。'),
        ul('东南大学试点项目', '南京理工大学试点项目'),
      ),
      results: RESULT_MARK + '，转化金额3.2亿元。',
      problems: '',
      nextSteps: NEXT_MARK + '，推动更多院所参与。',
      isInnovation: true,
      isBestPractice: true,
    }),
    ann('T1-02', X, { status: 'mostly_done', progress: 90, deadline: '2025-06-30', progressNotes: doc(p('知识产权质押融资登记额同比增长35%。')), results: '质押融资额18亿元' }),
    ann('T1-03', X, { status: 'on_track', progress: 50, deadline: '2025-03-20', progressNotes: doc(p('科技保险试点稳步推进。')) }),
    ann('T1-04', X, {
      status: 'delayed',
      progress: 20,
      deadline: '2024-10-31',
      problems: PROBLEM_MARK + '，项目推进缓慢。',
      nextSteps: '加快引进专业机构。',
    }),
    ann('T2-01', X, { status: 'not_started', progress: 0, deadline: '2025-12-31' }),
    ann('T3-03', X, { status: 'not_applicable', progress: 0 }),
    ann('T4-01', X, { status: 'done', progress: 100, deadline: '2023-12-31', progressNotes: doc(p('推行“一网通办”，办理时限压缩50%。')), isBestPractice: true }),
    ann('T5-02', X, { status: 'on_track', progress: 40, deadline: '2025-01-31', progressNotes: doc(p('数据出境安全评估辅导已开展3场。')) }),
    ann('T1-01', Q, { status: 'on_track', progress: 60, deadline: '2025-12-31', progressNotes: doc(p('秦淮区推进科技成果转化。')) }),
    ann('T1-02', Q, { status: 'done', progress: 100, results: '完成质押融资5亿元。' }),
    ann('T2-01', Q, { status: 'delayed', progress: 10, deadline: '2024-06-30', problems: '资金保障不足。' }),
    ann('T4-01', Q, { status: 'mostly_done', progress: 85, isInnovation: true, results: '形成“秦淮经验”。' }),
    ann('T1-01', J, { status: 'done', progress: 100, progressNotes: doc(p('江北新区建成新型研发机构60家。')) }),
    ann('T3-01', J, { status: 'on_track', progress: 70, deadline: '2025-12-31' }),
    ann('T5-01', J, { status: 'not_started', progress: 0 }),
    // Updated after the as-of date (2025-03-06 08:30 in Nanjing): left out.
    ann('T1-05', X, { status: 'done', progress: 100 }, '2025-03-06T00:30:00.000Z'),
    // Unknown task: left out.
    ann('T9-99', X, { status: 'done', progress: 100 }),
  ];
}

export function smallLogs(): LogEntry[] {
  return [
    {
      id: 'log-1',
      taskId: 'T1-01',
      unitCode: '320102',
      date: '2024-11-20',
      body: doc(p('召开成果赋权改革推进会。')),
      author: { name: '测试员', unitCode: '320102' },
      createdAt: '2024-11-20T02:00:00Z',
      updatedAt: '2024-11-20T02:00:00Z',
      deleted: false,
    },
  ];
}

export function smallEvidence(): Evidence[] {
  return [
    {
      id: 'ev-1',
      taskId: 'T1-01',
      unitCode: '320102',
      title: '关于深化科技成果赋权改革的实施意见',
      kind: 'policy',
      docNumber: '玄政发〔2024〕12号',
      date: '2024-05-10',
      attachmentHash: null,
      fileName: null,
      mime: null,
      size: null,
      author: { name: '测试员', unitCode: '320102' },
      createdAt: '2024-05-10T02:00:00Z',
      updatedAt: '2024-05-10T02:00:00Z',
      deleted: false,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Realistic city data (deterministic).

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MEASURES = ['出台专项工作方案', '建立部门联席会议机制', '搭建线上服务平台', '开展政策宣讲和企业走访', '引进培育重点企业', '设立专项扶持资金', '组织举办对接活动'];
const RESULTS = ['新增市场主体{n}家', '服务企业{n}家次', '带动投资{n}亿元', '办理业务{n}笔', '培育示范项目{n}个'];

export function demoCityAnnotations(c: Corpus, seed = 20250305): Annotation[] {
  const rand = prng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: Annotation[] = [];
  for (const u of DEFAULT_UNITS) {
    for (const t of c.tasks) {
      const r = rand();
      const status: Status = r < 0.32 ? 'done' : r < 0.5 ? 'mostly_done' : r < 0.75 ? 'on_track' : r < 0.83 ? 'delayed' : r < 0.9 ? 'not_started' : 'not_applicable';
      const deadline = ['2024-06-30', '2024-12-31', '2025-06-30', '2025-12-31'][Math.floor(rand() * 4)]!;
      const n = 5 + Math.floor(rand() * 300);
      const notes =
        status === 'not_applicable' || status === 'not_started'
          ? doc()
          : doc(
              p(`一是${pick(MEASURES)}，围绕“${t.text.slice(0, 12)}”明确责任分工和时间节点。`),
              p('二是', { b: pick(MEASURES) }, `，已累计${pick(['召开专题会议', '走访企业', '组织培训'])}${2 + Math.floor(rand() * 20)}次。`),
            );
      out.push(
        ann(t.id, u.code, {
          status,
          progress: status === 'done' ? 100 : status === 'mostly_done' ? 90 : status === 'on_track' ? 60 : status === 'delayed' ? 25 : 0,
          leadUnits: [`${u.name.replace(/区$|新区$/, '')}${pick(['商务局', '发改委', '科技局', '市场监管局'])}`],
          partnerUnits: rand() < 0.5 ? [`${pick(['财政局', '人社局', '数据局'])}`] : [],
          deadline: status === 'not_applicable' ? null : deadline,
          progressNotes: notes,
          results: status === 'done' || status === 'mostly_done' ? pick(RESULTS).replace('{n}', String(n)) + '。' : '',
          problems: status === 'delayed' ? pick(['政策协调难度较大，需市级层面统筹。', '项目落地周期较长。', '专业人才储备不足。']) : '',
          nextSteps: status !== 'done' && status !== 'not_applicable' ? pick(['加强统筹调度，确保按期完成。', '加大政策宣传和企业服务力度。', '对标先进地区，完善配套政策。']) : '',
          isInnovation: status === 'done' && rand() < 0.04,
          isBestPractice: status === 'done' && rand() < 0.03,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading what the renderers wrote.


/** Every part of an OOXML package, as text (binary parts as latin1-ish text, unused). */
export function unzipText(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, k.endsWith('.png') ? '' : strFromU8(v)]));
}

let parser: DOMParser | null = null;
function domParser(): DOMParser {
  parser ??= new (new JSDOM('').window.DOMParser as { new (): DOMParser })();
  return parser;
}

/** Null when `xml` is well-formed XML 1.0 (jsdom's strict parser), else the parser's complaint. */
export function xmlError(xml: string): string | null {
  const d = domParser().parseFromString(xml, 'application/xml');
  const err = d.getElementsByTagName('parsererror')[0];
  return err ? (err.textContent ?? 'parsererror') : null;
}

export function parseXml(xml: string): Document {
  return domParser().parseFromString(xml, 'application/xml');
}

export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export function wAttr(el: Element | null | undefined, name: string): string | null {
  return el ? el.getAttributeNS(W, name) : null;
}

export function children(el: Element, local: string): Element[] {
  return Array.from(el.children).filter((c) => c.localName === local);
}

export function firstChild(el: Element | null | undefined, local: string): Element | null {
  return el ? (Array.from(el.children).find((c) => c.localName === local) ?? null) : null;
}

/** Text of a paragraph (or any element): its w:t, with w:br as newline. */
export function textOf(el: Element): string {
  let out = '';
  const walk = (n: Element) => {
    for (const c of Array.from(n.children)) {
      if (c.localName === 't') out += c.textContent ?? '';
      else if (c.localName === 'br') out += '\n';
      else walk(c);
    }
  };
  walk(el);
  return out;
}

/** Body-level paragraphs and tables of document.xml, in order. */
export function bodyBlocks(doc: Document): Element[] {
  const body = doc.getElementsByTagNameNS(W, 'body')[0]!;
  return Array.from(body.children).filter((c) => c.localName === 'p' || c.localName === 'tbl');
}

/** Cell texts of a table, row by row. */
export function tableCells(tbl: Element): string[][] {
  return children(tbl, 'tr').map((tr) => children(tr, 'tc').map((tc) => children(tc, 'p').map(textOf).join('\n')));
}
