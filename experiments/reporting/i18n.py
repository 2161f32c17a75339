"""Chinese and English strings for comparison reports: labels, column names, sentences.

``column(name, lang)`` names an output as it reads inside a sentence; ``label(name, lang)``
as an axis or table label; ``t(key, lang, **fields)`` fills a template. Chinese is the
default: the reports are for neighbourhood and district staff.
"""

from __future__ import annotations

import string

from . import i18n_uncertainty as uncertainty_texts

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
    # model v2 (issue 9)
    "reach_13w": "share", "occasions_13w": "number", "retention_52w": "share",
    "hours_top10_share": "share", "habit": "index", "head_vacancy": "share",
    "head_candidates": "share", "largest_group": "count", "group_cap_weeks": "count",
    "problems_ignored": "count", "partnership_mean": "index", "council_fix": "share",
    "council_spaces": "share", "council_activities": "share", "reports_top10_share": "share",
}

# Every weekly output (ODD §7.13 / model.metrics) and the unit-summary columns we plot.
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
    # model v2 (issue 9)
    "reach_13w": {"en": "households that took part in the last 13 weeks",
                  "zh": "近13周参与过的住户比例"},
    "occasions_13w": {"en": "weeks taken part in the last 13 (among those who took part)",
                      "zh": "近13周参与周数（参与者平均）"},
    "retention_52w": {"en": "retained a year on (active 52 weeks ago and now)",
                      "zh": "一年后仍参与的比例"},
    "hours_top10_share": {"en": "share of hours given by the top 10% of households",
                          "zh": "投入最多的10%住户所占时长比例"},
    "habit": {"en": "mean habit of taking part (0–1)", "zh": "平均参与习惯（0–1）"},
    "head_vacancy": {"en": "neighbour-head posts vacant", "zh": "邻里长空缺比例"},
    "head_candidates": {"en": "households able and willing to serve as heads",
                        "zh": "愿意且能够担任邻里长的住户比例"},
    "largest_group": {"en": "members of the largest group (households)",
                      "zh": "最大兴趣小组成员户数"},
    "group_cap_weeks": {"en": "weeks in which the group size cap bound",
                        "zh": "小组规模上限起作用的周数"},
    "problems_ignored": {"en": "reports ignored per week", "zh": "每周未获处理的上报数"},
    "partnership_mean": {"en": "mean partnership with businesses (0–1)",
                         "zh": "与企业的平均合作程度（0–1）"},
    "council_fix": {"en": "councils that chose fixing problems first",
                    "zh": "议事会选择优先解决问题的比例"},
    "council_spaces": {"en": "councils that chose shared spaces", "zh": "议事会选择公共空间的比例"},
    "council_activities": {"en": "councils that chose group activities",
                           "zh": "议事会选择兴趣活动的比例"},
    "reports_top10_share": {"en": "share of residents' reports made by the top 10% of reporters",
                            "zh": "上报最多的10%居民所占上报比例"},
}

