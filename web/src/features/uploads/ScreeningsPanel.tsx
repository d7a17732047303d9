import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { configQuery } from '../../api/config';
import { batchScreeningsQuery, recentBatchesQuery, roundProgressQuery, roundsQuery } from '../../api/uploads';
import { formatDate } from '../../lib/format';
import { STATE_COLORS } from '../../map/uploads-layers';
import { QueryBoundary } from '../common/QueryBoundary';
import { QueryError } from '../common/QueryStatus';
import { useUrlParam } from '../selection/useUrlParam';
import type { ViewProps } from '../views/types';
import './uploads.css';

const STATES = ['risks', 'zero', 'overdue', 'pending'] as const;

/** Reads a positive integer URL parameter (round, batch). */
export function useIdParam(name: string): [number | null, (id: number | null) => void] {
  const [raw, set] = useUrlParam(name);
  const id = raw && /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : null;
  return [id, (v) => set(v === null ? null : String(v))];
}

/**
 * The round the view shows: the one in the URL, else the current one, the latest started by the county's today
 * (the demo's 2023-05-17, not the clock's), so the view opens on the round people are working on.
 */
export function useShownRound(): [number | null, (id: number | null) => void] {
  const [round, setRound] = useIdParam('round');
  const rounds = useQuery(roundsQuery());
  const asOf = useQuery(configQuery()).data?.asOf;
  if (round !== null || !asOf) return [round, setRound];
  const today = formatDate(asOf);
  // The list comes newest first (GET /api/screening-rounds).
  return [rounds.data?.find((r) => r.startsOn <= today)?.id ?? null, setRound];
}

/** The screenings view: a round's progress per town, and the points of an upload batch. */
export function ScreeningsPanel({ onSelectTown }: ViewProps) {
  const { t } = useTranslation();
  const [round, setRound] = useShownRound();
  const [batch, setBatch] = useIdParam('batch');
  const rounds = useQuery(roundsQuery());
  const progress = useQuery(roundProgressQuery(round));
  const batches = useQuery(recentBatchesQuery());
  const points = useQuery(batchScreeningsQuery(batch));
  return (
    <>
      <section className="panel">
        <p className="panel__hint">{t('uploads.panelIntro')}</p>
        <a className="button" href="/upload" data-testid="upload-link">
          {t('uploads.uploadLink')}
        </a>
      </section>
      <section className="panel">
        <h2 className="panel__title">{t('uploads.round')}</h2>
        <QueryBoundary
          query={rounds}
          lines={1}
          isEmpty={(d) => d.length === 0}
          empty={<p className="muted">{t('uploads.roundsEmpty')}</p>}
        >
          {(list) => (
            <select
              className="scr-select"
              value={round ?? ''}
              onChange={(e) => setRound(e.target.value ? Number(e.target.value) : null)}
              data-testid="round-select"
            >
              {round === null ? <option value="">{t('uploads.noRound')}</option> : null}
              {list.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} · {t('uploads.due', { date: r.dueOn })}
                </option>
              ))}
            </select>
          )}
        </QueryBoundary>
        {round !== null ? (
          <>
            <div className="scr-legend">
              {STATES.map((s) => (
                <span key={s}>
                  <i style={{ background: STATE_COLORS[s] }} />
                  {t(`uploads.state.${s}`)}
                </span>
              ))}
            </div>
            <h3 className="panel__title">{t('uploads.progress')}</h3>
            <QueryBoundary query={progress} lines={4}>
              {(towns) => (
                <div className="town-progress" data-testid="town-progress">
                  {towns.map((p) => (
                    <button
                      type="button"
                      key={p.townCode}
                      className="town-progress__row row-button"
                      onClick={() => onSelectTown(p.townCode)}
                      title={t('uploads.reported', { done: p.risks + p.zero, total: p.villages })}
                    >
                      <span>{p.townName}</span>
                      <span className="town-progress__bar">
                        {STATES.map((s) => (
                          <span
                            key={s}
                            style={{ width: `${(100 * p[s]) / Math.max(1, p.villages)}%`, background: STATE_COLORS[s] }}
                          />
                        ))}
                      </span>
                      <span>
                        {p.risks + p.zero}/{p.villages}
                      </span>
                    </button>
                  ))}
                </div>
              )}
            </QueryBoundary>
          </>
        ) : null}
      </section>
      <section className="panel">
        <h2 className="panel__title">{t('uploads.batch')}</h2>
        {batches.isError ? <QueryError error={batches.error} onRetry={() => void batches.refetch()} /> : null}
        <select
          className="scr-select"
          value={batch ?? ''}
          onChange={(e) => setBatch(e.target.value ? Number(e.target.value) : null)}
          data-testid="batch-select"
        >
          <option value="">{t('uploads.noBatch')}</option>
          {batch !== null && !batches.data?.some((b) => b.id === batch) ? (
            <option value={batch}>#{batch}</option>
          ) : null}
          {batches.data?.map((b) => (
            <option key={b.id} value={b.id}>
              #{b.id} {b.fileName ?? b.format} · {b.rowsAccepted}/{b.rowsTotal}
            </option>
          ))}
        </select>
        {batch !== null ? (
          <QueryBoundary query={points} lines={1}>
            {(d) => (
              <p className="muted" data-testid="batch-points">
                {t('uploads.batchPoints', { id: batch, count: d.features.length })}
              </p>
            )}
          </QueryBoundary>
        ) : null}
      </section>
    </>
  );
}
