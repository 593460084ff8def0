import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Period } from '../../../../src-main/shared/snapshot/model';
import type { SnapshotPlan, PeriodUpdate } from '../../../../src-main/shared/snapshot/importPlan';

/** 「2024年度」, with the dates when only they differ from the other version. */
function label(p: Period, other: Period): string {
  return p.name === other.name ? `「${p.name}」（${p.start}—${p.end}）` : `「${p.name}」`;
}

/**
 * In the import preview: the periods the bundle renames or re-dates here (its change is newer), and
 * those it has in an older version than a change made here (kept: an import never undoes a newer
 * local change). Nothing when the bundle's periods are new or the same.
 */
export function PeriodImportNote({ plan }: { plan: SnapshotPlan | undefined }) {
  const { t } = useTranslation();
  if (!plan) return null;
  const list = (us: PeriodUpdate[]) => us.map((u) => t('periodRenames.change', { from: label(u.before, u.theirs), to: label(u.theirs, u.before) })).join('；');
  return (
    <>
      {plan.updatedPeriods.length > 0 && (
        <Typography.Paragraph type="secondary" className="import-periods-updated">
          {t('periodRenames.updated', { count: plan.updatedPeriods.length, list: list(plan.updatedPeriods) })}
        </Typography.Paragraph>
      )}
      {plan.keptPeriods.length > 0 && (
        <Typography.Paragraph type="secondary" className="import-periods-kept">
          {t('periodRenames.kept', { count: plan.keptPeriods.length, list: list(plan.keptPeriods) })}
        </Typography.Paragraph>
      )}
    </>
  );
}
