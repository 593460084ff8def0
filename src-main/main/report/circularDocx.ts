/**
 * 情况通报 as a Word document in the 公文 frame of the reports (gongwen.ts: 版头, title, 主送机关,
 * 落款, 附注, 版记 on an even page): 一、报送情况 with one compact table of the units, 二、推进情况,
 * 三、存在问题（退回补充事项） grouped by unit with the supervisor's comments, 四、下步要求. The
 * model is `buildCircularModel` (shared/report/circular.ts).
 */
import type { Paragraph, Table } from 'docx';
import type { CircularModel } from '../../shared/report/circular';
import { submittedText } from '../../shared/report/circular';
import { SIZE, TEXT_WIDTH, body, gridTable, h1, h2, keepWithNext, packDocument, portraitSection, tableCaption } from './docxBlocks';
import { colophonBlocks, headBlocks, resolveForm, signatureBlocks, titleBlocks } from './gongwen';

/** The 主送机关 by default: the units of the round. */
export function circularRecipients(m: CircularModel): string {
  return m.units.map((u) => u.name).join('、');
}

function unitTable(m: CircularModel): Paragraph {
  const w = [2200, 1900, 1200, 1200, 1100, 1244];
  return gridTable({
    widths: w.map((x, i) => (i === 0 ? x + TEXT_WIDTH - w.reduce((a, b) => a + b, 0) : x)),
    header: ['单位', '报送时间', '报送情况', '更新任务', '退回补充', '已超期'].map((text) => ({ text, align: 'center' as const })),
    rows: m.units.map((u) => [
      { text: u.name },
      { text: submittedText(u.firstSubmittedAt), align: 'center' as const },
      { text: u.state === 'onTime' ? '按时' : u.state === 'late' ? '逾期' : '未报', align: 'center' as const },
      { text: u.state === 'missing' ? '—' : String(u.tasksUpdated), align: 'center' as const },
      { text: String(u.returned), align: 'center' as const },
      { text: String(u.overdue), align: 'center' as const },
    ]),
    size: SIZE.wu,
    line: 300,
    centreRows: true,
  });
}

export function circularBlocks(m: CircularModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  out.push(body(`现将「${m.roundName}」各单位报送和审核情况通报如下。`));
  out.push(h1('一、报送情况'));
  m.paragraphs.submissions.forEach((p, i, all) => out.push(i === all.length - 1 ? keepWithNext(body(p)) : body(p)));
  out.push(tableCaption(`表1 「${m.roundName}」各单位报送情况（按时：${m.onTime.length}，逾期：${m.late.length}，未报：${m.missing.length}）`));
  out.push(unitTable(m));
  out.push(h1('二、推进情况'));
  for (const p of m.paragraphs.progress) out.push(body(p));
  out.push(h1('三、存在问题（退回补充事项）'));
  for (const p of m.paragraphs.problems) out.push(body(p));
  m.returns.forEach((r, i) => {
    out.push(h2(`（${'一二三四五六七八九十'[i] ?? String(i + 1)}）${r.unitName}（${r.items.length}项）`));
    r.items.forEach((it, j) => out.push(body(`${j + 1}. ${it.taskId}${it.title}：${it.comment}`)));
  });
  out.push(h1('四、下步要求'));
  m.paragraphs.next.forEach((p, i) => out.push(body(`${'一二三四五六七八九十'[i] ?? String(i + 1)}是${p}`)));
  return out;
}

/** A 情况通报 .docx: the 主送机关 defaults to the round's units, the rest of the form as `resolveForm` does. */
export async function renderCircularDocx(m: CircularModel): Promise<Uint8Array> {
  const form = resolveForm({ kind: 'district', issuer: m.issuer, signDate: m.signDate, form: { ...m.form, recipients: m.form.recipients.trim() || circularRecipients(m) } });
  const bodyPart = circularBlocks(m);
  bodyPart[bodyPart.length - 1] = keepWithNext(bodyPart[bodyPart.length - 1]!);
  const main = [...headBlocks(form, m.issuer), ...titleBlocks(m.title, form), ...bodyPart, ...signatureBlocks({ issuer: m.issuer, signDateText: m.signDateText }, form)];
  return packDocument({ title: m.title, description: `「${m.roundName}」情况通报` }, () => [portraitSection(main), portraitSection(colophonBlocks(form), 'evenPage')]);
}
