import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/useMe';
import { viewsFor } from './registry';

export function ViewTabs({ active, onChange }: { active: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const views = viewsFor(useMe()?.role ?? null);
  if (views.length < 2) return null;
  return (
    <div className="view-tabs" role="tablist" aria-label={t('views.label')}>
      {views.map((view) => (
        <button
          key={view.id}
          type="button"
          role="tab"
          aria-selected={view.id === active}
          className={view.id === active ? 'view-tab view-tab--active' : 'view-tab'}
          data-testid={`view-tab-${view.id}`}
          onClick={() => onChange(view.id)}
        >
          {t(view.labelKey)}
        </button>
      ))}
    </div>
  );
}
