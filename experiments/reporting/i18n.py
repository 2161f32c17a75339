"""Chinese and English strings for comparison reports: labels, column names, sentences.

``column(name, lang)`` names an output as it reads inside a sentence; ``label(name, lang)``
as an axis or table label; ``t(key, lang, **fields)`` fills a template. Chinese is the
default: the reports are for neighbourhood and district staff.
"""

from __future__ import annotations

import string

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# How a column's values are written: share → percent (differences in points), count,
# weeks, index (0–1 score, two decimals), number (other quantities).
KIND: dict[str, str] = {
    "participation_rate": "share", "participation_rate_party": "share",
    "participation_rate_nonparty": "share", "participation_rate_recent": "share",
    "participation_rate_long_term": "share", "hours_per_household": "number",
    "ever_participated": "share", "core_volunteers": "share",
    "neighbour_head_coverage": "share", "invited": "share", "groups": "count",
    "group_members": "count", "participation_rate_members": "share", "tie_density": "share",
    "bridging_ties": "number", "trust": "index", "belief": "share",
    "participation_gini": "index", "board_listed": "count", "board_thanked": "count",
    "problems_arisen": "count", "problems_open": "count", "problems_reported": "count",
    "reported_by_couriers": "count", "problems_fixed": "count", "mean_weeks_to_fix": "weeks",
    "share_reported": "share", "courier_report_share": "share", "courier_reporters": "count",
    "couriers_active": "count", "partnerships_active": "count", "parking_shared": "count",
    "rooms_shared": "count", "space_quality": "index", "duty_turns": "count",
    "duty_turns_kept": "count", "council_turnout": "share", "satisfaction": "index",
    "co_plan": "index", "co_build": "index", "co_manage": "index", "co_evaluate": "index",
    "co_share": "index", "size": "count", "week": "count",
}

