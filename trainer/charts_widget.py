"""The live charts on the page: a Vue widget that draws ``chart_data`` as plain SVG.

Each panel's axes are drawn when their range changes (the week axis ends at fixed points,
``chart_data.x_max``; the value axes at round numbers), and a new week only replaces the
lines: a few path strings. Titles, units and legends are HTML, so they wrap instead of
overlapping; every text is at least 14 px. Hovering a panel shows the values of that week.
When the lines show a week, ``.linli-charts`` gets ``data-week``: the state the tests and the
benchmark wait for.

(ECharts, which solara-assets also ships, was tried first: its ``setOption`` took 40–60 ms a
week for the six panels, most of a week's budget; these lines take about 1 ms.)
"""

from __future__ import annotations

import json
from typing import Any

import ipyvue
import traitlets

TEMPLATE = r"""
<template>
  <div class="linli-charts" :data-runs="runCount">
    <div class="linli-charts-head">
      <span class="linli-charts-title">{{ text("charts_head") }}</span>
      <span v-for="(name, r) in spec.run_names || []" v-if="name" :key="'run' + r"
            class="linli-key"><i :class="'line ' + spec.line_styles[r]"></i>{{ name }}</span>
      <span class="linli-key"><i class="line dotted"
            :style="{borderColor: spec.intervention_colour}"></i>{{ text("legend_iv_line") }}</span>
    </div>
    <div class="linli-chart-grid">
      <div v-for="(p, k) in spec.panels || []" :key="p.key" class="linli-panel"
           :data-panel="p.key">
        <div class="linli-panel-title" :title="p.help">{{ p.title }}
          <span class="linli-panel-unit">{{ p.unit }}</span></div>
        <div class="linli-panel-legend">
          <span v-for="s in p.series" :key="s.column" class="linli-key"
                :class="{off: s.off.length === runCount}">
            <i class="swatch" :style="{background: s.colour}"></i>{{ s.name }}</span>
        </div>
        <div class="linli-panel-body" @mousemove="move($event, k)" @mouseleave="tip = null">
          <svg ref="plot" class="linli-plot" :data-k="k" xmlns="http://www.w3.org/2000/svg">
            <g class="frame"></g><g class="lines"></g><line class="rule"></line>
          </svg>
          <div v-if="p.off" class="linli-panel-off">{{ p.off }}</div>
          <div v-if="tip && tip.k === k" class="linli-chart-tip" :style="tip.style"
               v-html="tip.html"></div>
        </div>
      </div>
    </div>
  </div>
</template>
<script>
module.exports = {
  data() { return { tip: null }; },
  computed: {  // the values come as JSON text (see ChartsWidget)
    spec() { return JSON.parse(this.spec_json || "{}"); },
    history() { return JSON.parse(this.history_json || "[]"); },
    latest() { return JSON.parse(this.latest_json || "[]"); },
    marks() { return JSON.parse(this.marks_json || "[]"); },
    runCount() { return (this.spec.runs || []).length; },
  },
  mounted() {
    this.frames = {};
    this.observed = [];
    // a panel resized: redraw at its new size (update() redraws a frame whose size changed)
    this.observer = new ResizeObserver(() => this.schedule());
    this.$nextTick(() => this.redraw());
  },
  beforeDestroy() { this.observer.disconnect(); },
  watch: {
    spec() { this.$nextTick(() => this.redraw()); },
    history: "schedule", latest: "schedule", marks: "schedule", x_end: "schedule",
  },
  methods: {
    text(key) { return (this.spec.text || {})[key] || ""; },
    plots() {
      return (this.$refs.plot || []).slice().sort((a, b) => a.dataset.k - b.dataset.k);
    },
    redraw() {  // the panels changed: watch the new ones' sizes, draw every frame again
      const plots = this.plots();
      if (plots.length !== this.observed.length || plots.some((el, i) => el !== this.observed[i])) {
        this.observer.disconnect();
        plots.forEach(el => this.observer.observe(el));
        this.observed = plots;
      }
      this.frames = {};
      this.update();
    },
    schedule() {
      if (this.scheduled) return;
      this.scheduled = true;
      Promise.resolve().then(() => { this.scheduled = false; this.update(); });
    },
    run(r) {
      const h = (this.history || [])[r] || {}, l = (this.latest || [])[r] || {};
      const out = {};
      for (const key of new Set([...Object.keys(h), ...Object.keys(l)])) {
        out[key] = (h[key] || []).concat(l[key] || []);
      }
      out.week = out.week || [];
      return out;
    },
    scale(kind, top) {  // round ticks from 0 to at least top
      if (kind === "index") return { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
      if (!(top > 0)) top = kind === "share" ? 0.1 : 5;
      const raw = top / 3, mag = Math.pow(10, Math.floor(Math.log10(raw))), n = raw / mag;
      let step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
      if (kind === "count") step = Math.max(1, Math.ceil(step));
      const count = Math.max(1, Math.ceil(top / step - 1e-9));
      const ticks = [];
      for (let i = 0; i <= count; i++) ticks.push(+(i * step).toPrecision(12));
      return { max: ticks[ticks.length - 1], ticks: ticks };
    },
    format(kind, v, tick) {
      if (v === null || v === undefined) return "–";
      if (kind === "share") {
        const pct = 100 * v;
        return (tick && Math.abs(pct - Math.round(pct)) < 1e-9 ? pct.toFixed(0)
                : pct.toFixed(1)) + "%";
      }
      if (kind === "index") return tick ? String(v) : v.toFixed(2);
      return tick ? String(v) : String(Math.round(v));
    },
    lines(p, runs) {
      const out = [];
      runs.forEach((d, r) => p.series.forEach(s => {
        if (s.off.includes(this.spec.runs[r])) return;
        out.push({ s: s, r: r, weeks: d.week, values: d[s.column] || [] });
      }));
      return out;
    },
    update() {
      const plots = this.plots();
      if (!this.spec.panels || plots.length !== this.spec.panels.length) return;
      const runs = this.spec.runs.map((_, r) => this.run(r));
      this.spec.panels.forEach((p, k) => this.draw(plots[k], p, k, runs));
      const weeks = runs[0] ? runs[0].week : [];
      this.$el.dataset.week = String(weeks.length ? weeks[weeks.length - 1] : 0);
    },
    draw(svg, p, k, runs) {
      const W = svg.clientWidth, H = svg.clientHeight;
      if (!W || !H) return;
      const lines = this.lines(p, runs);
      const top = right => Math.max(0, ...lines.filter(l => !!l.s.right === right)
        .flatMap(l => l.values.filter(v => v !== null)));
      const kindR = p.right_axis || "";
      const yl = this.scale(p.axis, top(false)), yr = kindR ? this.scale(kindR, top(true)) : null;
      const labelsL = yl.ticks.map(v => this.format(p.axis, v, true));
      const labelsR = yr ? yr.ticks.map(v => this.format(kindR, v, true)) : [];
      const width = labels => 8 + 8.5 * Math.max(1, ...labels.map(t => t.length));
      const box = { left: width(labelsL), right: yr ? width(labelsR) : 18, top: 10, bottom: 24 };
      const xEnd = this.x_end || 12;
      const X = w => box.left + (W - box.left - box.right) * w / xEnd;
      const Y = (v, sc) => box.top + (H - box.top - box.bottom) * (1 - v / sc.max);
      const f = v => v.toFixed(1);
      const key = [W, H, xEnd, yl.max, yr ? yr.max : 0, this.spec.lang].join();
      if (this.frames[k] !== key) {  // axes, ticks and labels
        this.frames[k] = key;
        const parts = [];
        yl.ticks.forEach((v, i) => {
          parts.push(`<line class="grid" x1="${f(box.left)}" x2="${f(W - box.right)}" ` +
                     `y1="${f(Y(v, yl))}" y2="${f(Y(v, yl))}"/>`);
          parts.push(`<text class="tick" x="${f(box.left - 6)}" y="${f(Y(v, yl) + 5)}" ` +
                     `text-anchor="end">${labelsL[i]}</text>`);
        });
        if (yr) yr.ticks.forEach((v, i) => parts.push(
          `<text class="tick" x="${f(W - box.right + 6)}" y="${f(Y(v, yr) + 5)}">` +
          `${labelsR[i]}</text>`));
        for (let i = 0; i <= 4; i++) {
          const w = xEnd * i / 4;
          parts.push(`<text class="tick" x="${f(X(w))}" y="${f(H - 6)}" ` +
                     `text-anchor="${i === 4 ? "end" : i === 0 ? "start" : "middle"}">` +
                     `${Math.round(w)}</text>`);
        }
        parts.push(`<line class="axis" x1="${f(box.left)}" x2="${f(W - box.right)}" ` +
                   `y1="${f(Y(0, yl))}" y2="${f(Y(0, yl))}"/>`);
        svg.querySelector(".frame").innerHTML = parts.join("");
      }
      const out = [];
      if (p.gap && runs.length === 2) {  // shade between A and B
        const a = runs[0][p.series[0].column] || [], b = runs[1][p.series[0].column] || [];
        const n = Math.min(a.length, b.length), wk = runs[0].week, pts = [];
        const both = i => a[i] !== null && b[i] !== null;
        for (let i = 0; i < n; i++) if (both(i)) pts.push([wk[i], a[i]]);
        for (let i = n - 1; i >= 0; i--) if (both(i)) pts.push([wk[i], b[i]]);
        if (pts.length > 2) out.push(`<polygon class="gap" fill="${p.series[0].colour}" ` +
          `points="${pts.map(q => f(X(q[0])) + "," + f(Y(q[1], yl))).join(" ")}"/>`);
      }
      for (const m of this.marks || []) {
        const dash = m.pending ? "2 4" : m.run ? "6 4" : "";
        out.push(`<line class="mark" x1="${f(X(m.week))}" x2="${f(X(m.week))}" ` +
                 `y1="${f(box.top)}" y2="${f(Y(0, yl))}" ` +
                 `stroke="${this.spec.intervention_colour}" stroke-dasharray="${dash}"/>`);
      }
      for (const l of lines) {
        const sc = l.s.right ? yr : yl;
        let d = "", pen = "M";
        l.values.forEach((v, i) => {
          if (v === null) { pen = "M"; return; }
          d += `${pen}${f(X(l.weeks[i]))} ${f(Y(v, sc))}`;
          pen = "L";
        });
        const dash = l.r ? ` stroke-dasharray="7 4"` : "";
        out.push(`<path class="series" data-series="${l.s.column}" data-run="${l.r}" d="${d}" ` +
                 `stroke="${l.s.colour}" stroke-width="${l.s.width}"${dash}/>`);
        const i = l.values.length - 1;  // this week's value as a dot: week 1 already shows
        if (i >= 0 && l.values[i] !== null) {
          out.push(`<circle class="now" cx="${f(X(l.weeks[i]))}" cy="${f(Y(l.values[i], sc))}" ` +
                   `r="${f(l.s.width + 1.2)}" fill="${l.s.colour}"/>`);
        }
      }
      svg.querySelector(".lines").innerHTML = out.join("");
      svg.linli = { X: X, box: box, W: W, H: H, lines: lines, xEnd: xEnd };
    },
    move(e, k) {
      const svg = this.plots()[k], g = svg && svg.linli;
      if (!g) return;
      const rect = svg.getBoundingClientRect(), x = e.clientX - rect.left;
      const p = this.spec.panels[k];
      const week = Math.round((x - g.box.left) / (g.W - g.box.left - g.box.right) * g.xEnd);
      const rows = [];
      for (const l of g.lines) {
        const i = l.weeks.indexOf(week);
        if (i < 0) continue;
        const run = this.runCount > 1 ? this.spec.runs[l.r] + " " : "";
        rows.push(`<span style="color:${l.s.colour}">━</span> ${run}${l.s.name}: ` +
                  this.format(l.s.right ? p.right_axis : p.axis, l.values[i], false));
      }
      for (const m of this.marks || []) {
        const run = this.spec.runs[m.run] ? this.spec.runs[m.run] + " " : "";
        if (m.week === week) rows.push("┆ " + run + m.text);
      }
      const rule = svg.querySelector(".rule");
      if (!rows.length) { this.tip = null; rule.style.visibility = "hidden"; return; }
      rule.style.visibility = "visible";
      for (const [a, v] of [["x1", g.X(week)], ["x2", g.X(week)], ["y1", g.box.top],
                            ["y2", g.H - g.box.bottom]]) rule.setAttribute(a, v);
      const leftSide = x > rect.width / 2;
      this.tip = { k: k, html: [this.text("axis_week") + " " + week, ...rows].join("<br>"),
                   style: leftSide ? { right: (rect.width - x + 12) + "px", top: "4px" }
                                   : { left: (x + 12) + "px", top: "4px" } };
    },
  },
};
</script>
<style id="linli-charts-widget">
.linli-charts-head { display: flex; flex-wrap: wrap; gap: 2px 16px; align-items: baseline;
                     font-size: 14px; margin-bottom: 2px; }
.linli-charts-title { font-weight: 600; font-size: 16px; }
.linli-key { white-space: nowrap; font-size: 14px; }
.linli-key.off { color: #9e9e9e; text-decoration: line-through; }
.linli-key .swatch { display: inline-block; width: 14px; height: 4px; margin-right: 4px;
                     vertical-align: middle; border-radius: 1px; }
.linli-key .line { display: inline-block; width: 22px; margin-right: 4px; vertical-align: middle;
                   border-top: 2px solid #424242; }
.linli-key .line.dashed { border-top-style: dashed; }
.linli-key .line.dotted { border-top-style: dotted; border-top-width: 3px; }
.linli-chart-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr));
                    gap: 6px 10px; }
.linli-panel { display: flex; flex-direction: column; min-width: 0;
               height: var(--linli-panel-height, 220px); }
.linli-panel-title { font-size: 15px; font-weight: 600; line-height: 1.25; }
.linli-panel-unit { font-weight: 400; color: #616161; font-size: 14px; }
.linli-panel-legend { display: flex; flex-wrap: wrap; gap: 0 10px; line-height: 1.3; }
.linli-panel-body { position: relative; flex: 1 1 auto; min-height: 60px; }
.linli-plot { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; }
.linli-plot text { font-size: 14px; fill: #424242; }
.linli-plot .grid { stroke: #e0e0e0; }
.linli-plot .axis { stroke: #757575; }
.linli-plot .series { fill: none; stroke-linejoin: round; }
.linli-plot .gap { opacity: 0.15; stroke: none; }
.linli-plot .mark { stroke-width: 1.6; opacity: 0.85; }
.linli-plot .rule { stroke: #9e9e9e; stroke-width: 1; visibility: hidden; }
.linli-chart-tip { position: absolute; z-index: 5; padding: 4px 8px; font-size: 14px;
                   line-height: 1.35; background: rgba(255, 255, 255, 0.96);
                   border: 1px solid #bdbdbd; border-radius: 4px; white-space: nowrap;
                   pointer-events: none; }
.linli-panel-off { position: absolute; inset: 0; display: flex; align-items: center;
                   justify-content: center; font-size: 15px; color: #616161;
                   background: rgba(255, 255, 255, 0.7); text-align: center; }
</style>
"""


class ChartsWidget(ipyvue.VueTemplate):
    """The six live panels (see the module docstring and ``chart_data``).

    ``spec``, ``history``, ``latest`` and ``marks`` are sent as JSON text: as nested lists
    and dicts, the page's renderer (reacton) would walk every number of them on every render
    looking for widgets, which cost more than the rest of a week together.
    """

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    spec_json = traitlets.Unicode("{}").tag(sync=True)
    history_json = traitlets.Unicode("[]").tag(sync=True)
    latest_json = traitlets.Unicode("[]").tag(sync=True)
    marks_json = traitlets.Unicode("[]").tag(sync=True)
    x_end = traitlets.Int(12).tag(sync=True)

    def data(self, name: str) -> Any:
        """``spec``, ``history``, ``latest`` or ``marks`` as Python values."""
        return json.loads(getattr(self, f"{name}_json"))


def as_json(value: Any) -> str:
    """Compact JSON for the widget's ``*_json`` values."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
