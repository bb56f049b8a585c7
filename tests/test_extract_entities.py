"""Entity extraction: tables of sentences and the entities they must (or must not) yield."""

from __future__ import annotations

import pytest

from cheguKG.evaluate import evaluate, read_jsonl
from cheguKG.export import article_record
from cheguKG.extract import extract
from cheguKG.extract.organizations import OrganizationRules
from cheguKG.ingest import read
from cheguKG.types import Article


def entities(text: str) -> set[tuple[str, str]]:
    """(type, form) for every name and alias the extractor gives ``text``."""
    doc = extract(Article("t.txt", text))
    return {(e.type, f) for e in doc.entities for f in (e.name, *e.aliases)}


FOUND = [
    ("市委书记胡昊,市委副书记、市长查俊出席。", [("Person", "胡昊"), ("Person", "查俊"),
                                             ("Position", "市委书记"), ("Position", "市长"),
                                             ("Position", "市委副书记"), ("GovernmentBody", "市委")]),
    ("军山街道党工委副书记 万海涛", [("Person", "万海涛"), ("Position", "党工委副书记"),
                               ("GovernmentBody", "军山街道党工委"), ("Place", "军山街道")]),
    ("党委书记 刘 誓 保\n刘誓保表示,要加快发展。", [("Person", "刘誓保")]),
    ("区领导刘明利、黄元峰、李彩云一同调研。", [("Person", "刘明利"), ("Person", "黄元峰"),
                                         ("Person", "李彩云")]),
    ("要牢记习近平总书记殷殷嘱托。", [("Person", "习近平"), ("Position", "总书记")]),
    ("湖北省委常委、武汉市委书记郭元强出席。", [("Person", "郭元强"), ("Position", "省委常委"),
                                         ("Place", "湖北省"), ("Place", "武汉市")]),
    ("岚图汽车科技股份有限公司董事长卢放说,岚图汽车将发力。", [
        ("Enterprise", "岚图汽车科技股份有限公司"), ("Enterprise", "岚图汽车"), ("Position", "董事长")]),
    ("武汉绿动氢能能源技术有限公司聚焦氢能。武汉绿动公司已建成生产线。", [
        ("Enterprise", "武汉绿动氢能能源技术有限公司"), ("Enterprise", "武汉绿动公司"), ("Industry", "氢能")]),
    ("在纱帽街道廖家堡社区,居民唱主角。", [("Place", "纱帽街道"), ("Place", "廖家堡社区")]),
    ("7月2日,华科大军山校区开工。", [("Organization", "华科大"), ("Project", "华科大军山校区")]),
    ("九三学社武汉市委员会主委梁鸣率队调研。", [("Organization", "九三学社武汉市委员会"),
                                        ("Person", "梁鸣")]),
    ("市委常委会审议通过了《关于支持武汉经开区转型发展的若干措施》。", [
        ("Policy", "《关于支持武汉经开区转型发展的若干措施》"), ("GovernmentBody", "市委常委会")]),
    ("推动新能源与智能网联汽车产业发展。", [("Industry", "智能网联汽车")]),
    ("区农业局、市发改委负责人参加。", [("GovernmentBody", "区农业局"), ("GovernmentBody", "市发改委")]),
    ("武汉市经济和信息化局副局长刘杨出席。", [("GovernmentBody", "武汉市经济和信息化局"),
                                       ("Person", "刘杨"), ("Position", "副局长")]),
    ("中共鄂州市委常委、统战部长邹霞座谈。", [("GovernmentBody", "鄂州市委"), ("Person", "邹霞")]),
    ("唐超调研天源合源广场、中国车谷全民健身中心(南馆)二期、“汉南之心”文化服务设施等重点项目。", [
        ("Project", "中国车谷全民健身中心(南馆)二期"), ("Project", "“汉南之心”文化服务设施")]),
    ("集聚中创新航、爱机、福迪、东久等国内外新能源汽车零部件头部企业。", [
        ("Enterprise", "爱机"), ("Enterprise", "福迪"), ("Enterprise", "东久")]),
    ("区领导一行深入邓南、湘口、东荆街道调研。", [("Place", "东荆街道"), ("Place", "湘口街道")]),
    ("小鹏汽车武汉基地项目位于纱帽街江三路以东。", [("Project", "小鹏汽车武汉基地项目"), ("Place", "江三路")]),
    ("华砺智行(武汉)科技有限公司副总裁任学锋参加。", [("Enterprise", "华砺智行(武汉)科技有限公司"),
                                             ("Person", "任学锋")]),
    ("民建武汉东湖新技术开发区基层委员会召开全委会。", [
        ("Organization", "民建武汉东湖新技术开发区基层委员会"), ("Place", "武汉东湖新技术开发区")]),
    ("传承和发扬民建先贤的优良传统。", [("Organization", "民建")]),
    ("民建武汉市委办公室主任传达了市委会精神。", [("Organization", "民建武汉市委办公室"), ("Position", "办公室主任")]),
    ("王作燕、陈英明为副主委。", [("Person", "王作燕"), ("Person", "陈英明")]),
    ("大力发展金融、商贸、物流等产业。", [("Industry", "金融"), ("Industry", "商贸"), ("Industry", "物流")]),
    ("审议“十四五”规划纲要和2020年政府工作报告。", [("Policy", "“十四五”规划纲要"),
                                           ("Policy", "2020年政府工作报告")]),
    ("建设花山、左岭、流芳、牛山湖等4个副中心。", [("Place", "花山"), ("Place", "牛山湖")]),
    ("重点发展智能家电、创新药、细胞与基因治疗、合成生物、商用车、地理信息等产业。", [
        ("Industry", "智能家电"), ("Industry", "创新药"), ("Industry", "细胞与基因治疗"),
        ("Industry", "合成生物"), ("Industry", "商用车"), ("Industry", "地理信息")]),
    ("在襄阳投资建设创新药产业化基地。", [("Project", "创新药产业化基地")]),
    ("千亿级新能源汽车产业基地加快建设。", [("Project", "千亿级新能源汽车产业基地")]),
    ("建设社区嵌入式养老服务中心和华东研发中心。", [("Project", "社区嵌入式养老服务中心"),
                                            ("Project", "华东研发中心")]),
    ("实地了解锦康药业创新药生产线建设情况。", [("Project", "锦康药业创新药生产线")]),
    ("走访德清县地理信息小镇。", [("Place", "德清县地理信息小镇")]),
    ("签约项目包括博雷顿管理总部及生产基地、综合智慧零碳电厂。", [
        ("Project", "博雷顿管理总部及生产基地"), ("Project", "综合智慧零碳电厂")]),
    ("高新六路、云端五路等道路基本完工。", [("Project", "高新六路"), ("Project", "云端五路")]),
    ("园区位于武汉经开区汉南大道南侧,将分期建设。", [("Place", "汉南大道")]),
    ("落户武汉经开区智能网联和电动汽车产业园。", [("Project", "武汉经开区智能网联和电动汽车产业园")]),
    ("在合肥科学岛、广州国际生物岛、深圳国际会议中心举行。", [
        ("Place", "合肥科学岛"), ("Place", "广州国际生物岛"), ("Place", "深圳国际会议中心")]),
    ("走访东湖社区居委会。", [("GovernmentBody", "东湖社区居委会"), ("Place", "东湖社区")]),
    ("民盟西安市委主委张三出席会议。", [("Position", "主委"), ("Organization", "民盟西安市委")]),
    ("会同区投资服务局负责人参加。", [("GovernmentBody", "区投资服务局")]),
    ("由成都锦康药业股份有限公司投资建设的创新药产业化基地完工。", [("Project", "创新药产业化基地")]),
    ("公司智能座舱域控制器项目已于去年底投产。", [("Project", "智能座舱域控制器项目")]),
    ("承担“交通强国建设”试点。", [("Project", "交通强国建设试点")]),
    ("光谷氢能与储能技术研究院揭牌成立。", [("Organization", "光谷氢能与储能技术研究院")]),
    ("东湖高新区管委会与武汉大学签约。", [("GovernmentBody", "东湖高新区管委会"), ("Organization", "武汉大学")]),
    ("百济神州将扩建其广州生物药生产基地二期。", [("Enterprise", "百济神州")]),
    ("双方共建未来技术创新研究院以及高端医疗中心等一系列重大项目。", [
        ("Project", "未来技术创新研究院"), ("Project", "高端医疗中心")]),
    ("襄阳市人民政府关于印发襄阳市氢能产业发展规划的通知\n各县市区人民政府:", [
        ("Policy", "襄阳市人民政府关于印发襄阳市氢能产业发展规划的通知")]),
    ("项目在武汉经开区军山新城正式启动。", [("Place", "武汉经开区"), ("Place", "军山新城")]),
    ("继今年1月份成都一期项目主厂房封顶以来。", [("Project", "成都一期项目")]),
    ("其中,湖北三环锻造有限公司投资10亿元;武汉华工激光工程有限责任公司拟建设激光产业园。", [
        ("Enterprise", "湖北三环锻造有限公司"), ("Enterprise", "武汉华工激光工程有限责任公司")]),
    ("集聚了岚图汽车、猛士科技、路特斯等企业。", [("Enterprise", "猛士科技")]),
    ("研发中心已建成;苏州纳维新材料有限公司拟在园区建设基地。", [("Enterprise", "苏州纳维新材料有限公司")]),
]


