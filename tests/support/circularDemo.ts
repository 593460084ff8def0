/**
 * A 13-unit demo round for the 情况通报 (office test, page pictures): the demo city data, a round
 * over 表1 and 表2 due 2025-06-20 (Beijing time), nine units on time, two late, two not at all, and a
 * supervisor's decisions — returns with comments and 销号 — on some of the submitted tasks.
 */
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { buildCircularModel, type CircularModel } from '../../src-main/shared/report/circular';
import type { ReviewDecision, Round, Submission } from '../../src-main/shared/rounds/schema';

const SUP = { name: '钱督办', unitCode: 'SJBM' };
const COMMENTS = ['请补充试点成效的量化数据和佐证材料', '推进举措表述笼统，请补充具体落地项目', '完成时限已过，请说明滞后原因并明确整改时限', '请补充相关部门的政策文件文号'];

export function demoCircular(corpus: Corpus): CircularModel {
  const d = makeDemoData({ units: 13, seed: 1, corpus });
  const round: Round = {
    id: 'r-2025-06',
    name: '2025年6月月报',
    unitCodes: d.units.map((u) => u.code),
    tables: [1, 2],
    opensAt: '2025-05-01T00:00:00.000Z',
    dueDate: '2025-06-20',
    createdBy: SUP,
    createdAt: '2025-05-01T00:00:00.000Z',
    updatedAt: '2025-05-01T00:00:00.000Z',
  };
  const inRound = new Set(corpus.tasks.filter((t) => round.tables.includes(t.table)).map((t) => t.id));
  const submissions: Submission[] = [];
  const reviews: ReviewDecision[] = [];
  d.units.forEach((u, i) => {
    if (i >= 11) return; // two units never submit
    // 20:00 Beijing time on the due day for the first nine, the next morning for two.
    const at = i < 9 ? '2025-06-20T12:00:00.000Z' : '2025-06-21T01:30:00.000Z';
    const updated = d.annotations.filter((a) => a.unitCode === u.code && inRound.has(a.taskId) && a.updatedAt >= round.opensAt).map((a) => a.taskId).sort();
    const sid = `s-${u.code}`;
    submissions.push({ id: sid, roundId: round.id, unitCode: u.code, author: { name: '经办人', unitCode: u.code }, submittedAt: at, updatedTaskIds: updated, digest: '0'.repeat(64) });
    updated.slice(0, i % 3 === 0 ? 2 : 1).forEach((taskId, j) => {
      const kind = (i + j) % 4 === 3 ? 'close' : 'return';
      reviews.push({ id: `d-${u.code}-${taskId}`, roundId: round.id, unitCode: u.code, taskId, submissionId: sid, decision: kind, comment: kind === 'return' ? COMMENTS[(i + j) % COMMENTS.length]! : '', by: SUP, at: '2025-06-23T02:00:00.000Z', reviewId: 'rv-1' });
    });
  });
  return buildCircularModel({ round, submissions, reviews, annotations: d.annotations, units: d.units, tasks: corpus.tasks, asOf: '2025-06-23', signDate: '2025-06-24', form: { recipients: '', header: { orgMark: '', docNumber: '宁试点办〔2025〕8号', signer: '' }, seal: false, note: '联系人：李四，电话：025-12345678', copyTo: '市商务局', printer: '', printDate: null } });
}
