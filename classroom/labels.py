"""Every word the classroom pages and the debrief show, in Chinese (default) and English."""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "邻里 · 课堂模式", "en": "Linli · classroom"},
    "host_title": {"zh": "邻里 · 课堂（主持人）", "en": "Linli · classroom (facilitator)"},
    "lang_other": {"zh": "EN", "en": "中文"},
    # joining
    "join_title": {"zh": "加入课堂", "en": "Join the room"},
    "room_code": {"zh": "房间码", "en": "Room code"},
    "your_name": {"zh": "你的名字", "en": "Your name"},
    "join": {"zh": "加入", "en": "Join"},
    "join_note": {"zh": "名字只保存在主持人的电脑上；导出的记录使用化名。",
                  "en": "Your name stays on the facilitator's laptop; exported logs use a "
                        "pseudonym."},
    "err_wrong room code": {"zh": "房间码不对", "en": "Wrong room code"},
    "err_taken": {"zh": "这个名字已有人使用，请换一个", "en": "This name is taken; choose another"},
    "err_device": {"zh": "这台设备已用另一个名字加入", "en": "This device already plays under "
                                                         "another name"},
    "err_full": {"zh": "房间已满", "en": "The room is full"},
    "err_other": {"zh": "无法加入：{error}", "en": "Cannot join: {error}"},
    "err_submit": {"zh": "未能提交：{error}", "en": "Not sent: {error}"},
    # the player's page
    "you_are": {"zh": "{name}，你的角色：{role}", "en": "{name}, you play: {role}"},
    "role_household": {"zh": "第{unit}邻里单元的一户居民", "en": "a household in unit {unit}"},
    "role_head": {"zh": "第{unit}邻里单元的邻长", "en": "the neighbour head of unit {unit}"},
    "role_courier": {"zh": "快递小哥（第{courier}号路线）", "en": "a courier (route {courier})"},
    "role_business": {"zh": "商户（第{business}号）", "en": "a business (no. {business})"},
    "round": {"zh": "第{round}轮", "en": "Round {round}"},
    "round_of": {"zh": "第{round}/{rounds}轮", "en": "Round {round} of {rounds}"},
    "waiting_start": {"zh": "等待主持人开始……", "en": "Waiting for the facilitator to start…"},
    "waiting_round": {"zh": "本轮已结束，等待下一轮……", "en": "Round closed; waiting for the "
                                                         "next…"},
    "finished": {"zh": "游戏结束，请看大屏幕上的复盘。", "en": "The game is over: see the debrief "
                                                        "on the screen."},
    "seconds_left": {"zh": "还剩{seconds}秒", "en": "{seconds} s left"},
    "seconds_about": {"zh": "还剩约{seconds}秒", "en": "about {seconds} s left"},
    "decided": {"zh": "已提交：{what}（本轮结束前可以修改）",
                "en": "Sent: {what} (you may change it until the round closes)"},
    "not_decided": {"zh": "本轮还没有决定。不决定的话，沿用你上一轮的选择。",
                    "en": "Not decided yet. If you do not decide, your last choice stands."},
    "not_decided_first": {"zh": "本轮还没有决定。不决定的话，由模型替你决定。",
                          "en": "Not decided yet. If you do not decide, the model decides for "
                                "you."},
    "removed": {"zh": "主持人已将你移出本局。", "en": "The facilitator removed you from the "
                                                   "game."},
    "join_again": {"zh": "重新加入", "en": "Join again"},
    "invite": {"zh": "邀请近来很少参加的邻居", "en": "Invite neighbours who rarely take part"},
    "invite_rule": {"zh": "邀请：照常", "en": "Invitations: as usual"},
    "invite_in": {"zh": "邀请{count}户很少参加的", "en": "Invite {count} who rarely take part"},
    "invite_out": {"zh": "这周不邀请", "en": "Invite nobody"},
    "invite_none": {"zh": "不邀请", "en": "no invitations"},
    "nominate": {"zh": "推荐上红榜", "en": "Nominate for the red list"},
    "nominate_nobody": {"zh": "不推荐", "en": "Nobody"},
    "nominee": {"zh": "{position}号 · {hours}小时", "en": "No. {position} · {hours} h"},
    "nominated": {"zh": "推荐{position}号上红榜", "en": "nominated no. {position} for the red "
                                                             "list"},
    "business_join": {"zh": "本轮员工参加居民的活动", "en": "Our staff join residents' activities "
                                                              "this round"},
    "report": {"zh": "上报一个我看到的问题", "en": "Report a problem I see"},
    "member_rule": {"zh": "兴趣小组：照常", "en": "Interest group: as usual"},
    "member_in": {"zh": "加入/留在兴趣小组", "en": "Join / stay in the group"},
    "member_out": {"zh": "不参加兴趣小组", "en": "Leave / stay out"},
    "see_group_nearby": {"zh": "附近有一个你感兴趣的小组（{group_nearby_members}人），可以加入",
                         "en": "A group of your interest meets nearby ({group_nearby_members} "
                               "members): you could join"},
    "you_see": {"zh": "你看到的", "en": "What you see"},
    "submit": {"zh": "提交决定", "en": "Send my decision"},
    "take_part": {"zh": "本周参加社区活动", "en": "Take part this week"},
    "stay_out": {"zh": "本周不参加", "en": "Not this week"},
    "hours": {"zh": "投入几小时", "en": "Hours to give"},
    "call_activity": {"zh": "在本单元发起一个兴趣活动", "en": "Call an activity in my unit"},
    "join_activity": {"zh": "本周参加社区活动", "en": "Join a community activity this week"},
    "offer": {"zh": "向社区开放车位和活动室", "en": "Offer parking and a room to the community"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    # what a role sees
    "see_week": {"zh": "模型第{week}周", "en": "Model week {week}"},
    "see_neighbours": {"zh": "同单元邻居{neighbours}户，上周有{neighbours_took_part}户参加",
                       "en": "{neighbours} neighbours in your unit; {neighbours_took_part} took "
                             "part last week"},
    "see_known": {"zh": "你认识其中{neighbours_known}户", "en": "You know {neighbours_known} of "
                                                              "them"},
    "see_me": {"zh": "你上周{took}，累计参加{my_weeks_active}周",
               "en": "Last week you {took}; {my_weeks_active} weeks taken part so far"},
    "took_yes": {"zh": "参加了", "en": "took part"},
    "took_no": {"zh": "没有参加", "en": "did not take part"},
    "see_invited": {"zh": "有人邀请了你", "en": "Someone invited you"},
    "see_party": {"zh": "你家有党员：每周可以邀请{count}户邻居参加",
                  "en": "Your household has a party member: each week you may invite {count} "
                        "neighbour(s) to take part"},
    "see_head": {"zh": "你的单元有邻长", "en": "Your unit has a head"},
    "see_no_head": {"zh": "你的单元还没有邻长", "en": "Your unit has no head yet"},
    "see_group": {"zh": "你的兴趣小组：{group_members}人，上周{group_took_part}人参加",
                  "en": "Your interest group: {group_members} members, {group_took_part} took "
                        "part last week"},
    "see_no_group": {"zh": "你不在兴趣小组里", "en": "You are in no interest group"},
    "see_board": {"zh": "红榜（第{board_week}周）上有你单元{board_listed_in_unit}户",
                  "en": "The red list (week {board_week}) names {board_listed_in_unit} of your "
                        "unit"},
    "see_listed": {"zh": "你上了红榜", "en": "You are on the red list"},
    "see_no_board": {"zh": "还没有张贴红榜", "en": "No red list posted yet"},
    "see_problems": {"zh": "你看得到{problems_in_sight}个未解决的问题",
                     "en": "{problems_in_sight} open problems in sight"},
    "see_unit_head": {"zh": "本单元{unit_households}户：近八周参加过的"
                            "{unit_active_lately}户，"
                            "上周被邀请{unit_invited}户，兴趣小组成员{unit_in_groups}户",
                      "en": "Your unit's {unit_households} households: {unit_active_lately} took "
                            "part in the last 8 weeks, {unit_invited} were invited last week, "
                            "{unit_in_groups} in interest groups"},
    "see_contributors": {"zh": "本期（上次红榜以来）参加过的邻居：{who}",
                         "en": "Neighbours who took part since the last red list: {who}"},
    "see_no_contributors": {"zh": "本期（上次红榜以来）还没有邻居参加",
                            "en": "No neighbour has taken part since the last red list"},
    "see_route": {"zh": "你的路线经过{route_households}户（单元 {units}），"
                         "上周{route_took_part}户参加",
                  "en": "Your route passes {route_households} households (units {units}); "
                        "{route_took_part} took part last week"},
    "see_route_problems": {"zh": "沿途有{problems_on_route}个问题，"
                                  "其中{problems_on_route_reported}个已上报",
                           "en": "{problems_on_route} problems along it, "
                                 "{problems_on_route_reported} reported"},
    "see_station": {"zh": "路线附近有服务站；归属感 {attachment}",
                    "en": "A station is near your route; attachment {attachment}"},
    "see_no_station": {"zh": "路线附近没有服务站；归属感 {attachment}",
                       "en": "No station near your route; attachment {attachment}"},
    "see_business": {"zh": "你附近（单元 {units}）有{households_near}户，"
                            "上周{near_took_part}户参加",
                     "en": "Around you (units {units}): {households_near} households, "
                           "{near_took_part} took part last week"},
    "see_partnership": {"zh": "与社区的合作程度 {partnership}；{sharing}",
                        "en": "Partnership with the community {partnership}; {sharing}"},
    "sharing_yes": {"zh": "正在开放车位/活动室", "en": "sharing parking/room now"},
    "sharing_no": {"zh": "尚未开放", "en": "not sharing yet"},
    # facilitator
    "join_at": {"zh": "用手机扫码或打开", "en": "Scan or open"},
    "players": {"zh": "玩家（{count}）", "en": "Players ({count})"},
    "start": {"zh": "开始", "en": "Start"},
    "resume": {"zh": "继续", "en": "Resume"},
    "pause": {"zh": "暂停", "en": "Pause"},
    "close_round": {"zh": "立即结束本轮", "en": "Close round now"},
    "timer": {"zh": "每轮限时", "en": "Timer per round"},
    "no_timer": {"zh": "不限时", "en": "no timer"},
    "weeks_per_round": {"zh": "每轮模型周数", "en": "Model weeks per round"},
    "export": {"zh": "导出复盘", "en": "Export the debrief"},
    "exported": {"zh": "已写入 {path}", "en": "Written to {path}"},
    "kick": {"zh": "移出", "en": "Remove"},
    "decided_mark": {"zh": "已决定", "en": "decided"},
    "waiting_mark": {"zh": "未决定", "en": "waiting"},
    "room_label": {"zh": "课堂（有玩家）", "en": "Room (with players)"},
    "shadow_label": {"zh": "影子世界（全由模型决定）", "en": "Shadow (model households only)"},
    "not_allowed": {"zh": "此页面仅供主持人使用（使用启动时打印的地址）。",
                    "en": "This page is for the facilitator (use the address printed at start)."},
    "serving": {"zh": "课堂已启动。主持人页面：{host}\n玩家加入：{join}（房间码 {code}）",
                "en": "Classroom running. Facilitator page: {host}\nPlayers join at: {join} "
                      "(room code {code})"},
    # debrief
    "debrief": {"zh": "复盘", "en": "Debrief"},
    "debrief_intro": {"zh": "课堂上玩家的决定与模型对比：同一社区、同一随机种子，"
                            "影子世界里玩家的位置由模型居民代替。",
                      "en": "What the players did, against the model: the same community and "
                            "seed, with model households in the players' places in the "
                            "shadow world."},
    "chart_participation": {"zh": "每周参与率", "en": "Weekly participation"},
    "chart_hours": {"zh": "每户每周投入小时", "en": "Hours per household per week"},
    "chart_board": {"zh": "红榜上的住户数", "en": "Households on the red list"},
    "findings": {"zh": "主要发现", "en": "Findings"},
    "timeline": {"zh": "决定时间线", "en": "Timeline of decisions"},
    "contributions": {"zh": "各角色的贡献", "en": "Contributions by role"},
    "col_round": {"zh": "轮次", "en": "Round"},
    "col_weeks": {"zh": "模型周", "en": "Weeks"},
    "col_player": {"zh": "玩家", "en": "Player"},
    "col_role": {"zh": "角色", "en": "Role"},
    "col_decision": {"zh": "决定", "en": "Decision"},
    "col_source": {"zh": "来源", "en": "How"},
    "col_rounds_part": {"zh": "参加的轮次", "en": "Rounds taking part"},
    "col_hours": {"zh": "投入小时", "en": "Hours given"},
    "col_actions": {"zh": "其他行动", "en": "Other actions"},
    "src_submitted": {"zh": "本人提交", "en": "sent"},
    "src_kept": {"zh": "沿用上一轮", "en": "kept last choice"},
    "src_model": {"zh": "模型代为决定", "en": "left to the model"},
    "kind_household": {"zh": "居民", "en": "household"},
    "kind_head": {"zh": "邻长", "en": "neighbour head"},
    "kind_courier": {"zh": "快递小哥", "en": "courier"},
    "kind_business": {"zh": "商户", "en": "business"},
    "model_note": {"zh": "这些都是模型在课堂玩家决定下的结果，不是实测数据。",
                   "en": "These are the model's results under the players' decisions, not "
                         "measurements."},
    "finding_overall": {
        "zh": "最后{weeks}周，课堂社区的每周参与率平均为{room}%，影子世界为{shadow}%"
              "（相差{diff}个百分点）。",
        "en": "Over the last {weeks} weeks, weekly participation averaged {room}% in the room "
              "and {shadow}% in the shadow world ({diff} points)."},
    "finding_rule": {
        "zh": "玩家在{decisions}次决定中有{took}%选择参加；按模型的决策规则，"
              "同样的住户参加的概率平均为{rule}%。",
        "en": "In {decisions} decisions, players chose to take part {took}% of the time; the "
              "model's rule gave the same households a {rule}% chance on average."},
    "finding_neighbours": {
        "zh": "玩家所在的{units}个单元里，其他{households}户共参加了{room}户周，"
              "影子世界里是{shadow}户周（{diff}）。",
        "en": "The other {households} households of the players' {units} units took part "
              "{room} household-weeks in the room against {shadow} in the shadow world "
              "({diff})."},
    "finding_head": {
        "zh": "{player}作为第{unit}单元的邻长发起了{calls}次活动；该单元{households}户中"
              "现有{members}户在兴趣小组（影子世界{shadow_members}户），上周{took}户参加。",
        "en": "{player}, head of unit {unit}, called {calls} activities; {members} of its "
              "{households} households are now in an interest group ({shadow_members} in the "
              "shadow world), and {took} took part last week."},
    "finding_invite": {
        "zh": "{player}（第{unit}单元邻长）共邀请了{invited}户邻居，其中{took}户在受邀当周参加了。",
        "en": "{player}, head of unit {unit}, invited {invited} neighbours; {took} of them took "
              "part in the week they were invited."},
    "finding_invite_party": {
        "zh": "{player}（第{unit}单元的党员家庭）共邀请了{invited}户邻居，"
              "其中{took}户在受邀当周参加了。",
        "en": "{player}, a party member's household in unit {unit}, invited {invited} "
              "neighbours; {took} of them took part in the week they were invited."},
    "finding_nominate": {
        "zh": "{player}推荐了{nominated}位邻居上红榜，其中{listed}位在最近一期红榜上；"
              "他们一共参加了{room}周，影子世界里（没有人推荐）是{shadow}周。",
        "en": "{player} nominated {nominated} neighbours for the red list; {listed} of them are "
              "on the latest list. Together they took part {room} weeks, against {shadow} in "
              "the shadow world (where nobody nominates)."},
    "finding_late": {
        "zh": "{total}个决定中有{late}个没有按时提交（沿用上一轮或由模型代为决定）。",
        "en": "{late} of {total} decisions were not sent in time (the last choice kept, or "
              "left to the model)."},

}


def tr(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` in ``lang`` (falls back to English), with ``fields`` filled in."""
    entry = TEXT[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fields) if fields else text
