import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';

interface BreadcrumbProps {
  town: string | null;
  onSelectTown: (code: string | null) => void;
  /** The caller's scope is this one town: no way up to the county. */
  fixed?: boolean;
}

export function Breadcrumb({ town, onSelectTown, fixed = false }: BreadcrumbProps) {
  const { t } = useTranslation();
  const towns = useQuery(adminUnitsQuery('town'));
  const name = town ? (towns.data?.features.find((f) => f.properties.code === town)?.properties.name ?? null) : null;
  return (
    <nav className="breadcrumb" aria-label={t('breadcrumb.label')} data-testid="breadcrumb">
      <ol>
        <li>
          {town && !fixed ? (
            <button type="button" className="breadcrumb__link" onClick={() => onSelectTown(null)}>
              {t('breadcrumb.county')}
            </button>
          ) : (
            <span aria-current="page">{t('breadcrumb.county')}</span>
          )}
        </li>
        {town ? (
          <li>
            <span aria-current="page" data-testid="breadcrumb-town">
              {name ?? (towns.isPending ? '…' : t('towns.unknown', { code: town }))}
            </span>
          </li>
        ) : null}
      </ol>
      {town && !fixed ? (
        <button
          type="button"
          className="button button--ghost"
          data-testid="back-to-county"
          onClick={() => onSelectTown(null)}
        >
          ← {t('breadcrumb.back')}
        </button>
      ) : null}
    </nav>
  );
}
