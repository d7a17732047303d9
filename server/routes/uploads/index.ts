import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { scopedRecentBatches } from '../../db/queries/upload-scope.js';
import { batchById, roundExists, templateVillage } from '../../db/queries/uploads.js';
import { coordinateSystems } from '../../domain/ingest/coordinates.js';
import { reportLanguage } from '../../domain/ingest/reasons.js';
import { own } from '../../domain/own.js';
import { textFault, textFaultMessage } from '../../domain/text.js';
import { caller, uploaderOf } from '../../plugins/auth.js';
import { HttpError, notFound } from '../../plugins/errors.js';
import { type BatchRow, ingest, type UploadFormat } from '../../services/ingest/index.js';
import { ProgressStore } from '../../services/ingest/progress.js';
import { csvTemplate, geojsonTemplate, reportCsv, type TemplateVillage, xlsxTemplate } from './templates.js';

/** Limits named in the 413 bodies, read per request (tests lower them). A 1M-row CSV of screenings is ≈ 120 MB. */
export const UPLOAD_LIMITS = { fileBytes: 160 * 1024 * 1024, requestBytes: 161 * 1024 * 1024, rows: 1_000_000 };

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const formats: Record<string, UploadFormat> = {
  csv: 'csv',
  txt: 'csv',
  xlsx: 'xlsx',
  geojson: 'geojson',
  json: 'geojson',
};

