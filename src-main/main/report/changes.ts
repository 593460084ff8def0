/**
 * 「本期变化情况」 in the district and city reports: what changed since a chosen snapshot (the model's
 * `changes`, from src-main/shared/snapshot/report.ts). Printed after 一、总体推进情况's figures, as its
 * last part: the summary sentence, a table of the status moves, then the new cases and the new
 * evidence by task. Nothing is printed when the report was built without a snapshot.
 */
import type { Paragraph, Table } from 'docx';
import type { ReportModel } from '../../shared/report/model';
import { body, gridTable, h2, h3, SIZE, tableCaption, TEXT_WIDTH } from './docxBlocks';

/** Most rows listed one by one in the text (the table lists every status move). */
const LIST_CAP = 30;

export function changesSection(m: ReportModel): (Paragraph | Table)[] {
  const c = m.changes;
  if (!c) return [];
  const city = m.meta.kind === 'city';
  const multi = m.meta.units.length > 1;
  const out: (Paragraph | Table)[] = [city ? h2('（三）本期变化情况') : h3('本期变化情况')];
  out.push(body(c.summary));
  if (c.statusMoves.length) {
    out.push(tableCaption(`表${city ? 3 : 2}  本期完成状态变化情况（${c.baselineText.replace(/（.*）$/, '')}至${m.meta.asOfText}）`));
    const widths = multi ? [700, 1300, 3244, 1400, 1100, 1100] : [700, 1300, 4644, 1100, 1100];
    const header = ['序号', '任务编号', '试点任务', ...(multi ? ['单位'] : []), '原状态', '现状态'].map((text) => ({ text, align: 'center' as const, bold: true }));
    out.push(
      gridTable({
        widths: widths.map((w) => Math.round((w * TEXT_WIDTH) / widths.reduce((a, b) => a + b, 0))),
        header,
        rows: c.statusMoves.map((r, i) => [
          { text: String(i + 1), align: 'center' as const },
          { text: r.taskId, align: 'center' as const },
          { text: r.shortTitle },
          ...(multi ? [{ text: r.unitName, align: 'center' as const }] : []),
          { text: r.from ?? '', align: 'center' as const },
          { text: r.to ?? '', align: 'center' as const },
        ]),
        size: SIZE.wu,
        line: 300,
      }),
    );
  }
  const listed = (rows: typeof c.newCases, lead: string, detail: (r: (typeof rows)[number]) => string) => {
    if (!rows.length) return;
    const items = rows.slice(0, LIST_CAP).map((r) => `${r.taskId} ${r.shortTitle}${multi ? `（${r.unitName}）` : ''}：${detail(r)}`);
    const more = rows.length > LIST_CAP ? `等，共${rows.length}项` : '';
    out.push(body(`${lead}${items.join('；')}${more}。`));
  };
  listed(c.newCases, '本期新认定的制度创新成果和最佳实践案例：', (r) => r.detail ?? '');
  listed(c.newEvidence, '本期新增的佐证材料：', (r) => r.detail ?? '');
  listed(c.newlyAnnotated, '本期新增填报的任务：', (r) => r.to ?? '');
  return out;
}
