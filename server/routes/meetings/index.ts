import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MeetingAttendeeOptions, MeetingDetail, MeetingList, MeetingRegularity } from '../../contract/meetings.js';
import { personalDataKeyring } from '../../db/keys.js';
import { meetingKinds } from '../../domain/people/meetings.js';
import { taskActions } from '../../domain/tasks/state-machine.js';
import { caller } from '../../plugins/auth.js';
import {
  attendeeOptions,
  listMeetings,
  meetingDetail,
  meetingRegularity,
  recordMeeting,
} from '../../services/meetings/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Town = Type.String({ pattern: '^[0-9]{9}$' });
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Text = (min: number, max: number) => Type.String({ minLength: min, maxLength: max, pattern: '^[^\\u0000]*$' });

/** Joint meetings and work meetings (联席会议 / 工作例会, issue 18). */
const meetings: FastifyPluginAsyncTypebox = async (app) => {
  const ring = () => personalDataKeyring(app.db, app.config);

  app.get(
    '/api/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: "A town's joint and work meetings, newest first (the county's own meetings for county callers)",
        querystring: Type.Object(
          {
            town: Type.Optional(Town),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MeetingList },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...f } = request.query;
      return listMeetings(app.db, f, limit, offset);
    },
  );

  app.get(
    '/api/meetings/regularity',
    {
      schema: {
        tags: ['meetings'],
        summary: 'How regularly each town met over the last year against the expectation (monthly by default)',
        querystring: Type.Object({ town: Type.Optional(Town) }, { additionalProperties: false }),
        response: { 200: MeetingRegularity },
      },
    },
    async (request) => meetingRegularity(app.db, request.query.town),
  );

  app.get(
    '/api/meetings/attendees',
    {
      schema: {
        tags: ['meetings'],
        summary: "Who may attend a town's meeting: the register's stationed staff (names masked) and accounts",
        querystring: Type.Object({ town: Type.Optional(Town) }, { additionalProperties: false }),
        response: { 200: MeetingAttendeeOptions },
      },
    },
    async (request) => attendeeOptions(app.db, await ring(), request.query.town),
  );

  app.get(
    '/api/meetings/:id',
    {
      schema: {
        tags: ['meetings'],
        summary: 'One meeting: attendees, cases discussed, decisions, minutes',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: MeetingDetail },
      },
    },
    async (request) => meetingDetail(app.db, await ring(), caller(request), request.params.id),
  );

  app.post(
    '/api/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Record a meeting held (a town officer: their town; the county: any town or the county)',
        body: Type.Object(
          {
            kind: Enum(meetingKinds),
            heldOn: Day,
            townCode: Type.Optional(Type.Union([Town, Type.Null()])),
            title: Text(1, 200),
            minutes: Type.Optional(Text(0, 20000)),
            mediatorIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
            accountIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
            caseIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
            decisions: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    text: Text(1, 2000),
                    stationId: Type.Optional(Id),
                    dueOn: Type.Optional(Day),
                    disputeId: Type.Optional(Id),
                    task: Type.Optional(Type.Object({ action: Enum(taskActions) }, { additionalProperties: false })),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 50 },
              ),
            ),
            clientKey: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MeetingDetail, 201: MeetingDetail },
      },
    },
    async (request, reply) => {
      const p = caller(request);
      const r = await recordMeeting(app.db, p, p.name, request.body);
      const body = { ...(await meetingDetail(app.db, await ring(), p, r.id)), replayed: r.replayed };
      return reply.code(r.replayed ? 200 : 201).send(body);
    },
  );
};

export default meetings;
