//! The `studentsucces` binary: exit codes, diagnostics on stderr, output on stdout.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, stderr, stdout};

#[test]
fn check_accepts_the_embedded_roadmap() {
    let output = run(&["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("143 tips"));
}

#[test]
fn check_reports_diagnostics_on_stderr_and_exits_1() {
    let output = run(&[
        "check",
        "--rules",
        "tests/data/diagnostics/five_mistakes.rules",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("five_mistakes.rules:18:36"), "{err}");
    assert!(err.contains("the rules have 5 error(s)"), "{err}");
    assert!(err.contains("check --explain CODE"), "{err}");
}

#[test]
fn check_explain_prints_the_entry_of_a_code_with_or_without_prefix() {
    for code in ["unknown", "studentsucces::unknown"] {
        let output = run(&["check", "--explain", code]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(text.starts_with("# `unknown`"), "{text}");
        assert!(
            text.contains("## Example") && text.contains("## Fix"),
            "{text}"
        );
    }
}

#[test]
fn check_explain_of_an_unknown_code_suggests_one_and_exits_2() {
    let output = run(&["check", "--explain", "unknwn"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("did you mean `unknown`?"), "{err}");
    assert!(err.contains("out_of_range"), "{err}");
}

#[test]
fn test_runs_the_rule_tests() {
    let output = run(&["test", "--rules", "tests/data/small.rules"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "4 tests, 4 passed, 0 failed\n");
}

#[test]
fn a_failing_rule_test_exits_1_and_says_where() {
    let output = run(&[
        "test",
        "--rules",
        "tests/data/small.rules",
        "--param",
        "in_place=1",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("FAIL lage toetsfrequentie (tests/data/small.rules:"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn advise_prints_json_advice_for_the_bundled_examples() {
    let output = run(&["advise", "examples/programmes.json", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let advices: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(advices.as_array().unwrap().len(), 5);
    assert_eq!(advices[0]["schema_version"], 3);
    assert_eq!(advices[0]["ruleset"]["name"], "Roadmap to studentsucces");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["advise"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn unknown_param_override_is_a_diagnostic() {
    let output = run(&["check", "--param", "drempel_mb=30"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("did you mean `drempel_mbo`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn advise_text_is_short_by_default_and_complete_with_detail() {
    let short = run(&["advise", "examples/programmes.csv"]);
    let short = stdout(&short);
    assert!(short.contains("Deze cyclus (3 tips)"), "{short}");
    assert!(short.contains("Volgende cyclus"), "{short}");
    assert!(!short.contains("Niet van toepassing\n"), "{short}");
    let detail = run(&["advise", "examples/programmes.csv", "--detail"]);
    let detail = stdout(&detail);
    assert!(detail.contains("\nLater ("), "{detail}");
    assert!(detail.contains("\nNiet van toepassing\n"), "{detail}");
    assert!(detail.contains("masteropleiding"), "{detail}");
    assert!(
        detail.contains("\nBetrokkenen (trekker van / betrokken bij)"),
        "{detail}"
    );
    assert!(detail.len() > 2 * short.len());
}
