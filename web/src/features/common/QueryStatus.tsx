import { useTranslation } from 'react-i18next';

interface QueryErrorProps {
  error: Error | null;
  onRetry: () => void;
}

/** What a panel shows when its query failed: the reason and a retry button. */
export function QueryError({ error, onRetry }: QueryErrorProps) {
  const { t } = useTranslation();
  return (
    <div className="query-error" role="alert">
      <span>{t('state.error', { message: error?.message ?? '' })}</span>
      <button type="button" className="button" onClick={onRetry}>
        {t('state.retry')}
      </button>
    </div>
  );
}

export function QueryLoading({ lines = 3 }: { lines?: number }) {
  const { t } = useTranslation();
  return (
    <div className="query-loading" role="status" aria-live="polite">
      <span className="visually-hidden">{t('state.loading')}</span>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders that never reorder
        <span key={i} className="skeleton" />
      ))}
    </div>
  );
}
