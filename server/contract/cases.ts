import Type, { type Static } from 'typebox';
import { Nullable, Rate } from './common.js';
import { referralKinds } from './vocabulary.js';

/** Answers of the case register's figures (/api/cases/figures). */

export const figureDefinitions = {
  acceptanceRate: 'accepted ÷ found',
  successRate: 'resolved ÷ closed (resolved + failed + referred)',
  villageShare: 'resolved at village level ÷ resolved',
  townOrBelowShare: 'resolved at village or town level ÷ resolved',
  daysToAccept: 'mean days from reported to accepted',
  daysToResolve: 'mean days from reported to resolved',
} as const;

export const FigureUnit = Type.Object({
  key: Type.String({ description: 'town code, or station id' }),
  name: Type.String(),
  townCode: Type.String(),
  kind: Nullable(Type.String({ description: 'station kind (by=station)' })),
  found: Type.Integer(),
  accepted: Type.Integer(),
  acceptanceRate: Rate,
  resolved: Type.Integer(),
  failed: Type.Integer(),
  referred: Type.Integer(),
  open: Type.Integer(),
  closed: Type.Integer(),
  successRate: Rate,
  daysToAccept: Nullable(Type.Number()),
  daysToResolve: Nullable(Type.Number()),
  resolvedAtVillage: Type.Integer(),
  resolvedAtTown: Type.Integer(),
  villageShare: Rate,
  townOrBelowShare: Rate,
  referrals: Type.Object(
    Object.fromEntries(referralKinds.map((k) => [k, Type.Integer()])) as Record<
      (typeof referralKinds)[number],
      Type.TInteger
    >,
  ),
});
export type FigureUnit = Static<typeof FigureUnit>;

export const CaseFiguresResponse = Type.Object({
  by: Type.Union([Type.Literal('town'), Type.Literal('station')]),
  definitions: Type.Object(
    Object.fromEntries(Object.keys(figureDefinitions).map((k) => [k, Type.String()])) as Record<
      keyof typeof figureDefinitions,
      Type.TString
    >,
  ),
  units: Type.Array(FigureUnit),
});
export type CaseFiguresResponse = Static<typeof CaseFiguresResponse>;
