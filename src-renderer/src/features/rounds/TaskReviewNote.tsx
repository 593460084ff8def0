/**
 * On a task: the supervisor's latest review decision for this unit (a 退回补充 badge with its comment,
 * 通过, 销号), an approved 延期申请 (old → new deadline, who approved it, when, in which round) and
 * the 报送 / 审核 exchange on the task (who, when, what comment, the dates of a 延期申请 and its
 * answer). Shows nothing for a task that was never submitted or reviewed.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { approvedExtension, reviewStateOf, taskRoundHistory, type RoundEvent } from '../../../../src-main/shared/rounds/model';
import type { ReviewDecision } from '../../../../src-main/shared/rounds/schema';
import { db } from '../../db/db';
import { onDataChange } from '../../db/mutate';
import { when } from '../../i18n/time';
import { cnDate } from '../../../../src-main/shared/time';
import { decisionsOfTask, listSubmissions } from './roundService';

const COLORS = { pass: 'green', return: 'red', close: 'blue', extend: 'purple', refuse_extension: 'orange', extensionAsked: 'gray', submitted: 'gray' } as const;

export function TaskReviewNote({ taskId, unitCode }: { taskId: string; unitCode: string }) {
  const { t } = useTranslation();
  const [latest, setLatest] = useState<ReviewDecision | null>(null);
  const [events, setEvents] = useState<RoundEvent[]>([]);
  const [extended, setExtended] = useState<ReturnType<typeof approvedExtension>>(null);
  const [roundNames, setRoundNames] = useState<Map<string, string>>(new Map());
  const load = useCallback(async () => {
    const [decisions, submissions, rounds] = await Promise.all([decisionsOfTask(db, taskId, unitCode), listSubmissions(db), db.rounds.toArray()]);
    setLatest(reviewStateOf(decisions, taskId, unitCode));
    setExtended(approvedExtension(decisions, taskId, unitCode));
    setEvents(taskRoundHistory(taskId, unitCode, submissions, decisions));
    setRoundNames(new Map(rounds.map((r) => [r.id, r.name])));
  }, [taskId, unitCode]);
  useEffect(() => {
    void load();
    return onDataChange((c) => {
      if (c.kind === 'round' || c.kind === 'import' || c.kind === 'restore') void load();
    });
  }, [load]);
  if (!latest && !extended && events.length === 0) return null;
  const date = (d: string | null) => (d ? cnDate(d) : t('rounds.noDeadline'));
  return (
    <div className="task-review-note" data-decision={latest?.decision ?? ''}>
      {latest && (
        <Alert
          type={latest.decision === 'return' ? 'error' : latest.decision === 'close' ? 'info' : 'success'}
          showIcon
          title={
            <span>
              <Tag color={COLORS[latest.decision]}>{t(`review.${latest.decision}`)}</Tag>
              {t('review.badge')} · {latest.by.name} · {when(latest.at)}
            </span>
          }
          description={latest.comment || undefined}
        />
      )}
      {extended && (
        <Alert
          className="task-extension-note"
          type="info"
          showIcon
          title={t('review.extended', { from: date(extended.extension.from), to: date(extended.extension.to), by: extended.by.name, time: when(extended.at), round: roundNames.get(extended.roundId) ?? extended.roundId })}
          description={extended.comment || undefined}
        />
      )}
      {events.length > 0 && (
        <details className="task-review-history">
          <summary>{t('review.history')}（{events.length}）</summary>
          <Timeline
            items={events.map((e) => ({
              color: COLORS[e.what],
              children: (
                <Typography.Text>
                  {when(e.at)} · {e.who.name} · {e.what === 'submitted' ? t('review.submittedEvent') : t(`review.${e.what}`)}
                  {e.extension ? t('review.extensionDates', { from: date(e.extension.from), to: date(e.extension.to) }) : ''}
                  {e.comment ? `：${e.comment}` : ''}
                </Typography.Text>
              ),
            }))}
          />
        </details>
      )}
    </div>
  );
}
