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

/// Runs the binary and parses its standard output as JSON.
fn studentsucces_json(args: &[&str]) -> (serde_json::Value, i32) {
    let (text, code) = studentsucces(args);
    let json = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"));
    (json, code)
}

/// A cohort written by `generate` into a temporary folder (kept alive by the guard).
fn generated(programmes: u32, seed: u32) -> (tempfile::TempDir, String) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder
        .path()
        .join("cohort.csv")
        .to_str()
        .unwrap()
        .to_owned();
    let (programmes, seed) = (programmes.to_string(), seed.to_string());
    let (text, code) = studentsucces(&[
        "generate",
        "--programmes",
        &programmes,
        "--seed",
        &seed,
        "--out",
        &path,
    ]);
    assert_eq!(code, 0, "{text}");
    (folder, path)
}

#[test]
fn explain_says_where_a_tip_sits_in_the_plan() {
    let text = explain("B-SOCIAAL-WERK", "toetsing.bke_examinatoren");
    assert!(
        text.contains("\nPlan: cyclus 2, fase 2, prioriteit 82\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  na: visie.professionaliseringseisen\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  hierop wachten: toetsing.ske_afgevaardigden\n"),
        "{text}"
    );
    let (json, code) = studentsucces_json(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        "B-SOCIAAL-WERK",
        "--tip",
        "toetsing.bke_examinatoren",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(json["plan"]["cycle"], 2);
    assert_eq!(json["plan"]["after"][0], "visie.professionaliseringseisen");
    assert_eq!(json["plan"]["waiting"][0], "toetsing.ske_afgevaardigden");
}

#[test]
fn explain_lang_en_gives_english_labels_and_keeps_the_ids() {
    let (text, code) = studentsucces(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        "B-HBO-ICT",
        "--tip",
        "toetsing.frequentie",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("Programme B-HBO-ICT: toetsing.frequentie\n"),
        "{text}"
    );
    assert!(text.contains("first false part"), "{text}");
    assert!(!text.contains("onwaar"), "{text}");
}

#[test]
fn coverage_lists_the_rules_that_never_fired_first_with_file_and_line() {
    let (text, code) = studentsucces(&["coverage", "examples/programmes.json"]);
    assert_eq!(code, 0, "{text}");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Dekking over 5 opleidingen"));
    assert_eq!(lines.nth(1), Some("Regels die nooit vuurden (2):"));
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("  ervaringen.reele_ervaringen  rules/roadmap/f02_ervaringen.rules:"),
        "{first}"
    );
    let never_advised = text.find("Tips die nooit geadviseerd werden").unwrap();
    assert!(never_advised < text.find("Regels: gevuurd").unwrap());
}

#[test]
fn diff_of_the_embedded_roadmap_against_its_own_files_reports_nothing_and_exits_0() {
    let (_folder, cohort) = generated(40, 7);
    let (text, code) = studentsucces(&["diff", &cohort, "--against", "rules/roadmap"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(text, "0 van 40 opleidingen veranderen\n");
}

#[test]
fn diff_with_another_param_lists_what_changes_and_exits_1() {
    let (_folder, cohort) = generated(40, 7);
    let (json, code) = studentsucces_json(&[
        "diff",
        &cohort,
        "--against-param",
        "focus=1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{json}");
    let changed = json["changed"].as_array().unwrap();
    assert!(!changed.is_empty());
    // One tip per cycle instead of three: tips move out of cycle 1, none are added.
    assert!(changed
        .iter()
        .all(|programme| programme["added"].as_array().unwrap().is_empty()));
    assert!(json["tips"]
        .as_object()
        .unwrap()
        .values()
        .any(|t| t["moved"] != 0));
}

/// `sweep NAME=V..V` over a generated cohort counts exactly what `advise --param
/// NAME=V` advises, for several values: the tips of every plan and the size of cycle 1.
#[test]
fn sweep_at_each_value_equals_a_plain_run_with_that_param() {
    let (_folder, cohort) = generated(30, 3);
    let (sweep, code) = studentsucces_json(&["sweep", "focus=1..4", &cohort, "--format", "json"]);
    assert_eq!(code, 0, "{sweep}");
    let tips: Vec<&str> = sweep["tips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tip| tip.as_str().unwrap())
        .collect();
    for row in sweep["rows"].as_array().unwrap() {
        let value = row["value"].as_f64().unwrap();
        let param = format!("focus={value}");
        let (jsonl, code) =
            studentsucces(&["advise", &cohort, "--param", &param, "--format", "jsonl"]);
        assert_eq!(code, 0);
        let mut counts = vec![0u64; tips.len()];
        let mut cycle_1 = 0u64;
        for line in jsonl.lines() {
            let advice: serde_json::Value = serde_json::from_str(line).unwrap();
            for tip in advice["tips"].as_array().unwrap() {
                let id = tip["id"].as_str().unwrap();
                counts[tips.iter().position(|t| *t == id).unwrap()] += 1;
                cycle_1 += u64::from(tip["cycle"] == 1);
            }
        }
        let swept: Vec<u64> = row["tips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|count| count.as_u64().unwrap())
            .collect();
        assert_eq!(swept, counts, "{param}");
        assert_eq!(row["cycle_1"].as_u64().unwrap(), cycle_1, "{param}");
    }
}

#[test]
fn explain_of_a_tip_outside_the_plan_names_its_neighbours_in_the_graph() {
    let text = explain("B-HBO-ICT", "toeleverend_veld.samenwerking_curriculum");
    assert!(
        text.ends_with(
            "\nPlan: niet in het plan\n  bouwt voort op: toeleverend_veld.structurele_samenwerking \
             (in het plan, cyclus 1)\n  hierop bouwen voort: geen\n"
        ),
        "{text}"
    );
    let (json, code) = studentsucces_json(&[
        "explain",
        "examples/programmes.json",
        "--programme",
        "B-SOCIAAL-WERK",
        "--tip",
        "toetsing.bke_examinatoren",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        json["graph"]["built_on_by"][0],
        serde_json::json!({"tip": "toetsing.ske_afgevaardigden", "cycle": 3})
    );
}
