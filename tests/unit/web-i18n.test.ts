import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { CaseHistoryResponse } from '../../web/src/api/analytics';
import { caseEventKinds } from '../../web/src/api/vocabulary';
import { caseTimeline } from '../../web/src/features/village/timeline';
import en from '../../web/src/i18n/en';
import zhCN from '../../web/src/i18n/zh-CN';

/** Every leaf of a messages object as [dotted key, text]. */
function leaves(messages: object, prefix = ''): [string, unknown][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? leaves(value, `${prefix}${key}.`)
      : ([[`${prefix}${key}`, value]] as [string, unknown][]),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const zhLeaves = new Map(leaves(zhCN));
  const enLeaves = new Map(leaves(en));

  it('have the same keys in zh-CN and en', () => {
    expect([...enLeaves.keys()].sort()).toEqual([...zhLeaves.keys()].sort());
    expect(zhLeaves.size).toBeGreaterThan(500);
  });

  it('are non-empty strings in both languages', () => {
    const bad = [...zhLeaves, ...enLeaves].filter(([, text]) => typeof text !== 'string' || text.trim() === '');
    expect(bad).toEqual([]);
  });

  it('fill the same placeholders in both languages', () => {
    const differing = [...zhLeaves].flatMap(([key, zh]) => {
      const english = enLeaves.get(key);
      if (typeof zh !== 'string' || typeof english !== 'string') return [];
      const a = placeholders(zh);
      const b = placeholders(english);
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ key, zh: a, en: b }];
    });
    expect(differing).toEqual([]);
  });
});

describe('the hot-spot drill-down timeline', () => {
  it.each(['zh-CN', 'en'] as const)('names every kind of case event in words in %s', async (lng) => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng });
    const history: CaseHistoryResponse = {
      id: 1,
      caseNo: 'LX-2023-000001',
      status: 'mediating',
      reportedAt: '2023-05-01T08:00:00+08:00',
      acceptedAt: null,
      resolvedAt: null,
      events: caseEventKinds.map((kind, i) => ({
        id: i,
        kind,
        fromStatus: null,
        toStatus: null,
        actor: 'tester',
        note: '',
        occurredAt: `2023-05-0${i + 1}T08:00:00+08:00`,
      })),
    };
    const labels = caseTimeline(history, i18n.t).map((e) => e.label);
    expect(labels).toHaveLength(caseEventKinds.length);
    // i18next answers a missing key with the key itself (`hotspots.event.edit` was shown so).
    expect(labels.filter((l) => l.startsWith('hotspots.') || l === '')).toEqual([]);
  });
});
