import type { NotificationRules } from '../../contract/notifications.js';
import { addRule, kindExists, kindsList, removeRule, rulesList } from '../../db/queries/notifications.js';
import type { Queryable } from '../../db/types.js';
import {
  audiencesOfRole,
  type RecipientRole,
  recipientRoles,
  ruleProblem,
} from '../../domain/notifications/audiences.js';
import { InvalidInput } from '../errors.js';

export interface Rule {
  kind: string;
  role: RecipientRole;
  audience: string;
}

/** The rule table with what the editor needs to draw it: the kinds, the roles and each role's audiences. */
export async function notificationRules(db: Queryable): Promise<NotificationRules> {
  const k = kindsList();
  const r = rulesList();
  return {
    kinds: (await db.query<NotificationRules['kinds'][number]>(k.text, k.values)).rows,
    roles: [...recipientRoles],
    audiencesOfRole: Object.fromEntries(recipientRoles.map((role) => [role, [...audiencesOfRole[role]]])),
    rules: (await db.query<Rule>(r.text, r.values)).rows,
  };
}

/** Switches one rule on or off (idempotent: the same request twice leaves the same table). */
export async function setNotificationRule(db: Queryable, rule: Rule & { enabled: boolean }): Promise<void> {
  if (!(recipientRoles as readonly string[]).includes(rule.role)) {
    throw new InvalidInput('role', `unknown role '${rule.role}'; one of: ${recipientRoles.join(', ')}`);
  }
  const problem = ruleProblem(rule.role, rule.audience);
  if (problem) throw new InvalidInput(problem.field, problem.message);
  const e = kindExists(rule.kind);
  if ((await db.query(e.text, e.values)).rows.length === 0) {
    throw new InvalidInput('kind', `unknown notification kind '${rule.kind}'`);
  }
  const q = rule.enabled
    ? addRule(rule.kind, rule.role, rule.audience)
    : removeRule(rule.kind, rule.role, rule.audience);
  await db.query(q.text, q.values);
}
