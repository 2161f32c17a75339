"""The projector's map shows where the classroom's players are (issue 12): a ring around each
active player's household, courier and business, kept up to date as players join and leave,
and a legend entry for it. Without a browser."""

from __future__ import annotations

import re

import numpy as np
import pytest

from classroom.host_page import player_places
from classroom.settings import RoomSettings
from classroom.world import World
from trainer import map as mp
from trainer import map_svg
from trainer.state import Sim, Snapshot
from trainer.views import legend_html

ROLES = ("household", "head", "courier", "business")


def world() -> World:
    settings = RoomSettings(households=300, timer_seconds=None, roles=ROLES)
    return World(settings, code="ABCDE")


def snapshot(w: World) -> Snapshot:
    return Sim.wrap(w.room, w.settings.seed, w.settings.scenario).snapshot()


def rings(svg: str) -> set[tuple[str, int]]:
    """(kind, index) of each ring in a players layer."""
    found = re.findall(r'class="linli-player-mark" data-kind="(\w+)" data-index="(\d+)"', svg)
    return {(kind, int(i)) for kind, i in found}


def test_every_kind_of_player_is_ringed_where_it_is_drawn():
    w = world()
    tickets = [w.join("ABCDE", name) for name in ("a", "b", "c", "d")]
    places = player_places(w.active_players())
    households = tuple(sorted(t.role.household for t in tickets[:2]))
    assert places == mp.Highlight(households=households, couriers=(0,), businesses=(0,))
    assert places.households == tuple(sorted(w.player_households().tolist()))
    snap, geom = snapshot(w), mp.build(w.room.layout)
    boxes = {(kind, i): box for kind, i, box in mp.highlight_places(geom, snap, places)}
    for h in households:  # the household's own cell
        x, y = geom.cells[h]
        assert np.allclose(boxes["household", h], (x, y, x + mp.CELL, y + mp.CELL))
    assert np.allclose(boxes["business", 0], mp.business_boxes(geom, snap)[0])
    centre = (boxes["courier", 0][:2] + boxes["courier", 0][2:]) / 2
    assert np.allclose(centre, mp.courier_markers(mp.courier_paths(geom, snap))[0])
    layer = map_svg.layer("players", geom, snap, "zh", highlight=places)
    assert rings(layer) == set(boxes) and f'stroke="{mp.PLAYER_COLOUR}"' in layer


def test_nothing_is_ringed_without_players():
    w = world()
    snap, geom = snapshot(w), mp.build(w.room.layout)
    assert player_places(w.active_players()) == mp.NO_HIGHLIGHT
    assert mp.highlight_places(geom, snap, mp.NO_HIGHLIGHT) == []
    assert map_svg.layers(geom, snap, "zh")["players"] == ""  # the trainer's map
    assert 'data-layer="players"' in map_svg.base(geom, snap, "zh")


def test_a_kicked_player_is_no_longer_ringed_and_a_rename_changes_nothing():
    w = world()
    a, b = w.join("ABCDE", "a"), w.join("ABCDE", "b")
    snap, geom = snapshot(w), mp.build(w.room.layout)
    before = player_places(w.active_players())
    assert rings(map_svg.layer("players", geom, snap, "en", highlight=before)) == {
        ("household", a.role.household), ("household", b.role.household)}
    w.kick(b.player)
    after = player_places(w.active_players())
    assert after.households == (a.role.household,)
    assert rings(map_svg.layer("players", geom, snap, "en", highlight=after)) == {
        ("household", a.role.household)}
    w.rename(a.player, "A. Li")
    renamed = player_places(w.active_players())
    # the layer's inputs: the page redraws the rings after the kick, not after the rename
    assert map_svg.layer_inputs("players", snap, renamed) == map_svg.layer_inputs(
        "players", snap, after) != map_svg.layer_inputs("players", snap, before)


@pytest.mark.parametrize("level", ["unit", "grid"])
def test_on_aggregated_maps_the_players_unit_or_grid_cell_is_ringed(level):
    w = world()
    tickets = [w.join("ABCDE", name) for name in ("a", "b", "c", "d")]
    snap, lay = snapshot(w), w.room.layout
    geom = mp.build(lay, level)
    places = mp.highlight_places(geom, snap, player_places(w.active_players()))
    cell_of = lay.unit_of if level == "unit" else lay.grid_of
    for t in tickets[:2]:
        box = next(box for kind, i, box in places if (kind, i) == ("household", t.role.household))
        x, y = geom.cells[int(cell_of[t.role.household])]
        assert np.allclose(box, (x, y, x + mp.CELL, y + mp.CELL))
    # couriers and businesses are not drawn on grid maps, so not ringed there
    assert {kind for kind, _, _ in places} == (
        {"household", "courier", "business"} if level == "unit" else {"household"})


def test_the_legend_names_the_players_ring_in_both_languages():
    assert "玩家" in legend_html("household", "zh", players=True)
    assert "players" in legend_html("unit", "en", players=True)
    assert "players" not in legend_html("household", "en")  # the trainer's legend


def test_the_projector_map_follows_joins_and_kicks():
    import solara

    from classroom import host_page
    from trainer.map_widget import MapWidget

    w = world()
    version = solara.reactive(w.version)

    @solara.component
    def Projector() -> None:
        host_page.Views(w, version.value)

    _, rc = solara.render(Projector(), handle_error=False)
    try:
        widget = rc.find(MapWidget).widget
        assert widget.players == "" and 'data-layer="players"' in widget.base
        a, b = w.join("ABCDE", "a"), w.join("ABCDE", "b")
        version.set(w.version)
        assert rings(widget.players) == {("household", a.role.household),
                                         ("household", b.role.household)}
        w.kick(a.player)
        version.set(w.version)
        assert rings(widget.players) == {("household", b.role.household)}
        legend = [h for h in rc.find(solara.widgets.HTML).widgets
                  if "linli-legend" in h.attributes.get("class", "")]
        assert "玩家" in legend[0].unsafe_innerHTML
    finally:
        rc.close()
