/**
 * Case write-ups (典型案例) autosave on the same engine as the annotation form: what is typed while a
 * save runs is saved next, a write-up that cannot be saved stays in its journal with the reason
 * shown, nothing is saved during an IME composition, and the open annotation form shows the saved
 * write-up. Saves are started with flushCase (no waiting on the autosave delay).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { annotationKey, caseStudyOf, emptyCaseStudy, emptyFields, type CaseStudy } from '../../src-main/shared/domain';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { getAnnotation, saveAnnotation, saveProfile } from '../../src-renderer/src/db/repo';
import { useAnnotationEditor } from '../../src-renderer/src/features/annotation/annotationStore';
import { changeCase, flushCase, hasPendingCase, readCaseDraft, setCaseComposing, type CaseSaveStatus } from '../../src-renderer/src/features/cases/caseEdits';
import { useSessionStore } from '../../src-renderer/src/store/sessionStore';

const UNIT = '320102';
const me = { name: '李明', unitCode: UNIT };
const write = (name: string, approach = ''): CaseStudy => ({ ...emptyCaseStudy(), name, approach });
const storedCase = async (taskId: string) => caseStudyOf((await getAnnotation(db, taskId, UNIT))!);

beforeAll(async () => {
  await openDatabase(db, { persist: false });
  expect((await saveProfile(db, { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' })).ok).toBe(true);
  useSessionStore.setState({ status: 'ready', profile: { name: me.name, unitCode: UNIT, language: 'zh-CN', role: 'official' }, unitCode: UNIT });
  for (const taskId of ['T2-01', 'T2-02', 'T2-03', 'T2-04']) {
    expect((await saveAnnotation(db, taskId, UNIT, { ...emptyFields(), isInnovation: true }, me)).ok).toBe(true);
  }
});
beforeEach(() => localStorage.clear());

describe('case write-ups autosave', () => {
  it('saves what was typed while the previous save ran, then clears the journal', async () => {
    const key = annotationKey('T2-01', UNIT);
    const states: CaseSaveStatus['state'][] = [];
    let typedOn = false;
    const listener = (s: CaseSaveStatus) => {
      states.push(s.state);
      // The person types on the moment the first save starts.
      if (s.state === 'saving' && !typedOn) {
        typedOn = true;
        changeCase(key, write('第二稿'), listener);
      }
    };
    changeCase(key, write('第一稿'), listener);
    await flushCase(key);
    expect((await storedCase('T2-01'))?.name).toBe('第一稿');
    expect(hasPendingCase(key)).toBe(true);
    expect(readCaseDraft(key, '')?.name).toBe('第二稿');

    await flushCase(key);
    expect((await storedCase('T2-01'))?.name).toBe('第二稿');
    expect(hasPendingCase(key)).toBe(false);
    expect(readCaseDraft(key, '')).toBeNull();
    expect(states.at(-1)).toBe('saved');
  });

  it('keeps a write-up that cannot be saved, journaled, and says why', async () => {
    const key = annotationKey('T2-02', UNIT);
    let last: CaseSaveStatus | null = null;
    changeCase(key, write('', '只写了做法，没有案例名称'), (s) => (last = s));
    await flushCase(key);
    expect(last).toEqual({ state: 'invalid', message: expect.stringMatching(/案例名称/) });
    expect(await storedCase('T2-02')).toBeNull();
    expect(hasPendingCase(key)).toBe(true);
    expect(readCaseDraft(key, '')?.approach).toBe('只写了做法，没有案例名称');

    changeCase(key, write('补上名称', '只写了做法，没有案例名称'), (s) => (last = s));
    await flushCase(key);
    expect((await storedCase('T2-02'))?.name).toBe('补上名称');
    expect(last).toEqual({ state: 'saved', message: null });
  });

  it('saves nothing during an IME composition, and the committed text after it', async () => {
    const key = annotationKey('T2-03', UNIT);
    setCaseComposing(key, true);
    changeCase(key, write('anli'), null);
    await flushCase(key);
    expect(await storedCase('T2-03')).toBeNull();
    changeCase(key, write('案例'), null);
    setCaseComposing(key, false);
    await flushCase(key);
    expect((await storedCase('T2-03'))?.name).toBe('案例');
  });

  it('the open annotation form shows the write-up saved from the case view', async () => {
    const editor = useAnnotationEditor.getState();
    await editor.open('T2-04', UNIT);
    expect(useAnnotationEditor.getState().fields.caseStudy).toBeUndefined();
    const key = annotationKey('T2-04', UNIT);
    changeCase(key, write('表单里也能看到'), null);
    await flushCase(key);
    expect(useAnnotationEditor.getState().fields.caseStudy?.name).toBe('表单里也能看到');
    expect(useAnnotationEditor.getState().dirty).toBe(false);
  });
});
