/**
 * Finding work: Chinese full-text search over the real task list, annotations and log entries, with
 * the exact-substring behaviour a person expects.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey, emptyFields, type Annotation, type AnnotationFields, type LogEntry } from '../../src-main/shared/domain';
import { docFromText } from '../../src-main/shared/richtext';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import {
  buildSearchIndex,
  createSearchIndex,
  highlight,
  hitTaskIds,
  indexAnnotation,
  indexLogEntry,
  kthLargest,
  removeDoc,
  annotationDocId,
  searchAll,
  type Hit,
} from '../../src-renderer/src/db/search';

// jsdom gives import.meta.url a non-file scheme here; vitest runs from the project root.
const corpus: Corpus = testCorpus();

/** Tasks whose own text (or id, 类别, 领域) contains `term`, computed without the index. */
const tasksContaining = (term: string): string[] =>
  corpus.tasks
    .filter((t) => t.text.toLowerCase().includes(term.toLowerCase()) || `${t.id} ${t.group} ${t.domain ?? ''}`.toLowerCase().includes(term.toLowerCase()))
    .map((t) => t.id);
const taskHits = (hits: Hit[]) => hits.filter((h) => h.field === 'task').map((h) => h.taskId).sort();

function annotation(taskId: string, unitCode: string, patch: Partial<AnnotationFields>): Annotation {
  return {
    ...emptyFields(),
    ...patch,
    key: annotationKey(taskId, unitCode),
    taskId,
    unitCode,
    head: crypto.randomUUID(),
    updatedAt: '2025-03-01T00:00:00.000Z',
    updatedBy: { name: '测试', unitCode },
  };
}

function logEntry(taskId: string, unitCode: string, text: string, deleted = false): LogEntry {
  return {
    id: crypto.randomUUID(), taskId, unitCode, date: '2024-06-01', body: docFromText(text), author: { name: '测试', unitCode },
    createdAt: '2024-06-01T00:00:00.000Z', updatedAt: '2024-06-01T00:00:00.000Z', deleted,
  };
}

describe('search over the task text', () => {
  const index = createSearchIndex(corpus);

  it('finds 「知识产权」 in exactly the tasks that contain it', () => {
    const expected = tasksContaining('知识产权');
    expect(expected.length).toBeGreaterThan(0);
    expect(taskHits(searchAll(index, '知识产权'))).toEqual(expected.sort());
  });

  it('finds 「产权」 inside longer words, in exactly the tasks that contain it', () => {
    expect(taskHits(searchAll(index, '产权'))).toEqual(tasksContaining('产权').sort());
    expect(taskHits(searchAll(index, '识产'))).toEqual(tasksContaining('识产').sort()); // no word boundary needed
  });

  it('answers a one-character query', () => {
    expect(taskHits(searchAll(index, '税'))).toEqual(tasksContaining('税').sort());
  });

  it('matches English case-insensitively, full-width letters too', () => {
    const expected = tasksContaining('RCEP').sort();
    expect(expected.length).toBeGreaterThan(0);
    for (const q of ['RCEP', 'rcep', 'Rcep', 'ＲＣＥＰ']) expect(taskHits(searchAll(index, q))).toEqual(expected);
    expect(taskHits(searchAll(index, 'saas'))).toEqual(tasksContaining('saas').sort());
  });

  it('requires every space-separated term, in the same field', () => {
    const both = corpus.tasks.filter((t) => t.text.includes('数据') && t.text.includes('跨境')).map((t) => t.id).sort();
    expect(both.length).toBeGreaterThan(0);
    expect(taskHits(searchAll(index, '数据 跨境'))).toEqual(both);
  });

  it('finds tasks by id and by 领域', () => {
    expect(hitTaskIds(searchAll(index, 'T1-09'))).toEqual(['T1-09']);
    expect(taskHits(searchAll(index, '金融服务领域'))).toEqual(corpus.tasks.filter((t) => t.domain === '金融服务领域').map((t) => t.id).sort());
  });

  it('gives a short snippet around the match', () => {
    for (const h of searchAll(index, '产权')) {
      expect(h.snippet.length).toBeLessThanOrEqual(80);
      expect(h.snippet).toContain('产权');
    }
  });

  it('finds nothing for an empty query or punctuation', () => {
    expect(searchAll(index, '')).toEqual([]);
    expect(searchAll(index, '  ，。 ')).toEqual([]);
  });
});

