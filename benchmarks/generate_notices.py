"""Deterministic generator of synthetic notices on the annual inspection of appraisal institutions.

Each notice comes with its own gold (corpus/GOLD_SCHEMA.md) and is written in the corpus layout,
OUT/<id>/notice.<ext> + source.json + gold.json, so that the project's scorer can grade a pipeline:

    python benchmarks/generate_notices.py --out DIR --n 1000 --seed 7
    python /work/shared/tools/score.py score --corpus DIR --curated CURATED
    python benchmarks/generate_notices.py --out RAW --n 1000 --seed 7 --flat --truth RAW_truth.jsonl

How the gold stays exact: a notice is built as a list of lines and every line carries the facts it
states (a grade count, an institution with its grade, an appraisal volume, the date, the doc
number ...). Truncation drops lines, noise only decorates lines (junk at line starts and ends,
chrome, an SEO tail), and the gold is collected from the facts of the lines that remain.
Names are stored as the text writes them (brackets included), in simplified script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc

from pipeline.registry import GRADES  # the output contract's grades, in its order

# Order in which grade groups appear in an attachment.
GROUP_ORDER = ("excellent", "pass", "conditional", "rectify", "suspended", "revoked", "deregistered")

# ---------------------------------------------------------------------------------------------
# Regions: province name, doc-number abbreviations, prefecture cities (name, abbreviation, counties).
# Municipalities are province-level; their districts play the part of counties.
# ---------------------------------------------------------------------------------------------
Province = dict[str, Any]
City = tuple[str, str, list[str]]

# One province per line ("name abbreviations | districts" for municipalities), then its cities
# indented: "city doc-number-abbreviation county county ...".
REGIONS_TEXT = """
甘肃省 甘
    兰州市 兰 城关区 七里河区 榆中县 皋兰县
    天水市 天 秦州区 麦积区 甘谷县
    酒泉市 酒 肃州区 玉门市 敦煌市
    张掖市 张 甘州区 山丹县 临泽县
    庆阳市 庆 西峰区 庆城县 环县
    白银市 白 白银区 靖远县 会宁县
福建省 闽
    福州市 榕 鼓楼区 台江区 仓山区 晋安区 福清市 长乐市 闽侯县 连江县 罗源县 闽清县 永泰县
    厦门市 厦 思明区 湖里区 集美区 同安区
    泉州市 泉 鲤城区 晋江市 石狮市 南安市 惠安县
    漳州市 漳 芗城区 龙海市 漳浦县
陕西省 陕
    西安市 市 雁塔区 碑林区 长安区 临潼区
    咸阳市 咸 秦都区 兴平市 三原县
    宝鸡市 宝 渭滨区 金台区 岐山县
    安康市 安 汉滨区 旬阳县 平利县
    汉中市 汉 汉台区 南郑县 城固县
河南省 豫
    郑州市 郑 中原区 金水区 新郑市 巩义市
    洛阳市 洛 涧西区 西工区 偃师市
    开封市 汴 龙亭区 兰考县 杞县
    新乡市 新 卫滨区 辉县市 长垣县
湖北省 鄂
    武汉市 武 江岸区 洪山区 武昌区 汉阳区
    襄阳市 襄 襄城区 樊城区 枣阳市 宜城市
    宜昌市 宜 西陵区 夷陵区 宜都市
    荆州市 荆 沙市区 荆州区 监利县
广东省 粤
    广州市 穗 越秀区 天河区 番禺区 白云区
    深圳市 深 福田区 南山区 宝安区 龙岗区
    佛山市 佛 禅城区 南海区 顺德区
    江门市 江 蓬江区 台山市 开平市
江苏省 苏
    南京市 宁 玄武区 鼓楼区 江宁区
    无锡市 锡 江阴市 宜兴市 滨湖区
    常州市 常 武进区 溧阳市 金坛市
    连云港市 连 海州区 东海县 灌云县
    镇江市 镇 京口区 丹阳市 句容市
浙江省 浙
    杭州市 杭 西湖区 萧山区 富阳市
    宁波市 甬 海曙区 鄞州区 慈溪市
    温州市 温 鹿城区 瑞安市 乐清市
    嘉兴市 嘉 南湖区 桐乡市 海宁市
山东省 鲁
    济南市 济 历下区 章丘市 平阴县
    青岛市 青 市南区 黄岛区 胶州市
    烟台市 烟 芝罘区 龙口市 莱阳市
    潍坊市 潍 奎文区 寿光市 青州市
四川省 川
    成都市 成 锦江区 武侯区 双流县 都江堰市
    绵阳市 绵 涪城区 江油市 三台县
    德阳市 德 旌阳区 广汉市 什邡市
    宜宾市 宜 翠屏区 南溪县 江安县
山西省 晋
    太原市 并 小店区 迎泽区 清徐县
    大同市 同 南郊区 阳高县 浑源县
    长治市 长 潞城市 长治县 襄垣县
    运城市 运 盐湖区 永济市 河津市
河北省 冀
    石家庄市 石 长安区 桥西区 正定县
    唐山市 唐 路北区 迁安市 遵化市
    保定市 保 涿州市 定州市 高碑店市
    邯郸市 邯 丛台区 武安市 涉县
湖南省 湘
    长沙市 长 芙蓉区 岳麓区 浏阳市
    株洲市 株 荷塘区 醴陵市 攸县
    湘潭市 潭 雨湖区 湘乡市 韶山市
    衡阳市 衡 蒸湘区 耒阳市 常宁市
江西省 赣
    南昌市 洪 东湖区 青山湖区 南昌县
    赣州市 赣市 章贡区 瑞金市 南康市
    九江市 浔 浔阳区 瑞昌市 湖口县
安徽省 皖
    合肥市 合 蜀山区 包河区 肥西县
    芜湖市 芜 镜湖区 芜湖县 繁昌县
    安庆市 宜 迎江区 桐城市 怀宁县
    蚌埠市 蚌 龙子湖区 怀远县 固镇县
黑龙江省 黑
    哈尔滨市 哈 南岗区 道里区 双城市
    齐齐哈尔市 齐 龙沙区 讷河市 龙江县
    大庆市 庆 萨尔图区 肇州县 林甸县
    牡丹江市 牡 东安区 海林市 宁安市
吉林省 吉
    长春市 长 朝阳区 南关区 九台市
    吉林市 吉市 船营区 蛟河市 桦甸市
    四平市 四 铁西区 公主岭市 梨树县
辽宁省 辽
    沈阳市 沈 和平区 铁西区 新民市
    大连市 大 中山区 甘井子区 瓦房店市
    鞍山市 鞍 铁东区 海城市 台安县
    抚顺市 抚 新抚区 抚顺县 清原满族自治县
广西壮族自治区 桂
    南宁市 南 青秀区 兴宁区 武鸣县
    柳州市 柳 城中区 柳江县 柳城县
    桂林市 市 秀峰区 阳朔县 临桂县
云南省 云/滇
    昆明市 昆 五华区 盘龙区 安宁市
    曲靖市 曲 麒麟区 宣威市 陆良县
    玉溪市 玉 红塔区 澄江县 通海县
贵州省 黔/贵
    贵阳市 筑 南明区 云岩区 清镇市
    遵义市 遵 红花岗区 仁怀市 遵义县
    六盘水市 六 钟山区 盘县 水城县
青海省 青
    西宁市 宁 城东区 城西区 湟中县 大通回族土族自治县
宁夏回族自治区 宁
    银川市 银 兴庆区 金凤区 永宁县
    石嘴山市 石 大武口区 平罗县 惠农区
新疆维吾尔自治区 新
    乌鲁木齐市 乌 天山区 沙依巴克区 新市区
    克拉玛依市 克 克拉玛依区 独山子区 白碱滩区
内蒙古自治区 内/蒙
    呼和浩特市 呼 新城区 回民区 托克托县
    包头市 包 昆都仑区 青山区 固阳县
    兴安盟 兴 乌兰浩特市 阿尔山市 扎赉特旗
海南省 琼
    海口市 海 龙华区 美兰区 秀英区
    三亚市 三 河西区 河东区
重庆市 渝 | 渝中区 沙坪坝区 万州区 涪陵区
北京市 京 | 朝阳区 海淀区 丰台区 昌平区
天津市 津 | 和平区 河西区 滨海新区 武清区
上海市 沪 | 浦东新区 徐汇区 闵行区 嘉定区
"""


def _parse_regions(text: str) -> list[Province]:
    """Parse REGIONS_TEXT into province dicts (name, abbr, cities, districts)."""
    provinces: list[Province] = []
    for line in text.strip("\n").splitlines():
        if line.startswith(" "):
            name, abbr, *counties = line.split()
            provinces[-1]["cities"].append((name, abbr, counties))
        else:
            head, _, districts = line.partition("|")
            name, abbrs = head.split()
            provinces.append(
                {"name": name, "abbr": abbrs.split("/"), "cities": [], "districts": districts.split()}
            )
    return provinces


PROVINCES: list[Province] = _parse_regions(REGIONS_TEXT)


def sector_name(word: str) -> str:
    """The controlled sector name (domain.md): always `X行业`, whatever word the notice uses."""
    return word if word.endswith("行业") else word + "行业"

# National industry systems (行业特有工种鉴定站): sector, issuer, doc-number prefix.
SECTORS: list[tuple[str, str, str]] = [
    ("粮食行业", "国家粮食局", "国粮办人"),
    ("农业", "农业部办公厅", "农办人"),
]


# ---------------------------------------------------------------------------------------------
# Word lists for institution names and hosts ({c}: city short form, {p}: province short form,
# {P}: province full name).
# ---------------------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    """Whitespace-separated word list."""
    return text.split()


SCHOOLS = words("""
    技师学院 第一技师学院 第二技师学院 高级技工学校 技工学校 职业技术学院 交通职业技术学院
    建筑职业中专学校 电子职业中专学校 旅游职业中专学校 财政金融职业中专学校 卫生学校 商业学校 工业学校
    农业学校 机电工程学校 高级烹饪技工学校 职业中专学校 广播电视大学 城市学院 工程职业技术学院
    经济管理干部学院 中等专业学校 工贸技师学院 职业技术学校 师范学校 电力技工学校 轻工业学校 化工学校
    艺术学校 旅游技工学校 环保职业中专学校
""")
TRADES = words("""
    建筑工程 机电 粮油专业工种 交通专业 商业专业 机动车驾驶 烹饪 家政服务 育婴员（师） 保育员
    有害生物防制员 美容美发 汽车维修 电子商务 餐饮服务 物业管理 焊接 电工 纺织 化工 煤炭 农机 茶艺师
    装饰业 工艺美术 养老护理员 中式面点 计算机 服装 电梯安装维修
""")
ORGS = words("""
    总工会 劳务派遣有限公司 职业培训指导中心 自来水公司 燃气集团 供电公司 钢铁集团 石化公司 公交集团
    电信分公司 邮政局 烟草公司 第一建筑工程公司 饮食服务公司 妇联家政服务中心 残疾人联合会 就业训练中心
    农业广播电视学校 供销合作社 水务集团 热力公司 园林局 交通运输局 商务局
""")
PROV_ORGS = words("""
    农业广播电视学校农林行业 物资驾校 机械工业技术学校 商贸 邮电 机电 建设行业 粮食专业工种 交通行业
    轻工行业
""")
UNIS = words("""
    {p}工业大学 {p}农业大学 {p}师范大学 {c}大学 {c}理工学院 {p}财经学院 {c}医学院 {c}职业技术学院
""")
UNI_DEPTS = ["", "", "", "机电工程实践中心", "继续教育学院", "工程训练中心", "信息技术学院"]
SUFFIXES = ["职业技能鉴定站"] * 6 + [
    "鉴定站",
    "技能鉴定站",
    "职业技能鉴定所",
    "国家职业技能鉴定所",
    "职业技能鉴定分站",
    "职业技能鉴定总站",
]
HOSTS = words("""
    {c}技工学校 {c}供电公司 省饮食服务公司 {p}交通职业技术学院 {c}石化公司 {c}钢铁集团公司
    省建筑工程总公司 {c}铁路局 省商业学校 {c}职业技术学院 {p}中医学院 {c}阀门厂 省机械技工学校
    {c}电力学校 {p}联合大学 {c}理工大学 {c}煤业集团 省冶金高级技术学院 {c}通用机器厂 {c}有色金属公司
    {p}建筑职业技术学院 {c}电机集团 {c}新华印刷厂 省残联盲人按摩指导中心 {P}电力培训中心
    省培训技术指导中心 {c}城市学院 {c}交通大学 {c}农垦技工学校 {c}石油管理局 {c}卷烟厂
    {c}化工高级技工学校 {p}畜牧工程职业技术学院 {c}纺织集团 {c}重型机器厂 {c}水泥厂 省成人教育协会
    {c}汽车制造厂 {c}第二建筑工程公司 {p}商业职业技术学院
