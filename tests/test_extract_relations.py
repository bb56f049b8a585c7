"""Relation rules over hand-placed entity mentions (independent of the entity rules)."""

from __future__ import annotations

import pytest

from cheguKG.extract.consolidate import Consolidator
from cheguKG.extract.dates import date_finder
from cheguKG.extract.meetings import MeetingFinder, meeting_spans
from cheguKG.extract.relations import relation_components
from cheguKG.extract.sentences import sentence_splitter
from cheguKG.extract.workspace import Workspace
from cheguKG.types import Article


def run(text: str, mentions: list[tuple[str, str]], published: str | None = None) -> set[tuple]:
    """Extract relations from ``text`` where each (type, surface) is a mention at every place
    it occurs; returns {(head name, relation, tail name or value)}."""
    ws = Workspace(Article("t.txt", text, published=published))
    sentence_splitter(ws)
    for type_, surface in mentions:
        i = text.find(surface)
        while i >= 0:
            ws.add(type_, i, i + len(surface), "test")
            i = text.find(surface, i + 1)
    date_finder(ws)
    MeetingFinder()(ws)
    Consolidator()(ws)
    for component in relation_components():
        component(ws)
    names = {e.id: e.name for e in ws.entities}
    return {(names[r.head], r.relation, names.get(r.tail) if r.tail else r.value) for r in ws.relations}


HOLDS = [
    ("岚图汽车CEO 卢放\n抢占新能源汽车主动权", [("Enterprise", "岚图汽车"), ("Position", "CEO"), ("Person", "卢放")],
     {("卢放", "岚图汽车")}),
    ("纱帽街道廖家堡社区党委书记 刘莉", [("Place", "纱帽街道"), ("Place", "廖家堡社区"),
                                ("GovernmentBody", "纱帽街道廖家堡社区党委"), ("Position", "党委书记"),
                                ("Person", "刘莉")],
     {("刘莉", "纱帽街道廖家堡社区党委")}),
    ("市委常委、武汉经开区工委书记刘子清主持会议。",
     [("GovernmentBody", "市委"), ("Position", "市委常委"), ("GovernmentBody", "武汉经开区工委"),
      ("Position", "工委书记"), ("Person", "刘子清")],
     {("刘子清", "市委"), ("刘子清", "武汉经开区工委")}),
    ("武汉绿动氢能能源技术有限公司\n总经理 刘真\n打造氢能基地",
     [("Enterprise", "武汉绿动氢能能源技术有限公司"), ("Position", "总经理"), ("Person", "刘真")],
     {("刘真", "武汉绿动氢能能源技术有限公司")}),
    ("省政协常务副主席李兵,副主席张柏青、郭跃进在主席台就座。",
     [("GovernmentBody", "省政协"), ("Position", "常务副主席"), ("Position", "副主席"),
      ("Person", "李兵"), ("Person", "张柏青"), ("Person", "郭跃进")],
     {("李兵", "省政协"), ("张柏青", "省政协"), ("郭跃进", "省政协")}),
    ("区长何建文出席。", [("Position", "区长"), ("Person", "何建文")], set()),
]


@pytest.mark.parametrize("text, mentions, expected", HOLDS)
def test_extract_relations_holds_position(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "holds_position"}
    assert found == expected


def test_extract_relations_seed_meeting_relations():
    text = ("12月9日,市委常委会专题调研武汉经开区并召开会议,要加快建设现代化车谷。"
            "市委常委会审议通过了《关于支持武汉经开区转型发展的若干措施》。")
    rels = run(text, [("GovernmentBody", "市委常委会"), ("Place", "武汉经开区"),
                      ("Policy", "《关于支持武汉经开区转型发展的若干措施》")], published="2023-12-11")
    assert ("市委常委会会议", "convened_by", "市委常委会") in rels
    assert ("市委常委会会议", "held_on", "2023-12-09") in rels
    assert any(r == "inspects" and t == "武汉经开区" for _, r, t in rels)
    assert any(r == "adopts" and "若干措施" in t for _, r, t in rels)


