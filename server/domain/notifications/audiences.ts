/**
 * Who a notification rule addresses (the rule table is role × kind × audience; see migrations/200). Each role has
 * the audiences that mean something for it: a town officer has no station, a screener no town-wide view, the
 * county roles see county-level events. The database has the same list as a CHECK.
 */
/** The roles that receive notifications (people; export tokens have no inbox). */
export const recipientRoles = ['admin', 'leader', 'town_officer', 'station_staff', 'screener'] as const;
export type RecipientRole = (typeof recipientRoles)[number];

export const audiences = [
  'county',
  'town',
  'station',
  'town_room',
  'town_judicial_office',
  'town_police_station',
  'villages',
  'addressed',
] as const;
export type Audience = (typeof audiences)[number];

export const audiencesOfRole: Record<RecipientRole, readonly Audience[]> = {
  admin: ['county', 'addressed'],
  leader: ['county', 'addressed'],
  town_officer: ['town', 'addressed'],
  station_staff: ['town', 'station', 'town_room', 'town_judicial_office', 'town_police_station', 'addressed'],
  screener: ['villages', 'addressed'],
};

export const isAudience = (v: string): v is Audience => (audiences as readonly string[]).includes(v);

/** Why a (role, audience) pair is not a rule, or null when it is one. */
export function ruleProblem(role: RecipientRole, audience: string): { field: string; message: string } | null {
  if (!isAudience(audience))
    return { field: 'audience', message: `unknown audience '${audience}'; one of: ${audiences.join(', ')}` };
  const allowed = audiencesOfRole[role];
  if (!allowed.includes(audience)) {
    return {
      field: 'audience',
      message: `the role ${role} takes the audiences ${allowed.join(', ')}, not ${audience}`,
    };
  }
  return null;
}

/** An event kind as publishers name it: dotted lower-case words ('case.created', 'warning.raised'). */
export const KIND_PATTERN = /^[a-z_]+(\.[a-z_]+)+$/;
/** A message code the web renders: letters, digits, '_' and '.'. */
export const TITLE_PATTERN = /^[a-zA-Z0-9_.]{1,80}$/;
