import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { type CaseDetail, type CaseFields, type CaseLocation, type NewParty, saveCaseMutation } from '../../api/cases';
import { ApiError } from '../../api/client';
import {
  disputeCategories as CATEGORIES,
  type DisputeCategory,
  isOneOf,
  riskLevels as RISKS,
  type RiskLevel,
} from '../../api/vocabulary';
import { parsePoint } from '../../lib/cases';
import { useCaseState } from './useCaseState';

interface Props {
  town: string | null;
  editing: CaseDetail | null;
  onSaved: (c: CaseDetail) => void;
}

/** Create or edit a case; the location is a map click or a village of the selected town. */
export function CaseForm({ town, editing, onSaved }: Props) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { at, setAt, setMode } = useCaseState();
  const picked = parsePoint(at);
  const villages = useQuery({ ...adminUnitsQuery('village', town ?? undefined), enabled: town !== null });
  const [category, setCategory] = useState<DisputeCategory>(editing?.category ?? 'neighbour');
  const [riskLevel, setRisk] = useState<RiskLevel>(editing?.riskLevel ?? 'yellow');
  const [summary, setSummary] = useState(editing?.summary ?? '');
  const [village, setVillage] = useState('');
  const [threat, setThreat] = useState(editing?.threat ?? false);
  const [injury, setInjury] = useState(editing?.injury ?? false);
  const [party, setParty] = useState({ name: '', phone: '', idNumber: '' });

  const save = useMutation(saveCaseMutation(qc));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const location: CaseLocation = picked
      ? { lon: picked.lon, lat: picked.lat }
      : village
        ? { villageCode: village }
        : {};
    const fields: CaseFields = { category, riskLevel, summary, threat, injury, ...location };
    const parties: NewParty[] = party.name
      ? [
          {
            role: 'applicant',
            name: party.name,
            ...(party.phone ? { phone: party.phone } : {}),
            ...(party.idNumber ? { idNumber: party.idNumber } : {}),
          },
        ]
      : [];
    save.mutate(
      editing
        ? { id: editing.id, body: { ...fields, version: editing.version } }
        : { id: null, body: { ...fields, parties } },
      {
        onSuccess: (c) => {
          setAt(null, true);
          setMode(null, true);
          onSaved(c);
        },
      },
    );
  };
  const needsPlace = !editing && !picked && !village;
  const error = save.error instanceof ApiError ? (save.error.body?.message ?? save.error.message) : save.error?.message;

  return (
    <form className="cases-form" onSubmit={submit} data-testid="case-form">
      <h3 className="section-title">
        {editing ? t('cases.form.editTitle', { caseNo: editing.caseNo }) : t('cases.form.newTitle')}
      </h3>
      <p className={picked ? 'cases-picked' : 'cases-hint'} data-testid="case-picked">
        {picked
          ? t('cases.form.picked', { lon: picked.lon.toFixed(5), lat: picked.lat.toFixed(5) })
          : t('cases.form.pickHint')}
      </p>
      <label>
        <span>{t('cases.form.village')}</span>
        <select
          value={village}
          onChange={(e) => setVillage(e.target.value)}
          disabled={town === null || picked !== null}
        >
          <option value="">{town === null ? t('cases.form.villageNeedsTown') : t('cases.form.villageNone')}</option>
          {villages.data?.features.map((f) => (
            <option key={String(f.properties.code)} value={String(f.properties.code)}>
              {String(f.properties.name)}
            </option>
          ))}
        </select>
      </label>
      <div className="cases-form-row">
        <label>
          <span>{t('cases.field.category')}</span>
          <select
            value={category}
            onChange={(e) => isOneOf(CATEGORIES, e.target.value) && setCategory(e.target.value)}
            data-testid="case-category"
          >
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('cases.field.risk')}</span>
          <select value={riskLevel} onChange={(e) => isOneOf(RISKS, e.target.value) && setRisk(e.target.value)}>
            {RISKS.map((r) => (
              <option key={r} value={r}>
                {t(`riskLevel.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        <span>{t('cases.field.summary')}</span>
        <textarea
          value={summary}
          rows={2}
          maxLength={4000}
          onChange={(e) => setSummary(e.target.value)}
          data-testid="case-summary"
        />
      </label>
      <div className="cases-form-row cases-checks">
        <label>
          <input type="checkbox" checked={threat} onChange={(e) => setThreat(e.target.checked)} />
          {t('cases.field.threat')}
        </label>
        <label>
          <input type="checkbox" checked={injury} onChange={(e) => setInjury(e.target.checked)} />
          {t('cases.field.injury')}
        </label>
      </div>
      {editing ? null : (
        <fieldset>
          <legend>{t('cases.form.party')}</legend>
          <input
            placeholder={t('cases.form.partyName')}
            value={party.name}
            onChange={(e) => setParty({ ...party, name: e.target.value })}
            data-testid="party-name"
          />
          <input
            placeholder={t('cases.form.partyPhone')}
            value={party.phone}
            onChange={(e) => setParty({ ...party, phone: e.target.value })}
            data-testid="party-phone"
          />
          <input
            placeholder={t('cases.form.partyId')}
            value={party.idNumber}
            onChange={(e) => setParty({ ...party, idNumber: e.target.value })}
            data-testid="party-id"
          />
        </fieldset>
      )}
      {error ? (
        <p className="cases-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="cases-form-row">
        <button type="submit" className="button" disabled={needsPlace || save.isPending} data-testid="case-save">
          {save.isPending ? t('cases.form.saving') : t('cases.form.save')}
        </button>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => {
            setAt(null, true);
            setMode(null, true);
          }}
        >
          {t('cases.form.cancel')}
        </button>
      </div>
    </form>
  );
}
