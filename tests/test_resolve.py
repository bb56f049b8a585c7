"""Cross-article resolution: one IRI per real-world thing, aliases, people and meetings."""

from __future__ import annotations

import pytest

from cheguKG.resolve import (
    AliasTable,
    ResolverState,
    enterprise_core,
    explain,
    is_relative_body,
    meeting_kind,
    norm,
    resolve,
)
from cheguKG.types import Article, ArticleDoc, Entity, Relation


def doc(source: str, entities: list[tuple], relations: list[tuple] = ()) -> ArticleDoc:
    """entities: (id, type, name[, aliases]); relations: (head, relation, tail|None, value|title)."""
    ents = tuple(Entity(e[0], e[1], e[2], tuple(e[3]) if len(e) > 3 else ()) for e in entities)
    rels = []
    for head, rel, tail, extra in relations:
        if rel == "held_on":
            rels.append(Relation(head, rel, None, value=extra))
        else:
            rels.append(Relation(head, rel, tail, title=extra))
    return ArticleDoc(Article(source, ""), (), ents, tuple(rels))


def same(res, a: tuple[str, str], b: tuple[str, str]) -> bool:
    return res.iri(*a) == res.iri(*b)


NO_ALIASES = AliasTable()

# (type, form in article a, form in article b, same entity?)
NAME_CASES = [
    ("Enterprise", "岚图汽车", "岚图汽车科技股份有限公司", True),
    ("Enterprise", "岚图", "岚图汽车", True),
    ("Enterprise", "武汉绿动氢能能源技术有限公司", "武汉绿动公司", True),  # one core starts the other
    ("Enterprise", "武汉绿动公司", "武汉绿动氢能能源技术有限公司", True),
    ("Enterprise", "武汉钢铁集团鄂城钢铁有限责任公司", "武汉钢铁", False),  # a subsidiary is another company
    ("Enterprise", "东风汽车集团有限公司", "东风公司", True),
    ("Enterprise", "东风本田", "东风", False),
    ("Organization", "ＡＢＣ研究院", "ABC研究院", True),  # full-width = half-width (NFKC)
    ("Place", "武汉市", "武汉", True),
    ("Place", "湖北省", "湖北", True),
    ("Place", "军山街道", "军山新城", False),
    ("GovernmentBody", "中共湖北省委", "湖北省委", True),
    ("GovernmentBody", "武汉市人民政府", "武汉市政府", True),
    ("Industry", "新能源汽车", "新能源 汽车", True),
    ("Policy", "《关于支持武汉经开区转型发展的若干措施》", "关于支持武汉经开区转型发展的若干措施", True),
    ("Project", "华科大军山校区", "武汉理工大学车谷校区", False),
]


@pytest.mark.parametrize("type_,a,b,expected", NAME_CASES)
def test_resolve_names_across_articles(type_, a, b, expected):
    res = resolve([doc("a.txt", [("X1", type_, a)]), doc("b.txt", [("X1", type_, b)])], NO_ALIASES)
    assert same(res, ("a.txt", "X1"), ("b.txt", "X1")) is expected


def test_resolve_company_name_is_the_fullest_form_with_aliases():
    res = resolve([doc("a.txt", [("E1", "Enterprise", "岚图")]),
                   doc("b.txt", [("E1", "Enterprise", "岚图汽车科技股份有限公司", ["岚图汽车"])])], NO_ALIASES)
    ent = res.entity("a.txt", "E1")
    assert ent.name == "岚图汽车科技股份有限公司"
    assert set(ent.aliases) == {"岚图", "岚图汽车"}
    assert sorted(ent.members) == [("a.txt", "E1"), ("b.txt", "E1")]
    assert ent.reasons


@pytest.mark.parametrize("type_,name,alias", [
    ("Organization", "华中科技大学", "华科大"),
    ("Place", "武汉经开区", "经开区"),
    ("Place", "武汉经开区", "中国车谷"),
])
def test_resolve_alias_table_merges(type_, name, alias):
    table = AliasTable()
    table.add(type_, name, [alias])
    res = resolve([doc("a.txt", [("X1", type_, alias)]), doc("b.txt", [("X1", type_, name)])], table)
    assert same(res, ("a.txt", "X1"), ("b.txt", "X1"))
    ent = res.entity("a.txt", "X1")
    assert ent.name == name and alias in ent.aliases
    assert any("alias table" in r for r in ent.reasons)


