//! The evaluator: three-valued logic on missing answers, aggregates, arithmetic edge
//! cases, and advice on a small rule set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use studentsucces::compile::compile;
use studentsucces::diagnostic::SourceFile;
use studentsucces::eval::Answers;
use studentsucces::input::Assessment;
use studentsucces::ruleset::RuleSet;

const PRELUDE: &str = r#"
    theme t "T" { number 1 }
    factor f "F" { number 1 theme t horizon kort }
    tip f.tip { text "Tip." }
    question f.a: yesno "a?"
    question f.b: yesno "b?"
    question f.x: percent "x?"
    question f.y: percent "y?"
    question f.z: percent "z?"
    question f.m: number "m?"
    question f.n: number "n?"
"#;

/// Compiles a one-rule set with condition `when` and tells whether it fires for the
/// given answers (`None` = unanswered).
fn fires(when: &str, answers: &[(&str, Option<f64>)]) -> bool {
    let text = format!("{PRELUDE}\nrule r {{ when {when} recommend f.tip because \"b\" }}");
    let ruleset = compile(vec![SourceFile::new("t.rules", text)], &[])
        .unwrap_or_else(|d| panic!("{}", d.render_plain()))
        .ruleset;
    let mut slots = Answers::unanswered(&ruleset);
    for (id, value) in answers {
        slots.set(
            ruleset.question_index(id).unwrap(),
            value.unwrap_or(f64::NAN),
        );
    }
    !ruleset.evaluate(&slots).fired().is_empty()
}

const T: Option<f64> = Some(1.0);
const F: Option<f64> = Some(0.0);
const U: Option<f64> = None;

#[test]
fn kleene_truth_tables_with_missing_answers() {
    // (a, b, a and b, a or b), where U is unanswered: a rule fires only on true.
    let table = [
        (T, T, true, true),
        (T, F, false, true),
        (T, U, false, true),
        (F, U, false, false),
        (U, U, false, false),
        (U, T, false, true),
    ];
    for (a, b, and, or) in table {
        let given = [("f.a", a), ("f.b", b)];
        assert_eq!(fires("f.a and f.b", &given), and, "{a:?} and {b:?}");
        assert_eq!(fires("f.a or f.b", &given), or, "{a:?} or {b:?}");
    }
    // not unknown is unknown, so neither `x` nor `not x` fires when x is missing.
    assert!(!fires("f.a", &[("f.a", U)]));
    assert!(!fires("not f.a", &[("f.a", U)]));
    // false and unknown is false, so its negation is true.
    assert!(fires("not (f.a and f.b)", &[("f.a", F), ("f.b", U)]));
    assert!(!fires("not (f.a and f.b)", &[("f.a", T), ("f.b", U)]));
}

#[test]
fn comparisons_and_arithmetic_on_missing_answers_are_unknown() {
    assert!(!fires("f.x < 50", &[("f.x", U)]));
    assert!(!fires("not (f.x < 50)", &[("f.x", U)]));
    assert!(!fires("f.x + 1 >= 0", &[("f.x", U)]));
    assert!(fires("f.x + 1 >= 0", &[("f.x", Some(0.0))]));
}

#[test]
fn answered_missing_and_coalesce_make_missing_answers_explicit() {
    assert!(fires("missing(f.x)", &[("f.x", U)]));
    assert!(!fires("answered(f.x)", &[("f.x", U)]));
    assert!(fires("answered(f.x)", &[("f.x", Some(0.0))]));
    assert!(fires(
        "coalesce(f.x, f.y) = 20",
        &[("f.x", U), ("f.y", Some(20.0))]
    ));
    assert!(fires(
        "coalesce(f.x, f.y) = 10",
        &[("f.x", Some(10.0)), ("f.y", Some(20.0))]
    ));
    assert!(!fires("coalesce(f.x, f.y) >= 0", &[]));
}

