"""Static data of the demo county, modelled on Xi County (隰县, Linfen, Shanxi) in 2014–2015.

Everything here is plain data; ``loader.py`` turns it into rows through the services.
Codes are the stable keys that make the loader idempotent: never renumber them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

SEED = 2015
PASSWORD = "kaohe-demo"  # noqa: S105 - the published password of the demo logins
EMAIL_DOMAIN = "example.gov.cn"

# Unit kinds and methods, as stored (cadres.models.Unit.Kind, assessments.models.Indicator.Method).
TOWNSHIP, DEPARTMENT, COMMITTEE = "township", "department", "committee"
ALL_KINDS = [TOWNSHIP, DEPARTMENT, COMMITTEE]

# --- The unit tree -------------------------------------------------------------------------

CITY = ("LF", "临汾市")
COUNTY = ("XX", "隰县")

# Party (work) committees directly under the county: (code, name).
COMMITTEES = [
    ("XX-C01", "县直机关工委"),
    ("XX-C02", "县委教育工委"),
    ("XX-C03", "县卫生健康工委"),
    ("XX-C04", "县委政法委"),
    ("XX-C05", "县农业农村工委"),
    ("XX-C06", "县国资国企工委"),
    ("XX-C07", "县非公经济和社会组织工委"),
    ("XX-C08", "县公安局党委"),
    ("XX-C09", "县城建工委"),
    ("XX-C10", "县交通运输工委"),
    ("XX-C11", "县水利工委"),
    ("XX-C12", "县林业工委"),
    ("XX-C13", "县果业工委"),
    ("XX-C14", "县财贸工委"),
    ("XX-C15", "县工业经济工委"),
    ("XX-C16", "县文化旅游工委"),
    ("XX-C17", "县市场监管工委"),
    ("XX-C18", "县金融工委"),
    ("XX-C19", "县城市社区工委"),
    ("XX-C20", "县老干部工委"),
]

# Townships directly under the county: (code, name).
TOWNSHIPS = [
    ("XX-T01", "龙泉镇"),
    ("XX-T02", "午城镇"),
    ("XX-T03", "黄土镇"),
    ("XX-T04", "阳头升乡"),
    ("XX-T05", "寨子乡"),
    ("XX-T06", "城南乡"),
    ("XX-T07", "下李乡"),
    ("XX-T08", "陡坡乡"),
]

# County departments, each under the committee that leads its party work: (code, name, committee).
DEPARTMENTS = [
    ("XX-D01", "县委办公室", "XX-C01"),
    ("XX-D02", "县政府办公室", "XX-C01"),
    ("XX-D03", "县委组织部", "XX-C01"),
    ("XX-D04", "县委宣传部", "XX-C01"),
    ("XX-D05", "县纪委", "XX-C01"),
    ("XX-D06", "县发展和改革局", "XX-C15"),
    ("XX-D07", "县财政局", "XX-C14"),
    ("XX-D08", "县农业农村局", "XX-C05"),
    ("XX-D09", "县果业发展中心", "XX-C13"),
    ("XX-D10", "县信访局", "XX-C01"),
    ("XX-D11", "县应急管理局", "XX-C01"),
    ("XX-D12", "县林业局", "XX-C12"),
    ("XX-D13", "县教育局", "XX-C02"),
    ("XX-D14", "县卫生健康局", "XX-C03"),
    ("XX-D15", "县公安局", "XX-C08"),
    ("XX-D16", "县人力资源和社会保障局", "XX-C01"),
    ("XX-D17", "县住房和城乡建设局", "XX-C09"),
    ("XX-D18", "县交通运输局", "XX-C10"),
    ("XX-D19", "县水利局", "XX-C11"),
    ("XX-D20", "县商务局", "XX-C14"),
    ("XX-D21", "县文化和旅游局", "XX-C16"),
    ("XX-D22", "县市场监督管理局", "XX-C17"),
    ("XX-D23", "县审计局", "XX-C01"),
    ("XX-D24", "县统计局", "XX-C01"),
    ("XX-D25", "县民政局", "XX-C01"),
    ("XX-D26", "县司法局", "XX-C04"),
    ("XX-D27", "县自然资源局", "XX-C09"),
    ("XX-D28", "县生态环境局", "XX-C01"),
    ("XX-D29", "县工业和信息化局", "XX-C15"),
    ("XX-D30", "县扶贫开发服务中心", "XX-C05"),
    ("XX-D31", "县委统战部", "XX-C01"),
    ("XX-D32", "县粮食局", "XX-C14"),
    ("XX-D33", "县委编办", "XX-C01"),
    ("XX-D34", "县能源局", "XX-C15"),
    ("XX-D35", "县城市管理局", "XX-C09"),
    ("XX-D36", "县供销合作社", "XX-C14"),
    ("XX-D37", "县档案馆", "XX-C01"),
    ("XX-D38", "县广播电视台", "XX-C16"),
    ("XX-D39", "县总工会", "XX-C01"),
    ("XX-D40", "团县委", "XX-C01"),
    ("XX-D41", "县妇联", "XX-C01"),
    ("XX-D42", "县科学技术协会", "XX-C01"),
    ("XX-D43", "县畜牧兽医服务中心", "XX-C05"),
    ("XX-D44", "县国有资产服务中心", "XX-C06"),
    ("XX-D45", "县人民法院", "XX-C04"),
    ("XX-D46", "县人民检察院", "XX-C04"),
    ("XX-D47", "县金融服务中心", "XX-C18"),
    ("XX-D48", "县老干部局", "XX-C20"),
    ("XX-D49", "县中小企业服务中心", "XX-C07"),
    ("XX-D50", "县社区建设服务中心", "XX-C19"),
]

# Grassroots party organizations under some townships: (code, name, township).
GRASSROOTS = [
    ("XX-G0101", "龙泉镇东坡村党支部", "XX-T01"),
    ("XX-G0102", "龙泉镇南关社区党支部", "XX-T01"),
    ("XX-G0201", "午城镇午城村党支部", "XX-T02"),
    ("XX-G0202", "午城镇白家庄村党支部", "XX-T02"),
    ("XX-G0301", "黄土镇黄土村党支部", "XX-T03"),
    ("XX-G0302", "黄土镇康家坪村党支部", "XX-T03"),
    ("XX-G0401", "阳头升乡阳头升村党支部", "XX-T04"),
    ("XX-G0402", "阳头升乡竹干村党支部", "XX-T04"),
    ("XX-G0501", "寨子乡寨子村党支部", "XX-T05"),
    ("XX-G0601", "城南乡南庄村党支部", "XX-T06"),
    ("XX-G0701", "下李乡下李村党支部", "XX-T07"),
    ("XX-G0801", "陡坡乡陡坡村党支部", "XX-T08"),
]


def head_email(code: str) -> str:
    return f"head.{code.lower()}@{EMAIL_DOMAIN}"


# --- Leadership teams and posts --------------------------------------------------------------

# How many cadres each assessed unit has (inclusive ranges).
TEAM_SIZE = {TOWNSHIP: (14, 20), DEPARTMENT: (5, 8), COMMITTEE: (4, 6)}

# Principal and deputy titles of a department, by how its name ends (first match wins).
DEPARTMENT_HEADS = [
    ("检察院", "检察长", "副检察长"),
    ("法院", "院长", "副院长"),
    ("县纪委", "书记", "副书记"),
    ("团县委", "书记", "副书记"),
    ("总工会", "主席", "副主席"),
    ("妇联", "主席", "副主席"),
    ("协会", "主席", "副主席"),
    ("馆", "馆长", "副馆长"),
    ("台", "台长", "副台长"),
    ("部", "部长", "副部长"),
    ("局", "局长", "副局长"),
    ("", "主任", "副主任"),  # 中心, 办公室, 合作社
]

DEPARTMENT_MIDDLE = [
    "办公室主任",
    "综合股股长",
    "业务股股长",
    "财务股股长",
    "法规股股长",
    "人事股股长",
]
DEPARTMENT_MIDDLE_BY_CODE = {
    "XX-D03": ["办公室主任", "组织股股长", "干部股股长", "考核办主任"],
    "XX-D05": ["办公室主任", "案件审理室主任", "党风政风监督室主任"],
    "XX-D15": ["办公室主任", "刑侦大队大队长", "治安大队大队长", "龙泉派出所所长"],
    "XX-D45": ["办公室主任", "立案庭庭长", "民事审判庭庭长", "刑事审判庭庭长"],
    "XX-D46": ["办公室主任", "公诉科科长", "侦查监督科科长"],
}
DEPARTMENT_STAFF = ["科员", "干事"]
DEPARTMENT_STAFF_BY_CODE = {
    "XX-D15": ["民警"],
    "XX-D45": ["审判员", "书记员"],
    "XX-D46": ["检察员", "书记员"],
}

TOWNSHIP_PRINCIPAL = "党委书记"
# The first deputy is always the township head (镇长 / 乡长); the others are drawn from these.
TOWNSHIP_DEPUTIES = ["党委副书记", "人大主席", "纪委书记", "副{head}", "组织委员", "武装部长"]
TOWNSHIP_MIDDLE = [
    "党政办主任",
    "财政所所长",
    "农业综合服务中心主任",
    "社会事务办主任",
    "经济发展办主任",
    "综治中心主任",
    "果业站站长",
    "林业站站长",
]
TOWNSHIP_STAFF = ["科员", "干事"]

COMMITTEE_PRINCIPAL = "书记"
COMMITTEE_DEPUTIES = ["副书记", "专职副书记", "委员"]
COMMITTEE_MIDDLE = ["办公室主任", "组织科科长", "宣传科科长"]
COMMITTEE_STAFF = ["干事"]

# Heads of these units sit on the county party standing committee (deputy division level).
PRINCIPAL_DIVISION_LEVEL = {"XX-D03", "XX-D04", "XX-D05", "XX-C04"}

# Birth years by post kind, and the window in which current posts started.
BIRTH_YEARS = {
    "principal": (1965, 1978),
    "deputy": (1966, 1984),
    "middle": (1968, 1988),
    "staff": (1972, 1992),
}
POSTS_FROM = dt.date(2008, 1, 1)
POSTS_UNTIL = dt.date(2015, 3, 31)
MIN_AGE_AT_START = 22

EDUCATION = [("大学本科", 60), ("大专", 33), ("硕士研究生", 7)]
EDUCATION_LEADING = [("大学本科", 70), ("大专", 18), ("硕士研究生", 12)]

# Cadres whose post history shows a move between units in 2014.
MOVES = 5
EARLIER_POSTS_FROM = dt.date(2009, 1, 1)
EARLIER_POSTS_UNTIL = dt.date(2012, 12, 31)
MOVED_FROM = dt.date(2014, 2, 1)
MOVED_UNTIL = dt.date(2014, 10, 31)

# --- Names -------------------------------------------------------------------------------------

# Common surnames in southern Shanxi, with rough weights.
# fmt: off
SURNAMES = [
    ("王", 12), ("李", 10), ("张", 9), ("刘", 8), ("陈", 5), ("杨", 5), ("赵", 5), ("郭", 5),
    ("贺", 4), ("乔", 4), ("史", 3), ("冯", 3), ("马", 3), ("梁", 3), ("黄", 2), ("周", 2),
    ("吴", 2), ("韩", 2), ("孙", 2), ("高", 3), ("田", 2), ("段", 2), ("薛", 2), ("任", 2),
    ("宋", 2), ("牛", 2), ("武", 2), ("白", 2), ("曹", 2), ("闫", 2), ("郝", 2), ("温", 1),
    ("秦", 1), ("卫", 1), ("侯", 2), ("康", 1), ("靳", 1), ("毛", 1), ("柴", 1), ("解", 1),
]
# fmt: on

MALE_FIRST = "建志国晓俊永海文宏晋卫红新向振立云学春玉金世"
MALE_SECOND = "军国伟强华明勇斌刚平林峰涛鹏杰磊辉东亮波飞龙生忠民荣兵"
MALE_SINGLE = "伟军勇强斌涛鹏杰磊峰刚超浩鑫宇"
FEMALE_FIRST = "丽晓秀玉红美艳雅静俊彩慧春海金文晶"
FEMALE_SECOND = "娟芳霞英华燕萍丽敏静琴梅兰玲婷红莉颖洁茹"
FEMALE_SINGLE = "丽娟芳静敏燕艳婷霞琳洁颖"
SINGLE_NAME_SHARE = 0.2

# Share of men among cadres, by post kind.
MALE_SHARE = {"principal": 0.9, "deputy": 0.75, "middle": 0.65, "staff": 0.5}
PARTY_SHARE = {"principal": 1.0, "deputy": 1.0, "middle": 0.95, "staff": 0.8}

# --- Demo logins -------------------------------------------------------------------------------

# (username, role, scope unit code, full name). The cadre login belongs to the principal leader
# of its scope unit and takes that cadre's name.
ACCOUNTS = [
    ("office", "office", "XX", "郭晓燕"),
    ("leader", "leader", "XX", "贺建国"),
    ("liaison", "liaison", "XX-T01", "乔丽娟"),
    ("cadre", "cadre", "XX-T01", ""),
    ("cityoffice", "office", "LF", "冯志强"),
    # The lead assessing departments' scorers (牵头部门评分员), one per department.
    ("zuzhi", "lead", "XX-D03", "王建华"),
    ("jiwei", "lead", "XX-D05", "刘志刚"),
    ("xianwei", "lead", "XX-D01", "李红梅"),
    ("guoye", "lead", "XX-D09", "张玉梅"),
    ("xinfang", "lead", "XX-D10", "赵海军"),
    ("yingji", "lead", "XX-D11", "孙国强"),
    ("gongan", "lead", "XX-D15", "周立新"),
    ("sifa", "lead", "XX-D26", "吴秀兰"),
    ("fupin", "lead", "XX-D30", "郑文斌"),
]

# --- Assessment years, weights and the indicator catalog ---------------------------------------

# (year, title, final status).
YEARS = [
    (2014, "隰县2014年度目标责任考核", "closed"),
    (2015, "隰县2015年度目标责任考核", "in_progress"),
]

# year -> unit kind -> (party, industry, tasks). Party building went from 15% to 30% in 2015.
WEIGHTS = {
    2014: {TOWNSHIP: (15, 50, 35), DEPARTMENT: (15, 50, 35), COMMITTEE: (15, 50, 35)},
    2015: {TOWNSHIP: (30, 40, 30), DEPARTMENT: (30, 40, 30), COMMITTEE: (40, 30, 30)},
}

BOTH_YEARS = (2014, 2015)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    category: str
    method: str
    max_points: str | None  # None for a group node: the sum of its children
    unit_kinds: list[str]
    parent: str | None = None
    lead: str | None = None  # unit code of the lead assessing department
    is_veto: bool = False
    years: tuple[int, ...] = BOTH_YEARS
    description: str = ""


def _i(code, name, category, method, max_points, unit_kinds, **kw) -> IndicatorSpec:
    return IndicatorSpec(code, name, category, method, max_points, list(unit_kinds), **kw)


T, D, C = [TOWNSHIP], [DEPARTMENT], [COMMITTEE]
TD = [TOWNSHIP, DEPARTMENT]
DC = [DEPARTMENT, COMMITTEE]
NEW_2015 = (2015,)

# Parents come before their children. Group nodes have max_points None.
# fmt: off
CATALOG = [
    # 党的建设 party building
    _i("P1", "领导班子和干部队伍建设", "party", "levels", "8", ALL_KINDS, lead="XX-D03",
       description="班子团结、民主集中制执行、干部选拔任用和日常管理，按好/较好/一般/较差评定。"),
    _i("P2", "基层组织建设", "party", "levels", None, ALL_KINDS, lead="XX-D03"),
    _i("P2.1", "基层党组织标准化建设", "party", "levels", "5", ALL_KINDS, parent="P2",
       lead="XX-D03", description="支部规范化建设、“三会一课”落实、活动阵地建设。"),
    _i("P2.2", "党员教育管理", "party", "levels", "3", ALL_KINDS, parent="P2", lead="XX-D03",
       description="党员发展、教育培训、流动党员管理。"),
    _i("P3", "党风廉政建设", "party", "deduction", "6", ALL_KINDS, lead="XX-D05",
       description="落实主体责任和“一岗双责”；每查实一起问题按规定扣分，扣完为止。"),
    _i("P4", "联述联评联考", "party", "midterm", "8", ALL_KINDS, lead="XX-D03", years=NEW_2015,
       description="县、乡、村三级联述联评联考，年中测评；得分 = 分值 × 测评得分 / 100。"),
    _i("P5", "党建目标责任书落实", "party", "levels", "5", ALL_KINDS, lead="XX-D03",
       years=NEW_2015, description="年初逐级签订的党建目标责任书所列目标完成情况。"),
    _i("P6", "法治隰县建设", "party", "levels", "3", ALL_KINDS, lead="XX-D26",
       description="普法宣传、法治创建、领导干部学法用法。"),
    _i("P7", "全面深化改革", "party", "levels", "3", ALL_KINDS, lead="XX-D01",
       description="县委深改组部署的年度改革任务落实情况。"),
    # 主导产业 leading industry: townships grow Yuluxiang pears, departments build projects
    _i("I1", "玉露香梨产业", "industry", "ratio", None, T, lead="XX-D09"),
    _i("I1.1", "扩规模：新植玉露香梨", "industry", "ratio", "12", T, parent="I1",
       lead="XX-D09", description="新植玉露香梨面积（亩），按完成率计分，封顶100%。"),
    _i("I1.2", "强管理：果园标准化管理", "industry", "levels", "10", T, parent="I1",
       lead="XX-D09", description="疏花疏果、套袋、病虫害统防统治等管理措施落实情况。"),
    _i("I1.3", "出精品：精品果率", "industry", "levels", "8", T, parent="I1", lead="XX-D09",
       description="精品果比例、绿色有机认证和果品质量评比情况。"),
    _i("I1.4", "抓营销：果品销售量", "industry", "ratio", "8", T, parent="I1", lead="XX-D09",
       description="玉露香梨销售量（吨），含电商销售。"),
    _i("I2", "林下经济", "industry", "ratio", "7", T, lead="XX-D12", years=NEW_2015,
       description="林下种植、养殖面积（亩），按完成率计分。"),
    _i("I3", "重点项目建设", "industry", "ratio", None, D, lead="XX-D06"),
    _i("I3.1", "重点项目完成投资", "industry", "ratio", "12", D, parent="I3", lead="XX-D06",
       description="年度重点项目完成投资（万元）。"),
    _i("I3.2", "重点项目开工率", "industry", "ratio", "8", D, parent="I3", lead="XX-D06",
       description="计划新开工重点项目的开工个数。"),
    _i("I4", "市下达指标", "industry", "ratio", "20", D, lead="XX-D24",
       description="市对县下达、分解到本部门的约束性和预期性指标完成情况。"),
    _i("I5", "党建引领产业发展", "industry", "levels", "15", C,
       description="系统内党组织服务主导产业、党员示范带动情况。"),
    _i("I6", "所属单位主导产业目标完成情况", "industry", "manual", "20", C,
       description="按所属单位主导产业目标完成情况综合计分，须写明理由。"),
    # 部门任务和社会管理 departmental tasks and social management
    _i("T1", "依法行政", "tasks", "levels", "5", TD, lead="XX-D26",
       description="行政执法规范、行政复议和应诉、政务公开。"),
    _i("T2", "干部驻村增收", "tasks", "ratio", "6", ALL_KINDS, lead="XX-D03", years=NEW_2015,
       description="驻村工作队帮扶村农民人均可支配收入增长目标完成率。"),
    _i("T3", "定点扶贫", "tasks", "levels", "6", DC, lead="XX-D30",
       description="机关单位定点帮扶贫困村的帮扶措施和成效。"),
    _i("T4", "信访", "tasks", "deduction", "6", ALL_KINDS, lead="XX-D10",
       description="越级访、重复访、群体访按起数扣分，扣完为止。"),
    _i("T5", "安全生产", "tasks", "deduction", "6", ALL_KINDS, lead="XX-D11", is_veto=True,
       description="发生较大及以上生产安全责任事故的，实行一票否决。"),
    _i("T6", "综合治理", "tasks", "deduction", None, ALL_KINDS),
    _i("T6.1", "社会治安综合治理", "tasks", "deduction", "5", ALL_KINDS, parent="T6",
       description="平安建设、矛盾纠纷排查化解；发生重大案事件的扣分。"),
    _i("T6.2", "打黑除恶专项斗争", "tasks", "deduction", "4", ALL_KINDS, parent="T6",
       lead="XX-D15", description="线索摸排和移交；涉黑涉恶问题瞒报、漏报的扣分。"),
    _i("T7", "精准脱贫", "tasks", "ratio", "6", T, lead="XX-D30",
       description="年度贫困人口减贫任务完成率。"),
    _i("T8", "部门重点工作", "tasks", "levels", "8", D,
       description="部门年度职能目标和县委、县政府交办的重点工作。"),
    # 加分 bonus, outside the three thirds
    _i("B1", "省级表彰", "bonus", "bonus", "2", ALL_KINDS,
       description="受到省委、省政府或省直部门表彰的加分。"),
    _i("B2", "市级表彰", "bonus", "bonus", "1", ALL_KINDS,
       description="受到市委、市政府表彰的加分。"),
    _i("B3", "工作经验被上级推广", "bonus", "bonus", "1", ALL_KINDS,
       description="工作经验被省、市推广或在会议上作典型发言的加分。"),
]
# fmt: on

# --- 2015 as of October: targets, progress, checks, reviews -------------------------------------

# The progress part has its own random stream, so the county above never changes with it.
PROGRESS_SEED = 20151031
PROGRESS_YEAR = 2015
LAST_MONTH = 10  # January to October are reported
AS_OF = dt.date(2015, 10, 31)  # the demo's "today"
TIME_ZONE = "Asia/Shanghai"
TARGET_DEADLINE = dt.date(2015, 12, 31)

# The county party secretary signs the party-building responsibility letters (a made-up name).
COUNTY_SECRETARY = "梁振华"
LETTER_KINDS = [TOWNSHIP, COMMITTEE]
LETTER_TITLE = "隰县2015年度党建工作目标责任书（{unit}）"
LETTER_DAYS = (dt.date(2015, 2, 9), dt.date(2015, 2, 13))

# Milestone curves: month -> cumulative share of the annual target.
# fmt: off
PLANTING_CURVE = {  # Yuluxiang pears are planted in spring (March-April) and late autumn
    3: "0.30", 4: "0.62", 5: "0.68", 6: "0.68", 7: "0.68", 8: "0.68", 9: "0.70", 10: "0.82",
    11: "1", 12: "1",
}
MARKETING_CURVE = {  # stored fruit sells until spring; the new crop is picked in September
    1: "0.08", 2: "0.15", 3: "0.19", 4: "0.21", 5: "0.22", 6: "0.22", 7: "0.22", 8: "0.26",
    9: "0.50", 10: "0.68", 11: "0.85", 12: "1",
}
UNDERFOREST_CURVE = {
    3: "0.10", 4: "0.30", 5: "0.52", 6: "0.70", 7: "0.78", 8: "0.84", 9: "0.90", 10: "0.95",
    11: "1", 12: "1",
}
INVESTMENT_CURVE = {  # the building season runs from March to November
    3: "0.05", 4: "0.14", 5: "0.26", 6: "0.40", 7: "0.53", 8: "0.65", 9: "0.76", 10: "0.86",
    11: "0.95", 12: "1",
}
STARTS_CURVE = {3: "0.25", 4: "0.50", 5: "0.75", 6: "1", 12: "1"}  # projects break ground in spring
# fmt: on


@dataclass(frozen=True)
class RatioSpec:
    """How a completion-ratio target is set: value range (rounded to ``step``) and measure."""

    measure: str
    low: int
    high: int
    step: int
    note: str
    curve: dict[int, str] | None = None  # milestones; None: the plan is target × month / 12
    places: int = 0  # decimals of reported values


RATIO_TARGETS = {
    ("I1.1", TOWNSHIP): RatioSpec("亩", 1500, 4000, 50, "新植玉露香梨面积", PLANTING_CURVE),
    ("I1.4", TOWNSHIP): RatioSpec("吨", 5000, 16000, 100, "玉露香梨销售量", MARKETING_CURVE),
    ("I2", TOWNSHIP): RatioSpec("亩", 500, 2500, 50, "林下种植养殖面积", UNDERFOREST_CURVE),
    ("T2", TOWNSHIP): RatioSpec("户", 200, 600, 10, "驻村帮扶增收户数"),
    ("T7", TOWNSHIP): RatioSpec("人", 400, 1500, 10, "年度减贫人口"),
    ("I3.1", DEPARTMENT): RatioSpec("万元", 100, 1500, 10, "重点项目完成投资", INVESTMENT_CURVE),
    ("I3.2", DEPARTMENT): RatioSpec("个", 1, 2, 1, "计划新开工重点项目", STARTS_CURVE),
    ("I4", DEPARTMENT): RatioSpec("%", 100, 100, 1, "市下达指标综合完成进度", places=1),
    ("T2", DEPARTMENT): RatioSpec("户", 10, 40, 1, "驻村帮扶增收户数"),
    ("T2", COMMITTEE): RatioSpec("户", 15, 50, 1, "驻村帮扶增收户数"),
}

# Departments that carry the county's big projects: I3.1 investment (万元) and I3.2 starts (个).
BIG_PROJECTS = {
    "XX-D06": (8000, 15000, 5, 8),
    "XX-D08": (3000, 6000, 3, 5),
    "XX-D09": (4000, 8000, 3, 6),
    "XX-D12": (2000, 5000, 2, 4),
    "XX-D13": (3000, 7000, 3, 5),
    "XX-D14": (2000, 5000, 2, 4),
    "XX-D17": (6000, 12000, 4, 7),
    "XX-D18": (8000, 14000, 4, 7),
    "XX-D19": (3000, 8000, 3, 6),
    "XX-D27": (1500, 4000, 2, 4),
    "XX-D30": (2000, 5000, 3, 5),
    "XX-D34": (2000, 6000, 2, 4),
}

# Unit profiles: a quality tier per unit (A strong ... D weak), and the October colour of its
# numeric targets (green: all on track; amber: one or two lag; red: one lags badly).
TIERS = "ABCD"
TIER_COUNTS = {
    TOWNSHIP: {"A": 1, "B": 3, "C": 3, "D": 1},
    DEPARTMENT: {"A": 7, "B": 21, "C": 16, "D": 6},
    COMMITTEE: {"A": 3, "B": 8, "C": 7, "D": 2},
}
COLOUR_COUNTS = {  # (red, amber); the rest are green
    TOWNSHIP: (1, 2),
    DEPARTMENT: (3, 8),
    COMMITTEE: (1, 2),
}
# The status thresholds of the year (AssessmentYear.green_min / amber_min, left at their defaults).
GREEN_FROM, AMBER_FROM = Decimal("0.95"), Decimal("0.80")
# October actual / plan of a numeric target, by colour and tier.
PACE = {
    "red": (0.58, 0.76),
    "amber": (0.83, 0.93),
    "A": (1.02, 1.10),
    "B": (0.98, 1.05),
    "C": (0.96, 1.02),
    "D": (0.955, 0.99),
}
LEVEL_ODDS = {  # good, fair, average, poor
    "A": (60, 40, 0, 0),
    "B": (30, 58, 12, 0),
    "C": (5, 50, 40, 5),
    "D": (0, 5, 45, 50),
}
MIDTERM_SCORES = {"A": (89, 97), "B": (83, 91), "C": (76, 85), "D": (70, 75)}
MANUAL_SHARE = {"A": (0.88, 0.96), "B": (0.78, 0.88), "C": (0.68, 0.8), "D": (0.5, 0.65)}
# Chance that a unit checked by a centralized or special inspection gets a deduction.
DEDUCTION_ODDS = {"A": 0.03, "B": 0.12, "C": 0.25, "D": 0.7}
MIDTERM_DAYS = (dt.date(2015, 7, 6), dt.date(2015, 7, 24))
DECISION_DAYS = (dt.date(2015, 10, 12), dt.date(2015, 10, 23))

# Units with a set part in the story. Tiers named here override the drawn ones.
TIER_OVERRIDES = {
    "XX-T01": "A",
    "XX-T02": "A",
    "XX-T07": "B",  # the work-safety veto
    "XX-D09": "A",
    "XX-D10": "A",
    "XX-D15": "B",
    "XX-D30": "A",
    "XX-C13": "B",
}
VETO_UNIT = "XX-T07"  # 下李乡: a major work-safety accident in July
VETO_ON = dt.date(2015, 7, 14)
# Units that did not report some targets for October (besides 龙泉镇, whose October marketing
# report was returned and not yet corrected): unit -> indicator codes.
MISSING_OCTOBER = {"XX-D37": ["I3.1", "P5", "T8"], "XX-C20": ["P6", "T3"]}
RETURNED_OPEN = ("XX-T01", "I1.4")  # returned in October, its correction still awaited
# Units that handed in one month late (on the 26th-28th): unit -> months.
LATE_UNITS = {"XX-D44": [3, 8], "XX-T08": [6], "XX-C17": [9], "XX-D32": [5]}
# Units whose October reports all still await review, plus this many others at random.
AWAITING_UNITS = ["XX-D21", "XX-C11"]
AWAITING_OTHERS = 8
RETURNS = 10  # reports returned with a reason and corrected
FORCED_LEVELS = {("XX-T02", "I1.2"): "fair", ("XX-D08", "T8"): "fair", ("XX-C05", "P2.1"): "fair"}
OVERDUE_RECTIFICATIONS = 3

# Bonus awards: (unit, indicator, points, honour, date).
BONUS_AWARDS = [
    ("XX-T02", "B1", "1.5", "被省林业厅评为全省经济林提质增效示范乡镇", dt.date(2015, 6, 18)),
    ("XX-T02", "B2", "0.5", "获评全市果业发展先进乡镇", dt.date(2015, 3, 20)),
    ("XX-T01", "B2", "1", "获评全市农村工作先进乡镇", dt.date(2015, 3, 20)),
    ("XX-D09", "B1", "2", "获评全省果业工作先进集体", dt.date(2015, 9, 8)),
    ("XX-D09", "B3", "1", "玉露香梨“四统一”管理经验在全市推广", dt.date(2015, 8, 26)),
    ("XX-D10", "B2", "1", "获评全市信访工作先进集体", dt.date(2015, 4, 15)),
    ("XX-D30", "B1", "1", "获评全省扶贫开发工作先进集体", dt.date(2015, 10, 16)),
    ("XX-D15", "B2", "1", "获评全市平安建设先进单位", dt.date(2015, 2, 6)),
    (
        "XX-C13",
        "B3",
        "0.5",
        "“党支部+合作社”做法在全市非公党建现场会上作典型发言",
        dt.date(2015, 7, 2),
    ),
]

# Monthly narratives. Numeric targets: "{so_far}" is filled with the cumulative figures, then a
# phrase for the season. Other targets: one of the sentences, with {a} < {b} small numbers.
RATIO_NARRATIVE = {
    "I1.1": "截至{month}月底，累计新植玉露香梨{actual}亩，占年度任务{target}亩的{pct}%。",
    "I1.4": "截至{month}月底，累计销售玉露香梨{actual}吨（其中电商销售{online}吨），"
    "占年度任务的{pct}%。",
    "I2": "截至{month}月底，累计发展林下种植养殖{actual}亩，占年度任务的{pct}%。",
    "I3.1": "截至{month}月底，重点项目累计完成投资{actual}万元，占年度计划{target}万元的{pct}%。",
    "I3.2": "截至{month}月底，计划新开工的{target}个重点项目已开工{actual}个。",
    "I4": "截至{month}月底，市下达本部门指标综合完成进度{actual}%。",
    "T2": "截至{month}月底，驻村工作队累计帮扶增收{actual}户，占年度任务{target}户的{pct}%。",
    "T7": "截至{month}月底，累计实现稳定脱贫{actual}人，占年度减贫任务的{pct}%。",
}
SEASON_PHRASES = {
    "I1.1": {
        (1, 2): ["冬季整地、落实栽植地块，与苗木基地签订供苗协议。"],
        (3, 5): [
            "组织集中栽植，统一供苗、统一标准、统一验收。",
            "栽后及时浇水定干，落实管护责任人。",
        ],
        (6, 9): ["做好新植园抹芽、除草、浇水保活，成活率{survival}%。"],
        (10, 12): ["秋季栽植全面展开，已完成整地挖坑并调运苗木。"],
    },
    "I1.4": {
        (1, 4): ["组织客商收购冷库存储果，开展电商年货节促销。"],
        (5, 8): ["对接北京、广州等地客商，落实订单收购。"],
        (9, 12): ["新果采收上市，组织参加果品推介会，冷库入库同步推进。"],
    },
    "I2": {
        (1, 3): ["落实林下种植养殖地块，组织技术培训。"],
        (4, 8): ["发展林下养鸡、中药材和食用菌，带动农户参与。"],
        (9, 12): ["组织林下产品采收和销售，开展效益测算。"],
    },
    "I3.1": {
        (1, 3): ["完成项目前期手续办理，落实施工单位。"],
        (4, 10): [
            "项目建设全面推进，实行周调度、月通报。",
            "协调解决征地、资金等问题，加快施工进度。",
        ],
        (11, 12): ["抓住冬季施工前的有利时机，组织项目收尾。"],
    },
    "I3.2": {(1, 12): ["落实项目包联责任，协调办理开工手续。"]},
    "I4": {(1, 12): ["逐项对照市下达指标，落实责任人和完成时限。"]},
    "T2": {(1, 12): ["驻村工作队落实一户一策，发展种养项目增加收入。"]},
    "T7": {(1, 12): ["落实产业扶持、转移就业和易地搬迁等帮扶措施。"]},
}
NARRATIVES = {
    "P1": [
        "召开党委（党组）会议{a}次，研究“三重一大”事项{b}项。",
        "开展中心组理论学习{a}次，围绕“三严三实”专题教育进行研讨。",
        "落实干部日常管理，开展谈心谈话{b}人次。",
    ],
    "P2.1": [
        "推进党支部规范化建设，本月{a}个支部完成对标整改。",
        "督促各支部落实“三会一课”，召开支部党员大会{a}次。",
        "开展“主题党日”活动{a}次，完善活动阵地台账。",
    ],
    "P2.2": [
        "开展党员集中培训{a}期，参训{b}人次。",
        "排查流动党员{a}名，全部纳入管理。",
        "确定入党积极分子{a}名，按程序做好培养考察。",
    ],
    "P3": [
        "落实党风廉政建设主体责任，开展廉政谈话{b}人次。",
        "组织观看警示教育片，讲廉政党课{a}次。",
        "开展“四风”问题自查，建立问题清单{a}项并逐项整改。",
    ],
    "P4": [
        "准备联述联评联考述职材料，征求意见建议{b}条。",
        "对照联述联评联考测评反馈，整改问题{a}项。",
    ],
    "P5": [
        "对照党建目标责任书逐项推进，完成阶段任务{a}项。",
        "召开党建工作推进会，通报责任书目标落实情况。",
    ],
    "P6": [
        "开展“法律进乡村、进机关”宣传{a}场次。",
        "组织领导干部集中学法{a}次。",
    ],
    "P7": [
        "推进年度改革任务{a}项，报送改革进展信息{b}条。",
        "梳理改革任务台账，按节点推进。",
    ],
    "I1.2": [
        "组织果园管理技术培训{a}场次，培训果农{b}人次。",
        "推进果园标准化管理，新建示范园{a}个。",
        "开展病虫害统防统治，落实专业化服务队{a}支。",
    ],
    "I1.3": [
        "推广果实套袋和配方施肥，提高精品果率。",
        "申报绿色食品认证{a}个，组织果品质量抽检。",
    ],
    "I5": [
        "系统党组织领办专业合作社{a}个，带动农户{b}户。",
        "组织党员示范户结对帮带，开展技术服务{a}次。",
    ],
    "I6": [
        "督促所属单位推进主导产业目标，召开调度会{a}次。",
        "汇总所属单位主导产业目标完成情况，报送进度{a}次。",
    ],
    "T1": [
        "办结行政执法案件{a}件，案卷评查合格。",
        "推进政务公开，主动公开信息{b}条。",
    ],
    "T3": [
        "到定点帮扶村开展帮扶{a}次，落实帮扶资金{b}万元。",
        "帮扶村新建产业项目{a}个，走访贫困户{b}户。",
    ],
    "T4": [
        "接待群众来访{a}批{b}人次，按期办结。",
        "排查信访隐患{a}件，落实包案化解责任。",
    ],
    "T5": [
        "开展安全隐患排查{a}次，整改隐患{b}处。",
        "召开安全生产例会，落实企业主体责任和部门监管责任。",
    ],
    "T6.1": [
        "排查矛盾纠纷{b}起，调处化解{a}起。",
        "开展平安建设宣传，落实网格化管理。",
    ],
    "T6.2": [
        "开展打黑除恶宣传{a}次，摸排线索{b}条。",
        "建立涉黑涉恶线索台账，按期报送。",
    ],
    "T8": [
        "推进部门年度重点工作{a}项，均按节点完成。",
        "落实县委、县政府交办事项{a}件，办结{a}件。",
    ],
}
SEASONAL_NARRATIVES = {  # orchard work follows the pear's year
    "I1.2": {
        (1, 2): "组织果树冬剪和清园，培训果农{b}人次。",
        (3, 3): "开展春季刮树皮、清园和病虫害预防。",
        (4, 5): "组织疏花疏果和人工授粉，技术员包村指导。",
        (6, 6): "全面推广果实套袋，套袋率达{pct}%。",
        (7, 8): "开展病虫害统防统治，落实专业化服务队{a}支。",
        (9, 9): "组织适时采收、分级包装和入库。",
        (10, 12): "开展秋施基肥，推广有机肥替代化肥。",
    },
}
VETO_NARRATIVE = (
    "7月14日，辖区内村级道路施工工地发生一起边坡坍塌较大生产安全责任事故，造成3人死亡。"
    "事故发生后全乡开展安全生产大排查，对在建工程逐一检查。"
)
VAGUE_NARRATIVE = "本月工作正常推进。"
RETURN_REASONS = [
    ("vague", "进展情况描述过于笼统，请写明具体措施和数据后重新提交。"),
    ("monthly", "填报的是当月完成数，应填报累计完成数，请更正后重新提交。"),
    ("evidence", "缺少佐证材料（验收单、现场照片），请补充后重新提交。"),
]
EVIDENCE_SENT = "（验收单和现场照片已按要求报送县考核办。）"

DECISION_REASONS = {
    "good": "三季度考评：{name}工作扎实，台账完整，成效明显。",
    "fair": "三季度考评：{name}推进有力，个别环节仍需加强。",
    "average": "三季度考评：{name}推进一般，措施不够具体，部分任务滞后。",
    "poor": "三季度考评：{name}工作明显滞后，多项任务未按节点完成。",
}
MANUAL_REASON = "三季度考评：所属单位主导产业目标平均完成{pct}%，按完成情况折算得分。"
MIDTERM_NOTE = "2015年联述联评联考年中测评"

# --- The four checks (四查) of 2015 ---------------------------------------------------------------

CENTRALIZED, SPECIAL, SPOT, INTERVIEW = "centralized", "special", "spot", "interview"
INSPECTION_COUNTS = {CENTRALIZED: 4, SPECIAL: 6, SPOT: 25, INTERVIEW: 5}
OFFICE_TEAM = "县委考核办、县委督导办"


@dataclass(frozen=True)
class FindingSpec:
    """A kind of finding: the indicator it bears on (None: noted only), points (+ or −), what
    was found ({cadre} is the cadre concerned) and what to rectify ("" for nothing)."""

    indicator: str | None
    points: str
    description: str
    rectify: str = ""
    kinds: tuple[str, ...] = tuple(ALL_KINDS)


def _f(indicator, points, description, rectify="", kinds=ALL_KINDS) -> FindingSpec:
    return FindingSpec(indicator, points, description, rectify, tuple(kinds))


# (date, title, units checked: kinds and how many departments / committees).
CENTRALIZED_ROUNDS = [
    (dt.date(2015, 3, 26), "2015年一季度目标责任集中督查"),
    (dt.date(2015, 5, 27), "2015年重点工作推进情况集中督查"),
    (dt.date(2015, 7, 29), "2015年上半年目标责任集中督查"),
    (dt.date(2015, 9, 24), "2015年三季度目标责任集中督查"),
]
CENTRALIZED_SCOPE = {DEPARTMENT: 16, COMMITTEE: 6}  # all townships, and this many of the others
CENTRALIZED_FINDINGS = [
    _f(
        "I1.2",
        "-1",
        "部分新植园管护不到位，存在缺苗断垄、杂草丛生现象。",
        "补植补栽，落实专人管护。",
        T,
    ),
    _f(
        "I1.3",
        "-0.5",
        "精品果生产技术推广不够，套袋率低于全县平均水平。",
        "制定提升措施，加强技术指导。",
        T,
    ),
    _f(
        "P2.1",
        "-0.5",
        "个别支部“三会一课”记录不规范，组织生活不经常。",
        "规范组织生活记录，支部书记作出说明。",
    ),
    _f("P2.2", "-0.5", "党员发展程序不规范，个别档案材料缺失。", "补齐档案材料，规范发展程序。"),
    _f(
        "T6.1",
        "-0.5",
        "矛盾纠纷排查化解台账不全，个别纠纷未按期化解。",
        "健全排查台账，逐件销号。",
        TD,
    ),
    _f("T8", "-0.5", "部门年度重点工作推进缓慢，未按节点完成。", "制定赶超措施，明确完成时限。", D),
    _f("I3.1", "-1", "重点项目前期手续办理滞后，影响开工建设。", "加快办理用地、环评等手续。", D),
    _f("T1", "-0.5", "行政执法案卷不规范，个别案件超期办理。", "开展案卷自查，规范执法程序。", TD),
    _f(
        "I5",
        "-1",
        "系统党组织服务主导产业措施不具体，示范带动不明显。",
        "制定党建引领产业发展具体措施。",
        C,
    ),
    _f("T7", "-0.5", "个别贫困户建档立卡信息不准确。", "逐户核查，更新建档立卡信息。", T),
]
CENTRALIZED_NOTES = [
    _f(None, "0", "目标责任分解不够细，部分任务未明确责任人。", "细化任务分解，落实到人。"),
    _f(None, "0", "工作台账更新不及时。", "按月更新工作台账。"),
]
POSITIVE_FINDINGS = [  # (unit, indicator, points, description, round: index into the checks)
    ("XX-T02", "I1.2", "1", "果园标准化管理示范园建设成效突出，经验做法在全县推广。", 1),
    ("XX-D08", "T8", "1", "农业“三项重点工作”提前完成，受到县委、县政府通报表扬。", 3),
    ("XX-C05", "P2.1", "0.5", "“支部建在产业链上”做法成效明显，在全县推广。", 2),
]

# Special inspections of key tasks: (date, title, inspectors, scope, findings). The scope lists
# unit codes; "townships" stands for all townships.
SPECIAL_CHECKS = [
    (
        dt.date(2015, 4, 21),
        "玉露香梨春季栽植专项检查",
        "县果业发展中心、县委督导办",
        ["townships"],
        [
            _f(
                "I1.1",
                "-1",
                "新植园栽植质量不达标，部分地块苗木成活率低于85%。",
                "限期补植补栽，确保成活率达到90%以上。",
                T,
            ),
            _f("I1.2", "-0.5", "新植园未按要求定干、覆膜。", "组织技术员逐园整改。", T),
        ],
    ),
    (
        dt.date(2015, 6, 17),
        "重点项目建设专项督查",
        "县发展和改革局、县委督导办",
        ["big_projects", 4],
        [
            _f("I3.1", "-1", "重点项目建设进度滞后于计划节点。", "倒排工期，加快施工进度。", D),
            _f("I3.2", "-0.5", "计划新开工项目未按期开工。", "落实开工条件，明确开工时间。", D),
        ],
    ),
    (
        dt.date(2015, 7, 17),
        "安全生产专项督查",
        "县应急管理局、县委督导办",
        ["townships", "XX-D11", "XX-D17", "XX-D18", "XX-D19", "XX-D22", "XX-D27", "XX-D34"],
        [
            _f(
                "T5",
                "-0.5",
                "安全隐患排查整治不彻底，个别隐患未按期整改。",
                "建立隐患清单，逐项整改销号。",
            ),
            _f("T5", "-1", "在建工程安全防护措施不到位。", "立即停工整改，落实安全防护措施。", TD),
        ],
    ),
    (
        dt.date(2015, 8, 13),
        "信访积案化解专项督查",
        "县信访局、县委督导办",
        ["townships", "XX-D10", "XX-D16", "XX-D17", "XX-D25", "XX-D27"],
        [
            _f("T4", "-1", "发生越级上访1起。", "落实包案领导，限期化解。", TD),
            _f("T4", "-2", "发生进京越级上访1批。", "落实包案领导，限期化解并做好稳控。", TD),
            _f("T4", "-0.5", "信访事项未按期办结。", "限期办结并答复信访人。"),
        ],
    ),
    (
        dt.date(2015, 9, 9),
        "打黑除恶专项斗争督查",
        "县委政法委、县公安局",
        ["townships", "XX-D15", "XX-D26", "XX-D45", "XX-D46", "XX-C04", "XX-C19"],
        [
            _f("T6.2", "-0.5", "涉黑涉恶线索摸排台账不全，未按期报送。", "补齐台账，按期报送。"),
            _f("T6.1", "-0.5", "重点人员稳控措施落实不到位。", "落实稳控责任人。"),
        ],
    ),
    (
        dt.date(2015, 10, 15),
        "干部驻村帮扶工作专项检查",
        "县扶贫开发服务中心、县委组织部",
        ["random", 14],
        [
            _f("T2", "-0.5", "驻村工作队员{cadre}在岗天数不足。", "严格驻村考勤，落实在岗要求。"),
            _f(
                "T3",
                "-0.5",
                "定点帮扶措施不具体，帮扶资金未落实。",
                "制定帮扶计划，落实帮扶资金。",
                DC,
            ),
        ],
    ),
]
VETO_FINDING = _f(
    "T5",
    "-6",
    "7月14日，辖区内村级道路施工工地发生一起边坡坍塌较大生产安全责任事故，造成3人死亡，"
    "经调查认定为生产安全责任事故。按规定实行一票否决。",
    "全面排查在建工程安全隐患，严肃追究相关人员责任，健全安全生产责任体系。",
    T,
)

SPOT_TITLE = "作风纪律随机抽查（第{n}次）"
SPOT_FINDINGS = [
    _f(
        "P3",
        "-0.5",
        "工作日上班时间{cadre}不在岗，未履行请销假手续。",
        "严格执行考勤和请销假制度，对当事人批评教育。",
    ),
    _f(
        "P3",
        "-1",
        "{cadre}工作日中午饮酒，违反作风建设有关规定。",
        "对当事人诫勉谈话，单位开展作风纪律专题教育。",
    ),
    _f("P3", "-0.5", "公务用车派车登记不全，个别车辆未按规定停放。", "完善公务用车管理制度。"),
    _f("P3", "-0.5", "上班时间{cadre}用电脑玩游戏。", "对当事人批评教育，加强日常管理。"),
]
SPOT_NOTES = [
    _f(None, "0", "值班记录不完整，个别时段无人签到。", "完善值班制度和值班记录。"),
    _f(None, "0", "便民服务窗口公示信息未及时更新。", "更新公示内容，明确办理时限。"),
    _f(None, "0", "考勤记录不规范，补签现象较多。", "规范考勤管理。"),
]
SPOT_CLEAN = "抽查{units}在岗履职情况，未发现违反作风纪律问题。"
SPOT_DIRTY = "抽查{units}在岗履职情况，发现问题{n}个，已当场反馈。"

INTERVIEW_TITLE = "群众满意度访谈调查（{units}）"
INTERVIEW_FINDINGS = [
    _f("P3", "-0.5", "群众反映{cadre}办事推诿、态度生硬。", "对当事人约谈提醒，公开整改情况。"),
]
INTERVIEW_NOTES = [
    _f(None, "0", "群众反映办事流程不清楚、往返次数多。", "公开办事指南，推行一次告知。"),
    _f(None, "0", "群众对政策宣传知晓率不高。", "加强政策宣传，进村入户讲解。"),
    _f(None, "0", "群众反映村内道路亮化不足。", "纳入年度民生实事，明确完成时限。", T),
]
INTERVIEW_SUMMARY = "访谈干部{cadres}人、群众{people}人，发放问卷{forms}份，群众满意率{rate}%。"

CLOSING_NOTES = [
    "已按要求整改到位，整改情况报告已报送县委考核办。",
    "已整改完毕，经县委督导办复查验收。",
    "已完成整改，相关制度已建立并公开。",
    "整改到位，对相关责任人进行了批评教育。",
]
VETO_FOLLOW_UP = "落实事故整改措施，对全乡在建工程和道路施工逐一复查，整改隐患{b}处。"
CHECK_SUMMARY = "督查{units}个单位，发现问题{found}个，扣分{points}分。"
CHECK_PRAISE = "{praised}个单位工作成效突出，予以加分。"

# --- 2015: the moral-assessment ballots, the ledger, the integrity archive and the grades -----

DAILY_SEED = 20151220
DAILY_YEAR = 2015
MORAL_ROUND_NAME = "2015年度干部德的考核测评"
MORAL_OPENS, MORAL_CLOSES = dt.date(2015, 12, 1), dt.date(2015, 12, 20)
MORAL_CAST_ON = dt.date(2015, 12, 10)
# The round rates the leading cadres of every township and of this many departments (drawn, but
# the pear centre, whose story runs through the demo, is always among them).
MORAL_DEPARTMENTS = 12
MORAL_ALWAYS = ["XX-D09"]
# Codes issued per unit and rater group, and the codes left unused: (low, high) drawn per unit.
BALLOT_CODES = {"superiors": 3, "peers": 5, "subordinates": 8, "public": 6}
BALLOTS_UNUSED = {"superiors": (0, 1), "peers": (0, 1), "subordinates": (0, 1), "public": (0, 2)}
# How each group rates on average, against the cadre's profile (points).
GROUP_BIAS = {"superiors": 0.5, "peers": -0.5, "subordinates": 1.0, "public": -2.0}
# A cadre's profile: the impression raters have of them, drawn per post kind (the ballot score
# follows it closely between 75 and 95, and saturates above).
MORAL_PROFILE = {"principal": (85.0, 103.0), "deputy": (80.5, 102.0)}
HARSH_BALLOT = 0.04  # a rater with a grudge marks a cadre some 20 points down
# The cadre whose ballots judge 不称职 more than a third of the time: the first deputy (by number)
# of this unit, with a modest profile; this share of the ballots on them (spread evenly over the
# groups) are hostile.
BREACH_UNIT = "XX-T05"
BREACH_PROFILE = 80.0
BREACH_SHARE = 0.5
BREACH_IMPRESSION = 54.0

# Close-range identification ledger (近距离识别干部台账): (kind, points, note).
LEDGER_NOTES = [
    ("hard_task", 5, "7月防汛抢险中连续奋战三昼夜，组织转移群众86人，无一伤亡。"),
    ("hard_task", 4, "带队完成城区棚户区改造征收，按期交付净地，未发生群访事件。"),
    ("key_moment", 4, "信访积案化解中主动担当，包案化解两起十年以上积案。"),
    ("key_moment", 3, "森林火情发生后第一时间带队赶赴现场，指挥得当，火情两小时内扑灭。"),
    ("hard_task", 3, "驻村帮扶中吃住在村，推动建成玉露香梨冷藏库一座，带动42户脱贫。"),
    ("daily", 2, "坚持每周下村走访，群众反映问题台账化管理、件件有回音。"),
    ("daily", 2, "主动承担全县“三基建设”材料统筹，加班加点按时报送。"),
    ("personal_gain", 2, "主动让出评先名额给基层一线干部。"),
    ("personal_gain", 1, "婉拒企业赠送的购物卡，并向单位党组报告。"),
    ("key_moment", 2, "冬季供暖管网爆裂抢修中坚守现场，当晚恢复供暖。"),
    ("daily", -2, "多次无故缺席乡党委中心组学习，经提醒后仍未改进。"),
    ("hard_task", -4, "在项目征地中推诿扯皮，致使县重点工程工期延误一个月。"),
    ("key_moment", -6, "汛期值班期间擅离岗位，导致险情信息上报延误。"),
    ("personal_gain", -3, "在职称评审推荐中为亲属说情打招呼，经谈话后认识到错误。"),
    ("daily", -1, "群众来访接待中态度生硬，被群众投诉，已当面道歉。"),
    ("daily", 1, "认真落实首问负责制，全年无群众投诉。"),
]
LEDGER_CADRES = 15  # the notes above go to this many cadres (one or two each)
LEDGER_DAYS = (dt.date(2015, 1, 5), dt.date(2015, 11, 30))


@dataclass(frozen=True)
class IntegrityCase:
    source: str
    received_on: dt.date
    summary: str
    status: str  # where the verification stands: received, verifying, verified, partly, unfounded
    verified_on: dt.date | None = None
    conclusion: str = ""
    reporter: tuple[str, str, str] | None = None  # (name, contact, note); None: anonymous
    sanction: tuple[str, dt.date, dt.date, dt.date | None, str] | None = None
    # (kind, decided on, in force from, in force until, note)


# The integrity archive of six leading cadres of the round (reporters' names are invented).
INTEGRITY_CASES = [
    IntegrityCase(  # verified in 2015: not 优秀 this year
        "12380_letter",
        dt.date(2015, 3, 16),
        "来信反映其在2014年农村危房改造补助发放中优亲厚友，将不符合条件的亲属列入补助名单。",
        "verified",
        dt.date(2015, 6, 18),
        "经县纪委核查，反映问题属实：其亲属1户不符合补助条件被列入名单，"
        "违规发放的补助资金1.2万元已全部追回。",
        ("刘春生", "隰县某村村民（来信地址已存档）", "实名举报，要求反馈核查结果；已书面反馈。"),
    ),
    IntegrityCase(  # partly verified in 2014; the party warning is in force through 2015
        "reporting_phone",
        dt.date(2014, 11, 20),
        "电话反映其在2014年中秋节期间接受下属单位宴请，并使用公车办私事。",
        "partly",
        dt.date(2014, 12, 26),
        "经核查，接受宴请问题属实，公车私用问题查无实据。",
        ("王秀芳", "138****2716", "来电人要求对其身份保密。"),
        (
            "party_warning",
            dt.date(2015, 1, 9),
            dt.date(2015, 1, 9),
            dt.date(2016, 1, 8),
            "经县纪委常委会研究，给予党内警告处分。",
        ),
    ),
    IntegrityCase(
        "12380_web",
        dt.date(2015, 4, 22),
        "网上举报其违规插手乡村道路工程招投标。",
        "unfounded",
        dt.date(2015, 7, 10),
        "经调取招投标全部资料并约谈相关人员，未发现其插手招投标的问题，反映不实，予以澄清。",
        ("", "xx12380-7731@example.com", "网上实名举报，留有电子邮箱。"),
    ),
    IntegrityCase(  # 网上监督员
        "online_supervisor",
        dt.date(2015, 8, 3),
        "网上监督员反映其工作日中午饮酒。",
        "unfounded",
        dt.date(2015, 9, 14),
        "经调取当日考勤和就餐记录、走访同事，反映情况不实。",
    ),
    IntegrityCase(  # 离任审计: still being verified
        "departure_audit",
        dt.date(2015, 9, 28),
        "原任职单位离任经济责任审计发现：2013年专项资金18.6万元未按规定用途使用。",
        "verifying",
    ),
    IntegrityCase(
        "12380_phone",
        dt.date(2015, 11, 17),
        "来电反映其配偶经营的农资门市承揽乡政府采购业务。",
        "received",
        reporter=("赵建军", "139****0852", ""),
    ),
]
INTEGRITY_STATUS_DAYS = 7  # an entry goes under verification a week after it was received
