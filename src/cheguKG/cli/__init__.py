"""chegukg: thin commands over the public Python API, one command per API function.

Each command module under cheguKG.cli registers its commands on :data:`main`; heavy
libraries are imported inside the commands, so ``chegukg --help`` stays fast.
"""

from __future__ import annotations

import sys

import click

from ..errors import CheguError


class _Group(click.Group):
    """Turns cheguKG's own errors into one clean line and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CheguError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chegukg")
def main() -> None:
    """cheguKG: knowledge graphs from Chinese local-government news (武汉经开区 / 中国车谷)."""


def output_format(*choices: str, default: str = "table"):
    """The shared ``--format`` option."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                        show_default=True, help="Output format.")


def _register() -> None:
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")


_register()
