/**
 * One source per record shape: the annotation's fields are the keys of their zod schema. FIELD_NAMES
 * (the keys of FIELD_LABELS, held to the schema by type) walks them in the schema's order, so a
 * field added there reaches merge, diff, changed fields and the bundle normal form by itself, while
 * every place that must handle each field by hand stops compiling until it does. A hand-written
 * field list, or a per-field map not typed by `FieldName`, fails here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_UNITS, FIELD_LABELS, FIELD_NAMES, annotationKey, changedFields, emptyFields, type Annotation, type AnnotationFields, type Author, type FieldName, type Revision } from '../../src-main/shared/domain';
import { FORMAT_ID, FORMAT_VERSION, type BundleContent } from '../../src-main/shared/bundle/format';
import { emptyState, planImport, resolveConflicts } from '../../src-main/shared/bundle/merge';
import { normalFields } from '../../src-main/shared/bundle/write';
import { annotationFieldsSchema, fieldValueSchemas, formFieldsSchema } from '../../src-main/shared/records';
import { FIELD_IN_REPORT, buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import { docFromText } from '../../src-main/shared/richtext';
import { UNITS, ann, corpus } from './report-fixtures';

const ROOT = resolve(__dirname, '../..');

/** A value different from the empty form's, for every field (typed: a new field needs one here too). */
const OTHER: { [F in FieldName]-?: NonNullable<AnnotationFields[F]> } = {
  status: 'on_track',
  progress: 40,
  leadUnits: ['市商务局'],
  partnerUnits: ['市发改委'],
  deadline: '2025-12-31',
  progressNotes: docFromText('已出台实施方案'),
  results: '引进项目3个',
  problems: '审批流程较长',
  nextSteps: '加快推进',
  isInnovation: true,
  isBestPractice: true,
  caseStudy: { name: '跨境服务贸易试点', field: '科技服务', approach: '', results: '', replicability: '' },
};

const withField = <F extends FieldName>(base: AnnotationFields, f: F): AnnotationFields => ({ ...base, [f]: structuredClone(OTHER[f]) });

describe('the field list is the schema', () => {
  it('is the schema’s keys, in form order, and every field has a label and a value schema', () => {
    expect([...FIELD_NAMES]).toEqual(Object.keys(annotationFieldsSchema.shape));
    expect([...FIELD_NAMES]).toEqual(Object.keys(formFieldsSchema.shape));
    expect(Object.keys(FIELD_LABELS)).toEqual([...FIELD_NAMES]);
    expect(Object.keys(fieldValueSchemas)).toEqual([...FIELD_NAMES]);
    expect(Object.keys(OTHER)).toEqual([...FIELD_NAMES]);
  });

  it.each([...FIELD_NAMES])('changed fields, bundle normal form and the schema all see a change of %s', (f) => {
    const before = emptyFields();
    const after = withField(before, f);
    expect(changedFields(before, after)).toEqual([f]);
    expect(normalFields(after)[f]).toEqual(OTHER[f]);
    expect(annotationFieldsSchema.safeParse(normalFields(after)).success).toBe(true);
  });

  it.each([...FIELD_NAMES])('a merge takes their change of %s when mine did not touch it', (f) => {
    const key = annotationKey('T1-09', '320102');
    const A: Author = { name: '张伟', unitCode: '320102' };
    const B: Author = { name: '王芳', unitCode: '320102' };
    const rev = (id: string, parents: Revision[], fields: AnnotationFields, author: Author, at: string): Revision => ({
      id,
      key,
      taskId: 'T1-09',
      unitCode: '320102',
      parents: parents.map((p) => p.id),
      author,
      at,
      kind: 'edit',
      changed: changedFields(parents[0]?.fields ?? null, fields),
      fields,
    });
    const ann = (r: Revision): Annotation => ({ ...r.fields, key, taskId: r.taskId, unitCode: r.unitCode, head: r.id, updatedAt: r.at, updatedBy: r.author });
    // Base has every field at its other value except `f`; mine saves again without touching `f`
    // (a divergent history), theirs changes only `f`.
    const baseFields = { ...emptyFields(), ...Object.fromEntries(FIELD_NAMES.filter((g) => g !== f).map((g) => [g, structuredClone(OTHER[g])])) } as AnnotationFields;
    const r0 = rev('r0', [], normalFields(baseFields), A, '2024-01-01T00:00:00.000Z');
    const mine = rev('r1', [r0], normalFields({ ...baseFields }), A, '2024-01-02T00:00:00.000Z');
    const theirs = rev('r2', [r0], normalFields(withField(baseFields, f)), B, '2024-01-03T00:00:00.000Z');
    const state = emptyState();
    state.units!.set('320102', DEFAULT_UNITS[0]!);
    for (const r of [r0, mine]) state.revisions.set(r.id, r);
    state.annotations.set(key, ann(mine));
    const bundle: BundleContent = {
      manifest: {
        format: FORMAT_ID,
        formatVersion: FORMAT_VERSION,
        appVersion: '0.1.0',
        corpusHash: '0'.repeat(64),
        author: B,
        unitCodes: ['320102'],
        createdAt: '2024-01-04T00:00:00.000Z',
        scope: 'all',
        counts: { annotations: 1, revisions: 2, logEntries: 0, evidence: 0, attachments: 0 },
        entries: {},
      },
      units: [DEFAULT_UNITS[0]!],
      annotations: [ann(theirs)],
      revisions: [r0, theirs],
      logEntries: [],
      evidence: [],
      attachments: new Map(),
    };
    const plan = planImport(state, bundle);
    expect(plan.keys[0]!.outcome).toBe('merged');
    expect(plan.keys[0]!.takenFromTheirs).toEqual([f]);
    const ws = resolveConflicts(plan, {}, A, '2024-01-05T00:00:00.000Z');
    expect(ws.ok).toBe(true);
    if (!ws.ok) return;
    const merged = ws.value.annotations[0]!;
    expect(merged[f]).toEqual(OTHER[f]);
    expect(ws.value.revisions.at(-1)!.changed).toEqual([f]);
  });
});

