/**
 * The repo's writes as the app calls them: each through `mutate` (settle pending edits, write, one
 * `DataChange`). Same names and arguments as in repo.ts, which holds the rules; the UI imports its
 * writes from here so that no write goes unannounced. Reads stay in repo.ts.
 */
import type { AnnotationFields, Author, CaseStudy } from '../../../src-main/shared/domain';
import type { PilotDb, Profile } from './db';
import { mutate, type MutateOptions } from './mutate';
import * as repo from './repo';
import type * as drafts from './drafts';

/** The drafts module (its zod schemas) loads with the first draft write, not with the first screen. */
const draftsModule = () => import('./drafts');
import type { ReportDraft } from '../../../src-main/shared/report/draft';

type SaveResult = Awaited<ReturnType<typeof repo.saveAnnotation>>;

const savedAnnotations = (r: SaveResult) => (r.ok && 'revision' in r.value ? [r.value.annotation] : null);

/**
 * The annotation form's save (`source` 'edit') or a journaled draft saved at start-up ('draft').
 * Does not settle: the editor's own save is what settling waits for.
 */
export function saveAnnotation(
  db: PilotDb,
  taskId: string,
  unitCode: string,
  fields: AnnotationFields,
  author: Author,
  source: 'edit' | 'draft' = 'edit',
  options: repo.SaveAnnotationOptions = {},
): Promise<SaveResult> {
  return mutate(
    'annotation',
    () => repo.saveAnnotation(db, taskId, unitCode, fields, author, new Date(), options),
    (r) => {
      const annotations = savedAnnotations(r);
      return annotations && { source, annotations };
    },
    { settle: false },
  );
}

/**
 * The person left the task (or its editor closed): the annotation's working window closes, so the
 * next save adds a revision instead of amending the open one. Changes no data: no `DataChange`.
 */
export function closeRevisionWindow(db: PilotDb, key: string): Promise<void> {
  return repo.closeRevisionWindow(db, key);
}

/** A case write-up's save (the case editor's own save: does not settle). */
export function saveCaseStudy(db: PilotDb, key: string, caseStudy: CaseStudy | null, author: Author, options: MutateOptions = { settle: false }): Promise<SaveResult> {
  return mutate(
    'annotation',
    () => repo.saveCaseStudy(db, key, caseStudy, author),
    (r) => {
      const annotations = savedAnnotations(r);
      return annotations && { source: 'case' as const, annotations };
    },
    options,
  );
}

/** Makes an old revision current again (pending edits of the form are saved first, and then superseded). */
export async function restoreRevision(db: PilotDb, key: string, revisionId: string, author: Author): Promise<SaveResult> {
  // The revision picked is restored as the person saw it: what is still being typed is saved as a
  // revision of its own rather than amending the one being restored.
  await repo.closeRevisionWindow(db, key);
  return mutate(
    'annotation',
    () => repo.restoreRevision(db, key, revisionId, author),
    (r) => {
      const annotations = savedAnnotations(r);
      return annotations && { source: 'revision' as const, annotations };
    },
  );
}

/** A cell of the 本月更新 grid: some fields saved, the rest as stored (settles open editors first). */
export function saveAnnotationPatch(db: PilotDb, taskId: string, unitCode: string, patch: Partial<AnnotationFields>, author: Author): Promise<SaveResult> {
  return mutate(
    'annotation',
    () => repo.saveAnnotationPatch(db, taskId, unitCode, patch, author),
    (r) => {
      const annotations = savedAnnotations(r);
      return annotations && { source: 'grid' as const, annotations };
    },
  );
}

/** 本月已核实 on a task (once a month; settles open editors first, so what is checked is what was typed). */
export function recordCheck(db: PilotDb, taskId: string, unitCode: string, author: Author): Promise<SaveResult> {
  return mutate(
    'annotation',
    () => repo.recordCheck(db, taskId, unitCode, author),
    (r) => {
      const annotations = savedAnnotations(r);
      return annotations && { source: 'check' as const, annotations };
    },
  );
}

export function addLogEntry(db: PilotDb, input: repo.LogEntryInput, author: Author) {
  return mutate('log', () => repo.addLogEntry(db, input, author), (r) => (r.ok ? { entry: r.value } : null));
}

export function updateLogEntry(db: PilotDb, id: string, patch: Parameters<typeof repo.updateLogEntry>[2], author: Author) {
  return mutate('log', () => repo.updateLogEntry(db, id, patch, author), (r) => (r.ok ? { entry: r.value } : null));
}

export function deleteLogEntry(db: PilotDb, id: string, author: Author) {
  return mutate('log', () => repo.deleteLogEntry(db, id, author), (r) => (r.ok ? { entry: r.value } : null));
}

export function addEvidence(db: PilotDb, input: repo.EvidenceInput, file: repo.EvidenceFile | null | undefined, author: Author) {
  return mutate('evidence', () => repo.addEvidence(db, input, file, author), (r) => (r.ok ? { evidence: r.value } : null));
}

export function updateEvidence(
  db: PilotDb,
  id: string,
  patch: Parameters<typeof repo.updateEvidence>[2],
  file: repo.EvidenceFile | null | undefined,
  author: Author,
) {
  return mutate('evidence', () => repo.updateEvidence(db, id, patch, file, author), (r) => (r.ok ? { evidence: r.value } : null));
}

export function deleteEvidence(db: PilotDb, id: string, author: Author) {
  return mutate('evidence', () => repo.deleteEvidence(db, id, author), (r) => (r.ok ? { evidence: r.value } : null));
}

export function saveProfile(db: PilotDb, input: Profile) {
  return mutate('profile', () => repo.saveProfile(db, input), (r) => (r.ok ? {} : null));
}

export function saveUnit(db: PilotDb, input: repo.UnitInput, mode: 'create' | 'update' | 'upsert' = 'upsert') {
  return mutate('units', () => repo.saveUnit(db, input, mode), (r) => (r.ok ? {} : null));
}

export function setUnitActive(db: PilotDb, code: string, active: boolean) {
  return mutate('units', () => repo.setUnitActive(db, code, active), (r) => (r.ok ? {} : null));
}

/** A new report draft (pending edits are saved first, so it is built from the latest data). */
export function createDraft(db: PilotDb, input: drafts.NewDraft, author: Author, opts: drafts.SaveOptions) {
  return mutate('draft', async () => (await draftsModule()).createDraft(db, input, author, opts), (r) => (r.ok ? { action: 'created' as const, id: r.value.id } : null));
}

/** The drafting screen's own save (autosave: does not settle). */
export function saveDraft(db: PilotDb, draft: ReportDraft, author: Author, opts: drafts.SaveOptions) {
  return mutate('draft', async () => (await draftsModule()).saveDraft(db, draft, author, opts), (r) => (r.ok ? { action: 'saved' as const, id: r.value.id } : null), { settle: false });
}

export function renameDraft(db: PilotDb, id: string, title: string, author: Author, opts: drafts.SaveOptions) {
  return mutate('draft', async () => (await draftsModule()).renameDraft(db, id, title, author, opts), (r) => (r.ok ? { action: 'saved' as const, id: r.value.id } : null));
}

export function deleteDraft(db: PilotDb, id: string) {
  return mutate('draft', async () => (await draftsModule()).deleteDraft(db, id), (r) => (r.ok ? { action: 'deleted' as const, id: r.value.draft.id } : null));
}

export function undeleteDraft(db: PilotDb, deleted: drafts.DeletedDraft) {
  return mutate('draft', async () => (await draftsModule()).undeleteDraft(db, deleted), (r) => (r.ok ? { action: 'undeleted' as const, id: r.value.id } : null));
}
