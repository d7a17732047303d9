import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accountsQuery } from '../../api/accounts';
import { AUDIT_PAGE, type AuditFilter, type AuditRow, auditQuery } from '../../api/audit';
import { roles } from '../../api/auth';
import { isOneOf } from '../../api/vocabulary';
import { formatCount } from '../../lib/format';
import { QueryBoundary } from '../common/QueryBoundary';
import { describeAction, NAMED_ACTIONS, RESOURCES, WRITE_ACTIONS } from './actions';
import { formatDateTime } from './format';

/** An audit action in words: "login" + failed → "Failed sign-in", "PATCH /api/disputes/:id" → "Change case". */
export function actionLabel(t: TFunction, action: string, outcome = 'ok'): string {
  const words = describeAction(action, outcome);
  if (words.kind === 'named') {
    return words.name === 'login' && words.failed
      ? t('admin.audit.actions.loginFailed')
      : t(`admin.audit.actions.${words.name}`);
  }
  if (words.kind === 'write' && words.known) {
    if (words.step) return t(`admin.audit.steps.${words.step}`);
    return t(`admin.audit.verbs.${words.verb}`, { what: t(`admin.audit.resources.${words.resource}`) });
  }
  return action;
}

/** The audit trail, newest first: filters by action, actor and outcome; pages back with `before`. */
export function AuditSection() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<{ action: string; actor: string; outcome: string }>({
    action: '',
    actor: '',
    outcome: '',
  });
  const [filter, setFilter] = useState<AuditFilter>({});
  // The `before` cursors of the pages walked so far: the last one is the page shown.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const audit = useQuery(auditQuery({ ...filter, before }));
  const accounts = useQuery(accountsQuery());

  const apply = (next: typeof draft) => {
    setFilter({
      action: next.action || undefined,
      actor: next.actor.trim() || undefined,
      outcome: next.outcome || undefined,
    });
    setCursors([undefined]);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const rows = audit.data?.rows ?? [];
  const total = audit.data?.total ?? 0;
  const offset = (cursors.length - 1) * AUDIT_PAGE;
  const last = rows[rows.length - 1];
  const hasOlder = last !== undefined && offset + rows.length < total;

  return (
    <section className="panel admin-section" aria-labelledby="admin-audit-title" data-testid="admin-audit">
      <div className="panel__heading">
        <h3 id="admin-audit-title" className="panel__title">
          {t('admin.audit.title')}
        </h3>
      </div>
      <p className="panel__hint">{t('admin.audit.hint')}</p>
      <form className="admin-filters" onSubmit={submit} data-testid="audit-filters">
        <select
          name="action"
          aria-label={t('admin.audit.action')}
          value={draft.action}
          onChange={(e) => {
            const next = { ...draft, action: e.target.value };
            setDraft(next);
            apply(next);
          }}
        >
          <option value="">{t('admin.audit.anyAction')}</option>
          <optgroup label={t('admin.audit.named')}>
            {NAMED_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(t, a)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('admin.audit.writes')}>
            {WRITE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(t, a)}
              </option>
            ))}
          </optgroup>
        </select>
        <input
          name="actor"
          list="admin-audit-actors"
          placeholder={t('admin.audit.actorPlaceholder')}
          aria-label={t('admin.audit.actor')}
          value={draft.actor}
          onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
        />
        <datalist id="admin-audit-actors">
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={a.username}>
              {a.displayName}
            </option>
          ))}
        </datalist>
        <select
          name="outcome"
          aria-label={t('admin.audit.outcome')}
          value={draft.outcome}
          onChange={(e) => {
            const next = { ...draft, outcome: e.target.value };
            setDraft(next);
            apply(next);
          }}
        >
          <option value="">{t('admin.audit.anyOutcome')}</option>
          {(['ok', 'denied', 'failed'] as const).map((o) => (
            <option key={o} value={o}>
              {t(`admin.audit.outcomes.${o}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button" data-testid="audit-apply">
          {t('admin.audit.apply')}
        </button>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => {
            const empty = { action: '', actor: '', outcome: '' };
            setDraft(empty);
            apply(empty);
          }}
        >
          {t('admin.audit.clear')}
        </button>
      </form>
      <QueryBoundary
        query={audit}
        lines={6}
        isEmpty={() => rows.length === 0}
        empty={
          <p className="muted" data-testid="audit-empty">
            {t('admin.audit.empty')}
          </p>
        }
      >
        {() => (
          <>
            <div className={`admin-table-wrap${audit.isPlaceholderData ? ' admin-table-wrap--stale' : ''}`}>
              <table className="admin-table admin-table--audit" data-testid="audit-table">
                <thead>
                  <tr>
                    <th>{t('admin.audit.time')}</th>
                    <th>{t('admin.audit.actor')}</th>
                    <th>{t('admin.audit.action')}</th>
                    <th>{t('admin.audit.target')}</th>
                    <th>{t('admin.audit.outcome')}</th>
                    <th>{t('admin.audit.ip')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <AuditLine key={r.id} row={r} locale={i18n.language} />
                  ))}
                </tbody>
              </table>
            </div>
            <div className="admin-pager">
              <span className="muted" data-testid="audit-range">
                {/* While the next page loads the previous rows stay (dimmed): no range until they match it. */}
                {audit.isPlaceholderData
                  ? t('state.loading')
                  : t('admin.audit.range', {
                      from: formatCount(offset + 1, i18n.language),
                      to: formatCount(offset + rows.length, i18n.language),
                      total: formatCount(total, i18n.language),
                    })}
              </span>
              <button
                type="button"
                className="button button--ghost"
                disabled={cursors.length === 1}
                onClick={() => setCursors([undefined])}
              >
                {t('admin.audit.newest')}
              </button>
              <button
                type="button"
                className="button button--ghost"
                disabled={cursors.length === 1}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                {t('admin.audit.newer')}
              </button>
              <button
                type="button"
                className="button button--ghost"
                disabled={!hasOlder || audit.isPlaceholderData}
                data-testid="audit-older"
                onClick={() => last && setCursors([...cursors, last.id])}
              >
                {t('admin.audit.older')}
              </button>
            </div>
          </>
        )}
      </QueryBoundary>
    </section>
  );
}

/** Actor kinds other than a person's account, named in brackets after the name. */
const ACTOR_KINDS = ['anonymous', 'system', 'token'] as const;
const RESOURCES_WITH_WORDS = [...RESOURCES, 'export', 'ogc'] as const;

function AuditLine({ row, locale }: { row: AuditRow; locale: string }) {
  const { t } = useTranslation();
  const who =
    row.actorKind === 'account'
      ? row.actorName
      : `${row.actorName ?? ''} (${isOneOf(ACTOR_KINDS, row.actorKind) ? t(`admin.audit.actorKind.${row.actorKind}`) : row.actorKind})`;
  return (
    <tr data-testid="audit-row" data-id={row.id} data-action={row.action} className={`admin-audit--${row.outcome}`}>
      <td data-label={t('admin.audit.time')} className="admin-nowrap">
        {formatDateTime(row.at, locale)}
      </td>
      <td data-label={t('admin.audit.actor')}>
        <span>{who}</span>
        {row.role ? (
          <small className="muted"> {isOneOf(roles, row.role) ? t(`auth.role.${row.role}`) : row.role}</small>
        ) : null}
      </td>
      <td data-label={t('admin.audit.action')} title={row.action}>
        {actionLabel(t, row.action, row.outcome)}
      </td>
      <td data-label={t('admin.audit.target')}>
        {row.targetType
          ? isOneOf(RESOURCES_WITH_WORDS, row.targetType)
            ? t(`admin.audit.resources.${row.targetType}`)
            : row.targetType
          : null}
        {row.targetId ? ` #${row.targetId}` : null}
      </td>
      <td data-label={t('admin.audit.outcome')}>
        <span className={`admin-badge admin-badge--${row.outcome}`}>{t(`admin.audit.outcomes.${row.outcome}`)}</span>
      </td>
      <td data-label={t('admin.audit.ip')} className="admin-nowrap">
        {row.ip}
      </td>
    </tr>
  );
}
