import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Assignees, TaskDetail, TaskFigures, TaskList } from '../../contract/tasks.js';
import { taskActions, taskStatuses, taskSubjects } from '../../domain/tasks/state-machine.js';
import { caller, scopedTown } from '../../plugins/auth.js';
import { badRequest } from '../../plugins/errors.js';
import { assigneesOf } from '../../services/tasks/assignees.js';
import { createTask, figuresOfTasks, listTasks, moveTaskTo, taskDetail } from '../../services/tasks/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Town = Type.String({ pattern: '^[0-9]{9}$' });
const Village = Type.String({ pattern: '^[0-9]{12}$' });
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
// PostgreSQL text cannot hold NUL: refused here with the field named, not by the database.
const Note = Type.String({ maxLength: 2000, pattern: '^[^\\x00]*$' });

const tasks: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary:
          "Tasks the caller sees: a screener's own, a station's, a town's, or the county's (open first, by due date)",
        querystring: Type.Object(
          {
            town: Type.Optional(Town),
            village: Type.Optional(Village),
            status: Type.Optional(Type.String({ pattern: '^[a-z_,]{1,100}$' })),
            open: Type.Optional(Type.Boolean()),
            overdue: Type.Optional(Type.Boolean()),
            disputeId: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: TaskList },
      },
    },
    async (request) => {
      const q = request.query;
      const statuses = q.status?.split(',').filter(Boolean);
      for (const s of statuses ?? []) {
        if (!(taskStatuses as readonly string[]).includes(s)) {
          throw badRequest('status', `unknown status '${s}'; one of: ${taskStatuses.join(', ')}`);
        }
      }
      const me = caller(request);
      // Scope ('route'): the reader's own tasks (queries/tasks.ts visible); a town asked for must be theirs.
      if (q.town !== undefined && me.towns !== null) scopedTown(me, q.town);
      return listTasks(app.db, me, {
        town: q.town,
        villageCode: q.village,
        statuses: statuses as (typeof taskStatuses)[number][] | undefined,
        open: q.open,
        overdue: q.overdue,
        disputeId: q.disputeId,
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
      });
    },
  );

  app.get(
    '/api/tasks/figures',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Tasks issued / closed / closed on time / overdue per town or per assignee station',
        querystring: Type.Object(
          { by: Type.Optional(Enum(['town', 'station'] as const)), town: Type.Optional(Town) },
          { additionalProperties: false },
        ),
        response: { 200: TaskFigures },
      },
    },
    async (request) => figuresOfTasks(app.db, request.query.by ?? 'town', request.query.town),
  );

  app.get(
    '/api/tasks/assignees',
    {
      schema: {
        tags: ['tasks'],
        summary: "Who a task in a town can go to: the town's stations and its field screeners (with their villages)",
        querystring: Type.Object({ town: Town }, { additionalProperties: false }),
        response: { 200: Assignees },
      },
    },
    async (request) => {
      const town = scopedTown(caller(request), request.query.town) as string;
      return assigneesOf(app.db, town);
    },
  );

  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'One task with its history and the moves the caller may make',
        params: Type.Object({ id: Id }),
        response: { 200: TaskDetail },
      },
    },
    async (request) => taskDetail(app.db, caller(request), request.params.id),
  );

  app.post(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Assign a task (交办) about a village, a case, a warning or a hot-spot cell, with a due date',
        body: Type.Object(
          {
            action: Enum(taskActions),
            subjectKind: Enum(taskSubjects),
            villageCode: Type.Optional(Village),
            disputeId: Type.Optional(Id),
            warningId: Type.Optional(Id),
            cellId: Type.Optional(Type.String({ pattern: '^-?[0-9]{1,19}$' })),
            cellSize: Type.Optional(Enum(['250', '400', '600', '1000', '1650', '2700', '4500', '7500'] as const)),
            lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
            lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
            assigneeStationId: Type.Optional(Id),
            assigneeAccountId: Type.Optional(Id),
            dueOn: Day,
            instructions: Type.Optional(Note),
            clientKey: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        // 201 a new task; 200 the first one again (a retried create: `replayed`).
        response: { 200: TaskDetail, 201: TaskDetail },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const b = request.body;
      const { id, replayed } = await createTask(app.db, me, {
        ...b,
        cellSize: b.cellSize === undefined ? undefined : Number(b.cellSize),
      });
      reply.code(replayed ? 200 : 201);
      return { ...(await taskDetail(app.db, me, id)), replayed };
    },
  );

  app.post(
    '/api/tasks/:id/transitions',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Accept, report back (note, optional location), close (销号) or send back a task',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            to: Enum(taskStatuses),
            version: Type.Integer({ minimum: 1 }),
            note: Type.Optional(Note),
            lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
            lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: TaskDetail },
      },
    },
    async (request) => {
      const me = caller(request);
      await moveTaskTo(app.db, me, request.params.id, request.body);
      return taskDetail(app.db, me, request.params.id);
    },
  );
};

export default tasks;