@pytest.mark.parametrize("text, expected", [
    ("4月15日晚,唐超主持召开管委会主任办公会议。", ["管委会主任办公会议"]),
    ("1月7日,经开区2019年第1次党工委(扩大)会议召开。", ["经开区2019年第1次党工委(扩大)会议"]),
    ("要与学习贯彻省委十一届三次、四次全会精神贯通起来", ["省委十一届三次、四次全会"]),
    ("学习宣传贯彻党的十九大精神", ["党的十九大"]),
    ("在随后召开的座谈会上,刘子清强调", ["座谈会"]),
    ("会议强调,要压实责任。", []),
    ("3月2日,区政府召开第5次常务会议。", ["第5次常务会议"]),
    ("全市招商引资工作会在武汉召开", ["全市招商引资工作会"]),
    ("管委会七楼会议室召开座谈会", ["座谈会"]),
    ("7月15日,华中科技大学新校区建设项目正式启动。", ["华中科技大学新校区建设项目启动"]),
    ("10月18日,位于武昌区徐东大街的武汉数创大厦揭牌,当天", ["武汉数创大厦揭牌"]),
    ("市委统战部调研员程良楚参加。", []),
    ("“据我们调研,湖北很多民营企业有需求。”", []),
    ("周明走访驻区部队慰问人民子弟兵,随后检查安全生产工作。", ["走访", "慰问人民子弟兵", "检查安全生产工作"]),
    ("开展安全检查。", []),
    ("市运会是我市规模最大的综合性运动会", []),
    ("离退休干部是我区发展的奠基人", []),
    ("学习习近平总书记在考察内蒙古时的重要讲话精神", []),
    ("武汉市第十二届运动会筹备工作启动", ["武汉市第十二届运动会"]),
    ("区政协主席会议成员一行深入企业", []),
    ("持续开展跟踪调研、建言献策", []),
])
def test_extract_relations_meeting_spans(text, expected):
    assert [name for _, _, name, _ in meeting_spans(text)] == expected


def test_extract_relations_held_on_year_from_meeting_name():
    rels = run("3月17日,2023武汉全球招商暨一季度项目签约大会在武汉举行。", [("Place", "武汉")])
    assert ("2023武汉全球招商暨一季度项目签约大会", "held_on", "2023-03-17") in rels


def test_extract_relations_located_in_nested_and_cue():
    text = "纱帽街道廖家堡社区居民多。东风本田2003年落户武汉经开区。"
    rels = run(text, [("Place", "纱帽街道"), ("Place", "廖家堡社区"), ("Enterprise", "东风本田"),
                      ("Place", "武汉经开区")])
    assert ("廖家堡社区", "located_in", "纱帽街道") in rels
    assert ("东风本田", "located_in", "武汉经开区") in rels


def test_extract_relations_undertakes_project_named_after_owner():
    text = "全力支持华科大军山校区建设。"
    rels = run(text, [("Organization", "华科大"), ("Project", "华科大军山校区")])
    assert ("华科大", "undertakes", "华科大军山校区") in rels


@pytest.mark.parametrize("text, mentions, expected", [
    ("小鹏汽车武汉基地项目位于武汉经开区汉南纱帽街江三路以东。",
     [("Project", "小鹏汽车武汉基地项目"), ("Place", "武汉经开区"), ("Place", "汉南"), ("Place", "纱帽街")],
     {("小鹏汽车武汉基地项目", "武汉经开区"), ("小鹏汽车武汉基地项目", "汉南"), ("小鹏汽车武汉基地项目", "纱帽街")}),
    ("该公司投资10.5亿元,在蔡甸区建设武汉工业园。", [("Place", "蔡甸区"), ("Project", "武汉工业园")],
     {("武汉工业园", "蔡甸区")}),
    ("在宜昌高新区,检查组察看了邦普新能源产业项目和三峡大学科技园;在宜都市,检查组走进楚磷公司。",
     [("Place", "宜昌高新区"), ("Project", "邦普新能源产业项目"), ("Project", "三峡大学科技园"),
      ("Place", "宜都市"), ("Enterprise", "楚磷公司")],
     {("邦普新能源产业项目", "宜昌高新区"), ("三峡大学科技园", "宜昌高新区"), ("楚磷公司", "宜都市")}),
    ("比亚迪将在谷城县石花镇投资30亿元,建设零部件产业园。",
     [("Enterprise", "比亚迪"), ("Place", "谷城县"), ("Place", "石花镇"), ("Project", "零部件产业园")],
     {("零部件产业园", "石花镇")}),
    ("苏州工业园区举行签约仪式。苏州工业园区党工委书记出席。苏州工业园区招商。中微公司将在园区设立华东研发中心。",
     [("Place", "苏州工业园区"), ("Enterprise", "中微公司"), ("Project", "华东研发中心")],
     {("华东研发中心", "苏州工业园区")}),
])
def test_extract_relations_located_in_cues(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "located_in"}
    assert expected <= found


