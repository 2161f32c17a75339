"""A calibration's files for people: ``report.md`` and its plots (marginals against the prior,
pairs, posterior-predictive checks)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..running.output import atomic_write
from .targets import load as load_targets

if TYPE_CHECKING:
    from .calibrate import Calibration

PLOTS = ("marginals.png", "pairs.png", "predictive.png")


def write(result: Calibration, directory: Path) -> list[Path]:
    """Write the plots and report.md into ``directory``; return their paths."""
    from ..reporting.plots import style

    with style("zh"):  # CJK and Latin fonts
        paths = [_marginals(result, directory / PLOTS[0]),
                 _pairs(result, directory / PLOTS[1]),
                 _predictive(result, directory / PLOTS[2])]
    report = directory / "report.md"
    atomic_write(report, lambda p: Path(p).write_text(markdown(result), encoding="utf-8"))
    return [*paths, report]


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    atomic_write(path, lambda p: fig.savefig(p, format="png"))
    return path


def _marginals(result: Calibration, path: Path) -> Path:
    names = result.kept
    fig = _figure(3.2 * max(len(names), 1), 2.8)
    w = result.posterior["weight"].to_numpy()
    for k, name in enumerate(names):
        ax = fig.add_subplot(1, max(len(names), 1), k + 1)
        prior = result.spec.parameters[name]
        bins = np.linspace(prior.low, prior.high, 21)
        ax.hist(result.posterior[name], bins=bins, weights=w, density=True, color="#c0392b",
                alpha=0.75, label="posterior")
        ax.axhline(1 / prior.width, color="#555555", linestyle="--", label="prior")
        ax.set_xlabel(name)
        ax.set_ylabel("density")
        if k == 0:
            ax.legend(fontsize=8)
    return _save(fig, path)


def _pairs(result: Calibration, path: Path) -> Path:
    names = result.kept
    n = max(len(names), 1)
    fig = _figure(2.4 * n, 2.4 * n)
    w = result.posterior["weight"].to_numpy()
    size = 8 + 60 * w / max(w.max(), 1e-12)
    for i, yname in enumerate(names):
        for j, xname in enumerate(names):
            ax = fig.add_subplot(n, n, i * n + j + 1)
            if i == j:
                ax.hist(result.posterior[xname], bins=15, weights=w, color="#c0392b", alpha=0.7)
            else:
                ax.scatter(result.posterior[xname], result.posterior[yname], s=size,
                           color="#c0392b", alpha=0.4, linewidths=0)
            if i == n - 1:
                ax.set_xlabel(xname, fontsize=8)
            if j == 0:
                ax.set_ylabel(yname, fontsize=8)
            ax.tick_params(labelsize=7)
    return _save(fig, path)


def _predictive(result: Calibration, path: Path) -> Path:
    checks = result.predictive
    fig = _figure(7.5, 0.42 * len(checks) + 1.2)
    ax = fig.add_subplot(1, 1, 1)
    for y, row in enumerate(checks.itertuples()):
        scale = max(abs(row.observed_high), abs(row.observed_low), 1e-12)
        ax.plot([row.observed_low / scale, row.observed_high / scale], [y, y], color="#999999",
                linewidth=7, solid_capstyle="butt")
        color = "#27ae60" if row.passes else "#c0392b"
        ax.plot([row.model_low / scale, row.model_high / scale], [y, y], color=color,
                linewidth=2.5)
        ax.plot(row.model_median / scale, y, "o", color=color)
    ax.set_yticks(range(len(checks)))
    ax.set_yticklabels([f"{r.target} ({'fitted' if r.fitted else r.role})"
                        for r in checks.itertuples()], fontsize=8)
    ax.set_xlabel("value ÷ top of the observed range\n(grey: observed range; "
                  "line: model 90% interval; green: overlap)")
    ax.invert_yaxis()
    return _save(fig, path)


def _fmt(x: float) -> str:
    return "–" if x != x else f"{x:.3g}"


def markdown(result: Calibration) -> str:
    """The report: what was fitted to what, the posterior, and every target's check."""
    spec, targets = result.spec, load_targets()
    lines = [f"# Calibration: {spec.title or spec.name}", "",
             "These are **model results**. The parameters below were fitted by approximate "
             "Bayesian computation (ABC-SMC, pyabc) so that the model reproduces the "
             "calibration targets within their uncertainty; every other parameter keeps its "
             "documented value (docs/ODD.md §8), most of them assumed. "
             "以下为模型结果：参数经近似贝叶斯计算拟合于标定目标，"
             "其余参数沿用文档中的取值（多为假设）。", "",
             f"- spec `{spec.name}`; seed {spec.seed}; {result.simulations:,} simulations in "
             f"{result.generations} generations; final tolerance {result.epsilon:.2f} (root "
             "mean squared distance to the targets, in units of their uncertainty)",
             "- fitted to: " + ", ".join(f"`{t}` ({targets[t].text('en')})"
                                        for t in spec.targets), "",
             "## Screening (Morris elementary effects)", "",
             "How much each free parameter moves each calibration target across its prior "
             "range (μ*, in units of the target's uncertainty); the largest go into the fit.",
             "", "| parameter | " + " | ".join(f"`{t}`" for t in spec.targets)
             + " | kept |", "|---|" + "---|" * (len(spec.targets) + 1)]
    for name, row in result.screening.iterrows():
        lines.append(f"| `{name}` | " + " | ".join(_fmt(row[t]) for t in spec.targets)
                     + f" | {'yes' if row['kept'] else 'no (kept at its default)'} |")
    lines += ["", "## Posterior", "",
              "Posterior mean and 90% credible interval against the uniform prior. "
              "**Not pinned** means the targets hardly narrow the prior (posterior sd more "
              "than 70% of the prior's): the data cannot tell these values apart, and answers "
              "that depend on the parameter inherit its whole prior range.", "",
              "| parameter | prior | posterior mean | 90% interval | sd ÷ prior sd | pinned |",
              "|---|---|---|---|---|---|"]
    for row in result.summary.itertuples():
        lines.append(f"| `{row.parameter}` | {row.prior_low:g} to {row.prior_high:g} | "
                     f"{row.mean:.3g} | {row.low:.3g} to {row.high:.3g} | {row.sd_ratio:.2f} | "
                     f"{'yes' if row.pinned else '**no**'} |")
    for name, value in result.fixed.items():
        lines.append(f"| `{name}` | – | {value:g} (kept) | – | – | screened out |")
    lines += ["", "![marginals](marginals.png)", "", "![pairs](pairs.png)", "",
              "## Posterior-predictive checks", "",
              "Every target over posterior draws (one seed each): the model's median and 90% "
              "interval against the observed plausible range. A target passes when the two "
              "overlap. Validation targets were never used in the fit.", "",
              "| target | role | observed (range) | model median (90% interval) | passes |",
              "|---|---|---|---|---|"]
    for row in result.predictive.itertuples():
        role = "calibration (fitted)" if row.fitted else row.role
        lines.append(f"| `{row.target}` | {role} | {_fmt(row.observed)} "
                     f"({_fmt(row.observed_low)}–{_fmt(row.observed_high)}) | "
                     f"{_fmt(row.model_median)} ({_fmt(row.model_low)}–{_fmt(row.model_high)})"
                     f" | {'yes' if row.passes else '**no**'} |")
    lines += ["", "![predictive](predictive.png)", ""]
    return "\n".join(lines)
