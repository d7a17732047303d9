import type { Me } from '../../api/auth';
import { useMe } from '../auth/useMe';

/**
 * The signed-in caller for the admin page and its header link. The auth gate renders the app only once it knows
 * who is signed in, so this is settled by the time the page draws.
 */
export function useCaller(): Me | null {
  return useMe();
}