#[test]
fn aggregates_run_over_answered_questions_only() {
    let given = [("f.x", Some(10.0)), ("f.y", U), ("f.z", Some(30.0))];
    assert!(fires("avg(f.x, f.y, f.z) = 20", &given));
    assert!(fires("avg(f.*) = 20", &given));
    assert!(fires("min(f.*) = 10 and max(f.*) = 30", &given));
    assert!(fires(
        "count(f.*) = 4",
        &[
            ("f.x", Some(1.0)),
            ("f.y", Some(1.0)),
            ("f.z", Some(1.0)),
            ("f.a", T)
        ]
    ));
    assert!(fires("count(f.x, f.y, f.z) = 2", &given));
    assert!(!fires("avg(f.x, f.y) >= 0", &[]));
    assert!(fires("count(f.x, f.y) = 0", &[]));
}

#[test]
fn division_by_zero_is_unknown_not_infinite() {
    assert!(!fires(
        "f.x / f.y > 1",
        &[("f.x", Some(10.0)), ("f.y", Some(0.0))]
    ));
    assert!(!fires(
        "not (f.x / f.y > 1)",
        &[("f.x", Some(10.0)), ("f.y", Some(0.0))]
    ));
    assert!(fires(
        "f.x / f.y = 5",
        &[("f.x", Some(10.0)), ("f.y", Some(2.0))]
    ));
}

#[test]
fn a_comparison_with_a_number_question_without_range_is_compiled_not_dropped() {
    // The range check gave up on a question without a
    // range, the comparison was dropped without a diagnostic, and the rule ran node 0.
    assert!(fires("0 < f.m", &[("f.m", Some(5.0))]));
    assert!(!fires("0 < f.m", &[("f.m", Some(-1.0))]));
    assert!(!fires("0 < f.m", &[("f.m", U)]));
    assert!(fires(
        "f.m >= 2.5 and f.x < 50",
        &[("f.m", Some(3.0)), ("f.x", Some(1.0))]
    ));
}

#[test]
fn the_average_of_answers_near_the_largest_number_is_their_mean_not_infinity() {
    // The sum overflowed and avg was infinite (known).
    for big in [1e308, f64::MAX, -f64::MAX] {
        let given = [("f.m", Some(big)), ("f.n", Some(big))];
        assert!(fires("avg(f.m, f.n) = f.m", &given), "{big}");
        assert!(fires("count(avg(f.m, f.n)) = 1", &given), "{big}");
    }
    assert!(fires(
        "avg(f.m, f.n) = 0",
        &[("f.m", Some(f64::MAX)), ("f.n", Some(-f64::MAX))]
    ));
}

fn small() -> RuleSet {
    RuleSet::from_path(
        Path::new("tests/data/small.rules"),
        &studentsucces::Options::default(),
    )
    .unwrap()
    .into_ruleset()
}

fn assessment(json: &str) -> Assessment {
    serde_json::from_str(json).unwrap()
}

#[test]
fn advice_lists_each_tip_once_with_its_highest_priority_and_every_reason() {
    let ruleset = small();
    let advice = ruleset
        .advise(&assessment(
            r#"{"programme": "P1", "meta": {"name": "Programma"}, "answers": {
                "visie.duidelijk": 1, "toetsing.frequentie": "0", "toetsing.internationaal": "In voorbereiding",
                "context.internationaal": "40%", "context.niveau": "Master", "context.honours": "nee",
                "centraal.partner": "weet niet"}}"#,
        ))
        .unwrap();
    let mut ids: Vec<(&str, u8)> = advice
        .tips
        .iter()
        .map(|tip| (tip.id, tip.priority))
        .collect();
    ids.sort_by_key(|&(id, priority)| (std::cmp::Reverse(priority), id));
    // frequentie: 30 + 10*3 + max(0, 3 - avg(0, 1)) = 62.5, rounded half away from zero.
    assert_eq!(
        ids,
        [
            ("centraal.partner", 70),
            ("toetsing.frequentie", 63),
            ("toetsing.internationaal", 60),
            ("visie.duidelijk", 60)
        ]
    );
    let frequentie = advice
        .tips
        .iter()
        .find(|tip| tip.id == "toetsing.frequentie")
        .unwrap();
    let catalogue = serde_json::to_value(ruleset.catalogue()).unwrap();
    let tip = catalogue["tips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tip| tip["id"] == frequentie.id)
        .unwrap();
    assert_eq!(tip["section"], "toetsing");
    assert_eq!(
        tip["stakeholders"],
        serde_json::json!(["student", "docenten", "examencommissie"])
    );
    assert_eq!(advice.because(frequentie).count(), 1);
    let answers: std::collections::BTreeMap<&str, serde_json::Value> = ruleset
        .reason_answers(&advice, &advice.because(frequentie).next().unwrap())
        .into_iter()
        .collect();
    assert_eq!(answers["toetsing.frequentie"], serde_json::json!(0));
    assert_eq!(answers["context.honours"], serde_json::json!(false));
    assert_eq!(advice.meta["name"], "Programma");
    let toetsing = advice.sections.iter().find(|s| s.id == "toetsing").unwrap();
    let section = &ruleset.sections()[toetsing.index.index()];
    assert_eq!(
        (toetsing.mean, toetsing.answered, section.questions.len()),
        (Some(0.5), 2, 2)
    );
}

