"""One base exception with specific subclasses; messages name the file and the fix.

The CLI prints ``str(error)`` as one line and exits non-zero; it never shows a traceback.
"""

from __future__ import annotations


class CheguError(Exception):
    """Base class of every error cheguKG raises on purpose."""


class InputError(CheguError):
    """An input file or record cannot be read: names the file and what to do."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class ExtractionError(CheguError):
    """A pipeline component failed; names the component and the article."""


class StoreError(CheguError):
    """The store is missing, locked or damaged."""


class QueryError(CheguError):
    """A SPARQL query is malformed, not allowed, or over a limit."""


class ConfigError(CheguError):
    """A dictionary, alias table or option is malformed."""
