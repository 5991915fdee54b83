"""Turn a coverage vector into concrete daily visit lists whose long-run frequencies equal the coverage.

Coverage c_i is the probability that point i is visited in one of its slots (a slot is a block of the day,
e.g. one of three shifts). A point open in s_i slots is therefore owed lambda_i = s_i c_i visits a day on
average. Each day:

1. Counts. Systematic (comb) sampling: the lambda_i are laid end to end on [0, sum lambda) in a fresh
   random order, one uniform offset u is drawn and every point whose interval holds u + k (k integer) gets
   a visit per hit. An interval of length lambda holds floor(lambda) or ceil(lambda) comb teeth, with
   probability frac(lambda) of the larger, so E[visits_i] = lambda_i exactly, the day's total is
   floor or ceil of sum lambda (the resources are never overspent by more than rounding), and a point with
   a minimum of k visits (lambda_i >= k) gets at least k every day, not only on average. This is the
   Birkhoff-von Neumann decomposition of the coverage vector into pure schedules, sampled implicitly
   (Korzhyk, Conitzer and Parr 2010 discuss why it exists for this game form).
2. Slots. A point's visits go to distinct slots among those it is open in, drawn without replacement with
   probability proportional to the slot's patrol capacity, so the evening shift with fewer units gets
   fewer visits and no slot is predictable.

The order is shuffled every day (rather than sorted once) so that which points are visited *together*
is not predictable either: with a fixed order, neighbours on the comb would always be visited in turn.
Every day has its own seed, derived from a plan seed and the date, so a day can be re-drawn for audit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def day_seed(plan_seed: int, day_on: dt.date) -> int:
    """A fresh 63-bit seed for one day of a plan. The plan seed must come from `secrets` (the Django layer
    stores it); mixing in the date gives independent streams per day without storing one seed per day."""
    sequence = np.random.SeedSequence([plan_seed & (2**64 - 1), day_on.toordinal()])
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True, eq=False)
class SamplingInstance:
    """Coverage per point plus the slots each point may be visited in and the capacity of each slot."""

    coverage: FloatArray
    slots_per_day: int = 1
    # allowed_slots[i]: the slots point i is open in (its time windows); None means every slot.
    allowed_slots: tuple[tuple[int, ...] | None, ...] = ()
    # Relative patrol capacity of each slot (units on duty); None means equal.
    slot_capacity: FloatArray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        coverage = np.array(self.coverage, dtype=np.float64)
        if coverage.ndim != 1 or np.any(coverage < -1e-12) or np.any(coverage > 1 + 1e-12):
            raise ValueError("coverage must be a vector of probabilities")
        coverage = np.clip(coverage, 0.0, 1.0)
        coverage.flags.writeable = False
        object.__setattr__(self, "coverage", coverage)
        if self.slots_per_day < 1:
            raise ValueError("slots_per_day must be at least 1")
        if self.allowed_slots and len(self.allowed_slots) != coverage.shape[0]:
            raise ValueError("allowed_slots needs one entry per point")
        for slots in self.allowed_slots:
            if slots is not None and (not slots or any(not 0 <= s < self.slots_per_day for s in slots)):
                raise ValueError("each point's allowed slots must be a non-empty subset of the day's slots")
            if slots is not None and len(set(slots)) != len(slots):
                raise ValueError("allowed slots must not repeat")
        capacity = np.asarray(self.slot_capacity, dtype=np.float64)
        if capacity.size == 0:
            capacity = np.ones(self.slots_per_day)
        if capacity.shape != (self.slots_per_day,) or np.any(capacity <= 0):
            raise ValueError("slot_capacity needs one positive entry per slot")
        capacity = capacity.copy()
        capacity.flags.writeable = False
        object.__setattr__(self, "slot_capacity", capacity)

    @property
    def num_points(self) -> int:
        return int(self.coverage.shape[0])

    def open_slots(self, point: int) -> tuple[int, ...]:
        slots = self.allowed_slots[point] if self.allowed_slots else None
        return tuple(range(self.slots_per_day)) if slots is None else slots

    def slots_open(self) -> IntArray:
        """Number of slots each point is open in (s_i)."""
        if not self.allowed_slots:
            return np.full(self.num_points, self.slots_per_day, dtype=np.int64)
        return np.array(
            [self.slots_per_day if s is None else len(s) for s in self.allowed_slots], dtype=np.int64
        )

    def open_mask(self) -> NDArray[np.bool_]:
        """open_mask()[i, s]: point i may be visited in slot s."""
        mask = np.ones((self.num_points, self.slots_per_day), dtype=bool)
        for point, slots in enumerate(self.allowed_slots):
            if slots is not None:
                mask[point] = False
                mask[point, list(slots)] = True
        return mask

    def expected_visits(self) -> FloatArray:
        """lambda_i = s_i c_i: visits a day that point i is owed on average."""
        return self.slots_open() * self.coverage


@dataclass(frozen=True)
class PlannedVisit:
    """One visit of the day: a point (index into the coverage vector) in a slot."""

    point: int
    slot: int


@dataclass(frozen=True, eq=False)
class DailySample:
    """The points drawn for one day, how often each is visited and in which slots."""

    seed: int
    visits: IntArray  # visits per point today
    planned: tuple[PlannedVisit, ...]  # ordered by slot, then point
    slot_loads: IntArray  # visits per slot today

    def points_in_slot(self, slot: int) -> tuple[int, ...]:
        return tuple(v.point for v in self.planned if v.slot == slot)


def comb_counts(expected: ArrayLike, *, rng: np.random.Generator) -> IntArray:
    """Systematic sampling: integer counts n_i in {floor(x_i), ceil(x_i)} with E[n_i] = x_i and a total of
    floor or ceil of sum x. The points are laid out in a fresh random order each call."""
    x = np.asarray(expected, dtype=np.float64)
    if np.any(x < 0):
        raise ValueError("expected counts must be non-negative")
    order = rng.permutation(x.shape[0])
    ends = np.cumsum(x[order])
    starts = ends - x[order]
    offset = rng.random()
    # Teeth at offset + k for integer k; the interval [start, end) holds ceil(end - u) - ceil(start - u).
    hits = np.ceil(ends - offset) - np.ceil(starts - offset)
    counts = np.empty_like(hits, dtype=np.int64)
    counts[order] = hits.astype(np.int64)
    # Floating-point cumulative sums can put a tooth a hair outside [floor, ceil]; clamp to keep the
    # minimum-visit guarantee exact.
    return np.clip(counts, np.floor(x + 1e-9).astype(np.int64), np.ceil(x - 1e-9).astype(np.int64))


def sample_day(instance: SamplingInstance, *, seed: int) -> DailySample:
    """Draw one day's visits (counts via the comb, then distinct slots per point)."""
    rng = np.random.default_rng(seed)
    counts = comb_counts(instance.expected_visits(), rng=rng)
    visited = np.flatnonzero(counts > 0)
    # Slots without replacement, weighted by capacity, for all points at once (Efraimidis and Spirakis
    # 2006): key = log(U) / w per open slot, the n largest keys win. Same law as drawing slots one by one.
    keys = np.log(rng.random((visited.shape[0], instance.slots_per_day))) / instance.slot_capacity
    keys[~instance.open_mask()[visited]] = -np.inf
    ranked = np.argsort(-keys, axis=1, kind="stable")
    take = np.arange(instance.slots_per_day)[None, :] < counts[visited][:, None]
    rows, cols = np.nonzero(take)
    all_points = visited[rows]
    all_slots = ranked[rows, cols].astype(np.int64)
    order = np.lexsort((all_points, all_slots))
    planned = tuple(
        PlannedVisit(int(p), int(s)) for p, s in zip(all_points[order], all_slots[order], strict=True)
    )
    loads = np.bincount(all_slots, minlength=instance.slots_per_day).astype(np.int64)
    return DailySample(seed=seed, visits=counts, planned=planned, slot_loads=loads)


def sample_days(
    instance: SamplingInstance, *, plan_seed: int, first_day_on: dt.date, days: int
) -> list[DailySample]:
    """Consecutive days of a plan, each with its own seed."""
    return [
        sample_day(instance, seed=day_seed(plan_seed, first_day_on + dt.timedelta(days=d)))
        for d in range(days)
    ]


def frequency_deviation(instance: SamplingInstance, samples: list[DailySample]) -> float:
    """Largest gap between a point's observed coverage (visits per open slot, averaged over the days) and
    its planned coverage."""
    if not samples:
        raise ValueError("need at least one day")
    mean_visits = np.mean([s.visits for s in samples], axis=0)
    return float(np.max(np.abs(mean_visits / instance.slots_open() - instance.coverage)))
