/**
 * `report` and `ledger`: Word reports and the Excel ledger from one or more bundles, for report
 * authors who script. Bundles are read and checked with the same code as the app's import
 * (`readBundle`) and combined by the app's import service, by revision ancestry (`readBundles`).
 *
 *   report --kind district|city|ledger|cases --bundle FILE… [--unit CODE]… [--table N]… [--status S]…
 *          [--as-of DATE] [--sign-date DATE] [--title T] [--issuer I] [--seed FILE]
 *          [--since SNAPSHOT|PERIOD] [--accepted-only] --out FILE.docx
 *   report --draft FILE.json --bundle FILE… [--since SNAPSHOT|PERIOD] --out FILE.docx
 *   ledger --bundle FILE… [--unit CODE]… [--as-of DATE] [--title T] [--issuer I] [--accepted-only] --out FILE.xlsx
 *
 * `--accepted-only`: each task as it was in its last 报送 the supervisor accepted (通过 / 销号), the
 * rest left out (rounds/accepted.ts); the 说明 says so. An approved 延期申请 moves the deadline in
 * every report (the ledger prints the old one beside it).
 *
 * Exit codes: 0 written; 1 the data cannot give a report (bad bundle, empty scope …); 2 usage.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { STATUSES, STATUS_LABELS, isIsoDate, type Annotation, type Author, type Evidence, type LogEntry, type Status, type Unit } from '../../shared/domain';
import { issuerOf } from '../../shared/rules';
import { chinaToday, cnDate } from '../../shared/time';
import type { Corpus } from '../../shared/corpus/types';
import { fail, ok, type Result } from '../../shared/result';
import { readBundle } from '../../shared/bundle/read';
import { readAllRecords } from '../../shared/services/exportService';
import { asOfWarning, buildReportModel, newestDataDate, type ReportKind } from '../../shared/report/model';
import { MAX_DRAFT_FILE_BYTES, parseDraftFile, type DraftFile } from '../../shared/report/draftSchema';
import { refreshFigures } from '../../shared/report/generate';
import { EMPTY_FORM, type GongwenForm } from '../../shared/report/draft';
import { checkForm, normaliseDocNumber } from '../../main/report/gongwen';
import type { Period, Snapshot } from '../../shared/snapshot/model';
import type { ChangesBaseline } from '../../shared/snapshot/report';
import { historiesFromRevisions, reportMonthlySeries, type StatusHistory } from '../../shared/dashboard/monthly';
import { loadCorpus, loadCorpusFile } from '../../main/services/corpus';
import { writeFileAtomic } from '../../main/services/files';
import { appVersion } from '../../main/services/version';
import { renderReportDocx } from '../../main/report/docx';
import { renderCasesDocx, writtenCases } from '../../main/report/cases';
import { renderLedgerXlsx } from '../../main/report/xlsx';
import { conflictLines, createCombiner, type ConflictNote } from '../bundleStore';
import type { CliIo } from '../io';
import type { Revision } from '../../shared/domain';
import type { ReviewDecision, Submission } from '../../shared/rounds/schema';
import { acceptedData } from '../../shared/rounds/accepted';

export const REPORT_USAGE = `  report --kind district|city|ledger|cases --bundle FILE… --out FILE.docx
                           生成 Word 报告（区级推进情况报告 / 全市汇总暨三年评估报告 / 任务清单推进情况表 / 典型案例汇编）
           [--unit CODE]… [--table N]… [--status 状态]… [--as-of 2025-03-05] [--sign-date 日期]
           [--title 标题] [--issuer 发文机关]
           [--since 快照编号或评估期名称]   加「本期变化情况」：与该快照比较（评估期名称取其最近一份快照）
           [--accepted-only]        仅计入经审核通过（含销号）的数据：每项任务按最后一次审核通过的报送时的状态计
           公文格式（区级、全市报告）：[--recipients 主送机关] [--org-mark 发文机关标志] [--doc-number 玄政发〔2025〕12号]
           [--signer 签发人（上行文）] [--seal 加盖印章] [--note 附注，如“联系人：张三，电话：025-12345678”]
           [--copy-to 抄送机关] [--printer 印发机关] [--print-date 印发日期]
           主送机关默认：区级报告为南京市服务业扩大开放综合试点工作领导小组办公室，全市报告为商务部；
           印发机关默认为发文机关的办公室，印发日期默认同成文日期；给出发文字号、发文机关标志或签发人时印版头
  report --draft 草稿.json --bundle FILE… --out FILE.docx
                           按软件中「报告起草」导出的草稿生成报告：正文为作者所写，数字按批注包的数据刷新后写入；
                           报告种类、范围、日期、标题和公文要素取自草稿（不能再给 --kind 以外的范围和日期参数）
           数据截至日期 --as-of 默认为所选数据的最后更新日期（北京时间），成文日期 --sign-date 默认同 --as-of；
           --as-of 晚于最后更新日期时给出提示
           多个批注包按给出的顺序、按修订历史合并（与软件导入相同）；同一字段两处改法不同时保留先给出的，并逐项列出
  ledger --bundle FILE… --out FILE.xlsx [--unit CODE]… [--as-of 日期] [--title 标题] [--accepted-only]
                           生成任务清单推进情况表（Excel）
`;

export interface CombinedData {
  units: Unit[];
  annotations: Annotation[];
  logEntries: LogEntry[];
  evidence: Evidence[];
  /** The version of this program (it generates the report). */
  appVersion: string;
  /** Status per revision, for the report's progress-over-time chart. */
  histories?: StatusHistory[];
  /** Evaluation periods (each in its newest version) and snapshots the bundles carry. */
  periods?: Period[];
  snapshots?: Snapshot[];
  /** Fields both an earlier bundle and a later one changed: the earlier one's value was kept. */
  conflicts: ConflictNote[];
  /** Every revision, receipt and review decision (accepted-only reports, approved extensions). */
  revisions?: Revision[];
  submissions?: Submission[];
  reviews?: ReviewDecision[];
}

