import { useTranslation } from 'react-i18next';
import { useCaller } from './useCaller';

/** The header's link to /admin, shown to county administrators only (the server refuses others anyway). */
export function AdminLink() {
  const { t } = useTranslation();
  const caller = useCaller();
  if (caller?.role !== 'admin' || window.location.pathname.startsWith('/admin')) return null;
  return (
    <a className="admin-link" href="/admin" data-testid="admin-link">
      {t('admin.nav')}
    </a>
  );
}