TEXT: dict[str, dict[str, str]] = {
    # sentences of the plain-language summary
    "lead": {
        "en": "Each scenario below is compared with the reference, “{reference}”, on the same "
              "{seeds} random seeds over {weeks} simulated weeks; the numbers are for the last "
              "week. A difference comes with its 95% interval: given how much runs vary from "
              "seed to seed, the true difference lies in that range with 95% confidence. When "
              "the interval does not include zero, the difference is not chance.",
        "zh": "以下各情景均与参照情景“{reference}”比较：使用相同的{seeds}个随机种子，"
              "模拟{weeks}周，"
              "数字为最后一周的结果。每个差值都附有95%区间：考虑到不同随机种子之间的波动，"
              "真实差值有95%的把握落在这个范围内；区间不含零，说明差值并非偶然。"},
    "raise": {
        "en": "{output}: up from {ref} to {value} by week {week} ({diff}; 95% interval {low} "
              "to {high}).",
        "zh": "{output}：第{week}周从{ref}提高到{value}（差值{diff}，95%区间{low}至{high}）。"},
    "lower": {
        "en": "{output}: down from {ref} to {value} by week {week} ({diff}; 95% interval {low} "
              "to {high}).",
        "zh": "{output}：第{week}周从{ref}降低到{value}（差值{diff}，95%区间{low}至{high}）。"},
    "same": {
        "en": "{output}: exactly as in the reference at week {week}, {value}, on all {seeds} "
              "seeds.",
        "zh": "{output}：第{week}周与参照情景完全相同，均为{value}（{seeds}个随机种子结果一致）。"},
    "unclear": {
        "en": "{output}: {value} against {ref} at week {week}, too close to tell apart (the "
              "95% interval of the difference, {low} to {high}, includes zero).",
        "zh": "{output}：第{week}周为{value}，参照情景为{ref}，差别太小，无法区分"
              "（差值的95%区间{low}至{high}包含零）。"},
    "not_part_here": {
        "en": "{output}: not part of this scenario ({value} in the reference at week {week}).",
        "zh": "{output}：本情景不包含此项（参照情景第{week}周为{value}）。"},
    "not_part_reference": {
        "en": "{output}: {value} by week {week}; not part of the reference scenario.",
        "zh": "{output}：第{week}周为{value}；参照情景不包含此项。"},
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
        "en": "From week {week} on, the difference in {output} is larger than seed-to-seed "
              "chance can explain (its 95% interval stays clear of zero).",
        "zh": "自第{week}周起，{output}的差值大于随机种子间的偶然波动所能解释的范围"
              "（其95%区间始终不含零）。"},
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
        "en": "Mean across seeds; below it, its 95% interval: where the mean of many more "
              "seeds would lie, with 95% confidence.",
        "zh": "各随机种子的均值；下方为95%区间：若使用更多随机种子，均值有95%的把握落在此范围内。"},
    "differences": {"en": "Differences from the reference", "zh": "与参照情景的差值"},
    "differences_note": {
        "en": "Difference scenario − reference on the same seeds, with its 95% interval below "
              "it (the range the true difference lies in with 95% confidence). Grey cells: "
              "the interval includes zero, so the two cannot be told apart; the cell gives the "
              "seeds that would be needed. Differences of shares are in percentage points.",
        "zh": "情景减参照情景的差值（相同随机种子），下方为其95%区间"
              "（真实差值有95%的把握落在此范围内）。"
              "灰色单元格：区间包含零，两者无法区分；单元格中给出区分所需的随机种子数。"
              "比例指标的差值单位为百分点。"},
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
    "seeds_needed_cell": {"en": "≈{needed} seeds needed", "zh": "约需{needed}个种子"},
    "seeds_more_cell": {"en": "> {seeds} seeds needed", "zh": "需多于{seeds}个种子"},
    "seeds_huge_cell": {"en": "> {limit} seeds needed", "zh": "需超过{limit}个种子"},
    "seeds_never_cell": {"en": "mean difference 0", "zh": "平均差值为0"},
    "no_value_cell": {"en": "no value in one of the two", "zh": "其中一方无数值"},
    "identical_cell": {"en": "identical", "zh": "完全相同"},
    "not_part_cell": {"en": "not part of this scenario", "zh": "本情景不包含此项"},
    "not_part_either_cell": {"en": "not part of both scenarios",
                             "zh": "两个情景并非都包含此项"},
    "glossary": {"en": "About these outputs", "zh": "指标说明"},
    "about_core": {
        "en": "Core volunteers: households that took part in at least 6 of the last 8 weeks. "
              "Nobody can qualify before week 6, so this curve is zero for the first five "
              "weeks.",
        "zh": "核心志愿者：近8周中至少参与6周的住户。第6周之前无人能达到这一标准，"
              "因此前五周该曲线为零。"},
    "about_early_fall": {
        "en": "Why curves fall early: the launch call draws many households in week 1; most "
              "take part only as long as they see enough others do, so participation falls "
              "over the first weeks before it settles (as in public-goods experiments).",
        "zh": "曲线为何先降：启动号召在第1周吸引了许多住户参与；多数住户只在看到足够多的邻居参与时"
              "才会继续，因此参与率在最初几周下降，随后趋于稳定（与公共品实验中的规律一致）。"},
    "about_co": {
        "en": "The five co-s (五共), each a score from 0 to 1: co-planning (共谋) is council "
              "turnout; co-building (共建) is weekly participation, averaged with the share of "
              "businesses in partnership where there are businesses; co-managing (共管) is the "
              "quality of shared spaces; co-evaluating (共评) is the share of problems "
              "reported; co-sharing (共享) is residents' satisfaction.",
        "zh": "五共，每项为0到1的得分：共谋为议事会出席率；"
              "共建为每周参与率（有企业时与共建企业比例取平均）；"
              "共管为公共空间品质；共评为问题上报率；共享为居民满意度。"},
    "about_not_part": {
        "en": "“Not part of this scenario”: the mechanism behind the output (problems, "
              "councils, shared spaces, …) is switched off there, so the output has no value; "
              "it is not zero.",
        "zh": "“本情景不包含此项”：该指标背后的机制（问题上报、议事会、公共空间等）"
              "在该情景中未启用，"
              "因此没有数值，并非为零。"},
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
    # a caption is the shading's sentence (shade_seeds, or with a posterior shade_params)
    # followed by the plot's own
    "shade_seeds": {
        "en": "Lines: mean across seeds; shaded: 95% interval (where the mean of many more "
              "seeds would lie, with 95% confidence).",
        "zh": "线：各随机种子的均值；"
              "阴影：95%区间（若使用更多随机种子，均值有95%的把握落在其中）。"},
    "caption_band": {
        "en": "The reference is the wide grey line underneath, so a scenario that follows it "
              "stays visible.",
        "zh": "参照情景为下方较宽的灰线，与之重合的情景仍然可见。"},
    "caption_core": {
        "en": "Core volunteers took part in at least 6 of the last 8 weeks, so the curve "
              "starts at zero until week 6.",
        "zh": "核心志愿者为近8周中至少参与6周的住户，因此第6周之前曲线为零。"},
    "caption_co": {
        "en": "Each co- is a 0–1 score: co-planning = council turnout, co-building = "
              "participation (with business partnerships), co-managing = shared-space "
              "quality, co-evaluating = share of problems reported, co-sharing = "
              "satisfaction.",
        "zh": "五共均为0–1得分：共谋=议事会出席率，共建=参与率（含企业共建），共管=公共空间品质，"
              "共评=问题上报率，共享=居民满意度。"},
    "caption_by_unit_size": {
        "en": "Mean weekly participation of the units over the whole run, by unit size "
              "(binned); bars: 95% interval across seeds.",
        "zh": "整个模拟期内各单元的平均每周参与率，按单元规模分组；"
              "误差线：各随机种子间的95%区间。"},
    "axis_week": {"en": "Week", "zh": "周"},
    "axis_points": {"en": "Difference from the reference (percentage points)",
                    "zh": "与参照情景之差（百分点）"},
    "axis_difference": {"en": "Difference from the reference", "zh": "与参照情景之差"},
    "plot_participation_difference": {"en": "Weekly participation: difference from the "
                                            "reference", "zh": "每周参与率：与参照情景之差"},
    "caption_difference": {
        "en": "Each line is a scenario's difference from the reference, paired run by run; "
              "above the grey zero line it is higher than in the reference. Levels can be "
              "uncertain while a difference is not: what moves one scenario moves the other "
              "too.",
        "zh": "每条线为某情景与参照情景逐次配对的差值；灰色零线以上即高于参照情景。"
              "水平值本身可能很不确定，而差值却可以很确定：影响一个情景的因素也同样影响另一个。"},
    "panel_party": {"en": "Party households (solid) and non-party (dashed)",
                    "zh": "党员户（实线）与非党员户（虚线）"},
    "panel_tenure": {"en": "Recent arrivals (solid) and long-term residents (dashed)",
                     "zh": "新迁入户（实线）与老住户（虚线）"},
    "all_zero": {"en": "0 in every scenario", "zh": "各情景均为0"},
    "not_part_anywhere": {"en": "not part of any of these scenarios",
                          "zh": "这些情景均不包含此项"},
    "not_part_of": {"en": "not part of: {names}", "zh": "不包含此项：{names}"},
    # the command line
    "progress_runs": {"en": "runs", "zh": "已完成运行"},
    "progress_eta": {"en": "ETA", "zh": "预计剩余"},
    "written_to": {"en": "written to", "zh": "已写入"},
}


