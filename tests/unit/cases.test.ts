/**
 * 典型案例 write-ups (the `caseStudy` field), as the people who write, merge and print them rely on
 * it: validation with Chinese messages, merge as one field (with a conflict), data written before
 * the field existed reads as "no write-up" and keeps every revision id, and the case collection
 * (its own Word document, and the report's appendix) prints each case's name and parts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FORMAT_ID, FORMAT_VERSION, type BundleContent, type Manifest } from '../../src-main/shared/bundle/format';
import { mergeRevisionId, emptyState, planImport, resolveConflicts, applyToState, type LocalState } from '../../src-main/shared/bundle/merge';
import { readBundle } from '../../src-main/shared/bundle/read';
import { normalFields, writeBundle } from '../../src-main/shared/bundle/write';
import { DEMO_REVIEWER, makeDemoData } from '../../src-main/shared/bundle/demo';
import { plainText, type RichDoc } from '../../src-main/shared/richtext';
import {
  annotationKey,
  caseStudyOf,
  changedFields,
  emptyFields,
  validateCaseStudy,
  validateFields,
  type Annotation,
  type AnnotationFields,
  type Author,
  type CaseStudy,
  type Revision,
} from '../../src-main/shared/domain';
import { buildReportModel, type ReportInput } from '../../src-main/shared/report/model';
import { renderCasesDocx, CASES_TITLE, notesWithoutResults } from '../../src-main/main/report/cases';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { reportCommand } from '../../src-main/cli/commands/report';
import { ctx, corpus as bundleCorpus } from './bundle-fixtures';
import { AS_OF, SIGN_DATE, UNITS, bodyBlocks, corpus, parseXml, smallAnnotations, smallEvidence, smallLogs, textOf, unzipText, xmlError } from './report-fixtures';

const CASE: CaseStudy = {
  name: '科技成果赋权改革“玄武模式”',
  field: '科技服务',
  approach: '一是建立成果赋权清单。\n二是设立概念验证中心。',
  results: '累计转化科技成果126项，转化金额3.2亿元。',
  replicability: '流程清晰、成本可控，可在全市高校院所推广。',
};

describe('validation of a write-up', () => {
  it('asks for the name once any other part is filled, in Chinese', () => {
    expect(validateCaseStudy({ ...CASE, name: '  ' }).name).toBe('请填写案例名称（已填写案例其他内容时必填）');
    expect(validateFields({ ...emptyFields(), caseStudy: { ...CASE, name: '' } }).caseStudy).toContain('请填写案例名称');
    expect(validateCaseStudy(CASE)).toEqual({});
  });

  it('caps each part and refuses a name with a line break', () => {
    expect(validateCaseStudy({ ...CASE, name: '名'.repeat(61) }).name).toBe('案例名称过长（上限 60 字）');
    expect(validateCaseStudy({ ...CASE, approach: '做'.repeat(5001) }).approach).toBe('主要做法过长（上限 5000 字）');
    expect(validateCaseStudy({ ...CASE, name: '第一行\n第二行' }).name).toBe('案例名称不能换行');
  });

  it('treats an all-blank or absent write-up as none', () => {
    expect(caseStudyOf({ caseStudy: { name: ' ', field: '', approach: '', results: '', replicability: '' } })).toBeNull();
    expect(caseStudyOf({})).toBeNull();
    const { caseStudy: _c, ...old } = emptyFields();
    expect(changedFields(old as AnnotationFields, emptyFields())).toEqual([]);
    expect(changedFields(old as AnnotationFields, { ...emptyFields(), caseStudy: CASE })).toEqual(['caseStudy']);
  });
});

// ---------------------------------------------------------------------------------------------
// Merge

const TASK = 'T1-09';
const UNIT = '320102';
const KEY = annotationKey(TASK, UNIT);
const A: Author = { name: '张伟', unitCode: UNIT };
const B: Author = { name: '钱明', unitCode: 'SJBM' };
const day = (d: number) => new Date(Date.UTC(2024, 0, d, 8)).toISOString();

function rev(id: string, parents: Revision[], fields: Partial<AnnotationFields>, author: Author, d: number): Revision {
  const base = parents[0]?.fields ?? emptyFields();
  const f = normalFields({ ...base, ...fields });
  return { id, key: KEY, taskId: TASK, unitCode: UNIT, parents: parents.map((p) => p.id), author, at: day(d), kind: 'edit', changed: changedFields(parents[0] ? base : null, f), fields: f };
}
const ann = (head: Revision): Annotation => ({ ...head.fields, key: KEY, taskId: TASK, unitCode: UNIT, head: head.id, updatedAt: head.at, updatedBy: head.author });

function bundle(head: Revision, revisions: Revision[]): BundleContent {
  const manifest: Manifest = {
    format: FORMAT_ID,
    formatVersion: FORMAT_VERSION,
    appVersion: '0.1.0',
    createdAt: day(30),
    author: B,
    scope: 'units',
    unitCodes: [UNIT],
    corpusHash: 'x',
    counts: { annotations: 1, revisions: revisions.length, logEntries: 0, evidence: 0, attachments: 0 },
    files: [],
  } as unknown as Manifest;
  return { manifest, units: [], annotations: [ann(head)], revisions, logEntries: [], evidence: [], attachments: new Map() };
}

function local(head: Revision, revisions: Revision[]): LocalState {
  const s = emptyState();
  s.annotations.set(KEY, ann(head));
  for (const r of revisions) s.revisions.set(r.id, r);
  return s;
}

describe('merging write-ups', () => {
  const r1 = rev('r1', [], { status: 'done', progress: 100, isBestPractice: true }, A, 1);

  it('takes a write-up added on one side only, as one field', () => {
    const mine = rev('m1', [r1], { results: '本机改动' }, A, 2);
    const theirs = rev('t1', [r1], { caseStudy: CASE }, B, 3);
    const plan = planImport(local(mine, [r1, mine]), bundle(theirs, [r1, theirs]));
    expect(plan.keys[0]!.outcome).toBe('merged');
    expect(plan.keys[0]!.takenFromTheirs).toEqual(['caseStudy']);
    const ws = resolveConflicts(plan, {}, A, day(31));
    if (!ws.ok) throw new Error(ws.error.message);
    const merged = applyToState(local(mine, [r1, mine]), ws.value).annotations.get(KEY)!;
    expect(caseStudyOf(merged)).toEqual(CASE);
    expect(merged.results).toBe('本机改动');
  });

  it('reports different write-ups on both sides as a conflict on 典型案例 and keeps the chosen one', () => {
    const mine = rev('m1', [r1], { caseStudy: { ...CASE, name: '本机的案例名称' } }, A, 2);
    const theirs = rev('t1', [r1], { caseStudy: CASE }, B, 3);
    const plan = planImport(local(mine, [r1, mine]), bundle(theirs, [r1, theirs]));
    expect(plan.keys[0]!.outcome).toBe('conflict');
    expect(plan.keys[0]!.conflicts.map((c) => c.field)).toEqual(['caseStudy']);
    expect(plan.keys[0]!.conflicts[0]!.base).toBeNull();
    const ws = resolveConflicts(plan, { [KEY]: { caseStudy: { take: 'theirs' } } }, A, day(31));
    if (!ws.ok) throw new Error(ws.error.message);
    const merge = ws.value.revisions.find((r) => r.kind === 'merge')!;
    expect(merge.fields.caseStudy).toEqual(CASE);
    expect(merge.changed).toEqual(['caseStudy']);
  });

  it('a merge without write-ups hashes as before the field existed (no caseStudy key)', () => {
    const mine = rev('m1', [r1], { results: '甲' }, A, 2);
    const theirs = rev('t1', [r1], { problems: '乙' }, B, 3);
    const ws = resolveConflicts(planImport(local(mine, [r1, mine]), bundle(theirs, [r1, theirs])), {}, A, day(31));
    if (!ws.ok) throw new Error(ws.error.message);
    const merge = ws.value.revisions.find((r) => r.kind === 'merge')!;
    expect('caseStudy' in merge.fields).toBe(false);
    const { caseStudy: _c, ...old } = { ...merge.fields, caseStudy: null };
    expect(merge.id).toBe(mergeRevisionId(merge.parents, old as AnnotationFields));
  });
});

// ---------------------------------------------------------------------------------------------
// Old data

describe('a bundle written before write-ups existed (tests/fixtures/bundle-v1-demo.pdbundle)', () => {
  const bytes = new Uint8Array(readFileSync(join(__dirname, '../fixtures/bundle-v1-demo.pdbundle')));
  const read = readBundle(bytes, ctx());

  it('reads unchanged: every annotation and revision without a write-up', () => {
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.annotations.length).toBeGreaterThan(100);
    expect(read.value.annotations.every((a) => caseStudyOf(a) === null)).toBe(true);
    expect(read.value.revisions.every((r) => !('caseStudy' in r.fields) && !r.changed.includes('caseStudy'))).toBe(true);
  });

  it('keeps every revision id: merge ids recompute to the stored ones, and revisions re-export byte for byte', () => {
    if (!read.ok) throw new Error(read.error.message);
    const merges = read.value.revisions.filter((r) => r.kind === 'merge');
    expect(merges.length).toBeGreaterThan(0);
    for (const m of merges) expect(mergeRevisionId(m.parents, normalFields(m.fields))).toBe(m.id);
    const { manifest } = read.value;
    const again = writeBundle({
      manifest: { appVersion: manifest.appVersion, createdAt: manifest.createdAt, author: manifest.author, scope: manifest.scope, unitCodes: manifest.unitCodes, corpusHash: manifest.corpusHash },
      units: read.value.units,
      annotations: read.value.annotations,
      revisions: read.value.revisions,
      logEntries: read.value.logEntries,
      evidence: read.value.evidence,
      attachments: read.value.attachments,
    } as Parameters<typeof writeBundle>[0]);
    const before = unzipSync(bytes);
    const after = unzipSync(again);
    for (const part of ['revisions.json', 'annotations.json']) expect(Buffer.from(after[part]!).equals(Buffer.from(before[part]!))).toBe(true);
  }, 60_000);

  it('imports into a database that has write-ups without touching them', () => {
    if (!read.ok) throw new Error(read.error.message);
    const plan = planImport(emptyState(), read.value);
    expect(plan.keys.every((k) => k.outcome === 'new')).toBe(true);
  });
});

describe('demo data', () => {
  it('gives some flagged annotations (not all) a valid write-up, and none to unflagged ones', () => {
    const d = makeDemoData({ units: 2, seed: 3, corpus: bundleCorpus() });
    const flagged = d.annotations.filter((a) => a.isInnovation || a.isBestPractice);
    const written = flagged.filter((a) => caseStudyOf(a));
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(flagged.length);
    expect(d.annotations.filter((a) => !(a.isInnovation || a.isBestPractice)).every((a) => caseStudyOf(a) === null)).toBe(true);
    for (const a of written) expect(validateFields(a)).toEqual({});
  });

  it('names a case after its task in whole words: no word cut off, no ellipsis, no half parenthesis', () => {
    const d = makeDemoData({ units: 13, seed: 1, corpus: bundleCorpus() });
    const names = d.annotations.flatMap((a) => (caseStudyOf(a) ? [{ name: caseStudyOf(a)!.name, taskId: a.taskId }] : []));
    expect(names.length).toBeGreaterThan(20);
    for (const { name } of names) {
      expect(name).toMatch(/(制度创新|实践)案例$/u);
      expect(name).not.toMatch(/[…（）()]/u);
    }
    // T1-14's first clause ends 「…开展信用评级业务」: the old 24-character cut printed 「…信用评级业实践案例」.
    const t114 = names.filter((x) => x.taskId === 'T1-14');
    for (const { name } of t114) expect(name).toContain('开展信用评级业务');
  });

  it('reads as a district would write it: no supervisor remark in 存在问题, no quote inside a quote, no 「其中 e 项」 above its total', () => {
    const d = makeDemoData({ units: 13, seed: 1, corpus: bundleCorpus() });
    const texts = (a: (typeof d.annotations)[number]) => [a.results, a.problems, a.nextSteps, plainText(a.progressNotes)].join('\n');
    // A 存在问题 is the district's statement: the supervisor's edit in the demo adds a problem, not a remark.
    expect(d.annotations.filter((a) => a.problems.includes('市级督办'))).toEqual([]);
    const supervisorAdded = d.revisions.filter((r) => r.author.name === DEMO_REVIEWER.name && r.changed.includes('problems'));
    expect(supervisorAdded.length).toBeGreaterThan(0);
    for (const r of supervisorAdded) expect(r.fields.problems).toMatch(/^(\d+\. [^。]+。)+$/u);
    // 「围绕“加强“原创认证…”建设”任务」: a title with its own quotes is quoted with ‘’ inside.
    const nested = d.annotations.filter((a) => /“[^”]*“/u.test(texts(a)));
    expect(nested.map((a) => `${a.taskId} ${a.unitCode}`)).toEqual([]);
    expect(d.annotations.some((a) => /‘[^’]+’/u.test(plainText(a.progressNotes)))).toBe(true);
    // A task not started reports what was prepared, not measures and a 0 % 「完成约」.
    const notStarted = d.annotations.filter((a) => a.status === 'not_started');
    expect(notStarted.length).toBeGreaterThan(0);
    for (const a of notStarted) expect(plainText(a.progressNotes)).toMatch(/^已梳理.+拟于\d{4}年\d{1,2}月启动。$/u);
    // Brackets pair up: 「（在南京市取消信息服务业务（仅限应用商店）」 printed an open one.
    for (const a of d.annotations) {
      const t = texts(a);
      expect([...t.matchAll(/（/gu)].length, `${a.taskId} ${a.unitCode}`).toBe([...t.matchAll(/）/gu)].length);
    }
    for (const a of d.annotations) {
      for (const m of texts(a).matchAll(/成果(\d+)项，其中(\d+)项获市级推广/gu)) expect(Number(m[2])).toBeLessThanOrEqual(Number(m[1]));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Word

function input(over: Partial<ReportInput> = {}): ReportInput {
  const annotations = smallAnnotations().map((a) =>
    a.taskId === 'T1-01' && a.unitCode === '320102' ? { ...a, caseStudy: CASE } : a.taskId === 'T4-01' && a.unitCode === '320104' ? { ...a, caseStudy: { ...CASE, name: '“秦淮经验”一网通办', field: '政务服务' } } : a,
  );
  return {
    kind: 'city',
    corpus: corpus(),
    units: UNITS,
    annotations,
    logEntries: smallLogs(),
    evidence: smallEvidence(),
    scope: { unitCodes: [], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '',
    issuer: '南京市商务局',
    signDate: SIGN_DATE,
    ...over,
  };
}

function paragraphs(bytes: Uint8Array): string[] {
  const files = unzipText(bytes);
  const xml = files['word/document.xml']!;
  expect(xmlError(xml)).toBeNull();
  return bodyBlocks(parseXml(xml)).map(textOf);
}

describe('the case collection document', () => {
  it('prints the title, a 目录 line per case and each case with its parts, unit and task', async () => {
    const m = buildReportModel(input());
    if (!m.ok) throw new Error(m.error.message);
    const r = await renderCasesDocx(m.value);
    if (!r.ok) throw new Error(r.error.message);
    const text = paragraphs(r.value);
    expect(text[0]).toBe(CASES_TITLE);
    expect(text).toContain('目\u3000\u3000录');
    // The 目录 (a TOC field's entries) and the case headings: the same texts.
    expect(text.filter((t) => t === `案例一：${CASE.name}`)).toHaveLength(2);
    expect(text.filter((t) => t === '案例二：“秦淮经验”一网通办')).toHaveLength(2);
    // The same parts as the report's case annex.
    for (const h of ['（一）主要做法', '（二）取得成效', '（三）复制推广价值']) expect(text.filter((t) => t === h)).toHaveLength(2);
    expect(text.some((t) => t.includes('所属领域：科技服务'))).toBe(true);
    for (const v of ['一是建立成果赋权清单。', '二是设立概念验证中心。', CASE.results, CASE.replicability]) expect(text).toContain(v);
    expect(text.some((t) => t.includes('所属领域：政务服务'))).toBe(true);
    expect(text.some((t) => t.startsWith('报送单位：玄武区') && t.includes('T1-01'))).toBe(true);
    // T4-01 in 玄武区 is flagged without a write-up: counted, not printed.
    expect(text.some((t) => t.includes('另有1项已标记'))).toBe(true);
    expect(text.at(-1)).toMatch(/^说明：本汇编/);
  }, 120_000);

  it('refuses a scope without any write-up, with a Chinese message', async () => {
    const m = buildReportModel(input({ annotations: smallAnnotations() }));
    if (!m.ok) throw new Error(m.error.message);
    const r = await renderCasesDocx(m.value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('都还没有撰写案例材料');
  });

  it('the report appendix uses the write-up when there is one and the notes when not', async () => {
    // A district report prints every case in its appendix (a city report lists them and prints a selection).
    const m = buildReportModel(input({ kind: 'district', scope: { unitCodes: ['320102'], tables: [], statuses: [] } }));
    if (!m.ok) throw new Error(m.error.message);
    const text = paragraphs(await renderReportDocx(m.value, { charts: false }));
    expect(text).toContain(`案例一：${CASE.name}`);
    expect(text).toContain('（三）复制推广价值');
    expect(text).toContain('一是建立成果赋权清单。'); // one paragraph a line
    expect(text).toContain(CASE.replicability);
    expect(text.some((t) => /^案例二：T4-01 /.test(t))).toBe(true); // 玄武区's T4-01: no write-up, task title as before
    expect(text.some((t) => t.includes(`“${CASE.name}”（T1-01）`))).toBe(true); // named in 三、 of the body
  }, 120_000);

  it('a case without a write-up prints its results once: a notes paragraph that repeats them is left out of （二）主要做法', () => {
    const results = '累计引进相关项目12个，协议总投资30亿元。';
    const notes: RichDoc = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '总体进展。', marks: [{ type: 'bold' }] }, { type: 'text', text: '已出台实施方案。' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '工作成效。', marks: [{ type: 'bold' }] }, { type: 'text', text: `${results}相关做法得到企业普遍认可。` }] },
      ],
    };
    expect(plainText(notesWithoutResults(notes, results))).toBe('总体进展。已出台实施方案。');
    // Nothing repeated, nothing dropped; no results, the notes as they are.
    expect(notesWithoutResults(notes, '新增市场主体8家。')).toEqual(notes);
    expect(notesWithoutResults(notes, '')).toEqual(notes);
  });

  it('in the demo district report no case without a write-up says the same sentence in （二） and （三）', async () => {
    const d = makeDemoData({ units: 13, seed: 1, corpus: bundleCorpus() });
    const cases = d.annotations.filter((a) => a.unitCode === '320102' && (a.isInnovation || a.isBestPractice) && !caseStudyOf(a) && a.results);
    expect(cases.length).toBeGreaterThan(0);
    for (const a of cases) {
      const left = plainText(notesWithoutResults(a.progressNotes, a.results));
      for (const s of a.results.match(/[^。]+。/gu) ?? []) expect(left).not.toContain(s.replace(/。$/u, ''));
    }
  });
});

describe('report --kind cases (CLI)', () => {
  it('writes the case collection from a demo bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cases-cli-'));
    try {
      const file = join(dir, 'demo.pdbundle');
      writeFileSync(file, writeBundle(makeDemoData({ units: 2, seed: 3, corpus: bundleCorpus(), logEntriesPerAnnotation: 0, attachments: 0 })));
      const out: string[] = [];
      const err: string[] = [];
      const code = await reportCommand(['--kind', 'cases', '--bundle', file, '--as-of', '2025-06-30', '--out', join(dir, 'cases.docx')], {
        out: (s: string) => void out.push(s),
        err: (s: string) => void err.push(s),
      } as never);
      expect(err.join('')).toBe('');
      expect(code).toBe(0);
      expect(out.join('')).toMatch(/典型案例汇编，案例 \d+ 个/);
      const text = paragraphs(new Uint8Array(readFileSync(join(dir, 'cases.docx'))));
      expect(text[0]).toBe(CASES_TITLE);
      expect(text.filter((t) => t === '（三）复制推广价值').length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
