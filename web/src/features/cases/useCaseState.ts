import { useUrlParam } from '../selection/useUrlParam';

/** The register's state lives in the URL: selected case, form mode, picked point, filters. */
export function useCaseState() {
  const [caseId, setCaseId] = useUrlParam('case');
  const [mode, setMode] = useUrlParam('caseForm');
  const [at, setAt] = useUrlParam('caseAt');
  return {
    caseId: caseId && /^\d+$/.test(caseId) ? Number(caseId) : null,
    setCaseId: (id: number | null) => setCaseId(id === null ? null : String(id)),
    /** 'new' or 'edit' while the create/edit form is open (the map then picks the location). */
    mode: mode === 'new' || mode === 'edit' ? mode : null,
    setMode,
    at,
    setAt,
  };
}
