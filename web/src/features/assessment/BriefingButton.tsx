import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { briefingUrl } from '../../api/assessment';
import { currentLanguage } from '../../i18n';
import { useMe } from '../auth/useMe';
import { PeriodSelect } from './PeriodSelect';
import { lastCompleteMonth } from './periods';
import { useAssessmentState } from './useAssessmentState';
import './assessment.css';

/** "生成专报": the period's briefing as a PDF made on the server (county roles, as the server allows). */
export function BriefingButton() {
  const { t } = useTranslation();
  const me = useMe();
  const { asOf } = useAssessmentState();
  const [period, setPeriod] = useState<string | null>(null);
  if (!me || (me.role !== 'admin' && me.role !== 'leader') || !asOf) return null;
  const chosen = period ?? lastCompleteMonth(asOf);
  const lang = currentLanguage();
  return (
    <div className="brief no-print" data-testid="briefing-box">
      <PeriodSelect asOf={asOf} value={chosen} onChange={setPeriod} testId="briefing-period" />
      <a className="button" href={briefingUrl(chosen, lang)} download data-testid="briefing-button">
        {t('briefing.button')}
      </a>
      <a className="button button--ghost" href={briefingUrl(chosen, lang, 'xlsx')} download>
        {t('briefing.xlsx')}
      </a>
    </div>
  );
}
