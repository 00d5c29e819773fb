"""Unit features: from hand-built matches, from word lists, and from real analysed postings."""

from __future__ import annotations

import pytest

from leadlens.model.baseline import naive_pole
from leadlens.model.features import (FeatureConfig, FeatureExtractor, dependency_pairs, rule_features, section_of,
                                     syntax_features, text_features, theme)
from leadlens.scoring import Match, pole_settings

SETTINGS = (1.5, 0.6, 1.5)


def match(pole: str, rule_id: str, start: int = 0, weight: float = 1.0, status: str = "counted",
          main_verb: bool = False, axis: str = "focus", agent: str = "post_holder") -> Match:
    return Match(sent_id=0, start=start, end=start + 4, text="x", lemma="x", axis=axis, pole=pole, rule_id=rule_id,
                 section="duties", negated=status == "negated", hypothetical=False, agent=agent, boilerplate=False,
                 title_mention=False, sense=None, heading=False, rule_weight=weight, main_verb=main_verb,
                 weight=weight if status == "counted" else 0.0, status=status)


def test_theme_is_the_rule_id_prefix():
    assert theme("vision.set_direction") == "vision" and theme("process") == "process"


def test_rule_features_count_themes_axes_main_verb_and_excluded_spans():
    ms = [match("M", "process.budget", 0, 1.0, main_verb=True, axis="focus"),
          match("L", "vision.set_direction", 10, 1.25, axis="guidance"),
          match("L", "people.lead", 20, 0.75, status="negated"),
          match("M", "control.monitor", 30, 1.0, status="organisation", agent="organisation")]
    f = rule_features(ms, SETTINGS)
    assert f["rules=M"] == 1.0                         # the main verb's M outweighs the L
    assert f["ev:M"] == 1.0 and f["ev:L"] == 1.25 and f["n:L"] == 1.0
    assert f["mv:M"] == 1.0 and "mv:L" not in f
    assert f["theme=process:M"] == 1.0 and f["theme=vision:L"] == 1.25
    assert f["axis=guidance:L"] == 1.25 and f["first=M"] == 1.0
    assert f["status=negated:L"] == 1.0 and f["status=organisation:M"] == 1.0
    assert "theme=people:L" not in f                    # excluded spans are not counted evidence
    assert f["agent=organisation"] == 1.0 and f["agent=post_holder"] == 3.0


def test_rule_features_of_a_unit_without_matches():
    assert rule_features([], SETTINGS) == {"rules=N": 1.0}


def test_text_features_ngrams_numbers_and_shape():
    f = text_features(["manage", "a", "£2", "m", "budget"], "Manage a £2m budget", before="• ")
    assert f["w=manage"] == 1.0 and f["b=manage a"] == 1.0 and f["w=<num>"] == 1.0
    assert f["x:bullet"] == 1.0 and f["x:len=4-8"] == 1.0 and "x:colon" not in f
    g = text_features(["main", "duty"], "Main Duties:", ngrams=1)
    assert g["x:colon"] == 1.0 and g["x:titlecase"] == 1.0 and not any(k.startswith("b=") for k in g)


@pytest.mark.parametrize("text, pole", [
    ("Manage the ward budget and the rota.", "M"),
    ("Inspire the team with a compelling vision.", "L"),
    ("Provide direct patient care.", "N"),
    ("Lead and manage the service.", "L"),              # a tie goes to the first named
    ("Policies, procedures and audit; lead on change.", "M"),
])
def test_naive_baseline(text, pole):
    assert naive_pole(text) == pole


def test_feature_config_validates_and_round_trips():
    cfg = FeatureConfig(words="tokens", syntax=False, ngrams=1)
    assert FeatureConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="syntax"):
        FeatureConfig(words="tokens", syntax=True)
    with pytest.raises(ValueError, match="words"):
        FeatureConfig(words="stems")


TEXT = ("Main duties\n• Manage the ward budget and the rota.\n• Set the strategic direction for the service.\n"
        "• Provide direct patient care.\nWe are an innovative Trust.")


@pytest.mark.parametrize("config", [FeatureConfig(), FeatureConfig(words="tokens", syntax=False)])
def test_extractor_gives_one_dict_per_sentence_with_the_rules_pole(analyser, config):
    result = analyser.analyse(TEXT, title="Head of Nursing")
    feats = FeatureExtractor(analyser, config).posting(result)
    assert len(feats) == len(result.sentences)
    for f, s in zip(feats, result.sentences):
        assert f[f"rules={s.pole}"] == 1.0
        assert f[f"section={s.section}"] == 1.0
    budget = feats[[s.text for s in result.sentences].index("Manage the ward budget and the rota.")]
    assert budget.get("ev:M", 0) > 0 and budget["x:bullet"] == 1.0
    assert ("w=budget" in budget) and ("b=ward budget" in budget)
    if config.syntax:
        assert budget["s:verb=manage"] == 1.0 and budget["s:subj=none"] == 1.0
    else:
        assert not any(k.startswith("s:") for k in budget)


