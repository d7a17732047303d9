import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiUrl, getJson } from '../../api/client';
import { peopleKeys } from '../../api/people';
import { QueryError, QueryLoading } from '../common/QueryStatus';

interface Unit {
  key: string | null;
  name: string | null;
  townCode: string;
}
interface SatisfactionUnit extends Unit {
  visits: number;
  satisfied: number;
  basically: number;
  not: number;
  rate: number | null;
}
interface CompletenessUnit extends Unit {
  cases: number;
  complete: number;
  present: number;
  missing: number;
  rate: number | null;
}

const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/**
 * Follow-up visits and dossiers at a glance (issue 18): overdue first visits, satisfaction with its counts and
 * dossier completeness, per town for the county and per handling station (room) inside a town.
 */
export function FollowUpFigures({ town }: { town: string | null }) {
  const { t } = useTranslation();
  const by = town ? 'station' : 'town';
  const params = { town, by };
  const overdue = useQuery({
    queryKey: [...peopleKeys.visits, 'overdue', town],
    queryFn: ({ signal }) =>
      getJson<{ total: number; upcoming: number }>(apiUrl('/api/visits/overdue', { town, limit: 1 }), signal),
  });
  const satisfaction = useQuery({
    queryKey: [...peopleKeys.visits, 'satisfaction', town],
    queryFn: ({ signal }) => getJson<{ units: SatisfactionUnit[] }>(apiUrl('/api/visits/satisfaction', params), signal),
  });
  const dossier = useQuery({
    queryKey: [...peopleKeys.dossier, 'completeness', town],
    queryFn: ({ signal }) =>
      getJson<{ units: CompletenessUnit[] }>(apiUrl('/api/dossier/completeness', params), signal),
  });
  const failed = [overdue, satisfaction, dossier].find((q) => q.isError);
  const rows = new Map<string, { name: string; s?: SatisfactionUnit; d?: CompletenessUnit }>();
  for (const s of satisfaction.data?.units ?? [])
    rows.set(s.key ?? '', { name: s.name ?? t('peopleWork.figures.unknown'), s });
  for (const d of dossier.data?.units ?? []) {
    const r = rows.get(d.key ?? '') ?? { name: d.name ?? t('peopleWork.figures.unknown') };
    rows.set(d.key ?? '', { ...r, d });
  }
  return (
    <section className="people-card" data-testid="follow-up-figures">
      <h3>{t('peopleWork.figures.title')}</h3>
      {failed ? <QueryError error={failed.error} onRetry={() => failed.refetch()} /> : null}
      {overdue.data ? (
        <p className="cases-hint" data-testid="visits-overdue">
          {t('peopleWork.figures.overdue', { overdue: overdue.data.total, upcoming: overdue.data.upcoming })}
        </p>
      ) : null}
      {satisfaction.isPending || dossier.isPending ? <QueryLoading lines={3} /> : null}
      {rows.size > 0 ? (
        <table className="people-table" data-testid="follow-up-table">
          <thead>
            <tr>
              <th>{t(by === 'town' ? 'peopleWork.figures.town' : 'peopleWork.figures.station')}</th>
              <th className="num">{t('peopleWork.figures.visits')}</th>
              <th className="num">{t('peopleWork.figures.satisfaction')}</th>
              <th className="num">{t('peopleWork.figures.dossier')}</th>
            </tr>
          </thead>
          <tbody>
            {[...rows.entries()].map(([key, r]) => (
              <tr key={key}>
                <td>{r.name}</td>
                <td className="num">{r.s?.visits ?? 0}</td>
                <td className="num">
                  {r.s
                    ? t('peopleWork.figures.satisfactionValue', {
                        rate: pct(r.s.rate),
                        satisfied: r.s.satisfied,
                        basically: r.s.basically,
                        not: r.s.not,
                      })
                    : '–'}
                </td>
                <td className="num">
                  {r.d ? t('peopleWork.figures.dossierValue', { rate: pct(r.d.rate), cases: r.d.cases }) : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="cases-hint">{t('peopleWork.figures.note')}</p>
    </section>
  );
}
