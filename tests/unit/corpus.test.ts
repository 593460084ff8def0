import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { corpusHash, parseCorpus } from '../../src-main/shared/corpus/parse';
import type { Corpus, CorpusError, Task } from '../../src-main/shared/corpus/types';

const SEED = readFileSync(fileURLToPath(new URL('../../seeds/000_ce194d28eb90452b.txt', import.meta.url)), 'utf8');

function parsed(text = SEED): Corpus {
  const r = parseCorpus(text);
  if (!r.ok) throw new Error(`seed did not parse: ${r.error.message} (${r.error.detail})`);
  return r.value;
}

function failure(text: string): CorpusError {
  const r = parseCorpus(text);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a failure');
  expect('value' in r).toBe(false); // never a partial corpus
  return r.error;
}

const corpus = parsed();
const task = (id: string): Task => {
  const t = corpus.tasks.find((x) => x.id === id);
  if (!t) throw new Error(`no task ${id}`);
  return t;
};

describe('seed corpus: tasks', () => {
  it('has 50, 13, 8, 17, 16 tasks in tables 1–5 (104 in all)', () => {
    expect(corpus.tables.map((t) => t.number)).toEqual([1, 2, 3, 4, 5]);
    expect(corpus.tables.map((t) => t.taskCount)).toEqual([50, 13, 8, 17, 16]);
    for (const table of corpus.tables) {
      expect(corpus.tasks.filter((t) => t.table === table.number)).toHaveLength(table.taskCount);
    }
    expect(corpus.tasks).toHaveLength(104);
  });

  it('gives the tables their titles', () => {
    expect(corpus.tables.map((t) => t.title)).toEqual([
      '推动服务业重点行业领域深化改革扩大开放',
      '推进现代服务业同先进制造业“两业”融合发展',
      '促进服务业扩大开放在重点园区和平台示范发展',
      '优化服务业开放发展的体制机制',
      '加强服务业开放发展的要素保障',
    ]);
    expect(task('T2-05').tableTitle).toBe('推进现代服务业同先进制造业“两业”融合发展');
  });

  it('numbers tasks 1..n per table with unique ids T{table}-{nn}', () => {
    const ids = corpus.tasks.map((t) => t.id);
    expect(new Set(ids).size).toBe(104);
    for (const t of corpus.tasks) {
      expect(t.id).toMatch(/^T[1-5]-\d{2}$/);
      expect(t.id).toBe(`T${t.table}-${String(t.number).padStart(2, '0')}`);
    }
    for (const table of corpus.tables) {
      const numbers = corpus.tasks.filter((t) => t.table === table.number).map((t) => t.number);
      expect(numbers).toEqual(Array.from({ length: table.taskCount }, (_, i) => i + 1));
    }
    expect(ids[0]).toBe('T1-01');
    expect(ids.at(-1)).toBe('T5-16');
    expect(ids).toContain('T1-50');
    expect(ids).not.toContain('T1-51');
  });

  it('joins wrapped lines into the exact source text', () => {
    // Hand-joined from the seed: one string per source line.
    expect(task('T1-01').text).toBe(
      [
        '深化高等院校和科研机构科技成果使用权、处置权和收益权改革，通过探索实施成果权益分享、约定收益等多种方式，',
        '赋予科研人员职务科技成果所有权或长期使用权，推动完善市场化赋权、成果评价、收益分配等制度。',
      ].join(''),
    );
    // Three lines; the source has a stray space after 。 inside the first line.
    expect(task('T1-09').text).toBe(
      [
        '开展知识产权全链条金融服务，推进南京市与深交所合作设立科技成果和知识产权“南京服务专区”。拓展“知识产',
        '权交易融资服务平台”功能，利用“区块链存证＋公证存证”职能，提供知识产权“确权－交易－运营－维权－融资”全生命周',
        '期一站式服务。',
      ].join(''),
    );
    expect(task('T1-09').text).toContain('“南京服务专区”');
    expect(task('T4-13').text).toBe(
      [
        '对标《全面与进步跨太平洋伙伴关系协定》（CPTPP）、《数字经济伙伴关系协定》（DEPA）等高标准国际经贸',
        '规则，高质量实施RCEP，加强对企业社会责任、贸易便利化、环境问题、竞争政策、政府采购、技术合作等领域和相',
        '关规则的研究和有序应用，推动完善与高标准国际经贸规则相衔接的服务业扩大开放制度创新体系。',
      ].join(''),
    );
    expect(task('T4-13').text).toContain('RCEP');
    expect(task('T4-13').text).toContain('CPTPP');
    // Ends abruptly with ， in the source (the measure ends with 。): kept as it is.
    expect(task('T5-12').text).toBe(
      [
        '积极探索数据资产化等规则制度，推动数据资产确权、评估、定价、质押、抵押等机制建设。完善交易主体、交易模式',
        '等方面大数据交易流通机制，依托现有交易场所开展交易，',
      ].join(''),
    );
    // The first task of table 1 is printed "1. 深化…": the number and the space are not part of the text.
    expect(task('T1-01').text.startsWith('深化')).toBe(true);
    expect(task('T1-40').text).toContain('（外资股比不超过50%）');
  });

  it('reads the last task of every table whole', () => {
    expect(task('T1-50').text).toBe('探索国际商事仲裁、调解等替代性争议解决机制。');
    expect(task('T2-13').text).toBe(
      [
        '建立江苏省和南京市“两业”融合发展专项资金，对融合发展的示范企业和园区提供资金支持，加大对新模式、新',
        '路径、新业态的宣传和推广力度，营造“两业”融合发展的社会环境和良好氛围。',
      ].join(''),
    );
    expect(task('T3-08').text).toBe('以旅游业转型升级和品质提升为主线，推进以数字经济为代表的新经济与文化旅游深度融合。');
    expect(task('T4-17').text).toBe('推进落实外商投资企业投诉工作机制，保护外商投资企业合法权益。');
    expect(task('T5-16').text).toBe(
      [
        '坚持金融业务持牌经营要求，通过风险提示、风控指标计算、信息报送和信息披露等，加强对金融领域企业风险防',
        '控的指导服务。',
      ].join(''),
    );
  });

  it('keeps page furniture and labels out of task texts', () => {
    for (const t of corpus.tasks) {
      expect(t.text).not.toMatch(/[\r\n\f]/);
      expect(t.text).not.toContain('类别');
      expect(t.text).not.toContain('试点任务');
      expect(t.text).not.toMatch(/^\s|\s$/);
      expect(t.text).not.toMatch(/^\d+\s*[.．]/);
      // Every task ends its sentence; only T5-12 ends with ， as printed. So no label character trails a text.
      if (t.id === 'T5-12') expect(t.text.endsWith('，')).toBe(true);
      else expect(t.text.endsWith('。')).toBe(true);
    }
    // Digits occur only where the source has them: no page number (7, 8) slipped in.
    const withDigits = corpus.tasks.filter((t) => /\d/.test(t.text)).map((t) => t.id);
    expect(withDigits).toEqual(['T1-40', 'T2-04', 'T3-05']);
    expect(task('T2-04').text).toContain('以5年为限。');
    expect(task('T3-05').text).toContain('晨光1865科技·创意产业园');
    // No space between CJK characters survived the join.
    for (const t of corpus.tasks) expect(t.text).not.toMatch(/[^\p{ASCII}]\s|\s[^\p{ASCII}]/u);
  });

  it('labels tasks with their 类别 and, in table 1, their 领域', () => {
    const label = (id: string) => [task(id).group, task(id).domain];
    expect(label('T1-01')).toEqual(['充分竞争性服务业', '科技服务领域']);
    expect(label('T1-09')).toEqual(['充分竞争性服务业', '科技服务领域']);
    expect(label('T1-10')).toEqual(['充分竞争性服务业', '专业服务领域']); // after a page break
    expect(label('T1-14')).toEqual(['充分竞争性服务业', '商务服务领域']);
    expect(label('T1-16')).toEqual(['充分竞争性服务业', '物流运输服务领域']);
    expect(label('T1-27')).toEqual(['有限竞争性服务业', '金融服务领域']);
    expect(label('T1-28')).toEqual(['有限竞争性服务业', '金融服务领域']); // label repeated after a page break
    expect(label('T1-38')).toEqual(['有限竞争性服务业', '健康医疗服务领域']);
    expect(label('T1-39')).toEqual(['自然垄断领域竞争性业务', '电信服务领域']);
    expect(label('T1-49')).toEqual(['特定领域服务业', '法律服务领域']);
    expect(label('T2-01')).toEqual(['完善“两业”融合发展工作基础', null]);
    expect(label('T2-09')).toEqual(['营造“两业”融合发展良好环境', null]);
    expect(label('T3-05')).toEqual(['以南京市玄武、秦淮、鼓楼、江宁区为纽带，打造具有南京文化特色的文化休闲产业集聚区', null]);
    expect(label('T4-06')).toEqual(['深化放管服改革', null]);
    expect(label('T4-13')).toEqual(['推动完善规则制度体系', null]);
    expect(label('T5-13')).toEqual(['防控化解金融风险', null]); // as printed in the table (the measure says 防范)
  });

  it('has the expected 类别/领域 breakdown', () => {
    const counts = new Map<string, number>();
    for (const t of corpus.tasks) {
      const k = `${t.table}|${t.group}|${t.domain ?? '-'}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({
      '1|充分竞争性服务业|科技服务领域': 9,
      '1|充分竞争性服务业|专业服务领域': 4,
      '1|充分竞争性服务业|商务服务领域': 2,
      '1|充分竞争性服务业|物流运输服务领域': 1,
      '1|有限竞争性服务业|教育服务领域': 3,
      '1|有限竞争性服务业|金融服务领域': 10,
      '1|有限竞争性服务业|健康医疗服务领域': 9,
      '1|自然垄断领域竞争性业务|电信服务领域': 8,
      '1|特定领域服务业|文化服务领域': 2,
      '1|特定领域服务业|法律服务领域': 2,
      '2|完善“两业”融合发展工作基础|-': 3,
      '2|创新“两业”融合发展路径|-': 5,
      '2|营造“两业”融合发展良好环境|-': 5,
      '3|以南京市江北新区为龙头，打造建设科技创新和成果转化示范区|-': 2,
      '3|以中国（南京）软件谷为载体，打造具有国际影响力的数字化服务业集聚区|-': 2,
      '3|以南京市玄武、秦淮、鼓楼、江宁区为纽带，打造具有南京文化特色的文化休闲产业集聚区|-': 2,
      '3|以新街口、夫子庙等重点商业街区为核心，打造商贸旅游高水平开放融合发展示范区|-': 2,
      '4|深化放管服改革|-': 6,
      '4|促进贸易投资自由化便利化|-': 6,
      '4|推动完善规则制度体系|-': 5,
      '5|优化人才服务|-': 5,
      '5|保障数据安全有序流动|-': 7,
      '5|防控化解金融风险|-': 4,
    });
  });
});

describe('seed corpus: measures', () => {
  it('has the 17 measures with their titles and headings', () => {
    expect(corpus.measures.map((m) => m.number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(corpus.measures.map((m) => m.title)).toEqual([
      '充分竞争性服务业',
      '有限竞争性服务业',
      '自然垄断领域竞争性业务',
      '特定领域服务业',
      '完善“两业”融合发展工作基础',
      '创新“两业”融合发展路径',
      '营造“两业”融合发展良好环境',
      '以南京市江北新区为龙头，打造建设科技创新和成果转化示范区',
      '以中国（南京）软件谷为载体，打造具有国际影响力的数字化服务业集聚区',
      '以南京市玄武、秦淮、鼓楼、江宁区为纽带，打造具有南京文化特色的文化休闲产业集聚区',
      '以新街口、夫子庙等重点商业街区为核心，打造商贸旅游高水平开放融合发展示范区',
      '深化放管服改革',
      '促进贸易投资自由化便利化',
      '推动完善规则制度体系',
      '优化人才服务',
      '保障数据安全有序流动',
      '防范化解金融风险',
    ]);
    expect(corpus.measures.map((m) => m.section)).toEqual([1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5]);
    for (const m of corpus.measures) {
      expect(m.text.startsWith(`${m.title}。`)).toBe(true);
      expect(m.sectionTitle).toBe(corpus.tables[m.section - 1].title);
      expect(m.text).not.toMatch(/[\r\n]/);
    }
    expect(corpus.measures[0].sectionTitle).toBe('推动服务业重点行业领域深化改革扩大开放');
    // Measure 2 runs over a page number ("8") in the source.
    expect(corpus.measures[1].text.endsWith('加强国家中医药服务出口基地建设，扩大中医药服务出口。')).toBe(true);
    expect(corpus.measures[16].text).toBe(
      '防范化解金融风险。开展金融领域管理信息共享、监管协作和风险跨境处置合作。加强对金融开放政策措施所涉业务数据的监测和运用，排查和防范风险。深化实施金融科技创新监管工具，引导金融机构在依法合规前提下规范开展创新，进一步落实中小银行风险化解和资本补充、金融衍生品业务管理、债务管理等方面工作要求，坚决守住不发生系统性区域性金融风险的底线。坚持金融业务持牌经营要求，通过风险提示、风控指标计算、信息报送和信息披露等，加强对金融领域企业风险防控的指导服务。',
    );
  });

  it('maps every task to the measure it restates', () => {
    const m = (id: string) => task(id).measure;
    expect([m('T1-01'), m('T1-16'), m('T1-17'), m('T1-38'), m('T1-39'), m('T1-46'), m('T1-47'), m('T1-50')]).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4,
    ]);
    expect([m('T2-01'), m('T2-04'), m('T2-08'), m('T2-09'), m('T2-13')]).toEqual([5, 6, 6, 7, 7]);
    expect([m('T3-01'), m('T3-03'), m('T3-05'), m('T3-08')]).toEqual([8, 9, 10, 11]);
    expect([m('T4-01'), m('T4-07'), m('T4-12'), m('T4-13'), m('T4-17')]).toEqual([12, 13, 13, 14, 14]);
    expect([m('T5-01'), m('T5-06'), m('T5-12'), m('T5-13'), m('T5-16')]).toEqual([15, 16, 16, 17, 17]);
    for (const t of corpus.tasks) {
      const measure = corpus.measures[t.measure - 1];
      expect(measure.section).toBe(t.table); // table k restates the measures under heading (k)
      // The task restates its measure: its text (up to the final punctuation) is in the measure's text.
      expect(measure.text).toContain(t.text.slice(0, -1));
    }
  });

  it('gives every measure at least one task', () => {
    const perMeasure = corpus.measures.map((m) => corpus.tasks.filter((t) => t.measure === m.number).length);
    expect(perMeasure).toEqual([16, 22, 8, 4, 3, 5, 5, 2, 2, 2, 2, 6, 6, 5, 5, 7, 4]);
    expect(perMeasure.every((n) => n >= 1)).toBe(true);
  });
});

describe('seed corpus: notice and chapters', () => {
  it('reads the notice metadata', () => {
    expect(corpus.meta.noticeTitle).toBe('商务部关于印发《南京市服务业扩大开放综合试点总体方案》的通知');
    expect(corpus.meta.title).toBe('南京市服务业扩大开放综合试点总体方案');
    expect(corpus.preamble).toEqual(['为全面有效推进南京市服务业扩大开放综合试点工作，制定本方案。']);
    expect(corpus.meta.docNumber).toBe('商资发〔2022〕209号');
    expect(corpus.meta.issuer).toBe('商务部');
    expect(corpus.meta.date).toBe('2022-12-29');
    expect(corpus.meta.addressees.startsWith('江苏省人民政府，中央组织部、中央宣传部、中央网信办、中央台办，外交部')).toBe(true);
    expect(corpus.meta.addressees.endsWith('最高人民法院，贸促会')).toBe(true);
    expect(corpus.meta.addressees).toContain('工业和信息化部');
    expect(corpus.meta.noticeBody).toEqual([
      '《南京市服务业扩大开放综合试点总体方案》（以下简称《总体方案》）已经国务院同意。现将《总体方案》及试点任务清单印发给你们，请认真做好组织实施工作。',
    ]);
  });

  it('reads the chapters, their sections and paragraphs', () => {
    expect(corpus.chapters.map((c) => [c.number, c.title])).toEqual([
      [1, '总体要求'],
      [2, '主要任务和措施'],
      [3, '组织实施'],
    ]);
    const [one, two, three] = corpus.chapters;
    expect(one.sections.map((s) => [s.number, s.title, s.paragraphs.length])).toEqual([
      [1, '指导思想', 1],
      [2, '基本原则', 4],
      [3, '发展目标', 1],
    ]);
    expect(one.sections[1].paragraphs.map((p) => p.slice(0, 7))).toEqual([
      '强化顶层设计。',
      '聚焦重点领域。',
      '发挥比较优势。',
      '加强风险防范。',
    ]);
    expect(one.sections[2].paragraphs[0].startsWith('经过3年试点，通过放宽市场准入')).toBe(true);
    expect(two.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5]);
    expect(two.sections.map((s) => s.title)).toEqual(corpus.tables.map((t) => t.title));
    expect(two.sections.flatMap((s) => s.paragraphs)).toEqual(corpus.measures.map((m) => m.text));
    expect(three.sections).toHaveLength(1);
    expect(three.sections[0].number).toBe(0);
    expect(three.sections[0].paragraphs).toHaveLength(1);
    expect(three.sections[0].paragraphs[0].startsWith('江苏省人民政府根据目标任务')).toBe(true);
    expect(three.sections[0].paragraphs[0].endsWith('重大事项向国务院请示报告。')).toBe(true);
    for (const c of corpus.chapters) {
      for (const s of c.sections) for (const p of s.paragraphs) expect(p).not.toMatch(/[\r\n]|任务清单$/);
    }
  });

  // Parse time is measured by `npm run bench` (corpusParseMs), not asserted by a timed test.
  it('gives the same corpus on every parse (no hidden state between parses)', () => {
    expect(parseCorpus(SEED)).toEqual(parseCorpus(SEED));
  });

  it('tolerates CRLF line ends and a BOM', () => {
    const crlf = parsed('\uFEFF' + SEED.replace(/\n/g, '\r\n'));
    expect(crlf.tasks).toEqual(corpus.tasks);
    expect(crlf.hash).toBe(corpus.hash);
  });
});

describe('corpus hash', () => {
  it('is 64 hex characters and stable across parses', () => {
    expect(corpus.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed().hash).toBe(corpus.hash);
    expect(corpusHash(corpus.tasks)).toBe(corpus.hash);
  });

  it('changes when one task changes', () => {
    const edited = corpus.tasks.map((t) => (t.id === 'T3-04' ? { ...t, text: t.text.replace('龙头', '骨干') } : t));
    expect(corpusHash(edited)).not.toBe(corpus.hash);
    const remapped = corpus.tasks.map((t) => (t.id === 'T3-04' ? { ...t, measure: 8 } : t));
    expect(corpusHash(remapped)).not.toBe(corpus.hash);
  });

  it('ignores fields outside the normalised task list, and key order', () => {
    const reordered = corpus.tasks.map(({ measure, text, number, domain, group, table, id }) => ({
      measure, text, number, domain, group, table, id, tableTitle: 'x',
    }));
    expect(corpusHash(reordered)).toBe(corpus.hash);
  });
});

describe('damaged or empty seeds', () => {
  const expectDamaged = (text: string, what?: RegExp): CorpusError => {
    const e = failure(text);
    expect(e.code).toBe('damaged');
    expect(e.message).toMatch(/^种子文件.*已损坏：.+。请重新安装本软件.*seeds/);
    if (what) expect(e.message).toMatch(what);
    expect(e.detail.length).toBeGreaterThan(0);
    expect(e.detail).toMatch(/^[\x20-\x7e\u2026\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef“”]+$/); // one line
    return e;
  };

  it('rejects an empty seed', () => {
    for (const text of ['', '  \n\n\t\n']) {
      const e = failure(text);
      expect(e.code).toBe('empty');
      expect(e.message).toMatch(/空/);
    }
  });

  it('rejects garbage', () => {
    expectDamaged('garbage');
    expectDamaged('\u0000\u0001\u0002 not a seed\n'.repeat(50));
  });

  it('rejects a truncated seed', () => {
    expectDamaged(SEED.slice(0, Math.floor(SEED.length * 0.6)), /缺少表2/);
    expectDamaged(SEED.slice(0, Math.floor(SEED.length * 0.95)), /不完整/);
    // Cut after a complete row: the numbering still looks right, but measure 17 lacks its last sentences.
    expectDamaged(SEED.slice(0, SEED.indexOf('16.坚持金融业务')), /第17条措施/);
  });

  it('rejects a seed without the task list', () => {
    expectDamaged(SEED.slice(0, SEED.indexOf('南京市服务业扩大开放综合试点任务清单')), /缺少试点任务清单/);
  });

  it('rejects a seed with 表3 removed', () => {
    const start = SEED.indexOf('表3 ');
    const end = SEED.indexOf('表4 ');
    expect(start).toBeGreaterThan(0);
    expectDamaged(SEED.slice(0, start) + SEED.slice(end), /缺少表3（促进服务业扩大开放在重点园区和平台示范发展）/);
  });

  it('rejects a table whose numbering has a gap', () => {
    // The number of T4-07 removed: its line would otherwise read as a label.
    expect(SEED).toContain('7.积极参与国家级服务业标准化试点建设。');
    expectDamaged(SEED.replace('7.积极参与国家级服务业标准化试点建设。', '积极参与国家级服务业标准化试点建设。'), /表4.*不连续/);
    // The whole row removed.
    expectDamaged(SEED.replace('7.积极参与国家级服务业标准化试点建设。', ''), /表4.*不连续/);
    // A row renumbered.
    expectDamaged(SEED.replace('10.探索在南京市', '11.探索在南京市'), /表1.*不连续/);
  });

  it('rejects a table missing its last row or with a changed row', () => {
    expectDamaged(SEED.replace('50.探索国际商事仲裁、调解等替代性争议解决机制。', ''), /第4条措施/);
    expectDamaged(SEED.replace('3.探索行业综合许可制度。', '3.探索行业许可制度。'), /T4-03/);
  });

  it('rejects a damaged label', () => {
    expectDamaged(SEED.replace('\n\n革\n', '\n'), /类别/);
  });
});
