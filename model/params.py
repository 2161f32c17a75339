"""Typed, validated model parameters, grouped by ODD submodel.

Every value carries a unit, a valid range and a source tag: ``empirical`` (with the
citation), ``calibrated`` (against which pattern) or ``assumed``. ``docs/ODD.md`` holds the
parameter table generated from these fields (``python -m experiments.paramtable``).
"""

from __future__ import annotations

import difflib
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

EMPIRICAL, CALIBRATED, ASSUMED = "empirical", "calibrated", "assumed"
# the reference of every calibrated value: the shipped posterior (its mean), ODD §9
POSTERIOR_CORE = ("posterior mean of `linli calibrate core` against the targets "
                  "weekly-participation, quarterly-reach, quarterly-occasions, club-size "
                  "(experiments/calibration/posteriors/core; ODD §9)")


class ParameterError(ValueError):
    """A parameter value or key is invalid; the message names the field and what is allowed."""


def param(default: Any, *, source: str, doc: str, unit: str = "-", ref: str = "", **bounds: Any):
    """A field with its documentation: unit, source tag (and reference), description."""
    return Field(
        default,
        description=doc,
        json_schema_extra={"unit": unit, "source": source, "ref": ref},
        **bounds,
    )


class Section(BaseModel):
    """Base for one group of parameters: unknown keys, NaN/inf and loose types are errors.

    Strict: "3000" or true is not a number, 1 is not a boolean; lists become tuples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _lists_as_tuples(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return data


class Structure(Section):
    """The nesting: household → unit (邻) → 里/building → grid (网格) → community."""

    households: int = param(3000, ge=5, le=2_000_000, unit="households", source=ASSUMED,
                            doc="Number of resident households simulated.")
    unit_size: tuple[int, int] = param(
        (10, 20), unit="households", source=EMPIRICAL,
        ref="Banyuetan report: 25,000+ units of 10–20 households",
        doc="Households per neighbour unit: a range [lo, hi] drawn uniformly per unit; "
            "a single number means a fixed size. Ignored when `ladder` is set.")
    ladder: tuple[int, int, int, int] | None = param(
        None, source=EMPIRICAL, ref="Banyuetan report: Huajin 5 households/5 邻/4 里/5 格",
        doc="Explicit nesting [households per unit, units per 里, 里 per grid, grids per "
            "community]; overrides the size targets below.")
    li_size: int = param(50, ge=1, le=5000, unit="households", source=ASSUMED,
                         doc="Target households per 里, the level between unit and grid "
                             "where building heads serve (units are packed into it).")
    grid_size: int = param(300, ge=1, le=20000, unit="households", source=EMPIRICAL,
                           ref="Wuchang ~375,000 households / 1,272 grid cells",
                           doc="Target households per grid cell (网格).")
    community_size: int = param(3000, ge=1, le=100000, unit="households", source=EMPIRICAL,
                                ref="Banyuetan report: Tanhualin 3,000+ households",
                                doc="Target households per community.")
    building_size: tuple[int, int] = param(
        (24, 72), unit="households", source=ASSUMED,
        ref="a Wuhan residential building: 1–3 stairwells of about 24 households",
        doc="Households per physical building (the courtyard, stairwells and spaces they "
            "share): a range [lo, hi] drawn uniformly per building, or one number. Buildings "
            "are laid along the street independently of how households are grouped into "
            "units; public goods and shared spaces belong to them (ODD §7.1).")

    @model_validator(mode="before")
    @classmethod
    def _sizes_as_ranges(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("unit_size", "building_size"):
                if isinstance(data.get(key), int):
                    data = {**data, key: (data[key], data[key])}
        return data

    @model_validator(mode="after")
    def _check_sizes(self) -> Structure:
        lo, hi = self.unit_size
        if lo < 1 or hi < lo:
            raise ValueError(
                f"structure.unit_size must be a size >= 1 or a range [lo, hi] with 1 <= lo <= hi "
                f"(got {list(self.unit_size)})")
        if self.ladder is None and hi > self.households:
            raise ValueError(f"structure.unit_size ({hi}) cannot exceed structure.households "
                             f"({self.households})")
        b_lo, b_hi = self.building_size
        if b_lo < 1 or b_hi < b_lo:
            raise ValueError(
                "structure.building_size must be a size >= 1 or a range [lo, hi] with "
                f"1 <= lo <= hi (got {list(self.building_size)})")
        if self.ladder is not None and min(self.ladder) < 1:
            raise ValueError(f"structure.ladder entries must be >= 1 (got {list(self.ladder)})")
        if self.ladder is not None and self.ladder[0] > self.households:
            raise ValueError(f"structure.ladder[0] ({self.ladder[0]} households per unit) cannot "
                             f"exceed structure.households ({self.households})")
        return self


class Residents(Section):
    """Who the households are: behavioural types, tenure, party members, time, interests."""

    share_conditional: float = param(0.50, ge=0, le=1, source=EMPIRICAL,
                                     ref="Fischbacher, Gächter & Fehr 2001",
                                     doc="Share of conditional cooperators.")
    share_free_rider: float = param(0.30, ge=0, le=1, source=EMPIRICAL,
                                    ref="Fischbacher, Gächter & Fehr 2001",
                                    doc="Share of free riders.")
    share_hump: float = param(0.14, ge=0, le=1, source=EMPIRICAL,
                              ref="Fischbacher, Gächter & Fehr 2001",
                              doc="Share of hump-shaped contributors.")
    share_unconditional: float = param(0.06, ge=0, le=1, source=EMPIRICAL,
                                       ref="Fischbacher, Gächter & Fehr 2001: their 6% "
                                           "'other' patterns, taken as unconditional",
                                       doc="Share of unconditional contributors.")
    share_recent_arrivals: float = param(0.5, ge=0, le=1, source=ASSUMED,
                                         ref="Bairuijing 80% from outside Wuhan (an upper case)",
                                         doc="Share of households that arrived recently.")
    share_party: float = param(0.10, ge=0, le=1, source=ASSUMED,
                               ref="98 million members, ~8.5% of Chinese adults (2022)",
                               doc="Share of households with a party member.")
    civic_party_bonus: float = param(0.35, ge=0, le=1, source=ASSUMED,
                                     doc="Extra civic motivation of party-member households.")
    civic_mean: float = param(0.25, ge=0, le=1, source=ASSUMED,
                              doc="Mean civic motivation of ordinary households (Beta).")
    time_budget_mean: float = param(4.0, gt=0, le=40, unit="hours/week", source=ASSUMED,
                                    doc="Mean weekly hours a household could give (gamma).")
    interests: int = param(10, ge=1, le=50, source=ASSUMED,
                           doc="Number of interest kinds (running, table tennis, dance, ...).")
    share_skilled: float = param(0.02, ge=0, le=1, source=ASSUMED,
                                 ref="Banyuetan report: one marathon runner seeded a club",
                                 doc="Share of households able to found and lead a group.")
    trust_initial: float = param(0.4, ge=0, le=1, source=ASSUMED,
                                 doc="Mean initial trust / efficacy (0–1).")

    @model_validator(mode="after")
    def _mix_sums_to_one(self) -> Residents:
        total = (self.share_conditional + self.share_free_rider + self.share_hump
                 + self.share_unconditional)
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ValueError(
                "residents.share_conditional + share_free_rider + share_hump + "
                f"share_unconditional must sum to 1 (got {total:.4f})")
        return self


class Participation(Section):
    """The weekly decision: imperfect conditional cooperation plus motives (a logit)."""

    belief_initial: float = param(0.5, ge=0, le=1, source=EMPIRICAL,
                                  ref="Ledyard 1995: first-round contributions 40–60%",
                                  doc="Belief about others' participation at the launch call.")
    belief_learning: float = param(0.45, gt=0, le=1, unit="1/week", source=ASSUMED,
                                   ref="Fischbacher & Gächter 2010: beliefs follow last "
                                       "round's contributions closely",
                                   doc="Weight of this week's observation in the belief.")
    cc_slope: float = param(0.751, ge=0, le=1.5, source=CALIBRATED,
                            ref=POSTERIOR_CORE + "; prior around Fischbacher & Gächter 2010 "
                                                 "(conditional cooperators match below "
                                                 "one-to-one)",
                            doc="Conditional cooperators' propensity per unit of belief.")
    free_rider_level: float = param(0.01, gt=0, lt=1, source=ASSUMED,
                                    doc="Base propensity of a free rider.")
    unconditional_level: float = param(0.8, gt=0, lt=1, source=ASSUMED,
                                       doc="Base propensity of an unconditional contributor.")
    intercept: float = param(-1.21, ge=-10, le=10, source=CALIBRATED,
                             ref=POSTERIOR_CORE,
                             doc="Logit intercept shared by all households.")
    beta_civic: float = param(2.0, ge=0, le=10, source=ASSUMED,
                              doc="Logit weight of civic motivation.")
    beta_time_cost: float = param(1.0, ge=0, le=10, source=ASSUMED,
                                  doc="Logit weight of time cost, ln(mean budget / own budget).")
    beta_trust: float = param(0.6, ge=0, le=10, source=ASSUMED,
                              doc="Logit weight of trust/efficacy (centred at 0.5).")
    beta_social: float = param(1.0, ge=0, le=10, source=ASSUMED,
                               ref="Milinski, Semmann & Krambeck 2002: reputation needs "
                                   "observers",
                               doc="Logit weight of being seen by neighbours one knows, at a "
                                   "large audience (the term saturates, ODD §7.3).")
    audience_half: float = param(5.0, gt=0, le=1000, unit="households", source=ASSUMED,
                                 doc="Acquaintances who see one's contribution at which the "
                                     "social-image term reaches half its weight.")
    beta_benefit: float = param(1.6, ge=0, le=50, source=ASSUMED,
                                doc="Logit weight of one's own share of the benefit a "
                                    "contribution gives one's building.")
    benefit_multiplier: float = param(1.6, gt=0, le=20, source=EMPIRICAL,
                                      ref="Isaac & Walker 1988: group return a (MPCR = a/n)",
                                      doc="Total return of one contribution to its building.")
    beta_habit: float = param(1.7, ge=0, le=10, source=CALIBRATED,
                              ref=POSTERIOR_CORE,
                              doc="Logit weight of habit and role identity (0–1).")
    habit_gain: float = param(0.05, ge=0, le=1, unit="per occasion", source=ASSUMED,
                              ref="Lally et al. 2010: 95% of habit strength after a median "
                                  "of 66 repetitions",
                              doc="Share of the way to full habit gained each week one takes "
                                  "part.")
    persistence: Literal["habit", "last-week"] = param(
        "habit", source=ASSUMED,
        doc="What makes participation persist (a structural alternative, ODD §7.3): 'habit', "
            "a stock built over many occasions; 'last-week', only whether one took part last "
            "week (a first-order chain, no long memory).")
    habit_loss: float = param(0.02, ge=0, le=1, unit="1/week", source=ASSUMED,
                              ref="Lally et al. 2010: a missed occasion barely slows habit "
                                  "formation",
                              doc="Share of habit lost each week one does not take part.")
    hours_per_contribution: float = param(0.5, gt=0, le=1, source=ASSUMED,
                                          doc="Share of the time budget a household gives in a "
                                              "week it takes part.")
    trust_learning: float = param(0.05, ge=0, le=1, unit="1/week", source=ASSUMED,
                                  doc="Speed at which trust follows what one sees get done.")
    achievement_half: float = param(0.3, gt=0, le=1, source=ASSUMED,
                                    doc="Shape of trust's target: rate·(1 + this) / (rate + "
                                        "this), 0 when nobody one sees takes part, 1 when "
                                        "everybody does; smaller values saturate sooner.")


class SizeChannels(Section):
    """The only channels through which unit size acts; each can be switched off."""

    visibility: bool = param(True, source=ASSUMED,
                             doc="One sees contributions (and problems) only within the "
                                 "sight range of one's own unit.")
    recognition_chance: bool = param(True, source=ASSUMED,
                                     doc="Board slots are fixed per scope, so the chance of "
                                         "being listed falls with scope size.")
    acquaintance_pool: bool = param(True, source=ASSUMED,
                                    ref="Banyuetan report: units make neighbours know each other",
                                    doc="Neighbours get to know each other within their unit "
                                        "(off: within a street window of `reference_size`).")
    head_span: bool = param(True, source=EMPIRICAL, ref="Banyuetan report: one head per unit",
                            doc="One neighbour head post per unit: small units need more "
                                "heads, a head of a large unit has more to look after (off: "
                                "one per street segment of `reference_size`).")
    sight_range: int = param(20, ge=1, le=10000, unit="households", source=ASSUMED,
                             ref="'upstairs, downstairs, left and right'",
                             doc="Households that can see one household's contribution.")
    dunbar_cap: int = param(15, ge=1, le=1000, unit="households", source=ASSUMED,
                            ref="Dunbar's sympathy group ~15",
                            doc="Most neighbours one household can know.")
    reference_size: int = param(15, ge=2, le=100000, unit="households", source=ASSUMED,
                                doc="Unit size used by a channel when it is switched off.")


class Ties(Section):
    """Acquaintance with neighbours of one's pool (counts, not an explicit network)."""

    density_long_term: float = param(0.3, ge=0, le=1, source=ASSUMED,
                                     doc="Initial share of the pool a long-term resident "
                                         "knows.")
    density_recent: float = param(0.05, ge=0, le=1, source=ASSUMED,
                                  ref="Banyuetan report: '相见不相识'",
                                  doc="Initial share of the pool a recent arrival knows.")
    meet_rate: float = param(0.035, ge=0, le=1, unit="1/week", source=ASSUMED,
                             doc="Weekly chance a contributor gets to know one more unknown "
                                 "co-contributor's household, per co-contributor.")
    decay_rate: float = param(0.002, ge=0, le=1, unit="1/week", source=ASSUMED,
                              doc="Weekly chance a tie lapses.")


