"""Running and analysing Linli, in rooms with one job each, the ``linli`` CLI on top:

- ``running/``: one run or many seeds, confidence intervals, atomic output, the output guard;
- ``reporting/``: comparing scenarios on the same seeds, the bilingual report and its plots;
- ``sweeping/``: experiment specs, designs, resumable sweeps, the results store and queries;
- ``analysis/``: sensitivity indices, scenario discovery, results by design point, the
  figures the ODD quotes (unit-size curve, pattern figures);
- ``calibration/``: field targets, ``linli calibrate`` (screening, ABC-SMC), the shipped
  posterior;
- ``validation/``: ``linli validate``, the scorecard of targets and mechanism patterns;
- ``cli.py``, ``scenarios_cli.py``, ``research_cli.py`` (with ``cli_common``, ``terminal``,
  ``tables``) and each room's ``cli.py``: the command line; nothing in the rooms imports it.
"""
