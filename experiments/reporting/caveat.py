"""What a comparison's numbers are, said plainly in every report and summary CSV: model
results; what is calibrated to which field data (from the posterior and the targets'
titles and sources); how many parameters are assumed (from the source tags in
``model/params.py``); where the validation scorecard is."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from . import i18n
from .posterior import Posterior


@dataclass(frozen=True)
class Facts:
    """The numbers the caveat states."""

    spec: str | None  # the calibration's spec; None: no posterior
    fitted: list[str]  # dotted names drawn from the posterior
    targets: list[tuple[str, dict[str, str], str]]  # id, title (en/zh), citation
    counts: dict[str, int]  # fitted, empirical, fixed (calibrated earlier), assumed, total
    structure: dict[str, Any]


def tag_of(dotted: str) -> str:
    """The source tag of a parameter (empirical / calibrated / assumed), from params.py."""
    from model.params import SECTIONS

    section, name = dotted.split(".", 1)
    extra = SECTIONS[section].model_fields[name].json_schema_extra or {}
    return str(extra.get("source", "?")).split(" ", 1)[0].split("(", 1)[0]


def facts(posterior: Posterior | None, structure: dict[str, Any] | None = None) -> Facts:
    """The caveat's facts for a comparison run with ``posterior`` (or none)."""
    tally = _tally()
    fitted = posterior.names if posterior is not None else []
    for name in fitted:
        tally[tag_of(name)] = tally.get(tag_of(name), 0) - 1
    targets = _targets(posterior.targets) if posterior is not None else []
    counts = {"fitted": len(fitted), "empirical": tally.get("empirical", 0),
              "fixed": tally.get("calibrated", 0), "assumed": tally.get("assumed", 0),
              "total": sum(tally.values()) + len(fitted)}
    return Facts(posterior.spec if posterior is not None else None, fitted, targets, counts,
                 dict(structure or {}))


def structure_items(structure: dict[str, Any]) -> str:
    """``participation.persistence = last-week, …``."""
    return ", ".join(f"{section}.{name} = {value}" for section, values in structure.items()
                     for name, value in values.items())


def sentences(f: Facts, lang: str) -> list[str]:
    """The caveat, sentence by sentence."""
    sep = i18n.t("list_sep", lang)
    out = [i18n.t("caveat_model", lang)]
    if f.spec is None:
        out.append(i18n.t("caveat_uncalibrated", lang))
    else:
        titles = sep.join(title.get(lang) or title["en"] for _, title, _ in f.targets)
        out.append(i18n.t("caveat_calibrated", lang, fitted=f.counts["fitted"],
                          names=", ".join(f.fitted), targets=len(f.targets), spec=f.spec,
                          titles=titles))
    out.append(i18n.t("caveat_assumed" if f.spec else "caveat_assumed_defaults", lang,
                      **f.counts))
    if any(f.structure.values()):
        out.append(i18n.t("caveat_structure", lang, items=structure_items(f.structure)))
    out.append(i18n.t("caveat_validation", lang))
    return out


def text(f: Facts, lang: str, sources: bool = False) -> str:
    """The caveat as one paragraph (for the terminal; with ``sources``, the field data's
    citations at the end, for summary.csv)."""
    lines = sentences(f, lang)
    cited = [f"{title.get(lang) or title['en']}: {citation}"
             for _, title, citation in f.targets if citation]
    if sources and cited:
        lines.append(i18n.t("caveat_sources", lang, sources=" | ".join(cited)))
    return (" " if lang == "en" else "").join(lines)


def section(f: Facts, lang: str) -> str:
    """The caveat as an HTML section, with the field data and their sources."""
    esc = html.escape
    parts = [f'<section class="caveat" id="caveat"><h2>{esc(i18n.t("caveat", lang))}</h2>']
    parts.extend(f"<p>{esc(line)}</p>" for line in sentences(f, lang))
    if f.targets:
        items = "".join(
            f"<li>{esc(title.get(lang) or title['en'])} (<code>{esc(target_id)}</code>)"
            + (f'<br><small>{esc(citation)}</small>' if citation else "") + "</li>"
            for target_id, title, citation in f.targets)
        parts.append(f'<details><summary>{esc(i18n.t("caveat_targets", lang))} '
                     f"({len(f.targets)})</summary><ul>{items}</ul></details>")
    parts.append("</section>")
    return "\n".join(parts)



def at_defaults(lang: str, params: Any = None) -> list[str]:
    """The caveat for a run at the model's own values, not drawn from a posterior (`linli
    run`, the trainer app): a model's results; which parameters are calibrated to which field
    data (the shipped posterior's means are the defaults); how many are assumed; that one run
    shows neither chance nor parameter uncertainty; where the scorecard is. With ``params``,
    the calibrated values a scenario sets itself are named."""
    from model.params import Params

    from . import posterior as posteriors

    tally = _tally()
    out = [i18n.t("defaults_model", lang)]
    where = posteriors.default()
    shipped = posteriors.load(where) if where is not None else None
    if shipped is not None:
        titles = [title.get(lang) or title["en"] for _, title, _ in _targets(shipped.targets)]
        out.append(i18n.t("defaults_calibrated", lang, calibrated=tally.get("calibrated", 0),
                          titles=i18n.t("list_sep", lang).join(titles)))
        if params is not None:
            own = [n for n in shipped.names if _value(params, n) != _value(Params(), n)]
            if own:
                out.append(i18n.t("defaults_own", lang, names=", ".join(own)))
    out.append(i18n.t("defaults_assumed", lang, assumed=tally.get("assumed", 0),
                      empirical=tally.get("empirical", 0), total=sum(tally.values())))
    out += [i18n.t("defaults_chance", lang), i18n.t("defaults_scorecard", lang)]
    return out


def _value(params: Any, dotted: str) -> Any:
    section, name = dotted.split(".", 1)
    return getattr(getattr(params, section), name)


def _tally() -> dict[str, int]:
    """Parameters by source tag (empirical / calibrated / assumed), from params.py."""
    from experiments.paramtable import counts

    tally: dict[str, int] = {}
    for tag, count in counts().items():
        key = tag.split(" ", 1)[0].split("(", 1)[0]
        tally[key] = tally.get(key, 0) + count
    return tally


def _targets(ids) -> list[tuple[str, dict[str, str], str]]:
    """(id, title in en/zh, citation) of each target; an unknown id stands for itself."""
    from experiments.calibration.targets import TargetError
    from experiments.calibration.targets import load as load_targets

    library, out = load_targets(), []
    for target_id in ids:
        try:
            target = library[target_id]
            out.append((target_id, dict(target.title), target.source.citation))
        except TargetError:
            out.append((target_id, {"en": target_id, "zh": target_id}, ""))
    return out
