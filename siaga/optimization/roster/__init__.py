"""The 24-hour guard-post roster engine (KPU and Bawaslu offices, logistics warehouses, CCTV seats).

Pure Python over OR-Tools CP-SAT; never imports Django. Build a RosterInstance, call
solve(instance, time_limit=..., seed=...), check any roster with validate(), and any edit on the board
with check_swap() / check_reassign().
"""

from typing import TYPE_CHECKING, Any

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
from .swap import ChangeCheck, check_reassign, check_swap
from .validate import Rule, Violation, validate

if TYPE_CHECKING:
    from .solve import Diagnosis, Result, Status, Uncovered, diagnose, solve

# The solver module imports OR-Tools CP-SAT (and pandas through it): seconds of start-up that a web server
# restarting after a crash must not pay (issue 15, G3). Its names load on first use.
_FROM_SOLVE = {"Diagnosis", "Result", "Status", "Uncovered", "diagnose", "solve"}


def __getattr__(name: str) -> Any:
    if name in _FROM_SOLVE:
        import importlib

        module = importlib.import_module(".solve", __name__)
        # Importing the submodule bound the package attribute `solve` to the module; bind the names (the
        # function `solve` included) as the eager `from .solve import ...` did.
        globals().update({n: getattr(module, n) for n in _FROM_SOLVE})
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