/** Who signs the merge revisions the combination makes (they stay in memory; nothing is written). */
const COMBINER: Author = { name: '命令行报告', unitCode: 'SJBM' };

/**
 * Reads and checks each bundle, then imports them in the order given, as the app would: by revision
 * ancestry (one side descends from the other: the newer edit wins; histories diverged: a field-level
 * three-way merge). A field changed differently in two bundles keeps the value of the bundle given
 * first, and is listed in `conflicts`. A merged annotation is dated by its merge revision (the later
 * side's edit), so the same files give the same report whenever it runs.
 */
export async function readBundles(files: string[], corpus: Corpus): Promise<Result<CombinedData>> {
  const combined = createCombiner({ prefer: 'mine', author: COMBINER, now: new Date(), mergesDated: 'merge' });
  const taskIds = new Set(corpus.tasks.map((t) => t.id));
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (e) {
      return fail('report.bundle_unreadable', `无法读取批注包「${file}」：文件不存在或没有读取权限。`, String(e));
    }
    const r = readBundle(bytes, { corpusHash: corpus.hash, taskIds });
    if (!r.ok) return fail(r.error.code, `批注包「${basename(file)}」无法使用：${r.error.message}`, r.error.detail);
    const imported = await combined.add(basename(file), r.value);
    if (!imported.ok) return fail(imported.error.code, `批注包「${basename(file)}」无法与前面的批注包合并：${imported.error.message}`, imported.error.detail);
  }
  const store = combined.store;
  const { units, annotations, logEntries, evidence, revisions, periods, snapshots, submissions, reviews } = await readAllRecords(store);
  return ok({
    units: units.sort((a, b) => a.order - b.order || a.code.localeCompare(b.code)),
    annotations,
    logEntries,
    evidence,
    appVersion: appVersion(),
    histories: historiesFromRevisions(revisions),
    periods,
    snapshots: snapshots.sort((a, b) => a.frozenAt.localeCompare(b.frozenAt)),
    conflicts: combined.conflicts,
    revisions,
    submissions,
    reviews,
  });
}

