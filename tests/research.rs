//! The research commands: `explain` text on the bundled examples (insta snapshots of
//! three tips: one advised, one blocked by a false condition, one blocked by missing
//! answers) and its JSON.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

fn studentsucces(args: &[&str]) -> (String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8"),
        output.status.code().unwrap_or(-1),
    )
}

fn explain(programme: &str, tip: &str) -> String {
    let (text, code) = studentsucces(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        programme,
        "--tip",
        tip,
    ]);
    assert_eq!(code, 0, "{text}");
    text
}

#[test]
fn explain_an_advised_tip() {
    insta::assert_snapshot!(explain("B-SOCIAAL-WERK", "integratie.eerste_100_dagen"));
}

#[test]
fn explain_a_tip_blocked_by_a_false_condition() {
    insta::assert_snapshot!(explain("B-HBO-ICT", "toetsing.frequentie"));
}

#[test]
fn explain_a_tip_blocked_by_missing_answers() {
    insta::assert_snapshot!(explain(
        "AD-LOGISTIEK",
        "verwachtingen.studenten_voorlichting"
    ));
}

#[test]
fn explain_json_gives_every_sub_expression_its_value() {
    let (text, code) = studentsucces(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        "AD-LOGISTIEK",
        "--tip",
        "verwachtingen.studenten_voorlichting",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let not_fired = &json["not_fired"][0];
    assert_eq!(not_fired["outcome"], "unknown");
    assert_eq!(not_fired["condition"]["value"], serde_json::Value::Null);
    assert_eq!(not_fired["condition"]["terms"][1]["value"], 3.0);
    assert!(not_fired["missing"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("quickscan.verwachtingen")));
}

#[test]
fn explain_without_a_tip_lists_the_plan_and_an_unknown_tip_is_a_usage_error() {
    let (text, code) = studentsucces(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        "B-SOCIAAL-WERK",
    ]);
    assert_eq!(code, 0);
    assert!(text.contains("integratie.eerste_100_dagen"), "{text}");
    let (_, code) = studentsucces(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        "B-SOCIAAL-WERK",
        "--tip",
        "toetsing.frequentei",
    ]);
    assert_eq!(code, 2);
}

/// The rules that never fire on `generate --programmes 1000` are the ones
/// rules/README.md lists between its `never-fired` markers (none today).
#[test]
fn the_rules_that_never_fire_on_a_generated_cohort_are_documented() {
    use studentsucces::input::Cohort;
    use studentsucces::report::synthetic_assessment;
    use studentsucces::research::{coverage, Programme};

    let ruleset = studentsucces::RuleSet::roadmap().unwrap().into_ruleset();
    let programmes: Vec<Programme> = Cohort::new(&ruleset, 1000, 1)
        .map(|programme| {
            let assessment = synthetic_assessment(&ruleset, programme);
            Programme {
                answers: ruleset.answers(&assessment).unwrap(),
                id: assessment.programme,
            }
        })
        .collect();
    let coverage = coverage(&ruleset, &programmes);
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md"),
    )
    .unwrap();
    let start = readme.find("<!-- never-fired: begin -->").unwrap();
    let end = readme.find("<!-- never-fired: end -->").unwrap();
    let documented: Vec<&str> = readme[start..end]
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .filter_map(|line| line.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(coverage.never_fired, documented);
    assert_eq!(coverage.programmes, 1000);
    // Deterministic: the same counts for any thread count.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let single = pool.install(|| studentsucces::research::coverage(&ruleset, &programmes));
    assert_eq!(single, coverage);
}
