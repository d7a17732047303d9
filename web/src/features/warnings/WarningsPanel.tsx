import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckRule } from '../../api/people';
import {
  acknowledgeWarningMutation,
  dismissWarningMutation,
  type Warning,
  type WarningFilters,
  type WarningRuleCode,
  warningRuleCodes,
  warningRulesQuery,
  warningsQuery,
} from '../../api/warnings';
import { formatCount, formatDate } from '../../lib/format';
import { WARNING_COLORS } from '../../map/warnings-layers';
import { useMe } from '../auth/useMe';
import { QueryBoundary } from '../common/QueryBoundary';
import { useFilters } from '../filters/useFilters';
import { useUrlParam } from '../selection/useUrlParam';
import { AssignTaskButton } from '../tasks/TaskForm';
import './warnings.css';

const isRule = (v: string | null): v is WarningRuleCode => (warningRuleCodes as readonly string[]).includes(v ?? '');

/** The warnings' filters: the dashboard's (town, time range, category), the rule picked here, open or all. */
export function useWarningFilters(town: string | null): WarningFilters {
  const { state } = useFilters();
  const [rule] = useUrlParam('warningRule');
  const [all] = useUrlParam('warningsAll');
  return {
    town: town ?? undefined,
    from: state.from ?? undefined,
    to: state.to ?? undefined,
    category: state.category ?? undefined,
    rule: isRule(rule) ? rule : undefined,
    status: all === '1' ? undefined : 'open,acknowledged',
  };
}