/**
 * The snapshot that `--since` names: a snapshot id, or a period name (its latest snapshot). An
 * unknown name is a Chinese error listing the snapshots there are.
 */
export function findBaseline(since: string, data: Pick<CombinedData, 'periods' | 'snapshots'>): Result<ChangesBaseline & { snapshotId: string }> {
  const snapshots = data.snapshots ?? [];
  const periods = new Map((data.periods ?? []).map((p) => [p.id, p]));
  const name = (s: Snapshot) => periods.get(s.periodId)?.name ?? s.periodId;
  const baseline = (s: Snapshot) => ok({ snapshotId: s.id, periodName: name(s), frozenAt: s.frozenAt, entries: s.entries });
  const wanted = since.trim();
  const byId = snapshots.find((s) => s.id === wanted);
  if (byId) return baseline(byId);
  const named = [...periods.values()].filter((p) => p.name === wanted);
  if (named.length > 1) {
    return fail('report.snapshot_ambiguous', `有 ${named.length} 个评估期都叫「${wanted}」，请改用快照编号指定：\n${snapshotList(snapshots, name)}`);
  }
  const ofPeriod = named.length ? snapshots.filter((s) => s.periodId === named[0]!.id) : [];
  if (ofPeriod.length) return baseline(ofPeriod[ofPeriod.length - 1]!);
  if (named.length) return fail('report.snapshot_not_found', `评估期「${wanted}」还没有冻结快照，无法生成「本期变化情况」。`);
  if (!snapshots.length) return fail('report.snapshot_not_found', `找不到快照「${wanted}」：所给批注包中没有任何快照（快照在软件的「评估期与快照」中冻结，随批注包导出）。`);
  return fail('report.snapshot_not_found', `找不到快照「${wanted}」。所给批注包中的快照有：\n${snapshotList(snapshots, name)}`);
}

function snapshotList(snapshots: readonly Snapshot[], name: (s: Snapshot) => string): string {
  return snapshots.map((s) => `  「${name(s)}」  ${cnDate(s.frozenAt)}冻结（${s.author.name}）  编号 ${s.id}`).join('\n');
}

/** 发文机关 when none is given: the one unit's (`issuerOf`), else — a city report, several units — 南京市商务局. */
export function defaultIssuer(kind: ReportKind, units: Unit[]): string {
  return issuerOf(kind === 'city' || units.length !== 1 ? null : units[0]);
}

function statusFrom(s: string): Status | null {
  if ((STATUSES as readonly string[]).includes(s)) return s as Status;
  return STATUSES.find((k) => STATUS_LABELS[k] === s) ?? null;
}

interface Parsed {
  kind: ReportKind | 'cases';
  bundles: string[];
  units: string[];
  tables: number[];
  statuses: Status[];
  /** Undefined: the newest data in scope (`newestDataDate`). */
  asOf: string | undefined;
  /** Undefined: the as-of date. */
  signDate: string | undefined;
  title: string;
  issuer: string | undefined;
  seed: string | undefined;
  since: string | undefined;
  form: GongwenForm;
  /** `--draft`: a draft exported from the app; its kind, scope, dates and form replace the flags'. */
  draft: string | undefined;
  /** `--kind` was given (with `--draft` it must then match the draft's). */
  kindGiven: boolean;
  /** `--accepted-only`: accepted data only. */
  acceptedOnly: boolean;
  out: string;
}