@pytest.mark.parametrize("text,expected", FOUND)
def test_extract_entities_found(text, expected):
    got = entities(text)
    for item in expected:
        assert item in got, f"{item} not in {sorted(got)}"


NOT_FOUND = [
    # an instrument verb (借助/凭借/通过…) ends a name walked leftwards from its suffix
    ("目前,富诚汽车零部件借助万亿级车谷产业创新大走廊产业集群效应转型。",
     ("Project", "富诚汽车零部件借助万亿级车谷产业创新大走廊")),
    ("城市长远发展要统筹规划。", ("Position", "市长")),
    ("合作共赢,资源共享。", ("Place", "合作市")),
    ("深度融入共建“一带一路”大格局。", ("GovernmentBody", "大格局")),
    ("坚持学习习近平新时代中国特色社会主义思想。", ("Person", "习近平")),
    ("岚图汽车科技股份有限公司在武汉。", ("Industry", "汽车")),
    ("加快建设宜居宜业的生态新城和基层社区。", ("Place", "生态新城")),
    ("要抢抓重大产业项目集中落地机遇。", ("Project", "产业项目")),
    ("市委常委会召开会议。", ("Position", "市委常委")),
    ("请政协委员和其他列席人员提出意见。", ("Position", "政协委员")),
    ("请政协委员和其他列席人员提出意见。", ("Person", "和其他")),
    ("多家外资银行和保险公司开业。", ("Enterprise", "外资银行")),
    ("由一院五项目组成。", ("Project", "一院五项目")),
    ("香港中华厂商联合会会长到访。", ("Place", "香")),
    ("牢记习近平总书记殷殷嘱托。", ("Person", "殷殷")),
    ("参加会议的还有区直部门、金融系统负责人。", ("Industry", "金融")),
    ("地址:武汉市汉南区纱帽街月亮湾路248号", ("Place", "汉南区")),
    ("打造全省重要的汽车零部件产业基地。", ("Project", "汽车零部件产业基地")),
    ("参观谷城经开区展厅。", ("GovernmentBody", "谷城经开区展厅")),
    ("园区将投资建设新项目。", ("Enterprise", "园区")),
    ("民建武汉东湖新技术开发区基层委员会召开全委会。", ("Organization", "民建")),
    ("加快建设长江中游航运中心,促进长江大保护。", ("Place", "长江")),
    ("武汉经开区与华中科技大学签约。", ("Organization", "武汉经开区与华中科技大学")),
    ("认真对标市委七届八次全会确定的目标。", ("GovernmentBody", "标市委")),
    ("关注航发集团、市政集团的发展,为市政集团、航发集团的品牌加分。", ("Enterprise", "为市政集团")),
    ("项目一期已投产,二期将投资建设。", ("Enterprise", "二期")),
    ("实地了解芯片封装测试生产线建设情况。", ("Project", "实地了解芯片封装测试生产线")),
    ("汽车零部件企业加快发展,高端新能源汽车产销两旺。", ("Industry", "汽车零部件企业")),
    ("汽车零部件企业加快发展,高端新能源汽车产销两旺。", ("Industry", "高端新能源汽车")),
]


