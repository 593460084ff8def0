/**
 * `bundle verify FILE`, `bundle merge A B … --out FILE` and `demo …`: the bundle code of the app
 * (src-main/shared/bundle), run from a terminal. Node is allowed here (files); the checks are exactly
 * the pure code the renderer's worker runs, and the merge is the app's import service over a memory
 * store (cli/bundleStore.ts).
 *
 *   bundle verify FILE                      exit 0 + summary, or exit 1 + the reason
 *   bundle merge A B … --out FILE [--prefer theirs|mine] [--author NAME] [--unit CODE] [--now ISO]
 *   demo --units N --seed S --out FILE [--revisions R] [--log L] [--attachments K]
 *        [--variant district|reviewer] [--now ISO]
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../../main/services/corpus';
import { writeFileAtomic } from '../../main/services/files';
import { appVersion } from '../../main/services/version';
import { DEFAULT_UNITS, UNIT_CODE_PATTERN, type Author } from '../../shared/domain';
import type { Corpus } from '../../shared/corpus/types';
import { DEMO_DEFAULT_NOW, makeDemoData } from '../../shared/bundle/demo';
import type { BundleContent } from '../../shared/bundle/format';
import { readBundle } from '../../shared/bundle/read';
import { selectForExport, writeBundle } from '../../shared/bundle/write';
import { BUNDLE_CAPS } from '../../shared/bundle/zip';
import { fail, type Result } from '../../shared/result';
import { beijingClock, cnDate, formatTime } from '../../shared/time';
import { readAllRecords } from '../../shared/services/exportService';
import { createCombiner } from '../bundleStore';
import type { CliIo } from '../io';

export const BUNDLE_USAGE = `  bundle verify FILE       校验批注包：通过时输出概要（退出码 0），否则输出原因（退出码 1）
  bundle merge A B … --out FILE [--prefer theirs|mine] [--author 姓名] [--unit 单位代码]
                           按修订历史依次合并多个批注包并导出；字段冲突默认采用后导入的一方（theirs）
  demo --units N --seed S --out FILE [--revisions R] [--log L] [--attachments K] [--variant district|reviewer]
                           生成确定性的演示批注包（同一 seed 输出逐字节相同）
  示例：npm run -s cli -- demo --units 3 --seed 1 --out demo.pilotbundle
        npm run -s cli -- bundle verify demo.pilotbundle
        npm run -s cli -- bundle merge 玄武区.pilotbundle 秦淮区.pilotbundle --out 合并.pilotbundle
`;

const SCOPE_LABELS = { all: '全部', units: '指定单位', since: '某时间以来的更新' } as const;
const KIND_LABELS = { bundle: '批注包', submission: '报送文件', review: '审核文件' } as const;
const ROLE_LABELS = { official: '区级经办人', supervisor: '市级督办' } as const;

const n = (x: number) => x.toLocaleString('en-US');

function corpusOrFail(io: CliIo): Corpus | null {
  const c = loadCorpus();
  if (!c.ok) {
    io.err(`错误：${c.error.message}\n`);
    return null;
  }
  return c.value;
}

/** Reads a bundle file (size-capped before reading) and checks it. */
export function readBundleFile(file: string, corpus: Corpus): Result<BundleContent> {
  if (!existsSync(file)) return fail('bundle.file_missing', `找不到文件「${file}」。`);
  let bytes: Uint8Array;
  try {
    const size = statSync(file).size;
    if (size > BUNDLE_CAPS.maxInputBytes) {
      return fail('bundle.too_large', `批注包文件过大（${Math.round(size / 1048576)} MB，上限 ${BUNDLE_CAPS.maxInputBytes / 1048576} MB），无法导入。`);
    }
    // A view of the file's buffer, not a second copy of it.
    const buf = readFileSync(file);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    return fail('bundle.file_unreadable', `无法读取文件「${file}」，请确认它是一个可以打开的文件。`, String(e));
  }
  return readBundle(bytes, { corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });
}

function reason(e: { message: string; code: string; detail?: string }): string {
  return `${e.message}\n（${e.code}${e.detail ? `：${e.detail}` : ''}）\n`;
}