function parse(args: string[], command: 'report' | 'ledger', io: CliIo): Parsed | number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      kind: { type: 'string' },
      bundle: { type: 'string', multiple: true },
      unit: { type: 'string', multiple: true },
      table: { type: 'string', multiple: true },
      status: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
      'sign-date': { type: 'string' },
      title: { type: 'string' },
      issuer: { type: 'string' },
      seed: { type: 'string' },
      since: { type: 'string' },
      'accepted-only': { type: 'boolean' },
      recipients: { type: 'string' },
      'org-mark': { type: 'string' },
      'doc-number': { type: 'string' },
      signer: { type: 'string' },
      seal: { type: 'boolean' },
      note: { type: 'string' },
      'copy-to': { type: 'string' },
      printer: { type: 'string' },
      'print-date': { type: 'string' },
      draft: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const usage = (msg: string) => {
    io.err(`参数错误：${msg}\n\n用法 / usage:\n${REPORT_USAGE}`);
    return 2;
  };
  if (values.draft !== undefined) {
    if (command === 'ledger') return usage('--draft 只用于 report');
    if (values.kind !== undefined && values.kind !== 'district' && values.kind !== 'city') return usage('--draft 的草稿是区级报告或全市报告（--kind district 或 city，或省略 --kind）');
    const taken = (['unit', 'table', 'status', 'as-of', 'sign-date', 'title', 'issuer'] as const).filter((k) => values[k] !== undefined);
    if (taken.length) return usage(`使用 --draft 时，范围、日期、标题和发文机关取自草稿，不能再给 ${taken.map((k) => `--${k}`).join('、')}`);
    if (values.draft.trim() === '') return usage('--draft 须为草稿文件（.json）');
  }
  const kind = command === 'ledger' ? 'ledger' : values.draft !== undefined ? (values.kind ?? 'district') : values.kind;
  if (kind !== 'district' && kind !== 'city' && kind !== 'ledger' && kind !== 'cases') return usage('--kind 须为 district、city、ledger 或 cases');
  const bundles = [...(values.bundle ?? []), ...positionals];
  if (!bundles.length) return usage('请用 --bundle 指定至少一个批注包');
  if (!values.out) return usage('请用 --out 指定输出文件');
  const ext = command === 'ledger' ? '.xlsx' : '.docx';
  if (extname(values.out).toLowerCase() !== ext) return usage(`输出文件须以 ${ext} 结尾`);
  const tables = (values.table ?? []).map(Number);
  if (tables.some((t) => !Number.isInteger(t))) return usage('--table 须为表号 1 至 5');
  const statuses = (values.status ?? []).map(statusFrom);
  if (statuses.some((s) => s === null)) return usage(`--status 须为：${STATUSES.map((s) => `${s}/${STATUS_LABELS[s]}`).join('，')}`);
  const asOf = values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf)) return usage('--as-of 须为日期，如 2025-03-05');
  const signDate = values['sign-date'];
  if (signDate !== undefined && !isIsoDate(signDate)) return usage('--sign-date 须为日期，如 2025-03-05');
  if (values.since !== undefined && kind !== 'district' && kind !== 'city') return usage('--since（本期变化情况）只用于区级报告和全市报告（--kind district 或 city）');
  if (values.since !== undefined && values.since.trim() === '') return usage('--since 须为快照编号或评估期名称');
  const formFlags = ['recipients', 'org-mark', 'doc-number', 'signer', 'seal', 'note', 'copy-to', 'printer', 'print-date'] as const;
  const given = formFlags.filter((f) => values[f] !== undefined);
  if (given.length && kind !== 'district' && kind !== 'city') return usage(`--${given[0]}（公文格式）只用于区级报告和全市报告（--kind district 或 city）`);
  const docNumberText = values['doc-number'];
  const docNumber = docNumberText === undefined || docNumberText.trim() === '' ? '' : normaliseDocNumber(docNumberText);
  if (docNumber === null) return usage(`--doc-number「${docNumberText}」不是发文字号：应如「玄政发〔2025〕12号」（年份用六角括号〔〕括入，序号不加“第”字、不编虚位）`);
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
  return {
    kind,
    bundles,
    units: values.unit ?? [],
    tables,
    statuses: statuses as Status[],
    asOf,
    signDate,
    title: values.title ?? '',
    issuer: values.issuer,
    seed: values.seed,
    since: values.since,
    form,
    draft: values.draft,
    kindGiven: values.kind !== undefined,
    acceptedOnly: values['accepted-only'] ?? false,
    out: values.out,
  };
}