class Recognition(Section):
    """Recognition boards (红榜)."""

    enabled: bool = param(False, source=EMPIRICAL, ref="Banyuetan report: 红榜 at Dushi Taoyuan",
                          doc="Post recognition boards.")
    interval: int = param(4, ge=1, le=5200, unit="weeks", source=ASSUMED,
                          doc="Weeks between boards (the first is posted at the end of week "
                              "`interval`).")
    scope: Literal["unit", "li", "grid", "community"] = param(
        "grid", source=ASSUMED,
        doc="Where a board is posted (one per unit, 里, grid or community).")
    slots: int = param(5, ge=1, le=1000, source=ASSUMED,
                       doc="Names listed per board (top contributors by hours).")
    thanks: bool = param(True, source=EMPIRICAL, ref="Banyuetan report: 'thanks are posted'",
                         doc="Also post thanks to everyone who contributed in the period.")
    visibility: float = param(0.5, ge=0, le=1, source=ASSUMED,
                              doc="Share of the scope's households who see its board (and "
                                  "so learn of their own listing or thanks).")
    motive: Literal["chance", "reinforcement"] = param(
        "chance", source=ASSUMED,
        doc="How a board motivates (a structural alternative, ODD §7.4): 'chance', looking "
            "ahead to the listing chance one can infer from the board; 'reinforcement', only "
            "the glow of having been listed or thanked (no look ahead).")
    announce: bool = param(False, source=ASSUMED,
                           doc="The board is announced at the launch call, so the listing "
                               "motive starts in week 1 (from the announced slots) instead of "
                               "at the first posting.")
    beta_listed: float = param(1.5, ge=0, le=20, source=ASSUMED,
                               ref="Milinski, Semmann & Krambeck 2002",
                               doc="Logit weight of the listing chance one can see.")
    glow: float = param(0.8, ge=0, le=20, source=ASSUMED, ref="Rand et al. 2009",
                        doc="Logit boost to a listed household that sees its name (decays).")
    beta_thanks: float = param(0.3, ge=0, le=20, source=ASSUMED,
                               doc="Logit boost to a thanked household that sees the thanks "
                                   "(decays like the glow).")
    glow_decay: float = param(0.8, ge=0, le=1, unit="per week", source=ASSUMED,
                              doc="Weekly retention of the listing and thanks boosts.")
    habituation: float = param(0.9, ge=0, le=1, source=ASSUMED,
                               ref="Gallus 2017: recognition effects fade",
                               doc="Value kept per earlier listing (or thanks) of the same "
                                   "household.")
    norm_weight: float = param(0.5, ge=0, le=1, source=ASSUMED,
                               ref="Frey & Meier 2004: telling people how many others "
                                   "contribute moves contributions",
                               doc="Weight of the participation the board shows, relative to "
                                   "a week's own observation, in the beliefs of those who see "
                                   "it.")


