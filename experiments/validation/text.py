"""The scorecard's words in Chinese and English (``t(key, lang, **fields)``), and its CSV
headers. Language checks and shared words come from ``experiments.reporting.i18n``."""

from __future__ import annotations

from experiments.reporting.i18n import check_lang

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Validation scorecard", "zh": "模型验证记分卡"},
    "quick_title": {"en": "Validation scorecard (quick version)",
                    "zh": "模型验证记分卡（快速版）"},
    # the opening paragraph
    "lead_model": {
        "en": "These are results of Linli, a simulation model, not measurements. The scorecard "
              "sets the model's outputs beside figures observed in the field and in experiments "
              "(targets), and checks that each mechanism produces its effect, and that the "
              "effect vanishes when the mechanism is removed (patterns with negative controls).",
        "zh": "以下是“邻里”仿真模型的结果，不是实地测量。记分卡把模型输出与实地调查和实验中观察到"
              "的数字（目标）并列比较，并检查每个机制能否产生其效应、去掉该机制后效应是否消失"
              "（带阴性对照的机制模式）。"},
    "lead_defaults": {
        "en": "Of the model's {total} parameters, {calibrated} are calibrated ({names}: set by "
              "hand against the calibration targets below, not estimated), {empirical} are "
              "taken from published figures or the source report, and {assumed} are assumed.",
        "zh": "模型共有{total}个参数：{calibrated}个经过校准（{names}：依据下文的校准目标手工设定，"
              "并非统计估计），{empirical}个取自公开数据或原始报告，{assumed}个为假设值。"},
    "lead_posterior": {
        "en": "{fitted} parameters ({names}) were fitted by linli calibrate (spec “{spec}”) to "
              "the calibration targets {targets}; the scorecard draws them from that "
              "posterior. The parameters the calibration held fixed ({fixed}) keep the values "
              "it used; all others keep their defaults: of the model's {total}, {empirical} "
              "are taken from published figures or the source report and {assumed} are "
              "assumed.",
        "zh": "{fitted}个参数（{names}）由linli calibrate（方案“{spec}”）依据校准目标{targets}"
              "拟合；记分卡从其后验分布中抽取这些参数。校准中固定的参数（{fixed}）沿用其取值；"
              "其余参数保持默认值：模型共{total}个参数，其中{empirical}个取自公开数据或原始报告，"
              "{assumed}个为假设值。"},
    "lead_interval_defaults": {
        "en": "Each model value is the median of {runs} runs with different random seeds at "
              "the model's default parameters, and its interval holds the middle 90% of them. "
              "It therefore shows chance alone, not how uncertain the parameters are; "
              "with a calibration's posterior (--posterior DIR) it would include that too.",
        "zh": "每个模型数值是在默认参数下使用不同随机种子运行{runs}次的中位数，区间涵盖其中间"
              "90%的结果。因此它只反映随机波动，不反映参数本身的不确定性；使用校准得到的后验分布"
              "（--posterior DIR）时，区间也会包含参数的不确定性。"},
    "lead_interval_posterior": {
        "en": "Each model value is the median of {runs} runs — {draws} parameter sets drawn "
              "from the posterior, × {seeds} random seed(s) each — and its interval holds "
              "the middle 90% of them, so it includes both the uncertainty of the fitted "
              "parameters and chance.",
        "zh": "每个模型数值是{runs}次运行的中位数（从后验分布抽取{draws}组参数，每组使用{seeds}个"
              "随机种子），区间涵盖其中间90%的结果，因此同时反映已拟合参数的不确定性和随机波动。"},
    "lead_rule": {
        "en": "A target passes when the model's interval overlaps the observed plausible "
              "range. Calibration targets were used to set parameters, so they cannot validate "
              "the model; only validation targets, never used to set anything, test it.",
        "zh": "模型区间与观察值的合理范围有重叠，即为通过。校准目标曾用于设定参数，因此不能用来"
              "验证模型；只有从未用于设定任何参数的验证目标才构成检验。"},
    "lead_quick": {
        "en": "This is the quick version ({runs} runs): its intervals are rough. The full "
              "scorecard is in docs/VALIDATION.md.",
        "zh": "这是快速版（{runs}次运行），区间较粗略。完整记分卡见docs/VALIDATION.md。"},
    "other_language": {"en": "中文说明", "zh": "In English"},
    # summary
    "summary": {"en": "Summary", "zh": "结论摘要"},
    "summary_targets": {
        "en": "{passed} of {total} validation targets pass; {cal_passed} of {cal_total} "
              "calibration targets sit in their range (expected: they were used to set "
              "parameters).",
        "zh": "{total}个验证目标中{passed}个通过；{cal_total}个校准目标中{cal_passed}个落在其范围内"
              "（这是预期的：它们曾用于设定参数）。"},
    "summary_patterns": {
        "en": "{passed} of {total} mechanism patterns pass, effects and negative controls "
              "together.",
        "zh": "{total}个机制模式中{passed}个通过（效应与阴性对照均通过）。"},
    "misses": {
        "en": "Validation targets the model misses. They were never used to tune the model, "
              "so each is a pattern the model does not reproduce — reported here, not tuned "
              "away:",
        "zh": "模型未能重现的验证目标。这些目标从未用于调整模型，因此每一项都说明模型未能重现"
              "相应的规律——在此如实报告，而不是通过调参掩盖："},
    "miss_line": {"en": "{id} ({title}): the model gives {model}, observed {observed}.",
                  "zh": "{id}（{title}）：模型为{model}，观察值为{observed}。"},
    "why": {"en": "Why: {reason}", "zh": "原因：{reason}"},
    "miss_none": {"en": "Every validation target passes.", "zh": "所有验证目标均通过。"},
    "pattern_misses": {
        "en": "Mechanism patterns that fail (an effect missing, or present without its "
              "mechanism):",
        "zh": "未通过的机制模式（效应缺失，或去掉机制后效应仍在）："},
    "pattern_miss_line": {"en": "{id} ({title}): {checks}.", "zh": "{id}（{title}）：{checks}。"},
    # targets
    "targets": {"en": "Field targets", "zh": "实地目标"},
    "targets_note": {
        "en": "Observed: the published figure and, in brackets, the plausible range allowed "
              "for it (wider where the figure is only an order of magnitude or a "
              "derivation). Model: the median of the runs and, in brackets, the middle 90% "
              "of them.",
        "zh": "观察值：公开数字，括号内为允许的合理范围（若只是数量级或推算值则放宽）。"
              "模型：各次运行的中位数，括号内为中间90%的范围。"},
    "details": {"en": "What each target measures, and its source",
                "zh": "各目标的含义与来源"},
    "quantity": {"en": "Statistic", "zh": "统计量"},
    "note": {"en": "Note", "zh": "说明"},
    "source": {"en": "Source", "zh": "来源"},
    # patterns
    "patterns": {"en": "Mechanisms and their negative controls", "zh": "机制及其阴性对照"},
    "patterns_note": {
        "en": "Each effect compares a setting with a reference on the same random seeds (and "
              "parameter draws), so the difference is the mechanism's doing, not chance; the "
              "bracket is its 95% interval, the range in which the mean difference lies with "
              "95% confidence. Each negative control is the same kind of comparison with the "
              "mechanism removed or never triggered: the effect must vanish (its whole "
              "interval within the stated margin of zero) or, where said, must not appear. A "
              "pattern that also appeared without its mechanism would be written in by the "
              "model's structure, not produced by the mechanism. Runs meeting it: in how many "
              "runs the difference on its own meets the expectation (with a posterior: how "
              "robust the pattern is across plausible parameter sets). Differences of shares "
              "are in percentage points.",
        "zh": "每项效应都在相同随机种子（和相同参数抽样）下比较某一设定与参照，因此差值来自机制"
              "本身而非偶然；括号内为95%区间，即平均差值有95%的把握落在其中。每个阴性对照是去掉"
              "该机制或使其从不触发后的同类比较：效应必须消失（整个区间落在零附近的给定范围内），"
              "或如注明，不得出现。若去掉机制后仍出现同样的规律，说明它是模型结构预设的，而非由"
              "机制产生。“符合预期的运行”指单次运行的差值本身即符合预期的次数（使用后验分布时，"
              "反映该规律在各组合理参数下是否稳健）。比例之差以百分点表示。"},
    "effect": {"en": "effect", "zh": "效应"},
    "control": {"en": "negative control", "zh": "阴性对照"},
    # method
    "method": {"en": "How this scorecard was made", "zh": "记分卡的生成方式"},
    "method_runs": {
        "en": "{runs} runs ({how}); every setting of a run used the same seed, so the "
              "comparisons are paired. Run time {seconds} s on {workers} process(es).",
        "zh": "共{runs}次运行（{how}）；同一次运行中的各设定使用相同的随机种子，因此比较是配对的。"
              "运行耗时{seconds}秒，使用{workers}个进程。"},
    "how_defaults": {"en": "the model's defaults, seeds {seeds}",
                     "zh": "默认参数，随机种子{seeds}"},
    "how_posterior": {"en": "{draws} draws from the posterior in {dir} × seeds {seeds}",
                      "zh": "从{dir}中的后验分布抽取{draws}组参数 × 随机种子{seeds}"},
    "regenerate": {"en": "Regenerate with:", "zh": "重新生成："},
    "files": {"en": "The numbers of the tables are in scorecard.csv, written with "
                    "scorecard.md, scorecard.html and manifest.json (every run's seed and "
                    "parameter draw) to the output directory (default results/validation).",
              "zh": "表中数字见scorecard.csv；它与scorecard.md、scorecard.html和manifest.json"
                    "（每次运行的随机种子和参数抽样）一同写入输出目录（默认results/validation）。"},
    "generated": {"en": "Generated by Linli {version} on {date}.",
                  "zh": "由Linli {version}于{date}生成。"},
    # table headers and cells
    "h_id": {"en": "id", "zh": "代码"},
    "h_target": {"en": "target", "zh": "目标"},
    "h_role": {"en": "role", "zh": "作用"},
    "h_observed": {"en": "observed [range]", "zh": "观察值［范围］"},
    "h_precision": {"en": "precision", "zh": "精确程度"},
    "h_model": {"en": "model [90% of runs]", "zh": "模型［90%运行范围］"},
    "h_result": {"en": "result", "zh": "结果"},
    "h_met": {"en": "runs meeting it", "zh": "符合预期的运行"},
    "h_pattern": {"en": "pattern", "zh": "模式"},
    "h_mechanism": {"en": "mechanism", "zh": "机制"},
    "h_check": {"en": "check", "zh": "检验"},
    "h_comparison": {"en": "comparison", "zh": "比较"},
    "h_expected": {"en": "expected", "zh": "预期"},
    "h_difference": {"en": "model: mean difference [95%]", "zh": "模型：平均差值［95%区间］"},
    "role_calibrate": {"en": "calibration (does not validate)", "zh": "校准（不构成验证）"},
    "role_fitted": {"en": "calibration (fitted by this posterior; does not validate)",
                    "zh": "校准（本后验分布曾拟合此目标，不构成验证）"},
    "role_validate": {"en": "validation", "zh": "验证"},
    "short_calibrate": {"en": "calibration", "zh": "校准"},
    "short_validate": {"en": "validation", "zh": "验证"},
    "pass": {"en": "pass", "zh": "通过"},
    "fail": {"en": "FAIL", "zh": "未通过"},
    "no_value": {"en": "no value", "zh": "无数值"},
    "measured": {"en": "measured", "zh": "实测"},
    "derived": {"en": "derived", "zh": "推算"},
    "order of magnitude": {"en": "order of magnitude", "zh": "数量级"},
    "expect_above": {"en": "above {value}", "zh": "高于{value}"},
    "expect_below": {"en": "below {value}", "zh": "低于{value}"},
    "expect_between": {"en": "between {low} and {high}", "zh": "介于{low}与{high}之间"},
    "expect_near_zero": {"en": "vanishes: within ±{margin} of 0",
                         "zh": "消失：在0的±{margin}以内"},
    "points": {"en": " points", "zh": "个百分点"},
    "weeks": {"en": " weeks", "zh": "周"},
    "per_week": {"en": " households/week", "zh": "户/周"},
    "sep": {"en": "; ", "zh": "；"},
}

# scorecard.csv: stable ids (the English headers) and their Chinese headers
CSV_HEADERS: dict[str, str] = {
    "kind": "类别", "id": "代码", "check": "检验", "role": "作用", "title": "名称",
    "observed": "观察值", "expected_low": "预期下限", "expected_high": "预期上限",
    "precision": "精确程度", "model": "模型值", "model_low": "模型区间下限",
    "model_high": "模型区间上限", "interval": "区间含义", "runs": "运行次数",
    "runs_meeting": "符合预期的运行次数", "passes": "通过",
    "source": "来源",
}


def t(key: str, lang: str, **fields: object) -> str:
    """The template ``key`` in ``lang``, filled with ``fields``."""
    return TEXT[key][check_lang(lang)].format(**fields)