/** Reads and checks a draft file (`--draft`): the draft, or one Chinese reason (nothing is written then). */
export function readDraftFile(path: string, corpus: Corpus): Result<DraftFile> {
  let bytes: Uint8Array;
  try {
    if (statSync(path).size > MAX_DRAFT_FILE_BYTES) return fail('draft.too_large', `报告草稿文件「${basename(path)}」超过 ${MAX_DRAFT_FILE_BYTES / 1024 / 1024} MB，不是本软件导出的草稿。`);
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    return fail('draft.unreadable', `无法读取报告草稿文件「${path}」：文件不存在或没有读取权限。`, String(e));
  }
  const r = parseDraftFile(bytes, corpus.hash);
  return r.ok ? r : fail(r.error.code, `「${basename(path)}」${r.error.message}`, r.error.detail);
}

async function run(args: string[], io: CliIo, command: 'report' | 'ledger'): Promise<number> {
  const started = Date.now();
  const p = parse(args, command, io);
  if (typeof p === 'number') return p;
  const corpus = p.seed ? loadCorpusFile(p.seed) : loadCorpus();
  if (!corpus.ok) {
    io.err(`错误：${corpus.error.message}\n`);
    return 1;
  }
  // A draft is checked before the bundles are read: a bad file fails fast and writes nothing.
  const drafted = p.draft === undefined ? null : readDraftFile(p.draft, corpus.value);
  if (drafted && !drafted.ok) {
    io.err(`错误：${drafted.error.message}\n`);
    return 1;
  }
  const draft = drafted?.ok ? drafted.value.draft : null;
  if (draft && p.kindGiven && p.kind !== draft.kind) {
    io.err(`错误：草稿是${draft.kind === 'city' ? '全市报告' : '区级报告'}，与 --kind ${p.kind} 不符。\n`);
    return 1;
  }
  if (draft) Object.assign(p, { kind: draft.kind, units: draft.scope.unitCodes, tables: draft.scope.tables, statuses: draft.scope.statuses, asOf: draft.asOf, signDate: draft.signDate, title: draft.title, issuer: draft.issuer || undefined });
  let acceptedLeftOut: number | null = null;
  const data = await readBundles(p.bundles, corpus.value);
  if (!data.ok) {
    io.err(`错误：${data.error.message}\n`);
    return 1;
  }
  const d = data.value;
  if (p.acceptedOnly) {
    const acc = acceptedData({ annotations: d.annotations, revisions: d.revisions ?? [], logEntries: d.logEntries, evidence: d.evidence }, d.reviews ?? [], d.submissions ?? []);
    if (acc.annotations.length === 0) {
      io.err('错误：所给批注包中没有经审核通过（或销号）的任务，无法按 --accepted-only 生成报告（审核意见随市级督办的批注包或审核文件导出）。\n');
      return 1;
    }
    Object.assign(d, { annotations: acc.annotations, logEntries: acc.logEntries, evidence: acc.evidence, histories: undefined });
    acceptedLeftOut = acc.leftOut;
  }
  let unitCodes = p.units;
  if (p.kind === 'district' && unitCodes.length === 0) {
    const present = [...new Set(d.annotations.map((a) => a.unitCode))];
    if (present.length !== 1) {
      io.err(`错误：批注包中有 ${present.length} 个单位的数据，区级报告请用 --unit 指定单位代码（如 --unit 320102）。\n`);
      return 1;
    }
    unitCodes = present;
  }
  const baseline = p.since === undefined ? null : findBaseline(p.since, d);
  if (baseline && !baseline.ok) {
    io.err(`错误：${baseline.error.message}\n`);
    return 1;
  }
  const scopeUnits = unitCodes.length ? d.units.filter((u) => unitCodes.includes(u.code)) : d.units;
  // 数据截至: as given, else the newest data of the units in scope (a later date would run the
  // figures, the overdue days and the charts past the last data); a given date after it is warned of.
  const newest = newestDataDate(d, unitCodes);
  const asOf = p.asOf ?? newest ?? chinaToday();
  const signDate = p.signDate ?? asOf;
  const late = p.asOf ? asOfWarning(p.asOf, newest) : null;
  if (late) io.out(`注意：${late}\n`);
  // The case collection is built from the model of a city (several units) or district report.
  const kind: ReportKind = p.kind === 'cases' ? (scopeUnits.length === 1 ? 'district' : 'city') : p.kind;
  const model = buildReportModel({
    kind,
    corpus: corpus.value,
    units: d.units,
    annotations: d.annotations,
    logEntries: d.logEntries,
    evidence: d.evidence,
    scope: { unitCodes, tables: p.tables, statuses: p.statuses },
    asOf,
    title: p.title,
    issuer: p.issuer ?? defaultIssuer(kind, scopeUnits),
    signDate,
    form: p.form,
    appVersion: d.appVersion || undefined,
    monthly:
      (command !== 'ledger' &&
        d.histories &&
        reportMonthlySeries(d.histories, { asOf, scope: { unitCodes, tables: p.tables }, units: d.units, annotations: d.annotations, tasks: corpus.value.tasks, city: kind === 'city' })) ||
      undefined,
    ...(baseline?.ok ? { changesSince: { periodName: baseline.value.periodName, frozenAt: baseline.value.frozenAt, entries: baseline.value.entries } } : {}),
    ...(draft ? { form: draft.form, draft: { sections: draft.sections } } : {}),
    ...(d.reviews?.length ? { extensions: d.reviews } : {}),
    ...(acceptedLeftOut !== null ? { acceptedOnly: { leftOut: acceptedLeftOut } } : {}),
  });
  if (!model.ok) {
    io.err(`错误：${model.error.message}\n`);
    return 1;
  }
  let bytes: Uint8Array;
  if (p.kind === 'cases') {
    const cases = await renderCasesDocx(model.value);
    if (!cases.ok) {
      io.err(`错误：${cases.error.message}\n`);
      return 1;
    }
    bytes = cases.value;
  } else if (command === 'ledger') bytes = await renderLedgerXlsx(model.value);
  // A drafted body: the author's words, its figures refreshed from these bundles and frozen in the file.
  else bytes = await renderReportDocx(model.value, draft ? { draft: refreshFigures(draft.sections, model.value) } : {});
  const written = await writeFileAtomic(p.out, bytes);
  if (!written.ok) {
    io.err(`错误：${written.error.message}\n`);
    return 1;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const label = p.kind === 'cases' ? `典型案例汇编，案例 ${writtenCases(model.value).length} 个` : `${model.value.meta.kindLabel}${draft ? `，按草稿「${draft.title}」` : ''}`;
  const changes = model.value.changes ? `，本期变化情况：与${model.value.changes.baselineText}相比 ${model.value.changes.counts.moves} 项状态变化` : '';
  if (d.conflicts.length) {
    const names = new Map(d.units.map((u) => [u.code, u.name]));
    const keys = new Set(d.conflicts.map((c) => `${c.taskId}|${c.unitCode}`)).size;
    io.out(
      `注意：${keys} 条批注在不同批注包中被分别修改了同一字段（共 ${d.conflicts.length} 处），已按批注包的给出顺序保留先给出的内容：\n` +
        conflictLines(d.conflicts, (c) => names.get(c) ?? c),
    );
  }
  io.out(`已生成：${p.out}（${label}，批注 ${model.value.ledger.length} 条，数据截至 ${model.value.meta.asOfText}${changes}，用时 ${secs} 秒）\n`);
  return 0;
}

export function reportCommand(args: string[], io: CliIo): Promise<number> {
  return run(args, io, 'report');
}

export function ledgerCommand(args: string[], io: CliIo): Promise<number> {
  return run(args, io, 'ledger');
}