class Groups(Section):
    """Interest groups (the running club)."""

    enabled: bool = param(False, source=EMPIRICAL,
                          ref="Banyuetan report: running club grew to 300+",
                          doc="Interest groups form and grow.")
    seed_leaders: int = param(1, ge=0, le=1000, unit="per catchment", source=EMPIRICAL,
                              ref="Banyuetan report: one marathon runner",
                              doc="Groups started in week 1 by skilled residents, per catchment.")
    founding_rate: float = param(0.0005, ge=0, le=1, unit="1/week", source=ASSUMED,
                                 doc="Weekly chance a skilled resident starts a group.")
    contact_rate: float = param(1.1, ge=0, le=5, unit="1/week", source=CALIBRATED,
                                ref=POSTERIOR_CORE,
                                doc="Weekly chance one member recruits one same-interest "
                                    "non-member of the catchment they meet (at full interest).")
    tie_rate: float = param(0.5, ge=0, le=10, unit="1/week", source=ASSUMED,
                            doc="Weekly joining hazard when every neighbour of one's pool is a "
                                "known member (scaled by the shares known and members).")
    catchment: Literal["grid", "community"] = param(
        "community", source=EMPIRICAL, ref="Banyuetan report: community-wide running club",
        doc="Level from which a group recruits.")
    interest_mean: float = param(0.309, ge=0, le=1, source=CALIBRATED,
                                 ref=POSTERIOR_CORE,
                                 doc="Mean strength of a household's interest (Beta, 0–1); "
                                     "joining scales with it, quitting with its complement.")
    meeting_hours: float = param(2.0, gt=0, le=40, unit="hours/week", source=ASSUMED,
                                 doc="Hours a member spends in the group's activities; joining "
                                     "needs time, `1 − exp(−budget / meeting_hours)`.")
    places: float = param(250, gt=0, le=100000, unit="members", source=ASSUMED,
                          doc="Members the group's activities hold comfortably without its "
                              "own venue (crowding beyond this slows joining, speeds quitting).")
    place_cost: float = param(10.0, gt=0, le=10000, unit="yuan/place-week", source=ASSUMED,
                              doc="Weekly cost of one more place in a venue (paid from fees).")
    max_size: int = param(100000, ge=3, le=100000, source=ASSUMED,
                          doc="A safety cap on members; it should never bind (the run "
                              "reports whether it did).")
    min_size: int = param(3, ge=1, le=100, source=ASSUMED,
                          doc="A group with fewer members dissolves (after the grace period).")
    grace_weeks: int = param(26, ge=0, le=1000, unit="weeks", source=ASSUMED,
                             doc="Weeks a new group has to reach `min_size`.")
    quit_rate: float = param(0.01, ge=0, le=1, unit="1/week", source=ASSUMED,
                             doc="Weekly chance a member with no interest leaves (uncrowded).")
    fee: float = param(0.0, ge=0, le=100, unit="yuan/day", source=EMPIRICAL,
                       ref="Banyuetan report: table tennis 1 yuan/person/day",
                       doc="Member fee; it pays for places in a venue and raises quitting.")
    fee_quit: float = param(0.01, ge=0, le=1, source=ASSUMED,
                            doc="Extra weekly quit chance per yuan/day of fee.")
    beta_member: float = param(0.8, ge=0, le=10, source=ASSUMED,
                               doc="Logit weight of group belonging.")
    volunteer_after: int = param(26, ge=0, le=1000, unit="weeks", source=ASSUMED,
                                 ref="Banyuetan report: club became a volunteer force",
                                 doc="Age at which a group also acts as a volunteer team.")
    beta_team: float = param(0.6, ge=0, le=10, source=ASSUMED,
                             doc="Logit weight of belonging to a volunteer team.")
    bridge_rate: float = param(0.2, ge=0, le=1, unit="1/week", source=ASSUMED,
                               doc="Weekly chance a meeting adds one tie outside the unit.")


