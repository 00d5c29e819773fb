import pytest

from leadlens.model.interval import coverage, fit_interval_scale
from leadlens.scoring import share_interval

# (leadership, management, annotators' share): shares near the evidence's own share, and some far from it
POSTS = [(6.0, 2.0, 0.7), (1.0, 5.0, 0.2), (3.0, 3.0, 0.5), (8.0, 1.0, 0.95), (2.0, 6.0, 0.4),
         (4.0, 4.0, 0.2), (5.0, 1.0, 0.5), (1.0, 1.0, 0.9), (2.0, 2.0, 0.55), (7.0, 3.0, 0.65)]


def test_coverage_counts_the_posts_whose_interval_holds_the_annotators_share():
    expected = 0
    for lead, man, gold in POSTS:
        _, lo, hi = share_interval(lead, man, 0.8, 0.5, 2.0)
        expected += lo <= gold <= hi
    assert coverage(POSTS, 2.0) == expected / len(POSTS)
    assert 0 < expected < len(POSTS)  # the fixture has posts on both sides


def test_the_fitted_scale_is_the_smallest_that_reaches_the_level():
    fitted = fit_interval_scale(POSTS, level=0.8, scales=(1.0, 2.0, 4.0, 8.0, 16.0))
    table = dict(fitted["table"])
    assert fitted["n"] == len(POSTS) and table[fitted["scale"]] >= 0.8
    assert all(c < 0.8 for s, c in table.items() if s < fitted["scale"])
    # a larger scale means fewer effective counts, a wider interval, and never less coverage
    covs = [c for _, c in fitted["table"]]
    assert covs == sorted(covs) and covs[0] < covs[-1]


def test_when_no_scale_reaches_the_level_the_widest_is_kept():
    fitted = fit_interval_scale([(50.0, 50.0, 0.99)], level=0.8, scales=(1.0, 2.0))
    assert fitted["scale"] == 2.0 and fitted["coverage"] == 0.0


def test_no_posts_is_an_error():
    with pytest.raises(ValueError, match="no posts"):
        fit_interval_scale([])
