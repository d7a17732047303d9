/**
 * i18next set up once, zh-CN first. The language comes from `?lang=` (so a shared link opens in the sender's
 * language), then localStorage, then zh-CN; changing it writes both back.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en';
import zhCN from './zh-CN';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'zh-CN';
const storageKey = 'lixian.lang';

/** Maps loose tags ("zh", "en-GB", "EN") to a supported language, or null. */
export function toLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return null;
}

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  return toLanguage(fromUrl) ?? toLanguage(storedLanguage()) ?? defaultLanguage;
}

export function setLanguage(language: Language): void {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Private mode may refuse storage; the URL still carries the choice.
  }
  const url = new URL(window.location.href);
  url.searchParams.set('lang', language);
  window.history.replaceState(window.history.state, '', url);
  void i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return toLanguage(i18next.language) ?? defaultLanguage;
}

export function initI18n(): typeof i18next {
  const lng = initialLanguage();
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const applyDocumentLanguage = (language: string) => {
    document.documentElement.lang = language;
    document.title = i18next.t('app.title');
  };
  applyDocumentLanguage(lng);
  i18next.on('languageChanged', applyDocumentLanguage);
  return i18next;
}