describe('search over annotations and log entries', () => {
  // Other units' problems share most bigrams with the term, so only the exact check separates them.
  const target = annotation('T1-09', '320104', { problems: '跨境数据流动备案周期长，企业反映材料重复提交' });
  const others = [
    annotation('T1-09', '320105', { problems: '跨境数据流动规则不明确；备案周期较长' }),
    annotation('T1-10', '320104', { problems: '数据流动备案', nextSteps: '跨境数据流动备案周期' }),
    annotation('T2-01', '320102', { problems: '知识产权、维权保障、保护机制不健全', results: '完成 RCEP 原产地证书签发 120 份', leadUnits: ['区市场监管局'], partnerUnits: ['区商务局', '区司法局'] }),
    annotation('T2-02', '320102', { progressNotes: docFromText('建成产权交易平台\n入驻机构 15 家') }),
  ];
  const log = logEntry('T3-01', '320106', '召开离岸贸易专题推进会');
  const index = createSearchIndex(corpus, { annotations: [target, ...others], logEntries: [log] });

  it('a term that occurs only in one unit’s 存在问题 finds exactly that annotation', () => {
    const hits = searchAll(index, '跨境数据流动备案周期长');
    expect(hits).toEqual([expect.objectContaining({ taskId: 'T1-09', unitCode: '320104', field: 'problems' })]);
    expect(hits[0]!.snippet).toContain('跨境数据流动备案周期长');
  });

  it('does not report bigrams scattered over a field as a match', () => {
    // 「知识产权、维权保障、保护机制」 holds 产权, 权保 and 保护, but not 产权保护.
    expect(searchAll(index, '产权保护').filter((h) => h.unitCode !== null)).toEqual([]);
  });

  it('reports the field a match is in', () => {
    const fieldOf = (q: string) => searchAll(index, q).filter((h) => h.unitCode !== null).map((h) => [h.taskId, h.unitCode, h.field]);
    expect(fieldOf('原产地证书')).toEqual([['T2-01', '320102', 'results']]);
    expect(fieldOf('市场监管局')).toEqual([['T2-01', '320102', 'leadUnits']]);
    expect(fieldOf('司法局')).toEqual([['T2-01', '320102', 'partnerUnits']]);
    expect(fieldOf('产权交易平台')).toEqual([['T2-02', '320102', 'progressNotes']]);
    expect(searchAll(index, '离岸贸易专题')).toEqual([expect.objectContaining({ taskId: 'T3-01', unitCode: '320106', field: 'log', logEntryId: log.id })]);
    expect(fieldOf('rcep')).toEqual([['T2-01', '320102', 'results']]);
  });

  it('limits annotation hits to the chosen unit but keeps task text hits', () => {
    const hits = searchAll(index, '产权', { unitCode: '320104' });
    expect(hits.some((h) => h.unitCode === '320102')).toBe(false);
    expect(taskHits(hits)).toEqual(tasksContaining('产权').sort());
    expect(searchAll(index, '跨境数据流动备案周期长', { unitCode: '320105' })).toEqual([]);
  });

  it('with a limit, keeps the best hits (ranked before cutting) and says nothing about the rest', () => {
    const all = searchAll(index, '产权', { limit: 100_000 });
    expect(all.length).toBeGreaterThan(3);
    expect(searchAll(index, '产权', { limit: 3 })).toEqual(all.slice(0, 3));
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
  });

  it('matches a Latin word as a prefix and a single Han character anywhere in annotation text', () => {
    expect(searchAll(index, 'rc').filter((h) => h.unitCode !== null).map((h) => h.field)).toEqual(['results']);
    expect(searchAll(index, '驻').filter((h) => h.unitCode !== null)).toEqual([expect.objectContaining({ taskId: 'T2-02', field: 'progressNotes' })]);
  });

  it('builds the same index in chunks without holding the main thread', async () => {
    const chunked = await buildSearchIndex(corpus, { annotations: [target, ...others], logEntries: [log] }, { chunkSize: 2 });
    for (const q of ['跨境数据流动', '产权', 'rcep', '离岸贸易']) expect(searchAll(chunked, q)).toEqual(searchAll(index, q));
  });

  it('re-indexes one annotation when it is saved, and forgets deleted notes', () => {
    const local = createSearchIndex(corpus, { annotations: [target], logEntries: [log] });
    const size = local.docs.size;
    indexAnnotation(local, { ...target, problems: '用地指标紧张' });
    expect(local.docs.size).toBe(size);
    expect(searchAll(local, '跨境数据流动备案周期长')).toEqual([]);
    expect(searchAll(local, '用地指标')).toEqual([expect.objectContaining({ taskId: 'T1-09', unitCode: '320104', field: 'problems' })]);

    indexLogEntry(local, { ...log, deleted: true });
    expect(searchAll(local, '离岸贸易专题')).toEqual([]);
    removeDoc(local, annotationDocId(target.key));
    expect(searchAll(local, '用地指标')).toEqual([]);
    expect(local.docs.size).toBe(size - 2);
  });
});