export function bundleSummary(file: string, b: BundleContent): string {
  const m = b.manifest;
  const unitName = new Map([...DEFAULT_UNITS, ...b.units].map((u) => [u.code, u.name]));
  const names = m.unitCodes.map((c) => unitName.get(c) ?? c);
  const kind = m.kind ?? 'bundle';
  const round = m.round ? b.rounds?.find((r) => r.id === m.round!.roundId) : undefined;
  return [
    `批注包校验通过：${basename(file)}`,
    // The role is what the sender's profile declares: files are not signed yet.
    `  文件类型：${KIND_LABELS[kind]}（导出账户：${ROLE_LABELS[m.role ?? 'official']}，未签名）`,
    ...(m.round
      ? [`  填报轮次：${round?.name ?? m.round.roundId}（${m.round.roundId}）· 单位：${unitName.get(m.round.unitCode) ?? m.round.unitCode}${m.round.reviewId ? ` · 审核编号：${m.round.reviewId}` : ''}`]
      : []),
    `  导出人：${m.author.name}（${unitName.get(m.author.unitCode) ?? m.author.unitCode}）`,
    `  导出时间：${formatTime(m.createdAt)}`,
    `  导出范围：${SCOPE_LABELS[m.scope]}${m.since ? `（${cnDate(m.since)} ${beijingClock(m.since)} 以来，北京时间）` : ''}`,
    `  软件版本：${m.appVersion}，格式版本：${m.formatVersion}`,
    `  试点方案版本：${m.corpusHash.slice(0, 12)}`,
    `  单位（${names.length}）：${names.join('、') || '无'}`,
    `  批注 ${n(m.counts.annotations)} 条 · 修订记录 ${n(m.counts.revisions)} 条 · 进展记录 ${n(m.counts.logEntries)} 条 · 佐证材料 ${n(m.counts.evidence)} 条 · 附件 ${n(m.counts.attachments)} 个`,
    ...(b.snapshots?.length ? [`  评估期 ${n(b.periods?.length ?? 0)} 个 · 快照 ${n(b.snapshots.length)} 份`] : []),
    ...(b.rounds?.length || b.submissions?.length || b.reviews?.length
      ? [`  填报轮次 ${n(b.rounds?.length ?? 0)} 个 · 报送记录 ${n(b.submissions?.length ?? 0)} 条 · 审核意见 ${n(b.reviews?.length ?? 0)} 条`]
      : []),
    '',
  ].join('\n');
}

export async function bundleCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) {
      io.err(`用法：bundle verify FILE\n`);
      return 2;
    }
    const corpus = corpusOrFail(io);
    if (!corpus) return 1;
    const file = positionals[0]!;
    const r = readBundleFile(file, corpus);
    if (!r.ok) {
      io.err(`批注包校验未通过：${basename(file)}\n${reason(r.error)}`);
      return 1;
    }
    io.out(bundleSummary(file, r.value));
    return 0;
  }
  if (sub === 'merge') return mergeCommand(rest, io);
  io.err(`用法：\n${BUNDLE_USAGE}`);
  return 2;
}

async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      prefer: { type: 'string', default: 'theirs' },
      author: { type: 'string', default: '命令行合并' },
      unit: { type: 'string', default: 'SJBM' },
      now: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.out || positionals.length === 0) {
    io.err(`用法：bundle merge A B … --out FILE [--prefer theirs|mine]\n`);
    return 2;
  }
  if (values.prefer !== 'theirs' && values.prefer !== 'mine') {
    io.err(`参数错误：--prefer 只能是 theirs（采用后导入的一方）或 mine（保留先导入的一方）\n`);
    return 2;
  }
  if (!UNIT_CODE_PATTERN.test(values.unit)) {
    io.err(`参数错误：单位代码「${values.unit}」无效\n`);
    return 2;
  }
  const now = values.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now)) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(now)) {
    io.err(`参数错误：--now 须为 ISO 时间（如 2025-06-30T08:00:00.000Z）\n`);
    return 2;
  }
  const prefer = values.prefer;
  const author: Author = { name: values.author, unitCode: values.unit };
  const corpus = corpusOrFail(io);
  if (!corpus) return 1;

  // Each file is imported into one memory store by the app's own import service, so the result
  // is what a supervisor's app would hold after importing them in this order.
  const combined = createCombiner({ prefer, author, now: new Date(now), mergesDated: 'now' });
  let conflictFields = 0;
  let conflictKeys = 0;
  for (const file of positionals) {
    const r = readBundleFile(file, corpus);
    if (!r.ok) {
      io.err(`批注包「${basename(file)}」校验未通过，未输出任何文件：\n${reason(r.error)}`);
      return 1;
    }
    const imported = await combined.add(basename(file), r.value);
    if (!imported.ok) {
      io.err(`合并「${basename(file)}」时出错：${reason(imported.error)}`);
      return 1;
    }
    const plan = imported.value;
    const t = plan.counts.total;
    const fields = plan.keys.reduce((s, k) => s + k.conflicts.length, 0);
    conflictFields += fields;
    conflictKeys += t.conflicts;
    io.out(
      `「${basename(file)}」：批注 新增 ${n(t.new)}，更新 ${n(t.updated)}，未变 ${n(t.unchanged)}，冲突 ${n(t.conflicts)}` +
        `${fields ? `（${n(fields)} 个字段）` : ''}；进展记录 新增 ${n(plan.counts.logEntries.added)}，更新 ${n(plan.counts.logEntries.updated)}；` +
        `佐证材料 新增 ${n(plan.counts.evidence.added)}，更新 ${n(plan.counts.evidence.updated)}；附件 新增 ${n(plan.counts.attachments)}\n`,
    );
  }
  const how = prefer === 'theirs' ? '采用后导入的批注包（theirs）' : '保留先导入的内容（mine）';
  io.out(
    conflictFields
      ? `共 ${n(conflictKeys)} 条批注存在 ${n(conflictFields)} 处字段冲突，已按「${how}」处理；双方修订均保留在历史中。\n`
      : '没有字段冲突。\n',
  );

  // Everything the store now holds, read as the app reads its database for an export.
  const { files, ...records } = await readAllRecords(combined.store);
  const selected = selectForExport({ ...records, attachments: await combined.store.attachments.bytes(files) }, { scope: 'all' });
  if (!selected.ok) {
    io.err(`导出合并结果时出错：${reason(selected.error)}`);
    return 1;
  }
  const bytes = writeBundle({ ...selected.value, manifest: { appVersion: appVersion(), corpusHash: corpus.hash, author, createdAt: now, scope: 'all' } });
  const written = await writeFileAtomic(values.out, bytes);
  if (!written.ok) {
    io.err(`错误：${written.error.message}\n`);
    return 1;
  }
  const s = selected.value;
  io.out(
    `已写出合并后的批注包：${values.out}（${n(bytes.length)} 字节；批注 ${n(s.annotations.length)} 条，修订记录 ${n(s.revisions.length)} 条，` +
      `进展记录 ${n(s.logEntries.length)} 条，佐证材料 ${n(s.evidence.length)} 条，附件 ${n(s.attachments.size)} 个）\n`,
  );
  return 0;
}

