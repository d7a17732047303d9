/** The case workflow (issue 7): commands (one transaction each) and the read side. Routes call only these. */

export { type CaseKeySource, caseKeyring, caseKeys, encryptPending, revealCaseParty } from './parties.js';
export type { CaseScope, Location } from './place.js';
export {
  type CaseRow,
  caseDetail,
  caseFigures,
  listCases,
  loadCase,
  MAX_RANKED,
  type RegisterQuery,
  withScore,
} from './read.js';
export {
  type AgreementInput,
  type CreateInput,
  createCase,
  type EditInput,
  editCase,
  type HandoffInput,
  handoff,
  type PartyKeys,
  type ReopenInput,
  recordAgreement,
  reopenCase,
  reopenIn,
  type TransitionInput,
  transition,
} from './workflow.js';
