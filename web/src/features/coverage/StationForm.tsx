import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type StationInput, saveStationMutation } from '../../api/stations';
import { stationKinds } from '../../api/vocabulary';

export interface StationDraft extends StationInput {
  id: number | null;
}

interface Props {
  draft: StationDraft;
  onDone: (id: number) => void;
  onCancel: () => void;
}

/**
 * Create or edit (and move) a station. The server validates (point inside the county, known town, kind) and
 * answers 400 naming the field; the message is shown next to the form. Coverage refetches after a save.
 */
export function StationForm({ draft, onDone, onCancel }: Props) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState(() => ({
    kind: draft.kind,
    name: draft.name,
    lon: String(draft.lon),
    lat: String(draft.lat),
    staffCount: String(draft.staffCount),
  }));
  const save = useMutation(saveStationMutation(client));
  const error = save.error instanceof ApiError ? save.error : null;
  const invalid = (field: string) => error?.body?.field === field || (field === 'lon' && error?.body?.field === 'lat');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        id: draft.id,
        input: {
          kind: form.kind,
          name: form.name.trim(),
          lon: Number(form.lon),
          lat: Number(form.lat),
          staffCount: Number(form.staffCount),
        },
      },
      { onSuccess: ({ id }) => onDone(id) },
    );
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form className="cov-form" onSubmit={submit} data-testid="station-form" noValidate>
      <h3 className="cov-form__title">{draft.id === null ? t('coverage.form.create') : t('coverage.form.edit')}</h3>
      <label>
        <span>{t('coverage.form.kind')}</span>
        <select value={form.kind} onChange={set('kind')} aria-invalid={invalid('kind')} data-testid="station-kind">
          {stationKinds.map((k) => (
            <option key={k} value={k}>
              {t(`stationKind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('coverage.form.name')}</span>
        <input value={form.name} onChange={set('name')} aria-invalid={invalid('name')} data-testid="station-name" />
      </label>
      <div className="cov-form__row">
        <label>
          <span>{t('coverage.form.lon')}</span>
          <input
            inputMode="decimal"
            value={form.lon}
            onChange={set('lon')}
            aria-invalid={invalid('lon')}
            data-testid="station-lon"
          />
        </label>
        <label>
          <span>{t('coverage.form.lat')}</span>
          <input
            inputMode="decimal"
            value={form.lat}
            onChange={set('lat')}
            aria-invalid={invalid('lat')}
            data-testid="station-lat"
          />
        </label>
        <label>
          <span>{t('coverage.form.staff')}</span>
          <input
            inputMode="numeric"
            value={form.staffCount}
            onChange={set('staffCount')}
            aria-invalid={invalid('staffCount')}
            data-testid="station-staff"
          />
        </label>
      </div>
      <p className="panel__hint">{t('coverage.form.hint')}</p>
      {save.isError ? (
        <p className="cov-form__error" role="alert" data-testid="station-error">
          {t('coverage.form.error', { message: error?.body?.message ?? save.error.message })}
        </p>
      ) : null}
      <div className="cov-form__actions">
        <button type="submit" className="button" disabled={save.isPending} data-testid="station-save">
          {save.isPending ? t('coverage.form.saving') : t('coverage.form.save')}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('coverage.form.cancel')}
        </button>
      </div>
    </form>
  );
}
