"""extract: Article -> ArticleDoc, through a pipeline of named components.

>>> from cheguKG.extract import extract          # doctest: +SKIP
>>> doc = extract(Article("a.txt", "岚图汽车CEO卢放表示……"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..types import Article, ArticleDoc
from .consolidate import Consolidator
from .dates import date_finder
from .meetings import MeetingFinder
from .relations import relation_components
from .lexicon import Lexicon, LexiconMatcher, default_lexicon_paths
from .pipeline import Component, Pipeline, component
from .segment import Segmenter
from .sentences import sentence_splitter, split_sentences
from .workspace import Candidate, Token, Workspace

__all__ = [
    "Candidate", "Component", "ExtractConfig", "Pipeline", "Token", "Workspace", "component",
    "default_pipeline", "extract", "split_sentences",
]


@dataclass(frozen=True)
class ExtractConfig:
    """What a researcher tunes without editing code: extra lexicons, alias table, NER on/off."""

    lexicons: tuple[Path, ...] = ()
    aliases: tuple[Path, ...] = ()
    use_ner: bool = True


_cache: dict[ExtractConfig, Pipeline] = {}


def default_pipeline(config: ExtractConfig | None = None) -> Pipeline:
    """The standard pipeline: sentences, segmentation, dictionaries, rules, model, relations."""
    config = config or ExtractConfig()
    from .people import PeopleRules
    from .organizations import DeclaredAliases, OrganizationRules
    from .places import PlaceRules
    from .policies import PolicyRules
    from .projects import ProjectLists
    from .suffixes import SuffixRules
    from .ner_component import ner_components

    lexicon = Lexicon.load(default_lexicon_paths((*config.lexicons, *config.aliases)))
    components: list[Component] = [
        sentence_splitter,
        Segmenter(),
        LexiconMatcher(lexicon),
        PeopleRules(),
        SuffixRules(),
        OrganizationRules(),
        PolicyRules(),
        ProjectLists(),
        PlaceRules(),
        date_finder,
        MeetingFinder(),
        *ner_components(config),
        DeclaredAliases(),
        Consolidator(),
        *relation_components(),
    ]
    return Pipeline(components)


def extract(article: Article, config: ExtractConfig | None = None) -> ArticleDoc:
    """Extract one article with the (cached) default pipeline for ``config``."""
    config = config or ExtractConfig()
    if config not in _cache:
        _cache[config] = default_pipeline(config)
    return _cache[config](article)


def extract_all(articles: Iterable[Article], config: ExtractConfig | None = None) -> Iterable[ArticleDoc]:
    for article in articles:
        yield extract(article, config)
