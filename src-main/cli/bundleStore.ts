/**
 * Several bundles combined the way the app combines them: each is imported, in the order given,
 * into one memory store through the app's own import service (revision ancestry; one all-or-nothing
 * import per bundle). The command line has no one to ask about a conflicting field, so it decides
 * every conflict the same way (`prefer`) and lists them, so the person sees what was decided.
 */
import { FIELD_LABELS, type Author, type FieldName } from '../shared/domain';
import type { BundleContent } from '../shared/bundle/format';
import { ok, type Result } from '../shared/result';
import { applyImport, previewImport, type PreviewPlan } from '../shared/services/importService';
import { createMemoryStore, type MemoryStore } from '../shared/store/memoryStore';

/** One conflicting field of one annotation, and which side was kept. */
export interface ConflictNote {
  file: string;
  taskId: string;
  unitCode: string;
  field: FieldName;
  kept: 'mine' | 'theirs';
}

export interface ImportOptions {
  /** Which side a conflicting field keeps: `mine` — what was read before; `theirs` — this bundle. */
  prefer: 'mine' | 'theirs';
  /** Signs the merge revisions. */
  author: Author;
  now: Date;
  /** How merged annotations are dated (see importService's ApplyContext). */
  mergesDated: 'now' | 'merge';
}

export interface Combiner {
  store: MemoryStore;
  conflicts: ConflictNote[];
  /** Imports one bundle (named `file` in messages); its plan says what it changed. */
  add(file: string, bundle: BundleContent): Promise<Result<PreviewPlan>>;
}

export function createCombiner(opts: ImportOptions): Combiner {
  const store = createMemoryStore();
  const conflicts: ConflictNote[] = [];
  let n = 0;
  return {
    store,
    conflicts,
    async add(file, bundle) {
      const plan = await previewImport(store, bundle);
      const applied = await applyImport(store, plan, {}, {
        author: opts.author,
        fileName: file,
        now: opts.now,
        prefer: opts.prefer,
        mergesDated: opts.mergesDated,
        newId: () => `cli-import-${++n}`,
      });
      if (!applied.ok) return applied;
      for (const k of plan.keys) for (const c of k.conflicts) conflicts.push({ file, taskId: k.taskId, unitCode: k.unitCode, field: c.field, kept: opts.prefer });
      return ok(plan);
    },
  };
}

/** The conflicts in words, at most `max` lines of them (then how many more there are). */
export function conflictLines(conflicts: readonly ConflictNote[], unitName: (code: string) => string, max = 20): string {
  const lines = conflicts
    .slice(0, max)
    .map((c) => `  「${c.file}」 ${c.taskId}（${unitName(c.unitCode)}）${FIELD_LABELS[c.field]}：${c.kept === 'mine' ? '保留先读入的内容' : '采用此批注包的内容'}\n`);
  if (conflicts.length > max) lines.push(`  ……另有 ${conflicts.length - max} 处\n`);
  return lines.join('');
}