describe('highlight', () => {
  it('marks every occurrence of every term, case-insensitively', () => {
    expect(highlight('加强知识产权保护，对接RCEP规则', '产权 rcep')).toEqual([
      { text: '加强知识', hit: false },
      { text: '产权', hit: true },
      { text: '保护，对接', hit: false },
      { text: 'RCEP', hit: true },
      { text: '规则', hit: false },
    ]);
    expect(highlight('ＲＣＥＰ规则', 'rcep')).toEqual([{ text: 'ＲＣＥＰ', hit: true }, { text: '规则', hit: false }]);
    expect(highlight('无匹配', '')).toEqual([{ text: '无匹配', hit: false }]);
  });
});

describe('scale', () => {
  it('indexes a city-wide data set (13 units × 104 tasks, 10 notes each) and finds exactly the places that contain a term', () => {
    const units = ['320102', '320104', '320105', '320106', '320111', '320113', '320114', '320115', '320116', '320117', '320118', 'JBXQ', 'SJBM'];
    const annotations: Annotation[] = [];
    const logEntries: LogEntry[] = [];
    for (const u of units) {
      for (const t of corpus.tasks) {
        annotations.push(annotation(t.id, u, {
          progressNotes: docFromText(`${t.text.slice(0, 120)}\n已完成阶段性任务，累计服务企业 ${t.number * 7} 家。`),
          results: `新增市场主体 ${t.number} 家，带动投资 ${t.number * 3} 亿元`,
          problems: t.number % 5 === 0 ? `${u} 专项资金到位慢，审批环节多` : '',
          nextSteps: '持续跟踪推进，做好总结评估',
          leadUnits: ['区商务局'],
        }));
        for (let i = 0; i < 10; i++) logEntries.push(logEntry(t.id, u, `第 ${i + 1} 次调度：${t.text.slice(i * 5, i * 5 + 40)}`));
      }
    }
    // Correctness at city scale (speed is measured by `npm run bench`, not asserted here): the hits
    // are exactly the (task, unit, field) places whose text contains the term.
    const index = createSearchIndex(corpus, { annotations, logEntries });
    const term = '审批环节多';
    const hits = searchAll(index, term, { limit: 100_000 });
    const expected = annotations.filter((a) => a.problems.includes(term)).map((a) => `${a.taskId}|${a.unitCode}|problems`).sort();
    expect(expected.length).toBeGreaterThan(100);
    expect(hits.map((h) => `${h.taskId}|${h.unitCode}|${h.field}`).sort()).toEqual(expected);
    // A phrase in every annotation (1,352 places): the default limit keeps exactly the 500 best of
    // the full ranking (the 500th-best score is selected, not sorted, from all of them).
    const every = searchAll(index, '持续跟踪推进', { limit: 100_000 });
    expect(every.length).toBe(annotations.length);
    expect(searchAll(index, '持续跟踪推进')).toEqual(every.slice(0, 500));
    // Re-indexing one annotation replaces its old text.
    indexAnnotation(index, { ...annotations[0]!, problems: '独有的新问题' });
    expect(searchAll(index, '独有的新问题').map((h) => h.taskId)).toEqual([annotations[0]!.taskId]);
  });
});

describe('the k-th best score', () => {
  it('is what sorting would give, with ties, for every k', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      for (const distinct of [1, 3, 50, 1e9]) {
        const values = Array.from({ length: n }, () => Math.floor(rand() * distinct) / 7);
        const sorted = [...values].sort((a, b) => b - a);
        for (const k of new Set([1, 2, Math.ceil(n / 2), n - 1, n].filter((x) => x >= 1 && x <= n))) {
          expect(kthLargest(Float64Array.from(values), k)).toBe(sorted[k - 1]);
        }
      }
    }
  });
});