@pytest.mark.parametrize("text, mentions, expected", [
    ("武汉绿动氢能能源技术有限公司已建成生产线。打造全国最大的氢能基地。",
     [("Enterprise", "武汉绿动氢能能源技术有限公司"), ("Industry", "氢能")],
     {("武汉绿动氢能能源技术有限公司", "氢能")}),
    ("武汉绿动公司聚焦氢能源产业,开展研发。", [("Enterprise", "武汉绿动公司"), ("Industry", "氢能源产业")],
     {("武汉绿动公司", "氢能源产业")}),
    ("集聚中创新航、爱机、福迪等国内外新能源汽车零部件头部企业。",
     [("Enterprise", "中创新航"), ("Enterprise", "爱机"), ("Enterprise", "福迪"), ("Industry", "新能源汽车零部件")],
     {("中创新航", "新能源汽车零部件"), ("爱机", "新能源汽车零部件"), ("福迪", "新能源汽车零部件")}),
    ("成立于2015年的小鹏汽车,是中国领先的智能电动汽车企业。",
     [("Enterprise", "小鹏汽车"), ("Industry", "智能电动汽车")], {("小鹏汽车", "智能电动汽车")}),
    ("来到国内汽车蓄电池龙头企业骆驼集团调研。", [("Industry", "汽车蓄电池"), ("Enterprise", "骆驼集团")],
     {("骆驼集团", "汽车蓄电池")}),
    ("推进常州恒驰储能科技有限公司超级工厂建设,做强储能产业。",
     [("Enterprise", "常州恒驰储能科技有限公司"), ("Industry", "储能")], {("常州恒驰储能科技有限公司", "储能")}),
    ("岚图汽车、猛士科技、路特斯武汉智能工厂、东风日产武汉工厂等新能源整车厂破土而出。",
     [("Enterprise", "岚图汽车"), ("Project", "路特斯武汉智能工厂"), ("Project", "东风日产武汉工厂"),
      ("Industry", "新能源整车")], {("岚图汽车", "新能源整车")}),
])
def test_extract_relations_in_industry(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "in_industry"}
    assert expected <= found


def test_extract_relations_in_industry_project_list_needs_a_kind_of_firm():
    text = "集聚中创新航、国电投氢能基地等新能源和智能网联汽车项目。"
    found = run(text, [("Enterprise", "中创新航"), ("Project", "国电投氢能基地"), ("Industry", "新能源")])
    assert not any(r == "in_industry" for _, r, _ in found)


def test_extract_relations_convened_by_chair_body():
    text = "5月28日,市政协主席杨智主持召开专题协商会。"
    rels = run(text, [("GovernmentBody", "市政协"), ("Position", "市政协主席"), ("Person", "杨智")])
    assert ("专题协商会", "convened_by", "市政协") in rels


def test_extract_relations_comments_on_quoted_statement():
    text = "12月9日,市委常委会召开会议。“令人振奋。”岚图汽车CEO卢放说。"
    rels = run(text, [("GovernmentBody", "市委常委会"), ("Enterprise", "岚图汽车"), ("Position", "CEO"),
                      ("Person", "卢放")])
    assert ("卢放", "comments_on", "市委常委会会议") in rels


def test_extract_relations_inspects_skips_the_visitor():
    text = "7月2日上午,蔡甸区委书记陈新垓赴中法武汉生态示范城、蔡甸街调研督导重大项目。"
    rels = run(text, [("Place", "蔡甸区"), ("GovernmentBody", "蔡甸区委"), ("Position", "区委书记"),
                      ("Person", "陈新垓"), ("Place", "中法武汉生态示范城"), ("Place", "蔡甸街")])
    visited = {t for _, r, t in rels if r == "inspects"}
    assert visited == {"中法武汉生态示范城", "蔡甸街"}


