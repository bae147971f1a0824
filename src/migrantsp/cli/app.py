"""The Typer application and the error handling every command shares (exit 2 for bad input, 1 for bugs)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from migrantsp.knowledge.base import Knowledge, knowledge
from migrantsp.problems import InvalidInput

app = typer.Typer(
    name="migrantsp",
    help="Portable social protection for migrant workers in ASEAN: atlas, entitlements, coordination.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
if not out.is_terminal:  # piped or captured: wide enough that tables wrap rather than truncate
    out.width = max(out.width, 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

KnowledgeOption = typer.Option(
    None,
    "--knowledge",
    envvar="MIGRANTSP_KNOWLEDGE",
    help="Knowledge directory to use instead of the built-in one.",
    file_okay=False,
)


def load(root: Path | None) -> Knowledge:
    return knowledge(root.resolve() if root else None)


def handled(fn: F) -> F:
    """Turn user mistakes into a listed exit 2, and anything else into a short exit 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InvalidInput as exc:
            for p in exc.problems:
                print(str(p), file=sys.stderr)
            raise typer.Exit(2) from None
        except typer.Exit:
            raise
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: say so plainly, keep the details for a report
            print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            print(
                "this is a bug in migrantsp, not in your input: please report it with the command you ran.",
                file=sys.stderr,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
