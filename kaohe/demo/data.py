"""Static data of the demo county, modelled on Xi County (隰县, Linfen, Shanxi) in 2014–2015.

Everything here is plain data; ``loader.py`` turns it into rows through the services.
Codes are the stable keys that make the loader idempotent: never renumber them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
