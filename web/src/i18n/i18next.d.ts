/**
 * Typed translation keys: `t()` accepts only keys of the zh-CN messages (the English file has the same type),
 * so a missing or misspelt key fails `npm run typecheck`.
 */
import 'i18next';
import type { Messages } from './zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