""")
SECTOR_NAMES = {
    "粮食行业": [
        "{P}粮食行业职业技能鉴定站",
        "{c}粮食学校职业技能鉴定站",
        "中储粮{p}分公司职业技能鉴定站",
        "{P}粮油质量监测站职业技能鉴定站",
        "{c}粮食局职业技能鉴定站",
    ],
    "农业": [
        "农业部第{n}职业技能鉴定站",
        "{P}农业行业职业技能鉴定站",
        "{c}农业广播电视学校农业职业技能鉴定站",
        "{P}农机化技术推广站职业技能鉴定站",
        "{c}畜牧兽医站职业技能鉴定站",
    ],
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文斌宁辉鹏飞俊峰晓燕"

# ---------------------------------------------------------------------------------------------
# Grade wording: heading text ({k}: institution noun), prose count phrases ({n}{u}), table cells,
# news phrases and inline verbs. Every label maps to its grade as in domain.md.
# ---------------------------------------------------------------------------------------------
HEADINGS = {
    "excellent": [
        "年检优秀单位",
        "优秀{k}名单",
        "评估等次为优秀的{k}",
        "年检较好单位",
        "年检良好{k}名单",
        "A级{k}",
    ],
    "pass": ["年检合格单位", "合格{k}名单", "通过年检的{k}", "评估达标{k}", "年检合格{k}"],
    "conditional": ["基本合格{k}", "暂缓通过年检的{k}", "年检基本合格单位"],
    "rectify": ["限期整改单位", "不合格{k}名单", "责令限期整改的{k}", "不予通过年检的{k}", "年检不合格{k}"],
    "revoked": [
        "撤销鉴定机构资质单位",
        "撤销的{k}",
        "吊销鉴定许可证的{k}",
        "取消鉴定资格的{k}",
        "予以撤销的{k}名单",
    ],
    "deregistered": ["注销的{k}", "予以注销的{k}名单"],
    "suspended": ["暂停鉴定业务的{k}", "暂停鉴定资格的{k}名单"],
}
HEADING_KINDS = [
    "鉴定机构",
    "鉴定所",
    "鉴定站",
    "职业技能鉴定机构",
    "国家职业技能鉴定所",
    "职业技能鉴定所（站）",
]
PROSE_COUNTS = {
    "excellent": ["优秀的{n}{u}", "较好的{n}{u}", "评为优秀等次的{n}{u}", "良好{n}{u}", "A级{n}{u}"],
    "pass": ["合格的{n}{u}", "合格{n}{u}", "通过年检的{n}{u}", "达标的{n}{u}"],
    "conditional": ["基本合格的{n}{u}", "暂缓通过的{n}{u}"],
    "rectify": ["限期整改的{n}{u}", "不合格的{n}{u}", "不予通过、限期整改的{n}{u}", "责令整改的{n}{u}"],
    "revoked": ["撤销技能鉴定资格的{n}{u}", "撤销的{n}{u}", "吊销鉴定许可证的{n}{u}", "取消鉴定资格的{n}{u}"],
    "deregistered": ["注销的{n}{u}", "予以注销的{n}{u}"],
    "suspended": ["暂停鉴定业务的{n}{u}", "暂停鉴定的{n}{u}"],
}
NEWS_COUNTS = {
    "excellent": ["{n}个被评为优秀", "评为年检优秀单位的{n}个"],
    "pass": ["通过年检的共{n}个", "{n}个鉴定机构年检合格"],
    "conditional": ["{n}个基本合格", "{n}个暂缓通过年检"],
    "rectify": [
        "{n}个不予通过限期整改，整改期3个月，整改经验收合格后方可开展业务",
        "{n}个年检不合格被责令限期整改",
    ],
    "revoked": ["{n}个被撤销", "撤销{n}个鉴定机构的鉴定资格"],
    "deregistered": ["{n}个被注销"],
    "suspended": ["{n}个暂停鉴定业务"],
}
CELLS = {
    "excellent": ["优秀", "良好", "A级"],
    "pass": ["合格", "通过", "达标"],
    "conditional": ["基本合格", "暂缓通过"],
    "rectify": ["限期整改", "不合格", "整改"],
    "revoked": ["撤销", "吊销许可证", "取消资格"],
    "deregistered": ["注销"],
    "suspended": ["暂停"],
}
INLINE_VERBS = {
    "excellent": ["被评为年检优秀单位", "年检评估等次为优秀"],
    "pass": ["年检合格", "通过年检"],
    "conditional": ["被评为基本合格", "暂缓通过年检"],
    "rectify": ["年检不合格，限期整改三个月", "被责令限期整改", "不予通过年检，限期整改"],
    "revoked": ["被撤销鉴定资格", "予以撤销", "被吊销鉴定许可证"],
    "deregistered": ["予以注销", "被注销鉴定资格"],
    "suspended": ["暂停鉴定业务", "被暂停鉴定资格"],
}
GANSU = {
    "excellent": "{x}评定为{y}年度{label}{k}",
    "pass": "{x}评定为{y}年度{label}{k}",
    "conditional": "{x}评定为{y}年度{label}{k}，限期完善有关工作",
    "rectify": "{x}被评定为不合格{k}，进行整改，整改期限截止{y1}年6月底",
    "revoked": "对连续两年未开展工作的{x}予以撤销",
    "deregistered": "{x}予以注销",
    "suspended": "{x}暂停鉴定业务，限期整改",
}
INLINE_OBJ = {
    "excellent": "予以通报表扬，确定为年检优秀单位",
    "conditional": "暂缓通过年检",
    "rectify": "不予通过年检，限期整改",
    "revoked": "予以撤销",
    "deregistered": "予以注销",
    "suspended": "暂停鉴定业务",
}
HEADLINE = {"rectify": "被要求限期整改", "revoked": "被撤销", "suspended": "被暂停鉴定业务"}
NOTES = {"revoked": "主动申请撤销", "deregistered": "主动申请注销"}

# ---------------------------------------------------------------------------------------------
# Filler prose.
# ---------------------------------------------------------------------------------------------
BASIC = [
    "{y}年，{s}各级人力资源社会保障部门及职业技能鉴定机构认真贯彻落实国家职业资格证书制度，进一步强化鉴定质量管理，"
    "鉴定规模稳步扩大，鉴定质量明显提高。",
    "检查评估情况表明，大部分鉴定机构能够按照要求积极有序地开展工作，规章制度得到完善，鉴定程序得到规范。",
    "绝大多数鉴定机构不断加大资金投入，改善场地、设施设备和办公条件，配备了专门的管理人员，档案资料存放整齐有序。",
    "管理制度和鉴定公告、收费依据都实行了公示制度，鉴定过程有据可查，各项制度落实到位。",
    "一些大中型企业承建的鉴定所，将职业资格证书与职工的工资待遇相衔接，以考核评价促进职业培训和技能鉴定。",
    "考评人员能认真负责，严格按照规定程序开展工作，使鉴定质量不断提高。",
    "部分鉴定机构结合工作实际，积极拓展鉴定领域，为企业职工和城乡劳动者提升技能提供了有力支撑。",
    "各鉴定机构认真开展自查自评，按时报送了自查报告和相关材料。",
]
PROBLEMS = [
    "工作发展不平衡。个别鉴定机构工作进展缓慢，鉴定规模大幅度下滑，对职业技能鉴定工作认识不到位，重视不够。",
    "运行工作不够规范。部分管理人员对鉴定政策和有关规章制度不熟悉，考务工作程序不够规范，考场记录不全、评分不规范。",
    "软件服务和硬件设施达不到标准要求。一些鉴定所的场地、设施设备达不到鉴定标准要求，管理人员和考评员不能满足工作需要。",
    "档案管理不到位。一些机构原始记录和资料不全，未能做到一期一档、存放有序。",
    "信息统计工作跟不上。个别鉴定机构鉴定统计、证书数据上报不及时，影响了整体工作推进。",
    "超范围鉴定。个别鉴定站存在超出许可范围鉴定的现象，个别鉴定站《鉴定许可证》过期没有及时申请换证。",
    "人员配置不足。部分鉴定站人员配置不全，考评员未及时参加培训、换证。",
]
REQUIREMENTS = [
    "各鉴定机构要针对检查评估中发现的问题认真对照检查，举一反三，查找原因，及时整改。",
    "限期整改的鉴定机构，要采取切实有效的措施落实整改，并及时向{o}报送整改情况，{o}将组织复查，复查仍不合格的予以撤销。",
    "被撤销的鉴定机构，须在规定时间内将鉴定许可证、印章、标牌交回{o}。",
    "鉴定许可证已经到期的鉴定机构，应及时向{o}提出换发申请。",
    "各地要进一步加强对鉴定机构的日常监督管理，把好技能鉴定工作的质量关。",
    "要强化管理人员、考评人员的培训，保障职业技能鉴定工作高质量完成。",
]
ANNOUNCE_ITEMS = [
    "鉴定机构基本条件保持情况，包括场地、设施设备、管理人员和考评人员配备情况；",
    "鉴定工作开展情况，包括鉴定工种、等级和鉴定人数；",
    "各项管理制度建立和执行情况；",
    "鉴定考务管理和质量督导情况；",
    "鉴定档案管理和收费情况；",
    "证书核发和数据上报情况。",
]
CHROME_TOP = [
    "当前位置：首页 > 新闻中心 > 通知公告",
    "您现在的位置：首页 >> 政务公开 >> 通知公告",
    "当前位置:首页  新闻中心  工作动态",
    "首页 > 职业能力建设 > 鉴定管理",
    "新闻中心首页 > 新闻中心 > 国内新闻 > 正文",
    "相关政策",
]
CHROME_BOTTOM = [
    "打印本页 关闭窗口",
    "【打印本页】【关闭窗口】",
    "【评论】【收藏此页】【打印】【关闭】",
    "相关新闻",
    "新闻推荐",
    "分享到：",
    "版权所有 人力资源和社会保障网 技术支持：信息中心",
]
SEO_EXTRA = ["报价", "招聘", "二手房", "天气预报"]
JUNK_ALPHABET = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_{}~"
)

# Pinyin a web converter appends after the characters it converted (keyed by the traditional char);
# characters missing here are left without annotation, as partial converters do.
_PINYIN_TEXT = """
關:guān 於:yú 職:zhí 業:yè 鑑:jiàn 鑒:jiàn 機:jī 構:gòu 檢:jiǎn 評:píng 報:bào 號:hào 廳:tīng 勞:láo
動:dòng 會:huì 資:zī 區:qū 縣:xiàn 單:dān 優:yōu 題:tí 設:shè 專:zhuān 範:fàn 規:guī 員:yuán 證:zhèng
書:shū 達:dá 導:dǎo 門:mén 場:chǎng 備:bèi 銷:xiāo 許:xǔ 發:fā 開:kāi 屬:shǔ 與:yǔ 對:duì 實:shí 現:xiàn
經:jīng 過:guò 進:jìn 們:men 個:gè 為:wèi 爲:wèi 這:zhè 處:chù 歲:suì 電:diàn 學:xué 術:shù 師:shī 際:jì
質:zhì 務:wù 條:tiáo 據:jù 檔:dàng 數:shù 統:tǒng 計:jì 總:zǒng 結:jié 級:jí 隊:duì 覽:lǎn 華:huá 廠:chǎng
團:tuán 鐵:tiě 蘭:lán 義:yì 陝:shǎn 湯:tāng 肅:sù 廣:guǎng 東:dōng 遼:liáo 寧:níng 雲:yún 貴:guì 陽:yáng
龍:lóng 黃:huáng 徵:zhēng 後:hòu 獲:huò 應:yīng 當:dāng 時:shí 間:jiān 問:wèn 長:cháng 將:jiāng 並:bìng
體:tǐ 見:jiàn 類:lèi 係:xì 繫:xì 態:tài 積:jī 極:jí 認:rèn 識:shí 織:zhī 練:liàn 訓:xùn 強:qiáng 責:zé
製:zhì 說:shuō 況:kuàng 館:guǎn 飯:fàn 飲:yǐn 運:yùn 輸:shū 車:chē 駕:jià 駛:shǐ 維:wéi 護:hù 養:yǎng
嬰:yīng 築:zhù 裝:zhuāng 飾:shì 紡:fǎng 礦:kuàng 氣:qì 勢:shì 醫:yī 衛:wèi 農:nóng 視:shì 軍:jūn 網:wǎng
頁:yè 閉:bì 聞:wén 產:chǎn 線:xiàn 輕:qīng 環:huán 藝:yì 濟:jì 稅:shuì 財:cái 貿:mào 倉:cāng 儲:chǔ
糧:liáng 辦:bàn 記:jì 錄:lù 齊:qí 組:zǔ 劃:huà 點:diǎn 標:biāo 準:zhǔn 稱:chēng 頒:bān 納:nà 額:é 萬:wàn
餘:yú 約:yuē 參:cān 滿:mǎn 辭:cí 換:huàn 幹:gàn 擔:dān 負:fù 絕:jué 斷:duàn 壓:yā 復:fù 複:fù 屆:jiè
聯:lián 綜:zōng 鄉:xiāng 鎮:zhèn 濱:bīn 盤:pán 蘇:sū 協:xié 慶:qìng 閥:fá 鋼:gāng 紅:hóng 興:xīng 億:yì
陳:chén 楊:yáng 趙:zhào 劉:liú 張:zhāng 國:guó 別:bié 夠:gòu 內:nèi 請:qǐng 佈:bù 礎:chǔ 調:diào 爾:ěr
亞:yà 遊:yóu 來:lái 飪:rèn 續:xù 銀:yín 圍:wéi 種:zhǒng 漢:hàn 審:shěn 踐:jiàn 繼:jì 監:jiān 殘:cán 髮:fà
荊:jīng 緩:huǎn 詳:xiáng 連:lián 費:fèi 烏:wū 魯:lǔ 壯:zhuàng 菸:yān 採:cǎi 項:xiàng 嚴:yán 須:xū 瑪:mǎ
莊:zhuāng 針:zhēn 舉:jǔ 蕪:wú 覈:hé 顯:xiǎn 沒:méi 響:xiǎng 頭:tóu 瀋:shěn 從:cóng 臺:tái 軟:ruǎn 暫:zàn
鄭:zhèng 領:lǐng 撐:chēng 墾:kěn 錫:xī 廈:xià 無:wú 郵:yóu 捲:juǎn 貫:guàn 徹:chè 穩:wěn 擴:kuò 綿:mián
銜:xián 價:jià 決:jué 鄲:dān 贛:gàn 順:shùn 撫:fǔ 婦:fù 寶:bǎo 獸:shòu 濰:wéi 煙:yān 雞:jī 較:jiào 熱:rè
麪:miàn 瞭:liǎo 終:zhōng 確:què 註:zhù 島:dǎo 測:cè 閱:yuè 讀:dú 園:yuán 擊:jī 賓:bīn 堅:jiān 賬:zhàng
亂:luàn 兩:liǎng 溫:wēn 匯:huì 閔:mǐn 蔘:shēn 驗:yàn 滬:hù
"""
PINYIN: dict[str, str] = dict(pair.split(":") for pair in _PINYIN_TEXT.split())


# ---------------------------------------------------------------------------------------------
# Small helpers.
# ---------------------------------------------------------------------------------------------
CN_DIGITS = "〇一二三四五六七八九"


def cn_num(n: int) -> str:
    """Chinese numeral for 0 < n < 1000 (第五十五, 一百零一)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = CN_DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + CN_DIGITS[rest]
    return head + (
        CN_DIGITS[rest // 10] + "十" + (CN_DIGITS[rest % 10] if rest % 10 else "") if rest >= 10 else ""
    )


def cn_date(d: dt.date, zero: str) -> str:
    """二0一一年三月三日 / 二〇〇九年十二月二十三日 (zero chooses how 0 is written)."""
    year = "".join(zero if c == "0" else CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{cn_num(d.month)}月{cn_num(d.day)}日"


def circled(i: int) -> str | None:
    """①..㊿, None beyond 50."""
    if 1 <= i <= 20:
        return chr(0x2460 + i - 1)
    if 21 <= i <= 35:
        return chr(0x3251 + i - 21)
    if 36 <= i <= 50:
        return chr(0x32B1 + i - 36)
    return None


def short(name: str) -> str:
    """福州市 -> 福州, 广西壮族自治区 -> 广西, 连江县 -> 连江 (names of two characters stay)."""
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    if len(name) > 2 and name[-1] in "省市县区盟旗":
        return name[:-1]
    return name


def wan(persons: int, decimals: int) -> str:
    """684800 -> 68.48 (persons must be a multiple of 10**(4-decimals))."""
    return f"{persons / 10000:.{decimals}f}"


def rand_date(rng: random.Random, year: int, m0: int, m1: int) -> dt.date:
    return dt.date(year, rng.randint(m0, m1), rng.randint(1, 28))


# ---------------------------------------------------------------------------------------------
# The line-and-facts document.
# ---------------------------------------------------------------------------------------------
Fact = tuple[Any, ...]


@dataclass
class Doc:
    """Lines of a notice, each with the facts it states; kind says how noise may touch it."""

    lines: list[str] = field(default_factory=list)
    facts: list[list[Fact]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    list_span: list[int] = field(default_factory=list)  # indices of lines inside the named list(s)

    def add(self, text: str, *facts: Fact, kind: str = "para") -> int:
        """Append a line with the facts it states; returns its index."""
        self.lines.append(text)
        self.facts.append(list(facts))
        self.kinds.append(kind)
        if kind in ("item", "heading", "row"):
            self.list_span.append(len(self.lines) - 1)
        return len(self.lines) - 1


@dataclass
class Spec:
    """Everything decided about one notice before its text is written."""

    rng: random.Random
    layout: str
    prov: Province
    city: City | None
    year: int
    sign: dt.date
    encoding: str
    traditional: bool
    pinyin: bool
    html: bool
    sector: tuple[str, str, str] | None = None
    half_parens: bool = False
    zero: str = "〇"
    unit: str = "所"
    truncate: bool = False
    indent: str = ""
    blank_lines: bool = False
    crlf: bool = False
    charset: str = "utf-8"
    s2t: str = "s2t"  # OpenCC config for traditional notices (s2tw for Big5: Taiwan forms)
    title: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def region(self) -> str:
        if self.sector:
            return "全国"
        return self.city[0] if self.city else self.prov["name"]

    @property
    def level(self) -> str:
        if self.sector:
            return "national"
        return "prefecture" if self.city else "province"

    @property
    def scope(self) -> str:
        """全省 / 全市 / 全区 / 全国."""
        if self.sector:
            return "全国"
        if self.city and self.city[0].endswith("盟"):
            return "全盟"
        if self.city or self.prov["name"].endswith("市"):
            return "全市"
        return "全区" if self.prov["name"].endswith("自治区") else "全省"

    @property
    def office(self) -> str:
        """How the body refers to the issuer: 省厅 / 市局 / 区厅."""
        if self.sector:
            return "我局"
        if self.city or self.prov["name"].endswith("市"):
            return "市局"
        return "区厅" if self.prov["name"].endswith("自治区") else "省厅"

    @property
    def news_office(self) -> str:
        """省人社厅 / 市人社局 (劳动保障 before 2009), the way news reports name the department."""
        base = "人社" if self.sign.year >= 2009 else "劳动保障"
        return f"{self.office[0]}{base}{'局' if self.office == '市局' else '厅'}"

    @property
    def issuer(self) -> str:
        if self.sector:
            return self.sector[1]
        dept = "人力资源和社会保障" if self.sign.year >= 2009 else "劳动和社会保障"
        bureau = "局" if self.city or self.prov["name"].endswith("市") else "厅"
        return f"{self.region}{dept}{bureau}"

    def paren(self, s: str) -> str:
        """Brackets in this notice's width (full-width by default)."""
        return s.replace("（", "(").replace("）", ")") if self.half_parens else s

    def doc_number(self, year: int, serial: int | None = None, provincial: bool = False) -> str:
        """发文字号 such as 甘人社通〔2011〕67号 (provincial: the province's number even in a city notice)."""
        rng = self.rng
        serial = serial or rng.randint(3, 420)
        city = self.city if not provincial else None
        if self.sector:
            prefix = self.sector[2]
        else:
            abbr = city[1] if city else rng.choice(self.prov["abbr"])
            dept = "人社" if year >= 2009 else "劳社"
            kinds = (
                ["培", "发", "办", "职"]
                if city
                else ["通", "发", "函", "办", "办发", "办函", "职", "能", "鉴"]
            )
            prefix = abbr + dept + rng.choice(kinds)
        pairs = [("〔", "〕")] * 4 + [("【", "】"), ("[", "]")]
        if self.encoding not in ("big5",):
            pairs.append(("［", "］"))
        left, right = rng.choice(pairs)
        return f"{prefix}{left}{year}{right}{serial}号"

    def date_text(self, d: dt.date) -> str:
        if self.rng.random() < 0.45:
            return cn_date(d, self.zero)
        return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------------------------
# Institutions.
# ---------------------------------------------------------------------------------------------
@dataclass
class Inst:
    name: str
    grade: str
    host: str | None = None
    note: str | None = None
    number: int = 0


def _fill(template: str, prov: Province, city: str) -> str:
    """Fill {c}/{p}/{P}; a leading 省 becomes the short name outside provinces (区/市)."""
    if template.startswith("省") and not prov["name"].endswith("省"):
        template = "{p}" + template[1:]
    return template.format(c=short(city), p=short(prov["name"]), P=prov["name"])


def make_institutions(spec: Spec, n: int, numbered: bool) -> list[Inst]:
    """n institutions with unique names (and hosts for numbered provincial ones), grades assigned."""
    rng, prov = spec.rng, spec.prov
    cities = list(prov["cities"]) or [(prov["name"], "", prov["districts"])]
    if spec.city:
        cities = [spec.city]
    names: list[Inst] = []
    seen: set[str] = set()
    if numbered:
        numbers = sorted(rng.sample(range(1, int(n * 1.4) + 3), n))
        place = prov["name"] if not spec.city else spec.city[0]
        middle = rng.choice(["国家职业技能鉴定所", "国家职业技能鉴定所", "职业技能鉴定所"])
        for k in numbers:
            city = rng.choice(prov["cities"] or cities)[0]
            host = _fill(rng.choice(HOSTS), prov, city)
            names.append(Inst(f"{place}第{cn_num(k)}{middle}", "pass", host, None, k))
    else:
        tries = 0
        while len(names) < n and tries < n * 30:
            tries += 1
            name = _random_name(rng, spec, cities)
            stem = name.rsplit("职业技能", 1)[0].rsplit("技能鉴定", 1)[0].rsplit("鉴定", 1)[0]
            if stem not in seen and "、" not in name:
                seen.add(stem)
                names.append(Inst(name, "pass"))
    for inst in names:
        inst.name = spec.paren(inst.name)
    _assign_grades(rng, names)
    return names


def _random_name(rng: random.Random, spec: Spec, cities: list[City]) -> str:
    """One institution name from the word lists (school, trade, county centre, company, university)."""
    prov = spec.prov
    city, _, counties = rng.choice(cities)
    if spec.sector:
        tpl = rng.choice(SECTOR_NAMES[spec.sector[0]])
        prov = rng.choice(PROVINCES[:26])
        city = rng.choice(prov["cities"])[0]
        return tpl.format(c=short(city), p=short(prov["name"]), P=prov["name"], n=cn_num(rng.randint(1, 60)))
    c_form = rng.choice([city, short(city)]) if city != prov["name"] else city
    r = rng.random()
    if r < 0.34:
        return c_form + rng.choice(SCHOOLS) + rng.choice(SUFFIXES)
    if r < 0.52:
        return (
            rng.choice([city, c_form])
            + rng.choice(TRADES)
            + rng.choice(["职业技能鉴定站", "职业技能鉴定所", "鉴定站"])
        )
    if r < 0.66 and counties:
        county = rng.choice(counties)
        if rng.random() < 0.5:
            return county + rng.choice(
                ["职业技能鉴定指导中心（站）", "职业技能鉴定站", "职业技能鉴定指导中心"]
            )
        place = county if county.endswith("区") else short(county)
        return place + rng.choice(SCHOOLS) + rng.choice(SUFFIXES)
    if r < 0.80:
        return (
            rng.choice([city, c_form]) + rng.choice(ORGS) + rng.choice(["职业技能鉴定站", "职业技能鉴定所"])
        )
    if r < 0.90 and spec.level == "province":
        return prov["name"] + rng.choice(PROV_ORGS + TRADES[:8]) + "职业技能鉴定站"
    uni = _fill(rng.choice(UNIS), prov, city)
    return uni + rng.choice(UNI_DEPTS) + rng.choice(["职业技能鉴定站", "职业技能鉴定所", "技能鉴定站"])


def _assign_grades(rng: random.Random, insts: list[Inst]) -> None:
    """Grade counts drawn per notice (mostly pass), shuffled over the institutions."""
    n = len(insts)
    counts = dict.fromkeys(GRADES, 0)
    if rng.random() < 0.6:
        counts["excellent"] = max(1, int(n * rng.uniform(0.08, 0.25)))
    counts["rectify"] = rng.randint(0 if rng.random() < 0.3 else 1, max(1, n // 9))
    counts["revoked"] = rng.randint(0 if rng.random() < 0.3 else 1, max(1, n // 10))
    if rng.random() < 0.15:
        counts["conditional"] = rng.randint(1, max(1, n // 8))
    if rng.random() < 0.08:
        counts["deregistered"] = rng.randint(1, 3)
    if rng.random() < 0.08:
        counts["suspended"] = rng.randint(1, 2)
    while sum(counts.values()) > n - 1:
        for g in ("excellent", "conditional", "rectify", "revoked", "deregistered", "suspended"):
            if counts[g] and sum(counts.values()) > n - 1:
                counts[g] -= 1
    counts["pass"] = n - sum(counts.values())
    order = list(range(n))
    rng.shuffle(order)
    pos = 0
    for g in GROUP_ORDER:
        for _ in range(counts[g]):
            insts[order[pos]].grade = g
            pos += 1
    for inst in insts:
        if inst.grade in NOTES and inst.host is None and rng.random() < 0.3:
            inst.note = NOTES[inst.grade]


def groups(insts: list[Inst]) -> list[tuple[str, list[Inst]]]:
    """Institutions grouped by grade in attachment order, empty groups left out."""
    out = [(g, [i for i in insts if i.grade == g]) for g in GROUP_ORDER]
    return [(g, members) for g, members in out if members]


def inst_fact(inst: Inst, name: str | None = None, host: bool = True, note: bool = True) -> Fact:
    """The gold fact for an institution as this line shows it (host/note only when printed)."""
    return ("inst", name or inst.name, inst.grade, inst.host if host else None, inst.note if note else None)


# ---------------------------------------------------------------------------------------------
# Volumes of persons appraised / certified.
# ---------------------------------------------------------------------------------------------
def volume_sentences(spec: Spec, k: int) -> list[tuple[str, list[Fact]]]:
    """Up to k sentences stating appraisal volumes, each with its facts; never two figures for one thing."""
    rng, y, s, region = spec.rng, spec.year, spec.scope, spec.region
    big = spec.level == "province" and not spec.prov["name"].endswith("市")
    subs = [c[0] for c in spec.prov["cities"]] if not spec.city else list(spec.city[2])
    subs = subs or list(spec.prov.get("districts", []))
    subs = rng.sample(subs, len(subs))
    out: list[tuple[str, list[Fact]]] = []

    def vol(reg: str, persons: int, qualifier: str, metric: str) -> Fact:
        return ("vol", reg, y, persons, qualifier, metric)

    kinds = rng.sample(["region", "region", "approx", "at_least", "other", "exact_sub"], min(k, 6))
    if "region" in kinds:
        kinds.remove("region")
        kinds = ["region", *[x for x in kinds if x != "region"]]
    for kind in kinds:
        if kind == "region":
            form = rng.choice(["exact", "exact", "wan", "break"])
            if form == "break":
                p = rng.choice([10, 15, 20, 30, 50]) * 10000 if big else rng.choice([1, 2, 3, 5]) * 10000
                text, fact = (
                    f"{s}职业技能鉴定人数突破{p // 10000}万人",
                    vol(region, p, "at_least", "appraised"),
                )
            elif form == "wan":
                p = (
                    rng.randint(80, 900) * 1000 + rng.randint(0, 9) * 100
                    if big
                    else rng.randint(12, 99) * 1000
                )
                w = wan(p, 2 if p % 1000 else 1)
                text, fact = f"{y}年{s}共有{w}万人参加职业技能鉴定", vol(region, p, "exact", "appraised")
            else:
                p = rng.randint(60000, 480000) if big else rng.randint(6000, 90000)
                text = rng.choice(
                    [
                        f"全年{s}共鉴定{p}人",
                        f"{y}年{s}职业技能鉴定人数达到{p}人",
                        f"{y}年{s}共有{p}人参加职业技能鉴定",
                    ]
                )
                fact = vol(region, p, "exact", "appraised")
            facts = [fact]
            if rng.random() < 0.5:
                c = int(p * rng.uniform(0.7, 0.92)) // 100 * 100
                if rng.random() < 0.5:
                    text += f"，{wan(c, 2 if c % 1000 else 1)}万人获得了不同等级的职业资格证书"
                else:
                    c += rng.randint(1, 99)
                    text += f"，其中{c}人取得职业资格证书"
                facts.append(vol(region, c, "exact", "certified"))
            out.append((text, facts))
        elif not subs:
            continue
        elif kind == "approx":
            sub, p = subs.pop(), rng.randint(30, 400) * 100
            text = rng.choice(
                [
                    f"{sub}全年鉴定达到{p}余人",
                    f"{sub}全年共鉴定{p}多人",
                    f"{sub}全年鉴定约{p}人",
                    f"{sub}全年鉴定近{p}人",
                ]
            )
            out.append((text, [vol(sub, p, "approx", "appraised")]))
        elif kind == "at_least":
            chosen = [subs.pop() for _ in range(min(len(subs), rng.randint(1, 4)))]
            p = rng.choice([5000, 10000, 10000, 20000])
            verb = "均超过" if len(chosen) > 1 else "超过"
            out.append(
                (
                    f"{'、'.join(chosen)}全年鉴定人数{verb}{p}人",
                    [vol(c, p, "at_least", "appraised") for c in chosen],
                )
            )
        elif kind == "other":
            sub, p = subs.pop(), rng.randint(800, 9000)
            out.append((f"{sub}全年共鉴定农民工{p}人", [vol(sub, p, "exact", "other")]))
        else:
            sub, p = subs.pop(), rng.randint(2000, 40000)
            out.append((f"{sub}全年共鉴定{p}人", [vol(sub, p, "exact", "appraised")]))
    return out


# ---------------------------------------------------------------------------------------------
# List rendering (attachments).
# ---------------------------------------------------------------------------------------------
def numbering(style: str, i: int) -> str:
    """List-item prefix: 1. / 1、 / (1) / （1） / ① / 1． or nothing."""
    if style == "none":
        return ""
    if style == "circled":
        return circled(i) or f"（{i}）"
    return {"dot": f"{i}.", "dun": f"{i}、", "paren": f"({i})", "fparen": f"（{i}）", "fdot": f"{i}．"}[style]


def host_paren(spec: Spec, host: str) -> str:
    """（…承建） or （承建单位：…）, sometimes after a space."""
    rng = spec.rng
    body = rng.choice([f"{host}承建", f"{host}承建", f"承建单位：{host}"])
    return spec.paren(rng.choice(["", "", " "]) + f"（{body}）")


def render_items(spec: Spec, doc: Doc, members: list[Inst], style: str, start: int) -> int:
    """One line per institution (or several per line when packed); returns the next number."""
    rng = spec.rng
    if style == "packed":
        sep = rng.choice(["、", "；"])
        i = 0
        while i < len(members):
            chunk = members[i : i + rng.randint(2, 6)]
            i += len(chunk)
            names = [m.name for m in chunk]
            end = rng.choice(["", "。", "；"]) if i >= len(members) else sep
            doc.add(
                sep.join(names) + end,
                *(inst_fact(m, nm, host=False) for m, nm in zip(chunk, names, strict=True)),
                kind="item",
            )
        return start + len(members)
    for m in members:
        name = m.name
        line = numbering(style, start) + name
        host = m.host if m.host and style != "bare" else None
        if host:
            line += host_paren(spec, host)
        if m.note:
            line += spec.paren(f"（{m.note}）")
        doc.add(line, inst_fact(m, name, host=bool(host)), kind="item")
        start += 1
    return start


def heading_line(
    spec: Spec, grade: str, n: int, idx: int, with_count: bool, kind_word: str
) -> tuple[str, list[Fact]]:
    """An attachment grade heading such as 二、合格…名单(53所), with its count fact when it has one."""
    rng = spec.rng
    text = rng.choice(HEADINGS[grade]).format(k=kind_word)
    num = rng.choice([f"{cn_num(idx)}、", f"{cn_num(idx)}、", f"（{cn_num(idx)}）", ""])
    if not with_count:
        return num + text, []
    u = spec.unit
    count = rng.choice([f"：{n}{u}", f"({n}{u})", f"（{n}{u}）", f"（共{n}{u}）", f" {n}{u}", f"：共{n}{u}"])
    if rng.random() < 0.15:
        count = count.replace("：", " ：")
    return num + text + count, [("count", grade, n)]


# ---------------------------------------------------------------------------------------------
# Layouts. Each writes into doc and records facts on the lines that state them.
# ---------------------------------------------------------------------------------------------
def chrome_top(spec: Spec, doc: Doc, posted: dt.date | None, date_fact: bool = False) -> None:
    """Breadcrumb and a posting line; date_fact makes the posting date the publish date (news)."""
    rng = spec.rng
    doc.add(rng.choice(CHROME_TOP), kind="chrome")
    if posted:
        facts = [("meta", "publish_date", posted.isoformat())] if date_fact else []
        stamp = rng.choice(
            [
                f"{posted.isoformat()} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
                f"{posted.year}年{posted.month:02d}月{posted.day:02d}日{rng.randint(8, 18):02d}:"
                f"{rng.randint(0, 59):02d}",
                posted.isoformat(),
                posted.strftime("%Y.%m.%d"),
            ]
        )
        src = rng.choice(
            [
                "来源：本站",
                "信息来源：职业技能鉴定指导中心",
                "来源：人民网",
                "来源：" + short(spec.region) + "日报",
                "作者：办公室",
            ]
        )
        doc.add(
            rng.choice(
                [
                    f"发布时间：{stamp} {src} 点击数：{rng.randint(12, 2400)}",
                    f"{stamp}  {src}",
                    f"发布时间:{stamp} 信息来源: 阅读次数: 字号:【",
                ]
            ),
            *facts,
            kind="chrome",
        )


def other_title(spec: Spec) -> str:
    """A plausible neighbouring article title for 上一篇/下一篇."""
    y = spec.year + spec.rng.choice([-1, 1, 2])
    return spec.rng.choice(
        [
            f"关于开展{y}年度职业技能鉴定机构年检工作的通知",
            f"关于公布{y}年职业技能鉴定考评员名单的通知",
            f"{short(spec.region)}召开{y}年职业能力建设工作会议",
            "关于做好职业技能鉴定统计工作的通知",
        ]
    )


def chrome_bottom(spec: Spec, doc: Doc) -> None:
    """Print/close links, 上一篇/下一篇 and similar page furniture."""
    rng = spec.rng
    for line in rng.sample(CHROME_BOTTOM, rng.randint(1, 3)):
        doc.add(line, kind="chrome")
    if rng.random() < 0.6:
        doc.add(f"上一篇：{other_title(spec)}", kind="chrome")
        doc.add(f"下一篇：{other_title(spec)}", kind="chrome")


def intro_line(spec: Spec, total: int | None, insp_year_mode: bool) -> tuple[str, list[Fact]]:
    """根据《…通知》（ref doc）要求… intro, citing the launching notice's doc number as a distractor."""
    rng, y, s = spec.rng, spec.year, spec.scope
    from_province = bool(spec.city) and rng.random() < 0.5
    if from_province:
        s = "全区" if spec.prov["name"].endswith("自治区") else "全省"
    ref = spec.doc_number(y, rng.randint(20, 400), provincial=from_province)
    what = rng.choice(["年检", "年度检查", "检查评估", "年检评估"])
    notice_name = (
        f"《关于开展{s}职业技能鉴定机构{what}工作的通知》"
        if insp_year_mode
        else f"《关于开展{y}年度{s}职业技能鉴定机构{what}工作的通知》"
    )
    when = (
        f"于{y}年{rng.randint(9, 11)}-{rng.randint(11, 12)}月"
        if insp_year_mode
        else rng.choice([f"于{y}年{rng.randint(10, 12)}月", f"于{y + 1}年{rng.randint(1, 2)}月", ""])
    )
    facts: list[Fact] = []
    if total is not None:
        target = f"对{total}{spec.unit}职业技能鉴定机构"
        facts.append(("count", "total", total))
    elif spec.sector:
        target = f"对{spec.scope}{spec.sector[0]}特有工种职业技能鉴定站"
    elif spec.city:
        target = rng.choice(
            [
                f"对{spec.scope}{rng.randint(4, 12)}个县（市、区）相关机构和市属鉴定站",
                f"对{spec.scope}职业技能鉴定机构",
            ]
        )
    else:
        target = rng.choice(
            [
                f"对{spec.scope}{rng.randint(8, 16)}个市（州）相关机构和部分省属鉴定所",
                f"对{spec.scope}职业技能鉴定机构",
            ]
        )
    groups_n = rng.choice(["四", "三", "五"])
    text = (
        f"根据{rng.choice(['省厅', '上级']) if from_province else ''}{notice_name}（{ref}）要求，"
        "在各鉴定机构自查自评的基础上，"
        f"{spec.office}抽调相关人员组成{groups_n}个检查评估小组，{when}{target}进行了{what}。"
        f"现将{what}情况通报如下："
    )
    if insp_year_mode:
        facts.append(("meta", "evaluation_year", y))
    return text, facts


def addressees(spec: Spec) -> str:
    """各市(州)人力资源和社会保障局… fitting the issuer's level."""
    rng = spec.rng
    if spec.city or spec.prov["name"].endswith("市"):
        return rng.choice(
            [
                "各县(市）区人力资源和社会保障局、市鉴定指导中心，市本级鉴定站：",
                "各县（市、区）人力资源和社会保障局，各职业技能鉴定站：",
                "各区人力资源和社会保障局，各职业技能鉴定机构：",
            ]
        )
    if spec.prov["name"].endswith("自治区"):
        return rng.choice(
            [
                "各市人力资源和社会保障局，区直有关单位，各职业技能鉴定机构：",
                "各盟市人力资源和社会保障局，各职业技能鉴定所（站）：",
            ]
        )
    return rng.choice(
        [
            "各市(州)人力资源和社会保障局、各省属国家职业技能鉴定所：",
            "各市人力资源和社会保障局，省直有关单位，各职业技能鉴定机构：",
            "各设区市人力资源社会保障局、各职业技能鉴定所（站）：",
        ]
    )


def count_phrase(spec: Spec, grade: str, n: int) -> str:
    """较好的11所 / 合格的39所 … for prose counts."""
    return spec.rng.choice(PROSE_COUNTS[grade]).format(n=n, u=spec.unit)


def layout_formal(spec: Spec, doc: Doc) -> None:
    """(a) formal 通报 with doc number, sections, signature and an attachment with grade headings."""
    rng, y = spec.rng, spec.year
    insp_year_mode = rng.random() < 0.15 and not spec.sector
    if insp_year_mode:
        spec.sign = rand_date(rng, y, 11, 12)
    province_like = spec.level != "prefecture"
    n = rng.randint(20, 110) if province_like else rng.randint(8, 60)
    numbered = spec.level == "province" and rng.random() < 0.4
    insts = make_institutions(spec, n, numbered)
    grouped = groups(insts)
    doc_no = spec.doc_number(spec.sign.year)
    if rng.random() < 0.35:
        chrome_top(spec, doc, spec.sign + dt.timedelta(days=rng.randint(2, 40)))

    # title, doc number, issuer
    what = rng.choice(["年检情况", "年检结果", "年检评估情况", "检查评估情况", "年度检查情况"])
    form = rng.choice(["通报", "通报", "通报", "公告", "通知", "决定"])
    verb = "公布" if form in ("公告", "通知") else ""
    issuer_in_title = rng.random() < 0.3
    issuer_in_sig = rng.random() < 0.75
    region_in_title = rng.random() < 0.5 or not (issuer_in_title or issuer_in_sig)
    place = spec.region if region_in_title and not spec.sector else spec.scope
    if spec.sector:
        subject = f"{spec.sector[0]}特有工种职业技能鉴定站"
        title = f"关于{y}年度{subject}质量评估结果的通报"
    elif insp_year_mode:
        title = f"关于{spec.region}职业技能鉴定机构{what}的通报"
    else:
        title = f"关于{verb}{y}年度{place}职业技能鉴定机构{what}的{form}"
    if issuer_in_title:
        title = spec.issuer + title
    title_facts: list[Fact] = [("meta", "region", spec.region, spec.level)]
    if spec.sector:
        title_facts.append(("meta", "sector", sector_name(spec.sector[0])))
    if not insp_year_mode:
        title_facts.append(("meta", "evaluation_year", y))
    if issuer_in_title:
        title_facts.append(("meta", "issuer", spec.issuer))
    placement = rng.choice(["above", "above", "after", "below"])
    if placement == "above":
        doc.add(doc_no, ("meta", "doc_number", doc_no), kind="title")
    if placement == "after":
        doc.add(f"{title}（{doc_no}）", *title_facts, ("meta", "doc_number", doc_no), kind="title")
    elif rng.random() < 0.25 and len(title) > 16:
        cut = len(title) // 2
        doc.add(title[:cut], *title_facts, kind="title")
        doc.add(title[cut:], kind="title")
    else:
        doc.add(title, *title_facts, kind="title")
    if placement == "below":
        doc.add(f"（{doc_no}）", ("meta", "doc_number", doc_no), kind="title")
    spec.title = title

    # addressees and intro
    if spec.sector:
        doc.add(
            "各省、自治区、直辖市及新疆生产建设兵团粮食局，有关中央企业："
            if spec.sector[0] == "粮食行业"
            else "各省、自治区、直辖市农业（农牧、农村经济）厅（局、委），有关单位："
        )
    else:
        doc.add(addressees(spec))
    total = len(insts)
    total_in_intro = rng.random() < 0.35
    text, facts = intro_line(spec, total if total_in_intro else None, insp_year_mode)
    doc.add(text, *facts)

    # 一、基本情况 with volumes
    sec_num = rng.choice(["cn", "cn", "paren"])

    def section(i: int, name: str) -> None:
        head = f"{cn_num(i)}、{name}" if sec_num == "cn" else f"（{cn_num(i)}）{name}"
        doc.add(head, kind="section")

    section(1, "基本情况")
    sentences: list[tuple[str, list[Fact]]] = [
        (b.format(y=y, s=spec.scope), []) for b in rng.sample(BASIC, rng.randint(2, 5))
    ]
    for v_text, v_facts in [] if spec.sector else volume_sentences(spec, rng.choice([0, 1, 1, 2, 3, 4])):
        sentences.insert(rng.randint(1, len(sentences)), (v_text + "。", v_facts))
    cut = max(1, len(sentences) // 2)
    for chunk in (sentences[:cut], sentences[cut:]):
        if chunk:
            doc.add("".join(t for t, _ in chunk), *[f for _, fs in chunk for f in fs])
    if rng.random() < 0.25:
        doc.add(
            f"{y}年{spec.scope}共有{rng.randint(5, 14)}个{'县区' if spec.city else '市州'}、"
            f"{rng.randint(5, 25)}个鉴定机构超额完成了全年工作任务。"
        )

    section(2, "存在的主要问题")
    for j, problem in enumerate(rng.sample(PROBLEMS, rng.randint(2, 5)), 1):
        doc.add(f"（{cn_num(j)}）{problem}")

    section(3, rng.choice(["年检结果", "检查评估结果", "年检评估结果", "检查评审结果", "结果"]))
    result_style = rng.choice(["counts", "counts", "gansu", "detail"])
    kind_word = rng.choice(HEADING_KINDS)
    if result_style == "counts":
        parts = "、".join(count_phrase(spec, g, len(m)) for g, m in grouped)
        lead = rng.random() < 0.6
        if lead and not total_in_intro:
            doc.add(
                f"参加{rng.choice(['年检', '检查评审', '检查评估'])}的{total}{spec.unit}职业技能鉴定机构中，"
                f"{parts}（详见附件）。",
                ("count", "total", total),
                *[("count", g, len(m)) for g, m in grouped],
            )
        else:
            doc.add(
                f"{rng.choice(['年检结果为：', '经综合评定，', ''])}{parts}（详见附件）。",
                *[("count", g, len(m)) for g, m in grouped],
            )
    elif result_style == "gansu":
        for j, (g, members) in enumerate(grouped, 1):
            first = members[0]
            many = f"{first.name}等{len(members)}个{kind_word}" if len(members) > 1 else first.name
            outcome = GANSU[g].format(x=many, y=y, y1=y + 1, label=rng.choice(CELLS[g]), k=kind_word)
            facts = [inst_fact(first, host=False, note=False)]
            if len(members) > 1:
                facts.append(("count", g, len(members)))
            doc.add(f"（{cn_num(j)}）{outcome}；", *facts)
    else:
        doc.add(
            f"根据机构自查和{spec.office}现场检查评估的有关情况，确定{spec.scope}鉴定机构的年检结果（详见附件）。"
        )
    section(4, rng.choice(["下一步工作要求", "有关要求", "工作要求"]))
    for req in rng.sample(REQUIREMENTS, rng.randint(2, 4)):
        doc.add(req.format(o=spec.office))
    att_title = (
        f"{spec.region if not spec.sector else spec.sector[0]}职业技能鉴定机构{y}年度年检结果"
        if not insp_year_mode
        else f"{spec.region}职业技能鉴定机构年检评估结果"
    )
    doc.add(f"附件：{att_title}")
    if issuer_in_sig:
        doc.add(spec.issuer, ("meta", "issuer", spec.issuer), kind="sig")
    doc.add(spec.date_text(spec.sign), ("meta", "publish_date", spec.sign.isoformat()), kind="sig")
    if rng.random() < 0.3:
        doc.add("（此件主动公开）")
    doc.add(rng.choice(["附件：", "附件:", "附件"]))
    doc.add(att_title)
    _attachment(spec, doc, grouped, kind_word)
    if rng.random() < 0.3:
        doc.add(
            f"抄送：{rng.choice(['省人力资源和社会保障厅', '人力资源和社会保障部职业技能鉴定中心'])}，"
            f"{spec.office}职业技能鉴定指导中心。"
        )
        printed = spec.sign + dt.timedelta(days=rng.randint(1, 6))
        doc.add(f"{spec.issuer}办公室     {printed.year}年{printed.month}月{printed.day}日印发")


def _attachment(spec: Spec, doc: Doc, grouped: list[tuple[str, list[Inst]]], kind_word: str) -> None:
    """Attachment list: grade headings (counted or not) and items, packed lines or a flattened table."""
    rng = spec.rng
    style = rng.choice(["lines", "lines", "lines", "lines", "packed", "flat_table"])
    if style == "flat_table":
        sep = rng.choice(["\t", "  ", "   ", " "])
        cols = ["序号", "机构名称", "承建单位", "等次"]
        with_host = any(i.host for _, m in grouped for i in m)
        if not with_host:
            cols.remove("承建单位")
        doc.add(sep.join(cols), kind="heading")
        rows = [i for _, m in grouped for i in m]
        if rng.random() < 0.4:
            rows.sort(key=lambda i: i.number or 0)
        labels = {g: rng.choice(CELLS[g]) for g in GRADES}
        for k, inst in enumerate(rows, 1):
            name = inst.name
            cells = [str(k), name] + ([inst.host or "—"] if with_host else []) + [labels[inst.grade]]
            doc.add(sep.join(cells), inst_fact(inst, name, note=False), kind="row")
        return
    num_style = rng.choice(["none", "none", "dot", "dun", "paren", "fparen", "circled", "fdot"])
    if num_style == "circled" and spec.encoding == "big5" and sum(len(m) for _, m in grouped) > 10:
        num_style = "fparen"  # Big5 has only ①..⑩
    with_count = rng.random() < 0.75
    restart = rng.random() < 0.6
    # grade -> city -> items (a provincial notice)
    by_city = style == "lines" and not spec.city and not spec.sector and rng.random() < 0.2
    start = 1
    drop = rng.random() < 0.04
    for j, (g, members) in enumerate(grouped, 1):
        text, facts = heading_line(spec, g, len(members), j, with_count, kind_word)
        doc.add(text, *facts, kind="heading")
        if drop and with_count and len(members) >= 3:
            members = members[:-1]  # stated count says one more than the list holds
            drop = False
            spec.notes.append(f"heading states {len(members) + 1} {g} but lists {len(members)}")
        if restart:
            start = 1
        if by_city and len(members) >= 4:
            start = _render_by_city(spec, doc, members, num_style, start)
            continue
        start = render_items(spec, doc, members, "packed" if style == "packed" else num_style, start)


CITY_HEADINGS = ("{c}：", "【{c}】", "{c}", "{c}（{n}个）：", "（{k}）{c}")


def _render_by_city(spec: Spec, doc: Doc, members: list[Inst], num_style: str, start: int) -> int:
    """Items of one grade under city sub-headings (a city is no institution; domain.md)."""
    rng = spec.rng
    cities = [c[0] for c in spec.prov["cities"]] or list(spec.prov["districts"]) or [spec.prov["name"]]
    form = rng.choice(CITY_HEADINGS)
    cut = sorted(rng.sample(range(1, len(members)), min(len(cities), len(members) - 1, rng.randint(1, 3))))
    chunks = [members[a:b] for a, b in zip([0, *cut], [*cut, len(members)], strict=True)]
    for k, (city, chunk) in enumerate(zip(rng.sample(cities, len(cities)) * 4, chunks, strict=False), 1):
        doc.add(form.format(c=city, n=len(chunk), k=cn_num(k)), kind="heading")
        start = render_items(spec, doc, chunk, num_style, start)
    return start


def layout_inline(spec: Spec, doc: Doc) -> None:
    """(b) prose with inline lists: "A、B、C等3个鉴定所被撤销"."""
    rng, y = spec.rng, spec.year
    n = rng.randint(15, 120) if spec.level == "province" else rng.randint(8, 60)
    insts = make_institutions(spec, n, False)
    for inst in insts:  # keep inline lists short
        if inst.grade not in ("pass",) and sum(i.grade == inst.grade for i in insts) > 7:
            inst.grade = "pass"
    grouped = groups(insts)
    formal = rng.random() < 0.65
    doc_no = spec.doc_number(spec.sign.year) if formal else None
    if rng.random() < 0.3 or not formal:
        chrome_top(spec, doc, spec.sign if not formal else None, date_fact=not formal)
    title = rng.choice(
        [
            f"关于{y}年度{spec.region}职业技能鉴定机构年检结果的通报",
            f"关于{spec.region}{y}年度职业技能鉴定所（站）年检情况的通报",
            f"{spec.region}公布{y}年度职业技能鉴定机构年检结果",
        ]
    )
    doc.add(title, ("meta", "region", spec.region, spec.level), ("meta", "evaluation_year", y), kind="title")
    spec.title = title
    if doc_no:
        doc.add(doc_no, ("meta", "doc_number", doc_no), kind="title")
        doc.add(addressees(spec))
    total = len(insts)
    sentences: list[tuple[str, list[Fact]]] = []
    if rng.random() < 0.6:
        sentences.append(
            (f"{y}年度{spec.scope}共有{total}个职业技能鉴定机构参加年检", [("count", "total", total)])
        )
    for g, members in grouped:
        if g == "pass":
            if rng.random() < 0.6:
                sentences.append((f"{len(members)}个鉴定机构年检合格", [("count", "pass", len(members))]))
            continue
        named = members if rng.random() < 0.8 else members[: max(1, len(members) // 2)]
        names = "、".join(m.name for m in named)
        facts: list[Fact] = [inst_fact(m, host=False, note=False) for m in named]
        say_count = len(members) > 1 and (rng.random() < 0.75 or len(named) < len(members))
        noun = rng.choice(["个鉴定所", "个鉴定机构", "家鉴定站", "个单位"])
        count_txt = f"等{len(members)}{noun}" if say_count else ""
        if say_count:
            facts.append(("count", g, len(members)))
        if rng.random() < 0.5:
            sentences.append((f"{names}{count_txt}{rng.choice(INLINE_VERBS[g])}", facts))
        else:
            sentences.append((f"对{names}{count_txt}{INLINE_OBJ[g]}", facts))
    body_lead = rng.choice(["经审核，", "经检查评估，", "经研究决定，", ""])
    intro = (
        f"{spec.office if formal else spec.news_office}组织对{spec.scope}职业技能鉴定机构进行了{y}年度年检，"
        f"{rng.choice(BASIC[1:4])}"
    )
    doc.add(intro)
    joined = "；".join(s for s, _ in sentences)
    doc.add(body_lead + joined + "。", *[f for _, fs in sentences for f in fs])
    vols = volume_sentences(spec, rng.choice([0, 0, 1, 2]))
    if vols:
        doc.add("；".join(t for t, _ in vols) + "。", *[f for _, fs in vols for f in fs])
    for req in rng.sample(REQUIREMENTS, rng.randint(1, 3)):
        doc.add(req.format(o=spec.office))
    if formal:
        doc.add(spec.issuer, ("meta", "issuer", spec.issuer), kind="sig")
        doc.add(spec.date_text(spec.sign), ("meta", "publish_date", spec.sign.isoformat()), kind="sig")


def layout_news(spec: Spec, doc: Doc) -> None:
    """(c) news report: counts only, maybe one grade listed (numbered, like a forum repost)."""
    rng, y = spec.rng, spec.year
    n = rng.randint(40, 260) if spec.level == "province" else rng.randint(10, 70)
    insts = make_institutions(spec, n, False)
    grouped = groups(insts)
    dated = rng.random() < 0.75
    if rng.random() < 0.7:
        chrome_top(spec, doc, spec.sign if dated else None, date_fact=dated)
    elif dated:
        doc.add(
            f"{spec.sign.year}年{spec.sign.month:02d}月{spec.sign.day:02d}日 {short(spec.region)}新闻网",
            ("meta", "publish_date", spec.sign.isoformat()),
            kind="chrome",
        )
    by = dict(grouped)
    hot = "revoked" if "revoked" in by else "rectify" if "rectify" in by else None
    headline = (
        f"{short(spec.region)}{len(by[hot])}个职业技能鉴定机构被{'撤销' if hot == 'revoked' else '限期整改'}"
        if hot
        else f"{spec.region}{y}年度职业技能鉴定机构年检结果出炉"
    )
    title_facts: list[Fact] = [("meta", "region", spec.region, spec.level)]
    doc.add(headline, *title_facts, kind="title")
    spec.title = headline
    lead = (
        f"记者从{spec.news_office}了解到，{y}年度{spec.scope}职业技能鉴定机构年检工作日前结束，"
        f"通过对{spec.scope}职业技能鉴定机构的年度检查，"
    )
    lead_facts: list[Fact] = [("meta", "evaluation_year", y)]
    if hot and rng.random() < 0.7:
        lead += f"{len(by[hot])}个职业技能鉴定机构{'被撤销' if hot == 'revoked' else '被要求限期整改'}。"
        lead_facts.append(("count", hot, len(by[hot])))
    else:
        lead += "大部分鉴定机构管理规范。"
    doc.add(lead, *lead_facts)
    vols = volume_sentences(spec, rng.choice([0, 1, 2, 2, 3]))
    total_said = rng.random() < 0.7
    body = "；".join(t for t, _ in vols) + ("。" if vols else "")
    facts = [f for _, fs in vols for f in fs]
    if total_said:
        body += f"截至{y}年底，{spec.scope}共设立职业技能鉴定机构{n}个。"
        facts.append(("count", "total", n))
    doc.add(body, *facts)
    parts = [rng.choice(NEWS_COUNTS[g]).format(n=len(m)) for g, m in grouped]
    doc.add(
        f"{spec.news_office}通过资料审查、现场抽查、综合评审等形式对所有职业技能鉴定机构进行年检，发现一些问题。"
        f"{rng.choice(PROBLEMS).split('。', 1)[1]}最终，{'；'.join(parts)}。",
        *[("count", g, len(m)) for g, m in grouped],
    )
    if hot and rng.random() < 0.6:
        doc.add(f"这些鉴定机构{'被撤销' if hot == 'revoked' else '被限期整改'}", kind="heading")
        style = rng.choice(["dot", "dot", "dun", "none"])
        render_items(spec, doc, by[hot], style, 1)
    elif rng.random() < 0.5:
        doc.add(rng.choice(REQUIREMENTS).format(o=spec.office.replace("省厅", "省人社厅")))
    if rng.random() < 0.5:
        doc.add(f"（记者 {rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}）")


def layout_named_one(spec: Spec, doc: Doc) -> None:
    """(e) "X等10家单位被评为年检优秀单位": one named of many, plus a short named group."""
    rng, y = spec.rng, spec.year
    n = rng.randint(25, 120) if spec.level == "province" else rng.randint(12, 60)
    insts = make_institutions(spec, n, False)
    by = dict(groups(insts))
    if len(by.get("excellent", [])) < 3:
        for i in [i for i in insts if i.grade == "pass"][: max(3, n // 8)]:
            i.grade = "excellent"
        by = dict(groups(insts))
    bad = next((g for g in ("rectify", "revoked", "suspended") if g in by and len(by[g]) <= 6), None)
    dated = rng.random() < 0.8
    chrome_top(spec, doc, spec.sign if dated else None, date_fact=dated)
    head = (
        f"{short(spec.region)}{len(by[bad])}家职业技能鉴定站{HEADLINE[bad]}"
        if bad
        else f"{spec.region}{y}年度职业技能鉴定质量管理检查结束"
    )
    doc.add(head, ("meta", "region", spec.region, spec.level), kind="title")
    spec.title = head
    first_facts: list[Fact] = [("meta", "evaluation_year", y)]
    text = f"{y}年度{spec.region}职业技能鉴定质量管理检查及年检工作近期结束"
    if bad:
        first_facts += [inst_fact(by[bad][0], host=False, note=False), ("count", bad, len(by[bad]))]
        text += f"，{by[bad][0].name}等{len(by[bad])}家职业技能鉴定所(站){rng.choice(INLINE_VERBS[bad])}"
    doc.add(text + "。", *first_facts)
    exc = by["excellent"]
    facts: list[Fact] = [inst_fact(exc[0], host=False, note=False), ("count", "excellent", len(exc))]
    total_txt = ""
    if rng.random() < 0.6:
        total_txt = f"对{spec.scope}{n}家职业技能鉴定所(站)"
        facts.append(("count", "total", n))
    else:
        total_txt = f"对{spec.scope}职业技能鉴定所(站)"
    body = (
        f"近期，{spec.news_office}和{spec.scope[1]}职业技能鉴定指导中心组成检查组"
        f"{total_txt}从管理服务等方面进行了全面检查和综合评定。经检查发现，大多数鉴定机构工作能坚持职业技能鉴定"
        f"相关政策、法规、职业标准，财务管理和收费标准规范，{exc[0].name}等{len(exc)}家单位被评为年检优秀单位。"
    )
    if bad:
        names = "、".join(m.name for m in by[bad])
        body += (
            f"但个别鉴定机构基础管理工作薄弱，账目混乱，其中{names}在基础管理、财务管理等方面存在较严重问题，"
            f"{rng.choice(INLINE_VERBS[bad])}。"
        )
        facts += [inst_fact(m, host=False, note=False) for m in by[bad]]
    doc.add(body, *facts)
    if rng.random() < 0.5:
        doc.add(f"（记者 {rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}）")
    spec.notes.append(f"only 1 of {len(exc)} excellent institutions is named")


TABLE_CSS = [
    'border="1" cellspacing="0" cellpadding="2"',
    'class="MsoNormalTable" width="600"',
    'style="border-collapse:collapse"',
]


# Extra table columns (header, values): none of them is a host.
EXTRA_COLUMNS: dict[str, tuple[str, list[str]]] = {
    "city": ("市（州）", ["省直", "市本级", "城区"]),
    "supervisor": ("主管部门", ["省人社厅", "省教育厅", "市人社局", "省经信委"]),
    "type": ("机构类型", ["用人单位", "院校", "社会培训评价组织"]),
}
# The remark that makes a 不合格 row's final outcome a sanction (domain.md: the final one).
REMARK_SANCTIONS = {
    "revoked": "撤销鉴定资格",
    "suspended": "暂停鉴定业务六个月",
    "deregistered": "注销鉴定许可证",
}


def layout_table(spec: Spec, doc: Doc) -> None:
    """(d) HTML page, the list in a <table> with columns 序号/机构名称/承建单位/等次."""
    rng, y = spec.rng, spec.year
    n = rng.randint(15, 100) if spec.level == "province" else rng.randint(8, 50)
    numbered = spec.level == "province" and rng.random() < 0.5
    insts = make_institutions(spec, n, numbered)
    grouped = groups(insts)
    charset = {
        "utf-8": "utf-8",
        "utf-8-sig": "utf-8",
        "gb18030": rng.choice(["gbk", "GBK", "gb2312", "gb18030"]),
        "big5": "big5",
        "utf-16": "utf-16",
    }[spec.encoding]
    title = f"关于公布{y}年度{spec.region}职业技能鉴定机构年检结果的{rng.choice(['通知', '公告', '通报'])}"
    spec.title = title
    doc_no = spec.doc_number(spec.sign.year) if rng.random() < 0.7 else None
    posted = spec.sign + dt.timedelta(days=rng.randint(0, 20))
    add = doc.add
    add('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">', kind="html")
    add(f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">', kind="html")
    add(f"<title>{title}_{short(spec.region)}人力资源和社会保障网</title></head>", kind="html")
    add(
        '<body><div class="nav">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>',
        kind="html",
    )
    add(
        f"<h1>{title}</h1>",
        ("meta", "region", spec.region, spec.level),
        ("meta", "evaluation_year", y),
        kind="html",
    )
    add(f'<div class="info">发布日期：{posted.isoformat()} 来源：{spec.office}</div>', kind="html")
    add('<div class="content">', kind="html")
    if doc_no:
        add(f'<p align="center">{doc_no}</p>', ("meta", "doc_number", doc_no), kind="html")
    add(f"<p>{addressees(spec)}</p>", kind="html")
    intro, facts = intro_line(spec, len(insts) if rng.random() < 0.4 else None, False)
    add(f"<p>　　{intro}</p>", *facts, kind="html")
    if rng.random() < 0.6:
        parts = "、".join(count_phrase(spec, g, len(m)) for g, m in grouped)
        add(
            f"<p>　　经综合评定，{parts}。具体名单见下表。</p>",
            *[("count", g, len(m)) for g, m in grouped],
            kind="html",
        )
    vols = volume_sentences(spec, rng.choice([0, 0, 1, 2]))
    if vols:
        add(
            "<p>　　" + "；".join(t for t, _ in vols) + "。</p>",
            *[f for _, fs in vols for f in fs],
            kind="html",
        )
    with_host = numbered or rng.random() < 0.5
    grade_head = rng.choice(["等次", "年检结果", "评估等次", "年检等次"])
    # extra columns real tables carry, which are never the host (domain.md): a city, a supervising
    # department, an institution type; and a remark that may hold the final sanction
    extra = [c for c in EXTRA_COLUMNS if rng.random() < 0.25]
    remark = rng.random() < 0.3
    cols = (
        ["序号"]
        + [EXTRA_COLUMNS[c][0] for c in extra if c == "city"]
        + ["机构名称"]
        + (["承建单位"] if with_host else [])
        + [EXTRA_COLUMNS[c][0] for c in extra if c != "city"]
        + [grade_head]
        + (["备注"] if remark else [])
    )
    add(f"<table {rng.choice(TABLE_CSS)}>", kind="heading")
    add("<tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr>", kind="heading")
    rows = [i for _, m in grouped for i in m]
    if rng.random() < 0.35:
        rows.sort(key=lambda i: i.number or 0)
    labels = {g: rng.choice(CELLS[g]) for g in GRADES}
    padded = rng.random() < 0.4
    for k, inst in enumerate(rows, 1):
        host = inst.host if with_host else None
        host_cell = rng.choice(["", "&nbsp;", "—", "/"]) if with_host and not host else host or ""
        outcome, note = labels[inst.grade], ""
        if remark and inst.grade in REMARK_SANCTIONS:
            outcome, note = "不合格", REMARK_SANCTIONS[inst.grade]  # the remark holds the final outcome
        elif remark and inst.grade == "rectify":
            note = "整改期三个月"
        cells = (
            [str(k)]
            + [rng.choice(EXTRA_COLUMNS[c][1]) for c in extra if c == "city"]
            + [inst.name]
            + ([host_cell] if with_host else [])
            + [rng.choice(EXTRA_COLUMNS[c][1]) for c in extra if c != "city"]
            + [outcome]
            + ([note or "—"] if remark else [])
        )
        if padded:
            row = "<tr>\n" + "".join(f"  <td>\n    {c}\n  </td>\n" for c in cells) + "</tr>"
        else:
            row = "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        add(row, ("inst", inst.name, inst.grade, host, None), kind="row")
    add("</table>", kind="heading")
    if rng.random() < 0.7:
        add(f'<p align="right">{spec.issuer}</p>', ("meta", "issuer", spec.issuer), kind="html")
    add(
        f'<p align="right">{spec.date_text(spec.sign)}</p>',
        ("meta", "publish_date", spec.sign.isoformat()),
        kind="html",
    )
    add(
        '</div><div class="foot">【<a href="javascript:window.print()">打印本页</a>】'
        '【<a href="javascript:window.close()">关闭窗口</a>】</div>',
        kind="html",
    )
    add("</body></html>", kind="html")


# ---------------------------------------------------------------------------------------------
# Look-alikes that are not results notices (gold relevant=false, nothing extracted).
# ---------------------------------------------------------------------------------------------
def layout_announcement(spec: Spec, doc: Doc) -> None:
    """关于开展…年检工作的通知: targets counted, rules given, no result."""
    rng, y = spec.rng, spec.year
    spec.sign = rand_date(rng, y, 10, 12)
    title = f"关于开展{y}年度{spec.scope}职业技能鉴定机构年检工作的通知"
    spec.title = title
    doc.add(title, kind="title")
    doc.add(spec.doc_number(y), kind="title")
    doc.add(addressees(spec))
    doc.add(
        f"为进一步加强职业技能鉴定机构管理，提高鉴定质量，根据《职业技能鉴定规定》，决定对{spec.scope}职业技能鉴定机构开展"
        f"{y}年度年检工作。现将有关事项通知如下："
    )
    total = rng.randint(40, 300)
    a, b = rng.randint(10, total // 2), rng.randint(5, total // 3)
    doc.add("一、年检对象", kind="section")
    kinds = (
        ("市属鉴定站", "县（市、区）鉴定站")
        if spec.city
        else ("省属国家职业技能鉴定所", "市（州）职业技能鉴定站")
    )
    doc.add(
        f"{spec.scope}现有职业技能鉴定机构{total}个，其中{kinds[0]}{a}个、{kinds[1]}{b}个、"
        f"行业鉴定站{total - a - b}个，均须参加年检。"
        f"建所不满一年的{rng.randint(2, 9)}个鉴定所本次不列入年检对象。"
    )
    doc.add("二、年检内容", kind="section")
    for j, item in enumerate(ANNOUNCE_ITEMS, 1):
        doc.add(f"（{cn_num(j)}）{item}")
    doc.add("三、时间安排", kind="section")
    doc.add(f"各鉴定机构于{y + 1}年1月15日前完成自查，{spec.office}于{y + 1}年3月底前组织现场检查。")
    doc.add("四、结果运用", kind="section")
    doc.add("年检结果分为优秀、合格、不合格三个等次。对年检不合格的限期整改，整改后仍不合格的予以撤销。")
    doc.add(spec.issuer)
    doc.add(spec.date_text(spec.sign))
    spec.notes.append("irrelevant: announcement of an upcoming inspection, no results")


def layout_award(spec: Spec, doc: Doc) -> None:
    """表彰先进单位: appraisal institutions named, but as award winners."""
    rng, y = spec.rng, spec.year
    title = f"关于表彰{y}年度{spec.scope}职业技能鉴定工作先进单位和先进个人的决定"
    spec.title = title
    doc.add(title, kind="title")
    doc.add(spec.doc_number(spec.sign.year), kind="title")
    units = make_institutions(spec, rng.randint(5, 20), False)
    people = rng.randint(5, 20)
    doc.add(
        f"{y}年，{spec.scope}职业技能鉴定工作取得显著成绩，涌现出一批先进单位和先进个人。为表彰先进，决定授予"
        f"{units[0].name}等{len(units)}个单位“{y}年度{spec.scope}职业技能鉴定工作先进单位”称号，授予"
        f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}等{people}名同志“先进个人”称号。"
    )
    doc.add(f"一、先进单位（{len(units)}个）", kind="section")
    for u in units:
        doc.add(u.name)
    doc.add(f"二、先进个人（{people}名）", kind="section")
    for _ in range(people):
        doc.add(f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}  {rng.choice(units).name}")
    doc.add(spec.issuer)
    doc.add(spec.date_text(spec.sign))
    spec.notes.append("irrelevant: award (先进单位 表彰), not an inspection result")


def layout_training(spec: Spec, doc: Doc) -> None:
    """民办职业培训机构 evaluation results: same shape, other kind of institution."""
    rng, y = spec.rng, spec.year
    title = f"关于公布{y}年度{spec.region}民办职业培训机构评估结果的通知"
    spec.title = title
    doc.add(title, kind="title")
    doc.add(spec.doc_number(spec.sign.year), kind="title")
    a, b, c, bad = rng.randint(10, 70), rng.randint(10, 80), rng.randint(5, 40), rng.randint(3, 30)
    doc.add(
        f"根据《关于开展{y}年民办职业培训机构评估工作的通知》统一部署，组织了{spec.scope}民办职业培训机构评估。现将评估结果予以公布："
    )
    doc.add(
        f"{y}年度，{a + b + c}家民办职业培训机构经评估达到合格以上类别，"
        f"其中A类民办职业培训机构{a}家、B类{b}家、"
        f"C类{c}家；评估不合格以及未参加评估或申请注销的{bad}家。"
    )
    doc.add("附件：民办职业培训机构评估结果")
    city = spec.city[0] if spec.city else rng.choice(spec.prov["cities"] or [(spec.prov["name"], "", [])])[0]
    for k in range(rng.randint(8, 30)):
        name = f"{short(city)}{rng.choice('华新金博明创')}{rng.choice('才达远智艺能')}职业培训学校"
        doc.add(f"{k + 1}. {name}  {rng.choice('ABC')}类")
    doc.add(spec.issuer)
    doc.add(spec.date_text(spec.sign))
    spec.notes.append(
        "irrelevant: results for 民办职业培训机构 (training schools), not appraisal institutions"
    )


def layout_admission(spec: Spec, doc: Doc) -> None:
    """新批准 / 现场评估 for approval: new institutions, not an inspection of existing ones."""
    rng = spec.rng
    units = make_institutions(spec, rng.randint(3, 12), False)
    title = f"关于新批准设立{len(units)}个职业技能鉴定站的通知"
    spec.title = title
    doc.add(title, kind="title")
    doc.add(spec.doc_number(spec.sign.year), kind="title")
    doc.add(
        f"经申报、专家现场评估和审核，以下{len(units)}个单位具备设立职业技能鉴定站的条件，准予设立，有效期四年："
    )
    for k, u in enumerate(units, 1):
        doc.add(f"{k}、{u.name}（鉴定工种：{rng.choice(TRADES)}、{rng.choice(TRADES)}）")
    doc.add(spec.issuer)
    doc.add(spec.date_text(spec.sign))
    spec.notes.append("irrelevant: admission of new institutions (新批准), not an annual inspection")


def layout_qualitative(spec: Spec, doc: Doc) -> None:
    """A news item that an evaluation finished, with no grade, count, name or volume."""
    rng, y = spec.rng, spec.year
    title = f"{spec.region}完成{y}年职业技能鉴定质量评估"
    spec.title = title
    chrome_top(spec, doc, spec.sign)
    doc.add(title, kind="title")
    doc.add(
        f"近日从{spec.news_office}获悉，{'我市' if spec.city else '我省'}"
        f"{y}年职业技能鉴定质量评估工作已完成。"
        "本次质量评估着重对制度建设、机构能力建设、考务管理、档案管理、鉴定收费等方面进行评估。"
    )
    doc.add(
        "评估结果表明，各鉴定机构能牢牢把握工作主线，不断加强制度建设，不断创新工作方式，职业技能鉴定管理工作均取得明显成效。"
    )
    doc.add(rng.choice(BASIC[1:]))
    spec.notes.append("irrelevant: qualitative summary, no grade, count, name or volume")


LAYOUTS = {
    "formal": layout_formal,
    "inline": layout_inline,
    "news": layout_news,
    "table": layout_table,
    "named_one": layout_named_one,
    "irrelevant_announcement": layout_announcement,
    "irrelevant_award": layout_award,
    "irrelevant_training": layout_training,
    "irrelevant_admission": layout_admission,
    "irrelevant_qualitative": layout_qualitative,
}
LAYOUT_WEIGHTS = {
    "formal": 44,
    "inline": 12,
    "news": 13,
    "table": 12,
    "named_one": 9,
    "irrelevant_announcement": 3,
    "irrelevant_award": 2,
    "irrelevant_training": 2,
    "irrelevant_admission": 2,
    "irrelevant_qualitative": 1,
}


# ---------------------------------------------------------------------------------------------
# Noise, rendering, script and encoding.
# ---------------------------------------------------------------------------------------------
_CONVERTERS: dict[str, opencc.OpenCC] = {}


def convert(text: str, config: str) -> str:
    """OpenCC conversion with cached converters ('s2t', 's2tw', 's2hk', 't2s')."""
    if config not in _CONVERTERS:
        _CONVERTERS[config] = opencc.OpenCC(config)
    return _CONVERTERS[config].convert(text)


def junk(rng: random.Random) -> str:
    """Forum anti-scraping junk such as "3 _8 z5 Y; Q. R! z' E"."""
    tokens = []
    for _ in range(rng.randint(3, 9)):
        token = rng.choice(JUNK_ALPHABET)
        if rng.random() < 0.6:
            token += rng.choice(JUNK_ALPHABET)
        tokens.append(token)
    return " ".join(tokens)


WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "！": "!", "？": "?"})
ALL_PLACES = [c[0] for p in PROVINCES for c in p["cities"]] + [
    x for p in PROVINCES for c in p["cities"] for x in c[2]
]


def add_noise(spec: Spec, doc: Doc, flags: list[str]) -> None:
    """Decorate lines in place: anti-scrape junk at line starts/ends, half-width punctuation, blanks."""
    rng = spec.rng
    for i, line in enumerate(doc.lines):
        kind = doc.kinds[i]
        if not line or kind == "html":
            continue
        if "width" in flags and kind in ("para", "section", "heading", "sig") and rng.random() < 0.5:
            line = line.translate(WIDTH)
        if "junk" in flags:
            if rng.random() < 0.45:
                line = junk(rng) + " " + line
            if rng.random() < 0.25:
                line = line + rng.choice(["", " "]) + junk(rng)
        if "trailing" in flags and rng.random() < 0.1:
            line += rng.choice([" ", "　", " \u00a0" if spec.encoding != "big5" else "  "])
        doc.lines[i] = line


def seo_tail(rng: random.Random) -> str:
    """SEO spam tail: place names separated by |."""
    words = rng.sample(ALL_PLACES, rng.randint(20, 40))
    for extra in rng.sample(SEO_EXTRA, 2):
        words.insert(rng.randrange(len(words)), extra)
    return "| ".join(words) + "|"


def render(spec: Spec, doc: Doc, truncated: bool) -> str:
    """Lines -> text (plain or a simple HTML page)."""
    rng = spec.rng
    if spec.layout == "table":
        return "\n".join(doc.lines) + ("" if truncated else "\n")
    if spec.html:
        out = [
            "<html>",
            "<head>",
            f'<meta charset="{spec.charset}">',
            f"<title>{spec.title}</title>",
            "</head>",
            "<body>",
        ]
        brs = rng.random() < 0.3
        for line, kind in zip(doc.lines, doc.kinds, strict=True):
            if kind == "chrome":
                out.append(f'<div class="bar">{line}</div>')
            elif kind == "title":
                out.append(f'<h2 style="text-align:center">{line}</h2>')
            elif brs:
                out.append(f"{line}<br/>")
            else:
                out.append(f"<p>{spec.indent}{line}</p>")
        if not truncated:
            out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"
    parts = []
    for line, kind in zip(doc.lines, doc.kinds, strict=True):
        parts.append(spec.indent + line if kind == "para" and line else line)
    sep = "\n\n" if spec.blank_lines else "\n"
    text = sep.join(parts) + ("" if truncated else "\n")
    return text.replace("\n", "\r\n") if spec.crlf else text


def annotate_pinyin(simplified: str, traditional: str) -> str:
    """Append (pinyin) after every converted character the table knows, like some web converters."""
    if len(simplified) != len(traditional):
        return traditional
    out = []
    for a, b in zip(simplified, traditional, strict=True):
        out.append(b)
        if a != b and b in PINYIN:
            out.append(f"({PINYIN[b]})")
    return "".join(out)


def roundtrips(gold: dict[str, Any], config: str) -> bool:
    """True when every gold string survives s2t -> t2s unchanged (so traditional text stays gradable)."""
    strings = [gold.get("issuer") or "", gold.get("doc_number") or ""]
    strings += [i["name"] for i in gold["institutions"]] + [i["host"] or "" for i in gold["institutions"]]
    blob = "\n".join(strings)
    return convert(convert(blob, config), "t2s") == blob


# ---------------------------------------------------------------------------------------------
# Gold.
# ---------------------------------------------------------------------------------------------
def collect_gold(doc: Doc, relevant: bool, notes: list[str]) -> dict[str, Any]:
    """Gold (GOLD_SCHEMA.md) from the facts of the lines present in the text."""
    meta: dict[str, Any] = {}
    counts: dict[str, int] = {}
    insts: dict[str, dict[str, Any]] = {}
    vols: list[dict[str, Any]] = []
    for facts in doc.facts:
        for f in facts:
            if f[0] == "meta":
                value = {"name": f[2], "level": f[3]} if f[1] == "region" else f[2]
                meta.setdefault(f[1], value)
            elif f[0] == "count":
                if counts.setdefault(f[1], f[2]) != f[2]:
                    raise ValueError(f"conflicting stated counts for {f[1]}: {counts[f[1]]} vs {f[2]}")
                counts[f[1]] = f[2]
            elif f[0] == "inst":
                _, name, grade, host, note = f
                cur = insts.get(name)
                if cur is None:
                    insts[name] = {"name": name, "grade": grade, "host": host, "note": note}
                else:
                    if cur["grade"] != grade:
                        raise ValueError(f"{name} listed with two grades")
                    cur["host"] = cur["host"] or host
                    cur["note"] = cur["note"] or note
            elif f[0] == "vol":
                _, region, year, persons, qualifier, metric = f
                vols.append(
                    {
                        "region": region,
                        "year": year,
                        "persons": persons,
                        "qualifier": qualifier,
                        "metric": metric,
                    }
                )
    ordered = {k: counts[k] for k in ("total", *GRADES) if k in counts}
    return {
        "relevant": relevant,
        "region": meta.get("region") if relevant else None,
        "sector": meta.get("sector") if relevant else None,
        "evaluation_year": meta.get("evaluation_year") if relevant else None,
        "publish_date": meta.get("publish_date") if relevant else None,
        "issuer": meta.get("issuer") if relevant else None,
        "doc_number": meta.get("doc_number") if relevant else None,
        "grade_counts_stated": ordered if relevant else {},
        "institutions": list(insts.values()) if relevant else [],
        "appraisal_volumes": vols if relevant else [],
        "notes": "; ".join(notes),
    }


# ---------------------------------------------------------------------------------------------
# One notice.
# ---------------------------------------------------------------------------------------------
@dataclass
class Notice:
    """One generated notice: file bytes plus its gold and source record."""

    id: str
    ext: str
    data: bytes
    gold: dict[str, Any]
    source: dict[str, Any]
    encoding: str
    layout: str
    traditional: bool


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def make_spec(seed: int, index: int, **force: Any) -> Spec:
    """Decide layout, region, year, script, encoding and noise for notice number index."""
    rng = random.Random(f"jianding-notices-{seed}-{index}")
    layout = force.get("layout") or _pick(rng, LAYOUT_WEIGHTS)
    prov = rng.choice(PROVINCES)
    city = rng.choice(prov["cities"]) if prov["cities"] and rng.random() < 0.45 else None
    sector = None
    if layout == "formal" and rng.random() < 0.05:
        sector, city = rng.choice(SECTORS), None
    year = rng.randint(2005, 2019)
    traditional = force.get("traditional", rng.random() < 0.2)
    pinyin = force.get("pinyin", traditional and rng.random() < 0.05)
    traditional = traditional or pinyin
    r = rng.random()
    html = (
        layout == "table"
        or (layout == "formal" and r < 0.12)
        or (layout in ("news", "named_one") and r < 0.3)
        or (layout.startswith("irrelevant") and r < 0.15)
    )
    if pinyin:
        encoding = "utf-8"
    elif traditional:
        encoding = _pick(rng, {"big5": 45, "utf-8": 40, "utf-8-sig": 5, "gb18030": 7, "utf-16": 3})
    else:
        encoding = _pick(rng, {"utf-8": 64, "utf-8-sig": 10, "gb18030": 23, "utf-16": 3})
    encoding = force.get("encoding", encoding)
    spec = Spec(
        rng=rng,
        layout=layout,
        prov=prov,
        city=city,
        year=year,
        sign=rand_date(rng, year + 1, 1, 6),
        encoding=encoding,
        traditional=traditional,
        pinyin=pinyin,
        html=html,
        sector=sector,
    )
    spec.half_parens = rng.random() < 0.25
    spec.s2t = "s2tw" if encoding == "big5" else rng.choice(["s2t", "s2t", "s2tw", "s2hk"])
    spec.zero = rng.choice(["○", "0", "○"] if encoding == "big5" else ["〇", "〇", "○", "0"])
    spec.unit = rng.choice(["所", "个", "家", "所"])
    spec.indent = rng.choice(
        ["", "", "　　", "    ", "  "] + ([] if encoding == "big5" else ["\u00a0\u00a0"])
    )
    spec.blank_lines = rng.random() < 0.35
    spec.crlf = rng.random() < 0.15
    lists = layout in ("formal", "news", "table")
    spec.truncate = force.get("truncate", lists and rng.random() < 0.075)
    spec.charset = {
        "utf-8": "utf-8",
        "utf-8-sig": "utf-8",
        "gb18030": rng.choice(["gbk", "GBK", "gb2312", "gb18030"]),
        "big5": "big5",
        "utf-16": "utf-16",
    }[encoding]
    return spec


def build_notice(seed: int, index: int, **force: Any) -> Notice:
    """Notice number index of a seeded run; force pins layout, traditional, pinyin, truncate, encoding."""
    spec = make_spec(seed, index, **force)
    rng = spec.rng
    doc = Doc()
    LAYOUTS[spec.layout](spec, doc)
    flags: list[str] = []
    if spec.layout != "table":
        if rng.random() < 0.35:
            flags.append("chrome")
            chrome_bottom(spec, doc)
        if rng.random() < 0.1:
            flags.append("seo")
            doc.add(seo_tail(rng), kind="chrome")
    if not spec.html and rng.random() < 0.08:
        flags.append("junk")
    if rng.random() < 0.3:
        flags.append("width")
    if rng.random() < 0.3:
        flags.append("trailing")

    truncated = False
    items = [i for i in doc.list_span if doc.kinds[i] in ("item", "row")]
    if spec.truncate and len(items) >= 3:
        cut = rng.choice(items[1:])
        kept_items = sum(1 for i in items if i < cut)
        spec.notes.append(f"truncated: text ends after {kept_items} of {len(items)} list lines")
        doc.lines, doc.facts, doc.kinds = doc.lines[:cut], doc.facts[:cut], doc.kinds[:cut]
        truncated = True
    add_noise(spec, doc, flags)

    relevant = not spec.layout.startswith("irrelevant")
    gold = collect_gold(doc, relevant, [f"synthetic (layout={spec.layout})", *spec.notes])
    if spec.traditional and not roundtrips(gold, spec.s2t):
        spec.traditional = spec.pinyin = False
        if spec.encoding == "big5":
            spec.encoding, spec.charset = "utf-8", "utf-8"
    text = render(spec, doc, truncated)
    if spec.traditional:
        converted = convert(text, spec.s2t)
        text = annotate_pinyin(text, converted) if spec.pinyin else converted
    encoding = spec.encoding
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "utf-8"
        if spec.html or spec.layout == "table":
            text = text.replace(f"charset={spec.charset}", "charset=utf-8").replace(
                f'charset="{spec.charset}"', 'charset="utf-8"'
            )
        data = text.encode(encoding)
    ext = "html" if spec.html else "txt"
    nid = f"syn{seed}_{index:05d}"
    script = "traditional" if spec.traditional else "simplified"
    note = (
        f"layout={spec.layout}; script={script}{' +pinyin' if spec.pinyin else ''}; encoding={encoding}; "
        f"ext={ext}; region_level={spec.level}; noise={','.join(flags) or 'none'}"
    )
    source = {
        "url": None,
        "title": spec.title,
        "found_with": f"generator seed {seed}",
        "truncated": truncated,
        "note": note,
    }
    return Notice(nid, ext, data, gold, source, encoding, spec.layout, spec.traditional)


def iter_notices(n: int, seed: int = 7, start: int = 0) -> Iterator[Notice]:
    """Notices start .. start+n-1 of the run with this seed (each depends only on seed and index)."""
    for index in range(start, start + n):
        yield build_notice(seed, index)


def generate(n: int, seed: int = 7, start: int = 0) -> Iterable[tuple[str, str, bytes, dict[str, Any]]]:
    """(id, ext, raw bytes, gold dict) for n notices; deterministic in seed."""
    for notice in iter_notices(n, seed, start):
        yield notice.id, notice.ext, notice.data, notice.gold


# ---------------------------------------------------------------------------------------------
# Writing.
# ---------------------------------------------------------------------------------------------
def write_corpus(out: Path, notices: Iterable[Notice]) -> int:
    """OUT/<id>/notice.<ext>, source.json, gold.json (the layout score.py reads)."""
    count = 0
    for nt in notices:
        folder = out / nt.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"notice.{nt.ext}").write_bytes(nt.data)
        (folder / "source.json").write_text(
            json.dumps(nt.source, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (folder / "gold.json").write_text(json.dumps(nt.gold, ensure_ascii=False, indent=1), encoding="utf-8")
        count += 1
    return count


def write_flat(out: Path, truth: Path, notices: Iterable[Notice]) -> int:
    """OUT/<id>.<ext> raw files only, and one JSON line per notice (id, file, source, gold) in truth."""
    out.mkdir(parents=True, exist_ok=True)
    truth.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with truth.open("w", encoding="utf-8") as fh:
        for nt in notices:
            (out / f"{nt.id}.{nt.ext}").write_bytes(nt.data)
            record = {"id": nt.id, "file": f"{nt.id}.{nt.ext}", "source": nt.source, "gold": nt.gold}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Command line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--n", type=int, default=1000, help="number of notices")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--start", type=int, default=0, help="index of the first notice (to extend a run)")
    ap.add_argument(
        "--flat", action="store_true", help="raw files only in --out, gold in --truth (JSON lines)"
    )
    ap.add_argument(
        "--truth", type=Path, help="truth file for --flat (default: <out>/../<out name>_truth.jsonl)"
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    notices = iter_notices(args.n, args.seed, args.start)
    if args.flat:
        truth = args.truth or args.out.parent / f"{args.out.name}_truth.jsonl"
        count = write_flat(args.out, truth, notices)
        where = f"{args.out} (truth: {truth})"
    else:
        count = write_corpus(args.out, notices)
        where = str(args.out)
    print(f"wrote {count} notices to {where} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
