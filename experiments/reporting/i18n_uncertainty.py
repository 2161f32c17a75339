"""Chinese and English strings about uncertainty and caveats (merged into ``i18n.TEXT``):
parameter and chance ranges, robustness, what is calibrated and assumed, model variants."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # the plain-language summary, with a posterior
    "lead_posterior": {
        "en": "Each scenario below is compared with the reference, “{reference}”, over {draws} "
              "plausible parameter sets drawn from the calibration, each on {seeds} random "
              "seeds ({runs} runs per scenario), over {weeks} simulated weeks; the numbers are "
              "for the last week. Two kinds of uncertainty are kept apart. From the "
              "parameters: we do not know exactly how residents behave, so the model is run "
              "with every parameter set the field data leave plausible; the range is where "
              "the difference lies in 90% of them. From chance: which households live where "
              "and who meets whom; the ± is how far chance alone moves a single run. A "
              "conclusion is robust when it has the same direction in at least {robust} of "
              "the plausible parameter sets.",
        "zh": "以下各情景均与参照情景“{reference}”比较：从校准结果中抽取{draws}组合理的参数组合，"
              "每组运行{seeds}个随机种子（每个情景共{runs}次运行），模拟{weeks}周，"
              "数字为最后一周的结果。两类不确定性分开列出。一是参数：我们并不确切知道居民如何行事，"
              "因此用实地数据所允许的每一组合理参数运行模型，范围表示90%的参数组合下差值所在区间。"
              "二是随机因素：哪些住户住在哪里、谁与谁相遇；“±”表示仅随机因素就会使单次模拟结果"
              "浮动多少。若在至少{robust}的合理参数组合下方向一致，则结论稳健。"},
    "subtitle_posterior": {
        "en": "{scenarios}; {draws} parameter sets × {seeds} seeds, {weeks} weeks",
        "zh": "{scenarios}；{draws}组参数 × {seeds}个随机种子，{weeks}周"},
    "raise_posterior": {
        "en": "{output}: up from {ref} to {value} by week {week} ({diff}).",
        "zh": "{output}：第{week}周从{ref}提高到{value}（差值{diff}）。"},
    "lower_posterior": {
        "en": "{output}: down from {ref} to {value} by week {week} ({diff}).",
        "zh": "{output}：第{week}周从{ref}降低到{value}（差值{diff}）。"},
    "robust": {
        "en": "Robust: {direction} in {share} of plausible parameter sets, by {plow} to "
              "{phigh}.",
        "zh": "结论稳健：在{share}的合理参数组合下均{direction}，幅度为{plow}至{phigh}。"},
    "fragile": {
        "en": "Not robust: {direction} in only {share} of plausible parameter sets ({plow} "
              "to {phigh}), so even the direction depends on how residents really behave.",
        "zh": "结论不稳健：仅在{share}的合理参数组合下{direction}（{plow}至{phigh}），"
              "连方向都取决于居民的实际行为方式。"},
    "direction_up": {"en": "higher", "zh": "提高"},
    "direction_down": {"en": "lower", "zh": "降低"},
    "chance": {
        "en": "Chance alone moves a single run by ±{chance}.",
        "zh": "仅随机因素就会使单次模拟结果浮动±{chance}。"},
    "unclear_posterior": {
        "en": "{output}: {value} against {ref} at week {week}, too close to tell apart (the "
              "95% interval of the mean difference, {low} to {high}, includes zero). Across "
              "plausible parameter sets the difference lies between {plow} and {phigh}.",
        "zh": "{output}：第{week}周为{value}，参照情景为{ref}，差别太小，无法区分"
              "（平均差值的95%区间{low}至{high}包含零）。在各合理参数组合下，差值介于{plow}"
              "与{phigh}之间。"},
    "clear_from_posterior": {
        "en": "From week {week} on, the mean difference in {output} over the runs stays clear "
              "of zero (its 95% interval excludes it).",
        "zh": "自第{week}周起，各次运行{output}的平均差值始终不含零（其95%区间不包含零）。"},
    "flips_note": {
        "en": "This conclusion changes under another formulation of the model (see "
              "“Structural alternatives”).",
        "zh": "在模型的另一种结构假设下，这一结论会改变（见“结构性替代假设”）。"},
    # tables and plots, with a posterior
    "means_posterior": {"en": "Means with the range across parameter sets",
                        "zh": "均值及参数组合间的范围"},
    "means_note_posterior": {
        "en": "Mean over all runs; below it, the range across plausible parameter sets "
              "(5–95%, chance taken out).",
        "zh": "全部运行的均值；下方为各合理参数组合间的范围（5%–95%，已扣除随机波动）。"},
    "differences_note_posterior": {
        "en": "Difference scenario − reference on the same seeds and parameter sets. Below "
              "it: the range due to the parameters (5–95% of plausible parameter sets, "
              "chance taken out), the range due to chance (± where 90% of single runs fall, "
              "for one parameter set), and the share of parameter sets in which the "
              "difference has the same direction. Grey: too close to tell apart (the 95% "
              "interval of the mean difference includes zero). Yellow: not robust (the same "
              "direction in fewer than {robust} of the parameter sets). Differences of "
              "shares are in percentage points.",
        "zh": "情景减参照情景的差值（相同随机种子、相同参数组合）。下方依次为：参数带来的范围"
              "（5%–95%的合理参数组合，已扣除随机波动）、随机因素带来的范围（“±”：在同一参数组合下"
              "90%的单次模拟落在其中），以及差值方向一致的参数组合比例。灰色：差别太小，无法区分"
              "（平均差值的95%区间包含零）。黄色：结论不稳健（方向一致的参数组合少于{robust}）。"
              "比例指标的差值单位为百分点。"},
    "cell_param": {"en": "parameters: {low} to {high}", "zh": "参数：{low}至{high}"},
    "cell_chance": {"en": "chance: ±{chance}", "zh": "随机：±{chance}"},
    "cell_share": {"en": "same direction in {share}", "zh": "{share}方向一致"},
    "shade_params": {
        "en": "Lines: mean over all runs; shaded: the range across plausible parameter sets "
              "(5–95%, chance taken out).",
        "zh": "线：全部运行的均值；阴影：各合理参数组合间的范围（5%–95%，已扣除随机波动）。"},
    "about_robust": {
        "en": "Robust: a difference that chance cannot explain and that has the same "
              "direction in at least {robust} of the plausible parameter sets. A plausible "
              "parameter set is one the calibration to field data could not rule out.",
        "zh": "稳健：差值无法用随机因素解释，且在至少{robust}的合理参数组合下方向一致。"
              "合理参数组合指依据实地数据校准后无法排除的参数取值。"},
    "method_posterior": {
        "en": "{draws} parameter sets were drawn by weight from the calibration posterior in "
              "{posterior} (spec “{spec}”; draw seed {draw_seed}), and each was run on "
              "{seeds} seeds of its own: {runs} runs per scenario, seeds {seed_list}, for "
              "{weeks} weeks. Run i of every scenario used the same parameter set and the "
              "same seed (common parameter draws and common random numbers), so differences "
              "are paired run by run. Their spread was split into a part within parameter "
              "sets (chance) and a part between them (the parameters) by a one-way analysis "
              "of variance; each set's difference was moved toward the mean by as much as "
              "chance explains of its spread before the 5–95% range and the robust share "
              "were taken. Run time {seconds} s on {workers} worker(s). The raw weekly runs "
              "(with each run's parameter set) are in runs.parquet, the parameter sets in "
              "manifest.json and the numbers of the tables in summary.csv.",
        "zh": "按权重从{posterior}中的校准后验（方案“{spec}”；抽样种子{draw_seed}）抽取{draws}组"
              "参数，每组各运行{seeds}个随机种子：每个情景{runs}次运行，随机种子{seed_list}，模拟"
              "{weeks}周。各情景的第i次运行使用相同的参数组合和相同的随机种子（共同参数抽样与共同"
              "随机数），因此差值逐次配对计算。差值的离散程度用单因素方差分析分解为参数组合内部"
              "（随机因素）与参数组合之间（参数）两部分；在计算5%–95%范围和稳健比例之前，"
              "每组参数的差值按随机因素所能解释的程度向均值收缩。运行耗时{seconds}秒，使用"
              "{workers}个进程。每周原始结果（含每次运行的参数组合）见runs.parquet，参数组合见"
              "manifest.json，表中数字见summary.csv。"},
    "method_structure": {
        "en": "Structural formulation used in every scenario: {items}.",
        "zh": "所有情景采用的结构假设：{items}。"},
    "method_kept": {
        "en": "“{scenario}” sets {names} itself, so there its own values were kept, not "
              "drawn.",
        "zh": "“{scenario}”自行设定了{names}，因此该情景保留其自身取值，不参与抽样。"},
    # what these numbers are: the caveat
    "caveat": {"en": "What these numbers are", "zh": "这些数字是什么"},
    "caveat_model": {
        "en": "These are results of a simulation model, not measurements or forecasts: they "
              "show what follows from the model's assumptions.",
        "zh": "以下均为仿真模型的结果，并非实测数据或预测：它们展示的是由模型假设推出的结果。"},
    "caveat_calibrated": {
        "en": "Calibrated: {fitted} behavioural parameters ({names}) were fitted to {targets} "
              "field observations (calibration “{spec}”: {titles}); every run draws them from "
              "that fit, so the results carry their uncertainty.",
        "zh": "已校准：{fitted}个行为参数（{names}）依据{targets}项实地观测数据拟合"
              "（校准方案“{spec}”：{titles}）；每次运行都从拟合结果中抽取这些参数，"
              "因此结果包含了它们的不确定性。"},
    "caveat_uncalibrated": {
        "en": "Not calibrated here: no posterior was used, so every parameter is at its "
              "default value and the intervals show chance only, not how much the results "
              "would move if the parameter values were different.",
        "zh": "本次未使用校准后验：所有参数均取默认值，区间只反映随机因素，"
              "不反映参数取值不同时结果会变化多少。"},
    "caveat_assumed": {
        "en": "Assumed: {assumed} of the model's {total} parameters are assumptions, neither "
              "measured nor fitted (source tags in model/params.py); the others come from "
              "published sources ({empirical}), are fitted as above ({fitted}) or are fixed at "
              "values calibrated earlier ({fixed}). No interval here covers an assumption "
              "that is wrong.",
        "zh": "假设：模型{total}个参数中有{assumed}个是假设值，既未实测也未拟合"
              "（见model/params.py中的来源标注）；其余参数来自已发表的资料（{empirical}个）、"
              "如上拟合（{fitted}个）或固定为此前校准的数值（{fixed}个）。"
              "本报告中的任何区间都不能涵盖假设本身有误的情况。"},
    "caveat_assumed_defaults": {
        "en": "Assumed: {assumed} of the model's {total} parameters are assumptions, neither "
              "measured nor fitted (source tags in model/params.py); the others come from "
              "published sources ({empirical}) or are fixed at values calibrated earlier "
              "({fixed}). No interval here covers an assumption that is wrong.",
        "zh": "假设：模型{total}个参数中有{assumed}个是假设值，既未实测也未拟合"
              "（见model/params.py中的来源标注）；其余参数来自已发表的资料（{empirical}个）"
              "或固定为此前校准的数值（{fixed}个）。本报告中的任何区间都不能涵盖假设本身有误的情况。"},
    "caveat_structure": {
        "en": "Structural formulation: {items}.",
        "zh": "结构假设：{items}。"},
    "caveat_validation": {
        "en": "How well the model reproduces field data it was not fitted to is shown in the "
              "validation scorecard (scorecard.html, made by linli validate) and in "
              "docs/VALIDATION.md.",
        "zh": "模型能否再现未用于拟合的实地数据，见验证记分卡（scorecard.html，由linli validate"
              "生成）和docs/VALIDATION.md。"},
    "caveat_sources": {"en": "Sources of the field data: {sources}.",
                       "zh": "实地数据来源：{sources}。"},
    "caveat_targets": {"en": "Field data the calibration is fitted to",
                       "zh": "校准所依据的实地数据"},
    # the same, for runs at the model's calibrated defaults (linli run, the trainer app)
    "defaults_model": {
        "zh": "这里看到的都是仿真模型的结果，并非实测数据或预测："
              "它们展示的是由模型假设推出的结果。",
        "en": "Everything here is the output of a simulation model, not a measurement or a "
              "forecast: it shows what follows from the model's assumptions."},
    "defaults_calibrated": {
        "zh": "{calibrated}个参数依据实地数据校准（{titles}），取校准后验的均值。",
        "en": "{calibrated} parameters are calibrated to field data ({titles}), at their "
              "posterior means."},
    "defaults_assumed": {
        "zh": "模型{total}个参数中，{empirical}个来自已发表的资料，{assumed}个是假设值，"
              "既未实测也未拟合。",
        "en": "Of the model's {total} parameters, {empirical} come from published sources and "
              "{assumed} are assumptions, neither measured nor fitted."},
    "defaults_chance": {
        "zh": "一次运行只是许多可能走向中的一种：换一个随机种子结果会不同，换一组同样合理的参数值，"
              "结果的变化往往更大（见 docs/SENSITIVITY.md）。",
        "en": "One run is one of many possible paths: another seed gives another result, and "
              "other plausible parameter values often move it more (docs/SENSITIVITY.md)."},
    "defaults_scorecard": {
        "zh": "模型能否再现未用于校准的实地数据，见验证记分卡"
              "（linli validate，docs/VALIDATION.md）；"
              "带不确定性区间的情景比较，用 linli compare。",
        "en": "How well the model reproduces field data it was not fitted to: the validation "
              "scorecard (linli validate, docs/VALIDATION.md). For scenario comparisons with "
              "their uncertainty, use linli compare."},
    "defaults_own": {
        "zh": "本情景自行设定了其中的 {names}。",
        "en": "This scenario sets {names} itself."},
    # structural alternatives (linli compare --variants)
    "variants": {"en": "Structural alternatives", "zh": "结构性替代假设"},
    "variants_note": {
        "en": "The same comparison under other formulations of the least certain mechanisms "
              "(same seeds and parameter-draw scheme, each with its own posterior). A "
              "conclusion flips when its direction differs between formulations, or when it "
              "is robust under one and not under another. Each cell: the difference at week "
              "{week} and, in brackets, the share of parameter sets with its direction.",
        "zh": "在对最不确定机制的其他结构假设下进行同样的比较（相同随机种子与参数抽样方案，"
              "各用其自身的后验）。若结论方向在不同假设之间不同，或在一种假设下稳健而在另一种"
              "假设下不稳健，则视为结论翻转。每个单元格：第{week}周的差值，括号内为方向一致的"
              "参数组合比例。"},
    "variants_flips": {"en": "{count} of {total} conclusions flip between formulations.",
                       "zh": "{total}项结论中有{count}项在不同结构假设之间翻转。"},
    "variants_none": {"en": "None of the {total} conclusions flips between formulations.",
                      "zh": "{total}项结论在不同结构假设之间均未翻转。"},
    "variant_posterior": {"en": "posterior {posterior}", "zh": "后验{posterior}"},
    "variant_defaults": {"en": "parameters at their defaults", "zh": "参数取默认值"},
    "flip": {"en": "flips", "zh": "翻转"},
    "flip_sign": {"en": "the direction differs", "zh": "方向不同"},
    "flip_robust": {"en": "robust in one, not in another",
                    "zh": "在一种假设下稳健、另一种下不稳健"},
    "unclear_cell": {"en": "too close to tell", "zh": "无法区分"},
    "conclusion": {"en": "conclusion", "zh": "结论"},
    "variants_summary": {
        "en": "Under other formulations of the model, {count} of these conclusions flip (see "
              "“Structural alternatives”).",
        "zh": "在模型的其他结构假设下，其中{count}项结论会翻转（见“结构性替代假设”）。"},
}

CSV_HEADERS: dict[str, str] = {
    "param_low": "参数范围下限（5%）", "param_high": "参数范围上限（95%）", "draws": "参数组合数",
    "diff_param_low": "差值参数范围下限（5%）", "diff_param_high": "差值参数范围上限（95%）",
    "diff_chance_low": "差值随机范围下限（5%）", "diff_chance_high": "差值随机范围上限（95%）",
    "robust_share": "方向一致的参数组合比例", "caveat": "说明", "variant": "模型结构假设",
    "direction": "方向（+1提高，−1降低，0无法区分）", "robust": "结论稳健", "flip": "结论翻转",
    "flip_sign": "方向翻转", "flip_robust": "稳健性翻转",
}
