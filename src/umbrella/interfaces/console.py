"""The command line's consoles and its one rule for bad input: a single message on stderr and
exit status 2, no traceback (`guard`), for `umbrella` and `umbrella explore` alike."""

from __future__ import annotations

import functools

import typer
from rich.console import Console
from rich.markup import escape

from umbrella.errors import InputError

err = Console(stderr=True)
out = Console()


def fail(msg: str) -> None:
    # the message is text, not markup (a value may hold brackets); one logical line
    err.print("[bold red]error:[/] " + escape(msg), highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def guard(fn):
    """Turn input errors into one message and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*a, **k):
        from umbrella.data.errors import UnknownActorError
        try:
            target = k.get("json_path")
            if target not in (None, "-"):       # a --json file that cannot be written: refused first
                from umbrella.results.atomic import check_writable
                check_writable(target, "--json")
            return fn(*a, **k)
        except (InputError, UnknownActorError) as e:
            fail(str(e))   # both are ValueError/LookupError: str() is the message, unquoted
    return wrapper
