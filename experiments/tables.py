"""Data frames on the terminal: a table when it fits, else one record at a time."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table

from .terminal import cell, console, plain, say

if TYPE_CHECKING:
    import pandas as pd

ROWS = 40  # rows of a table that fits
RECORDS = 3  # rows shown one by one when the table is too wide
CELL_WIDTH = 40  # a column is given at most this many characters before wrapping


def value_text(value: object) -> str:
    """A value as the tables show it: floats to 6 significant digits, missing as NULL."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NULL"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def show(frame: pd.DataFrame, what: str = "rows") -> None:
    """Print ``frame``: as a table if its columns fit the terminal, else its first rows one
    record at a time (column: value); say how much was left out."""
    columns = [str(c) for c in frame.columns]
    head = frame.head(ROWS)
    texts = [[value_text(v) for v in row] for row in head.itertuples(index=False)]
    widths = [min(max([cell_len(plain(c))] + [cell_len(plain(r[i])) for r in texts]),
                  CELL_WIDTH) for i, c in enumerate(columns)]
    if sum(widths) + 3 * len(widths) + 1 <= console.width:
        table = Table()
        for name in columns:
            table.add_column(cell(name))
        for row in texts:
            table.add_row(*(cell(v) for v in row))
        console.print(table)
        shown = len(head)
    else:
        shown = min(RECORDS, len(frame))
        say("[dim]{n} columns do not fit in {w} characters: each row is shown as a record. "
            "Choose columns with SELECT a, b, …, or write everything with --out FILE.csv[/]",
            n=f"{len(columns):,}", w=console.width)
        for i, row in enumerate(texts[:shown]):
            table = Table("column", "value", title=f"row {i + 1}", title_justify="left")
            for name, value in zip(columns, row, strict=True):
                table.add_row(cell(name), cell(value))
            console.print(table)
    if len(frame) > shown:
        say("[dim]… {more} more {what} ({all} in all); write them all with --out FILE.csv[/]",
            more=f"{len(frame) - shown:,}", what=what, all=f"{len(frame):,}")
