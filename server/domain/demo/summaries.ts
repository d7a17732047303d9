import type { DisputeCategory } from '../vocabulary.js';
import type { Rng } from './rng.js';

// Short synthetic case summaries. Parties appear as "surname + 某", the way Chinese public reports anonymise
// people; every summary says it is synthetic so that no one mistakes demo rows for real cases.

export const SYNTHETIC_MARK = '（合成数据）';

const SURNAMES = [...'张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗彭曾谭龚覃向邓熊肖汤夏宋唐易'];

export interface SummaryPlace {
  villageName: string;
  townName: string;
  isCommunity: boolean;
  /** In the county seat's sub-districts (街道) patients go to the county hospital, elsewhere to the health centre. */
  townIsUrban: boolean;
}

function twoParties(rng: Rng): [string, string] {
  const a = rng.pick(SURNAMES);
  let b = rng.pick(SURNAMES);
  while (b === a) b = rng.pick(SURNAMES);
  return [`${a}某`, `${b}某`];
}

/** Causes per category, used both for case summaries and for screening notes. */
export const CAUSES: Record<DisputeCategory, readonly string[]> = {
  neighbour: [
    '宅基地边界',
    '排水沟走向',
    '房屋滴水',
    '门前堆放杂物',
    '家禽毁坏菜地',
    '噪音扰邻',
    '通行道路',
    '树木遮挡采光',
  ],
  marriage_family: ['赡养老人', '离婚财产分割', '子女抚养', '房屋继承', '彩礼返还', '家庭琐事'],
  land_forest: ['责任田边界', '山林权属', '土地流转租金', '承包地调整', '灌溉用水', '征地补偿款分配'],
  contract_debt: ['民间借贷到期未还', '拖欠货款', '房屋买卖合同', '装修工程款', '农资赊账'],
  labour_wages: ['拖欠工资', '工伤赔偿', '解除劳动关系补偿'],
  traffic_accident: ['电动车与摩托车相撞', '农用车刮擦', '行人被撞受伤', '停车剐蹭'],
  property_management: ['物业费收缴', '电梯维修', '停车位管理', '房屋漏水维修', '公共收益分配'],
  medical: ['诊疗效果', '用药争议', '住院期间摔伤', '手术后遗症'],
  other: ['网络购物', '宠物伤人', '宴席费用', '广场舞场地', '坟地迁移'],
};

const EMPLOYERS = ['某建筑工地', '某农业合作社', '某砖厂', '某物流公司', '某加工厂'];
const RELATIVES = ['配偶', '儿媳', '兄弟', '子女'];

export function disputeSummary(rng: Rng, category: DisputeCategory, place: SummaryPlace): string {
  const [a, b] = twoParties(rng);
  const resident = `${place.villageName}${place.isCommunity ? '居民' : '村民'}`;
  const cause = rng.pick(CAUSES[category]);
  let text: string;
  switch (category) {
    case 'neighbour':
      text = `${resident}${a}与邻居${b}因${cause}发生争执`;
      break;
    case 'marriage_family':
      text = `${resident}${a}与${rng.pick(RELATIVES)}因${cause}产生家庭矛盾`;
      break;
    case 'land_forest':
      text = `${resident}${a}与${b}因${cause}发生争议`;
      break;
    case 'contract_debt':
      text = `${a}与${b}因${cause}发生纠纷，涉及${resident}`;
      break;
    case 'labour_wages':
      text = `${resident}${a}等${rng.int(2, 12)}人与${rng.pick(EMPLOYERS)}因${cause}发生纠纷`;
      break;
    case 'traffic_accident':
      text = `${place.townName}境内${a}与${b}因${cause}引发赔偿纠纷`;
      break;
    case 'property_management':
      text = `${place.villageName}业主${a}等与物业公司因${cause}发生纠纷`;
      break;
    case 'medical': {
      const hospital = place.townIsUrban ? '县人民医院' : `${place.townName}卫生院`;
      text = `患者${a}家属与${hospital}因${cause}发生医疗纠纷`;
      break;
    }
    default:
      text = `${resident}${a}与${b}因${cause}发生纠纷`;
  }
  return `${text}${SYNTHETIC_MARK}`;
}

/** A screening finding: a dispute seen brewing, put on the ledger and followed. */
export function screeningNote(rng: Rng, category: DisputeCategory): string {
  return `发现${rng.pick(CAUSES[category])}方面的矛盾苗头，已登记跟踪${SYNTHETIC_MARK}`;
}
