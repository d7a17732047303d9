import { useQuery } from '@tanstack/react-query';
import type { AssessmentBy } from '../../api/assessment';
import { configQuery } from '../../api/config';
import { useUrlParam } from '../selection/useUrlParam';
import { lastCompleteMonth, PERIOD_PATTERN } from './periods';

const BYS: readonly AssessmentBy[] = ['town', 'room', 'station'];

/** The assessment view's state in the URL: the period (default: the last complete month) and the units ranked. */
export function useAssessmentState() {
  const config = useQuery(configQuery());
  const asOf = config.data?.asOf.slice(0, 10) ?? null;
  const [rawPeriod, setRawPeriod] = useUrlParam('period');
  const [rawBy, setRawBy] = useUrlParam('by');
  const fallback = asOf ? lastCompleteMonth(asOf) : null;
  const period = rawPeriod && PERIOD_PATTERN.test(rawPeriod) ? rawPeriod : fallback;
  const by = BYS.find((b) => b === rawBy) ?? 'town';
  return {
    asOf,
    period,
    setPeriod: (p: string) => setRawPeriod(p === fallback ? null : p, true),
    by,
    setBy: (b: AssessmentBy) => setRawBy(b === 'town' ? null : b, true),
  };
}
