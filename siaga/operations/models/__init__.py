"""Operations: elections and their stages, the operation with phases and satgas, the siaga level, security
patterns, TPS vulnerability (categories, indicator sets, assessments, decisions) and strength settings."""

from siaga.operations.models.election import Election, ElectionStage
from siaga.operations.models.operation import Operation, OperationPhase, Satgas, SiagaLevel, SiagaLevelChange
from siaga.operations.models.patterns import SecurityPattern
from siaga.operations.models.vulnerability import (
    CategoryGrant,
    Indicator,
    IndicatorSet,
    TpsAssessment,
    TpsCategory,
    TpsCategoryChange,
    VulnerabilityCategory,
)

__all__ = [
    "CategoryGrant",
    "Election",
    "ElectionStage",
    "Indicator",
    "IndicatorSet",
    "Operation",
    "OperationPhase",
    "Satgas",
    "SecurityPattern",
    "SiagaLevel",
    "SiagaLevelChange",
    "TpsAssessment",
    "TpsCategory",
    "TpsCategoryChange",
    "VulnerabilityCategory",
]
