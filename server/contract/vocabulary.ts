/**
 * The domain's controlled vocabularies. Values are stable English identifiers stored in the database;
 * labels for people live in the web app's i18n files (zh-CN first, en).
 */

export const adminLevels = ['county', 'town', 'village'] as const;
export type AdminLevel = (typeof adminLevels)[number];

/** 派出所, 司法所, 警司联调室, 人民法庭, 村(居)人民调解委员会 */
export const stationKinds = [
  'police_station',
  'judicial_office',
  'joint_mediation_room',
  'court_tribunal',
  'village_mediation_committee',
] as const;
export type StationKind = (typeof stationKinds)[number];

export const disputeCategories = [
  'neighbour',
  'marriage_family',
  'land_forest',
  'medical',
  'labour_wages',
  'contract_debt',
  'traffic_accident',
  'property_management',
  'other',
] as const;
export type DisputeCategory = (typeof disputeCategories)[number];

/** red = highest risk (may escalate to violence), blue = lowest. */
export const riskLevels = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const disputeStatuses = ['reported', 'accepted', 'mediating', 'resolved', 'failed', 'referred'] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];
export const openStatuses: readonly DisputeStatus[] = ['reported', 'accepted', 'mediating'];
export const closedStatuses: readonly DisputeStatus[] = ['resolved', 'failed', 'referred'];

/** 人民调解, 治安调解, 联合调解 */
export const mediationChannels = ['peoples', 'public_security', 'joint'] as const;
export type MediationChannel = (typeof mediationChannels)[number];

/** Where a case was settled: 小事不出村 (village), 大事不出镇 (town), or pushed up to the county. */
export const resolutionLevels = ['village', 'town', 'county'] as const;
export type ResolutionLevel = (typeof resolutionLevels)[number];

export const referralKinds = ['litigation', 'arbitration', 'public_security_case', 'criminal_case'] as const;
export type ReferralKind = (typeof referralKinds)[number];

/** The early-warning rules' stable codes (预警, server/domain/warnings/rules.ts defines each), in listing order. */
export const warningRuleCodes = [
  'acceptance_overdue',
  'repeat_party',
  'escalation',
  'emerging_hotspot',
  'screening_overdue',
  'room_overload',
  'reopened_soon',
  'mediator_register',
] as const;
export type WarningRuleCode = (typeof warningRuleCodes)[number];

/** A warning's states: raised open, then acknowledged, dismissed with a reason, or turned into a task. */
export const warningStatuses = ['open', 'acknowledged', 'dismissed', 'tasked'] as const;
export type WarningStatus = (typeof warningStatuses)[number];

/** A task's states (交办 → 督办 → 销号, server/domain/tasks/state-machine.ts has its moves). */
export const taskStatuses = ['assigned', 'accepted', 'reported', 'sent_back', 'closed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** What a task asks the assignee to do. */
export const taskActions = ['verify', 'visit', 'mediate', 'rescreen', 'report_back'] as const;
export type TaskAction = (typeof taskActions)[number];

/** What a task is about. */
export const taskSubjects = ['village', 'case', 'warning', 'cell'] as const;
export type TaskSubject = (typeof taskSubjects)[number];

/** The families notification kinds are grouped in (the bell's filters). */
export const notificationFamilies = ['case', 'screening', 'task', 'warning'] as const;
export type NotificationFamily = (typeof notificationFamilies)[number];

/** The register of mediators and staff (人民调解员, 司法助理员, 驻室民警, 专职调解员). */
export const mediatorKinds = [
  'peoples_mediator',
  'judicial_assistant',
  'police_officer',
  'specialist_mediator',
] as const;
export type MediatorKind = (typeof mediatorKinds)[number];

/** 联席会议, 工作例会 */
export const meetingKinds = ['joint_meeting', 'work_meeting'] as const;
export type MeetingKind = (typeof meetingKinds)[number];
/** How often the county expects each town to meet. */
export const meetingExpectations = ['month', 'quarter'] as const;
export type MeetingExpectation = (typeof meetingExpectations)[number];

/** How the parties kept a mediation agreement, and how satisfied they were, as a follow-up visit (回访) found. */
export const performances = ['honoured', 'partly', 'broken'] as const;
export type Performance = (typeof performances)[number];
export const satisfactions = ['satisfied', 'basically', 'not'] as const;
export type Satisfaction = (typeof satisfactions)[number];

/** The case dossier (卷宗) checklist, in the Ministry of Justice's order. */
export const dossierItems = [
  'application',
  'rights_notice',
  'identity_documents',
  'investigation',
  'mediation_record',
  'agreement',
  'performance_proof',
  'follow_up_record',
  'judicial_confirmation',
] as const;
export type DossierItem = (typeof dossierItems)[number];
export const dossierStates = ['present', 'missing', 'not_applicable'] as const;
export type DossierState = (typeof dossierStates)[number];

/** Judicial confirmation (司法确认) of an agreement: the court's result, and where the 30-day window stands. */
export const confirmationResults = ['pending', 'confirmed', 'rejected'] as const;
export type ConfirmationResult = (typeof confirmationResults)[number];
export const windowStates = ['no_agreement', 'open', 'closing', 'lapsed', 'applied_in_time', 'applied_late'] as const;
export type WindowState = (typeof windowStates)[number];

/** The checks the county runs on the register of mediators. */
export const registerRules = [
  'appointment_expiring',
  'qualification_expiring',
  'room_without_assistant',
  'training_short',
] as const;
export type RegisterRule = (typeof registerRules)[number];
