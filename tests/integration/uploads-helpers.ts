import type { FastifyInstance } from 'fastify';

/** A multipart/form-data body with one file part, as a browser's FormData sends it. */
export function multipart(fileName: string, content: Buffer | string, contentType = 'application/octet-stream') {
  const boundary = `----upload${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function upload(
  app: FastifyInstance,
  fileName: string,
  content: Buffer | string,
  query = '',
  headers: Record<string, string> = {},
) {
  const body = multipart(fileName, content);
  const res = await app.inject({
    method: 'POST',
    url: `/api/uploads${query ? `?${query}` : ''}`,
    payload: body.payload,
    headers: { ...body.headers, ...headers },
  });
  return {
    status: res.statusCode,
    body: res.json() as Record<string, unknown> & { report?: ReportLine[]; id: number },
  };
}

export interface ReportLine {
  row: number;
  field: string;
  code?: string;
  params?: Record<string, string | number>;
  reason: string;
  severity: 'error' | 'warning';
}

export interface Village {
  code: string;
  name: string;
  town_code: string;
  town_name: string;
  lon: number;
  lat: number;
}

/** Villages of the demo county with a point inside each (the label point). */
export function villagesQuery(limit: number) {
  return `SELECT v.code, v.name, v.parent_code AS town_code, t.name AS town_name,
                 ST_X(v.label_point) AS lon, ST_Y(v.label_point) AS lat
          FROM admin_units v JOIN admin_units t ON t.code = v.parent_code
          WHERE v.level = 'village' AND ST_Contains(v.geom, v.label_point)
          ORDER BY v.code LIMIT ${Number(limit)}`;
}
