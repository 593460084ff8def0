/**
 * Realistic, deterministic synthetic data for tests, demos and the benchmark: every task in every
 * chosen unit annotated, all statuses present, lead and partner units, rich Chinese 推进情况 (paragraphs,
 * a bullet list, bold), 量化成效 with figures, 存在问题 for delayed tasks, flags, revision chains, log
 * entries, evidence with a few small files, and divergent branches between a district and the
 * city reviewer (市级部门) so that merges meet both auto-merges and conflicts.
 *
 * Deterministic: a seeded PRNG (mulberry32), no clock, no Math.random. Each (task, unit) draws from
 * its own PRNG seeded by (seed, unit, task), so the data of a unit does not depend on how many
 * units are generated: `--units 2` and `--units 3` agree on the first two units. Files are drawn
 * from one pool and given out in unit order, so this holds for them too (same `attachments`).
 *
 * Variants (same seed → same histories):
 * - `district` (default): the districts' own view.
 * - `reviewer`: the city reviewer's view. For about one annotation in 25 per unit the reviewer
 *   edited an earlier revision of the district's work (a branch): half of them touch a field the
 *   district also changed later (→ conflict when merged with `district`), half a field the
 *   district left alone (→ auto-merge). The reviewer's view lacks the district's later revisions
 *   of those annotations and adds a 督办 log entry on each.
 * In both variants about one annotation in 25 per unit already contains such a branch, merged
 * (a two-parent merge revision), so histories with merges are always present.
 */
import { zlibSync } from 'fflate';
import {
  DEFAULT_UNITS,
  STATUSES,
  annotationKey,
  canonicalFields,
  changedFields,
  type Annotation,
  type AnnotationFields,
  type Author,
  type Evidence,
  type EvidenceKind,
  type LogEntry,
  type Revision,
  type Status,
  type Unit,
} from '../domain';
import type { Corpus, Task } from '../corpus/types';
import { isImplemented } from '../rules';
import { quoted, shortenAtWord } from '../report/format';
import type { RichDoc, RichNode } from '../richtext';
import type { BundleRecords, ManifestBase } from './format';
import { sha256Hex } from '../hash';
import { mergeRevisionId } from './merge';
import { normalFields } from './write';
import { crc32 } from './zip';

export interface DemoOptions {
  /** How many units, from DEFAULT_UNITS in order (1–13). */
  units: number;
  seed: number;
  corpus: Corpus;
  /** Revisions per annotation (default 4; the benchmark uses 30). */
  revisionsPerAnnotation?: number;
  /** Log entries per annotation (default 2; the benchmark uses 12). */
  logEntriesPerAnnotation?: number;
  /** Evidence files in the pool (default 6; the benchmark uses 300). */
  attachments?: number;
  /** The "current" time: every timestamp is before it. Default 2025-06-30T08:00:00.000Z. */
  now?: string;
  variant?: 'district' | 'reviewer';
  appVersion?: string;
}

/** Records, files and a manifest base: ready for `writeBundle`. */
export interface DemoData extends BundleRecords {
  manifest: ManifestBase;
  attachments: Map<string, Uint8Array>;
}

