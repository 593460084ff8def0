/**
 * `round list` and `round status`: the 填报轮次 and 报送情况 that the given bundles carry (a
 * supervisor's full bundle or backup holds every round and every receipt it imported), computed by
 * the same rules as the app (src-main/shared/rounds/model.ts).
 *
 *   round list --bundle FILE [--bundle FILE …]
 *   round status --bundle FILE [--bundle FILE …] [--round ID]
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

export const ROUND_USAGE = `  round list --bundle FILE [--bundle FILE …]
                           列出批注包中的填报轮次
  round status --bundle FILE [--bundle FILE …] [--round 轮次编号]
                           各单位报送情况：按时报送 / 逾期报送 / 未报送，更新任务数，并给出催报名单
`;

export async function roundCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'status') {
    io.err(`用法：\n${ROUND_USAGE}`);
    return 2;
  }
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