@pytest.mark.parametrize("text, mentions, expected", [
    ("任命陈美杉为民进东湖委员会主委,王作燕、陈英明为副主委。",
     [("Person", "陈美杉"), ("Person", "王作燕"), ("Person", "陈英明"), ("Organization", "民进东湖委员会"),
      ("Position", "主委"), ("Position", "副主委")],
     {("陈美杉", "民进东湖委员会"), ("王作燕", "民进东湖委员会"), ("陈英明", "民进东湖委员会")}),
    ("东风汽车集团有限公司研发总院院长杨彦鼎介绍。",
     [("Enterprise", "东风汽车集团有限公司"), ("Position", "院长"), ("Person", "杨彦鼎")],
     {("杨彦鼎", "东风汽车集团有限公司")}),
    ("会议由武汉市新能源汽车产业协会第一届理事会副秘书长韩昕洋主持。",
     [("Organization", "武汉市新能源汽车产业协会"), ("Position", "理事会副秘书长"), ("Person", "韩昕洋")],
     {("韩昕洋", "武汉市新能源汽车产业协会")}),
    ("三一集团有限公司高级副总裁谭志刚出席仪式。",
     [("Enterprise", "三一集团有限公司"), ("Position", "副总裁"), ("Person", "谭志刚")], {("谭志刚", "三一集团有限公司")}),
    ("翔宇航空是一家专注无人机研发制造的企业,总经理蒋海峰介绍了公司的研发进展。",
     [("Enterprise", "翔宇航空"), ("Position", "总经理"), ("Person", "蒋海峰")], {("蒋海峰", "翔宇航空")}),
    ("望月湖社区党委书记、居委会主任夏春燕表示。",
     [("GovernmentBody", "望月湖社区党委"), ("Position", "党委书记"), ("Position", "主任"), ("Person", "夏春燕")],
     {("夏春燕", "望月湖社区党委")}),
    ("华擎生物创始人、首席执行官赵思琪表示。",
     [("Enterprise", "华擎生物"), ("Position", "创始人"), ("Person", "赵思琪")], {("赵思琪", "华擎生物")}),
    ("会见了来荆考察的东岳集团董事长张建宏一行,区长李明参加,总经理王强陪同。",
     [("Enterprise", "东岳集团"), ("Position", "董事长"), ("Person", "张建宏"), ("Position", "区长"),
      ("Person", "李明"), ("Position", "总经理"), ("Person", "王强")], {("张建宏", "东岳集团")}),
])
def test_extract_relations_holds_position_more_forms(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "holds_position"}
    assert found == expected


@pytest.mark.parametrize("text, mentions, expected", [
    ("12月10日,武汉经开区召开党工委(扩大)会议,部署落实举措。围绕经开区党工委关于军山新城的要求。",
     [("Place", "武汉经开区"), ("GovernmentBody", "经开区党工委")], {("党工委(扩大)会议", "经开区党工委")}),
    ("5月31日,中航锂电与武汉经开区管委会签署战略合作协议。",
     [("Enterprise", "中航锂电"), ("GovernmentBody", "武汉经开区管委会")], set()),
    ("9月6日,省人大常委会副主任黄建民率执法检查组来宜昌,视察条例贯彻实施情况。",
     [("GovernmentBody", "省人大常委会"), ("Position", "副主任"), ("Person", "黄建民"), ("Place", "宜昌")],
     {("视察", "省人大常委会")}),
    ("今天下午,省政协十二届三次会议举行第二次全体会议。",
     [("GovernmentBody", "省政协")], {("省政协十二届三次会议", "省政协"), ("第二次全体会议", "省政协")}),
    ("6月13日,县委书记钱卫东带队专题调研全县低空经济发展情况。",
     [("GovernmentBody", "县委"), ("Position", "县委书记"), ("Person", "钱卫东")], set()),
])
def test_extract_relations_convened_by(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "convened_by"}
    assert found == expected


def test_extract_relations_meeting_name_drops_a_person():
    rels = run("5月2日,市长李强主持现场办公会。", [("Person", "李强"), ("Position", "市长")])
    assert ("现场办公会", "held_on", "--05-02") in rels


def test_extract_relations_adopts_issuer_of_notice():
    text = "重庆市开州区人民政府关于印发重庆市开州区工作方案的通知\n各乡镇人民政府:现将《重庆市开州区工作方案》印发给你们。"
    rels = run(text, [("GovernmentBody", "重庆市开州区人民政府"),
                      ("Policy", "关于印发重庆市开州区工作方案的通知"), ("Policy", "《重庆市开州区工作方案》")])
    adopted = {t for h, r, t in rels if r == "adopts" and h == "重庆市开州区人民政府"}
    assert adopted == {"关于印发重庆市开州区工作方案的通知", "《重庆市开州区工作方案》"}