def test_resolve_alias_table_overrides_heuristics():
    # the heuristic reads both as 东风; the table says 东风本田汽车 is its own company
    table = AliasTable()
    table.add("Enterprise", "东风本田汽车有限公司", ["东风本田"])
    res = resolve([doc("a.txt", [("E1", "Enterprise", "东风本田")]),
                   doc("b.txt", [("E1", "Enterprise", "东风本田汽车有限公司")]),
                   doc("c.txt", [("E1", "Enterprise", "东风汽车集团")])], table)
    assert same(res, ("a.txt", "E1"), ("b.txt", "E1"))
    assert not same(res, ("a.txt", "E1"), ("c.txt", "E1"))


def test_resolve_alias_table_file(tmp_path):
    path = tmp_path / "aliases.tsv"
    path.write_text("# type\tname\taliases\nOrganization\t华中科技大学\t华科大|华中大\n", encoding="utf-8")
    table = AliasTable.load([path], default=False)
    assert table.lookup("Organization", "华中大") == "华中科技大学"
    assert table.lookup("Enterprise", "华中大") is None


PEOPLE = [
    ("a.txt", "岚图汽车", "CEO"),
    ("b.txt", "岚图汽车科技股份有限公司", "董事长"),  # same company (short/full): same person
    ("c.txt", "东风本田", "总经理"),  # another company: another 卢放
]


def test_resolve_same_name_people_kept_apart_by_organisation():
    docs = [doc(src, [("P1", "Person", "卢放"), ("E1", "Enterprise", org)],
                [("P1", "holds_position", "E1", title)]) for src, org, title in PEOPLE]
    res = resolve(docs, NO_ALIASES)
    assert same(res, ("a.txt", "P1"), ("b.txt", "P1"))
    assert not same(res, ("a.txt", "P1"), ("c.txt", "P1"))
    assert any("kept apart" in r for r in res.entity("c.txt", "P1").reasons)


def test_resolve_same_name_people_kept_apart_by_post():
    # no organisation named: the posts tell them apart (and a shared post keeps them together)
    res = resolve([doc("a.txt", [("P1", "Person", "王伟")], []),
                   doc("b.txt", [("P1", "Person", "王伟"), ("S1", "Position", "区长")]),
                   ], NO_ALIASES)
    assert same(res, ("a.txt", "P1"), ("b.txt", "P1"))  # nothing says they differ


def test_resolve_person_with_a_body_of_unknown_place_is_not_told_apart_by_it():
    docs = [doc("a.txt", [("P1", "Person", "唐超"), ("G1", "GovernmentBody", "武汉经开区工委")],
                [("P1", "holds_position", "G1", "工委副书记")]),
            doc("b.txt", [("P1", "Person", "唐超"), ("G1", "GovernmentBody", "工委")],
                [("P1", "holds_position", "G1", "工委副书记")])]
    res = resolve(docs, NO_ALIASES)
    assert same(res, ("a.txt", "P1"), ("b.txt", "P1"))


def test_resolve_person_without_post_joins_the_only_person_of_that_name():
    docs = [doc("a.txt", [("P1", "Person", "卢放"), ("E1", "Enterprise", "岚图汽车")],
                [("P1", "holds_position", "E1", "CEO")]),
            doc("b.txt", [("P1", "Person", "卢放")])]
    res = resolve(docs, NO_ALIASES)
    assert same(res, ("a.txt", "P1"), ("b.txt", "P1"))


def meeting_doc(source, name, body, date, extra=()):
    return doc(source, [("M1", "Meeting", name), ("G1", "GovernmentBody", body), *extra],
               [("M1", "convened_by", "G1", None), ("M1", "held_on", None, date)])


# (meeting a, meeting b, same node?)
MEETING_CASES = [
    (("市委常委会会议", "武汉市委常委会", "2023-12-09"), ("市委常委会专题会议", "武汉市委常委会", "--12-09"), True),
    (("市委常委会会议", "武汉市委常委会", "2023-12-09"), ("市委常委会会议", "武汉市委常委会", "2023-12-10"), False),
    (("市委常委会会议", "武汉市委常委会", "2023-12-09"), ("市委常委会会议", "武汉市委常委会", "2022-12-09"), False),
    (("座谈会", "武汉市政协", "2023-04-27"), ("调研", "武汉市政协", "2023-04-27"), False),
    (("调研", "武汉市政协", "2023-04-27"), ("专题调研", "武汉市政协", "2023-04-27"), True),
    (("调研", "武汉市政协", "2023-04-27"), ("调研", "新乡市政协", "2023-04-27"), False),
]


@pytest.mark.parametrize("a,b,expected", MEETING_CASES)
def test_resolve_same_meeting_merged_by_convener_and_date(a, b, expected):
    res = resolve([meeting_doc("a.txt", *a), meeting_doc("b.txt", *b)], NO_ALIASES)
    assert same(res, ("a.txt", "M1"), ("b.txt", "M1")) is expected