/** An integer option within bounds; a Chinese reason otherwise. */
function intOption(name: string, value: string | undefined, min: number, max: number, fallback?: number): number | string {
  if (value === undefined) return fallback ?? `缺少参数 --${name}`;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) return `参数 --${name} 须为 ${min} 到 ${max} 之间的整数`;
  return Number(value);
}

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      units: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      revisions: { type: 'string' },
      log: { type: 'string' },
      attachments: { type: 'string' },
      variant: { type: 'string', default: 'district' },
      now: { type: 'string' },
    },
    strict: true,
  });
  const nums = {
    units: intOption('units', values.units, 1, 13),
    seed: intOption('seed', values.seed, 0, 4294967295),
    revisions: intOption('revisions', values.revisions, 1, 500, 4),
    log: intOption('log', values.log, 0, 500, 2),
    attachments: intOption('attachments', values.attachments, 0, 4000, 6),
  };
  for (const v of Object.values(nums)) {
    if (typeof v === 'string') {
      io.err(`参数错误：${v}\n用法：\n${BUNDLE_USAGE}`);
      return 2;
    }
  }
  const num = nums as Record<keyof typeof nums, number>;
  if (!values.out) {
    io.err(`参数错误：缺少 --out FILE\n`);
    return 2;
  }
  if (values.variant !== 'district' && values.variant !== 'reviewer') {
    io.err(`参数错误：--variant 只能是 district 或 reviewer\n`);
    return 2;
  }
  const now = values.now ?? DEMO_DEFAULT_NOW;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(now) || Number.isNaN(Date.parse(now)) || now < '2023-06-01') {
    io.err(`参数错误：--now 须为 2023 年 6 月以后的 ISO 时间（如 2025-06-30T08:00:00.000Z）\n`);
    return 2;
  }
  const corpus = corpusOrFail(io);
  if (!corpus) return 1;
  const demo = makeDemoData({
    units: num.units,
    seed: num.seed,
    corpus,
    revisionsPerAnnotation: num.revisions,
    logEntriesPerAnnotation: num.log,
    attachments: num.attachments,
    variant: values.variant,
    now,
    appVersion: appVersion(),
  });
  const bytes = writeBundle(demo);
  const written = await writeFileAtomic(values.out, bytes);
  if (!written.ok) {
    io.err(`错误：${written.error.message}\n`);
    return 1;
  }
  io.out(
    `已生成演示批注包：${values.out}（${n(bytes.length)} 字节；${demo.units.length} 个单位，批注 ${n(demo.annotations.length)} 条，` +
      `修订记录 ${n(demo.revisions.length)} 条，进展记录 ${n(demo.logEntries.length)} 条，佐证材料 ${n(demo.evidence.length)} 条，附件 ${n(demo.attachments.size)} 个）\n`,
  );
  return 0;
}
