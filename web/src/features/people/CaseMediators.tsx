import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { caseMediatorsQuery, mediatorsQuery, saveCaseMediatorsMutation } from '../../api/people';

/**
 * The mediators named on a case (names masked), and for case workers a picker: the active mediators serving the
 * case's town or its station (the server checks the same rule and answers 400 naming `mediatorIds` otherwise).
 */
export function CaseMediators({
  caseId,
  town,
  stationId,
  canEdit,
}: {
  caseId: number;
  town: string;
  stationId: number | null;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const named = useQuery(caseMediatorsQuery(caseId));
  const [picking, setPicking] = useState<Set<number> | null>(null);
  const register = useQuery({ ...mediatorsQuery(town, null), enabled: picking !== null });
  // The register's figures (cases, load per mediator) count the case too: the factory refreshes the register.
  const save = useMutation(saveCaseMediatorsMutation(qc));
  if (!named.data) return null;
  const candidates = (register.data?.items ?? []).filter(
    (m) => m.active && (m.townCode === town || (stationId !== null && m.stationId === stationId)),
  );
  const message =
    save.error instanceof ApiError ? (save.error.body?.message ?? save.error.message) : save.error?.message;
  const toggle = (id: number) =>
    setPicking((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="people-visits" aria-label={t('people.caseMediators.title')} data-testid="case-mediators">
      <h4>{t('people.caseMediators.title')}</h4>
      {named.data.length === 0 ? <p className="cases-hint">{t('people.caseMediators.unassigned')}</p> : null}
      <ul className="people-list" data-testid="case-mediator-list">
        {named.data.map((m) => (
          <li key={m.id} data-id={m.id}>
            {m.name} · {t(`people.kind.${m.kind}`)}
            {m.stationName ? ` · ${m.stationName}` : ''}
          </li>
        ))}
      </ul>
      {canEdit && picking === null ? (
        <button
          type="button"
          className="button button--ghost"
          data-testid="case-mediators-edit"
          onClick={() => setPicking(new Set(named.data.map((m) => m.id)))}
        >
          {t('people.caseMediators.edit')}
        </button>
      ) : null}
      {picking !== null ? (
        <form
          className="people-form"
          data-testid="case-mediators-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ caseId, mediatorIds: [...picking] }, { onSuccess: () => setPicking(null) });
          }}
        >
          <p className="cases-hint wide">{t('people.caseMediators.hint')}</p>
          {register.isPending ? <p className="cases-hint wide">{t('people.caseMediators.loading')}</p> : null}
          <div className="people-checkboxes wide">
            {candidates.map((m) => (
              <label key={m.id}>
                <input
                  type="checkbox"
                  value={m.id}
                  checked={picking.has(m.id)}
                  onChange={() => toggle(m.id)}
                  data-testid={`case-mediator-pick-${m.id}`}
                />
                {m.name} · {t(`people.kind.${m.kind}`)} · {m.stationName ?? m.villageName ?? m.townName}
                <small className="muted">{t('people.caseMediators.load', { count: m.figures.load })}</small>
              </label>
            ))}
          </div>
          {message ? (
            <p className="cases-error wide" role="alert">
              {message}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={save.isPending} data-testid="case-mediators-save">
            {t('people.caseMediators.save', { count: picking.size })}
          </button>
          <button type="button" className="button button--ghost" onClick={() => setPicking(null)}>
            {t('people.caseMediators.cancel')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
