"""Claim grouping: the same fact side by side across outlets, with conflicts, updates
and denials linked.

The jobs live apart: ``schemas`` (the response models), ``quantities`` (a figure's
reading made comparable), ``sources`` (relay chains, primary sources, outlets),
``clustering`` (groups and the links between them), ``presentation`` (headlines,
ranking, pages) and ``ranked`` (a query's groups in display order, built as pages show them).
"""

from .clustering import group_claims
from .presentation import last_page, paginate, rank_groups, reach_text, timeline_text, total_text
from .ranked import RankedGroups
from .schemas import ClaimGroup, ClaimHit, GroupFigure, Quote, SourceLabel, TimelineEntry, outlet_label

__all__ = [
    "ClaimGroup",
    "ClaimHit",
    "GroupFigure",
    "Quote",
    "RankedGroups",
    "SourceLabel",
    "TimelineEntry",
    "group_claims",
    "last_page",
    "outlet_label",
    "paginate",
    "rank_groups",
    "reach_text",
    "timeline_text",
    "total_text",
]
