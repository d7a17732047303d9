import Type from 'typebox';
import type { Queryable } from '../db/index.js';
import type { DisputeFilter } from '../db/queries/filters.js';
import { closedStatuses, disputeCategories, disputeStatuses, openStatuses } from '../domain/vocabulary.js';
import { badRequest } from '../plugins/errors.js';
import { assertAdminUnit } from './lookups.js';
import {
  BboxParam,
  DateParam,
  listParam,
  parseBbox,
  parseDateRange,
  parseList,
  TownCode,
  VillageCode,
} from './params.js';

/** The dashboard's shared filters (map, KPIs, charts), as querystring properties. */
export const disputeFilterProperties = {
  town: Type.Optional(TownCode),
  village: Type.Optional(VillageCode),
  status: Type.Optional(listParam('statuses, or the groups open / closed', disputeStatuses)),
  category: Type.Optional(listParam('dispute categories', disputeCategories)),
  from: Type.Optional(DateParam),
  to: Type.Optional(DateParam),
  bbox: Type.Optional(BboxParam),
};

export interface DisputeFilterQuery {
  town?: string | undefined;
  village?: string | undefined;
  status?: string | undefined;
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  bbox?: string | undefined;
}

export async function parseDisputeFilter(db: Queryable, q: DisputeFilterQuery): Promise<DisputeFilter> {
  const statuses = parseList('status', q.status, disputeStatuses, { open: openStatuses, closed: closedStatuses });
  const categories = parseList('category', q.category, disputeCategories);
  const { from, to } = parseDateRange(q.from, q.to);
  const bbox = parseBbox('bbox', q.bbox);
  await assertAdminUnit(db, 'town', q.town, 'town');
  await assertAdminUnit(db, 'village', q.village, 'village');
  if (q.town && q.village && !q.village.startsWith(q.town)) {
    throw badRequest('village', `village ${q.village} is not in town ${q.town}`);
  }
  const filter: DisputeFilter = {};
  if (q.town) filter.town = q.town;
  if (q.village) filter.village = q.village;
  if (statuses) filter.statuses = statuses;
  if (categories) filter.categories = categories;
  if (from) filter.from = from;
  if (to) filter.to = to;
  if (bbox) filter.bbox = bbox;
  return filter;
}