def test_extract_relations_held_on_not_for_meetings_referred_to():
    text = "12月10日,武汉经开区召开党工委(扩大)会议。各界表示,要认真学习领会市委常委会专题会议精神。"
    rels = run(text, [("Place", "武汉经开区"), ("GovernmentBody", "市委常委会")])
    dated = {h for h, r, _ in rels if r == "held_on"}
    assert dated == {"党工委(扩大)会议"}


def test_extract_relations_holds_position_local_title_takes_the_named_government():
    text = "黄陂区委书记曾晟、区长何建文出席。武汉高科集团与黄陂区政府签约。"
    rels = run(text, [("GovernmentBody", "黄陂区委"), ("Position", "区委书记"), ("Person", "曾晟"),
                      ("Position", "区长"), ("Person", "何建文"), ("GovernmentBody", "黄陂区政府"),
                      ("Enterprise", "武汉高科集团")])
    found = {(h, t) for h, r, t in rels if r == "holds_position"}
    assert found == {("曾晟", "黄陂区委"), ("何建文", "黄陂区政府")}


@pytest.mark.parametrize("text, mentions, expected", [
    ("着力打造葛店—华容(三江港)—鄂城发展带。", [("Place", "华容"), ("Place", "三江港"), ("Place", "鄂城")],
     {("三江港", "华容")}),
    ("9月26日,武汉市江夏区政协一行调研。江夏区经济发展好。",
     [("Place", "武汉市"), ("Place", "江夏区"), ("GovernmentBody", "武汉市江夏区政协")], {("江夏区", "武汉市")}),
    ("江汉区政协在武汉召开座谈会。", [("Place", "江汉区"), ("Place", "武汉"), ("GovernmentBody", "江汉区政协")],
     set()),
    ("青山区也在规划建设青山氢能产业园。", [("Place", "青山区"), ("Project", "青山氢能产业园")],
     {("青山氢能产业园", "青山区")}),
    ("加快纱帽大道枢纽工程建设。河南省的河南中烟生产制造中心投产。",
     [("Place", "纱帽大道"), ("Project", "纱帽大道枢纽工程"), ("Place", "河南省"), ("Project", "河南中烟生产制造中心")],
     set()),
    ("武汉经开区黄冈市产业园揭牌。", [("Place", "武汉经开区"), ("Place", "黄冈市")], set()),
    ("中航幸福水上机场项目开工。", [("Place", "中航幸福水上机场"), ("Project", "中航幸福水上机场项目")], set()),
    ("支持东风公司在襄阳的整车企业加快转型,推动襄阳高新区打造千亿级产业基地。",
     [("Enterprise", "东风公司"), ("Place", "襄阳"), ("Place", "襄阳高新区"), ("Project", "千亿级产业基地")], set()),
])
def test_extract_relations_located_in_places(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "located_in"}
    assert found == expected


@pytest.mark.parametrize("text", ["", "。", "会议", "\n\n\n", "昨天" * 500, "2023-13-45 召开会议。", "“”" * 50])
def test_extract_relations_degenerate_text(text):
    assert isinstance(run(text, [], published="2023-02-28"), set)


@pytest.mark.parametrize("text, mentions, expected", [
    ("记者采访了卢放(岚图汽车CEO)。", [("Person", "卢放"), ("Enterprise", "岚图汽车"), ("Position", "CEO")],
     {("卢放", "岚图汽车")}),
    ("刘真,武汉绿动公司总经理,介绍了情况。", [("Person", "刘真"), ("Enterprise", "武汉绿动公司"),
                                   ("Position", "总经理")], {("刘真", "武汉绿动公司")}),
    ("刘真,在武汉绿动公司工作的总经理说。", [("Person", "刘真"), ("Enterprise", "武汉绿动公司"),
                                  ("Position", "总经理")], set()),
])
def test_extract_relations_holds_position_name_then_title(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "holds_position"}
    assert found == expected


def test_extract_relations_patterns_dir_overrides(tmp_path, monkeypatch):
    from cheguKG.extract.relations import pattern_file

    monkeypatch.setenv("CHEGUKG_PATTERNS", str(tmp_path))
    assert pattern_file("meetings.tsv").parent.name == "patterns"  # not there: the default
    (tmp_path / "meetings.tsv").write_text("noun\t茶话会\n", encoding="utf-8")
    assert pattern_file("meetings.tsv") == tmp_path / "meetings.tsv"