class Heads(Section):
    """The leadership chain: grid head → building head → neighbour head."""

    enabled: bool = param(False, source=EMPIRICAL, ref="Banyuetan report: leadership chain",
                          doc="Appoint heads, who invite the households they are responsible for.")
    party_first: bool = param(True, source=EMPIRICAL, ref="Banyuetan report: party members as core",
                              doc="Offer head posts to party members first.")
    willing_party: float = param(0.5, ge=0, le=1, source=ASSUMED,
                                 ref="Banyuetan report: heads drawn from party members and active "
                                     "residents",
                                 doc="Share of party-member households willing and able to "
                                     "serve as a head.")
    willing_other: float = param(0.05, ge=0, le=1, source=ASSUMED,
                                 ref="Banyuetan report: heads from party members and resident "
                                     "activists "
                                     "(党员群众骨干)",
                                 doc="Share of other households willing and able to serve.")
    capacity: int = param(20, ge=1, le=10000, unit="households", source=EMPIRICAL,
                          ref="Banyuetan report: units of 10–20 households so one head reaches "
                              "everyone",
                          doc="Households a head can look after at a sustainable load.")
    burnout_rate: float = param(0.004, ge=0, le=1, unit="1/week", source=ASSUMED,
                                doc="Weekly chance a head at full load (households / capacity "
                                    "= 1) burns out, quits and is no longer willing; it scales "
                                    "with the load.")
    invites_per_week: int = param(5, ge=0, le=1000, unit="households/week", source=ASSUMED,
                                  doc="Households a neighbour head can invite in a week.")
    beta_invite: float = param(1.0, ge=0, le=10, source=ASSUMED,
                               doc="Logit weight of a personal invitation this week.")
    beta_head: float = param(1.5, ge=0, le=10, source=ASSUMED,
                             doc="Logit weight of holding a head post (duty), reached as the "
                                 "households one looks after grow.")
    duty_half: float = param(5.0, gt=0, le=1000, unit="households", source=ASSUMED,
                             doc="Households looked after at which a post carries half its "
                                 "duty.")
    party_invites: int = param(1, ge=0, le=100, unit="households/week", source=ASSUMED,
                               doc="Neighbours a contributing party member invites per week.")
    review_every: int = param(8, ge=1, le=104, unit="weeks", source=ASSUMED,
                              doc="Weeks between reviews that replace inactive heads and "
                                  "offer vacant posts.")


