/**
 * The monthly series a Word report carries (`ReportInput.monthly`): read from the revisions of the
 * report's units and tables with the dashboard's non-blocking reader, so only the small series —
 * not the revisions — goes to main.
 */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { ReportInput } from '../../../../src-main/shared/report/model';
import { reportMonthlySeries, type MonthlySeries } from '../../../../src-main/shared/dashboard/monthly';
import { db } from '../../db/db';
import { loadStatusHistories } from './loadHistories';

export async function reportMonthly(corpus: Corpus, input: Omit<ReportInput, 'corpus'>): Promise<MonthlySeries | undefined> {
  const units = new Set(input.scope.unitCodes);
  const tables = new Set(input.scope.tables);
  const tableOf = new Map(corpus.tasks.map((t) => [t.id, t.table]));
  const inScope = input.annotations
    .filter((a) => (!units.size || units.has(a.unitCode)) && (!tables.size || tables.has(tableOf.get(a.taskId) ?? -1)));
  const histories = await loadStatusHistories(db, inScope);
  return (histories && reportMonthlySeries(histories, { ...input, tasks: corpus.tasks, city: input.kind === 'city' })) || undefined;
}
