import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../api/auth';
import { rulesQuery, setRule } from '../../api/notifications';
import { QueryError, QueryLoading } from '../common/QueryStatus';

const audienceCodes = [
  'county',
  'town',
  'station',
  'town_room',
  'town_judicial_office',
  'town_police_station',
  'villages',
  'addressed',
] as const;
type Audience = (typeof audienceCodes)[number];
const isAudience = (v: string): v is Audience => (audienceCodes as readonly string[]).includes(v);

const kindCodes = [
  'case.created',
  'case.changed',
  'case.handoff',
  'screening.high_risk',
  'task.assigned',
  'task.accepted',
  'task.reported',
  'task.closed',
  'task.sent_back',
  'task.overdue',
  'task.escalated',
  'warning.raised',
] as const;
type Kind = (typeof kindCodes)[number];
const isKind = (v: string): v is Kind => (kindCodes as readonly string[]).includes(v);

/**
 * Who receives which kind (信息互通): one row per event kind, one checkbox per role × audience the role can take.
 * Each change is one PUT (audited); scope is enforced by the server whatever is ticked here.
 */
export function NotificationRulesSection() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useQuery(rulesQuery());
  const save = useMutation({
    mutationFn: setRule,
    onSuccess: (next) => qc.setQueryData(rulesQuery().queryKey, next),
  });
  if (rules.isPending) return <QueryLoading lines={6} />;
  if (rules.isError) return <QueryError error={rules.error} onRetry={() => void rules.refetch()} />;
  const { kinds, roles, audiencesOfRole } = rules.data;
  const on = new Set(rules.data.rules.map((r) => `${r.kind}|${r.role}|${r.audience}`));
  const columns = roles.flatMap((role) => (audiencesOfRole[role] ?? []).map((audience) => ({ role, audience })));
  return (
    <section className="panel" aria-label={t('notificationRules.title')} data-testid="notification-rules">
      <h2>{t('notificationRules.title')}</h2>
      <p>{t('notificationRules.intro')}</p>
      <div className="admin-table-wrap">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('notificationRules.kind')}</th>
              {columns.map((c) => (
                <th key={`${c.role}|${c.audience}`} scope="col">
                  {t(`auth.role.${c.role as Role}`)}
                  <br />
                  <small>{isAudience(c.audience) ? t(`notificationRules.audiences.${c.audience}`) : c.audience}</small>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => (
              <tr key={k.kind}>
                <th scope="row">{isKind(k.kind) ? t(`notificationRules.kinds.${k.kind}`) : k.kind}</th>
                {columns.map((c) => {
                  const key = `${k.kind}|${c.role}|${c.audience}`;
                  return (
                    <td key={key}>
                      <input
                        type="checkbox"
                        data-testid={`rule-${key}`}
                        aria-label={`${k.kind} ${c.role} ${c.audience}`}
                        checked={on.has(key)}
                        disabled={save.isPending}
                        onChange={(e) =>
                          save.mutate({ kind: k.kind, role: c.role, audience: c.audience, enabled: e.target.checked })
                        }
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