class Problems(Section):
    """Problems in units and their reporting through the "Wuhan micro-neighbourhood" app."""

    enabled: bool = param(False, source=EMPIRICAL,
                          ref="Banyuetan report: courier reported a manhole",
                          doc="Problems arise, are noticed, reported and fixed.")
    rate_safety: float = param(0.0005, ge=0, le=1, unit="per household-week", source=ASSUMED,
                               doc="New safety hazards (a missing manhole cover).")
    rate_environment: float = param(0.003, ge=0, le=1, unit="per household-week",
                                    source=ASSUMED, doc="New environment problems (litter).")
    rate_parking: float = param(0.0015, ge=0, le=1, unit="per household-week", source=ASSUMED,
                                ref="Banyuetan report: 100+ cars parked on the roads",
                                doc="New parking problems.")
    rate_facility: float = param(0.0015, ge=0, le=1, unit="per household-week",
                                 source=ASSUMED, doc="New broken-facility problems.")
    notice_rate: float = param(0.05, ge=0, le=1, unit="1/week", source=ASSUMED,
                               doc="Weekly chance a fully engaged household at home notices an "
                                   "open problem within its sight.")
    report_rate: float = param(0.3, ge=0, le=1, source=ASSUMED,
                               doc="Chance a resident who noticed a problem reports it.")
    self_resolve_rate: float = param(0.15, ge=0, le=1, unit="1/week", source=ASSUMED,
                                     doc="Weekly chance an unreported problem goes away.")
    backlog_weeks: float = param(4.0, ge=0, le=520, unit="weeks", source=ASSUMED,
                                 doc="Open problems at the start, in weeks of new problems "
                                     "(what residents are used to seeing).")
    workers_per_1000: float = param(2.9, ge=0, le=1000, unit="per 1,000 households",
                                    source=EMPIRICAL,
                                    ref="Banyuetan report: Bairuijing 28 workers for 25,000+ "
                                        "residents; "
                                        "2.62 persons per household (2020 census)",
                                    doc="Community workers per 1,000 households.")
    fixes_per_worker: float = param(3.0, ge=0, le=100, unit="problems/week", source=ASSUMED,
                                    doc="Reported problems one worker fixes in a week.")
    response_weeks: int = param(1, ge=0, le=52, unit="weeks", source=EMPIRICAL,
                                ref="Banyuetan report: the manhole was fixed the next day",
                                doc="Weeks before a reported problem can be fixed.")
    ignored_after: int = param(4, ge=1, le=104, unit="weeks", source=ASSUMED,
                               doc="A report not fixed within this many weeks counts as ignored.")
    again_if_fixed: float = param(1.25, ge=0, le=10, source=EMPIRICAL,
                                  ref="Sjoberg, Mellon & Peixoto 2017",
                                  doc="Reporter's report-propensity multiplier after a fix.")
    again_if_ignored: float = param(0.8, ge=0, le=10, source=EMPIRICAL,
                                    ref="Sjoberg, Mellon & Peixoto 2017: fixed/ignored = 1.57",
                                    doc="Reporter's report-propensity multiplier after an "
                                        "ignored report.")
    max_report_boost: float = param(3.0, ge=1, le=100, source=ASSUMED,
                                    doc="Report-again multipliers stay within [1/this, this].")
    satisfaction_cost: float = param(0.1, ge=0, le=1, source=ASSUMED,
                                     doc="Satisfaction lost per open problem within sight "
                                         "beyond what one expects (gained per one fewer).")
    expectation_adapt: float = param(0.02, ge=0, le=1, unit="1/week", source=ASSUMED,
                                     ref="Van Ryzin 2004: satisfaction is judged against "
                                         "expectations",
                                     doc="Weekly move of the open problems one expects toward "
                                         "those one sees.")
    trust_if_fixed: float = param(0.05, ge=0, le=1, source=ASSUMED,
                                  doc="Trust gained by the households within sight of a fixed "
                                      "problem (the reporter gains twice as much).")
    trust_if_ignored: float = param(0.05, ge=0, le=1, source=ASSUMED,
                                    doc="Trust lost by the households within sight of a report "
                                        "that counts as ignored (the reporter loses twice as "
                                        "much).")
    beta_satisfaction: float = param(0.5, ge=0, le=10, source=ASSUMED,
                                     doc="Logit weight of satisfaction with problems (0 when "
                                         "one sees what one expects).")


