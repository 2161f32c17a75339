"""Why the model misses a validation target, where the model's design says why (ODD §9).

Shown beside a validation target only when it fails; a miss without an entry here is listed
without a reason. These explain misses; they are never a licence to tune the model to the
target (a value set against a validation target would make it a calibration target).
"""

from __future__ import annotations

REASONS: dict[str, dict[str, str]] = {
    "launch": {
        "en": "The launch call lifts households' belief about others to 0.5, but they start "
              "from the habits and trust of an ordinary community, so week 1 stays below the "
              "first round of a laboratory public-goods game (ODD §9, V2a). A field call is not "
              "a laboratory's first round; nothing was tuned to close the gap.",
        "zh": "启动号召把住户对他人参与的估计提高到0.5，但住户仍从普通社区的习惯和信任出发，因此"
              "第1周的参与仍低于实验室公共品博弈的首轮（ODD §9，V2a）。实地号召不同于实验室首轮；"
              "模型没有为缩小差距而调参。"},
    "report-concentration": {
        "en": "A resident's chance of reporting a problem it has noticed varies only with its "
              "engagement (at most twice the mean), its time at home and the report-again "
              "multipliers (ODD §7.8), so reports are spread over many residents: the model "
              "has no 'super reporters' like FixMyStreet's, whose top 10% make most reports.",
        "zh": "居民发现问题后上报的概率只随其参与程度（至多为平均值的两倍）、在家时间和再次上报"
              "倍数而变化（ODD §7.8），因此上报分散在许多居民之间：模型中没有FixMyStreet那样的"
              "“超级上报者”（其前10%的用户贡献了大部分上报）。"},
    "showcase-organisations": {
        "en": "The model's only organisations are interest groups, which stop growing when "
              "interest, time and places run out (ODD §7.5); the survey counts any community "
              "organisation (volunteer teams, associations, party and residents' bodies), and "
              "persons rather than households.",
        "zh": "模型中的组织只有兴趣小组，且小组在兴趣、时间和场地耗尽时停止增长（ODD §7.5）；"
              "而该调查统计的是任何社区组织（志愿队、协会、党组织和居民组织），且以个人而非住户计。"},
}
