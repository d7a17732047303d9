import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { adminUnitsQuery } from '../../api/admin-units';
import { stationsQuery } from '../../api/stations';

/** Town and station names by code / id, for scope columns and pickers. */
export function useNames() {
  const towns = useQuery(adminUnitsQuery('town'));
  const stations = useQuery(stationsQuery());
  return useMemo(() => {
    const townList = (towns.data?.features ?? [])
      .map((f) => ({ code: f.properties.code, name: f.properties.name }))
      .sort((a, b) => a.code.localeCompare(b.code));
    const stationList = (stations.data?.features ?? [])
      .map((f) => ({ id: f.properties.id, name: f.properties.name, townCode: f.properties.townCode }))
      .sort((a, b) => a.townCode.localeCompare(b.townCode) || a.name.localeCompare(b.name, 'zh-CN'));
    const townName = new Map(townList.map((x) => [x.code, x.name]));
    const stationName = new Map(stationList.map((x) => [x.id, x.name]));
    // Until both lists are in, a scope is shown as pending rather than as a bare code or station id.
    const ready = towns.data !== undefined && stations.data !== undefined;
    return { townList, stationList, townName, stationName, ready };
  }, [towns.data, stations.data]);
}

export type Names = ReturnType<typeof useNames>;

/** The town a village belongs to: its first 9 digits (430723108 → 王家厂镇). */
export const townOfVillage = (villageCode: string) => villageCode.slice(0, 9);
