import numpy as np

from siaga.optimization.distance import haversine_km, haversine_matrix_km, road_matrix_km


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert abs(haversine_km(0.0, 0.0, 1.0, 0.0) - 111.19) < 0.05


def test_matrix_is_symmetric_with_zero_diagonal_and_matches_pairwise() -> None:
    lats = np.array([-8.17, -8.23, -8.40])
    lngs = np.array([113.70, 113.65, 113.50])
    m = haversine_matrix_km(lats, lngs)
    assert np.allclose(m, m.T)
    assert np.allclose(np.diag(m), 0.0)
    assert abs(m[0, 2] - haversine_km(-8.17, 113.70, -8.40, 113.50)) < 1e-9
    assert np.allclose(road_matrix_km(lats, lngs, circuity=1.5), 1.5 * m)
