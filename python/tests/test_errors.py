"""Errors are exceptions of the module, with the library's messages."""

import pytest

import studentsucces


def test_the_exceptions_share_a_base():
    assert issubclass(studentsucces.RulesError, studentsucces.Error)
    assert issubclass(studentsucces.AssessmentError, studentsucces.Error)
    assert issubclass(studentsucces.Error, Exception)


def test_rules_that_do_not_compile_raise_rules_error_with_diagnostics(tmp_path):
    rules = tmp_path / "broken.rules"
    rules.write_text('ruleset "Kapot" version "1"\nrule x { when nergens.niet > 1 }\n', encoding="utf-8")
    with pytest.raises(studentsucces.RulesError) as raised:
        studentsucces.RuleSet.from_path(rules)
    message = str(raised.value)
    assert "error(s)" in message
    assert "broken.rules" in message


def test_a_missing_rules_path_raises_rules_error(tmp_path):
    with pytest.raises(studentsucces.RulesError, match="cannot read rules"):
        studentsucces.RuleSet.from_path(tmp_path / "nowhere.rules")


def test_an_unknown_param_raises_rules_error():
    with pytest.raises(studentsucces.RulesError, match="in_plaec"):
        studentsucces.RuleSet.roadmap(params={"in_plaec": 4})


def test_a_param_that_is_not_finite_raises_rules_error():
    with pytest.raises(studentsucces.RulesError, match="not a finite number"):
        studentsucces.RuleSet.roadmap(params={"in_place": float("inf")})


def test_a_profile_applies_and_changes_the_hash(tmp_path):
    profile = tmp_path / "profiel.toml"
    profile.write_text('name = "Hogeschool Voorbeeld"\nremove = ["ouders"]\n', encoding="utf-8")
    profiled = studentsucces.RuleSet.roadmap(profile=profile)
    assert profiled.hash != studentsucces.RuleSet.roadmap().hash


def test_a_profile_that_does_not_fit_names_line_and_column(tmp_path):
    profile = tmp_path / "profiel.toml"
    profile.write_text('remove = ["oudrs"]\n', encoding="utf-8")
    with pytest.raises(studentsucces.RulesError, match=r"profiel.toml:1:\d+:.*oudrs"):
        studentsucces.RuleSet.roadmap(profile=profile)


def test_an_answer_off_the_scale_names_question_and_value(roadmap):
    with pytest.raises(studentsucces.AssessmentError) as raised:
        roadmap.advise({"programme": "P", "answers": {"coaching.rolmodel": 17}})
    message = str(raised.value)
    assert "coaching.rolmodel" in message
    assert "17" in message
    assert "`P`" in message


def test_an_unknown_question_is_named(roadmap):
    with pytest.raises(studentsucces.AssessmentError, match="`coaching.rolmodl`.*question id"):
        roadmap.advise({"programme": "P", "answers": {"coaching.rolmodl": 3}})


def test_an_assessment_without_programme_is_refused(roadmap):
    with pytest.raises(studentsucces.AssessmentError, match="programme"):
        roadmap.advise({"answers": {}})


def test_something_else_than_a_dict_is_refused(roadmap):
    with pytest.raises(studentsucces.AssessmentError, match="assessment object"):
        roadmap.advise([1, 2])


def test_a_value_that_is_no_json_names_its_place(roadmap):
    with pytest.raises(studentsucces.AssessmentError, match="coaching.rolmodel") as raised:
        roadmap.advise({"programme": "P", "answers": {"coaching.rolmodel": object()}})
    assert "answers" in str(raised.value)


def test_advise_many_raises_for_the_first_bad_one_with_its_index(roadmap, assessments):
    bad = {"programme": "BAD", "answers": {"coaching.rolmodel": 17}}
    with pytest.raises(studentsucces.AssessmentError, match=r"^assessment 2: programme `BAD`"):
        roadmap.advise_many([assessments[0], assessments[1], bad, bad])


def test_advise_many_can_return_error_entries(roadmap, assessments):
    bad = {"programme": "BAD", "answers": {"coaching.rolmodel": 17}}
    results = roadmap.advise_many([assessments[0], bad, "not a dict"], errors="return")
    assert results[0] == roadmap.advise(assessments[0])
    assert results[1]["index"] == 1
    assert results[1]["programme"] == "BAD"
    assert "coaching.rolmodel" in results[1]["error"]
    assert results[2]["index"] == 2
    assert results[2]["programme"] is None


def test_advise_many_refuses_an_unknown_errors_mode(roadmap):
    with pytest.raises(ValueError, match="errors"):
        roadmap.advise_many([], errors="ignore")