class Couriers(Section):
    """Couriers (新就业群体): routes across units, service stations, reports."""

    count: int = param(0, ge=0, le=100000, source=EMPIRICAL,
                       ref="Banyuetan report: 600+ in Nanhu street",
                       doc="Couriers whose routes cross the simulated units.")
    route_households: int = param(450, ge=1, le=1_000_000, unit="households",
                                  source=ASSUMED,
                                  doc="Households along a courier's route (about 30 small units).")
    deliveries_per_week: int = param(300, ge=0, le=10000, source=ASSUMED,
                                     doc="Deliveries a courier makes in a week.")
    notice_per_delivery: float = param(0.02, ge=0, le=1, source=ASSUMED,
                                       doc="Chance one delivery within sight of an open problem "
                                           "notices it.")
    report_rate: float = param(0.05, ge=0, le=1, source=ASSUMED,
                               doc="Chance an unattached courier reports a problem it noticed.")
    stations: int = param(0, ge=0, le=10000, source=EMPIRICAL,
                          ref="Banyuetan report: 15 service stations (驿站) in the district",
                          doc="Courier service stations, each serving one grid.")
    attachment_rate: float = param(0.05, ge=0, le=1, unit="1/week", source=ASSUMED,
                                   doc="Weekly approach of attachment to 1 for a courier whose "
                                       "route passes a station (else it decays to 0 at the "
                                       "same rate).")
    attached_report_boost: float = param(3.0, ge=0, le=20, source=ASSUMED,
                                         doc="Report chance multiplier at full attachment.")
    join_rate: float = param(0.2, ge=0, le=1, unit="1/week", source=ASSUMED,
                             doc="Weekly chance a fully attached courier joins a community "
                                 "activity.")
    activity_hours: float = param(2.0, ge=0, le=40, unit="hours", source=ASSUMED,
                                  ref="Banyuetan report: couriers join community service",
                                  doc="Upkeep hours an active courier gives to the shared "
                                      "spaces of the buildings along its route.")