/** Chinese users write dates as 2023年5月17日; English gets ISO. */
export function dayLabel(iso: string, lang: string): string {
  const day = formatDate(iso);
  if (!lang.startsWith('zh')) return day;
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const n = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

/** What made the warning fire, in a line. */
export function warningSummary(t: TFunction, w: Warning): string {
  const e = w.evidence;
  switch (w.rule) {
    case 'acceptance_overdue':
      return t('warnings.summary.acceptance_overdue', {
        caseNo: w.caseNo,
        hours: n(e.hoursWaiting),
        limit: n(e.limitHours),
      });
    case 'repeat_party':
      return t('warnings.summary.repeat_party', { count: n(e.count), days: n(e.windowDays) });
    case 'escalation':
      return e.trigger === 'rising'
        ? t('warnings.summary.escalation_rising', {
            caseNo: w.caseNo,
            from: n(e.from),
            score: n(e.score),
            rise: n(e.rise),
          })
        : t('warnings.summary.escalation_high', { caseNo: w.caseNo, score: n(e.score), min: n(e.minScore) });
    case 'emerging_hotspot':
      return t('warnings.summary.emerging_hotspot', {
        pattern: t(e.pattern === 'new' ? 'warnings.pattern.new' : 'warnings.pattern.intensifying'),
        months: n(e.recentMonths),
        recent: n(e.recent),
        earlier: n(e.earlier),
      });
    case 'screening_overdue':
      return t('warnings.summary.screening_overdue', { round: String(e.roundName ?? ''), days: n(e.daysOverdue) });
    case 'room_overload':
      return t('warnings.summary.room_overload', {
        open: n(e.open),
        mediators: n(e.mediators),
        per: e.perMediator === null ? '∞' : n(e.perMediator),
        max: n(e.maxOpenPerMediator),
      });
    case 'reopened_soon':
      return t('warnings.summary.reopened_soon', {
        caseNo: w.caseNo,
        from: String(e.fromCaseNo ?? ''),
        days: n(e.daysAfterResolution),
      });
    case 'mediator_register': {
      // The register's own check texts (the 调解员 view lists the same findings).
      const check = REGISTER_CHECKS.find((c) => c === e.check);
      if (!check) return t('warnings.rule.mediator_register');
      const text = t(`people.checks.${check}`, {
        due: String(e.due ?? ''),
        days: n(e.daysLeft),
        station: w.stationName ?? '',
        hours: n(e.hours),
        required: n(e.requiredHours),
      });
      return w.mediatorName ? `${w.mediatorName}：${text}` : text;
    }
  }
}

const REGISTER_CHECKS = [
  'appointment_expiring',
  'qualification_expiring',
  'room_without_assistant',
  'training_short',
] as const satisfies readonly CheckRule[];

export function placeOf(w: Pick<Warning, 'townName' | 'villageName' | 'stationName'>, t: TFunction): string {
  const parts = [w.townName ?? t('warnings.countyWide'), w.villageName, w.stationName].filter(Boolean);
  return parts.join(' · ');
}

function WarningItem({
  w,
  canAct,
  role,
  definition,
}: {
  w: Warning;
  canAct: boolean;
  role: string | undefined;
  definition: string;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [reason, setReason] = useState<string | null>(null);
  const ack = useMutation(acknowledgeWarningMutation(client));
  const dismiss = useMutation(dismissWarningMutation(client));
  const error = ack.error ?? dismiss.error;
  const settled = w.status === 'dismissed' || w.status === 'tasked';
  return (
    <li className={`warning-item${settled ? ' warning-item--settled' : ''}`} data-testid="warning-item" data-id={w.id}>
      <div className="warning-item__head">
        <span className="swatch swatch--dot" style={{ background: WARNING_COLORS[w.rule] }} />
        <strong title={definition}>{t(`warnings.rule.${w.rule}`)}</strong>
        {w.level === 'county' ? <span className="warning-badge">{t('warnings.county')}</span> : null}
        <span className={`warning-status warning-status--${w.status}`}>{t(`warnings.status.${w.status}`)}</span>
      </div>
      <div className="warning-item__summary">{warningSummary(t, w)}</div>
      <div className="warning-item__meta">
        {placeOf(w, t)} · {dayLabel(w.raisedAt, i18n.language)}
        {w.dismissReason ? ` · ${t('warnings.reason')}：${w.dismissReason}` : ''}
      </div>
      {canAct && !settled ? (
        reason === null ? (
          <div className="warning-item__actions">
            {w.status === 'open' ? (
              <button
                type="button"
                className="button button--ghost"
                disabled={ack.isPending}
                onClick={() => ack.mutate(w)}
              >
                {t('warnings.acknowledge')}
              </button>
            ) : null}
            <button type="button" className="button button--ghost" onClick={() => setReason('')}>
              {t('warnings.dismiss')}
            </button>
          </div>
        ) : (
          <form
            className="warning-item__actions"
            onSubmit={(e) => {
              e.preventDefault();
              if (reason.trim()) dismiss.mutate({ warning: w, reason: reason.trim() });
            }}
          >
            <input
              aria-label={t('warnings.reason')}
              placeholder={t('warnings.reasonPlaceholder')}
              value={reason}
              maxLength={2000}
              onChange={(e) => setReason(e.target.value)}
            />
            <button type="submit" className="button button--ghost" disabled={!reason.trim() || dismiss.isPending}>
              {t('warnings.confirmDismiss')}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setReason(null)}>
              {t('warnings.cancel')}
            </button>
          </form>
        )
      ) : null}
      {/* A county-wide warning (a party across towns) has no town whose stations could take it. */}
      {!settled && w.townCode ? (
        <AssignTaskButton
          role={role}
          subject={{
            kind: 'warning',
            town: w.townCode,
            label: `${t(`warnings.rule.${w.rule}`)} · ${w.caseNo ?? w.villageName ?? w.stationName ?? w.townName ?? ''}`,
            warningId: w.id,
            ...(w.villageCode ? { villageCode: w.villageCode } : {}),
          }}
        />
      ) : null}
      {error ? <div className="warning-item__error">{error.message}</div> : null}
    </li>
  );
}

/** The overview's warnings list: what needs doing today in the caller's scope, with every rule's definition. */
export function WarningsPanel({ town }: { town: string | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const filters = useWarningFilters(town);
  const [, setRule] = useUrlParam('warningRule');
  const [all, setAll] = useUrlParam('warningsAll');
  const list = useQuery(warningsQuery(filters));
  const rules = useQuery(warningRulesQuery());
  const me = useMe();
  const canAct = me?.role === 'admin' || me?.role === 'town_officer' || me?.role === 'station_staff';
  const definitions = new Map((rules.data?.rules ?? []).map((r) => [r.code, r.definition[lang]]));

  return (
    <section className="panel" aria-labelledby="warnings-title" data-testid="warnings-panel">
      <div className="panel__heading">
        <h2 id="warnings-title" className="panel__title">
          {t('warnings.title')}
        </h2>
        {list.data ? (
          <span className="panel__hint" data-testid="warnings-total">
            {t('warnings.total', { count: list.data.total, n: formatCount(list.data.total, i18n.language) })}
          </span>
        ) : null}
      </div>
      <fieldset className="warning-chips" aria-label={t('warnings.byRule')}>
        <button
          type="button"
          className={`warning-chip${filters.rule ? '' : ' warning-chip--on'}`}
          onClick={() => setRule(null)}
        >
          {t('warnings.allRules')}
        </button>
        {warningRuleCodes.map((code) => (
          <button
            key={code}
            type="button"
            title={definitions.get(code)}
            className={`warning-chip${filters.rule === code ? ' warning-chip--on' : ''}`}
            onClick={() => setRule(filters.rule === code ? null : code)}
          >
            <span className="swatch swatch--dot" style={{ background: WARNING_COLORS[code] }} />
            {t(`warnings.rule.${code}`)}
            {list.data && !filters.rule ? ` ${formatCount(list.data.byRule[code] ?? 0, i18n.language)}` : ''}
          </button>
        ))}
      </fieldset>
      <label className="warning-all">
        <input type="checkbox" checked={all === '1'} onChange={(e) => setAll(e.target.checked ? '1' : null)} />
        {t('warnings.showSettled')}
      </label>
      <QueryBoundary
        query={list}
        isEmpty={(d) => d.items.length === 0}
        empty={<p className="muted">{t('warnings.none')}</p>}
      >
        {(d) => (
          <ul className="warning-list">
            {d.items.map((w) => (
              <WarningItem
                key={w.id}
                w={w}
                canAct={canAct}
                role={me?.role}
                definition={definitions.get(w.rule) ?? ''}
              />
            ))}
          </ul>
        )}
      </QueryBoundary>
      <details className="warning-rules" data-testid="warning-rules">
        <summary>{t('warnings.definitions')}</summary>
        <dl>
          {(rules.data?.rules ?? []).map((r) => (
            <div key={r.code} className={r.enabled ? '' : 'muted'}>
              <dt>
                <span className="swatch swatch--dot" style={{ background: WARNING_COLORS[r.code] }} />
                {t(`warnings.rule.${r.code}`)}
                {r.enabled ? '' : ` (${t('warnings.disabled')})`}
              </dt>
              <dd>{r.definition[lang]}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}