def test_extractor_features_of_arbitrary_ranges(analyser):
    result = analyser.analyse(TEXT)
    s = result.sentences[1]
    whole, half = FeatureExtractor(analyser).posting(result, [(s.start, s.end), (s.start, s.start + 10)])
    settings = pole_settings(analyser.rules.scoring)
    assert whole[f"rules={result.pole_between(s.start, s.end, *settings)}"] == 1.0
    assert "w=budget" in whole and "w=budget" not in half
    assert section_of(result, s.start + 3) == s.section


def test_syntax_features_name_the_subject(analyser):
    org = frozenset({"we", "trust"})
    holder = frozenset({"you", "postholder"})
    doc = next(analyser.parser.pipe_units(["We are seeking an innovative leader."]))
    assert syntax_features(doc, org, holder)["s:subj=organisation"] == 1.0
    doc = next(analyser.parser.pipe_units(["You will manage the budget."]))
    f = syntax_features(doc, org, holder)
    assert f["s:subj=holder"] == 1.0 and f["s:verb=manage"] == 1.0
    assert f["vo:manage>budget"] == 1.0


def test_dependency_pairs_read_the_passive_as_the_active(analyser):
    active, passive, prep = analyser.parser.pipe_units([
        "The post holder will approve the rotas.", "Rotas are to be approved by the post holder.",
        "You will be responsible for the departmental budget."])
    assert dependency_pairs(active)["vo:approve>rota"] == 1.0
    assert dependency_pairs(passive)["vo:approve>rota"] == 1.0
    assert dependency_pairs(prep)["vp:responsible_for>budget"] == 1.0
    assert not any(k.startswith("vo:") for k in dependency_pairs(prep))


def test_extractor_reuses_given_parses_and_its_cache(analyser, monkeypatch):
    result = analyser.analyse(TEXT)
    spans = [(s.start, s.end) for s in result.sentences]
    docs = list(analyser.parser.pipe_units([result.text[a:b] for a, b in spans]))
    expected = FeatureExtractor(analyser).posting(result)

    def no_parse(texts):
        raise AssertionError(f"parsed again: {list(texts)}")

    fresh = FeatureExtractor(analyser)
    monkeypatch.setattr(analyser.parser, "pipe_units", no_parse)
    assert fresh.many([(result, None)], docs=[docs])[0] == expected     # the given parses are used
    assert fresh.posting(result) == expected                            # then the cache answers
    with pytest.raises(ValueError, match="docs"):
        fresh.many([(result, None)], docs=[docs[:1]])


def test_extractor_cache_is_bounded(analyser):
    fx = FeatureExtractor(analyser, FeatureConfig(words="tokens", syntax=False), cache_size=2)
    fx.posting(analyser.analyse(TEXT))
    assert len(fx._cache) == 2


def test_units_parsed_by_the_analyser_are_not_parsed_again(analyser, monkeypatch):
    import gc

    from leadlens.model.features import FeatureExtractor

    text = "Duties\n• Lead and inspire the district nursing team.\n• Monitor the monthly budget.\nFree parking."
    fresh = FeatureExtractor(analyser)
    reference = fresh.posting(analyser.analyse(text + " Zq."))  # parsed by the extractor itself
    observing = FeatureExtractor(analyser)
    result = analyser.analyse(text + " Zq.")   # cached by the analyser already: nothing parsed, nothing observed
    analyser._unit_cache.clear()
    result = analyser.analyse(text + " Zq.")   # parsed again, now observed
    calls = []
    original = analyser.parser.pipe_units
    monkeypatch.setattr(analyser.parser, "pipe_units", lambda texts, **kw: calls.append(list(texts)) or
                        original(texts, **kw))
    got = observing.posting(result)
    parsed = [t for c in calls for t in c]
    # only units the analyser did not parse (no lexicon anchor word) are parsed by the extractor
    assert "Lead and inspire the district nursing team." not in parsed
    assert "Monitor the monthly budget." not in parsed
    assert got == reference                    # the same features as from the extractor's own parse
    n = len(analyser._unit_hooks)
    del fresh, observing
    gc.collect()
    analyser.add_unit_hook(FeatureExtractor(analyser, cache_size=1).observe)
    assert len(analyser._unit_hooks) <= n      # hooks of collected extractors are dropped


def test_stop_words_and_shape_can_be_left_out():
    from leadlens.model.features import text_features

    words = ["lead", "the", "team", "in", "the", "ward"]
    full = text_features(words, "Lead the team in the ward", "• ", 2)
    lean = text_features(words, "Lead the team in the ward", "• ", 2, frozenset({"the", "in"}), shape=False)
    assert {"w=the", "b=in the", "x:bullet"} <= set(full)
    assert set(lean) == {"w=lead", "w=team", "w=ward", "b=lead the", "b=the team", "b=team in", "b=the ward"}


def test_feature_config_round_trips_its_new_switches():
    from leadlens.model.features import FeatureConfig

    cfg = FeatureConfig(stopwords=False, shape=False)
    assert FeatureConfig.from_dict(cfg.to_dict()) == cfg
    old = {k: v for k, v in FeatureConfig().to_dict().items() if k not in ("stopwords", "shape")}
    assert FeatureConfig.from_dict(old) == FeatureConfig()   # models saved before the switches keep their features
