/**
 * `report --draft FILE.json`: the command line renders a draft exported from the app (导出草稿) — the
 * author's words as written, each figure refreshed from the bundles given and printed as a value,
 * the draft's own title, scope and dates — and refuses a bad draft file with a Chinese reason,
 * writing no file. Without `--draft`, the generated body as before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src-main/cli/run';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { EMPTY_FORM, type ReportDraft } from '../../src-main/shared/report/draft';
import { draftFile } from '../../src-main/shared/report/draftSchema';
import { docFingerprint } from '../../src-main/shared/report/generate';
import type { RichDoc } from '../../src-main/shared/richtext';
import { corpus, unzipText } from './report-fixtures';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The text of document.xml without its markup (runs joined as Word shows them). */
const docText = (path: string) => unzipText(new Uint8Array(readFileSync(path)))['word/document.xml']!.replace(/<[^>]+>/g, '');

const AUTHOR_WORDS = '我区坚持以制度型开放为引领，这是作者亲笔写下的一句话';
const overview: RichDoc = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: AUTHOR_WORDS }, { type: 'text', text: '，纳入统计的任务共' }, { type: 'figure', attrs: { key: 'overall.total', text: '999' } }, { type: 'text', text: '项。' }] },
  ],
};
const lead: RichDoc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '现将上半年情况报告如下。' }] }] };

let dir: string;
let bundle: string;
let hash: string;
const draft = (over: Partial<ReportDraft> = {}): ReportDraft => ({
  id: 'draft-1',
  kind: 'district',
  title: '玄武区上半年试点推进情况的报告',
  scope: { unitCodes: ['320102'], tables: [], statuses: [] },
  asOf: '2025-06-30',
  issuer: '南京市玄武区人民政府',
  signDate: '2025-07-03',
  form: { ...EMPTY_FORM, recipients: '市服务业扩大开放综合试点工作领导小组办公室' },
  sections: [
    { key: 'lead', title: '', doc: lead, generated: docFingerprint(lead) },
    { key: 'overview', title: '总体推进情况', doc: overview, generated: docFingerprint(lead) },
    { key: 'problems', title: '存在问题', doc: lead, generated: docFingerprint(lead) },
  ],
  createdAt: '2025-07-01T01:00:00.000Z',
  updatedAt: '2025-07-02T01:00:00.000Z',
  updatedBy: { name: '李明', unitCode: '320102' },
  ...over,
});
const writeDraft = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

beforeAll(() => {
  const c = corpus();
  hash = c.hash;
  dir = mkdtempSync(join(tmpdir(), 'report-cli-draft-'));
  bundle = join(dir, 'xuanwu.pilotbundle');
  writeFileSync(bundle, writeBundle(makeDemoData({ units: 1, seed: 3, corpus: c, revisionsPerAnnotation: 1, logEntriesPerAnnotation: 1 })));
}, 60_000);

describe('cli report --draft', () => {
  it("renders the author's words with each figure refreshed from the bundle, under the draft's own title and date", async () => {
    const file = writeDraft('draft.json', draftFile(draft(), { appVersion: '0.1.0', corpusHash: hash, exportedAt: '2025-07-02T01:00:00.000Z' }));
    const out = join(dir, 'drafted.docx');
    const r = await run(['report', '--draft', file, '--bundle', bundle, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/按草稿「玄武区上半年试点推进情况的报告」/);
    const text = docText(out);
    expect(text).toContain(`${AUTHOR_WORDS}，纳入统计的任务共104项。`);
    expect(text).not.toContain('999');
    expect(text).toContain('一、总体推进情况');
    expect(text).toContain('二、存在问题');
    expect(text).toContain('玄武区上半年试点推进情况的报告');
    expect(text).toContain('2025年7月3日');
    // The generated body's own sentences are not printed over the author's.
    expect(text).not.toContain('任务分工和工作要求，现将');
  }, 60_000);

  it('without --draft prints the generated body as before', async () => {
    const out = join(dir, 'generated.docx');
    const r = await run(['report', '--kind', 'district', '--unit', '320102', '--bundle', bundle, '--as-of', '2025-06-30', '--out', out]);
    expect(r.code).toBe(0);
    const text = docText(out);
    expect(text).toContain('任务分工和工作要求，现将');
    expect(text).not.toContain(AUTHOR_WORDS);
  }, 60_000);

  it('refuses a bad draft file with a Chinese reason and writes nothing', async () => {
    const meta = { appVersion: '0.1.0', corpusHash: hash, exportedAt: '2025-07-02T01:00:00.000Z' };
    const hostile = draft({
      sections: [{ key: 'overview', title: '总体推进情况', doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] }, generated: docFingerprint(lead) }],
    });
    const cases: [string, unknown, RegExp][] = [
      ['not-json.json', '{ 这不是 JSON', /不是有效的 JSON/],
      ['other.json', { type: 'something-else', draft: draft() }, /不是本软件导出的报告草稿/],
      ['newer.json', { ...draftFile(draft(), meta), version: 99 }, /更新版本/],
      ['plan.json', draftFile(draft(), { ...meta, corpusHash: 'ab'.repeat(32) }), /试点方案版本/],
      ['hostile.json', draftFile(hostile, meta), /内容无效/],
      ['extra-key.json', { ...draftFile(draft(), meta), draft: { ...draft(), script: 'x' } }, /内容无效/],
    ];
    for (const [name, content, reason] of cases) {
      const out = join(dir, `${name}.docx`);
      const r = await run(['report', '--draft', writeDraft(name, content), '--bundle', bundle, '--out', out]);
      expect(r.code, name).toBe(1);
      expect(r.err, name).toMatch(/^错误：「.+」报告草稿文件无法使用：/);
      expect(r.err, name).toMatch(reason);
      expect(existsSync(out), name).toBe(false);
    }
    const missing = await run(['report', '--draft', join(dir, 'nope.json'), '--bundle', bundle, '--out', join(dir, 'nope.docx')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/无法读取报告草稿文件/);
  }, 60_000);

  it('refuses scope and date flags beside --draft (the draft carries its own), and a --kind the draft is not', async () => {
    const file = writeDraft('draft2.json', draftFile(draft(), { appVersion: '0.1.0', corpusHash: hash, exportedAt: '2025-07-02T01:00:00.000Z' }));
    const r = await run(['report', '--draft', file, '--unit', '320104', '--bundle', bundle, '--out', join(dir, 'x.docx')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/取自草稿.*--unit/);
    const k = await run(['report', '--draft', file, '--kind', 'city', '--bundle', bundle, '--out', join(dir, 'y.docx')]);
    expect(k.code).toBe(1);
    expect(k.err).toMatch(/草稿是区级报告/);
    expect(existsSync(join(dir, 'y.docx'))).toBe(false);
  }, 60_000);
});
