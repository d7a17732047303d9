import Type from 'typebox';

/** GeoJSON built in SQL is sent as text; the schema documents it without re-serialising it. */
export const GeoJsonBody = Type.Unsafe<string>({
  type: 'object',
  description: 'GeoJSON (RFC 7946), WGS-84 longitude/latitude',
});

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

export const EMPTY_COLLECTION = '{"type":"FeatureCollection","features":[]}';
