"""PAM TPS deployment planner: teams per Polsek, routed over their TPS, with Padal and a shortfall report.

Pure Python (no Django): build a `DeploymentInstance`, call `solve()` or `replan()`, check with `validate()`.
"""

from typing import TYPE_CHECKING, Any

from siaga.optimization.deployment.model import (
    DeploymentInstance,
    DeploymentPlan,
    Officer,
    PadalAssignment,
    Pattern,
    Polsek,
    ProgressEvent,
    Result,
    Shortfall,
    Team,
    Tps,
    Violation,
)
from siaga.optimization.deployment.validate import validate

if TYPE_CHECKING:
    from siaga.optimization.deployment.replan import replan
    from siaga.optimization.deployment.solver import solve

# The solver imports PyVRP (and vrplib): start-up time a web server restarting after a crash must not pay
# (issue 15, G3). `solve` and `replan` load on first use.

__all__ = [
    "DeploymentInstance",
    "DeploymentPlan",
    "Officer",
    "PadalAssignment",
    "Pattern",
    "Polsek",
    "ProgressEvent",
    "Result",
    "Shortfall",
    "Team",
    "Tps",
    "Violation",
    "replan",
    "solve",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "solve":
        from siaga.optimization.deployment.solver import solve

        globals()["solve"] = solve
        return solve
    if name == "replan":
        # Importing the submodule `replan` binds the package attribute `replan` to the module: bind the
        # function over it, as the eager `from .replan import replan` did.
        from siaga.optimization.deployment.replan import replan

        globals()["replan"] = replan
        return replan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
