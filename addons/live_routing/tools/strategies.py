"""Pure agent selection: no ORM, no database, easy to test and to benchmark.

A candidate is an :class:`Agent` that already passed the availability checks (status, hours,
leave, presence, capacity, language). The strategies only choose among them.
"""

from dataclasses import dataclass

STRATEGIES = [
    ("round_robin", "Round robin"),
    ("least_busy", "Least busy"),
    ("tiered", "Tiered by seniority"),
]
TIER_ORDERS = [
    ("senior_first", "Senior first"),
    ("junior_first", "Junior (cheapest) first"),
]


@dataclass(frozen=True)
class Agent:
    user_id: int
    seniority: int = 1
    open_count: int = 0
    last_turn: int = 0  # team assignment counter at the agent's last assignment; 0 = never
    order: int = 0  # membership order, the final tie-break


def round_robin(agents):
    """The agent whose turn it is: the one assigned longest ago (never assigned first), then the
    membership order."""
    return min(agents, key=lambda a: (a.last_turn, a.order), default=None)


def least_busy(agents):
    """Fewest open conversations; ties go to the agent idle the longest, then membership order."""
    return min(agents, key=lambda a: (a.open_count, a.last_turn, a.order), default=None)


def tiers(agents, tier_order, after=None):
    """Seniority levels in the order they are tried. ``after`` (the tier that already had the
    conversation) keeps only the tiers that come after it."""
    senior_first = tier_order == "senior_first"
    levels = sorted({a.seniority for a in agents}, reverse=senior_first)
    if after is not None:
        levels = [lv for lv in levels if (lv < after if senior_first else lv > after)]
    return levels


def tiered(agents, tier_order="senior_first", after=None):
    """The least busy agent of the first tier (seniority level) that has one."""
    for level in tiers(agents, tier_order, after):
        chosen = least_busy([a for a in agents if a.seniority == level])
        if chosen:
            return chosen
    return None


def select(strategy, agents, tier_order="senior_first", after_tier=None):
    """Choose one agent (or None) among available ``agents`` with the team's ``strategy``."""
    agents = list(agents)
    if strategy == "tiered" or after_tier is not None:
        return tiered(agents, tier_order, after_tier)
    if strategy == "least_busy":
        return least_busy(agents)
    return round_robin(agents)
