"""Advice through the bindings is the command line's advice."""

import studentsucces


def test_the_roadmap_loads(roadmap):
    assert roadmap.name == "Roadmap to studentsucces"
    assert roadmap.version
    assert len(roadmap.hash) == 64
    assert "in_place" in roadmap.params
    assert len(roadmap.tips) > 100
    assert "RuleSet" in repr(roadmap)


def test_the_rules_folder_loads_as_the_embedded_roadmap(root, roadmap):
    folder = studentsucces.RuleSet.from_path(root / "rules" / "roadmap")
    assert folder.tips == roadmap.tips
    assert folder.params == roadmap.params


def test_advice_is_the_command_lines(roadmap, assessments, cli_advice):
    assert [roadmap.advise(a) for a in assessments] == cli_advice


def test_advice_has_schema_version_3(roadmap, assessments):
    advice = roadmap.advise(assessments[0])
    assert advice["schema_version"] == studentsucces.SCHEMA_VERSION == 3
    assert advice["ruleset"]["hash"] == roadmap.hash
    assert advice["programme"] == assessments[0]["programme"]


def test_advise_many_keeps_order_and_equals_advise(roadmap, assessments):
    many = assessments * 7
    results = roadmap.advise_many(many)
    assert [r["programme"] for r in results] == [a["programme"] for a in many]
    assert results == [roadmap.advise(a) for a in many]


def test_advise_many_takes_any_iterable(roadmap, assessments):
    results = roadmap.advise_many(a for a in assessments)
    assert len(results) == len(assessments)
    assert roadmap.advise_many([]) == []


def test_a_param_override_changes_the_advice(roadmap, assessments):
    strict = studentsucces.RuleSet.roadmap(params={"in_place": 4})
    assert strict.params["in_place"] == 4
    assert strict.hash != roadmap.hash
    tips = {t["id"] for t in roadmap.advise(assessments[0])["tips"]}
    strict_tips = {t["id"] for t in strict.advise(assessments[0])["tips"]}
    assert tips < strict_tips


def test_the_hash_does_not_depend_on_the_order_of_params():
    one = studentsucces.RuleSet.roadmap({"in_place": 4, "prio_basis": 12})
    other = studentsucces.RuleSet.roadmap({"prio_basis": 12, "in_place": 4})
    assert one.hash == other.hash


def test_nan_is_a_missing_answer_as_pandas_writes_it(roadmap, assessments):
    assessment = assessments[0]
    question = "coaching.rolmodel"
    with_nan = dict(assessment, answers=dict(assessment["answers"], **{question: float("nan")}))
    with_none = dict(assessment, answers=dict(assessment["answers"], **{question: None}))
    assert roadmap.advise(with_nan) == roadmap.advise(with_none)


def test_numpy_like_scalars_are_read_through_item(roadmap, assessments):
    class Scalar:
        def __init__(self, value):
            self.value = value

        def item(self):
            return self.value

    assessment = assessments[0]
    wrapped = dict(assessment, answers={k: Scalar(v) for k, v in assessment["answers"].items()})
    assert roadmap.advise(wrapped) == roadmap.advise(assessment)
