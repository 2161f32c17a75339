"""``linli scenarios`` (list them) and ``linli scenarios show NAME`` (one, as tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from experiments.cli_common import load_scenario
from experiments.terminal import cell, console, plain, say

if TYPE_CHECKING:
    import scenarios as scenario_lib
    from model.params import Params

app = typer.Typer(help="List the built-in and local scenarios, or show one.",
                  invoke_without_command=True, rich_markup_mode=None)
SWITCHES = {"couriers": "count", "businesses": "count"}  # sections without an `enabled`


@app.callback()
def scenarios_list(ctx: typer.Context) -> None:
    """List the built-in and local scenarios with their titles."""
    if ctx.invoked_subcommand is not None:
        return
    import scenarios as scenario_lib

    table = Table(show_lines=False)
    table.add_column("name", no_wrap=True)
    table.add_column("title / 标题", overflow="fold")
    for name, (path, where) in scenario_lib.available().items():
        label = name if where == "built-in" else f"{name} (local)"
        try:
            sc = scenario_lib.load(path)
        except (scenario_lib.ScenarioError, ValueError) as err:  # list it, with what is wrong
            table.add_row(cell(label), cell(f"invalid: {err}", style="red"))
            continue
        titles = Text(plain(sc.text("title", "en")))
        titles.append("\n" + plain(sc.text("title", "zh")), style="dim")
        table.add_row(cell(label), titles)
    console.print(table)
    say("[dim]linli scenarios show NAME: one scenario's parameters[/]")


@app.command("show")
def scenarios_show(
    name: Annotated[str, typer.Argument(help="Scenario name or path to a .toml")],
    as_json: Annotated[bool, typer.Option("--json", help="The resolved parameters as JSON")]
    = False,
    every: Annotated[bool, typer.Option(
        "--all", help="Also the parameters of mechanisms this scenario switches off")] = False,
) -> None:
    """Show a scenario: its description, and each section's parameters with unit and meaning,
    marking what differs from the scenario it extends."""
    sc = load_scenario(name)
    say("[bold]{name}[/] ({chain}): {title}", name=sc.name, chain=" → ".join(sc.chain),
        title=sc.text("title"))
    if as_json:
        import json

        console.print_json(json.dumps(sc.params.model_dump(mode="json")))
        return
    parent, against = _parent(sc)
    say("{zh}", zh=sc.text("title", "zh"))
    for lang in ("en", "zh"):
        if sc.description.get(lang):
            say("[dim]{text}[/]", text=sc.description[lang])
    _print_sections(sc.params, parent, against, every)


def _parent(sc: scenario_lib.Scenario) -> tuple[Params, str]:
    """The parameters of the scenario ``sc`` extends (or the defaults), and its name."""
    import scenarios as scenario_lib
    from model.params import Params

    if len(sc.chain) < 2:
        return Params(), "the model's defaults"
    sibling = sc.path.parent / f"{sc.chain[1]}.toml"
    return scenario_lib.load(sibling if sibling.is_file() else sc.chain[1]).params, sc.chain[1]


def _print_sections(params: Params, parent: Params, against: str, every: bool) -> None:
    from model.params import SECTIONS, Params

    say("[dim]★ differs from {against}; the value there in brackets[/]", against=against)
    general = _table("general", "How long a run lasts.")
    _row(general, Params, "weeks", params.weeks, parent.weeks)
    console.print(general)
    hidden = []
    for section, cls in SECTIONS.items():
        values, before = getattr(params, section), getattr(parent, section)
        switch = SWITCHES.get(section, "enabled")
        if not every and switch in cls.model_fields and not getattr(values, switch) \
                and values == before:
            hidden.append(section)
            continue
        table = _table(section, cls.__doc__ or "")
        for field in cls.model_fields:
            _row(table, cls, field, getattr(values, field), getattr(before, field))
        console.print(table)
    if hidden:
        say("[dim]switched off here (as in {against}): {names}; --all shows their "
            "parameters[/]", against=against, names=", ".join(hidden))


def _table(section: str, doc: str) -> Table:
    table = Table(title=Text(f"{section}: {doc.strip().splitlines()[0] if doc else ''}",
                             style="bold"), title_justify="left")
    table.add_column("", width=1)
    table.add_column("parameter", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("unit")
    table.add_column("meaning", overflow="fold", ratio=1)
    return table


def _row(table: Table, cls: Any, field: str, value: Any, before: Any) -> None:
    info = cls.model_fields[field]
    unit = (info.json_schema_extra or {}).get("unit", "-")
    changed = value != before
    shown = _fmt(value) + (f" ({_fmt(before)})" if changed else "")
    table.add_row("★" if changed else "", cell(field), cell(shown, style="bold" if changed
                                                             else ""),
                  cell("" if unit == "-" else unit), cell(info.description or ""))


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
