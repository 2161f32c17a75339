"""Conclusions that flip between structural formulations of the model.

A conclusion is one scenario's difference from the reference in one key output at the last
report week. Under each variant it has a **direction** (+1 or −1 when chance cannot explain
it, 0 when it can) and is **robust** when it has a direction that holds in at least
``ROBUST`` of the plausible parameter sets (without a posterior: when it has a direction).
It **flips** when two variants give opposite directions, or when it is robust under one
and not under another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

ROBUST = 0.9  # share of parameter sets with the same direction for a robust conclusion
COLUMNS = ("diff", "diff_low", "diff_high", "diff_param_low", "diff_param_high",
           "robust_share", "distinguishable")


def direction(row: Mapping[str, Any]) -> int:
    """+1 or −1 when the difference is clear of chance, else 0."""
    diff = float(row["diff"])
    return int(np.sign(diff)) if bool(row["distinguishable"]) and np.isfinite(diff) else 0


def robust(row: Mapping[str, Any]) -> bool:
    """Clear of chance and, with a posterior, the same direction in ``ROBUST`` of the
    parameter sets."""
    share = float(row.get("robust_share", float("nan")))
    return direction(row) != 0 and (not np.isfinite(share) or share >= ROBUST)


def table(summaries: Mapping[str, pd.DataFrame], reference: str, outputs: Sequence[str],
          week: int) -> pd.DataFrame:
    """One row per conclusion and variant (in the order given), with its direction, whether
    it is robust, and whether the conclusion flips (and why). A conclusion missing under any
    variant (not part of a scenario there) is left out."""
    frames = []
    for variant, summary in summaries.items():
        rows = summary[(summary["week"] == week) & (summary["scenario"] != reference)
                       & summary["output"].isin(outputs)]
        rows = rows[np.isfinite(rows["diff"].astype(float))]
        frames.append(rows[["scenario", "output", "week", *COLUMNS]].assign(variant=variant))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    out["direction"] = [direction(r) for r in out.to_dict("records")]
    out["robust"] = [robust(r) for r in out.to_dict("records")]
    keys = ["scenario", "output"]
    complete = out.groupby(keys)["variant"].transform("nunique") == len(summaries)
    out = out[complete].copy()
    sign = out.groupby(keys)["direction"].transform(lambda d: {1, -1} <= set(d))
    robustness = out.groupby(keys)["robust"].transform("nunique") > 1
    out["flip_sign"], out["flip_robust"] = sign.astype(bool), robustness.astype(bool)
    out["flip"] = out["flip_sign"] | out["flip_robust"]
    order = {o: i for i, o in enumerate(outputs)}
    out["_order"] = out["output"].map(order)
    out["_scenario"] = out["scenario"].map(
        {s: i for i, s in enumerate(dict.fromkeys(out["scenario"]))})
    variants = {v: i for i, v in enumerate(summaries)}
    out["_variant"] = out["variant"].map(variants)
    out = out.sort_values(["_scenario", "_order", "_variant"])
    return out.drop(columns=["_order", "_scenario", "_variant"]).reset_index(drop=True)[
        ["variant", "scenario", "output", "week", *COLUMNS, "direction", "robust", "flip",
         "flip_sign", "flip_robust"]]


def flipped(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The (scenario, output) conclusions that flip."""
    if frame.empty:
        return []
    rows = frame[frame["flip"]]
    return list(dict.fromkeys(zip(rows["scenario"], rows["output"], strict=True)))
