import datetime as dt

from siaga.optimization.patrols.proof import (
    CheckIn,
    PointArea,
    ProofThresholds,
    check_checkins,
    flag_speed,
    speed_kmh,
)

T0 = dt.datetime(2024, 2, 14, 8, 0, tzinfo=dt.UTC)
# Two points in Jember about 30 km apart (0.27 degrees of latitude).
POINTS = {
    "kpu": PointArea(lat=-8.170, lng=113.700, radius_m=100),
    "ppk": PointArea(lat=-8.440, lng=113.700, radius_m=100),
}


def at(point: str, minutes: float, *, stay: float = 10, accuracy: float = 10, unit: str = "R1") -> CheckIn:
    area = POINTS[point]
    arrived = T0 + dt.timedelta(minutes=minutes)
    return CheckIn(unit, point, area.lat, area.lng, accuracy, arrived, arrived + dt.timedelta(minutes=stay))


def test_thirty_km_in_two_minutes_is_impossible() -> None:
    checkins = [at("kpu", 0, stay=5), at("ppk", 7)]
    assert 850 < speed_kmh(*checkins) < 950
    flags = flag_speed(checkins, max_speed_kmh=120)
    assert [(f.code, f.index) for f in flags] == [("IMPOSSIBLE_SPEED", 1)]


def test_thirty_km_in_forty_minutes_is_plausible() -> None:
    assert check_checkins([at("kpu", 0), at("ppk", 50)], POINTS) == []


def test_speed_is_checked_per_unit_not_across_units() -> None:
    checkins = [at("kpu", 0, unit="R1"), at("ppk", 12, unit="R2")]
    assert flag_speed(checkins, max_speed_kmh=120) == []


def test_short_stay_poor_accuracy_and_outside_radius_are_flagged() -> None:
    far = CheckIn(
        "R1", "kpu", -8.175, 113.700, 20, T0 + dt.timedelta(hours=3), T0 + dt.timedelta(hours=3, minutes=10)
    )
    checkins = [at("kpu", 0, stay=1), at("ppk", 60, accuracy=500), far]
    flags = check_checkins(checkins, POINTS)
    assert {(f.code, f.index) for f in flags} == {
        ("SHORT_STAY", 0),
        ("POOR_ACCURACY", 1),
        ("OUTSIDE_RADIUS", 2),
    }
    outside = next(f for f in flags if f.code == "OUTSIDE_RADIUS")
    assert 500 < outside.value < 600  # 0.005 degrees of latitude is about 556 m


def test_accuracy_slack_and_thresholds_are_parameters() -> None:
    # 150 m from the point with a 60 m fix: inside radius + accuracy, outside the bare radius.
    near = CheckIn("R1", "kpu", -8.17135, 113.700, 60, T0, T0 + dt.timedelta(minutes=10))
    assert check_checkins([near], POINTS) == []
    strict = ProofThresholds(count_accuracy_in_radius=False)
    assert [f.code for f in check_checkins([near], POINTS, thresholds=strict)] == ["OUTSIDE_RADIUS"]


def test_unknown_point_and_missing_departure_are_handled() -> None:
    still_there = CheckIn("R1", "kpu", -8.170, 113.700, 10, T0)
    ghost = CheckIn("R1", "nowhere", -8.170, 113.700, 10, T0 + dt.timedelta(hours=1))
    assert [f.code for f in check_checkins([still_there, ghost], POINTS)] == ["UNKNOWN_POINT"]
