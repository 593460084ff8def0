/**
 * Reports from accepted data only (仅计入审核通过的数据): for each task × unit, the state of the
 * annotation as it was in the last submission the supervisor accepted (通过 or 销号) — not the
 * draft the district may have edited since, nor a submission that was returned. Pure.
 *
 * The accepted state is the newest revision of the annotation made at or before the accepted
 * submission's time (the submission file carried the district's records as they stood then). A
 * task × unit without an accepted submission, or whose revisions are not here, is left out; the
 * report's 说明 says how many.
 */
import { annotationKey, type Annotation, type Evidence, type LogEntry, type Revision } from '../domain';
import { isExtensionDecision } from './kinds';
import type { ReviewDecision, Submission } from './schema';

export interface AcceptedData {
  annotations: Annotation[];
  logEntries: LogEntry[];
  evidence: Evidence[];
  /** Annotations left out: never accepted, or their accepted state is not here. */
  leftOut: number;
}

/** The latest issued 通过 / 销号 per task × unit key, with the submission it accepted. */
export function acceptedSubmissions(decisions: readonly ReviewDecision[], submissions: readonly Submission[]): Map<string, { decision: ReviewDecision; submission: Submission }> {
  const byId = new Map(submissions.map((s) => [s.id, s]));
  const out = new Map<string, { decision: ReviewDecision; submission: Submission }>();
  for (const d of decisions) {
    if (d.reviewId === null || isExtensionDecision(d.decision) || d.decision === 'return') continue;
    const submission = byId.get(d.submissionId);
    if (!submission) continue;
    const key = annotationKey(d.taskId, d.unitCode);
    const best = out.get(key);
    if (!best || submission.submittedAt > best.submission.submittedAt || (submission.submittedAt === best.submission.submittedAt && d.at > best.decision.at)) out.set(key, { decision: d, submission });
  }
  return out;
}

export function acceptedData(
  data: { annotations: readonly Annotation[]; revisions: readonly Revision[]; logEntries: readonly LogEntry[]; evidence: readonly Evidence[] },
  decisions: readonly ReviewDecision[],
  submissions: readonly Submission[],
): AcceptedData {
  const accepted = acceptedSubmissions(decisions, submissions);
  const byKey = new Map<string, Revision[]>();
  for (const r of data.revisions) {
    if (!accepted.has(r.key)) continue;
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const annotations: Annotation[] = [];
  const cutoff = new Map<string, string>();
  let leftOut = 0;
  for (const a of data.annotations) {
    const acc = accepted.get(a.key);
    const at = acc?.submission.submittedAt;
    const rev = at === undefined ? undefined : (byKey.get(a.key) ?? []).filter((r) => r.at <= at).sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : x.id < y.id ? 1 : -1))[0];
    if (!rev || at === undefined) {
      leftOut += 1;
      continue;
    }
    annotations.push({ ...a, ...rev.fields, head: rev.id, updatedAt: rev.at, updatedBy: rev.author });
    cutoff.set(a.key, at);
  }
  const within = (x: { taskId: string; unitCode: string; createdAt: string }) => {
    const at = cutoff.get(annotationKey(x.taskId, x.unitCode));
    return at !== undefined && x.createdAt <= at;
  };
  return { annotations, logEntries: data.logEntries.filter(within), evidence: data.evidence.filter(within), leftOut };
}
