import { useQuery } from '@tanstack/react-query';
import { type Caller, callerQuery } from './api';

/** The signed-in caller for the admin page and its nav link (one function to swap for the auth feature's useMe). */
export function useCaller(): { caller: Caller | null; pending: boolean } {
  const q = useQuery(callerQuery());
  return { caller: q.data ?? null, pending: q.isPending };
}