class Businesses(Section):
    """Businesses (offices, shops, developers) and co-building (共建)."""

    count: int = param(0, ge=0, le=100000, source=EMPIRICAL,
                       ref="Banyuetan report: 35 grade-A buildings",
                       doc="Businesses near the simulated units.")
    parking_mean: float = param(20, ge=0, le=10000, unit="spaces", source=ASSUMED,
                                ref="Banyuetan report: one grade-A building shared 80+ (an upper "
                                    "case)",
                                doc="Mean parking spaces an office building could share.")
    nearby_households: int = param(150, ge=1, le=100000, unit="households", source=ASSUMED,
                                   doc="A business is near the units of this many consecutive "
                                       "households (a block).")
    partnership_growth: float = param(0.1, ge=0, le=1, unit="1/week", source=ASSUMED,
                                      doc="Weekly growth of a partnership per unit of joint "
                                          "activity (nearby participation) and patronage "
                                          "(nearby trust).")
    partnership_decay: float = param(0.02, ge=0, le=1, unit="1/week", source=ASSUMED,
                                     doc="Weekly decay of a partnership.")
    joint_activity: float = param(0.3, ge=0, le=1, source=ASSUMED,
                                  ref="Banyuetan report: Changchenghui's building council held "
                                      "co-building activities with Yaojialing community",
                                  doc="Drive a week in which a business joins residents' "
                                      "activities adds to its partnership's growth (only by "
                                      "an outside decision, e.g. a classroom player).")
    willingness_mean: float = param(0.5, ge=0, le=1, source=ASSUMED,
                                    doc="Mean of a business's willingness to partner (Beta, "
                                        "0–1), which scales its partnership's growth.")
    share_threshold: float = param(0.5, ge=0, le=1, source=ASSUMED,
                                   doc="Partnership at which a business is as likely to start "
                                       "sharing as to stop.")
    share_width: float = param(0.1, gt=0, le=1, source=ASSUMED,
                               doc="Spread of the sharing decision around the threshold "
                                   "(logistic scale).")
    share_rate: float = param(0.1, ge=0, le=1, unit="1/week", source=ASSUMED,
                              doc="Weekly chance a business reconsiders whether to share.")
    cars_per_household: float = param(0.3, ge=0, le=10, source=ASSUMED,
                                       ref="Banyuetan report: 100+ cars on the roads (no "
                                           "household count)",
                                       doc="Cars per household that need street parking.")
    room_time_relief: float = param(0.3, ge=0, le=5, source=ASSUMED,
                                    ref="Banyuetan report: a store room became a gym",
                                    doc="Time-cost relief for households near a shared room.")
    room_places: float = param(40, ge=0, le=10000, unit="members", source=ASSUMED,
                               ref="Banyuetan report: a store room became a gym",
                               doc="Places a lent room adds to the groups led from nearby.")


class Commons(Section):
    """Shared spaces kept up by residents, optionally on a rotating duty roster (共管)."""

    enabled: bool = param(False, source=EMPIRICAL, ref="Banyuetan report: Dushi Taoyuan garden",
                          doc="Each building has a shared space whose quality needs upkeep.")
    quality_initial: float = param(0.3, ge=0, le=1, source=ASSUMED,
                                   ref="Banyuetan report: an abandoned pond",
                                   doc="Initial quality of a shared space (0–1), also what "
                                       "residents first expect of it.")
    decay: float = param(0.05, ge=0, le=1, unit="1/week", source=ASSUMED,
                         ref="Banyuetan report: 'three parts planting, seven parts managing'",
                         doc="Weekly loss of quality without upkeep.")
    gain: float = param(0.1, ge=0, le=1, unit="1/week", source=ASSUMED,
                        doc="Weekly gain of quality as upkeep grows without bound.")
    upkeep_need: float = param(0.1, gt=0, le=100, unit="hours/household-week",
                               source=ASSUMED,
                               doc="Upkeep hours per household of the building that give "
                                   "half the possible gain.")
    upkeep_share: float = param(0.1, ge=0, le=1, source=ASSUMED,
                                doc="Share of ordinary contributed hours that go to upkeep "
                                    "of one's building's space.")
    rotation: bool = param(False, source=EMPIRICAL, ref="Banyuetan report: 轮值 rotation duty",
                           doc="A duty roster assigns upkeep turns in rotation.")
    duty_hours: float = param(3.0, ge=0, le=100, unit="hours", source=ASSUMED,
                              doc="Upkeep hours of one kept duty turn.")
    turns_per_week: float = param(0.03, ge=0, le=1, unit="per household-week", source=ASSUMED,
                                  doc="Duty turns per household of the building per week.")
    beta_duty: float = param(2.0, ge=0, le=10, source=ASSUMED,
                             doc="Logit boost of being on duty (a turn is an assignment).")
    beta_quality: float = param(0.5, ge=0, le=10, source=ASSUMED,
                                doc="Logit weight of the shared space's quality relative to "
                                    "what residents expect of it.")
    expectation_adapt: float = param(0.02, ge=0, le=1, unit="1/week", source=ASSUMED,
                                     ref="Van Ryzin 2004",
                                     doc="Weekly move of the quality residents expect toward "
                                         "the quality they see.")


