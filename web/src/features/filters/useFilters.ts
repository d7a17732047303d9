import { useMemo } from 'react';
import type { DisputeFilters } from '../../api/filters';
import { useUrlParam } from '../selection/useUrlParam';

export interface FilterState {
  from: string | null;
  to: string | null;
  category: string | null;
  status: string | null;
}

/**
 * The dashboard's shared filters (time range, category, status; the town is the drill-down selection), held in
 * the URL so that a view can be shared and reloaded. Map layers, KPIs and charts all read them from here.
 */
export function useFilters() {
  const [from, setFrom] = useUrlParam('from');
  const [to, setTo] = useUrlParam('to');
  const [category, setCategory] = useUrlParam('category');
  const [status, setStatus] = useUrlParam('status');
  const state = useMemo<FilterState>(() => ({ from, to, category, status }), [from, to, category, status]);
  return { state, setFrom, setTo, setCategory, setStatus };
}

/** The filters as API parameters, with the selected town. */
export function useDisputeFilters(town: string | null): DisputeFilters {
  const { state } = useFilters();
  return useMemo(
    () => ({
      town: town ?? undefined,
      from: state.from ?? undefined,
      to: state.to ?? undefined,
      category: state.category ?? undefined,
      status: state.status ?? undefined,
    }),
    [town, state],
  );
}
