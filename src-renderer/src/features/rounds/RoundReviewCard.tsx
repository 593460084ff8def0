/**
 * The dashboard's line per unit for the open round (the first not past its due date, else the
 * latest): 报送 on time / late / not yet, tasks accepted (通过 or 销号), returned (退回补充), and tasks
 * of the latest 报送 still awaiting review. Nothing when there is no round.
 */
import { useMemo } from 'react';
import { Card, Table, Tag } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../../src-main/shared/time';
import { openRound, roundReviewSummary, type UnitReviewSummary } from '../../../../src-main/shared/rounds/model';
import { db } from '../../db/db';
import { useSessionStore } from '../../store/sessionStore';

const STATE_COLORS = { onTime: 'green', late: 'orange', missing: 'default' } as const;

export function RoundReviewCard() {
  const { t } = useTranslation();
  const units = useSessionStore((s) => s.units);
  const data = useLiveQuery(async () => {
    const [rounds, submissions, reviews] = await Promise.all([db.rounds.toArray(), db.submissions.toArray(), db.reviews.filter((d) => d.reviewId !== null).toArray()]);
    return { rounds, submissions, reviews };
  }, []);
  const round = useMemo(() => (data ? openRound(data.rounds, chinaToday()) : null), [data]);
  const rows = useMemo(() => (data && round ? roundReviewSummary(round, data.submissions, data.reviews) : []), [data, round]);
  if (!round) return null;
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  return (
    <Card size="small" className="dash-round-review" title={t('dashboard.roundReview', { name: round.name, date: round.dueDate })}>
      <Table<UnitReviewSummary>
        size="small"
        rowKey="unitCode"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('rounds.unit'), dataIndex: 'unitCode', render: (c: string) => unitName(c) },
          { title: t('rounds.state'), dataIndex: 'state', render: (s: keyof typeof STATE_COLORS) => <Tag color={STATE_COLORS[s]}>{t(`rounds.state_${s}`)}</Tag> },
          { title: t('dashboard.accepted'), dataIndex: 'accepted' },
          { title: t('dashboard.returned'), dataIndex: 'returned', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : n) },
          { title: t('dashboard.awaitingReview'), dataIndex: 'pending' },
        ]}
        summary={(list) => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{t('dashboard.roundTotal')}</Table.Summary.Cell>
            <Table.Summary.Cell index={1}>{t('dashboard.submittedOf', { count: list.filter((r) => r.state !== 'missing').length, total: list.length })}</Table.Summary.Cell>
            <Table.Summary.Cell index={2}>{list.reduce((n, r) => n + r.accepted, 0)}</Table.Summary.Cell>
            <Table.Summary.Cell index={3}>{list.reduce((n, r) => n + r.returned, 0)}</Table.Summary.Cell>
            <Table.Summary.Cell index={4}>{list.reduce((n, r) => n + r.pending, 0)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}
