"""Controlled vocabularies: grade labels, institution nouns, industry sectors, region short forms.

These are lookup tables, not logic: a label that is not here is reported as unknown, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def words_re(words: Iterable[str]) -> re.Pattern[str]:
    """One alternation of `words`, longest first (so 基本合格 wins over 合格); no backtracking."""
    return re.compile("(?:" + "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True)) + ")")


# ---------------------------------------------------------------------------------------------
# Outcomes. The notice's own words -> one controlled grade (domain.md). Matched longest label first,
# so 基本合格 wins over 合格 and 不合格 wins over 合格. No other module writes a grade word.
# ---------------------------------------------------------------------------------------------
GRADE_LABELS: dict[str, str] = {
    "优秀": "excellent",
    "优良": "excellent",
    "较好": "excellent",
    "良好": "excellent",
    "先进": "excellent",
    "A级": "excellent",
    "合格": "pass",
    "通过": "pass",
    "达标": "pass",
    "基本合格": "conditional",
    "基本达标": "conditional",
    "暂缓通过": "conditional",
    "不合格": "rectify",
    "不达标": "rectify",
    "限期整改": "rectify",
    "责令整改": "rectify",
    "整改": "rectify",
    "不予通过": "rectify",
    "未通过": "rectify",
    "不通过": "rectify",
    "撤销": "revoked",
    "吊销": "revoked",
    "摘牌": "revoked",
    "取消资格": "revoked",
    "取消资质": "revoked",
    "取消鉴定资格": "revoked",
    "取消鉴定资质": "revoked",
    "取消鉴定站资格": "revoked",
    "取消鉴定所资格": "revoked",
    "终止备案": "revoked",
    "撤销备案": "revoked",
    "取消备案": "revoked",
    "移出目录": "revoked",
    "移出评价机构目录": "revoked",
    "移出评价组织目录": "revoked",
    "移出社会培训评价组织目录": "revoked",
    "移出机构目录": "revoked",
    "取消职业技能鉴定资格": "revoked",
    "取消职业技能鉴定资质": "revoked",
    "取消备案资格": "revoked",
    "取消认定资格": "revoked",
    "取消其备案": "revoked",
    "终止其备案": "revoked",
    "撤销其备案": "revoked",
    "取消职业技能等级认定备案": "revoked",
    "取消其职业技能等级认定备案": "revoked",
    "注销": "deregistered",
    "暂停": "suspended",
    "停业整顿": "suspended",
}
# Ratings (评估等次, 星级) with the grade they carry when the notice does not define them; a notice
# that does (分为五星级、四星级、三星级，分别对应优秀、合格、基本合格; C等次机构须限期整改) overrides
# these (extract/ratings.py), and a plain grade word beside a rating wins over it (C等次(限期整改)).
RATING_TIERS = "ABCD"  # the letter ratings (A级, B等, C等次 …), in the order of their default grades
# the star ratings, one star to five: a rating drawn in star glyphs (★★★★ in a table's 星级 column,
# ★★★☆☆) is read as the star rating of as many stars (normalize.py writes it so)
STAR_RATING_NAMES: tuple[str, ...] = ("一星级", "二星级", "三星级", "四星级", "五星级")
RATING_LABELS: dict[str, str] = {
    **{
        f"{tier}{kind}": grade
        for tier, grade in zip(RATING_TIERS, ("excellent", "pass", "conditional", "rectify"), strict=True)
        for kind in ("级", "等", "等次")
    },
    **dict(zip(STAR_RATING_NAMES, ("rectify", "conditional", "pass", "pass", "excellent"), strict=True)),
}
# …and written without 级 (结果分为五星、四星、三星…): the same ratings
RATING_LABELS.update({name.removesuffix("级"): RATING_LABELS[name] for name in STAR_RATING_NAMES})
GRADE_LABELS.update({k: v for k, v in RATING_LABELS.items() if k not in GRADE_LABELS})


class _SplitSanctions(dict[str, str]):
    """GRADE_LABELS: a label is one of its words, or a sanction written with words inside it
    (终止其职业技能等级认定备案, 移出《重庆市…评价组织目录》: SPLIT_SANCTION_RE), which revokes, or
    a stop of the work for a period (停止鉴定业务6个月), which suspends."""

    def __missing__(self, label: str) -> str:
        if label.startswith(_SPLIT_SANCTION_VERBS) and SPLIT_SANCTION_RE.fullmatch(label):
            return "suspended" if label.startswith("停止") else "revoked"
        raise KeyError(label)


_SPLIT_SANCTION_VERBS = ("终止", "撤销", "取消", "移出", "停止")
# a revoking verb and its object with the register or a qualifier between, perhaps the list it
# announces (终止以下8家评价机构的…备案); or the work stopped for a period (停止鉴定业务6个月: domain.md's
# suspension) (bounded, no backtracking past a clause: a comma or a full stop ends the span)
SPLIT_SANCTION_RE = re.compile(
    r"(?:终止|撤销|取消)(?:其|以下|上述)?\d{0,4}[\u4e00-\u9fff]{0,14}?备案|移出《[^》\n]{1,40}》|移出[\u4e00-\u9fff]{0,12}?目录"
    r"|停止其?(?:职业技能)?(?:鉴定|认定|评价)(?:业务|工作|活动)(?:\d{1,2}|[一二三四五六七八九十两半]{1,2})个?(?:月|年)(?!以上|多)"
)
GRADE_LABELS = _SplitSanctions(GRADE_LABELS)
# (literal words only: an alternation of literals is searched an order of magnitude faster than one
# with a pattern in it, so the split forms are looked for apart, by extract.items.grade_labels)
GRADE_LABEL_RE = words_re(GRADE_LABELS)
RATING_LABEL_RE = words_re(RATING_LABELS)

# the controlled grades, in the order of the vocabulary (best to worst, then the sanctions): the
# order of the stated_*, listed_* and n_* columns
GRADES: tuple[str, ...] = tuple(dict.fromkeys(GRADE_LABELS.values()))
# Sanctions outrank the reason given with them: '4个不合格鉴定机构被撤销' is revoked, not rectify.
SANCTION_GRADES: tuple[str, ...] = ("revoked", "deregistered", "suspended")
# the most severe first: the sanctions in their order above, then the other grades worst to best (an
# institution graded twice in a notice counts, and ends its history's year, under the more severe)
SEVERITY: tuple[str, ...] = (*SANCTION_GRADES, *reversed([g for g in GRADES if g not in SANCTION_GRADES]))
# The grades that pass (pass rate = excellent + pass over evaluated)
PASSED_OUTCOMES = frozenset({"excellent", "pass"})
# The final outcomes a 不合格 can end in (a 不合格 count splits into these)
FAILED_OUTCOMES = frozenset({"rectify", "suspended", "revoked", "deregistered"})
# Grade words that are a verdict when they stand in a clause of their own (…存在问题，不予通过年检).
VERDICT_LABELS = frozenset({"不予通过", "限期整改", "暂缓通过"})
# Grades an institution's own name-and-kind can carry in prose (…被评为优秀鉴定所 names no one).
PRAISE_OR_PASS_LABELS: tuple[str, ...] = ("优秀", "合格", "先进", "不合格", "达标", "良好")
# The verbs of an appraisal-specific sanction (…被取消职业技能鉴定资格): these grade names without a
# 鉴定所/站 suffix.
REVOKING_VERBS: tuple[str, ...] = ("取消", "吊销", "撤销")
# a sanction that says its object is an appraisal institution: 取消其职业技能鉴定资格, 吊销鉴定许可证
APPRAISAL_SANCTION_RE = re.compile(
    "(?:" + "|".join(REVOKING_VERBS) + r")(?:其)?(?:职业技能)?鉴定(?:资格|资质|许可证?)"
)
# Words in a parenthetical that make it a note on the item, not part of its name (主动申请撤销).
NOTE_WORDS: tuple[str, ...] = (
    "申请",
    "更正",
    "主动",
    "更名",
    "合并",
    "撤并",
    "改制",
    "原",
    "已",
    "停止",
    "过期",
    "划转",
    "破产",
    "倒闭",
    "关闭",
    "停产",
    "暂停",
    "注销",
    "撤销",
    "整改",
    "不合格",
)
# Labels of a count that may cover several final outcomes (不合格17个: 9 限期整改, 3 暂停, 5 撤销).
UNION_LABELS: tuple[str, ...] = ("不合格", "不达标", "未通过", "不予通过")
# Outcome words that no rule maps to a grade: a row or item graded so is an issue, never a guess.
UNGRADED_OUTCOMES: tuple[str, ...] = ("待定", "缓检", "未参检", "未参加年检", "未年检", "不参加年检")

# Words after a grade label that turn it into something else (整改措施 is a plan, not a grade): matched
# at the label's end (`NOT_A_GRADE_AFTER.match(text, end)`, no copy of the rest of the text).
NOT_A_GRADE_AFTER = re.compile(  # (注销申请: an application, not its outcome)
    r"(?:措施|工作|情况|期限|期满|期间|期|通知|方案|意见|报告|验收|要求|后|的机构将|者|证|率|的,|人员|申请"
    r"|到位|基本到位|不到位)"  # (整改到位: the rectification done, no grade)
)
# right before the label (…督促其完成整改, 认真整改): a task asked of them, not their grade; or one
# done at once (已当场整改, 现场整改)
NOT_A_GRADE_BEFORE: tuple[str, ...] = (
    "完成",
    "进行",
    "落实",
    "抓好",
    "认真",
    "做好",
    "及时",
    "抓紧",
    "拒不",
    "当场",
    "现场",
)

# rectification ordered (限期整改, 责令其整改), not a body rectifying by itself (自行整改)
ORDERED_RECTIFY_RE = re.compile(r"限期整改|责令[^,，。;；]{0,4}整改")

# right before the label, a period it holds during (整改期间暂停受理新的认定计划): a measure while
# rectifying, not the outcome
DURING_BEFORE: tuple[str, ...] = ("期间", "期内")

# right before the label, a thing it describes (实操条件不达标, 档案资料不合格) or the host (承建单位撤销):
# a problem found or what befell the host, not the institution's outcome
THING_BEFORE: tuple[str, ...] = (
    "条件",
    "设备",
    "设施",
    "场地",
    "档案",
    "资料",
    "材料",
    "试卷",
    "报表",
    "承建单位",
    "依托单位",
)

# in the grade word's clause, what it befalls instead of the institution (已核发的违规证书依规予以注销,
# 注销其违规颁发的23本证书)
OTHER_OBJECTS: tuple[str, ...] = ("证书",)
# what a sanction takes from an appraisal institution (撤销其鉴定资格, 终止其…备案, 移出…目录)
APPRAISAL_OBJECTS: tuple[str, ...] = ("鉴定", "认定", "评价", "备案", "资格", "资质", "目录")

# ---------------------------------------------------------------------------------------------
# Words of prose rules (extract/prose.py): how a clause grades the names it holds.
# ---------------------------------------------------------------------------------------------
# a grading verb before a grade word makes it the names' grade (…被评为优秀, 予以撤销)
GRADING_VERBS: tuple[str, ...] = (
    "被",
    "予以",
    "获评",
    "评为",
    "评定为",
    "定为",
    "确定为",
    "列为",
    "要求",
    "责令",
    "给予",
    "作出",
    "为",
)
# a later grade word in a clause of its own replaces the first only as a promotion (…并被评为优秀)
PROMOTING_VERBS: tuple[str, ...] = ("评为", "评定为", "定为", "确定为", "列为")
# a clause that rules on what the one before described: 'A存在严重违规问题；经研究，决定予以撤销'
RULING_WORDS: tuple[str, ...] = ("决定", "予以", "责令", "责成", "给予", "对其")
# before an item's own grade, a proposal a 公示 makes (A（拟撤销鉴定资格）, A——建议暂停)
PROPOSAL_WORDS: tuple[str, ...] = ("拟", "建议")
# before an item's own sanction, the body's own request for it (A(自愿申请取消备案)): the sanction stands
REQUEST_WORDS: tuple[str, ...] = ("自愿申请", "主动申请", "申请")
# words that open an enumeration of names but belong to none: a ruling (经研究决定, 拟), the verb that
# grades or rules on the names (评定, 对, 责令) and listing words (其中, 包括); stripped only where the
# text does not begin with a place (如东县, 即墨区 begin so)
NAME_LEAD_WORDS: tuple[str, ...] = (
    "经研究",
    "研究",
    "现决定",
    "决定",
    "同意",
    "拟",
    "评定",
    "认定",
    "确定",
    "确认",
    "核定",
    "批准",
    "对",
    "将",
    "责令",
    "其中",
    "包括",
    "例如",
    "比如",
    "诸如",
    "像",
    "如",
    "即",
    "而",
    "同时",
    "此外",
    "另外",
    "另有",
    "以及",
    # what was found (督导中发现A、B存在…，终止其备案): the finding, then the names found
    *(f"{activity}中发现" for activity in ("督导", "检查", "年检", "评估", "评价", "抽查")),
    "经查实",
    "经查",
    "发现",
)
# words of a clause that never stand inside an institution's or organisation's name: a run of text
# holding one before a kind noun is a clause (整改报告报送省…指导中心, 此次共检查评估…鉴定所, 根据《…)
NOT_IN_NAME_WORDS: tuple[str, ...] = (
    "以下",
    "此次",
    "本次",
    "共有",
    "报送",
    "交回",
    "收回",
    "缴回",
    "上缴",
    "期满",
    "根据",
    "按照",
    "目前",
    "《",
    "须",
    "建立",
    "哪些",
    "如何",
    "什么",
    "包括",
    "依规",
    "依法",
    "接到",
    "日内",
    "逐一",
    "不再",
    "具备",
    "阶段",
    "所属",
)
# words that open what is said of institutions named before them (X（依托Y）连续两年未开展鉴定业务，…)
SUBJECT_PREDICATE_WORDS: tuple[str, ...] = (
    "凭借",
    "连续",
    "未",
    "已",
    "擅自",
    "长期",
    "主动",
    "自愿",
    "违规",
    "不具备",
    "不符合",
)
# a grade word after these is a condition, not a verdict (如…不合格的，将…)
CONDITION_WORDS: tuple[str, ...] = ("如", "若", "将")
# one unnamed institution speaking of itself (我院承建的X鉴定所, 我中心…): no name, no host
SELF_REFERENCES: tuple[str, ...] = ("我院", "我校", "我公司", "我单位", "我站", "我所", "我中心")
# a clause on what happens later, on a condition (逾期未完成整改的, 复查仍不合格的, 如…, 否则…): no
# outcome given now (逾期 or 仍 alone is none: 材料报送逾期 says they were late, 复验仍不合格 failed)
CONDITION_CLAUSE_WORDS: tuple[str, ...] = ("如", "若", "否则")
CONDITION_CLAUSE_RE = re.compile(
    words_re(CONDITION_CLAUSE_WORDS).pattern
    + r"|(?:逾期|仍|连续|再次)[^,，。;；]{0,12}的|"  # (连续两年评估为C级的, 再次出现…的)
    + UNION_LABELS[0]
    + "的"
)
# a later grade word after these is a rule about other institutions (逾期未整改的，予以撤销)
ABOUT_OTHERS_WORDS: tuple[str, ...] = ("的", "者", "逾期", "到期", "期间", "其他", "其余", "另", "未参")
ABOUT_OTHERS_RE = words_re(ABOUT_OTHERS_WORDS)
# a title about people, not institutions: assessors' or supervisors' exam results (考评员…合格人员名单)
PEOPLE_WORDS: tuple[str, ...] = ("考评员", "督导员", "考评人员", "考务人员", "质量督导员", "人员名单")
# phrases that say a text reports results (relevance)
RESULT_PHRASES: tuple[str, ...] = (
    "结果如下",
    "通报如下",
    "公布如下",
    "评估结果",
    "年检结果",
    "检查结果",
    "督导结果",
    "被评为",
    "评定为",
    "予以撤销",
    "被撤销",
    "撤销了",
    "限期整改",
    "通过年检",
    "予以终止备案",
    "予以注销",
    "暂停",
)
# an award at a work conference, not an inspection result
# grade words that are an award when a text confers them (表彰…先进单位), not an inspection's grade
AWARD_LABELS: tuple[str, ...] = ("先进",)
AWARD_WORDS: tuple[str, ...] = ("先进单位", "先进集体", "先进个人", "表彰", "优秀组织奖", "颁奖")
# a meeting's news (relevance: a work conference that names no inspection result is no notice of one)
CONFERENCE_WORDS: tuple[str, ...] = ("工作会议", "座谈会", "推进会", "现场会", "研讨会", "培训班")
# a sanction named in a text about inspections (relevance: an inspection or a sanction took place)
SANCTION_WORDS: tuple[str, ...] = ("撤销", "吊销", "整改")
# the activity of the notice: an inspection, evaluation or supervision
ACTIVITY_WORDS: tuple[str, ...] = (
    "年检",
    "年度检查",
    "检查评估",
    "质量评估",
    "质量督导",
    "督导评估",
    "年审",
    "年度评估",
    "评估",
    "检查",
    "督导",
    "考核",
)
# verbs before a figure that make it persons appraised (参加鉴定) — 通过 here is "through"
APPRAISED_VERBS: tuple[str, ...] = ("参加", "参与", "接受", "通过")

# Columns of a table of appraisal volumes (地区 | 鉴定人次 | 取证人数): header words -> metric.
VOLUME_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("certified", ("取证", "获证", "发证", "取得证书", "核发证书", "颁发证书")),
    (
        "appraised",
        ("鉴定人次", "鉴定人数", "参加鉴定", "参鉴", "认定人次", "认定人数", "评价人次", "评价人数"),
    ),
)
# A table's row summing its rows (合计 | 123,456 | …), or some of them (小计); a row for the whole region.
SUM_ROW_WORDS: tuple[str, ...] = ("合计", "总计")
SUBTOTAL_ROW_WORDS: tuple[str, ...] = ("小计",)
WHOLE_REGION_WORDS: tuple[str, ...] = ("全省", "全市", "全区", "全州", "全盟", "全国")

# Nouns that name a vocational skill appraisal institution (the subject of this dataset).
INSTITUTION_NOUN = (
    r"(?:鉴定所|鉴定站|鉴定总站|鉴定分站|鉴定中心|鉴定指导中心|鉴定机构"
    r"|评价机构|考试站|考核站|认定机构|评价组织"
    # since 2020 an industry's stations: 职业技能等级认定站, 中国石化职业技能等级认定第33站
    r"|认定(?:第[0-9一二三四五六七八九十百零〇]{1,4})?站)"
)
INSTITUTION_NOUN_RE = re.compile(INSTITUTION_NOUN)
# What a count of the institutions just named is a count of: A、B、C3家评价组织, X等4家机构
COUNTED_KIND = r"(?:社会培训评价组织|评价组织|评价机构|鉴定机构|鉴定所\(站\)|鉴定所|鉴定站|机构|单位)"
# An item name ends with one of these (optionally followed by a parenthetical).
INSTITUTION_SUFFIXES: tuple[str, ...] = (
    "鉴定所",
    "鉴定站",
    "鉴定总站",
    "鉴定分站",
    "鉴定中心",
    "指导中心",
    "中心(站)",
    "评价机构",
    "考试站",
    "考核站",
    "鉴定点",
    "评价中心",
    "认定中心",  # since 2020: X职业技能等级认定中心
    "认定站",
    "总站",
    "分站",
    "鉴定所(站)",
)
INSTITUTION_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, INSTITUTION_SUFFIXES)) + ")$")
# a name that ends as an institution's does: its suffix, or a station's number (…鉴定第45站)
INSTITUTION_END_RE = re.compile(INSTITUTION_SUFFIX_RE.pattern + r"|第\d{1,4}[站所]$")

# what the wrapped tail of a long name may open with (宁夏…机械研究院 / 有限责任公司): no name does
WRAPPED_TAIL_OPENINGS: tuple[str, ...] = (
    "有限",
    "股份",
    "责任",
    "分公司",
    "公司",
    "职业",
    "技能",
    "鉴定",
    "培训",
)

# Words that make a parenthetical the host organisation: (兰州供电公司承建), (承建单位:X).
HOST_WORDS = ("承建", "承办", "主办", "举办", "依托", "建立", "设立", "组建", "建设")
HOST_WORDS_RE = "(?:" + "|".join(HOST_WORDS) + ")"

# Endings of organisation names: in a graded list or table, a name is whatever fills the name
# position, and these only tell a name from a sentence (成都某某家政服务有限公司, 某某技师学院).
ORGANISATION_SUFFIXES: tuple[str, ...] = (
    *INSTITUTION_SUFFIXES,
    "公司",
    "集团",
    "学院",
    "学校",
    "大学",
    "中专",
    "中学",
    "技校",
    "中心",
    "协会",
    "学会",
    "商会",
    "联合会",
    "研究院",
    "研究所",
    "研究会",
    "联盟",
    "促进会",
    "医院",
    "厂",
    "场",
    "局",
    "社",
    "馆",
    "院",
    "部",
    "处",
    "队",
    "站",
    "所",
    "店",
    "室",
    "校",
    "会",
    "委",
    "段",
    "矿",
    "基地",
)

# ---------------------------------------------------------------------------------------------
# The document model (extract/lines.py, extract/tables.py): sub-headings and table columns.
# ---------------------------------------------------------------------------------------------
# A sub-heading that names a kind of institution groups a list without grading it (省直单位).
# the country's macro-regions, by which national lists group stations (华北区域, 西北、西南区域)
MACRO_REGIONS: tuple[str, ...] = ("华北", "东北", "华东", "华中", "华南", "中南", "西南", "西北")
# the region's own level, set beside its places (市直 | 临泉县 | 太和县 …: a column of a matrix of cities)
OWN_LEVEL_GROUPS: tuple[str, ...] = (
    "省直",
    "省直属",
    "省属",
    "市直",
    "区直",
    "州直",
    "县直",
    "市本级",
    "省本级",
    "本级",
)
GROUP_KIND_WORDS: tuple[str, ...] = (
    *OWN_LEVEL_GROUPS,
    "市区",
    "城区",
    "市辖区",
    "省级",
    "市级",
    "县级",
    "市州",
    "市(州)",
    "各市(州)",
    "中央驻省",
    "驻省",
    "中央驻省企业",
    "驻省企业",
    "省属企业",
    "市(地)",
    "市属",
    "盟市",
    "部属",
    "院校",
    "高校",
    "企业",
    "中央企业",
    "行业",
    "社会",
    "社会培训评价组织",
    "培训评价组织",
    "用人单位",
    "国家职业技能鉴定所",
    "职业技能鉴定所",
    "职业技能鉴定站",
    "鉴定所",
    "鉴定站",
    "鉴定所(站)",
    "行业特有工种鉴定站",
    "行业特有工种职业技能鉴定站",
    "技工院校",
    "职业院校",
    "其他",
)
# Values of an institution-type column or words of a type: never a host (domain.md).
INSTITUTION_TYPES: tuple[str, ...] = (
    "用人单位",
    "院校",
    "社会培训评价组织",
    "培训评价组织",
    "技工院校",
    "职业院校",
    "企业",
    "学校",
    "培训机构",
    "行业协会",
    "社会组织",
    "行业组织",
    "事业单位",
)
# The kinds an institution is listed or grouped as (企业, 院校, 县区): in brackets after a name or a
# group sub-heading they gloss it, and are no part of it.
LISTED_KIND_WORDS: tuple[str, ...] = (*GROUP_KIND_WORDS, *INSTITUTION_TYPES, "县区", "区县", "县(市、区)")
# marks that tick a row's grade column (序号 | 名称 | 优秀 | 合格 | 不合格 with a √ under one)
TICK_MARKS: frozenset[str] = frozenset("√✓✔☑●")
# Table columns: a header cell's words -> the column's role. Read in this order (承建单位 is a
# host before it is a 单位; 处理结果 a remark before it is a 结果).
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号", "排序", "序", "站号")),
    (
        "host",
        (
            "承建单位",
            "依托单位",
            "举办单位",
            "主办单位",
            "设立单位",
            "建设单位",
            "承办单位",
            "承建机构",
            "依托机构",
        ),
    ),
    ("supervisor", ("主管部门", "业务主管", "主管单位", "上级主管", "主管机关", "行业主管")),
    ("type", ("机构类型", "类型", "类别", "机构性质", "性质")),
    (
        "remark",
        (
            "备注",
            "处理意见",
            "处理结果",
            "处理决定",
            "处理措施",
            "处理情况",
            "处理方式",
            "整改意见",
            "整改要求",
            "说明",
        ),
    ),
    # the problems found: what they name (整改不到位, 未开展鉴定) is no outcome, unlike a remark's
    ("problem", ("存在问题", "主要问题", "发现问题", "问题")),
    # (评定等级 is an outcome, but 等级 alone a skill level: other)
    (
        "outcome",
        (
            "结论",
            "结果",
            "等次",
            "评估等级",
            "评定等级",
            "评价等级",
            "督导等级",
            "评定",
            "意见",
            "星级",
            "情况",
        ),
    ),
    (
        "region",
        (
            "市(州)",
            "市州",
            "地区",
            "地市",
            "所在地",
            "所在市",
            "县区",
            "区县",
            "城市",
            "市别",
            "属地",
            "区域",
            "州市",
            "所属市",
            "盟市",
            "省份",
            "所在省",
            "省区市",
            "省(区、市)",
            "区市",
            "所在区",
            "旗县",
            "县(市、区)",
            "县市区",
            "市县区",
            "县市",
            "省辖市",
            "设区市",
            "地级市",
        ),
    ),
    ("count", ("小计", "合计", "总计", "数量", "家数", "个数", "总数", "参检数", "参评数", "督导数")),
    # figures beside the counts (合格率, 鉴定人次): numbers, never a name or an outcome
    ("figure", ("率", "人次", "人数", "比例", "占比")),
    # a table of people (考评员, 督导员 and their exam results): its rows grade no institution
    ("person", ("姓名", "性别", "身份证号", "准考证号")),
    ("name", ("名称", "鉴定机构", "评价机构", "机构", "单位", "鉴定所", "鉴定站", "站名", "所名")),
    # a score (评估得分): graded by the bands the notice defines (extract.scores), else no outcome
    ("score", ("得分", "评分", "分数", "总分", "分值")),
    (
        "other",
        (
            "职业",
            "工种",
            "地址",
            "电话",
            "负责人",
            "代码",
            "证号",
            "编码",
            "联系人",
            "时间",
            "日期",
            "项目",
            "级别",
            "等级",
            "范围",
            "人数",
        ),
    ),
)

# how a government department's name ends (市教育局, 省国资委, 省国防科工办): beside an institution it
# is a supervisor (主管部门), never its host
DEPARTMENT_ENDS: tuple[str, ...] = ("局", "厅", "委", "委员会", "办公室", "办", "部")
# bureaus that are enterprises or service bodies (烟台港务局, 胜利石油管理局, 南昌铁路局, 广西电力工业局,
# 兴安盟就业服务局): they run institutions, hosts
ENTERPRISE_BUREAU_ENDS: tuple[str, ...] = (
    "铁路局",
    "港务局",
    "管理局",
    "工程局",
    "矿务局",
    "航务局",
    "电力工业局",
    "就业服务局",
)
# The departments that issue the notices: in a list's name position they are a signature line.
ISSUER_NOUNS: tuple[str, ...] = (
    "人力资源和社会保障局",
    "人力资源和社会保障厅",
    "人力资源社会保障局",
    "人力资源社会保障厅",
    "劳动和社会保障局",
    "劳动和社会保障厅",
    "人社局",
    "人社厅",
    "劳动局",
    "劳动厅",
    "人力资源和社会保障部",
    "人民政府",
    "办公室",
    "办公厅",
)

# Short forms of the issuing departments, and the names they stand for (省人社厅: the province's).
ISSUER_SHORT_FORMS: dict[str, str] = {
    "人社厅": "人力资源和社会保障厅",
    "人社局": "人力资源和社会保障局",
    "劳动保障厅": "劳动和社会保障厅",
    "劳动保障局": "劳动和社会保障局",
    "劳社厅": "劳动和社会保障厅",
    "劳社局": "劳动和社会保障局",
}

# What a news report says its source did: 记者从X获悉, X近日印发, X日前公布.
REPORTING_VERBS: tuple[str, ...] = ("获悉", "近日", "日前", "印发", "下发", "公布", "发布", "通报")

# Other kinds of institution a combined notice also reports on (domain.md: only the appraisal part
# counts): a section or list titled with one of these, and no appraisal noun, is skipped.
OTHER_KIND_WORDS: tuple[str, ...] = (
    "民办职业培训学校",
    "职业培训学校",
    "培训学校",
    "培训机构",
    "技工院校",
    "技工学校",
    "职业院校",
    "民办学校",
    "民办",
    "就业训练中心",
)

# Industry systems that run their own stations (行业特有工种鉴定站). Key: word in the text -> sector,
# always written `X行业` (domain.md), whatever word the notice uses (电力系统, 电力行业特有工种).
SECTORS: dict[str, str] = {
    "粮食": "粮食行业",
    "铁路": "铁路行业",
    "铁道": "铁路行业",  # (铁道部, the ministry until 2013)
    "电力": "电力行业",
    "石油": "石油石化行业",
    "石化": "石油石化行业",
    "煤炭": "煤炭行业",
    "交通运输": "交通运输行业",
    "交通": "交通运输行业",  # (交通行业职业技能鉴定站, the ministry's older name for its system)
    "民航": "民航行业",
    "邮政": "邮政行业",
    "通信": "通信行业",
    "水利": "水利行业",
    "农业": "农业行业",
    "林业": "林业行业",
    "建设": "建设行业",
    "机械": "机械行业",
    "冶金": "冶金行业",
    "有色金属": "有色金属行业",
    "烟草": "烟草行业",
    "气象": "气象行业",
    "地质": "地质矿产行业",
    "卫生": "卫生行业",
    "商业": "商业行业",
    "民政": "民政行业",
    "化工": "化工行业",
    "纺织": "纺织行业",
    "轻工": "轻工行业",
    "黄金": "黄金行业",
    "核工业": "核工业行业",
    "船舶": "船舶行业",
    "航空": "航空行业",
    "航天": "航天行业",
    "兵器": "兵器行业",
    "电子": "电子行业",
    "建材": "建材行业",
    "供销": "供销行业",
    "海洋": "海洋行业",
    "新闻出版": "新闻出版行业",
    "司法": "司法行业",
    "公安": "公安行业",
    "旅游": "旅游行业",
}

# National-level issuers: a notice from these about 行业 stations is national (全国).
NATIONAL_ISSUER_RE = re.compile(
    r"^(?:国家\S{1,8}?局|人力资源(?:和)?社会保障部|劳动(?:和)?社会保障部|劳动部|中华全国\S+|中国\S{1,10}?(?:协会|联合会|总公司|集团)"
    # (a ministry's own body: 交通运输部职业技能鉴定指导中心)
    r"|[\u4e00-\u9fff]{2,9}?部(?=职业技能鉴定|人事|人力资源|教育))"
)

# One-character province abbreviations used in document numbers (甘人社通…) and some titles.
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "京": "北京市",
    "津": "天津市",
    "沪": "上海市",
    "渝": "重庆市",
    "冀": "河北省",
    "晋": "山西省",
    "蒙": "内蒙古自治区",
    "内蒙": "内蒙古自治区",
    "辽": "辽宁省",
    "吉": "吉林省",
    "黑": "黑龙江省",
    "苏": "江苏省",
    "浙": "浙江省",
    "皖": "安徽省",
    "闽": "福建省",
    "赣": "江西省",
    "鲁": "山东省",
    "豫": "河南省",
    "鄂": "湖北省",
    "湘": "湖南省",
    "粤": "广东省",
    "桂": "广西壮族自治区",
    "琼": "海南省",
    "川": "四川省",
    "蜀": "四川省",
    "贵": "贵州省",
    "黔": "贵州省",
    "云": "云南省",
    "滇": "云南省",
    "藏": "西藏自治区",
    "陕": "陕西省",
    "秦": "陕西省",
    "甘": "甘肃省",
    "陇": "甘肃省",
    "青": "青海省",
    "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区",
}

# Customary short names of cities used in document numbers (榕人社培〔2014〕100号 = 福州).
CITY_ABBREVIATIONS: dict[str, str] = {
    "榕": "福州市",
    "厦": "厦门市",
    "穗": "广州市",
    "深": "深圳市",
    "蓉": "成都市",
    "筑": "贵阳市",
    "邕": "南宁市",
    "甬": "宁波市",
    "杭": "杭州市",
    "宁": "南京市",
    "锡": "无锡市",
    "昆": "昆明市",
    "并": "太原市",
    "连": "连云港市",
    "汉": "武汉市",
    "郑": "郑州市",
    "济": "济南市",
    "青": "青岛市",
    "石": "石家庄市",
    "哈": "哈尔滨市",
    "长": "长春市",
    "沈": "沈阳市",
    "大": "大连市",
    "兰": "兰州市",
    "西": "西安市",
    "银": "银川市",
    "乌": "乌鲁木齐市",
    "呼": "呼和浩特市",
    "拉": "拉萨市",
    "海": "海口市",
    "温": "温州市",
    "苏": "苏州市",
    "常": "常州市",
    "徐": "徐州市",
    "泉": "泉州市",
    "莆": "莆田市",
}

# ---------------------------------------------------------------------------------------------
# Words of the fetcher (pipeline/fetch/): links on a site's pages.
# ---------------------------------------------------------------------------------------------
# a link whose text begins so is an attachment, whatever its address (附件1：2013年度…名单)
ATTACHMENT_LINK_WORDS = ("附件", "附 件")
# a listing without a title filter of its own keeps the links whose text matches this (an RE2 pattern)
DEFAULT_TITLE_FILTER = "年检|年度检查|检查评估|质量评估|质量督导|督导检查|撤销.{0,10}(?:鉴定|评价)"
# the text of a list page's link to its next page (a listing's `next_page` may name its own)
NEXT_PAGE_WORDS = ("下一页", "下页", "后一页", "下一頁", ">", "›", "»", "next")
