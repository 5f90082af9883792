"""`explain`: where one tip stands for one programme, as the library explains it."""

import pytest


def test_a_recommended_tip_has_its_rules_and_place(roadmap, assessments):
    advice = roadmap.advise(assessments[0])
    tip = next(t for t in advice["tips"] if t["because"])
    explained = roadmap.explain(assessments[0], tip["id"])
    assert explained["programme"] == assessments[0]["programme"]
    assert explained["tip"] == tip["id"]
    assert explained["status"]["kind"] == "recommended"
    assert explained["status"]["cycle"] == tip["cycle"]
    assert explained["plan"]["cycle"] == tip["cycle"]
    assert explained["plan"]["phase"] == tip["phase"]
    assert explained["plan"]["after"] == tip.get("after", [])
    fired = {rule["rule"] for rule in explained["rules"]}
    assert set(tip["because"]) <= fired
    assert all(rule["because"] for rule in explained["rules"])


def test_a_pulled_in_tip_names_who_waits_for_it(roadmap, assessments):
    for assessment in assessments:
        for tip in roadmap.advise(assessment)["tips"]:
            if tip.get("pulled_in_by"):
                explained = roadmap.explain(assessment, tip["id"])
                assert explained["status"]["kind"] == "pulled_in"
                assert set(tip["pulled_in_by"]) <= set(explained["plan"]["waiting"])
                return
    pytest.skip("no example programme has a pulled-in tip")


def test_a_tip_not_in_the_advice_is_not_advised(roadmap, assessments):
    advice = roadmap.advise(assessments[0])
    mentioned = {t["id"] for t in advice["tips"]}
    mentioned |= {t["tip"] for t in advice["to_establish"] + advice["not_applicable"]}
    quiet = next(tip for tip in roadmap.tips if tip not in mentioned)
    explained = roadmap.explain(assessments[0], quiet)
    assert explained["status"] == {"kind": "not_advised"}
    assert "plan" not in explained


def test_a_tip_to_establish_names_the_questions(roadmap):
    assessment = {"programme": "LEEG", "answers": {}}
    advice = roadmap.advise(assessment)
    assert advice["to_establish"], "an empty scan leaves tips to establish"
    entry = advice["to_establish"][0]
    explained = roadmap.explain(assessment, entry["tip"])
    assert explained["status"]["kind"] == "to_establish"
    assert explained["status"]["questions"]


def test_a_tip_that_does_not_apply_says_why(roadmap, assessments):
    for assessment in assessments:
        entries = roadmap.advise(assessment)["not_applicable"]
        if entries:
            explained = roadmap.explain(assessment, entries[0]["tip"])
            assert explained["status"]["kind"] == "not_applicable"
            assert explained["status"]["because"]
            return
    pytest.skip("no example programme has a tip that does not apply")


def test_an_unknown_tip_raises_key_error_with_a_suggestion(roadmap, assessments):
    tip = roadmap.tips[0]
    with pytest.raises(KeyError, match="did you mean"):
        roadmap.explain(assessments[0], tip[:-1])
    with pytest.raises(KeyError, match="geen.tip"):
        roadmap.explain(assessments[0], "geen.tip")
