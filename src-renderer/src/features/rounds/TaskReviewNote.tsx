/**
 * On a task: the supervisor's latest review decision for this unit (a 退回补充 badge with its comment,
 * 通过, 销号) and the 报送 / 审核 exchange on the task (who, when, what comment). Shows nothing for a
 * task that was never submitted or reviewed.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { reviewStateOf, taskRoundHistory, type RoundEvent } from '../../../../src-main/shared/rounds/model';
import type { ReviewDecision } from '../../../../src-main/shared/rounds/schema';
import { db } from '../../db/db';
import { onDataChange } from '../../db/mutate';
import { when } from '../../i18n/time';
import { decisionsOfTask, listSubmissions } from './roundService';

const COLORS = { pass: 'green', return: 'red', close: 'blue', submitted: 'gray' } as const;

export function TaskReviewNote({ taskId, unitCode }: { taskId: string; unitCode: string }) {
  const { t } = useTranslation();
  const [latest, setLatest] = useState<ReviewDecision | null>(null);
  const [events, setEvents] = useState<RoundEvent[]>([]);
  const load = useCallback(async () => {
    const [decisions, submissions] = await Promise.all([decisionsOfTask(db, taskId, unitCode), listSubmissions(db)]);
    setLatest(reviewStateOf(decisions, taskId, unitCode));
    setEvents(taskRoundHistory(taskId, unitCode, submissions, decisions));
  }, [taskId, unitCode]);
  useEffect(() => {
    void load();
    return onDataChange((c) => {
      if (c.kind === 'round' || c.kind === 'import' || c.kind === 'restore') void load();
    });
  }, [load]);
  if (!latest && events.length === 0) return null;
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
      {events.length > 0 && (
        <details className="task-review-history">
          <summary>{t('review.history')}（{events.length}）</summary>
          <Timeline
            items={events.map((e) => ({
              color: COLORS[e.what],
              children: (
                <Typography.Text>
                  {when(e.at)} · {e.who.name} · {e.what === 'submitted' ? t('review.submittedEvent') : t(`review.${e.what}`)}
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