# Every weekly output (ODD §7.8 / model.metrics) and the unit-summary columns we plot.
COLUMNS: dict[str, dict[str, str]] = {
    "week": {"en": "week", "zh": "周"},
    "participation_rate": {"en": "weekly participation", "zh": "每周参与率"},
    "participation_rate_party": {"en": "weekly participation of party households",
                                 "zh": "党员户每周参与率"},
    "participation_rate_nonparty": {"en": "weekly participation of non-party households",
                                    "zh": "非党员户每周参与率"},
    "participation_rate_recent": {"en": "weekly participation of recent arrivals",
                                  "zh": "新迁入户每周参与率"},
    "participation_rate_long_term": {"en": "weekly participation of long-term residents",
                                     "zh": "老住户每周参与率"},
    "hours_per_household": {"en": "hours given per household per week",
                            "zh": "户均每周投入小时数"},
    "ever_participated": {"en": "share of households that ever took part",
                          "zh": "曾参与过的住户比例"},
    "core_volunteers": {"en": "core volunteers (took part 6 of the last 8 weeks)",
                        "zh": "核心志愿者比例（近8周参与至少6周）"},
    "neighbour_head_coverage": {"en": "households covered by a neighbour head",
                                "zh": "有邻里长覆盖的住户比例"},
    "invited": {"en": "households personally invited this week", "zh": "当周被当面邀请的住户比例"},
    "groups": {"en": "active interest groups", "zh": "活跃兴趣小组数"},
    "group_members": {"en": "interest-group members (households)", "zh": "兴趣小组成员户数"},
    "participation_rate_members": {"en": "weekly participation of group members",
                                   "zh": "小组成员每周参与率"},
    "tie_density": {"en": "tie density (share of unit neighbours known)",
                    "zh": "邻里熟识度（认识的同单元邻居比例）"},
    "bridging_ties": {"en": "bridging ties per household", "zh": "户均跨单元联系数"},
    "trust": {"en": "mean trust (0–1)", "zh": "平均信任度（0–1）"},
    "belief": {"en": "believed participation of others", "zh": "对他人参与率的估计"},
    "participation_gini": {"en": "inequality of participation (Gini)",
                           "zh": "参与不均衡程度（基尼系数）"},
    "board_listed": {"en": "households listed on the recognition board", "zh": "红榜上榜户数"},
    "board_thanked": {"en": "households thanked on the board", "zh": "红榜致谢户数"},
    "problems_arisen": {"en": "problems arising per week", "zh": "每周新出现问题数"},
    "problems_open": {"en": "open problems", "zh": "未解决问题数"},
    "problems_reported": {"en": "problems reported per week", "zh": "每周上报问题数"},
    "reported_by_couriers": {"en": "problems reported by couriers per week",
                             "zh": "每周快递员上报问题数"},
    "problems_fixed": {"en": "problems fixed per week", "zh": "每周解决问题数"},
    "mean_weeks_to_fix": {"en": "mean weeks to fix a problem", "zh": "问题平均解决用时"},
    "share_reported": {"en": "share of problems reported", "zh": "问题上报率"},
    "courier_report_share": {"en": "share of reports made by couriers",
                             "zh": "快递员上报占比"},
    "courier_reporters": {"en": "couriers who have reported", "zh": "有上报记录的快递员数"},
    "couriers_active": {"en": "active couriers", "zh": "在岗快递员数"},
    "partnerships_active": {"en": "business partnerships", "zh": "共建企业数"},
    "parking_shared": {"en": "parking spaces shared", "zh": "共享车位数"},
    "rooms_shared": {"en": "rooms shared", "zh": "共享场地数"},
    "space_quality": {"en": "shared-space quality (0–1)", "zh": "公共空间品质（0–1）"},
    "duty_turns": {"en": "duty turns", "zh": "轮值班次"},
    "duty_turns_kept": {"en": "duty turns kept", "zh": "按时履行的轮值班次"},
    "council_turnout": {"en": "council turnout", "zh": "议事会出席率"},
    "satisfaction": {"en": "resident satisfaction (0–1)", "zh": "居民满意度（0–1）"},
    "co_plan": {"en": "co-planning 共谋 (0–1)", "zh": "共谋（0–1）"},
    "co_build": {"en": "co-building 共建 (0–1)", "zh": "共建（0–1）"},
    "co_manage": {"en": "co-managing 共管 (0–1)", "zh": "共管（0–1）"},
    "co_evaluate": {"en": "co-evaluating 共评 (0–1)", "zh": "共评（0–1）"},
    "co_share": {"en": "co-sharing 共享 (0–1)", "zh": "共享（0–1）"},
    "size": {"en": "unit size (households)", "zh": "单元规模（户）"},
}