# summary.csv: its columns' stable ids (the English headers) and their Chinese headers
CSV_HEADERS: dict[str, str] = {
    "scenario": "情景代码", "scenario_title": "情景", "output": "指标代码", "output_label": "指标",
    "week": "周", "part": "本情景包含此项", "mean": "均值", "low": "95%区间下限",
    "high": "95%区间上限", "seeds": "随机种子数", "diff": "与参照情景之差",
    "diff_low": "差值95%区间下限", "diff_high": "差值95%区间上限",
    "effect_size": "效应量（差值÷随机种子间标准差）", "distinguishable": "可区分",
    "seeds_needed": "区分所需随机种子数", "seeds_compared": "配对比较的随机种子数",
}
TEXT.update(uncertainty_texts.TEXT)
CSV_HEADERS.update(uncertainty_texts.CSV_HEADERS)
YES_NO = {"en": ("true", "false"), "zh": ("是", "否")}
# axis units by kind of output (a share is shown in percent)
UNITS: dict[str, dict[str, str]] = {
    "share": {"en": "%", "zh": "%"}, "count": {"en": "number", "zh": "数量"},
    "weeks": {"en": "weeks", "zh": "周"}, "index": {"en": "score, 0–1", "zh": "得分，0–1"},
    "number": {"en": "number", "zh": "数值"},
}
UNIT_OVERRIDES: dict[str, dict[str, str]] = {
    "group_members": {"en": "households", "zh": "户"},
    "hours_per_household": {"en": "hours", "zh": "小时"},
}


def unit(name: str, lang: str) -> str:
    """The unit an output is shown in (for axis labels)."""
    if name in UNIT_OVERRIDES:
        return UNIT_OVERRIDES[name][check_lang(lang)]
    return UNITS[KIND.get(name, "number")][check_lang(lang)]


def axis_label(name: str, lang: str, with_name: bool = True) -> str:
    """An axis label with its unit: "Weekly participation (%)", or just "(%)" as "%"."""
    if not with_name:
        return unit(name, lang)
    sep = ("（", "）") if lang == "zh" else (" (", ")")
    text = label(name, lang)
    return text if "0–1" in text else f"{text}{sep[0]}{unit(name, lang)}{sep[1]}"


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
