import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { configQuery } from '../../api/config';

/** Shown unless the server says the data is real: synthetic figures must never pass for official ones. */
export function DemoNotice() {
  const { t } = useTranslation();
  const config = useQuery(configQuery());
  if (config.data?.demo === false) return null;
  return (
    <div className="demo-notice" role="note" data-testid="demo-notice">
      <strong>{t('notice.demo')}</strong>
      <span className="demo-notice__detail">{t('notice.demoDetail')}</span>
    </div>
  );
}
