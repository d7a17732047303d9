import { useQuery } from '@tanstack/react-query';
import { type Me, meQuery } from '../../api/auth';

/** The signed-in caller (the AuthGate renders children only when there is one). */
export function useMe(): Me | null {
  return useQuery(meQuery()).data ?? null;
}