export const DEMO_DEFAULT_NOW = '2025-06-30T08:00:00.000Z';
const START = Date.UTC(2023, 1, 1, 1, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The city reviewer who edits districts' annotations in the `reviewer` variant. */
export const DEMO_REVIEWER: Author = { name: '钱明', unitCode: 'SJBM' };

// ---------------------------------------------------------------------------------------------
// PRNG

type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: a seed per (seed, unit, task, aspect). */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const rngFor = (...parts: (string | number)[]) => mulberry32(hash32(parts.join('|')));
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
function pickSome<T>(rng: Rng, list: readonly T[], n: number): T[] {
  const pool = [...list];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  return out;
}

function uuid(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(rng() * 4294967296).toString(16).padStart(8, '0');
  const v = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${v}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoDay = (ms: number) => iso(ms).slice(0, 10);
const cnDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};
const cnMonth = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月`;
};

// ---------------------------------------------------------------------------------------------
// Vocabulary

type Domain =
  | 'tech'
  | 'professional'
  | 'business'
  | 'logistics'
  | 'education'
  | 'finance'
  | 'health'
  | 'telecom'
  | 'culture'
  | 'legal'
  | 'integration'
  | 'parks'
  | 'reform'
  | 'talent'
  | 'data'
  | 'risk';

function domainOf(t: Task): Domain {
  const d = t.domain ?? '';
  const g = t.group;
  if (d.includes('科技')) return 'tech';
  if (d.includes('专业')) return 'professional';
  if (d.includes('商务')) return 'business';
  if (d.includes('物流')) return 'logistics';
  if (d.includes('教育')) return 'education';
  if (d.includes('金融')) return 'finance';
  if (d.includes('健康') || d.includes('医疗')) return 'health';
  if (d.includes('电信')) return 'telecom';
  if (d.includes('文化')) return 'culture';
  if (d.includes('法律')) return 'legal';
  if (t.table === 2) return 'integration';
  if (t.table === 3) return 'parks';
  if (g.includes('人才')) return 'talent';
  if (g.includes('数据')) return 'data';
  if (g.includes('金融')) return 'risk';
  return 'reform';
}

const LEADS: Record<Domain, { lead: string[]; partners: string[] }> = {
  tech: { lead: ['市科技局', '市知识产权局'], partners: ['市财政局', '市市场监管局', '市地方金融监管局', '市教育局'] },
  professional: { lead: ['市商务局', '市司法局'], partners: ['市人社局', '市财政局', '市市场监管局'] },
  business: { lead: ['市商务局'], partners: ['市发改委', '市贸促会', '市市场监管局'] },
  logistics: { lead: ['市交通运输局', '市商务局'], partners: ['南京海关', '市发改委', '市邮政管理局'] },
  education: { lead: ['市教育局'], partners: ['市人社局', '市外办', '市财政局'] },
  finance: { lead: ['市地方金融监管局'], partners: ['人民银行江苏省分行', '国家金融监督管理总局江苏监管局', '市财政局', '市发改委'] },
  health: { lead: ['市卫生健康委'], partners: ['市医保局', '市市场监管局', '市药监分局'] },
  telecom: { lead: ['市工业和信息化局', '市通信管理办公室'], partners: ['市数据局', '市委网信办', '市发改委'] },
  culture: { lead: ['市委宣传部', '市文化和旅游局'], partners: ['市商务局', '市体育局'] },
  legal: { lead: ['市司法局'], partners: ['市中级人民法院', '市商务局', '市外办'] },
  integration: { lead: ['市发改委', '市工业和信息化局'], partners: ['市商务局', '市科技局', '市统计局'] },
  parks: { lead: ['市商务局', '市发改委'], partners: ['市文化和旅游局', '市规划资源局', '市科技局'] },
  reform: { lead: ['市商务局', '市发改委', '市市场监管局', '市政务服务管理办公室'], partners: ['南京海关', '市司法局', '市税务局'] },
  talent: { lead: ['市委组织部', '市人社局'], partners: ['市公安局', '市外办', '市住房保障和房产局'] },
  data: { lead: ['市数据局', '市委网信办'], partners: ['市工业和信息化局', '市公安局', '市商务局'] },
  risk: { lead: ['市地方金融监管局'], partners: ['人民银行江苏省分行', '市公安局', '市市场监管局'] },
};

/** 市X局 → 区X局 (a district's own department). */
const districtDept = (d: string) => (d.startsWith('市') && !d.startsWith('市委') ? `区${d.slice(1)}` : d);

const ACTIONS: Record<Domain, string[]> = {
  tech: ['推动高校院所职务科技成果赋权改革，支持科研人员以成果作价入股', '建设概念验证中心和中试平台，促进科技成果就地转化', '完善知识产权质押融资风险补偿机制，扩大质押融资规模', '组织科技型中小企业评价入库，落实研发费用加计扣除政策'],
  professional: ['引进国际知名会计、咨询、律师等专业服务机构设立分支机构', '推动专业服务机构与制造业企业开展“一对一”对接', '举办专业服务业招商推介会，发布重点项目清单', '支持专业服务机构参与“一带一路”项目咨询服务'],
  business: ['发展会展经济，引进国际性品牌展会落户', '培育总部经济，认定跨国公司地区总部和功能性机构', '优化商务服务业营商环境，简化外资企业设立手续', '推动人力资源服务产业园提质扩容'],
  logistics: ['推进国际物流通道建设，加密中欧班列和近洋航线', '支持航运服务企业拓展船舶代理、国际货代等业务', '建设多式联运示范工程，提升物流组织效率', '推动跨境电商海外仓建设，完善跨境物流服务'],
  education: ['支持中外合作办学项目设立，扩大优质教育资源供给', '推进职业院校与龙头企业共建产业学院', '完善外籍人员子女学校布局，提升国际化办学水平'],
  finance: ['引导辖区银行机构创新科技金融产品，扩大信用贷款投放', '推动合格境外有限合伙人（QFLP）试点项目落地', '支持保险机构开展科技保险、首台套保险等业务', '推进本外币合一银行结算账户体系试点'],
  health: ['支持社会资本举办医疗机构，推进医师多点执业', '推动互联网医院建设，拓展线上复诊和处方流转服务', '开展国际医疗旅游服务试点，提升涉外医疗服务能力', '推进临床试验机构备案管理，加快创新药械应用'],
  telecom: ['有序扩大增值电信业务开放，推动外资企业落地经营', '推进5G基站和千兆光网建设，提升网络覆盖水平', '培育工业互联网平台，支持企业“上云用数赋智”'],
  culture: ['推动文化创意企业集聚发展，打造特色文化街区', '支持演出经纪、文化贸易等业务开放，引进高水平演艺项目', '发展数字文化产业，培育动漫游戏、网络视听等新业态'],
  legal: ['推进涉外法律服务中心建设，引进境外律师事务所代表处', '完善国际商事纠纷多元化解机制，推广线上调解', '组织涉外律师人才培训，充实涉外法律服务人才库'],
  integration: ['推动先进制造业企业向服务型制造转型，发展个性化定制和总集成总承包', '培育“两业”融合发展试点企业和示范载体', '建设工业设计中心，支持制造业企业剥离设立专业服务公司', '建立“两业”融合统计监测指标体系'],
  parks: ['优化园区载体功能布局，完善公共服务配套', '实施重点项目“一事一议”，加快招引落地', '推动园区数字化改造，建设智慧园区管理平台', '举办园区专题招商活动，发布载体资源清单'],
  reform: ['深化“一网通办”改革，推行企业开办“一日办结”', '推行涉企经营许可事项告知承诺制，压减审批时限', '推进跨境贸易便利化，压缩进出口整体通关时间', '建立外商投资企业投诉工作机制，依法保护外资企业合法权益'],
  talent: ['落实高层次人才安居、子女入学等服务保障政策', '为外籍人才办理工作许可和居留许可提供“一窗受理”服务', '开展国际职业资格认可，支持境外专业人才执业'],
  data: ['开展数据出境安全评估申报辅导，指导企业合规出境', '推进公共数据授权运营，培育数据要素市场', '建设数据安全监测平台，落实数据分类分级保护制度'],
  risk: ['完善地方金融风险监测预警平台，实施分类监管', '开展非法集资风险排查整治和宣传教育', '健全金融风险处置协调机制，压实属地责任'],
};

const GENERIC_ACTIONS = [
  '制定出台专项工作方案，明确责任分工和时间节点',
  '成立由分管区领导牵头的工作专班，实行月调度、季通报',
  '梳理形成任务清单、责任清单和项目清单，实行清单化管理',
  '加强与市级部门的对接，争取政策和资源支持',
  '组织开展政策宣讲和企业走访，及时解决企业诉求',
  '建立试点任务推进台账，定期跟踪督办',
];

const RESULT_TEMPLATES = [
  '累计引进相关项目{a}个，协议总投资{b}亿元。',
  '服务企业{a}家次，帮助企业解决问题{c}个。',
  '新增市场主体{a}家，其中外资企业{c}家。',
  '相关业务规模达到{b}亿元，同比增长{p}%。',
  '办理时限由原来的{g}个工作日压缩至{h}个工作日。',
  '形成可复制推广的制度创新成果{d}项，其中{e}项获市级推广。',
  '带动就业{a}人，培育骨干企业{c}家。',
];

const PROBLEMS = [
  '部分事项需国家部委授权或省级部门支持，推进周期较长',
  '专业人才储备不足，高端复合型人才引进难度较大',
  '企业对新政策的知晓度不高，申报积极性有待提升',
  '相关配套细则尚未出台，基层执行标准不够统一',
  '项目落地受用地、资金等要素制约，进度慢于预期',
  '跨部门数据共享机制尚不健全，信息互通存在壁垒',
];

const NEXT_STEPS = [
  '加强与市级部门的沟通对接，争取更多政策支持',
  '加大招商引资力度，推动一批重点项目签约落地',
  '及时总结试点经验做法，形成可复制推广的制度创新成果',
  '强化督查考核，确保各项任务按期完成',
  '开展政策效果评估，动态优化完善配套措施',
];

const OFFICIALS = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄俊', '周婷', '吴刚', '徐丽', '孙浩', '马琳', '朱军', '胡雪', '郭峰', '何琳', '高翔', '林晓', '罗杰', '梁红', '宋涛', '郑云', '谢楠', '韩冰', '唐宁'];

const DOC_PREFIX: Record<string, string> = {
  '320102': '玄政办发',
  '320104': '秦政办发',
  '320105': '建政办发',
  '320106': '鼓政办发',
  '320111': '浦政办发',
  '320113': '栖政办发',
  '320114': '雨政办发',
  '320115': '江宁政办发',
  '320116': '六政办发',
  '320117': '溧政办发',
  '320118': '高政办发',
  JBXQ: '宁新区管发',
  SJBM: '宁政办发',
};

const STATUS_WEIGHTS: [Status, number][] = [
  ['done', 25],
  ['mostly_done', 15],
  ['on_track', 33],
  ['delayed', 10],
  ['not_started', 9],
  ['not_applicable', 8],
];

const DEADLINES = ['2023-06-30', '2023-12-31', '2024-06-30', '2024-09-30', '2024-12-31', '2025-06-30', '2025-12-31', '2026-06-30', '2026-12-31'];

// ---------------------------------------------------------------------------------------------
// Rich text

const txt = (text: string, bold = false): RichNode => (bold ? { type: 'text', text, marks: [{ type: 'bold' }] } : { type: 'text', text });
const para = (...nodes: RichNode[]): RichNode => ({ type: 'paragraph', content: nodes });
const bullets = (items: string[]): RichNode => ({ type: 'bulletList', content: items.map((i) => ({ type: 'listItem', content: [para(txt(i))] })) });

function fill(template: string, n: Record<string, number>): string {
  return template.replace(/\{(\w)\}/g, (_, k: string) => String(n[k] ?? 0));
}

/** 复制推广价值 of the demo write-ups. */
const REPLICABILITY = [
  '该做法流程清晰、成本可控，已在全市范围内复制推广，可供其他试点城市借鉴。',
  '相关制度安排不依赖特定区位条件，建议在全省自贸试验区和开发区推广。',
  '形成了可操作的工作指引和标准文本，具备在同类园区复制推广的条件。',
  '已被商务部列入服务业扩大开放综合试点最佳实践案例候选，具有全国推广价值。',
];

/**
 * A case write-up's topic: the task's first clause without its parentheses, and a long one cut after
 * its last whole word within 30 characters (a title carries no ellipsis: 「…开展信用评级业务」, never
 * 「…开展信用评级业」).
 */
function caseTopic(t: Task): string {
  const first = plainClause(t);
  return Array.from(first).length > 30 ? shortenAtWord(first, 31).replace(/…$/u, '') : first;
}

/** The task's first clause without its parentheses (an unclosed one, cut by the clause, too). */
function plainClause(t: Task): string {
  return (t.text.split(/[，。；]/)[0] ?? t.text).replace(/（[^）]*）?/gu, '').trim();
}

/** Short name of a task: its first clause, without parentheses, cut after a whole word at 24 characters. */
function taskShort(t: Task): string {
  return shortenAtWord(plainClause(t), 25);
}

// ---------------------------------------------------------------------------------------------
// One annotation's story

interface Story {
  final: AnnotationFields;
  /** Fields at fraction f (0 … 1) of the way, `at` the time of the revision. */
  at(f: number, atMs: number): AnnotationFields;
}

function story(rng: Rng, task: Task, unit: Unit, taskIndex: number, unitIndex: number, nowMs: number): Story {
  const domain = domainOf(task);
  const leads = LEADS[domain];
  const status: Status =
    taskIndex < STATUSES.length
      ? STATUSES[(taskIndex + unitIndex) % STATUSES.length]!
      : (() => {
          let r = rng() * 100;
          for (const [s, w] of STATUS_WEIGHTS) {
            if ((r -= w) < 0) return s;
          }
          return 'on_track';
        })();
  const progress =
    status === 'done' ? 100 : status === 'mostly_done' ? int(rng, 16, 19) * 5 : status === 'on_track' ? int(rng, 4, 17) * 5 : status === 'delayed' ? int(rng, 2, 12) * 5 : 0;
  const cityLead = pick(rng, leads.lead);
  const leadUnits = unit.kind === 'city' || rng() < 0.4 ? [cityLead] : [districtDept(cityLead)];
  const partnerUnits = pickSome(rng, leads.partners, int(rng, 1, 3)).map((p) => (unit.kind === 'city' ? p : rng() < 0.5 ? districtDept(p) : p));
  const deadline = status === 'not_applicable' && rng() < 0.5 ? null : pick(rng, DEADLINES);
  // The opener names one specific and one general measure; the bullets list the others, no repeats.
  const specific = pickSome(rng, ACTIONS[domain], 3);
  const general = pickSome(rng, GENERIC_ACTIONS, 3);
  const actions = [specific[0]!, general[1]!, specific[1]!, general[2]!, ...specific.slice(2)];
  const results = pickSome(rng, RESULT_TEMPLATES, int(rng, 1, 3));
  const figures = results.map(() => ({ a: int(rng, 5, 180), b: int(rng, 2, 95), c: int(rng, 2, 40), d: int(rng, 1, 12), e: int(rng, 1, 4), p: int(rng, 5, 38) }))
    // 「成果d项，其中e项获市级推广」: e of the d, never more.
    .map((x) => ({ ...x, e: Math.min(x.e, x.d) }));
  const days = { g: int(rng, 15, 40), h: int(rng, 1, 10) }; // before / after: not scaled over time
  // 存在问题: always for delayed tasks, sometimes for tasks under way; none before the start or once done.
  const underWay = status === 'on_track' || status === 'mostly_done';
  const problems = status === 'delayed' || (underWay && rng() < 0.2) ? pickSome(rng, PROBLEMS, int(rng, 1, 2)) : [];
  const next = pickSome(rng, NEXT_STEPS, 2);
  const innovation = isImplemented(status) && rng() < 0.2;
  const bestPractice = isImplemented(status) && rng() < 0.15;
  const short = taskShort(task);
  const applicable = status !== 'not_applicable';
  // 典型案例 write-ups: flagged annotations with (taskIndex + unitIndex) % 3 ≠ 2 (about half to two
  // thirds of them), chosen and worded without the rng (so
  // every other demo value stays as it was).
  const written = (innovation || bestPractice) && (taskIndex + unitIndex) % 3 !== 2;
  const caseStudy = () => ({
    name: `${unit.name}${caseTopic(task)}${innovation ? '制度创新' : '实践'}案例`,
    field: (task.domain ?? task.group ?? '').slice(0, 40),
    approach: actions.slice(0, 3).map((a, i) => `${['一是', '二是', '三是'][i]}${a}。`).join('\n'),
    results: applicable ? `${results.map((r, i) => fill(r, scaled(i, 1))).join('')}` : '',
    replicability: REPLICABILITY[(taskIndex + unitIndex) % REPLICABILITY.length]!,
  });

  const notesAt = (f: number, atMs: number): RichDoc => {
    if (!applicable && f >= 1) {
      return { type: 'doc', content: [para(txt('经研究，', true), txt(`本${unit.kind === 'district' ? '区' : '单位'}不涉及${quoted(short)}试点任务，已报市级牵头部门备案。`))] };
    }
    // A task not started has no measures yet: its notes say what was prepared and when it starts.
    if (status === 'not_started') return { type: 'doc', content: [para(txt(`已梳理${quoted(short)}相关政策，拟于${cnMonth(atMs + 30 * DAY)}启动。`))] };
    const steps = Math.max(1, Math.ceil(f * actions.length));
    const content: RichNode[] = [
      para(
        txt('总体进展。', true),
        txt(`截至${cnMonth(atMs)}，${unit.name}围绕${quoted(short)}任务，${general[0]}，${actions[0]}，任务整体完成约${Math.round(f * progress)}%。`),
      ),
    ];
    if (steps > 1) {
      content.push(para(txt('主要举措：', true)));
      content.push(bullets(actions.slice(1, steps).map((a, i) => `${['一是', '二是', '三是', '四是', '五是'][i]}${a}。`)));
    }
    if (f >= 0.5) {
      content.push(
        para(
          txt('工作成效。', true),
          txt(`${fill(results[0]!, scaled(0, f))}相关做法${innovation && f >= 1 ? '已形成制度创新成果，并报市商务局推广' : '得到企业普遍认可'}。`),
        ),
      );
    }
    return { type: 'doc', content };
  };
  const scaled = (i: number, f: number) => ({
    ...Object.fromEntries(Object.entries(figures[i]!).map(([k, v]) => [k, Math.max(1, Math.round(v * Math.min(1, f)))])),
    ...days,
  });

  const at = (f: number, atMs: number): AnnotationFields => {
    const final = f >= 1;
    const p = final ? progress : Math.min(progress, Math.round((f * progress) / 5) * 5);
    const st: Status = final ? status : p === 0 ? 'not_started' : status === 'delayed' && f > 0.6 ? 'delayed' : 'on_track';
    const stage = Math.min(next.length - 1, Math.floor(f * next.length));
    // Every field, written out (Required: a field added to the schema must get demo data here).
    return canonicalFields({
      status: st,
      progress: p,
      leadUnits,
      partnerUnits,
      deadline,
      progressNotes: notesAt(f, atMs),
      results: applicable && f >= 0.34 ? results.map((r, i) => fill(r, scaled(i, f))).join('') : '',
      problems: f >= 0.6 && problems.length ? `${problems.map((x, i) => `${i + 1}. ${x}。`).join('')}` : '',
      nextSteps: applicable ? `下一步，${next[stage]}，力争于${(deadline ?? '2026-12-31').slice(0, 4)}年底前全面完成试点任务。` : '',
      isInnovation: final && innovation,
      isBestPractice: final && bestPractice,
      caseStudy: final && written ? caseStudy() : null,
    });
  };
  return { final: at(1, nowMs), at };
}

/** Distinct increasing times (whole minutes) between `from` and `to`. */
function times(rng: Rng, n: number, from: number, to: number): number[] {
  const list = Array.from({ length: n }, () => from + Math.floor((rng() * (to - from)) / 60_000) * 60_000).sort((a, b) => a - b);
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) list[i] = list[i - 1]! + 60_000;
  return list;
}

// ---------------------------------------------------------------------------------------------
// Files

function pngFile(rng: Rng, w: number, h: number, noisy: boolean): Uint8Array {
  const raw = new Uint8Array((w * 3 + 1) * h);
  const base = [int(rng, 40, 220), int(rng, 40, 220), int(rng, 40, 220)];
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      for (let c = 0; c < 3; c++) raw[o + c] = noisy ? int(rng, 0, 255) : (base[c]! + ((x >> 3) + (y >> 3)) * 17 * (c + 1)) & 0xff;
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, w);
  dv.setUint32(4, h);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlibSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface PoolFile {
  hash: string;
  bytes: Uint8Array;
  /** png or txt */
  ext: string;
  mime: string;
}

const KIND_FILE: Record<EvidenceKind, string> = {
  policy: '政策文件',
  statistics: '统计报表',
  case: '典型案例材料',
  media: '媒体报道截图',
  photo: '现场照片',
  other: '工作材料',
};

function filePool(seed: number, count: number): PoolFile[] {
  const utf8 = new TextEncoder();
  const out: PoolFile[] = [];
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 'file', i);
    let bytes: Uint8Array;
    if (i % 3 === 2) {
      const lines = pickSome(rng, [...GENERIC_ACTIONS, ...NEXT_STEPS, ...PROBLEMS], 5);
      bytes = utf8.encode(`会议纪要（第${i + 1}号）\n\n${lines.map((l, k) => `${k + 1}. ${l}。`).join('\n')}\n`);
      out.push({ hash: sha256Hex(bytes), bytes, ext: 'txt', mime: 'text/plain' });
    } else {
      bytes = pngFile(rng, int(rng, 16, 48), int(rng, 12, 36), i % 3 === 1);
      out.push({ hash: sha256Hex(bytes), bytes, ext: 'png', mime: 'image/png' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The generator

export function makeDemoData(opts: DemoOptions): DemoData {
  const nUnits = Math.max(1, Math.min(DEFAULT_UNITS.length, Math.floor(opts.units)));
  const R = Math.max(1, Math.floor(opts.revisionsPerAnnotation ?? 4));
  const L = Math.max(0, Math.floor(opts.logEntriesPerAnnotation ?? 2));
  const K = Math.max(0, Math.floor(opts.attachments ?? 6));
  const now = opts.now ?? DEMO_DEFAULT_NOW;
  const nowMs = Date.parse(now);
  const variant = opts.variant ?? 'district';
  const seed = opts.seed;
  const units = DEFAULT_UNITS.slice(0, nUnits).map((u) => ({ ...u }));
  const pool = filePool(seed, K);
  let nextFile = 0;
  let fileUses = 0;
  let lastFile: PoolFile | null = null;

  const annotations: Annotation[] = [];
  const revisions: Revision[] = [];
  const logEntries: LogEntry[] = [];
  const evidence: Evidence[] = [];
  const attachments = new Map<string, Uint8Array>();

  units.forEach((unit, unitIndex) => {
    const officials: Author[] = [0, 1].map((k) => ({ name: OFFICIALS[(hash32(`${seed}|${unit.code}|${k}`) + k) % OFFICIALS.length]!, unitCode: unit.code }));
    if (officials[0]!.name === officials[1]!.name) officials[1] = { name: OFFICIALS[(OFFICIALS.indexOf(officials[0]!.name) + 1) % OFFICIALS.length]!, unitCode: unit.code };

    opts.corpus.tasks.forEach((task, taskIndex) => {
      const key = annotationKey(task.id, unit.code);
      const rng = rngFor(seed, unit.code, task.id);
      const s = story(rng, task, unit, taskIndex, unitIndex, nowMs);
      const base = { key, taskId: task.id, unitCode: unit.code };

      // The district's chain.
      const ts = times(rngFor(seed, unit.code, task.id, 'times'), R, START, nowMs - 2 * DAY);
      const idRng = rngFor(seed, unit.code, task.id, 'ids');
      const chain: Revision[] = [];
      for (let k = 0; k < R; k++) {
        const f = R === 1 ? 1 : k / (R - 1);
        let fields = normalFields(s.at(f, ts[k]!));
        const prev = chain[k - 1];
        if (prev && changedFields(prev.fields, fields).length === 0) {
          fields = { ...fields, nextSteps: `${fields.nextSteps}（${cnDate(ts[k]!)}复核）` };
        }
        chain.push({
          id: uuid(idRng),
          ...base,
          parents: prev ? [prev.id] : [],
          author: officials[k % 3 === 2 ? 1 : 0]!,
          at: iso(ts[k]!),
          kind: 'edit',
          changed: changedFields(prev ? prev.fields : null, fields),
          fields,
        });
      }

      const slot = (taskIndex + unitIndex * 7) % 25;
      let revs: Revision[] = chain;
      let head = chain[R - 1]!;
      const branchAt = Math.max(0, R - 3);
      const forkable = R >= 3;
      if (forkable && (slot === 17 || (variant === 'reviewer' && (slot === 3 || slot === 11)))) {
        const fork = chain[branchAt]!;
        const last = chain[R - 1]!;
        const districtChanged = new Set(changedFields(fork.fields, last.fields));
        const conflict = slot === 3;
        const rr = rngFor(seed, unit.code, task.id, 'review');
        const fields = { ...fork.fields };
        const forkMs = Date.parse(fork.at);
        const reviewMs = forkMs + Math.max(60_000, Math.floor((Date.parse(last.at) - forkMs) / 2 / 60_000) * 60_000);
        if (conflict) {
          // A field the district also changed later, to a third value.
          if (districtChanged.has('progress')) {
            const options = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].filter((v) => v !== fork.fields.progress && v !== last.fields.progress);
            fields.progress = pick(rr, options);
          } else if (districtChanged.has('results')) fields.results = `${fork.fields.results}（市级核定：数据以统计部门最终核定为准）`;
          else fields.progressNotes = { type: 'doc', content: [...fork.fields.progressNotes.content, para(txt('市级督办意见：', true), txt('请补充量化成效和佐证材料。'))] };
        } else {
          // A field the district left alone after the fork.
          // The supervisor adds a problem the district had not named (a 存在问题 is the district's
          // own statement of difficulties; a supervisor's remark there would print as one).
          if (!districtChanged.has('problems')) {
            const n = (fork.fields.problems.match(/\d+\. /gu)?.length ?? 0) + 1;
            fields.problems = `${fork.fields.problems}${n}. ${PROBLEMS.find((x) => !fork.fields.problems.includes(x))}。`;
          }
          else if (!districtChanged.has('isBestPractice')) fields.isBestPractice = !fork.fields.isBestPractice;
          else fields.deadline = fork.fields.deadline === '2026-12-31' ? '2026-06-30' : '2026-12-31';
        }
        const review: Revision = {
          id: uuid(rr),
          ...base,
          parents: [fork.id],
          author: DEMO_REVIEWER,
          at: iso(reviewMs),
          kind: 'edit',
          changed: changedFields(fork.fields, fields),
          fields: normalFields(fields),
        };
        if (review.changed.length === 0) {
          // Nothing to branch with (cannot happen with the rules above, kept as a guard).
        } else if (slot === 17) {
          // Already merged in both variants: a disjoint branch and its merge revision.
          const merged = normalFields({ ...last.fields, ...Object.fromEntries(review.changed.map((f) => [f, review.fields[f]])) });
          const parents = [last.id, review.id];
          const m: Revision = {
            id: mergeRevisionId(parents, merged),
            ...base,
            parents,
            author: officials[0]!,
            at: last.at > review.at ? last.at : review.at,
            kind: 'merge',
            changed: changedFields(last.fields, merged),
            fields: merged,
          };
          if (!conflictsBetween(fork.fields, last.fields, review.fields)) {
            revs = [...chain, review, m];
            head = m;
          }
        } else {
          // The reviewer's view: the chain up to the fork, then the reviewer's edit.
          revs = [...chain.slice(0, branchAt + 1), review];
          head = review;
        }
      }
      revisions.push(...revs);
      annotations.push({ ...normalFields(head.fields), ...base, head: head.id, updatedAt: head.at, updatedBy: head.author });

      // Log entries.
      const lr = rngFor(seed, unit.code, task.id, 'log');
      const lts = times(lr, L, START, nowMs - DAY);
      for (let k = 0; k < L; k++) {
        const created = lts[k]!;
        const edited = lr() < 0.15;
        const deleted = lr() < 0.03;
        const updated = edited || deleted ? created + int(lr, 1, 20) * HOUR : created;
        const action = pick(lr, [...ACTIONS[domainOf(task)], ...GENERIC_ACTIONS]);
        logEntries.push({
          id: uuid(lr),
          taskId: task.id,
          unitCode: unit.code,
          date: isoDay(created),
          body: {
            type: 'doc',
            content: [para(txt(`${cnDate(created)}：`, true), txt(`${action}。${lr() < 0.5 ? `召开专题推进会，参会企业${int(lr, 5, 40)}家。` : '形成会议纪要并印发相关单位。'}`))],
          },
          author: officials[k % 2]!,
          createdAt: iso(created),
          updatedAt: iso(Math.min(updated, nowMs - HOUR)),
          deleted,
        });
      }
      if (variant === 'reviewer' && head.author === DEMO_REVIEWER) {
        const created = Date.parse(head.at);
        logEntries.push({
          id: uuid(rngFor(seed, unit.code, task.id, 'review-log')),
          taskId: task.id,
          unitCode: unit.code,
          date: isoDay(created),
          body: { type: 'doc', content: [para(txt('市级督办：', true), txt(`已对${quoted(taskShort(task))}推进情况进行核查，请${unit.name}按要求补充完善。`))] },
          author: DEMO_REVIEWER,
          createdAt: iso(created),
          updatedAt: iso(created),
          deleted: false,
        });
      }

      // Evidence.
      const er = rngFor(seed, unit.code, task.id, 'evidence');
      const nEvidence = er() < 0.45 ? int(er, 1, 2) : 0;
      for (let k = 0; k < nEvidence; k++) {
        const kind = pick(er, ['policy', 'statistics', 'case', 'media', 'photo', 'other'] as const satisfies readonly EvidenceKind[]);
        const created = START + Math.floor((er() * (nowMs - START - DAY)) / 60_000) * 60_000;
        const year = new Date(created).getUTCFullYear();
        const title =
          kind === 'policy'
            ? `关于印发《${unit.name}${taskShort(task).replace(/…$/, '')}实施方案》的通知`
            : kind === 'statistics'
              ? `${unit.name}服务业扩大开放试点任务推进情况统计表（${cnMonth(created)}）`
              : kind === 'case'
                ? `典型案例：${unit.name}${pick(er, ['创新服务模式', '优化审批流程', '深化开放合作', '强化要素保障'])}`
                : kind === 'media'
                  ? `《新华日报》报道：${unit.name}${pick(er, ['服务业开放跑出“加速度”', '试点改革释放新活力', '打造开放合作新高地'])}`
                  : kind === 'photo'
                    ? `${unit.name}试点任务推进现场照片`
                    : `${unit.name}工作简报（第${int(er, 1, 40)}期）`;
        let file: PoolFile | null = null;
        if (nextFile < pool.length && (kind === 'photo' || kind === 'statistics' || kind === 'other' || er() < 0.5)) {
          // Every fifth piece of evidence with a file shares the previous one's file (stored once, by hash).
          file = fileUses % 5 === 4 && lastFile ? lastFile : pool[nextFile++]!;
          fileUses++;
          lastFile = file;
          attachments.set(file.hash, file.bytes);
        }
        const deleted = er() < 0.03;
        evidence.push({
          id: uuid(er),
          taskId: task.id,
          unitCode: unit.code,
          title,
          kind,
          docNumber: kind === 'policy' ? `${DOC_PREFIX[unit.code] ?? '宁政办发'}〔${year}〕${int(er, 1, 160)}号` : '',
          date: isoDay(created),
          attachmentHash: file?.hash ?? null,
          fileName: file ? `${KIND_FILE[kind]}${file.ext === 'txt' ? '说明' : ''}-${String(fileUses).padStart(3, '0')}.${file.ext}` : null,
          mime: file?.mime ?? null,
          size: file?.bytes.length ?? null,
          author: officials[k % 2]!,
          createdAt: iso(created),
          updatedAt: iso(deleted ? created + DAY : created),
          deleted,
        });
      }
    });
  });

  // A deleted piece of evidence is exported without its file unless a live one uses it.
  const live = new Set(evidence.filter((e) => !e.deleted && e.attachmentHash).map((e) => e.attachmentHash!));
  for (const h of [...attachments.keys()]) if (!live.has(h)) attachments.delete(h);

  const author: Author = variant === 'reviewer' ? DEMO_REVIEWER : { name: '演示数据', unitCode: units[0]!.code };
  return {
    manifest: { appVersion: opts.appVersion ?? '0.1.0', corpusHash: opts.corpus.hash, author, createdAt: now, scope: 'all' },
    units,
    annotations,
    revisions,
    logEntries,
    evidence,
    attachments,
  };
}

/** Would a three-way merge of these conflict? (The demo's pre-merged branches must not.) */
function conflictsBetween(base: AnnotationFields, a: AnnotationFields, b: AnnotationFields): boolean {
  return changedFields(base, a).some((f) => changedFields(base, b).includes(f) && changedFields(a, b).includes(f));
}
