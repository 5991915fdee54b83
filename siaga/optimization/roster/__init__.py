"""The 24-hour guard-post roster engine (KPU and Bawaslu offices, logistics warehouses, CCTV seats).

Pure Python over OR-Tools CP-SAT; never imports Django. Build a RosterInstance, call
solve(instance, time_limit=..., seed=...), check any roster with validate(), and any edit on the board
with check_swap() / check_reassign().
"""

from .instance import (
    Assignment,
    BusyPeriod,
    Officer,
    Post,
    RequirementPeriod,
    RosterInstance,
    Rules,
    ShiftRequest,
    ShiftType,
    Unavailability,
    Weights,
    make_unavailable,
    three_eight_hour_shifts,
    two_twelve_hour_shifts,
)
from .solve import Diagnosis, Result, Status, Uncovered, diagnose, solve
from .swap import ChangeCheck, check_reassign, check_swap
from .validate import Rule, Violation, validate

__all__ = [
    "Assignment",
    "BusyPeriod",
    "ChangeCheck",
    "Diagnosis",
    "Officer",
    "Post",
    "RequirementPeriod",
    "Result",
    "RosterInstance",
    "Rule",
    "Rules",
    "ShiftRequest",
    "ShiftType",
    "Status",
    "Unavailability",
    "Uncovered",
    "Violation",
    "Weights",
    "check_reassign",
    "check_swap",
    "diagnose",
    "make_unavailable",
    "solve",
    "three_eight_hour_shifts",
    "two_twelve_hour_shifts",
    "validate",
]
