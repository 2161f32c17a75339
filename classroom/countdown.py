"""A round's countdown, counted by the page itself.

The server sends the seconds left when the timer is set, resumed or the page redraws
(``seconds``, None: no timer running) and the label around them (``text``, with
``{seconds}`` in it); the page counts down from there. Sent each second, the countdown
redrew every player's page every second — forty pages' worth of the server's and the
browsers' time, right when a round closes. The timer itself stays on the server
(``World.tick`` closes the round).

With ``step`` above 1 (the phones) the page shows the time left rounded up to ``step``
seconds ("about 120 s left", ``about``) and changes it every ``step`` seconds, then counts
the last ``step`` seconds one by one. Each change is a frame the device draws; forty phones
drawing one every second cost the benchmark's one laptop, which draws them all, about a
third of a core (``benchmarks/README.md``). The projector counts every second.
"""

from __future__ import annotations

import ipyvue
import traitlets

# (ms left, step) -> [seconds shown, ms until that changes]; also run by the tests
SHOWN_JS = r"""
(left, step) => {
  const s = Math.floor(Math.max(0, left) / 1000);
  if (step > 1 && s > step) {
    const shown = Math.ceil(s / step) * step;
    return [shown, left - (shown - step + 1) * 1000 + 5];
  }
  return [s, s > 0 ? left % 1000 + 5 : null];
}
"""

TEMPLATE = r"""
<template>
  <span class="cl-countdown" :data-seconds="shown === null ? '' : String(shown)">{{ label }}</span>
</template>
<script>
module.exports = {
  data() { return { shown: null }; },
  computed: {
    label() {
      if (this.shown === null) return "";
      const coarse = this.step > 1 && this.shown > this.step && this.about;
      return (coarse ? this.about : this.text).replace("{seconds}", this.shown);
    },
  },
  mounted() { this.arm(); },
  beforeDestroy() { clearTimeout(this.ticking); },
  watch: { seconds() { this.arm(); }, text() { this.arm(); }, step() { this.arm(); } },
  methods: {
    arm() {
      clearTimeout(this.ticking);
      if (this.seconds === null || this.seconds === undefined) { this.shown = null; return; }
      this.end = Date.now() + this.seconds * 1000;
      this.tick();
    },
    tick() {  // when the number shown changes
      const [shown, next] = (SHOWN_JS)(this.end - Date.now(), this.step);
      this.shown = shown;
      if (next !== null) this.ticking = setTimeout(() => this.tick(), next);
    },
  },
};
</script>
""".replace("SHOWN_JS", SHOWN_JS.strip())


class Countdown(ipyvue.VueTemplate):
    """The seconds left in the open round, counted down in the page."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    seconds = traitlets.Float(None, allow_none=True).tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    about = traitlets.Unicode("").tag(sync=True)  # the label while rounded (``step`` > 1)
    step = traitlets.Int(1).tag(sync=True)