const BatchBody = Type.Object({
  id: Type.Integer(),
  idempotencyKey: Type.Union([Type.String(), Type.Null()]),
  fileName: Type.Union([Type.String(), Type.Null()]),
  format: Type.String(),
  encoding: Type.Union([Type.String(), Type.Null()]),
  crs: Type.String(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String(),
  status: Type.Union([Type.Literal('stored'), Type.Literal('rejected')]),
  allOrNothing: Type.Boolean(),
  roundId: Type.Union([Type.Integer(), Type.Null()]),
  rowsTotal: Type.Integer(),
  rowsAccepted: Type.Integer(),
  rowsRejected: Type.Integer(),
  rowsDuplicate: Type.Integer(),
  replayed: Type.Optional(Type.Boolean()),
  report: Type.Optional(
    Type.Array(
      Type.Object({
        row: Type.Integer(),
        field: Type.String(),
        code: Type.Optional(Type.String({ description: 'Stable reason code (the web app translates it)' })),
        params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
        reason: Type.String({ description: 'The reason in English' }),
        severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
      }),
    ),
  ),
});

export function batchBody(b: BatchRow, extra: { replayed?: boolean; withReport?: boolean } = {}) {
  return {
    id: Number(b.id),
    idempotencyKey: b.idempotency_key,
    fileName: b.file_name,
    format: b.format,
    encoding: b.encoding,
    crs: b.crs,
    uploadedBy: b.uploaded_by,
    uploadedAt: new Date(b.uploaded_at).toISOString(),
    status: b.status,
    allOrNothing: b.all_or_nothing,
    roundId: b.round_id === null ? null : Number(b.round_id),
    rowsTotal: b.rows_total,
    rowsAccepted: b.rows_accepted,
    rowsRejected: b.rows_rejected,
    rowsDuplicate: b.rows_duplicate,
    ...(extra.replayed !== undefined ? { replayed: extra.replayed } : {}),
    ...(extra.withReport ? { report: b.report } : {}),
  };
}

const uploads: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, {
    limits: { fileSize: UPLOAD_LIMITS.fileBytes, files: 1, fields: 10, parts: 12 },
  });
  /** Processing progress by idempotency key, for the upload page to poll while its request is running. */
  const progress = new ProgressStore(app.db, (err) => app.log.warn({ err }, 'upload progress not written'));

  app.post(
    '/api/uploads',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Upload a CSV, XLSX or GeoJSON file of screenings as one batch (multipart, field "file")',
        description:
          'Rows are validated one by one; the valid part is stored in one transaction (or nothing, with mode=all_or_nothing). A re-sent batch with the same Idempotency-Key header returns the first result and stores nothing new.',
        querystring: Type.Object(
          {
            crs: Type.Optional(Type.Union(coordinateSystems.map((c) => Type.Literal(c)))),
            mode: Type.Optional(Type.Union([Type.Literal('partial'), Type.Literal('all_or_nothing')])),
            round: Type.Optional(Type.Integer({ minimum: 1 })),
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('geojson')])),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
        response: { 200: BatchBody, 201: BatchBody, 422: BatchBody },
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > UPLOAD_LIMITS.requestBytes) {
        throw new HttpError(
          413,
          `request: larger than the ${mb(UPLOAD_LIMITS.requestBytes)} limit per request`,
          'request',
        );
      }
      if (!request.isMultipart())
        throw new HttpError(415, 'request: send the file as multipart/form-data, field "file"', 'file');
      const key = request.headers['idempotency-key'] ?? null;
      const part = await request.file({ limits: { fileSize: UPLOAD_LIMITS.fileBytes, files: 1 } });
      if (!part) throw new HttpError(400, 'file: no file in the request', 'file');
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new HttpError(413, `file: larger than the ${mb(UPLOAD_LIMITS.fileBytes)} limit per file`, 'file');
        }
        throw err;
      }
      const nameFault = textFault(part.filename);
      if (nameFault) throw new HttpError(400, `file: the file name ${textFaultMessage[nameFault]}`, 'file');
      const ext = part.filename.split('.').pop()?.toLowerCase() ?? '';
      const format = request.query.format ?? own(formats, ext);
      if (!format) throw new HttpError(415, `file: "${part.filename}" is not .csv, .xlsx or .geojson`, 'file');
      if (request.query.round) {
        const r = roundExists(request.query.round);
        const { rows } = await app.db.query(r.text, r.values);
        if (!rows[0]) throw new HttpError(400, `round: screening round ${request.query.round} does not exist`, 'round');
      }
      try {
        const { batch, replayed } = await ingest(app.db, {
          bytes,
          format,
          fileName: part.filename,
          crs: request.query.crs ?? 'wgs84',
          allOrNothing: request.query.mode === 'all_or_nothing',
          // Who uploads is the signed-in caller, never a request field (a `by` parameter is a 400 naming it).
          uploadedBy: caller(request).name,
          uploader: uploaderOf(caller(request)),
          idempotencyKey: key,
          roundId: request.query.round ?? null,
          maxRows: UPLOAD_LIMITS.rows,
          onProgress: key ? (stage, done, total) => progress.set(key, { stage, done, total }) : undefined,
        });
        const status = batch.status === 'rejected' ? 422 : replayed ? 200 : 201;
        return reply.code(status).send(batchBody(batch, { replayed, withReport: true }));
      } finally {
        if (key) progress.finish(key);
      }
    },
  );

  app.get(
    '/api/uploads/progress/:key',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Processing progress of a running upload, by its Idempotency-Key',
        params: Type.Object({ key: Type.String({ minLength: 8, maxLength: 100 }) }),
        response: {
          200: Type.Object({ stage: Type.String(), done: Type.Integer(), total: Type.Integer() }),
        },
      },
    },
    async (request) => {
      const p = await progress.get(request.params.key);
      if (!p) throw notFound(`upload ${request.params.key}`);
      return { stage: p.stage, done: Math.min(p.done, p.total), total: p.total };
    },
  );

  app.get(
    '/api/uploads',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Recent upload batches: who uploaded what, when, accepted / rejected counts',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(BatchBody) },
      },
    },
    async (request) => {
      // Field screeners see their own batches, town officers and station staff their towns', the county all.
      const p = caller(request);
      const q = scopedRecentBatches(request.query.limit, {
        accountId: p.kind === 'account' ? p.id : null,
        towns: p.towns,
        screener: p.role === 'screener',
      });
      const { rows } = await app.db.query<BatchRow>(q.text, q.values);
      return rows.map((b) => batchBody(b));
    },
  );

  const batchParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9007199254740991 }) });
  const loadBatch = async (id: number) => {
    const q = batchById(id);
    const { rows } = await app.db.query<BatchRow>(q.text, q.values);
    if (!rows[0]) throw notFound(`upload batch ${id}`);
    return rows[0];
  };

  app.get(
    '/api/uploads/:id',
    {
      schema: {
        tags: ['uploads'],
        summary: 'One batch with its per-row report',
        params: batchParams,
        response: { 200: BatchBody },
      },
    },
    async (request) => batchBody(await loadBatch(request.params.id), { withReport: true }),
  );

  app.get(
    '/api/uploads/:id/report.csv',
    {
      schema: {
        tags: ['uploads'],
        summary: 'The per-row report as CSV (UTF-8 with BOM, opens in Excel)',
        description: "Reasons in the caller's language: ?lang=zh-CN or en, else Accept-Language (Chinese by default).",
        params: batchParams,
        querystring: Type.Object(
          { lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const batch = await loadBatch(request.params.id);
      const lang = reportLanguage(request.query.lang, request.headers['accept-language']);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="upload-${batch.id}-report.csv"`)
        .header('content-language', lang)
        .header('vary', 'Accept-Language')
        .send(reportCsv(batch.report, lang));
    },
  );

  app.get(
    '/api/uploads/templates/:name',
    {
      schema: {
        tags: ['uploads'],
        summary: 'A template to fill in: screenings.csv, screenings.xlsx or screenings.geojson',
        params: Type.Object({
          name: Type.Union([
            Type.Literal('screenings.csv'),
            Type.Literal('screenings.xlsx'),
            Type.Literal('screenings.geojson'),
          ]),
        }),
      },
    },
    async (request, reply) => {
      const tv = templateVillage();
      const { rows } = await app.db.query<TemplateVillage>(tv.text, tv.values);
      const v = rows[0] ?? { code: '430723100001', name: '示例村', town_name: '示例镇', lon: 111.76, lat: 29.63 };
      const name = request.params.name;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (name.endsWith('.csv')) return reply.type('text/csv; charset=utf-8').send(csvTemplate(v));
      if (name.endsWith('.xlsx')) {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .send(await xlsxTemplate(v));
      }
      return reply.type('application/geo+json').send(geojsonTemplate(v));
    },
  );
};

export default uploads;
