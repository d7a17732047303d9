/**
 * Popup bodies for a clicked case or station, built as DOM nodes with textContent: names come from uploads,
 * so nothing from a feature is ever parsed as HTML.
 */
import type { TFunction } from 'i18next';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { categoryLabel, riskLevelLabel, stationKindLabel, statusLabel } from '../i18n/labels';
import { formatCount, formatDate } from '../lib/format';
import { LAYER, RISK_COLORS, STATION_COLORS } from './layers';

type Row = [label: string, value: string];

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function card(title: string, badge: { text: string; color: string }, rows: Row[]): HTMLElement {
  const root = element('div', 'popup');
  const head = element('div', 'popup__head');
  head.append(element('strong', 'popup__title', title));
  const chip = element('span', 'popup__badge', badge.text);
  chip.style.setProperty('--badge-color', badge.color);
  head.append(chip);
  root.append(head);
  const list = element('dl', 'popup__rows');
  for (const [label, value] of rows) {
    list.append(element('dt', '', label), element('dd', '', value));
  }
  root.append(list);
  return root;
}

const text = (value: unknown): string => (value === null || value === undefined || value === '' ? '—' : String(value));

export function renderPopup(feature: MapGeoJSONFeature, t: TFunction, locale: string): HTMLElement | null {
  const p = feature.properties;
  if (feature.layer.id === LAYER.disputes) {
    const risk = String(p.riskLevel);
    const place = [p.townName, p.villageName].filter((v) => typeof v === 'string' && v !== '').join(' · ');
    return card(
      text(p.caseNo),
      {
        text: riskLevelLabel(t, risk),
        color: RISK_COLORS[risk as keyof typeof RISK_COLORS] ?? '#6b7280',
      },
      [
        [t('popup.category'), categoryLabel(t, p.category)],
        [t('popup.status'), statusLabel(t, p.status)],
        [t('popup.place'), text(place)],
        [t('popup.reportedAt'), formatDate(typeof p.reportedAt === 'string' ? p.reportedAt : null)],
        [
          t('popup.age'),
          t('popup.ageDays', { count: Number(p.ageDays), days: formatCount(Number(p.ageDays), locale) }),
        ],
      ],
    );
  }
  if (feature.layer.id === LAYER.stations) {
    const kind = String(p.kind);
    const rows: Row[] = [[t('popup.town'), text(p.townName)]];
    if (p.staffCount !== null && p.staffCount !== undefined) {
      rows.push([t('popup.staff'), t('popup.staffCount', { count: Number(p.staffCount) })]);
    }
    if (p.openedOn) rows.push([t('popup.openedOn'), formatDate(String(p.openedOn))]);
    return card(
      text(p.name),
      {
        text: stationKindLabel(t, kind),
        color: STATION_COLORS[kind as keyof typeof STATION_COLORS] ?? '#6b7280',
      },
      rows,
    );
  }
  return null;
}
