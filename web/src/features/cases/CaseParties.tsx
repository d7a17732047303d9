import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Party, revealPartyMutation } from '../../api/cases';
import { useMe } from '../auth/useMe';

/**
 * The parties of a case, masked (as every answer carries them). Roles allowed to (GET /api/auth/me tells) reveal
 * one party at a time; each reveal is audited on the server. The clear values live in this component's state
 * only (never in the query cache) and are gone when the case closes or "hide" is pressed.
 */
export function CaseParties({ caseId, parties }: { caseId: number; parties: Party[] }) {
  const { t } = useTranslation();
  const mayReveal = useMe()?.mayRevealPersonalData === true;
  return (
    <section aria-label={t('cases.parties')}>
      <h4>{t('cases.parties')}</h4>
      <ul className="case-parties" data-testid="case-parties">
        {parties.map((p) => (
          <PartyRow key={`${caseId}-${p.id}`} caseId={caseId} party={p} mayReveal={mayReveal} />
        ))}
      </ul>
      <p className="cases-hint">{mayReveal ? t('cases.maskedReveal') : t('cases.masked')}</p>
    </section>
  );
}

function PartyRow({ caseId, party, mayReveal }: { caseId: number; party: Party; mayReveal: boolean }) {
  const { t } = useTranslation();
  const [clear, setClear] = useState<Party | null>(null);
  const reveal = useMutation(revealPartyMutation(useQueryClient()));
  const shown = clear ?? party;
  return (
    <li className={`case-party${clear ? ' case-party--clear' : ''}`} data-testid={`case-party-${party.id}`}>
      <span className="case-party-text">
        {t(`cases.role.${party.role}`)}: {shown.name} {shown.phone ?? ''} {shown.idNumber ?? ''}
      </span>
      {mayReveal ? (
        clear ? (
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => {
              setClear(null);
              reveal.reset();
            }}
          >
            {t('cases.hide')}
          </button>
        ) : (
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="case-party-reveal"
            disabled={reveal.isPending}
            onClick={() => reveal.mutate({ caseId, partyId: party.id }, { onSuccess: setClear })}
          >
            {reveal.isPending ? t('cases.revealing') : t('cases.reveal')}
          </button>
        )
      ) : null}
      {clear ? <small className="case-party-note">{t('cases.revealedAudited')}</small> : null}
      {reveal.isError ? (
        <small className="form-error" role="alert">
          {t('cases.revealError', { message: reveal.error.message })}
        </small>
      ) : null}
    </li>
  );
}
