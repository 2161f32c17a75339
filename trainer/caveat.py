"""What the app's numbers are, said on the page in both languages (issue 10): a model's
results; which parameters are calibrated to which field data (the shipped posterior, whose
means are the model's defaults); how many are assumed; where the scorecard is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .labels import tr

POSTERIOR = Path(__file__).resolve().parent.parent / "experiments" / "calibration" / \
    "posteriors" / "core" / "posterior.json"


@cache
def facts() -> dict[str, object]:
    """Counts by source tag and the calibration's targets (titles in both languages)."""
    from experiments.calibration.targets import TargetError
    from experiments.calibration.targets import load as load_targets
    from experiments.paramtable import counts

    tally = counts()
    titles: list[dict[str, str]] = []
    if POSTERIOR.exists():
        library = load_targets()
        for target_id in json.loads(POSTERIOR.read_text(encoding="utf-8"))["targets"]:
            try:
                title = library[target_id].title
            except TargetError:
                title = {}
            titles.append({"en": title.get("en", target_id), "zh": title.get("zh", target_id)})
    return {"calibrated": tally.get("calibrated", 0), "assumed": tally.get("assumed", 0),
            "empirical": tally.get("empirical", 0), "total": sum(tally.values()),
            "targets": titles}


def sentences(lang: str) -> list[str]:
    """The caveat, sentence by sentence, in ``lang``."""
    f = facts()
    sep = "、" if lang == "zh" else "; "
    titles = sep.join(t[lang] for t in f["targets"])  # type: ignore[attr-defined]
    out = [tr("caveat_model", lang)]
    if titles:
        out.append(tr("caveat_calibrated", lang, calibrated=f["calibrated"], titles=titles))
    out.append(tr("caveat_assumed", lang, **{k: f[k] for k in ("assumed", "empirical",
                                                               "total")}))
    out.append(tr("caveat_chance", lang))
    out.append(tr("caveat_scorecard", lang))
    return out
