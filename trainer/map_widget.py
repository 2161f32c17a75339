"""The map on the page: a Vue widget that draws ``map_svg.base`` once and then only recolours.

Python sends each value only when it changes: ``base`` (the SVG), ``frame`` (the week and one
character per shape, ``map_svg.codes``) and one value per layer drawn over the map (named as
in ``map_svg.LAYERS``: party, heads, listed, players, stations, marks, selection). The page
changes the class of the shapes whose character changed and replaces a layer's content when
it changed, then sets ``data-week`` on ``.linli-map``: the state the tests and the benchmark
wait for; once that frame is painted it reports the week (``painted``), which paces Play.
Hovering a shape asks Python for its tooltip (``hover``); clicking it reports it (``pick``), so
the map is where a trainer chooses a unit, grid cell or business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipyvue
import traitlets

TEMPLATE = r"""
<template>
  <div class="linli-map-box">
    <div ref="box" class="linli-map" @mouseover="over" @mousemove="move"
         @mouseleave="leave" @click="click"></div>
    <div v-if="tipVisible" class="linli-tip" :style="tipStyle">{{ tip.text }}</div>
  </div>
</template>
<script>
module.exports = {
  data() { return { hoverKey: "", mouse: [0, 0] }; },
  computed: {
    tipVisible() { return this.tip && this.tip.text && this.tip.key === this.hoverKey; },
    tipStyle() {
      const [x, y] = this.mouse;
      const left = Math.min(x + 16, window.innerWidth - 340);
      const top = y + 16 > window.innerHeight - 140 ? y - 130 : y + 16;
      return { left: left + "px", top: top + "px" };
    },
  },
  mounted() { this.draw(); },
  watch: {
    base() { this.draw(); },
    party() { this.overlay(); },
    heads() { this.overlay(); },
    listed() { this.overlay(); },
    players() { this.overlay(); },
    stations() { this.overlay(); },
    marks() { this.overlay(); },
    selection() { this.overlay(); },
    frame() { this.paint(); },
  },
  methods: {
    draw() {
      const box = this.$refs.box;
      box.innerHTML = this.base || "";
      this.groups = {};
      this.items = new Map();
      this.layerEls = {};
      this.shownCodes = {};
      this.shownLayers = {};
      for (const g of box.querySelectorAll("[data-codes]")) {
        this.groups[g.dataset.codes] = Array.from(g.children);
      }
      for (const g of box.querySelectorAll("[data-items]")) {
        Array.from(g.children).forEach((el, i) => this.items.set(el, [g.dataset.items, i]));
      }
      for (const g of box.querySelectorAll("[data-layer]")) this.layerEls[g.dataset.layer] = g;
      this.overlay();
      this.paint();
    },
    overlay() {
      if (!this.layerEls) return;
      for (const name of Object.keys(this.layerEls)) {
        const g = this.layerEls[name], html = this[name] || "";
        if (g && this.shownLayers[name] !== html) {
          g.innerHTML = html;
          this.shownLayers[name] = html;
        }
      }
    },
    paint() {
      const f = this.frame;
      if (!f || !this.groups || !this.base) return;  // a week is shown only over its map
      for (const [name, codes] of Object.entries(f.codes || {})) {
        const els = this.groups[name];
        if (!els) continue;
        const old = this.shownCodes[name] || "";
        const n = Math.min(codes.length, els.length);
        for (let i = 0; i < n; i++) {
          if (codes[i] !== old[i]) els[i].setAttribute("class", "k" + codes[i]);
        }
        this.shownCodes[name] = codes;
      }
      this.$refs.box.dataset.week = String(f.week);
      if (f.week !== this.reported) {  // tell the server once it is on the screen
        this.reported = f.week;
        requestAnimationFrame(() => requestAnimationFrame(() => this.painted({ week: f.week })));
      }
    },
    itemAt(el) {
      const box = this.$refs.box;
      while (el && el !== box) {
        if (el.dataset && el.dataset.tip) {
          const [kind, i] = el.dataset.tip.split(":");
          return [kind, Number(i)];
        }
        const item = this.items && this.items.get(el);
        if (item) return item;
        el = el.parentNode;
      }
      return null;
    },
    over(e) {
      const item = this.itemAt(e.target);
      const key = item ? item.join(":") : "";
      if (key === this.hoverKey) return;
      this.hoverKey = key;
      this.hover(item ? { kind: item[0], i: item[1] } : { kind: "", i: -1 });
    },
    move(e) { this.mouse = [e.clientX, e.clientY]; },
    leave() {
      this.hoverKey = "";
      this.hover({ kind: "", i: -1 });
    },
    click(e) {
      const item = this.itemAt(e.target);
      if (item) this.pick({ kind: item[0], i: item[1] });
    },
  },
};
</script>
<style id="linli-map-widget">
.linli-map-box { position: relative; }
.linli-map svg { display: block; }
.linli-tip { position: fixed; z-index: 20; max-width: 330px; padding: 6px 10px;
             background: rgba(33, 33, 33, 0.94); color: #fff; font-size: 14px;
             line-height: 1.4; border-radius: 4px; white-space: pre-line;
             pointer-events: none; }
</style>
"""

Callback = Callable[[str, int], None]


class MapWidget(ipyvue.VueTemplate):
    """The map (see the module docstring); ``on_hover``/``on_pick`` get ``(kind, index)``,
    kind "" when the pointer left every shape."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    base = traitlets.Unicode("").tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    party = traitlets.Unicode("").tag(sync=True)  # one trait per layer: a change sends one
    heads = traitlets.Unicode("").tag(sync=True)
    listed = traitlets.Unicode("").tag(sync=True)
    players = traitlets.Unicode("").tag(sync=True)  # the classroom's players (empty elsewhere)
    stations = traitlets.Unicode("").tag(sync=True)
    marks = traitlets.Unicode("").tag(sync=True)
    selection = traitlets.Unicode("").tag(sync=True)
    tip = traitlets.Dict().tag(sync=True)
    on_hover = traitlets.Callable(None, allow_none=True)
    on_pick = traitlets.Callable(None, allow_none=True)
    on_painted = traitlets.Callable(None, allow_none=True)  # gets the week now on screen

    def _call(self, callback: Callback | None, data: Any) -> None:
        if callback is not None and isinstance(data, dict):
            callback(str(data.get("kind", "")), int(data.get("i", -1)))

    def vue_hover(self, data: Any) -> None:
        self._call(self.on_hover, data)

    def vue_pick(self, data: Any) -> None:
        self._call(self.on_pick, data)

    def vue_painted(self, data: Any) -> None:
        if self.on_painted is not None and isinstance(data, dict):
            self.on_painted(int(data.get("week", -1)))
