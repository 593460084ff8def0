/**
 * One report in a process of its own, so its peak memory is the process's: reads the report
 * inputs (what the renderer sends main over IPC for `report:export`), builds the model and renders
 * the city report (.docx) or the ledger (.xlsx), and prints one JSON line with the times and
 * memory. Run by run.ts as `node --import tsx tests/bench/report-child.ts DATA.json docx|xlsx`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { buildReportModel } from '../../src-main/shared/report/model';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { renderLedgerXlsx } from '../../src-main/main/report/xlsx';
import type { ReportData } from './data';

const [dataPath, format] = process.argv.slice(2);
if (!dataPath || (format !== 'docx' && format !== 'xlsx')) {
  process.stderr.write('usage: report-child.ts DATA.json docx|xlsx\n');
  process.exit(2);
}
const corpus = loadCorpus();
if (!corpus.ok) throw new Error(corpus.error.message);
const data = JSON.parse(readFileSync(dataPath, 'utf8')) as ReportData;
const AS_OF = '2025-06-30';

/**
 * The kernel's peak-RSS mark of this process (VmHWM, bytes), or null off Linux. Unlike getrusage's
 * maxRSS it can be reset: writing 5 to /proc/self/clear_refs sets it to the current RSS (Linux ≥ 4.0).
 * maxRSS cannot, and on Linux it starts at the spawning process's RSS: the kernel keeps the peak of
 * the address space exec replaces, and a forked child's copy counts the parent's resident pages —
 * so maxRSS here said "the bench runner's RSS at spawn" whenever that was more than the report's own
 * peak (505 MB for every report of a run that had just generated its data and held all four copies).
 */
function vmHwm(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

let peakSampled = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
}, 10);
globalThis.gc?.();
const baseRss = process.memoryUsage().rss;
const baseMaxRss = process.resourceUsage().maxRSS * 1024;
const baseHwm = vmHwm();
// From here the peak is the report's: the inputs stay resident (the app's main process holds them
// too, having received them over IPC), the loading of this script's modules and of the JSON is behind.
const peakReset = resetPeak() && vmHwm() !== null;

const t0 = performance.now();
const model = buildReportModel({
  kind: format === 'docx' ? 'city' : 'ledger',
  corpus: corpus.value,
  units: data.units,
  annotations: data.annotations,
  logEntries: data.logEntries,
  evidence: data.evidence,
  scope: { unitCodes: [], tables: [], statuses: [] },
  asOf: AS_OF,
  title: '',
  issuer: '南京市商务局',
  signDate: AS_OF,
  appVersion: '0.1.0',
});
const t1 = performance.now();
if (!model.ok) throw new Error(model.error.message);
const bytes = format === 'docx' ? await renderReportDocx(model.value) : await renderLedgerXlsx(model.value);
const t2 = performance.now();
clearInterval(sampler);
peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
const MB = 1048576;
process.stdout.write(
  `${JSON.stringify({
    format,
    totalMs: t2 - t0,
    modelMs: t1 - t0,
    renderMs: t2 - t1,
    bytes: bytes.length,
    /**
     * Peak RSS of the process while it made the report, inputs resident (VmHWM since the reset); where
     * the mark cannot be reset, getrusage's maxRSS (which may be the spawning process's, see vmHwm).
     */
    peakRssMb: (peakReset ? vmHwm()! : process.resourceUsage().maxRSS * 1024) / MB,
    peakRssSource: peakReset ? 'VmHWM since the inputs were loaded' : 'getrusage maxRSS',
    /** getrusage's maxRSS: includes the spawning process's RSS at fork (the figure until session 8). */
    processMaxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    /** RSS after loading the inputs, before the report, and the peaks up to then (VmHWM, maxRSS). */
    baseRssMb: baseRss / MB,
    baseHwmMb: baseHwm === null ? null : baseHwm / MB,
    basePeakRssMb: baseMaxRss / MB,
    /** Peak RSS seen by a 10 ms sampler during the report. */
    sampledPeakRssMb: peakSampled / MB,
  })}\n`,
);