@pytest.mark.parametrize("text,absent", NOT_FOUND)
def test_extract_entities_not_found(text, absent):
    assert absent not in entities(text)


@pytest.mark.parametrize("full,short", [
    ("岚图汽车科技股份有限公司", "岚图汽车"),
    ("武汉绿动氢能能源技术有限公司", "武汉绿动公司"),
    ("中创新航科技(武汉)有限公司", "中创新航"),
])
def test_extract_entities_company_short_forms(full, short):
    assert short in OrganizationRules().short_forms(full)


def test_extract_entities_cluster_short_and_full_names():
    doc = extract(Article("t.txt", "武汉绿动氢能能源技术有限公司落户。武汉绿动公司已投产。"))
    companies = [e for e in doc.entities if e.type == "Enterprise"]
    assert len(companies) == 1
    assert companies[0].name == "武汉绿动氢能能源技术有限公司"
    assert "武汉绿动公司" in companies[0].aliases


def test_extract_entities_seed_score(seed_path, seed_gold):
    docs = [extract(a) for a in read(seed_path)]
    report = evaluate(list(read_jsonl(seed_gold)), [article_record(d) for d in docs])
    assert report.entities.f1 >= 0.90, report.entities.to_dict()


def test_extract_entities_zone_short_form_joins_zone_not_city():
    doc = extract(Article("t.txt", "武汉经开区位于武汉市。经开区将加快发展,武汉将给予支持。"))
    places = {e.name: set(e.aliases) for e in doc.entities if e.type == "Place"}
    assert "经开区" in places["武汉经开区"]
    assert "武汉经开区" not in places.get("武汉市", set()) and "武汉" not in places["武汉经开区"]


@pytest.mark.parametrize("text,full,short", [
    ("国内汽车蓄电池龙头企业骆驼集团股份有限公司（以下简称“骆驼股份”）投资。骆驼股份表示满意。",
     "骆驼集团股份有限公司", "骆驼股份"),
    ("长江存储科技有限责任公司（下称“长存”）落户。长存扩产。", "长江存储科技有限责任公司", "长存"),
])
def test_extract_entities_declared_short_name_is_alias(text, full, short):
    doc = extract(Article("t.txt", text))
    owners = [e for e in doc.entities if e.name == full]
    assert owners, [e.name for e in doc.entities]
    assert short in owners[0].aliases
    assert not [e for e in doc.entities if e.name == short]