def test_resolve_generic_meetings_without_date_stay_with_their_article():
    res = resolve([doc("a.txt", [("M1", "Meeting", "调研")]), doc("b.txt", [("M1", "Meeting", "调研")]),
                   doc("c.txt", [("M1", "Meeting", "党的十九大")]), doc("d.txt", [("M1", "Meeting", "党的十九大")])],
                  NO_ALIASES)
    assert not same(res, ("a.txt", "M1"), ("b.txt", "M1"))
    assert same(res, ("c.txt", "M1"), ("d.txt", "M1"))


def test_resolve_two_meetings_of_one_article_stay_apart():
    d = doc("a.txt", [("M1", "Meeting", "会议"), ("M2", "Meeting", "会议"), ("G1", "GovernmentBody", "武汉市政协")],
            [("M1", "convened_by", "G1", None), ("M1", "held_on", None, "2023-04-27"),
             ("M2", "convened_by", "G1", None), ("M2", "held_on", None, "2023-04-27")])
    res = resolve([d], NO_ALIASES)
    assert not same(res, ("a.txt", "M1"), ("a.txt", "M2"))


def test_resolve_relative_body_read_from_its_article():
    res = resolve([doc("a.txt", [("G1", "GovernmentBody", "市委"), ("G2", "GovernmentBody", "武汉市委")]),
                   doc("b.txt", [("G1", "GovernmentBody", "武汉市委")]),
                   doc("c.txt", [("G1", "GovernmentBody", "市委")]),
                   doc("d.txt", [("G1", "GovernmentBody", "市委")])], NO_ALIASES)
    assert same(res, ("a.txt", "G1"), ("b.txt", "G1"))
    assert not same(res, ("c.txt", "G1"), ("d.txt", "G1"))  # which city's 市委? unknown: apart


def test_resolve_is_independent_of_document_order():
    docs = [doc(src, [("P1", "Person", "卢放"), ("E1", "Enterprise", org)], [("P1", "holds_position", "E1", t)])
            for src, org, t in PEOPLE]
    a = resolve(docs, NO_ALIASES)
    b = resolve(list(reversed(docs)), NO_ALIASES)
    assert a.assigned == b.assigned


def test_resolve_incremental_state_keeps_iris(tmp_path):
    path = tmp_path / "resolver.sqlite"
    first = resolve([doc("a.txt", [("E1", "Enterprise", "岚图汽车")])], NO_ALIASES, ResolverState.open(path))
    iri = first.iri("a.txt", "E1")
    first.state.close()
    state = ResolverState.open(path)
    later = resolve([doc("b.txt", [("E9", "Enterprise", "岚图汽车科技股份有限公司")])], NO_ALIASES, state)
    assert later.iri("b.txt", "E9") == iri
    assert state.entity(iri).name == "岚图汽车科技股份有限公司"
    # a changed article replaces what it gave before
    resolve([doc("a.txt", [("E1", "Enterprise", "东风")])], NO_ALIASES, state)
    assert sorted(state.entity(iri).members) == [("b.txt", "E9")]
    state.close()


def test_resolve_explain_says_why():
    table = AliasTable()
    table.add("Organization", "华中科技大学", ["华科大"])
    res = resolve([doc("a.txt", [("O1", "Organization", "华科大")]),
                   doc("b.txt", [("O1", "Organization", "华中科技大学")])], table)
    text = explain("华科大", res.state)
    assert "华中科技大学" in text and "alias table" in text and "a.txt" in text
    assert "no entity" in explain("不存在", res.state)


@pytest.mark.parametrize("text,expected", [("ＣＥＯ　卢放", "CEO卢放"), ("《若干措施》", "若干措施")])
def test_resolve_norm(text, expected):
    assert norm(text) == expected


@pytest.mark.parametrize("name,core", [("岚图汽车科技股份有限公司", "岚图"), ("小米", "小米"), ("一汽集团", "一汽")])
def test_resolve_enterprise_core(name, core):
    assert enterprise_core(name) == core


@pytest.mark.parametrize("name,relative", [("市委", True), ("区政协", True), ("工委", True),
                                           ("武汉市委", False), ("中共湖北省委", False), ("市场监管总局", False)])
def test_resolve_relative_bodies(name, relative):
    assert is_relative_body(name) is relative


@pytest.mark.parametrize("name,kind", [("市委常委会会议", "会议"), ("专题调研", "调研"), ("座谈会", "座谈"),
                                       ("签约仪式", "仪式")])
def test_resolve_meeting_kind(name, kind):
    assert meeting_kind(name) == kind