def test_extract_relations_held_on_after_a_headline_mention():
    text = "区领导调研乡村振兴项目\n5月21日,区领导一行深入街道调研。"
    rels = run(text, [], published="2025-05-23")
    assert ("调研", "held_on", "2025-05-21") in rels


UNDERTAKES = [
    ("今年以来,由成都锦康药业股份有限公司投资建设的创新药产业化基地完成封顶。",
     [("Enterprise", "成都锦康药业股份有限公司"), ("Project", "创新药产业化基地")],
     {("成都锦康药业股份有限公司", "创新药产业化基地")}),
    ("其中,芯锐微电子将在园区建设晶圆制造项目;中微公司将在园区设立华东研发中心;纳维新材料拟在园区建设衬底材料产业园。",
     [("Enterprise", "芯锐微电子"), ("Project", "晶圆制造项目"), ("Enterprise", "中微公司"),
      ("Project", "华东研发中心"), ("Enterprise", "纳维新材料"), ("Project", "衬底材料产业园")],
     {("芯锐微电子", "晶圆制造项目"), ("中微公司", "华东研发中心"), ("纳维新材料", "衬底材料产业园")}),
    ("研究院位于光谷科学岛,由东湖高新区管委会与武汉大学共建。",
     [("Project", "研究院"), ("Place", "光谷科学岛"), ("GovernmentBody", "东湖高新区管委会"),
      ("Organization", "武汉大学")],
     {("东湖高新区管委会", "研究院"), ("武汉大学", "研究院")}),
    ("秦芯微电子是一家封装测试企业,总经理白永刚介绍,公司封装测试基地二期项目将于今年建成。",
     [("Enterprise", "秦芯微电子"), ("Position", "总经理"), ("Person", "白永刚"), ("Project", "封装测试基地二期项目")],
     {("秦芯微电子", "封装测试基地二期项目")}),
    ("要持续深化与宁德时代、理想汽车等企业合作,加快推进储能电池超级工厂建设。",
     [("Enterprise", "宁德时代"), ("Enterprise", "理想汽车"), ("Project", "储能电池超级工厂")], set()),
    ("武汉开发区与中国移动湖北公司签署框架协议,共建智能网联汽车基地。",
     [("Place", "武汉开发区"), ("Enterprise", "中国移动湖北公司"), ("Project", "智能网联汽车基地")],
     {("中国移动湖北公司", "智能网联汽车基地")}),
    ("作为国家级开发区,武汉经开区是东风公司所在地,承担着“交通强国建设”试点。",
     [("Place", "武汉经开区"), ("Enterprise", "东风公司"), ("Project", "“交通强国建设”试点")], set()),
    ("会议强调,支持东风公司在襄阳加快转型,推动襄阳高新区打造千亿级产业基地。",
     [("Enterprise", "东风公司"), ("Place", "襄阳"), ("Place", "襄阳高新区"), ("Project", "千亿级产业基地")], set()),
    ("东风零部件集团与蔡甸区政府签订协议,该公司投资10.5亿元,在蔡甸区建设武汉工业园。",
     [("Enterprise", "东风零部件集团"), ("GovernmentBody", "蔡甸区政府"), ("Place", "蔡甸区"), ("Project", "武汉工业园")],
     {("东风零部件集团", "武汉工业园")}),
    ("会上,华鼎电子董事长严斌、凌云模具总经理付小燕先后发言。严斌说,公司域控制器项目已投产。",
     [("Enterprise", "华鼎电子"), ("Position", "董事长"), ("Person", "严斌"), ("Enterprise", "凌云模具"),
      ("Position", "总经理"), ("Person", "付小燕"), ("Project", "域控制器项目")], {("华鼎电子", "域控制器项目")}),
    ("加快推进常州恒驰储能科技有限公司(以下简称“恒驰储能”)储能电池超级工厂建设。",
     [("Enterprise", "常州恒驰储能科技有限公司"), ("Project", "储能电池超级工厂")],
     {("常州恒驰储能科技有限公司", "储能电池超级工厂")}),
]


@pytest.mark.parametrize("text, mentions, expected", UNDERTAKES)
def test_extract_relations_undertakes_cues(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "undertakes"}
    assert found == expected


