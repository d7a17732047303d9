import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AssessedUnit,
  type Assessment,
  type AssessmentBy,
  assessmentExportUrl,
  assessmentQuery,
} from '../../api/assessment';
import { regularityQuery } from '../../api/people';
import { currentLanguage } from '../../i18n';
import type zhCN from '../../i18n/zh-CN';
import { SCORE_BANDS, SCORE_RAMP, UNRANKED_FILL } from '../../map/assessment-layers';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import { MeetingRegularity } from '../people/MeetingRegularity';
import type { ViewProps } from '../views/types';
import { BriefingSchedules } from './BriefingSchedules';
import { BriefingsList } from './BriefingsList';
import { PeriodSelect } from './PeriodSelect';
import { useAssessmentState } from './useAssessmentState';
import './assessment.css';

const BYS: AssessmentBy[] = ['town', 'room', 'station'];
type IndicatorKey = keyof typeof zhCN.assessment.indicators;

export function formatIndicator(a: Assessment, key: string, v: number | null): string {
  if (v === null || v === undefined) return '–';
  return a.definitions[key]?.unit === 'days' ? v.toFixed(1) : `${(v * 100).toFixed(1)}%`;
}

function RankCell({ u }: { u: AssessedUnit }) {
  const { t } = useTranslation();
  if (u.rank === null) {
    return (
      <span className="asm-unranked" title={t(`assessment.notRanked.${u.notRankedReason ?? 'too_few_cases'}`)}>
        {t('assessment.notRankedShort')}
      </span>
    );
  }
  return (
    <span>
      {u.rank}
      {u.tied ? <span className="asm-tie">{t('assessment.tied')}</span> : null}
    </span>
  );
}

function Change({ n }: { n: number | null }) {
  const { t } = useTranslation();
  if (n === null) return <span className="asm-muted">–</span>;
  if (n === 0) return <span className="asm-muted">→ 0</span>;
  return (
    <span
      className={n > 0 ? 'asm-up' : 'asm-down'}
      title={t(n > 0 ? 'assessment.up' : 'assessment.down', { n: Math.abs(n) })}
    >
      {n > 0 ? '↑' : '↓'} {Math.abs(n)}
    </span>
  );
}

function Detail({ a, u }: { a: Assessment; u: AssessedUnit }) {
  const { t } = useTranslation();
  const en = currentLanguage() === 'en';
  return (
    <table className="asm-detail" data-testid="assessment-detail">
      <thead>
        <tr>
          <th>{t('assessment.indicator')}</th>
          <th>{t('assessment.value')}</th>
          <th>{t('assessment.counts')}</th>
          <th>{t('assessment.points')}</th>
          <th>{t('assessment.median')}</th>
        </tr>
      </thead>
      <tbody>
        {u.indicators.map((i) => (
          <tr key={i.key} title={en ? a.definitions[i.key]?.en : a.definitions[i.key]?.zh}>
            <td>{t(`assessment.indicators.${i.key as IndicatorKey}`)}</td>
            <td>{formatIndicator(a, i.key, i.value)}</td>
            <td>
              {a.definitions[i.key]?.unit === 'days' ? i.numerator.toFixed(1) : i.numerator}/{i.denominator}
            </td>
            <td>
              {i.points === null ? '–' : i.points.toFixed(1)} / {i.weight}
            </td>
            <td>{formatIndicator(a, i.key, a.median.indicators[i.key] ?? null)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The assessment (考核): scores and ranks of towns, joint mediation rooms or stations for a period. */
export function AssessmentPanel(_: ViewProps) {
  const { t } = useTranslation();
  const { asOf, period, setPeriod, by, setBy } = useAssessmentState();
  const q = useQuery({ ...assessmentQuery(period ?? '', by), enabled: period !== null });
  const [open, setOpen] = useState<string | null>(null);
  // Issue 18: each town's joint-meeting regularity beside its ranking (shown, not scored).
  const meetings = useQuery({ ...regularityQuery(null), enabled: by === 'town' });
  const lang = currentLanguage();
  if (!asOf || !period) return <QueryLoading />;
  const a = q.data;
  return (
    <section className="panel asm" data-testid="assessment-panel">
      <h2 className="panel__title">{t('assessment.title')}</h2>
      <div className="asm-controls">
        <PeriodSelect asOf={asOf} value={period} onChange={setPeriod} testId="assessment-period" />
        <label className="asm-field">
          <span>{t('assessment.by')}</span>
          <select value={by} onChange={(e) => setBy(e.target.value as AssessmentBy)} data-testid="assessment-by">
            {BYS.map((b) => (
              <option key={b} value={b}>
                {t(`assessment.byOption.${b}`)}
              </option>
            ))}
          </select>
        </label>
        <a className="button button--ghost" href={assessmentExportUrl(period, by, 'xlsx', lang)} download>
          XLSX
        </a>
        <a className="button button--ghost" href={assessmentExportUrl(period, by, 'csv', lang)} download>
          CSV
        </a>
      </div>
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {!a ? (
        q.isError ? null : (
          <QueryLoading />
        )
      ) : (
        <>
          <p className="asm-note">
            {t('assessment.note', {
              from: a.period.from,
              to: a.period.to,
              version: a.standard.version,
              min: a.standard.minCases,
              median: a.median.score === null ? '–' : a.median.score.toFixed(1),
            })}
          </p>
          <div className="asm-legend">
            <span>{t('assessment.legend')}</span>
            {SCORE_RAMP.map((c, i) => (
              <span key={c}>
                <i style={{ background: c }} /> {i === 0 ? `<${SCORE_BANDS[0]}` : `${SCORE_BANDS[i - 1]}+`}
              </span>
            ))}
            <span>
              <i style={{ background: UNRANKED_FILL }} /> {t('assessment.unranked')}
            </span>
          </div>
          <table className="asm-table" data-testid="assessment-table">
            <thead>
              <tr>
                <th>{t('assessment.rank')}</th>
                <th>{t('assessment.unit')}</th>
                <th>{t('assessment.found')}</th>
                <th>{t('assessment.score')}</th>
                <th>{t('assessment.change')}</th>
              </tr>
            </thead>
            <tbody>
              {a.units.map((u) => (
                <Fragment key={u.key}>
                  <tr
                    className={u.ranked ? 'asm-row' : 'asm-row asm-row--unranked'}
                    data-testid="assessment-row"
                    onClick={() => setOpen(open === u.key ? null : u.key)}
                  >
                    <td>
                      <RankCell u={u} />
                    </td>
                    <td>
                      {u.name}
                      {by !== 'town' ? <span className="asm-muted"> · {u.townName}</span> : null}
                    </td>
                    <td>{u.found}</td>
                    <td>{u.score === null ? '–' : u.score.toFixed(1)}</td>
                    <td>
                      <Change n={u.rankChange} />
                    </td>
                  </tr>
                  {open === u.key ? (
                    <tr>
                      <td colSpan={5}>
                        <Detail a={a} u={u} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </>
      )}
      {by === 'town' && meetings.data ? (
        <MeetingRegularity
          r={meetings.data}
          title={t('assessment.meetings', { every: t(`people.meetings.every.${meetings.data.every}`) })}
        />
      ) : null}
      <BriefingsList />
      <BriefingSchedules />
    </section>
  );
}
