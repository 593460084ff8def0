/**
 * 情况通报: the circular's model over one round (who submitted on time, late, not at all, at the
 * Beijing-time boundary of the due date; counts in plan tasks; returned items with their comments;
 * overdue by the one rule; 销号) and its Word document in the 公文 frame.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { buildCircularModel, circularTitle, type CircularInput } from '../../src-main/shared/report/circular';
import { renderCircularDocx } from '../../src-main/main/report/circularDocx';
import type { ReviewDecision, Round, Submission } from '../../src-main/shared/rounds/schema';
import type { Author } from '../../src-main/shared/domain';
import { corpus } from './bundle-fixtures';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers } from '../../src-main/main/handlers';
import { createBackupStore } from '../../src-main/main/services/backups';
import { EMPTY_FORM } from '../../src-main/shared/report/draft';
import { ok } from '../../src-main/shared/result';

const SUP: Author = { name: '钱督办', unitCode: 'SJBM' };
const UNITS = [
  { code: '320102', name: '玄武区' },
  { code: '320104', name: '秦淮区' },
  { code: '320105', name: '建邺区' },
];
const round: Round = {
  id: 'r-2026-11',
  name: '2026年11月月报',
  unitCodes: UNITS.map((u) => u.code),
  tables: [1],
  opensAt: '2026-11-01T01:00:00.000Z',
  dueDate: '2026-11-10',
  createdBy: SUP,
  createdAt: '2026-11-01T01:00:00.000Z',
  updatedAt: '2026-11-01T01:00:00.000Z',
};
const sub = (id: string, unitCode: string, submittedAt: string, updatedTaskIds: string[]): Submission => ({
  id,
  roundId: round.id,
  unitCode,
  author: { name: '经办', unitCode },
  submittedAt,
  updatedTaskIds,
  digest: '0'.repeat(64),
});
const decision = (id: string, unitCode: string, taskId: string, kind: ReviewDecision['decision'], comment: string, at: string, reviewId: string | null = 'rv-1'): ReviewDecision => ({
  id,
  roundId: round.id,
  unitCode,
  taskId,
  submissionId: 's',
  decision: kind,
  comment,
  by: SUP,
  at,
  reviewId,
});
const ann = (unitCode: string, taskId: string, status: 'on_track' | 'done' | 'delayed', deadline: string | null) => ({ unitCode, taskId, status, deadline, problems: '', updatedAt: '2026-11-05T02:00:00.000Z' });

function input(over: Partial<CircularInput> = {}): CircularInput {
  return {
    round,
    // 玄武区 at 23:59 Beijing time on the due day (15:59 UTC): on time; 秦淮区 at 00:01 the next day (16:01 UTC): late; 建邺区 never.
    submissions: [sub('s1', '320102', '2026-11-10T15:59:00.000Z', ['T1-01', 'T1-02']), sub('s2', '320104', '2026-11-10T16:01:00.000Z', ['T1-01', 'T1-03'])],
    reviews: [
      decision('d1', '320102', 'T1-02', 'return', '请补充营业执照复印件', '2026-11-12T02:00:00.000Z'),
      decision('d2', '320104', 'T1-01', 'close', '', '2026-11-12T03:00:00.000Z'),
      // A draft is not a decision yet.
      decision('d3', '320104', 'T1-03', 'return', '草稿意见', '2026-11-12T04:00:00.000Z', null),
    ],
    annotations: [ann('320102', 'T1-04', 'on_track', '2026-06-30'), ann('320104', 'T1-04', 'delayed', '2026-09-30'), ann('320102', 'T1-05', 'done', '2026-01-01')],
    units: UNITS,
    tasks: corpus().tasks,
    asOf: '2026-11-15',
    ...over,
  };
}

describe('情况通报 model', () => {
  it('classifies units at the due date’s Beijing-time boundary: 23:59 on the day is on time, 00:01 the next day late', () => {
    const m = buildCircularModel(input());
    expect(m.onTime).toEqual(['玄武区']);
    expect(m.late).toEqual(['秦淮区']);
    expect(m.missing).toEqual(['建邺区']);
    expect(m.paragraphs.submissions.join('')).toContain('未报送的单位：建邺区。');
    expect(m.paragraphs.next.join('')).toContain('请建邺区于收到本通报后3个工作日内完成「2026年11月月报」报送');
  });

  it('counts plan tasks: two units updating T1-01 is one task, and the round covers 表1’s tasks only', () => {
    const m = buildCircularModel(input());
    expect(m.planTasks).toBe(corpus().tasks.filter((t) => t.table === 1).length);
    expect(m.tasksUpdated).toBe(3); // T1-01, T1-02, T1-03
    expect(m.paragraphs.progress[0]).toContain('共更新试点任务3项');
    // T1-04 overdue for two units is one overdue task naming both; T1-05 is done, never overdue.
    expect(m.overdue.map((t) => [t.taskId, t.unitNames])).toEqual([['T1-04', ['玄武区', '秦淮区']]]);
    const xw = m.units.find((u) => u.code === '320102')!;
    expect(xw.statusCounts.not_started + xw.statusCounts.on_track + xw.statusCounts.done).toBe(m.planTasks);
  });

  it('lists returned tasks by unit with the supervisor’s comment; drafts do not count; 销号 listed apart', () => {
    const m = buildCircularModel(input());
    expect(m.returns).toEqual([{ unitName: '玄武区', items: [expect.objectContaining({ taskId: 'T1-02', comment: '请补充营业执照复印件' })] }]);
    expect(m.returnedCount).toBe(1);
    expect(m.closed.map((t) => t.taskId)).toEqual(['T1-01']);
    expect(m.units.map((u) => [u.name, u.returned, u.closed])).toEqual([['玄武区', 1, 0], ['秦淮区', 0, 1], ['建邺区', 0, 0]]);
  });

  it('a later pass replaces an earlier return of the same task', () => {
    const m = buildCircularModel(input({ reviews: [...input().reviews, decision('d4', '320102', 'T1-02', 'pass', '', '2026-11-13T02:00:00.000Z', 'rv-2')] }));
    expect(m.returns).toEqual([]);
    expect(m.paragraphs.problems).toEqual(['本轮审核未发现需退回补充的事项。']);
  });

  it('titles the circular from the round’s period', () => {
    expect(circularTitle('2026年11月月报')).toBe('关于2026年11月服务业扩大开放综合试点任务推进情况的通报');
    expect(circularTitle('2026年第四季度')).toBe('关于2026年第四季度服务业扩大开放综合试点任务推进情况的通报');
  });
});

describe('情况通报 docx', () => {
  it('carries the 公文 elements: 版头 with 发文字号 and 签发人, title, 主送机关, the four sections, the unit table, 落款 and 版记', async () => {
    const m = buildCircularModel({
      ...input(),
      signDate: '2026-11-16',
      form: { recipients: '', header: { orgMark: '', docNumber: '宁试点办〔2026〕5号', signer: '张三' }, seal: false, note: '联系人：李四，电话：025-12345678', copyTo: '市商务局', printer: '', printDate: null },
    });
    const files = unzipSync(await renderCircularDocx(m));
    const xml = strFromU8(files['word/document.xml']!);
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of [
      '宁试点办〔2026〕5号',
      '签发人：',
      '张三',
      '关于2026年11月服务业扩大开放综合试点任务推进情况的通报',
      '玄武区、秦淮区、建邺区：',
      '一、报送情况',
      '二、推进情况',
      '三、存在问题（退回补充事项）',
      '四、下步要求',
      '请补充营业执照复印件',
      '南京市服务业扩大开放综合试点工作领导小组办公室',
      '2026年11月16日',
      '（联系人：李四，电话：025-12345678）',
      '抄送：市商务局。',
    ]) {
      expect(text, s).toContain(s);
    }
    // The unit table: one row per unit with its state.
    expect(text).toMatch(/玄武区2026年11月10日按时/);
    expect(text).toMatch(/秦淮区2026年11月11日逾期/);
    expect(text).toMatch(/建邺区—未报/);
    // 版记 in a section that starts on an even page.
    expect(xml).toContain('w:val="evenPage"');
  });
});

describe('情况通报 from the rounds screen (circular:export in main)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'circular-'));
  let savePath: string | null = null;
  const handlers = createHandlers({
    corpus: () => ok(corpus()),
    info: { name: 'PilotDesk', version: '0', shell: 'harness', platform: 'linux' },
    dialogs: { showOpen: async () => null, showOpenMany: async () => null, showSave: async () => savePath },
    openPath: async () => '',
    showInFolder: () => {},
    storageOrigin: async (o) => o,
    backups: createBackupStore(join(dir, 'backups')),
    quitReady: () => {},
  });
  const { tasks: _tasks, ...rest } = input();
  void _tasks;

  it('builds the circular of the round the page sends over the plan’s tasks and saves it where the person chose', async () => {
    savePath = join(dir, '情况通报.docx');
    const form = { ...EMPTY_FORM, header: { orgMark: '南京市服务业扩大开放综合试点工作领导小组办公室文件', docNumber: '宁试点办[2026]5号', signer: '' }, copyTo: '市商务局' };
    const r = await handlers['circular:export']({ input: { ...rest, form }, defaultName: '情况通报' });
    expect(r).toEqual({ ok: true, value: { canceled: false, path: savePath } });
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(savePath)))['word/document.xml']!);
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain(circularTitle(round.name));
    // The 发文字号 as the CLI takes it: [2026] becomes 〔2026〕.
    expect(text).toContain('宁试点办〔2026〕5号');
    expect(text).toContain('请补充营业执照复印件');
    expect(text).toContain('抄送：市商务局');
  });

  it('refuses a wrong 发文字号 or a form with a line break in Chinese, and writes no file', async () => {
    savePath = join(dir, 'bad.docx');
    const bad = await handlers['circular:export']({ input: { ...rest, form: { ...EMPTY_FORM, header: { orgMark: 'x', docNumber: '第五号', signer: '' } } }, defaultName: 'bad' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('不是发文字号');
    const broken = await handlers['circular:export']({ input: { ...rest, form: { ...EMPTY_FORM, copyTo: '市商务局\n市发改委' } }, defaultName: 'bad' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.message).toContain('抄送机关不能换行');
    expect(existsSync(savePath)).toBe(false);
    savePath = null;
    expect(await handlers['circular:export']({ input: rest, defaultName: 'x' })).toEqual({ ok: true, value: { canceled: true } });
    rmSync(dir, { recursive: true, force: true });
  });
});