@pytest.mark.parametrize("text, mentions, expected", [
    ("4月18日,高新区召开产业推进会。会议解读了新近出台的《促进产业发展若干政策》。",
     [("Place", "高新区"), ("Policy", "《促进产业发展若干政策》")], set()),
    ("黄埔区委副书记、区长苏建平介绍,近年来,黄埔区出台《生物医药产业发展办法》。",
     [("GovernmentBody", "黄埔区委"), ("Position", "区委副书记"), ("Position", "区长"), ("Person", "苏建平"),
      ("Place", "黄埔区"), ("Policy", "《生物医药产业发展办法》")], set()),
    ("12月9日,市委常委会召开会议,审议通过了《关于支持经开区的若干措施》。",
     [("GovernmentBody", "市委常委会"), ("Policy", "《关于支持经开区的若干措施》")],
     {("市委常委会会议", "《关于支持经开区的若干措施》")}),
])
def test_extract_relations_adopts(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "adopts"}
    assert found == expected


def test_extract_relations_held_on_unknown_within_a_range():
    text = "9月6日至7日,检查组来宜昌视察。\n在随后召开的汇报会上,市长介绍了情况。"
    rels = run(text, [("Place", "宜昌")], published="2023-09-08")
    assert ("视察", "held_on", "2023-09-06") in rels
    assert not any(h == "汇报会" and r == "held_on" for h, r, _ in rels)


@pytest.mark.parametrize("text, mentions, expected", [
    ("沈建新在致辞中表示,集成电路是园区重点产业。园区将认真落实《集成电路若干政策》。",
     [("Person", "沈建新"), ("Policy", "《集成电路若干政策》")], {("沈建新", "《集成电路若干政策》")}),
    ("区长苏建平介绍,近年来,黄埔区出台《生物医药发展办法》。",
     [("Position", "区长"), ("Person", "苏建平"), ("Place", "黄埔区"), ("Policy", "《生物医药发展办法》")], set()),
    ("2月21日,市委书记赵明远主持召开市委常委会会议。\n市委常委会会议精神在企业和基层引发热烈反响。\n"
     "骏驰汽车\n董事长 方志强\n公司将加快二期工厂建设。\n庞公街道党工委书记 何静\n街道将抓好落实。",
     [("Position", "市委书记"), ("Person", "赵明远"), ("GovernmentBody", "市委常委会"), ("Enterprise", "骏驰汽车"),
      ("Position", "董事长"), ("Person", "方志强"), ("GovernmentBody", "庞公街道党工委"), ("Position", "党工委书记"),
      ("Person", "何静")],
     {("方志强", "市委常委会会议"), ("何静", "市委常委会会议")}),
])
def test_extract_relations_comments_on(text, mentions, expected):
    found = {(h, t) for h, r, t in run(text, mentions) if r == "comments_on"}
    assert found == expected


@pytest.mark.parametrize("text, mentions, not_visited", [
    ("9月6日,检查组来宜昌视察《湖北省优化营商环境条例》贯彻实施情况。",
     [("Place", "宜昌"), ("Policy", "《湖北省优化营商环境条例》"), ("Place", "湖北省")], "湖北省"),
    ("当天上午,周卫国一行来到位于常州经开区的恒驰储能调研。",
     [("Person", "周卫国"), ("Place", "常州经开区"), ("Enterprise", "恒驰储能")], "常州经开区"),
])
def test_extract_relations_inspects_not_a_policy_or_locator(text, mentions, not_visited):
    visited = {t for _, r, t in run(text, mentions) if r == "inspects"}
    assert visited and not_visited not in visited


def test_extract_relations_located_in_home_zone_needs_the_zone_in_the_sentence():
    text = ("武汉经开区召开大会。武汉经开区党工委书记出席。武汉经开区引进东风工厂项目。"
            "另外,华为研究院项目也签约了。")
    rels = run(text, [("Place", "武汉经开区"), ("Project", "东风工厂项目"), ("Project", "华为研究院项目")])
    placed = {h for h, r, t in rels if r == "located_in" and t == "武汉经开区"}
    assert placed == {"东风工厂项目"}


def test_extract_relations_located_in_home_zone_skips_pilots_and_platforms():
    text = ("武汉经开区召开大会。武汉经开区党工委书记出席。"
            "武汉经开区承担“交通强国建设”试点,建设智慧云平台和东风工厂项目。")
    rels = run(text, [("Place", "武汉经开区"), ("Project", "“交通强国建设”试点"), ("Project", "智慧云平台"),
                      ("Project", "东风工厂项目")])
    placed = {h for h, r, t in rels if r == "located_in" and t == "武汉经开区"}
    assert placed == {"东风工厂项目"}
