/**
 * `round list` and `round status`: the 填报轮次 and 报送情况 that the given bundles carry (a
 * supervisor's full bundle or backup holds every round and every receipt it imported), computed by
 * the same rules as the app (src-main/shared/rounds/model.ts).
 *
 *   round list --bundle FILE [--bundle FILE …]
 *   round status --bundle FILE [--bundle FILE …] [--round ID]
 *   round circular --bundle FILE [--bundle FILE …] --round ID --out FILE.docx [公文 flags]
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../../main/services/corpus';
import { DEFAULT_UNITS } from '../../shared/domain';
import { SUBMISSION_STATE_LABELS, newerRound, roundStatus, urgeText } from '../../shared/rounds/model';
import type { Round, Submission } from '../../shared/rounds/schema';
import { cnDate, formatTime } from '../../shared/time';
import type { CliIo } from '../io';
import { readBundleFile } from './bundle';
import { isIsoDate, type Annotation } from '../../shared/domain';
import type { ReviewDecision } from '../../shared/rounds/schema';
import { buildCircularModel } from '../../shared/report/circular';
import { EMPTY_FORM, type GongwenForm } from '../../shared/report/draft';
import { checkForm, normaliseDocNumber } from '../../main/report/gongwen';
import { renderCircularDocx } from '../../main/report/circularDocx';
import { writeFileAtomic } from '../../main/services/files';

export const ROUND_USAGE = `  round list --bundle FILE [--bundle FILE …]
                           列出批注包中的填报轮次
  round status --bundle FILE [--bundle FILE …] [--round 轮次编号]
                           各单位报送情况：按时报送 / 逾期报送 / 未报送，更新任务数，并给出催报名单
  round circular --bundle FILE [--bundle FILE …] --round 轮次编号 --out FILE.docx
           [--as-of 日期（超期按此日计，默认截止日期）] [--sign-date 成文日期] [--issuer 发文机关]
           [--recipients 主送机关（默认本轮各报送单位）] [--org-mark 发文机关标志] [--doc-number 宁试点办〔2026〕5号]
           [--signer 签发人] [--seal] [--note 附注] [--copy-to 抄送机关] [--printer 印发机关] [--print-date 印发日期]
                           生成本轮情况通报（Word，公文格式）：报送情况、推进情况、退回补充事项、下步要求
`;

export async function roundCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'status' && sub !== 'circular') {
    io.err(`用法：\n${ROUND_USAGE}`);
    return 2;
  }
  if (sub === 'circular') return circularCommand(rest, io);
  const { values } = parseArgs({ args: rest, options: { bundle: { type: 'string', multiple: true }, round: { type: 'string' } }, strict: true });
  const files = values.bundle ?? [];
  if (files.length === 0 || (sub === 'list' && values.round)) {
    io.err(`用法：\n${ROUND_USAGE}`);
    return 2;
  }
  const c = loadCorpus();
  if (!c.ok) {
    io.err(`错误：${c.error.message}\n`);
    return 1;
  }
  const rounds = new Map<string, Round>();
  const submissions = new Map<string, Submission>();
  const unitName = new Map(DEFAULT_UNITS.map((u) => [u.code, u.name]));
  for (const file of files) {
    const r = readBundleFile(file, c.value);
    if (!r.ok) {
      io.err(`批注包校验未通过：${basename(file)}\n${r.error.message}\n`);
      return 1;
    }
    for (const u of r.value.units) if (!unitName.has(u.code)) unitName.set(u.code, u.name);
    for (const x of r.value.rounds ?? []) {
      const had = rounds.get(x.id);
      rounds.set(x.id, had ? newerRound(had, x) : x);
    }
    for (const s of r.value.submissions ?? []) submissions.set(s.id, s);
  }
  const name = (code: string) => unitName.get(code) ?? code;
  const list = [...rounds.values()].sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : 0));
  if (sub === 'list') {
    if (list.length === 0) {
      io.out('批注包中没有填报轮次。\n');
      return 0;
    }
    for (const r of list) {
      io.out(`${r.id}  ${r.name}  截止 ${cnDate(r.dueDate)}  表${r.tables.join('、')}  单位 ${r.unitCodes.length} 个  发布人 ${r.createdBy.name}\n`);
    }
    return 0;
  }
  const chosen = values.round ? list.filter((r) => r.id === values.round) : list;
  if (values.round && chosen.length === 0) {
    io.err(`批注包中没有编号为「${values.round}」的填报轮次。\n`);
    return 1;
  }
  if (chosen.length === 0) {
    io.out('批注包中没有填报轮次。\n');
    return 0;
  }
  const all = [...submissions.values()];
  for (const r of chosen) {
    io.out(`${r.name}（${r.id}）· 截止 ${cnDate(r.dueDate)}\n`);
    const rows = roundStatus(r, all);
    for (const s of rows) {
      const when = s.latest ? `  ${formatTime(s.latest.submittedAt)}${s.count > 1 ? `（共报送 ${s.count} 次）` : ''}` : '';
      io.out(`  ${name(s.unitCode)}\t${SUBMISSION_STATE_LABELS[s.state]}\t更新任务 ${s.tasksUpdated} 项${when}\n`);
    }
    const counts = { onTime: 0, late: 0, missing: 0 };
    for (const s of rows) counts[s.state]++;
    io.out(`  合计：按时报送 ${counts.onTime} 个，逾期报送 ${counts.late} 个，未报送 ${counts.missing} 个\n`);
    const urge = urgeText(r, rows.filter((s) => s.state === 'missing').map((s) => s.unitCode), name);
    if (urge) io.out(`  ${urge}\n`);
  }
  return 0;
}

const CIRCULAR_OPTIONS = {
  bundle: { type: 'string', multiple: true },
  round: { type: 'string' },
  out: { type: 'string' },
  'as-of': { type: 'string' },
  'sign-date': { type: 'string' },
  issuer: { type: 'string' },
  recipients: { type: 'string' },
  'org-mark': { type: 'string' },
  'doc-number': { type: 'string' },
  signer: { type: 'string' },
  seal: { type: 'boolean' },
  note: { type: 'string' },
  'copy-to': { type: 'string' },
  printer: { type: 'string' },
  'print-date': { type: 'string' },
} as const;

/** `round circular`: the 情况通报 of one round from the bundles' rounds, receipts, decisions and annotations. */
async function circularCommand(args: string[], io: CliIo): Promise<number> {
  const usage = (why: string) => {
    io.err(`错误：${why}\n用法：\n${ROUND_USAGE}`);
    return 2;
  };
  let values;
  try {
    values = parseArgs({ args, options: CIRCULAR_OPTIONS, strict: true }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
  const files = values.bundle ?? [];
  if (files.length === 0) return usage('请用 --bundle 给出批注包');
  if (!values.round) return usage('请用 --round 给出轮次编号（round list 可列出）');
  if (!values.out) return usage('请用 --out 给出输出文件（.docx）');
  for (const f of ['as-of', 'sign-date', 'print-date'] as const) {
    const v = values[f];
    if (v !== undefined && !isIsoDate(v)) return usage(`--${f} 须为日期，如 2026-11-15`);
  }
  const docNumberText = values['doc-number'];
  const docNumber = docNumberText === undefined || docNumberText.trim() === '' ? '' : normaliseDocNumber(docNumberText);
  if (docNumber === null) return usage(`--doc-number「${docNumberText}」不是发文字号：应如「宁试点办〔2026〕5号」`);
  const hasHeader = values['org-mark'] !== undefined || docNumberText !== undefined || values.signer !== undefined;
  const form: GongwenForm = {
    ...EMPTY_FORM,
    recipients: values.recipients ?? '',
    header: hasHeader ? { orgMark: values['org-mark'] ?? '', docNumber, signer: values.signer ?? '' } : null,
    seal: values.seal ?? false,
    note: values.note ?? '',
    copyTo: values['copy-to'] ?? '',
    printer: values.printer ?? '',
    printDate: values['print-date'] ?? null,
  };
  const problems = checkForm(form);
  if (problems.length) return usage(problems.join(''));
  const c = loadCorpus();
  if (!c.ok) {
    io.err(`错误：${c.error.message}\n`);
    return 1;
  }
  const rounds = new Map<string, Round>();
  const submissions = new Map<string, Submission>();
  const reviews = new Map<string, ReviewDecision>();
  const annotations = new Map<string, Annotation>();
  const unitName = new Map(DEFAULT_UNITS.map((u) => [u.code, u.name]));
  for (const file of files) {
    const r = readBundleFile(file, c.value);
    if (!r.ok) {
      io.err(`批注包校验未通过：${basename(file)}\n${r.error.message}\n`);
      return 1;
    }
    for (const u of r.value.units) if (!unitName.has(u.code)) unitName.set(u.code, u.name);
    for (const x of r.value.rounds ?? []) {
      const had = rounds.get(x.id);
      rounds.set(x.id, had ? newerRound(had, x) : x);
    }
    for (const s of r.value.submissions ?? []) submissions.set(s.id, s);
    for (const d of r.value.reviews ?? []) reviews.set(d.id, d);
    for (const a of r.value.annotations) {
      const had = annotations.get(a.key);
      if (!had || a.updatedAt > had.updatedAt) annotations.set(a.key, a);
    }
  }
  const round = rounds.get(values.round);
  if (!round) {
    io.err(`批注包中没有编号为「${values.round}」的填报轮次。\n`);
    return 1;
  }
  const model = buildCircularModel({
    round,
    submissions: [...submissions.values()],
    reviews: [...reviews.values()],
    annotations: [...annotations.values()],
    units: [...unitName].map(([code, name]) => ({ code, name })),
    tasks: c.value.tasks,
    asOf: values['as-of'],
    signDate: values['sign-date'],
    issuer: values.issuer,
    form,
  });
  const written = await writeFileAtomic(values.out, await renderCircularDocx(model));
  if (!written.ok) {
    io.err(`错误：${written.error.message}\n`);
    return 1;
  }
  io.out(
    `已生成：${values.out}（「${round.name}」情况通报：按时报送 ${model.onTime.length} 个，逾期报送 ${model.late.length} 个，未报送 ${model.missing.length} 个，` +
      `退回补充 ${model.returnedCount} 项，已超期任务 ${model.overdue.length} 项）\n`,
  );
  return 0;
}
