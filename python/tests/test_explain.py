"""`explain`: one tip of one programme's advice."""

import pytest


def test_an_advised_tip_has_its_reasons(roadmap, assessments):
    advice = roadmap.advise(assessments[0])
    tip = advice["tips"][0]
    explained = roadmap.explain(assessments[0], tip["id"])
    assert explained["tip"] == tip["id"]
    assert explained["status"] in ("advised", "prerequisite")
    assert explained["cycle"] == tip["cycle"]
    assert explained["phase"] == tip["phase"]
    assert explained["after"] == tip.get("after", [])
    assert [r["rule"] for r in explained["because"]] == list(tip["because"])
    assert all(r["text"] for r in explained["because"])


def test_a_pulled_in_tip_is_a_prerequisite(roadmap, assessments):
    for assessment in assessments:
        for tip in roadmap.advise(assessment)["tips"]:
            if tip.get("pulled_in_by"):
                explained = roadmap.explain(assessment, tip["id"])
                assert explained["status"] == "prerequisite"
                assert explained["pulled_in_by"] == tip["pulled_in_by"]
                return
    pytest.skip("no example programme has a pulled-in tip")


def test_a_tip_not_in_the_advice_is_not_advised(roadmap, assessments):
    advice = roadmap.advise(assessments[0])
    mentioned = {t["id"] for t in advice["tips"]}
    mentioned |= {t["tip"] for t in advice["to_establish"] + advice["not_applicable"]}
    quiet = next(tip for tip in roadmap.tips if tip not in mentioned)
    explained = roadmap.explain(assessments[0], quiet)
    assert explained["status"] == "not advised"
    assert "cycle" not in explained


def test_a_tip_to_establish_says_why(roadmap):
    assessment = {"programme": "LEEG", "answers": {}}
    advice = roadmap.advise(assessment)
    assert advice["to_establish"], "an empty scan leaves tips to establish"
    entry = advice["to_establish"][0]
    explained = roadmap.explain(assessment, entry["tip"])
    assert explained["status"] == "to establish"
    assert explained["unknown"] == entry["unknown"]
    assert explained["reason"]


def test_a_tip_that_does_not_apply_says_why(roadmap, assessments):
    for assessment in assessments:
        entries = roadmap.advise(assessment)["not_applicable"]
        if entries:
            explained = roadmap.explain(assessment, entries[0]["tip"])
            assert explained["status"] == "not applicable"
            assert explained["reason"]
            return
    pytest.skip("no example programme has a tip that does not apply")


def test_an_unknown_tip_raises_key_error(roadmap, assessments):
    with pytest.raises(KeyError, match="geen.tip"):
        roadmap.explain(assessments[0], "geen.tip")