class Councils(Section):
    """Resident councils and votes (共谋)."""

    enabled: bool = param(False, source=EMPIRICAL, ref="Banyuetan report: Huajin canteen vote",
                          doc="Hold councils / votes on shared matters.")
    interval: int = param(13, ge=1, le=520, unit="weeks", source=ASSUMED,
                          doc="Weeks between councils.")
    scope: Literal["unit", "li", "grid", "community"] = param(
        "li", source=EMPIRICAL, ref="Banyuetan report: 96 building chat groups",
        doc="Level at which a council is held.")
    vote_ease: float = param(1.0, ge=-10, le=10, source=ASSUMED,
                             doc="Logit shift of voting over contributing (voting is easier).")
    preference_noise: float = param(0.25, gt=0, le=10, source=ASSUMED,
                                    doc="Scale of the Gumbel noise in a household's choice "
                                        "among the options (its needs are 0–1).")
    legitimacy_trust: float = param(0.1, ge=0, le=1, source=ASSUMED,
                                    doc="After a vote, a voter on the winning side moves this "
                                        "far toward full trust at full turnout (in proportion "
                                        "to turnout).")
    overruled_trust: float = param(0.1, ge=0, le=1, source=ASSUMED,
                                   ref="Anderson et al. 2005: losers' consent",
                                   doc="After a vote, a voter on the losing side loses this "
                                       "share of its trust.")
    compliance: float = param(0.5, ge=0, le=1, source=ASSUMED,
                              doc="Cut in new environment problems at full turnout, until "
                                  "the next council.")
    fund_hours: float = param(0.1, ge=0, le=100, unit="hours/household-week", source=ASSUMED,
                              doc="Upkeep the shared fund pays for, per household of the "
                                  "scope, when a council chooses its spaces.")
    fund_places: float = param(50, ge=0, le=10000, unit="members", source=ASSUMED,
                               doc="Places the shared fund pays for, per group led from the "
                                   "scope, when a council chooses activities.")


SECTIONS: dict[str, type[Section]] = {
    "structure": Structure,
    "residents": Residents,
    "participation": Participation,
    "size_channels": SizeChannels,
    "ties": Ties,
    "recognition": Recognition,
    "groups": Groups,
    "heads": Heads,
    "problems": Problems,
    "couriers": Couriers,
    "businesses": Businesses,
    "commons": Commons,
    "councils": Councils,
}


class Params(Section):
    """All model parameters. Build with ``Params.from_dict`` for friendly errors."""

    weeks: int = param(104, ge=1, le=5200, unit="weeks", source=ASSUMED,
                       doc="Default horizon (one step = one week).")
    structure: Structure = Structure()
    residents: Residents = Residents()
    participation: Participation = Participation()
    size_channels: SizeChannels = SizeChannels()
    ties: Ties = Ties()
    recognition: Recognition = Recognition()
    groups: Groups = Groups()
    heads: Heads = Heads()
    problems: Problems = Problems()
    couriers: Couriers = Couriers()
    businesses: Businesses = Businesses()
    commons: Commons = Commons()
    councils: Councils = Councils()

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None = None) -> Params:
        """Validate nested overrides; raise ParameterError naming the field on bad input."""
        data = dict(data or {})
        check_keys(data)
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise ParameterError(format_validation_error(err)) from None

    def replace(self, overrides: dict[str, Any]) -> Params:
        """A copy with nested overrides applied (``{"recognition": {"enabled": True}}``)."""
        return Params.from_dict(deep_merge(self.model_dump(), overrides))


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Merge ``overrides`` into a copy of ``base``, recursing into dicts."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def check_keys(data: dict[str, Any]) -> None:
    """Unknown section or key → error with a 'did you mean' suggestion and the allowed names."""
    top = set(SECTIONS) | {"weeks"}
    for key, value in data.items():
        if key not in top:
            raise ParameterError(_unknown(key, sorted(top)))
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ParameterError(f"{key}: expected a table of parameters, got {value!r}")
            allowed = sorted(SECTIONS[key].model_fields)
            for sub in value:
                if sub not in allowed:
                    raise ParameterError(_unknown(f"{key}.{sub}", allowed, prefix=f"{key}."))


def _unknown(name: str, allowed: list[str], prefix: str = "") -> str:
    leaf = name.removeprefix(prefix)
    close = difflib.get_close_matches(leaf, allowed, n=1)
    hint = f" Did you mean '{prefix}{close[0]}'?" if close else ""
    return f"unknown parameter '{name}'.{hint} Allowed: {', '.join(allowed)}"


def field_info(section: str, name: str) -> tuple[str, str]:
    """(allowed range, description) of a parameter, for error messages and docs."""
    cls = SECTIONS.get(section, Params)
    field = cls.model_fields.get(name)
    if field is None:
        return "", ""
    bounds = []
    for meta in field.metadata:
        for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if getattr(meta, attr, None) is not None:
                bounds.append(f"{sym} {getattr(meta, attr)}")
    return " and ".join(bounds), field.description or ""


def format_validation_error(err: ValidationError) -> str:
    """One line per problem: dotted field, what is wrong, what is allowed, the value given."""
    lines = []
    for problem in err.errors():
        loc = [str(p) for p in problem["loc"] if not isinstance(p, int)]
        name = ".".join(loc) or "parameters"
        msg = problem["msg"].removeprefix("Value error, ")
        allowed = field_info(loc[0], loc[1])[0] if len(loc) >= 2 else ""
        if len(loc) == 1:
            allowed = field_info("", loc[0])[0]
        hint = f" (allowed: {allowed})" if allowed else ""
        given = problem.get("input")
        shown = "" if isinstance(given, dict) else f"; got {given!r}"
        lines.append(f"{name}: {msg}{hint}{shown}")
    return "invalid parameters:\n  " + "\n  ".join(lines)
