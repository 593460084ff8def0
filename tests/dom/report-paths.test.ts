/**
 * The same bundles give the same report through the app and through the command line: the app
 * imports each bundle into its database (bundleService, conflicts decided 「保留本机」) and builds the
 * report from the tables as the report builder does; the CLI combines the files with `readBundles`.
 * The bundles diverge so that keeping the newer `updatedAt` per annotation (what the CLI once did)
 * and merging by revision ancestry (what the app does) give different data.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useNodeBlob } from '../support/dom';
import { corpus as testCorpus, ctx, divergentBundles, SUPERVISOR } from '../unit/bundle-fixtures';
import type { Corpus } from '../../src-main/shared/corpus/types';
import type { DemoData } from '../../src-main/shared/bundle/demo';
import type { Decisions } from '../../src-main/shared/bundle/merge';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { buildReportModel, type ReportInput } from '../../src-main/shared/report/model';
import { reportMonthlySeries } from '../../src-main/shared/dashboard/monthly';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { listUnits } from '../../src-renderer/src/db/repo';
import { applyImport, previewImport } from '../../src-renderer/src/features/bundles/bundleService';
import { loadStatusHistories } from '../../src-renderer/src/features/dashboard/loadHistories';
import { readBundles } from '../../src-main/cli/commands/report';

useNodeBlob();

let corpus: Corpus;
let db: PilotDb;
let dir: string;
let bundles: ReturnType<typeof divergentBundles>;

beforeAll(() => {
  corpus = testCorpus();
  bundles = divergentBundles(corpus);
  dir = mkdtempSync(join(tmpdir(), 'report-paths-'));
});
beforeEach(async () => {
  db = createDb(`report-paths-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => db.close());

/** What the supervisor's app does with each file: preview, keep mine in every conflict, apply. */
async function importInApp(data: DemoData, fileName: string): Promise<void> {
  const read = readBundle(writeBundle(data), ctx());
  if (!read.ok) throw new Error(read.error.message);
  const plan = await previewImport(db, read.value);
  const decisions: Decisions = {};
  for (const k of plan.keys) for (const c of k.conflicts) (decisions[k.key] ??= {})[c.field] = { take: 'mine' };
  const r = await applyImport(db, plan, decisions, { author: SUPERVISOR, fileName, now: new Date('2025-06-01T01:00:00.000Z') });
  if (!r.ok) throw new Error(r.error.message);
}

function file(data: DemoData, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, writeBundle(data));
  return path;
}

const scope = { unitCodes: ['320102'], tables: [] as number[], statuses: [] };
const common = { kind: 'district', scope, asOf: '2025-06-30', title: '', issuer: '玄武区人民政府', signDate: '2025-06-30', appVersion: 'test' } as const;

describe('a report from the app and one from the command line over the same bundles', { timeout: 60_000 }, () => {
  it('have the same model: ancestry decides, not the newer updatedAt; a conflict keeps the bundle given first', async () => {
    const { district, supervisor, keys } = bundles;
    await importInApp(district, 'district.pilotbundle');
    await importInApp(supervisor, 'supervisor.pilotbundle');

    // The app's report: the tables as the report builder reads them, the monthly series from the revisions.
    const [units, annotations, logEntries, evidence] = await Promise.all([listUnits(db), db.annotations.toArray(), db.logEntries.toArray(), db.evidence.toArray()]);
    const appInput: Omit<ReportInput, 'corpus'> = { ...common, units, annotations, logEntries, evidence };
    const histories = await loadStatusHistories(db, annotations);
    const app = buildReportModel({ ...appInput, corpus, monthly: reportMonthlySeries(histories!, { ...appInput, tasks: corpus.tasks }) ?? undefined });

    // The command line's: the files in the same order, as `report` reads them.
    const cli = await readBundles([file(district, 'district.pilotbundle'), file(supervisor, 'supervisor.pilotbundle')], corpus);
    if (!cli.ok) throw new Error(cli.error.message);
    const d = cli.value;
    const cliInput = { ...common, units: d.units, annotations: d.annotations, logEntries: d.logEntries, evidence: d.evidence };
    const fromCli = buildReportModel({ ...cliInput, corpus, monthly: reportMonthlySeries(d.histories!, { ...cliInput, tasks: corpus.tasks }) ?? undefined });

    // What each annotation became: the district's descendant edit, the district's 存在问题 (given
    // first, kept in the conflict), both sides' fields where they changed different ones.
    const byKey = new Map(d.annotations.map((a) => [a.key, a]));
    expect(byKey.get(keys.clockBehind)?.status).toBe('done');
    expect(byKey.get(keys.bothChanged)?.problems).toBe('区里记录的问题：用地指标尚未落实');
    expect(byKey.get(keys.different)?.status).toBe('delayed');
    expect(byKey.get(keys.different)?.nextSteps).toBe('区里的下步计划：六月底前完成验收');
    expect(d.conflicts.map((c) => [c.file, c.taskId, c.field, c.kept])).toEqual([['supervisor.pilotbundle', byKey.get(keys.bothChanged)!.taskId, 'problems', 'mine']]);
    for (const key of Object.values(keys)) {
      const inApp = annotations.find((a) => a.key === key)!;
      const { updatedAt: _a, updatedBy: _b, ...app } = inApp;
      const { updatedAt: _c, updatedBy: _d, ...cli } = byKey.get(key)!;
      // The same content and head (merge revisions are content-addressed); a merge is signed by
      // whoever merged, and only the app dates it by when it arrived here.
      expect(cli).toEqual(app);
    }

    expect(app.ok && fromCli.ok).toBe(true);
    expect(fromCli).toEqual(app);
  });
});
