"""PAM TPS deployment planner: teams per Polsek, routed over their TPS, with Padal and a shortfall report.

Pure Python (no Django): build a `DeploymentInstance`, call `solve()` or `replan()`, check with `validate()`.
"""

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
from siaga.optimization.deployment.replan import replan
from siaga.optimization.deployment.solver import solve
from siaga.optimization.deployment.validate import validate

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
