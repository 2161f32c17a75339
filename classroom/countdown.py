"""A round's countdown, counted by the page itself.

The server sends the seconds left when the timer is set, resumed or the page redraws
(``seconds``, None: no timer running) and the label around them (``text``, with
``{seconds}`` in it); the page counts down from there. Sent each second, the countdown
redrew every player's page every second — forty pages' worth of the server's and the
browsers' time, right when a round closes. The timer itself stays on the server
(``World.tick`` closes the round).
"""

from __future__ import annotations

import ipyvue
import traitlets

TEMPLATE = r"""
<template>
  <span class="cl-countdown" :data-seconds="shown === null ? '' : String(shown)">{{ label }}</span>
</template>
<script>
module.exports = {
  data() { return { shown: null }; },
  computed: {
    label() { return this.shown === null ? "" : this.text.replace("{seconds}", this.shown); },
  },
  mounted() { this.arm(); },
  beforeDestroy() { clearTimeout(this.ticking); },
  watch: { seconds() { this.arm(); }, text() { this.arm(); } },
  methods: {
    arm() {
      clearTimeout(this.ticking);
      if (this.seconds === null || this.seconds === undefined) { this.shown = null; return; }
      this.end = Date.now() + this.seconds * 1000;
      this.tick();
    },
    tick() {  // once a second, when the number changes
      const left = Math.max(0, this.end - Date.now());
      this.shown = Math.floor(left / 1000);
      if (this.shown > 0) this.ticking = setTimeout(() => this.tick(), left % 1000 + 5);
    },
  },
};
</script>
"""


class Countdown(ipyvue.VueTemplate):
    """The seconds left in the open round, counted down in the page."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    seconds = traitlets.Float(None, allow_none=True).tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