TEXT: dict[str, dict[str, str]] = {
    # sentences of the plain-language summary
    "lead": {
        "en": "Each sentence compares a scenario with the reference, “{reference}”, on the "
              "same {seeds} random seeds (common random numbers) over {weeks} simulated weeks. "
              "Intervals are 95% confidence intervals across seeds.",
        "zh": "以下每句将一个情景与参照情景“{reference}”比较：使用相同的{seeds}个随机种子"
              "（共同随机数），模拟{weeks}周。区间均为各随机种子间的95%置信区间。"},
    "raise": {
        "en": "“{scenario}” raises {output} from {ref} to {value} by week {week} (difference "
              "{diff}, 95% interval {low} to {high}; {seeds} seeds).",
        "zh": "“{scenario}”使第{week}周的{output}从{ref}提高到{value}（差值{diff}，"
              "95%区间{low}至{high}；{seeds}个随机种子）。"},
    "lower": {
        "en": "“{scenario}” lowers {output} from {ref} to {value} by week {week} (difference "
              "{diff}, 95% interval {low} to {high}; {seeds} seeds).",
        "zh": "“{scenario}”使第{week}周的{output}从{ref}降低到{value}（差值{diff}，"
              "95%区间{low}至{high}；{seeds}个随机种子）。"},
    "same": {
        "en": "“{scenario}” leaves {output} at week {week} exactly as in the reference, "
              "{value} (identical on all {seeds} seeds).",
        "zh": "“{scenario}”第{week}周的{output}与参照情景完全相同，均为{value}"
              "（{seeds}个随机种子结果一致）。"},
    "unclear": {
        "en": "“{scenario}” and “{reference}” cannot be told apart on {output} at week "
              "{week}: {value} and {ref} (difference {diff}, 95% interval {low} to {high} "
              "includes zero; {seeds} seeds).",
        "zh": "“{scenario}”与“{reference}”在第{week}周的{output}上无法区分：分别为{value}和"
              "{ref}（差值{diff}，95%区间{low}至{high}包含零；{seeds}个随机种子）。"},
    "needed": {
        "en": "About {needed} seeds would be needed to tell them apart.",
        "zh": "约需{needed}个随机种子才能区分。"},
    "needed_more": {
        "en": "A few more than {seeds} seeds would be needed to tell them apart.",
        "zh": "需要略多于{seeds}个随机种子才能区分。"},
    "needed_huge": {
        "en": "The difference is negligible: more than {limit} seeds would be needed to tell "
              "them apart.",
        "zh": "差值微乎其微：需要超过{limit}个随机种子才能区分。"},
    "needed_never": {
        "en": "The mean difference is exactly zero on these seeds, so the number of seeds "
              "needed cannot be estimated.",
        "zh": "这些随机种子上的平均差值恰好为零，无法估计区分所需的随机种子数。"},
    "clear_from": {
        "en": "The difference in {output} is clear (its 95% interval excludes zero) from "
              "week {week} on.",
        "zh": "自第{week}周起，{output}差值的95%区间始终不含零。"},
    "unit_points": {"en": " points", "zh": "个百分点"},
    "unit_weeks": {"en": " weeks", "zh": "周"},
    # page structure
    "page_title": {"en": "Scenario comparison", "zh": "情景比较"},
    "subtitle": {"en": "{scenarios}; {seeds} seeds, {weeks} weeks",
                 "zh": "{scenarios}；{seeds}个随机种子，{weeks}周"},
    "summary": {"en": "Summary", "zh": "结论摘要"},
    "scenarios": {"en": "Scenarios", "zh": "情景"},
    "plots": {"en": "Plots", "zh": "图表"},
    "tables": {"en": "Tables", "zh": "数据表"},
    "means": {"en": "Means with 95% intervals", "zh": "均值及95%区间"},
    "means_note": {
        "en": "Mean across seeds; below it, the 95% interval.",
        "zh": "各随机种子的均值；下方为95%区间。"},
    "differences": {"en": "Differences from the reference", "zh": "与参照情景的差值"},
    "differences_note": {
        "en": "Paired difference (scenario − reference, same seeds) with its 95% interval and "
              "effect size d (difference ÷ pooled standard deviation across seeds; it measures "
              "the gap against seed-to-seed variation, not against differences between "
              "households). Grey cells: the interval includes zero, so the two cannot be told "
              "apart; the cell gives the seeds that would be needed. Differences of shares "
              "are in percentage points.",
        "zh": "配对差值（情景−参照，相同随机种子）及其95%区间与效应量d（差值÷各随机种子间的合并"
              "标准差；衡量的是差值相对于随机种子间波动的大小，而不是住户之间的差异）。灰色单元格："
              "区间包含零，两者无法区分；单元格中给出区分所需的随机种子数。比例指标的差值单位为百分点。"},
    "method": {"en": "How these numbers were made", "zh": "计算说明"},
    "method_text": {
        "en": "Every scenario was run on the same {seeds} seeds ({seed_list}) for {weeks} "
              "weeks; each run took the same random draws where the scenarios agree (common "
              "random numbers), so differences are paired seed by seed. Run time {seconds} s "
              "on {workers} worker(s). The raw weekly runs are in runs.parquet and the numbers "
              "of the tables in summary.csv, so everything here can be recomputed.",
        "zh": "每个情景均使用相同的{seeds}个随机种子（{seed_list}）模拟{weeks}周；情景相同之处"
              "使用相同的随机抽样（共同随机数），因此差值按随机种子逐一配对计算。运行耗时{seconds}秒，"
              "使用{workers}个进程。每周原始结果见runs.parquet，表中数字见summary.csv，"
              "均可重新计算。"},
    "versions": {"en": "Software versions", "zh": "软件版本"},
    "generated": {"en": "Generated by Linli {version} on {date}.",
                  "zh": "由Linli {version}于{date}生成。"},
    "reference": {"en": "reference", "zh": "参照"},
    "name": {"en": "name", "zh": "名称"},
    "title": {"en": "title", "zh": "标题"},
    "description": {"en": "description", "zh": "说明"},
    "extends": {"en": "builds on", "zh": "继承自"},
    "output": {"en": "output", "zh": "指标"},
    "week_n": {"en": "week {week}", "zh": "第{week}周"},
    "effect": {"en": "d", "zh": "d"},
    "seeds_needed_cell": {"en": "≈{needed} seeds needed", "zh": "约需{needed}个种子"},
    "seeds_more_cell": {"en": "> {seeds} seeds needed", "zh": "需多于{seeds}个种子"},
    "seeds_huge_cell": {"en": "> {limit} seeds needed", "zh": "需超过{limit}个种子"},
    "seeds_never_cell": {"en": "mean difference 0", "zh": "平均差值为0"},
    "no_value_cell": {"en": "no value in one of the two", "zh": "其中一方无数值"},
    "identical_cell": {"en": "identical", "zh": "完全相同"},
    "omitted_outputs": {
        "en": "Not in the tables because they are zero or missing in every scenario: {items}.",
        "zh": "以下指标在所有情景中均为零或缺失，未列入表中：{items}。"},
    "skipped_plots": {
        "en": "Not drawn because every value is zero or missing in every scenario: {items}.",
        "zh": "以下图表在所有情景中数值均为零或缺失，未绘制：{items}。"},
    "no_cjk_font": {
        "en": "No CJK font found: Chinese text in the plots would show as empty boxes. "
              "Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk).",
        "zh": "未找到中文字体：图中的中文将显示为方框。请安装中文字体"
              "（Debian/Ubuntu：apt-get install fonts-noto-cjk）。"},
    "list_sep": {"en": "; ", "zh": "；"},
    # plots
    "plot_participation": {"en": "Weekly participation", "zh": "每周参与率"},
    "plot_by_kind": {"en": "Weekly participation by kind of household",
                     "zh": "不同类型住户的每周参与率"},
    "plot_by_unit_size": {"en": "Participation by unit size", "zh": "不同单元规模的参与率"},
    "plot_core": {"en": "Core volunteers", "zh": "核心志愿者"},
    "plot_groups": {"en": "Interest groups", "zh": "兴趣小组"},
    "plot_problems": {"en": "Problems fixed and time to fix", "zh": "问题解决数量与用时"},
    "plot_ties": {"en": "Tie density", "zh": "邻里熟识度"},
    "plot_co": {"en": "The five co-s (五共)", "zh": "五共"},
    "caption_band": {
        "en": "Lines: mean across seeds; shaded: 95% interval.",
        "zh": "线：各随机种子的均值；阴影：95%区间。"},
    "caption_by_unit_size": {
        "en": "Mean weekly participation of the units over the whole run, by unit size "
              "(binned); bars: 95% interval across seeds.",
        "zh": "整个模拟期内各单元的平均每周参与率，按单元规模分组；"
              "误差线：各随机种子间的95%区间。"},
    "axis_week": {"en": "Week", "zh": "周"},
    "panel_party": {"en": "Party households (solid) and non-party (dashed)",
                    "zh": "党员户（实线）与非党员户（虚线）"},
    "panel_tenure": {"en": "Recent arrivals (solid) and long-term residents (dashed)",
                     "zh": "新迁入户（实线）与老住户（虚线）"},
    "all_zero": {"en": "0 in every scenario", "zh": "各情景均为0"},
}


def check_lang(lang: str) -> str:
    """``lang`` if it is supported, else a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str, **fields: object) -> str:
    """The template ``key`` in ``lang``, filled with ``fields``."""
    return TEXT[key][check_lang(lang)].format(**fields)


def column(name: str, lang: str) -> str:
    """An output's name as it reads inside a sentence (falls back to the column name)."""
    return COLUMNS.get(name, {}).get(check_lang(lang), name)


def label(name: str, lang: str) -> str:
    """An output's name as an axis or table label: capitalised in English."""
    text = column(name, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


def placeholders(template: str) -> set[str]:
    """The ``{fields}`` a template uses."""
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}