describe('the report prints every field where FIELD_IN_REPORT says', () => {
  const report = (fields: AnnotationFields): ReportModel => {
    const r = buildReportModel({
      kind: 'district',
      corpus: corpus(),
      units: UNITS,
      annotations: [ann('T1-09', '320102', fields, '2025-03-01T02:00:00.000Z')],
      scope: { unitCodes: ['320102'], tables: [], statuses: [] },
      asOf: '2025-03-05',
      title: '',
      issuer: '玄武区人民政府',
      signDate: '2025-03-05',
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it.each([...FIELD_NAMES])('a change of %s shows in the report', (f) => {
    // Every other field set, so the field is the only difference (and flagged tasks list their case).
    const base = { ...emptyFields(), ...Object.fromEntries(FIELD_NAMES.filter((g) => g !== f).map((g) => [g, structuredClone(OTHER[g])])) } as AnnotationFields;
    const before = report(base);
    const after = report(withField(base, f));
    const where = FIELD_IN_REPORT[f];
    if (where === 'cases') expect(after.cases.map((c) => c.caseStudy)).not.toEqual(before.cases.map((c) => c.caseStudy));
    else expect(after.ledger[0]![where]).not.toBe(before.ledger[0]![where]);
  });
});

// ---------------------------------------------------------------------------------------------
// A field added to a copy of the schema

/**
 * The copy gets a new field in fieldsShape (an optional one: the hardest case, since an object
 * literal may leave it out) and its Chinese name in FIELD_LABELS, the compiler's first complaint.
 */
const EDITS = [
  { file: 'src-main/shared/records.ts', anchor: '  nextSteps: text,\n', insert: '  pilotNote: text.optional(),\n' },
  { file: 'src-main/shared/domain.ts', anchor: "  nextSteps: '下步计划',\n", insert: "  pilotNote: '试点备注',\n" },
];

/** Files, relative to the copy's root, where the new field must be a compile error. */
const MUST_FAIL = [
  'src-main/shared/domain.ts', // emptyFields
  'src-main/shared/bundle/write.ts', // normal form of each field
  'src-main/shared/bundle/schema.ts', // fast checks of each field
  'src-main/shared/bundle/demo.ts', // demo data of each field
  'src-renderer/src/db/repo.ts', // the form's message for a value of the wrong type
  'src-main/shared/report/model.ts', // where the report prints each field
  'src-renderer/src/i18n/en.ts', // the English field name (the Chinese one is FIELD_LABELS)
];
/** Files that walk FIELD_NAMES and so need no change. */
const MUST_COMPILE = ['src-main/shared/records.ts', 'src-main/shared/bundle/merge.ts', 'src-main/shared/bundle/read.ts', 'src-renderer/src/i18n/zh-CN.ts', 'probe.ts'];

const PROBE = `import { FIELD_NAMES, type FieldName } from './src-main/shared/domain';
// The list's element type, not only FieldName, must have the new field (a hand-written tuple would not).
type Listed = (typeof FIELD_NAMES)[number];
export const listed: 'pilotNote' extends Listed ? true : false = true;
export const named: 'pilotNote' extends FieldName ? true : false = true;
`;

describe('a field added to the schema', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'record-shapes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const copy = (() => {
    cpSync(join(ROOT, 'src-main/shared'), join(dir, 'src-main/shared'), { recursive: true });
    cpSync(join(ROOT, 'src-renderer/src'), join(dir, 'src-renderer/src'), { recursive: true });
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'), 'dir');
    for (const e of EDITS) {
      const text = readFileSync(join(dir, e.file), 'utf8');
      if (text.split(e.anchor).length !== 2) throw new Error(`${e.file}: the anchor line moved; update this test`);
      writeFileSync(join(dir, e.file), text.replace(e.anchor, e.anchor + e.insert));
    }
    writeFileSync(join(dir, 'probe.ts'), PROBE);
    // tsconfig.json may hold comments: read it as the compiler does.
    const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile) as { config: { compilerOptions: Record<string, unknown>; exclude?: string[] } };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...config.compilerOptions, types: [] }, include: ['src-main', 'src-renderer', 'probe.ts'], exclude: config.exclude ?? [] }),
    );
    return dir;
  })();

  it('is a compile error in every place that handles each field by hand, and nowhere else', () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(copy, 'tsconfig.json'), '--pretty', 'false'], { cwd: copy, encoding: 'utf8' });
    const out = `${tsc.stdout}${tsc.stderr}`;
    const failing = new Set([...out.matchAll(/^(.+?\.tsx?)\(\d+,\d+\): error/gm)].map((m) => relative(copy, resolve(copy, m[1]!))));
    expect([...failing].sort(), out).toEqual([...MUST_FAIL].sort());
    for (const f of MUST_COMPILE) expect(failing.has(f), out).toBe(false);
  });

  it('is in the field list and in changed fields at run time', async () => {
    const domain = (await import(/* @vite-ignore */ pathToFileURL(join(copy, 'src-main/shared/domain.ts')).href)) as typeof import('../../src-main/shared/domain');
    const records = (await import(/* @vite-ignore */ pathToFileURL(join(copy, 'src-main/shared/records.ts')).href)) as typeof import('../../src-main/shared/records');
    expect(domain.FIELD_NAMES).toEqual([...Object.keys(records.fieldsShape)]);
    expect(domain.FIELD_NAMES).toContain('pilotNote');
    const before = emptyFields();
    expect(domain.changedFields(before, { ...before, pilotNote: '新内容' } as AnnotationFields)).toEqual(['pilotNote']);
  });
});
