/**
 * The command-line interface: the same main-side services as the app, without Electron.
 * Returns an exit code; writes through the given streams so tests can capture output.
 */
import { parseArgs } from 'node:util';
import type { Corpus } from '../shared/corpus/types';
import type { Result } from '../shared/result';
import { loadCorpus, loadCorpusFile } from '../main/services/corpus';
import { toCsv } from './csv';
import type { CliIo } from './io';
// Commands are loaded when used: the report stack (docx, ECharts, resvg) is heavy, and
// `corpus --json` should not wait for it.
const reportModule = () => import('./commands/report');
const bundleModule = () => import('./commands/bundle');
const roundModule = () => import('./commands/round');

const CORPUS_USAGE = `用法 / usage: pilot-desk <command> [options]

  corpus --json            输出完整的试点方案语料（JSON）
  corpus --csv             输出任务清单（CSV，UTF-8 带 BOM，可直接用 Excel 打开）
  options: --seed FILE     使用指定的方案原文文件
`;

/** The full usage text (loads every command module for its usage lines). */
export async function usage(): Promise<string> {
  const [{ REPORT_USAGE }, { BUNDLE_USAGE }, { ROUND_USAGE }] = await Promise.all([reportModule(), bundleModule(), roundModule()]);
  return `${CORPUS_USAGE}${REPORT_USAGE}${BUNDLE_USAGE}${ROUND_USAGE}`;
}

function corpusFrom(seed: string | undefined): Result<Corpus> {
  return seed ? loadCorpusFile(seed) : loadCorpus();
}

/** The corpus as `corpus --json` prints it: meta, chapters, measures, tables, tasks, hash. */
export function corpusJson(corpus: Corpus): string {
  return JSON.stringify(corpus, null, 2) + '\n';
}

export function corpusCsv(corpus: Corpus): string {
  return toCsv(
    ['id', 'table', 'tableTitle', 'group', 'domain', 'number', 'text', 'measure'],
    corpus.tasks.map((t) => [t.id, t.table, t.tableTitle, t.group, t.domain, t.number, t.text, t.measure]),
  );
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(await usage());
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'corpus': {
        const { values } = parseArgs({
          args: rest,
          options: { json: { type: 'boolean' }, csv: { type: 'boolean' }, seed: { type: 'string' } },
          strict: true,
        });
        const r = corpusFrom(values.seed);
        if (!r.ok) {
          io.err(`错误：${r.error.message}\n${r.error.detail ? `(${r.error.detail})\n` : ''}`);
          return 1;
        }
        if (values.csv) io.out(corpusCsv(r.value));
        else io.out(corpusJson(r.value));
        return 0;
      }
      case 'report':
        return await (await reportModule()).reportCommand(rest, io);
      case 'ledger':
        return await (await reportModule()).ledgerCommand(rest, io);
      case 'bundle':
        return await (await bundleModule()).bundleCommand(rest, io);
      case 'round':
        return await (await roundModule()).roundCommand(rest, io);
      case 'demo':
        return await (await bundleModule()).demoCommand(rest, io);
      default:
        io.err(`未知命令：${command}\n\n${await usage()}`);
        return 2;
    }
  } catch (e) {
    // parseArgs throws on unknown options: a usage error, not a crash.
    io.err(`参数错误：${(e as Error).message}\n\n${await usage()}`);
    return 2;
  }
}
