import type { Position } from 'geojson';
import { chinaMs } from './calendar.js';
import type { DisputeDraft } from './disputes.js';
import type { Geography, TownPlace, VillagePlace } from './geography.js';
import { distanceToBoundaryMetres, offsetMetres, pointInMultiPolygon, roundPosition } from './geometry.js';
import { stationKey } from './stations.js';
import { SYNTHETIC_MARK } from './summaries.js';

// The source article (澧县司法局, 2023-05-17) gives two cases; the demo reconstructs them so that a reader can
// find them on the map. Everything beyond what the article says (times, exact places) is invented.

/** The county's totals for 2018-01-01 → 2023-05-17 as the article reports them. */
export const ARTICLE_FIGURES = { found: 27_013, resolved: 26_014 } as const;

/**
 * Case numbers of the two article cases. They keep the normal LX-<year>-<seq> format with memorable sequence
 * numbers (month and day of the report); the random cases are numbered in report order and skip these two.
 */
export const ARTICLE_CASE_NOS = ['LX-2021-000525', 'LX-2022-000402'] as const;

const SOURCE_NOTE = '据澧县司法局2023年5月17日公开报道重建';

function townByCode(geography: Geography, code: string): TownPlace {
  const town = geography.towns.find((t) => t.code === code);
  if (!town) throw new Error(`the demo geography has no town ${code}`);
  return town;
}

/** The village whose polygon holds the point (with a margin), or the town's first village and its anchor point. */
function placeInTown(town: TownPlace, wanted: Position): { village: VillagePlace; point: Position } {
  const p = roundPosition(wanted);
  const village = town.villages.find(
    (v) => pointInMultiPolygon(p, v.geometry) && distanceToBoundaryMetres(p, v.geometry) > 5,
  );
  if (village) return { village, point: p };
  const first = town.villages[0];
  if (!first) throw new Error(`town ${town.code} has no villages`);
  return { village: first, point: first.point };
}

export function articleCases(geography: Geography): DisputeDraft[] {
  // 1. 2021-05-25, 王家厂镇: a patient from 大堰垱镇 died at the town health centre (卫生院), a short walk from the
  // town seat; joint on-site mediation by the 王家厂 judicial office and police station.
  const wangjiachang = townByCode(geography, '430723108');
  const clinic = placeInTown(wangjiachang, offsetMetres(wangjiachang.labelPoint, 220, 140));
  // 2. 2022-04-02, 澧南镇: neighbours 羿某 and 王某; the article names no village, so the town's first 村 is used.
  const linan = townByCode(geography, '430723114');
  const village = linan.villages.find((v) => !v.isCommunity) ?? linan.villages[0];
  if (!village) throw new Error('澧南镇 has no villages');
  const neighbours = placeInTown(linan, offsetMetres(village.point, 60, 40));

  return [
    {
      caseNo: ARTICLE_CASE_NOS[0],
      category: 'medical',
      riskLevel: 'red',
      status: 'resolved',
      channel: 'joint',
      resolutionLevel: 'town',
      reportedMs: chinaMs('2021-05-25', 10, 20),
      acceptedMs: chinaMs('2021-05-25', 10, 45),
      // The forensic determination of the cause of death took time; the date of the agreement is invented.
      resolvedMs: chinaMs('2021-06-09', 16, 30),
      lon: clinic.point[0] ?? 0,
      lat: clinic.point[1] ?? 0,
      villageCode: clinic.village.code,
      townCode: wangjiachang.code,
      stationKey: stationKey.jointRoom(wangjiachang.code),
      summary:
        '2021年5月25日，大堰垱镇村民徐某在王家厂镇卫生院就医过程中身亡，死者家属情绪激动、聚集讨要说法。' +
        '王家厂司法所联合当地派出所赶到现场控制局面、联合调解，经法医鉴定死因、释法明理，双方最终达成协议。' +
        `${SOURCE_NOTE}${SYNTHETIC_MARK}`,
    },
    {
      caseNo: ARTICLE_CASE_NOS[1],
      category: 'neighbour',
      riskLevel: 'orange',
      status: 'resolved',
      channel: 'joint',
      resolutionLevel: 'town',
      reportedMs: chinaMs('2022-04-02', 15, 10),
      acceptedMs: chinaMs('2022-04-02', 15, 40),
      resolvedMs: chinaMs('2022-04-03', 11, 20),
      lon: neighbours.point[0] ?? 0,
      lat: neighbours.point[1] ?? 0,
      villageCode: neighbours.village.code,
      townCode: linan.code,
      stationKey: stationKey.jointRoom(linan.code),
      summary:
        '2022年4月2日，澧南镇村民羿某与邻居王某因琐事发生口角，羿某将王某打伤后主动申请调解。' +
        '司法所与派出所共同制定调解方案、密切配合，很快促使双方达成协议，邻里关系得以缓和。' +
        `${SOURCE_NOTE}${SYNTHETIC_MARK}`,
    },
  ];
}
