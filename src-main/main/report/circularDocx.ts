/**
 * 情况通报 as a Word document in the 公文 frame of the reports (gongwen.ts: 版头, title, 主送机关,
 * 落款, 附注, 版记 on an even page): 一、报送情况 with one compact table of the units, 二、推进情况,
 * 三、存在问题（退回补充事项） grouped by unit with the supervisor's comments, 四、下步要求. The
 * model is `buildCircularModel` (shared/report/circular.ts).
 */
import type { Paragraph, Table } from 'docx';
import type { CircularModel } from '../../shared/report/circular';
import { submittedText } from '../../shared/report/circular';
import { AlignmentType } from 'docx';
import { FONTS, SIZE, TEXT_WIDTH, body, charUnits, runsWithBreaks, emptyLine, gridTable, h1, h2, keepWithNext, packDocument, para, portraitSection, run, tableCaption, titlePara } from './docxBlocks';
import { colophonBlocks, headBlocks, resolveForm, signatureBlocks, type ResolvedForm } from './gongwen';

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
  for (const p of m.paragraphs.submissions) out.push(body(p));
  out.push(tableCaption(`表1 「${m.roundName}」各单位报送情况（按时：${m.onTime.length}，逾期：${m.late.length}，未报：${m.missing.length}）`));
  out.push(unitTable(m));
  out.push(h1('二、推进情况'));
  for (const p of m.paragraphs.progress) out.push(body(p));
  out.push(h1('三、存在问题（退回补充事项）'));
  for (const p of m.paragraphs.problems) out.push(body(p));
  m.returns.forEach((r, i) => {
    out.push(h2(`（${'一二三四五六七八九十'[i] ?? String(i + 1)}）${r.unitName}（${r.items.length}项）`));
    r.items.forEach((it, j) => out.push(body(`${j + 1}. ${it.taskId}${it.title}：${/[。！？.!?]$/.test(it.comment) ? it.comment : `${it.comment}。`}`)));
  });
  out.push(h1('四、下步要求'));
  m.paragraphs.next.forEach((p, i) => out.push(body(`${'一二三四五六七八九十'[i] ?? String(i + 1)}是${p}`)));
  return out;
}

/**
 * The title and the 主送机关 as `titleBlocks` lays them out, the title broken for one character less
 * than the line: LibreOffice sets a quarter character between digits and Chinese, so 「关于2025年6月…
 * 试点任务」, estimated at 19.5 of 20 characters, ran over and left 「务」 alone on a line.
 */
function circularTitleBlocks(title: string, form: ResolvedForm): Paragraph[] {
  const perLine = Math.floor(TEXT_WIDTH / (SIZE.er * 10)) - 1;
  const at = title.indexOf('综合试点');
  const [a, b] = [title.slice(0, at), title.slice(at)];
  // 「关于2025年6月服务业扩大开放 / 综合试点任务推进情况的通报」: both halves words, near the middle.
  const head =
    at > 0 && charUnits(a) <= perLine && charUnits(b) <= perLine
      ? para(runsWithBreaks(`${a}\n${b}`, { font: FONTS.title, size: SIZE.er }), { align: AlignmentType.CENTER, indent: false, line: 700 })
      : titlePara(title, {}, TEXT_WIDTH - SIZE.er * 10);
  const out: Paragraph[] = [head, emptyLine()];
  if (form.recipients) out.push(para([run(`${form.recipients.replace(/[：:]$/, '')}：`)], { indent: false, align: AlignmentType.LEFT }));
  return out;
}

/** A 情况通报 .docx: the 主送机关 defaults to the round's units, the rest of the form as `resolveForm` does. */
export async function renderCircularDocx(m: CircularModel): Promise<Uint8Array> {
  const form = resolveForm({ kind: 'district', issuer: m.issuer, signDate: m.signDate, form: { ...m.form, recipients: m.form.recipients.trim() || circularRecipients(m) } });
  const bodyPart = circularBlocks(m);
  bodyPart[bodyPart.length - 1] = keepWithNext(bodyPart[bodyPart.length - 1]!);
  const main = [...headBlocks(form, m.issuer), ...circularTitleBlocks(m.title, form), ...bodyPart, ...signatureBlocks({ issuer: m.issuer, signDateText: m.signDateText }, form)];
  return packDocument({ title: m.title, description: `「${m.roundName}」情况通报` }, () => [portraitSection(main), portraitSection(colophonBlocks(form), 'evenPage')]);
}
