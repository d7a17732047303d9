import Type from 'typebox';
import type { Principal } from '../../auth/roles.js';
import type { Precision } from '../../db/queries/export.js';
import { badRequest, HttpError } from '../../plugins/errors.js';

/** How exact shared locations are (issue 8): the query parameters of the exports and the OGC items. */
export const precisionProperties = {
  precision: Type.Optional(
    Type.Union([Type.Literal('exact'), Type.Literal('village'), Type.Literal('grid')], {
      description:
        'Location precision of disputes and screenings (stations and admin units are places, always exact): ' +
        'exact (as recorded; the default for signed-in staff), village (the village’s label point, a centroid ' +
        'kept inside the village) or grid (snapped to a square grid of gridM metres). Export tokens ' +
        '(export_client) always get coarse locations: village by default, grid when asked, never exact (403).',
    }),
  ),
  gridM: Type.Optional(
    Type.Integer({
      minimum: 100,
      maximum: 10_000,
      description: 'Grid cell size in metres for precision=grid (100–10000, default 1000)',
    }),
  ),
};

export const PRECISION_NOTE =
  ' Locations can be coarsened with precision=village or precision=grid&gridM=1000; export tokens always get ' +
  'coarse locations (village unless grid is asked for).';

export function parsePrecision(
  caller: Principal | null,
  q: { precision?: 'exact' | 'village' | 'grid' | undefined; gridM?: number | undefined },
): Precision {
  if (q.gridM !== undefined && q.precision !== 'grid') throw badRequest('gridM', 'gridM goes with precision=grid');
  const coarseOnly = caller?.role === 'export_client';
  if (coarseOnly && q.precision === 'exact') {
    throw new HttpError(403, 'precision: export tokens get coarse locations only (village or grid)', 'precision');
  }
  const kind = q.precision ?? (coarseOnly ? 'village' : 'exact');
  return kind === 'grid' ? { kind, metres: q.gridM ?? 1000 } : { kind };
}