#[test]
fn advice_follows_the_json_contract() {
    let ruleset = small();
    let advice = ruleset
        .advise(&assessment(
            r#"{"programme": "P2", "answers": {"visie.duidelijk": 0}}"#,
        ))
        .unwrap();
    let json = serde_json::to_value(&advice).unwrap();
    assert_eq!(json["schema_version"], 3);
    assert_eq!(json["ruleset"]["name"], "Kleine testset");
    assert_eq!(json["ruleset"]["hash"].as_str().unwrap().len(), 64);
    assert_eq!(json["programme"], "P2");
    let tip = &json["tips"][0];
    for key in ["id", "cycle", "phase", "priority", "because"] {
        assert!(tip.get(key).is_some(), "tip lacks `{key}`");
    }
    let because = tip["because"].as_object().unwrap();
    assert!(!because.is_empty() && because.values().all(serde_json::Value::is_number));
    assert_eq!(json["answers"]["visie.duidelijk"], 0.0);
    assert!(json["warnings"].is_array() && json["sections"].is_array());
}

#[test]
fn invalid_answers_are_all_reported_with_what_was_expected() {
    let error = small()
        .advise(&assessment(
            r#"{"programme": "P3", "answers": {"visie.duidelijk": 7, "context.niveau": "phd", "context.honourz": "ja"}}"#,
        ))
        .unwrap_err();
    let columns: Vec<&str> = error.errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(
        columns,
        ["context.honourz", "context.niveau", "visie.duidelijk"]
    );
    assert!(error.errors[0]
        .message
        .contains("did you mean `context.honours`?"));
    assert_eq!(error.errors[1].expected, "one of ad, bachelor, master");
    assert!(error.errors[2].expected.starts_with("a whole number 0..4"));
}

#[test]
fn an_unknown_priority_fires_with_zero_and_a_warning() {
    let text =
        format!("{PRELUDE}\nrule r {{ when f.a recommend f.tip priority f.x because \"b\" }}");
    let ruleset = compile(vec![SourceFile::new("t.rules", text)], &[])
        .unwrap()
        .ruleset;
    let advice = ruleset
        .advise(&assessment(
            r#"{"programme": "P", "answers": {"f.a": "ja"}}"#,
        ))
        .unwrap();
    assert_eq!(advice.tips[0].priority, 0);
    assert!(advice.warnings()[0]
        .contains("Regel `r` is van toepassing, maar de prioriteit leest onbeantwoorde vragen"));
}

#[test]
fn param_overrides_change_the_advice_and_the_hash() {
    let sources =
        || studentsucces::input::read_sources(Path::new("tests/data/small.rules")).unwrap();
    let default = compile(sources(), &[]).unwrap().ruleset;
    let strict = compile(sources(), &["drempel_internationaal=50".parse().unwrap()])
        .unwrap()
        .ruleset;
    let input = assessment(
        r#"{"programme": "P", "answers": {"toetsing.internationaal": 0, "context.internationaal": 40, "context.niveau": "bachelor"}}"#,
    );
    let has_tip = |ruleset: &RuleSet| {
        ruleset
            .advise(&input)
            .unwrap()
            .tips
            .iter()
            .any(|t| t.id == "toetsing.internationaal")
    };
    assert!(has_tip(&default));
    assert!(!has_tip(&strict));
    assert_ne!(default.info().hash, strict.info().hash);
}
