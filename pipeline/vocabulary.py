"""Controlled vocabularies: grade labels, institution nouns, industry sectors, region short forms.

These are lookup tables, not logic: a label that is not here is reported as unknown, never guessed.
"""

from __future__ import annotations

import re

# The notice's own words -> one controlled grade (domain.md). Matched longest label first, so
# 基本合格 wins over 合格 and 不合格 wins over 合格.
GRADE_LABELS: dict[str, str] = {
    "优秀": "excellent",
    "较好": "excellent",
    "良好": "excellent",
    "先进": "excellent",
    "A级": "excellent",
    "合格": "pass",
    "通过": "pass",
    "达标": "pass",
    "基本合格": "conditional",
    "暂缓通过": "conditional",
    "不合格": "rectify",
    "不达标": "rectify",
    "限期整改": "rectify",
    "责令整改": "rectify",
    "整改": "rectify",
    "不予通过": "rectify",
    "未通过": "rectify",
    "撤销": "revoked",
    "吊销": "revoked",
    "取消资格": "revoked",
    "取消资质": "revoked",
    "取消鉴定资格": "revoked",
    "取消鉴定资质": "revoked",
    "终止备案": "revoked",
    "撤销备案": "revoked",
    "取消备案": "revoked",
    "取消职业技能鉴定资格": "revoked",
    "取消职业技能鉴定资质": "revoked",
    "取消备案资格": "revoked",
    "注销": "deregistered",
    "暂停": "suspended",
}
GRADE_LABEL_RE = re.compile("|".join(sorted(map(re.escape, GRADE_LABELS), key=len, reverse=True)))

# Sanctions outrank the reason given with them: '4个不合格鉴定机构被撤销' is revoked, not rectify.
SANCTION_GRADES: tuple[str, ...] = ("revoked", "deregistered", "suspended")

# Words after a grade label that turn it into something else (整改措施 is a plan, not a grade).
NOT_A_GRADE_AFTER = re.compile(
    r"^(?:措施|工作|情况|期限|期满|期间|期|通知|方案|意见|报告|验收|要求|后|的机构将|者|证|率|的,|人员)"
)

# Nouns that name a vocational skill appraisal institution (the subject of this dataset).
INSTITUTION_NOUN = (
    r"(?:鉴定所|鉴定站|鉴定总站|鉴定分站|鉴定中心|鉴定指导中心|鉴定机构"
    r"|评价机构|考试站|考核站|认定机构|评价组织)"
)
INSTITUTION_NOUN_RE = re.compile(INSTITUTION_NOUN)
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
    "认定站",
    "总站",
    "分站",
    "鉴定所(站)",
)
INSTITUTION_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, INSTITUTION_SUFFIXES)) + ")$")

# Words that make a parenthetical the host organisation: (兰州供电公司承建), (承建单位:X).
HOST_WORDS = ("承建", "承办", "主办", "举办", "依托", "建立", "设立", "组建", "建设")
HOST_WORDS_RE = "(?:" + "|".join(HOST_WORDS) + ")"

# Industry systems that run their own stations (行业特有工种鉴定站). Key: word in the text -> sector name.
SECTORS: dict[str, str] = {
    "粮食": "粮食行业",
    "铁路": "铁路",
    "电力": "电力",
    "石油": "石油",
    "石化": "石油化工",
    "煤炭": "煤炭",
    "交通运输": "交通运输",
    "民航": "民航",
    "邮政": "邮政",
    "通信": "通信",
    "水利": "水利",
    "农业": "农业",
    "林业": "林业",
    "建设": "建设",
    "机械": "机械",
    "冶金": "冶金",
    "有色金属": "有色金属",
    "烟草": "烟草",
    "气象": "气象",
    "地质": "地质矿产",
    "卫生": "卫生",
    "商业": "商业",
}

# National-level issuers: a notice from these about 行业 stations is national (全国).
NATIONAL_ISSUER_RE = re.compile(
    r"^(?:国家\S{1,8}?局|人力资源(?:和)?社会保障部|劳动(?:和)?社会保障部|劳动部|中华全国\S+|中国\S{1,10}?(?:协会|联合会|总公司|集团))"
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
# Document-number prefixes whose first character stands for a city only when followed by these.
CITY_DOC_PREFIX_RE = re.compile(r"^(?P<abbr>.)(?:人社|劳社|人劳|劳|人力)")
