"""Hand-made ArticleDocs for the graph/store/query tests (independent of extraction quality).

The text is a short paraphrase of the seed article's key facts, with exact offsets.
"""

from __future__ import annotations

from cheguKG.types import Article, ArticleDoc, Entity, Mention, Relation, Sentence

SENTENCES = (
    "12月9日,市委常委会召开会议,审议通过《关于支持武汉经开区转型发展的若干措施》。",
    "岚图汽车CEO卢放表示,将加快新能源汽车研发。",
    "武汉绿动氢能能源技术有限公司在武汉经开区建设氢能研发和生产基地。",
)


def _sentences(texts=SENTENCES) -> tuple[str, tuple[Sentence, ...]]:
    text, out, offset = "", [], 0
    for i, s in enumerate(texts):
        out.append(Sentence(i, offset, offset + len(s), s))
        text += s
        offset += len(s)
    return text, tuple(out)


def make_doc(source: str = "seed.txt", *, published: str | None = None, url: str | None = None,
             title: str | None = "市委常委会会议审议通过支持武汉经开区转型发展措施",
             texts=SENTENCES, drop: tuple[str, ...] = ()) -> ArticleDoc:
    """A doc with every entity type the sentences name and the seed's key relations.

    ``drop`` leaves out entities (and their relations) by local id, to make a changed version.
    """
    text, sentences = _sentences(texts)

    def ent(eid: str, type_: str, name: str, *aliases: str, extractor: str = "lexicon") -> Entity:
        mentions = []
        for form in (name, *aliases):
            start = text.find(form)
            while start >= 0:
                sent = next(s.index for s in sentences if s.start <= start < s.end)
                mentions.append(Mention(start, start + len(form), form, sent, extractor, 0.9))
                start = text.find(form, start + len(form))
        return Entity(eid, type_, name, tuple(aliases), tuple(mentions))

    entities = [
        ent("M1", "Meeting", "市委常委会会议", extractor="rules"),
        ent("G1", "GovernmentBody", "市委常委会"),
        ent("P1", "Policy", "《关于支持武汉经开区转型发展的若干措施》", extractor="rules"),
        ent("L1", "Place", "武汉经开区"),
        ent("E1", "Enterprise", "岚图汽车"),
        ent("E2", "Enterprise", "武汉绿动氢能能源技术有限公司"),
        ent("R1", "Person", "卢放", extractor="ner"),
        ent("T1", "Position", "CEO"),
        ent("I1", "Industry", "新能源汽车"),
        ent("I2", "Industry", "氢能"),
        ent("J1", "Project", "氢能研发和生产基地", extractor="rules"),
    ]
    s0, s1, s2 = sentences

    def rel(head, relation, tail=None, *, value=None, title=None, sentence=s0, extractor="rules"):
        return Relation(head, relation, tail, value, title, sentence.index, sentence.start, sentence.end,
                        extractor, 0.8)

    relations = [
        rel("M1", "convened_by", "G1"),
        rel("M1", "held_on", value=f"{published[:4]}-12-09" if published else "--12-09"),
        rel("M1", "adopts", "P1"),
        rel("R1", "holds_position", "E1", title="CEO", sentence=s1),
        rel("E1", "in_industry", "I1", sentence=s1),
        rel("R1", "comments_on", "M1", sentence=s1),
        rel("E2", "in_industry", "I2", sentence=s2),
        rel("E2", "undertakes", "J1", sentence=s2),
        rel("J1", "located_in", "L1", sentence=s2),
        rel("E2", "located_in", "L1", sentence=s2),
    ]
    entities = [e for e in entities if e.id not in drop]
    relations = [r for r in relations if r.head not in drop and r.tail not in drop]
    article = Article(source=source, text=text, title=title, published=published, url=url,
                      publisher="武汉经开区")
    return ArticleDoc(article, sentences, tuple(entities), tuple(relations))
