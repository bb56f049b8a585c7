"""Docs that tests keep honest: every CLI command and public API name is in the README with help."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cheguKG
from cheguKG.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_docs_cli_has_commands():
    assert {"build", "extract", "evaluate", "query", "viz", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_docs_every_command_has_help_and_is_in_readme(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert main.commands[name].help and len(main.commands[name].help.strip()) > 20
    assert f"chegukg {name}" in README


@pytest.mark.parametrize("name", sorted(set(cheguKG.__all__) - {"__version__"}))
def test_docs_every_public_name_is_in_readme_with_a_docstring(name):
    assert f"cheguKG.{name}" in README
    assert getattr(cheguKG, name).__doc__


@pytest.mark.parametrize("method", ["query", "query_df", "entities", "facts", "to_rdflib", "to_networkx",
                                    "show", "add", "remove", "export"])
def test_docs_knowledge_graph_methods_documented(method):
    assert f"`{method}`" in README or f"kg.{method}(" in README
    assert ">>>" in getattr(cheguKG.KnowledgeGraph, method).__doc__


def test_docs_readme_holds_the_two_commands():
    run = ".venv/bin/pip install -e . && .venv/bin/chegukg build"
    tests = '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q -n 2'
    assert run in README and tests in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci
