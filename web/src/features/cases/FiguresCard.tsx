import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { caseFiguresQuery, type FigureUnit } from '../../api/cases';
import { referralKinds } from '../../api/vocabulary';
import { percent } from '../../lib/cases';
import { QueryBoundary } from '../common/QueryBoundary';

/** The assessment figures of a town (acceptance, success, times, levels, referrals), each with its counts. */
export function FiguresCard({ town }: { town: string | null }) {
  const { t } = useTranslation();
  const q = useQuery({ ...caseFiguresQuery(town, 'town'), enabled: town !== null });
  const byStation = useQuery({ ...caseFiguresQuery(town, 'station'), enabled: town !== null });
  if (town === null) return <p className="cases-hint">{t('cases.figures.pickTown')}</p>;
  return (
    <QueryBoundary
      query={q}
      lines={2}
      isEmpty={(d) => !d.units.some((x) => x.key === town)}
      empty={<p className="cases-hint">{t('cases.empty')}</p>}
    >
      {(d) => {
        const u = d.units.find((x) => x.key === town);
        return u ? <TownFigures u={u} byStation={byStation.data?.units ?? []} /> : null;
      }}
    </QueryBoundary>
  );
}

function TownFigures({ u, byStation }: { u: FigureUnit; byStation: FigureUnit[] }) {
  const { t } = useTranslation();
  const referrals = referralKinds.flatMap((k) =>
    (u.referrals[k] ?? 0) > 0 ? [[k, u.referrals[k] ?? 0] as const] : [],
  );
  return (
    <section className="cases-figures" aria-label={t('cases.figures.title')} data-testid="case-figures">
      <h3 className="section-title">{t('cases.figures.title', { name: u.name })}</h3>
      <dl>
        <div>
          <dt>{t('cases.figures.found')}</dt>
          <dd data-testid="fig-found">{u.found.toLocaleString()}</dd>
        </div>
        <div>
          <dt>{t('cases.figures.acceptance')}</dt>
          <dd>
            {percent(u.acceptanceRate)}
            <small>
              {u.accepted}/{u.found}
            </small>
          </dd>
        </div>
        <div>
          <dt>{t('cases.figures.success')}</dt>
          <dd data-testid="fig-success">
            {percent(u.successRate)}
            <small data-testid="fig-resolved">
              {u.resolved}/{u.closed}
            </small>
          </dd>
        </div>
        <div>
          <dt>{t('cases.figures.village')}</dt>
          <dd>
            {percent(u.villageShare)}
            <small>
              {u.resolvedAtVillage}/{u.resolved}
            </small>
          </dd>
        </div>
        <div>
          <dt>{t('cases.figures.townOrBelow')}</dt>
          <dd>
            {percent(u.townOrBelowShare)}
            <small>
              {u.resolvedAtVillage + u.resolvedAtTown}/{u.resolved}
            </small>
          </dd>
        </div>
        <div>
          <dt>{t('cases.figures.days')}</dt>
          <dd>
            {u.daysToAccept ?? '—'} / {u.daysToResolve ?? '—'}
            <small>{t('cases.figures.daysUnit')}</small>
          </dd>
        </div>
      </dl>
      <p className="cases-referrals">
        {t('cases.figures.referrals', { count: u.referred })}
        {referrals.map(([k, n]) => ` · ${t(`cases.referral.${k}`)} ${n}`).join('')}
      </p>
      {byStation.length > 0 ? (
        <table className="cases-station-figures" data-testid="case-station-figures">
          <thead>
            <tr>
              <th>{t('cases.field.station')}</th>
              <th>{t('cases.figures.found')}</th>
              <th>{t('cases.figures.acceptance')}</th>
              <th>{t('cases.figures.success')}</th>
            </tr>
          </thead>
          <tbody>
            {byStation.map((s) => (
              <tr key={s.key}>
                <td>{s.name}</td>
                <td>{s.found}</td>
                <td title={`${s.accepted}/${s.found}`}>{percent(s.acceptanceRate)}</td>
                <td title={`${s.resolved}/${s.closed}`}>{percent(s.successRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
