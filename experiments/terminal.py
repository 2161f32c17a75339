"""The command line's one terminal-safe printer and its one way to fail.

Everything printed goes through ``say`` (our own Rich markup with ``{fields}`` that are shown
as they are), ``cell`` (a table cell) or ``fail``/``warn``. Text that is not ours (paths,
titles, query results, error messages) is never read as markup, its control characters are
shown as escapes (no terminal escape sequences get through), and very long text is shortened
for the screen, so printing time stays linear in its length. Highlighting is off: Rich's
highlighter is quadratic on long unbroken strings.
"""

from __future__ import annotations

import re
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

MAX_SHOWN = 2_000  # characters of one value shown on screen (files get everything)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(value: object, limit: int | None = MAX_SHOWN) -> str:
    """``value`` as text fit for a terminal: control characters as ``\\xNN`` escapes, and
    at most ``limit`` characters (the rest counted, not shown)."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}… ({len(text):,} characters in all)"
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                        else f"\\u{ord(m[0]):04x}", text)


def safe(value: object, limit: int | None = MAX_SHOWN) -> str:
    """``plain(value)`` with Rich markup escaped, to put inside our own markup."""
    return escape(plain(value, limit))


def cell(value: object, style: str = "", limit: int | None = MAX_SHOWN) -> Text:
    """A table cell that shows ``value`` as it is (never as markup)."""
    return Text(plain(value, limit), style=style)


def say(template: str, /, *, to: Console | None = None, **fields: object) -> None:
    """Print our markup ``template`` with ``{fields}`` filled in safely."""
    text = template.format(**{k: safe(v) for k, v in fields.items()}) if fields else template
    (to or console).print(text, soft_wrap=True)


def warn(message: object) -> None:
    """``warning: message`` on stderr."""
    say("[bold yellow]warning:[/] {message}", to=err_console, message=message)


def fail(message: object) -> NoReturn:
    """Print ``error: message`` to stderr and leave with exit code 2 (no traceback)."""
    say("[bold red]error:[/] {message}", to=err_console, message=message)
    raise typer.Exit(code=2)
