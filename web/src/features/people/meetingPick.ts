import { useSyncExternalStore } from 'react';

/**
 * The meeting form's "pick cases on the map" state, shared by the form (side panel) and the meetings view's map
 * overlay, which React mounts apart. The form owns it: it starts picking for its town and stops on unmount.
 */
export interface PickedCase {
  id: number;
  caseNo: string;
  lonLat: [number, number];
}

interface PickState {
  town: string | null;
  picked: readonly PickedCase[];
}

let state: PickState = { town: null, picked: [] };
const listeners = new Set<() => void>();
const emit = (next: PickState) => {
  state = next;
  for (const l of listeners) l();
};

export const meetingPick = {
  get: () => state,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  start(town: string, picked: readonly PickedCase[]) {
    emit({ town, picked });
  },
  stop() {
    emit({ town: null, picked: state.picked });
  },
  /** Adds the case, or removes it when it was picked already; returns whether it is picked now. */
  toggle(c: PickedCase): boolean {
    const had = state.picked.some((p) => p.id === c.id);
    emit({ ...state, picked: had ? state.picked.filter((p) => p.id !== c.id) : [...state.picked, c] });
    return !had;
  },
  reset() {
    emit({ town: null, picked: [] });
  },
};

export const useMeetingPick = () => useSyncExternalStore(meetingPick.subscribe, meetingPick.get);
