"""Every word the trainer app and its animations show, in Chinese (default) and English.

``tr(key, lang, **fields)`` fills a template; ``series(column, lang)`` names a weekly output
as the comparison reports do (``experiments.reporting.i18n``), so the app and the reports agree.
"""

from __future__ import annotations

from experiments.reporting import i18n

LANGS = i18n.LANGS
DEFAULT_LANG = i18n.DEFAULT_LANG

TEXT: dict[str, dict[str, str]] = {
    # page
    "app_title": {"zh": "邻里 · 居民参与共治演示", "en": "Linli · co-governance trainer"},
    "lang_zh": {"zh": "中文", "en": "中文"},
    "lang_en": {"zh": "EN", "en": "EN"},
    "scenario": {"zh": "情景", "en": "Scenario"},
    "preset": {"zh": "预设情景", "en": "Preset scenario"},
    "ab_mode": {"zh": "A/B 对比：两个情景同一随机种子并排运行",
                "en": "A/B: two scenarios side by side, same seed"},
    "preset_b": {"zh": "对比情景 B", "en": "Scenario B"},
    "settings": {"zh": "参数设置", "en": "Settings"},
    "caveat_title": {"zh": "这是模型，不是实测", "en": "A model, not a measurement"},
    "settings_note": {"zh": "修改参数或情景后，按“重置”生效。",
                      "en": "Changed settings take effect when you press Reset."},
    "settings_pending": {"zh": "参数已修改，按“重置”生效", "en": "Settings changed: press Reset"},
    "households": {"zh": "住户数", "en": "Households"},
    "unit_size": {"zh": "邻里单元规模（户）", "en": "Neighbour unit size (households)"},
    "board": {"zh": "红榜公示", "en": "Recognition board (红榜)"},
    "board_scope": {"zh": "红榜范围", "en": "Board scope"},
    "board_interval": {"zh": "红榜每几周张贴一次", "en": "Board posted every … weeks"},
    "scope_unit": {"zh": "单元", "en": "unit"},
    "scope_li": {"zh": "里（楼栋）", "en": "building (里)"},
    "scope_grid": {"zh": "网格", "en": "grid cell"},
    "scope_community": {"zh": "社区", "en": "community"},
    "groups": {"zh": "兴趣小组", "en": "Interest groups"},
    "heads": {"zh": "邻里长（网格长—楼栋长—邻里长）",
              "en": "Neighbour heads (grid → building → unit)"},
    "couriers": {"zh": "快递员人数", "en": "Couriers"},
    "stations": {"zh": "快递驿站数", "en": "Courier stations"},
    "businesses": {"zh": "共建企业数", "en": "Businesses"},
    "seed": {"zh": "随机种子", "en": "Random seed"},
    "on": {"zh": "开", "en": "on"},
    "off": {"zh": "关", "en": "off"},
    # run controls
    "run": {"zh": "运行", "en": "Run"},
    "step": {"zh": "下一周", "en": "Next week"},
    "play": {"zh": "播放", "en": "Play"},
    "pause": {"zh": "暂停", "en": "Pause"},
    "reset": {"zh": "重置", "en": "Reset"},
    "speed_short": {"zh": "周/秒", "en": "weeks/s"},
    "play_stopped": {"zh": "已运行到第 {weeks} 周，自动暂停；再按“播放”继续。",
                     "en": "Paused at week {weeks}, the end of the scenario's horizon; press "
                           "Play to go on."},
    "week": {"zh": "第 {week} 周", "en": "Week {week}"},
    "summary": {"zh": "{households} 户 · {units} 个邻里单元（每单元 {sizes} 户）· "
                      "{lis} 个楼栋（里） · {grids} 个网格",
                "en": "{households} households · {units} neighbour units of {sizes} · "
                      "{lis} buildings (里) · {grids} grid cells"},
    "summary_changed": {"zh": "A 的参数已在左侧修改（{what}），不再是预设原样。",
                        "en": "A's settings were changed on the left ({what}); it is not the "
                              "preset as published."},
    "ab_note": {"zh": "左侧参数只作用于 A；B 按其预设原样运行。",
                "en": "The settings on the left apply to A; B runs its preset as it is."},
    "summary_mechanisms": {"zh": "红榜：{board} · 兴趣小组：{groups} · 邻里长：{heads} · "
                                 "快递员：{couriers} · 企业：{businesses}",
                           "en": "board: {board} · groups: {groups} · heads: {heads} · "
                                 "couriers: {couriers} · businesses: {businesses}"},
    "bad_settings": {"zh": "参数无效：{error}", "en": "Invalid settings: {error}"},
    # interventions
    "interventions": {"zh": "现场干预", "en": "Live interventions"},
    "interventions_note": {"zh": "每项干预从下一周起生效，并在地图和图表上标出。",
                           "en": "Each takes effect from the next week and is marked on the "
                                 "map and the charts."},
    "both": {"zh": "A 和 B", "en": "A and B"},
    "unit": {"zh": "单元", "en": "Unit"},
    "household": {"zh": "住户", "en": "Household"},
    "grid": {"zh": "网格", "en": "Grid cell"},
    "business": {"zh": "企业", "en": "Business"},
    "do_post_red_list": {"zh": "立即张贴红榜", "en": "Post the red list now"},
    "queued": {"zh": "已安排：{what}（{where}），第 {week} 周生效。",
               "en": "Queued: {what} ({where}) from week {week}."},
    "queued_map": {"zh": "地图上以虚线框标出，图表中以点线标出。",
                   "en": "Dashed box on the map, dotted line in the charts."},
    "queued_nomap": {"zh": "图表中以点线标出；红榜在图表下方列出。",
                     "en": "Dotted line in the charts; the list shows below them."},
    "pick_hint": {"zh": "点击地图选择位置：住户、单元、网格或企业方块。",
                  "en": "Click the map to choose where: a household, unit, grid block or "
                        "business square."},
    "nothing_selected": {"zh": "尚未选择位置", "en": "Nothing chosen yet"},
    "selected": {"zh": "已选（地图 {map}）：{what}", "en": "Chosen on map {map}: {what}"},
    "selected_single": {"zh": "已选：{what}", "en": "Chosen: {what}"},
    "do_start_club_at": {"zh": "在{unit}成立兴趣社团", "en": "Start a club in {unit}"},
    "do_appoint_best": {"zh": "任命{unit}最佳人选为邻里长",
                        "en": "Appoint {unit}'s best candidate as head"},
    "do_appoint_household": {"zh": "任命住户 #{household} 为邻里长",
                             "en": "Appoint household #{household} as head"},
    "do_open_station_at": {"zh": "在{grid}开设快递驿站", "en": "Open a courier station in {grid}"},
    "do_offer_parking_at": {"zh": "企业 #{business} 开放车位",
                            "en": "Business #{business} offers its parking"},
    "pick_business": {"zh": "企业开放车位：先在地图上点击一个企业方块。",
                      "en": "Parking: first click a business square on the map."},
    "no_couriers": {"zh": "此情景没有快递员，无法开设驿站。",
                    "en": "This scenario has no couriers, so no station can open."},
    "intervention_error": {"zh": "无法执行：{error}", "en": "Cannot do that: {error}"},
    # intervention names (charts, map, lists)
    "iv_post_red_list": {"zh": "张贴红榜", "en": "red list"},
    "iv_start_club": {"zh": "成立社团", "en": "new club"},
    "iv_appoint_head": {"zh": "任命邻里长", "en": "new neighbour head"},
    "iv_open_station": {"zh": "开设驿站", "en": "new courier station"},
    "iv_offer_parking": {"zh": "开放车位", "en": "parking offered"},
    "iv_short_post_red_list": {"zh": "红榜", "en": "red list"},
    "iv_short_start_club": {"zh": "社团", "en": "club"},
    "iv_short_appoint_head": {"zh": "邻里长", "en": "head"},
    "iv_short_open_station": {"zh": "驿站", "en": "station"},
    "iv_short_offer_parking": {"zh": "车位", "en": "parking"},
    "iv_where_unit": {"zh": "单元 {unit}", "en": "unit {unit}"},
    "iv_where_household": {"zh": "住户 #{household}", "en": "household #{household}"},
    "iv_where_grid": {"zh": "网格 {grid}", "en": "grid cell {grid}"},
    "iv_where_business": {"zh": "企业 #{business}", "en": "business #{business}"},
    "iv_where_all": {"zh": "全社区", "en": "everyone"},
    "iv_log": {"zh": "干预记录", "en": "Interventions so far"},
    "iv_pending": {"zh": "（待生效）", "en": " (next week)"},
    # map
    "map_level_household": {"zh": "每个小方格是一户；方块是邻里单元，按网格分组。",
                            "en": "Each small square is a household; blocks are neighbour "
                                  "units, grouped by grid cell."},
    "map_level_unit": {"zh": "住户较多：每个方格是一个邻里单元，颜色为本周参与比例。",
                       "en": "Many households: each tile is a neighbour unit, coloured by the "
                             "share taking part this week."},
    "map_level_grid": {"zh": "住户很多：每个方格是一个网格，颜色为本周参与比例。",
                       "en": "Very many households: each tile is a grid cell, coloured by the "
                             "share taking part this week."},
    "block_grid": {"zh": "网格 {id}", "en": "grid {id}"},
    "block_community": {"zh": "社区 {id}", "en": "community {id}"},
    "legend_this_week": {"zh": "本周参与", "en": "took part this week"},
    "legend_recent": {"zh": "近8周参与过", "en": "took part in the last 8 weeks"},
    "legend_none": {"zh": "近8周未参与", "en": "not in the last 8 weeks"},
    "legend_party": {"zh": "党员户", "en": "party member"},
    "legend_head": {"zh": "邻里长（含楼栋长、网格长）", "en": "neighbour head (or building/grid)"},
    "legend_listed": {"zh": "红榜上榜", "en": "on the red list"},
    "legend_courier": {"zh": "快递员及其路线（实线：途经驿站）",
                       "en": "courier and route (solid: passes a station)"},
    "legend_station": {"zh": "快递驿站", "en": "courier station"},
    "legend_business": {"zh": "企业（金色：正在共享车位或场地）",
                        "en": "business (gold: sharing parking or rooms)"},
    "legend_intervention": {"zh": "干预位置（虚线：下周生效）",
                            "en": "intervention (dashed: from next week)"},
    "legend_players": {"zh": "玩家（住户、快递员、商户）",
                       "en": "players (households, couriers, businesses)"},
    "legend_selected": {"zh": "已选位置（点击地图选择）", "en": "chosen place (click the map)"},
    "legend_share": {"zh": "本周参与比例", "en": "share taking part this week"},
    # tooltips
    "tip_household": {"zh": "住户 #{household} · 单元 {unit} · 网格 {grid}",
                      "en": "Household #{household} · unit {unit} · grid {grid}"},
    "tip_took_part": {"zh": "本周参与了", "en": "took part this week"},
    "tip_not_this_week": {"zh": "本周未参与", "en": "did not take part this week"},
    "tip_recent_weeks": {"zh": "近8周参与 {n} 周 · 累计 {total} 周",
                         "en": "{n} of the last 8 weeks · {total} weeks in all"},
    "tip_party": {"zh": "党员户", "en": "party member"},
    "tip_head_1": {"zh": "邻里长", "en": "neighbour head"},
    "tip_head_2": {"zh": "楼栋长", "en": "building head"},
    "tip_head_3": {"zh": "网格长", "en": "grid head"},
    "tip_member": {"zh": "兴趣小组成员", "en": "interest-group member"},
    "tip_recent_arrival": {"zh": "新迁入户", "en": "recent arrival"},
    "tip_listed": {"zh": "红榜上榜（{hours:.1f} 小时）", "en": "on the red list ({hours:.1f} h)"},
    "tip_unit": {"zh": "单元 {unit}（{size} 户，网格 {grid}）",
                 "en": "Unit {unit} ({size} households, grid {grid})"},
    "tip_grid": {"zh": "网格 {grid}（{size} 户，{units} 个单元）",
                 "en": "Grid cell {grid} ({size} households, {units} units)"},
    "tip_shares": {"zh": "本周参与 {this:.0%} · 近8周参与过 {recent:.0%}",
                   "en": "this week {this:.0%} · in the last 8 weeks {recent:.0%}"},
    "tip_counts": {"zh": "党员户 {party} · 邻里长 {heads} · 小组成员 {members}",
                   "en": "party {party} · heads {heads} · group members {members}"},
    "tip_station": {"zh": "快递驿站（网格 {grid}）", "en": "Courier station (grid {grid})"},
    "tip_courier": {"zh": "快递员 #{courier}：路线经过 {units} 个单元",
                    "en": "Courier #{courier}: route crosses {units} units"},
    "tip_courier_station": {"zh": "途经驿站，归属感 {attachment:.0%}",
                            "en": "passes a station, attachment {attachment:.0%}"},
    "tip_courier_no_station": {"zh": "不经过驿站，归属感 {attachment:.0%}",
                               "en": "passes no station, attachment {attachment:.0%}"},
    "tip_courier_active": {"zh": "本周参加了社区活动", "en": "joined a community activity "
                                                        "this week"},
    "tip_courier_reports": {"zh": "已上报问题 {reports} 件", "en": "{reports} problems reported"},
    "tip_business": {"zh": "企业 #{business}（{kind}），靠近单元 {first}–{last}",
                     "en": "Business #{business} ({kind}) near units {first}–{last}"},
    "tip_partnership": {"zh": "共建关系 {partnership:.0%}", "en": "partnership {partnership:.0%}"},
    "tip_sharing": {"zh": "正在共享：车位 {parking} 个{room}",
                    "en": "sharing: {parking} parking spaces{room}"},
    "tip_room": {"zh": "、活动场地", "en": " and a room"},
    "kind_office": {"zh": "写字楼", "en": "office"},
    "kind_shop": {"zh": "商铺", "en": "shop"},
    "kind_developer": {"zh": "开发商", "en": "developer"},
    # charts
    "chart_participation": {"zh": "每周参与率", "en": "Weekly participation"},
    "chart_by_kind": {"zh": "各类住户的参与率", "en": "By kind of household"},
    "chart_core": {"zh": "核心志愿者（近8周≥6周）", "en": "Core volunteers (≥6 of 8 weeks)"},
    "chart_groups": {"zh": "兴趣小组与成员", "en": "Interest groups"},
    "chart_problems": {"zh": "问题上报与解决", "en": "Problems reported, fixed"},
    "chart_co": {"zh": "五共指数", "en": "The five co-s (五共)"},
    "series_all": {"zh": "全部住户", "en": "all households"},
    "series_party": {"zh": "党员户", "en": "party"},
    "series_nonparty": {"zh": "非党员户", "en": "non-party"},
    "series_recent": {"zh": "新迁入户", "en": "recent arrivals"},
    "series_long_term": {"zh": "老住户", "en": "long-term"},
    "series_groups": {"zh": "小组数（左轴）", "en": "groups (left axis)"},
    "series_members": {"zh": "成员户数（右轴）", "en": "members (right axis)"},
    "series_reported": {"zh": "上报", "en": "reported"},
    "series_fixed": {"zh": "解决", "en": "fixed"},
    "co_plan": {"zh": "共谋", "en": "co-plan"},
    "co_build": {"zh": "共建", "en": "co-build"},
    "co_manage": {"zh": "共管", "en": "co-manage"},
    "co_evaluate": {"zh": "共评", "en": "co-evaluate"},
    "co_share": {"zh": "共享", "en": "co-share"},
    "axis_week": {"zh": "周", "en": "week"},
    "charts_head": {"zh": "动态图表（横轴：周）", "en": "Live charts (x axis: week)"},
    "legend_iv_line": {"zh": "干预（点线：待生效）", "en": "intervention (dotted: queued)"},
    "not_in_scenario": {"zh": "此情景未包含该机制", "en": "not part of this scenario"},
    "unit_participation": {"zh": "占全部住户", "en": "% of households"},
    "unit_by_kind": {"zh": "占各类住户", "en": "% of each kind"},
    "unit_core": {"zh": "占全部住户", "en": "% of households"},
    "unit_groups": {"zh": "个 · 户", "en": "groups · households"},
    "unit_problems": {"zh": "件/周", "en": "per week"},
    "unit_co": {"zh": "指数 0–1", "en": "index 0–1"},
    "help_participation": {"zh": "本周至少参与一次社区活动的住户占全部住户的比例。",
                           "en": "Share of all households that took part in a community "
                                 "activity this week."},
    "help_by_kind": {"zh": "党员户、非党员户、新迁入户、老住户各自当中本周参与的比例。",
                     "en": "Within each kind of household (party members, others, recent "
                           "arrivals, long-term residents): the share taking part this week."},
    "help_core": {"zh": "近8周中至少6周参与的住户比例；最初几周必然为零，因为还没有人参与满6周。",
                  "en": "Households that took part in at least 6 of the last 8 weeks. It is "
                        "zero for the first weeks: nobody can have 6 weeks yet."},
    "help_groups": {"zh": "正在活动的兴趣小组数（左轴）与小组成员户数（右轴）。",
                    "en": "Active interest groups (left axis) and member households (right "
                          "axis)."},
    "help_problems": {"zh": "每周上报和解决的社区问题件数。",
                      "en": "Community problems reported and fixed each week."},
    "help_co": {"zh": "五共，均为0–1指数：共谋＝楼栋议事会投票率，共建＝参与率与企业共建，"
                      "共管＝公共空间质量，共评＝问题被上报的比例，共享＝居民满意度。",
                "en": "The five co-s, each an index from 0 to 1: co-plan = council turnout, "
                      "co-build = participation and business partnerships, co-manage = quality "
                      "of shared spaces, co-evaluate = share of problems reported, co-share = "
                      "residents' satisfaction."},
    # recognition board
    "board_list": {"zh": "红榜（第 {week} 周张贴，共 {count} 户）",
                   "en": "Red list (posted in week {week}, {count} households)"},
    "board_empty": {"zh": "红榜尚未张贴", "en": "No red list posted yet"},
    "board_nobody": {"zh": "第 {week} 周张贴的红榜无人上榜（上次张贴后无人投入时间）",
                     "en": "The red list posted in week {week} lists nobody (no hours given "
                           "since the previous board)"},
    "board_more": {"zh": "……另有 {more} 户", "en": "… and {more} more"},
    "col_household": {"zh": "住户", "en": "Household"},
    "col_unit": {"zh": "单元", "en": "Unit"},
    "col_hours": {"zh": "本期小时数", "en": "Hours this period"},
    # command line
    "serving": {"zh": "Linli 培训演示已启动：{url}　（按 Ctrl+C 停止）",
                "en": "Linli trainer app: {url}   (Ctrl+C to stop)"},
    "animate_progress": {"zh": "正在绘制动画帧", "en": "Drawing frames"},
    "animate_written": {"zh": "已写入 {out}（{frames} 帧）",
                        "en": "written {out} ({frames} frames)"},
    "animation_title": {"zh": "{title} · 第 {week} 周", "en": "{title} · week {week}"},
}


def check_lang(lang: str) -> str:
    """``lang`` if supported, else ValueError naming the choices."""
    return i18n.check_lang(lang)


def tr(key: str, lang: str, **fields: object) -> str:
    """The string ``key`` in ``lang``, filled with ``fields``."""
    return TEXT[key][check_lang(lang)].format(**fields)


def series(column: str, lang: str) -> str:
    """A weekly output's name as the comparison reports write it (axis/table label)."""
    return i18n.label(column, lang)


def scope(name: str, lang: str) -> str:
    """A board or council scope (unit, li, grid, community) in words."""
    return tr(f"scope_{name}", lang)


def on_off(value: bool, lang: str) -> str:
    return tr("on" if value else "off", lang)
