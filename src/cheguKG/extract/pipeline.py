"""A pipeline object that runs named extraction components in order and names the failing one.

Like spaCy's ``Language.__call__``: a component is any callable ``(Workspace) -> None`` with a
``name``; adding one never means editing the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from ..errors import ExtractionError
from ..types import Article, ArticleDoc
from .workspace import Workspace


class Component(Protocol):
    name: str

    def __call__(self, ws: Workspace) -> None: ...


class Pipeline:
    """Runs components over an article.

    >>> doc = default_pipeline()(Article("a.txt", "12月9日,市委常委会召开会议。"))  # doctest: +SKIP
    """

    def __init__(self, components: Iterable[Component]):
        self.components: list[Component] = list(components)
        names = [c.name for c in self.components]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ExtractionError(f"pipeline has duplicate component names: {sorted(dupes)}")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def get(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)

    def replace(self, name: str, component: Component) -> None:
        self.components[self.names.index(name)] = component

    def insert_before(self, name: str, component: Component) -> None:
        self.components.insert(self.names.index(name), component)

    def remove(self, name: str) -> None:
        del self.components[self.names.index(name)]

    def __call__(self, article: Article) -> ArticleDoc:
        ws = Workspace(article)
        for component in self.components:
            try:
                component(ws)
            except Exception as exc:  # name the component: the traceback alone does not
                raise ExtractionError(
                    f"{article.source}: extraction component {component.name!r} failed: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        return ws.freeze()


def component(name: str) -> Callable[[Callable[[Workspace], None]], Component]:
    """Decorator turning a plain function into a named component."""

    def wrap(fn: Callable[[Workspace], None]) -> Component:
        fn.name = name  # type: ignore[attr-defined]
        return fn  # type: ignore[return-value]

    return wrap
