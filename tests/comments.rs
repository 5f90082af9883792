//! Comments and evidence per question: the `<question id>#toelichting` columns of CSV
//! files and workbooks and the `comments` object of JSON assessments, read into the
//! records; empty comments dropped, comments on unknown questions refused like unknown
//! answer columns unless `--ignore-unknown-columns`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, stderr};

use std::collections::BTreeMap;
use std::path::Path;

use studentsucces::input::{open, Assessment, ReadError, ReadOptions, Record};
use studentsucces::ruleset::RuleSet;

const RULES: &str = "tests/data/batch/batch.rules";

fn rules() -> RuleSet {
    RuleSet::from_path(Path::new(RULES), &studentsucces::Options::default())
        .unwrap()
        .into_ruleset()
}

fn read(name: &str, options: &ReadOptions) -> Vec<Record> {
    let path = Path::new("tests/data/batch").join(name);
    open(&path, &rules(), options)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn comments(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(id, text)| ((*id).to_owned(), (*text).to_owned()))
        .collect()
}

#[test]
fn csv_comment_columns_are_read_and_empty_ones_dropped() {
    let ruleset = rules();
    let records = read("comments.csv", &ReadOptions::default());
    assert_eq!(
        records[0].comments,
        comments(&[("toetsing.frequentie", "Toetsrooster 2024-2025, blok 1 en 2")])
    );
    assert_eq!(
        records[1].comments,
        comments(&[
            (
                "context.internationaal",
                "Cijfer van de centrale\r\nstudentenadministratie"
            ),
            ("visie.duidelijk", "Visiedocument 2023"),
        ])
    );
    // A comment is no answer: the answers read as they did without the columns.
    for record in &records {
        let answers = record.answers(&ruleset).unwrap();
        assert_eq!(answers.answered_count(), 2);
    }
}

#[test]
fn a_windows_1252_csv_comment_is_decoded() {
    let records = read("windows1252_comments.csv", &ReadOptions::default());
    assert_eq!(records[0].meta["name"], "Économie");
    assert_eq!(
        records[0].comments,
        comments(&[(
            "toetsing.frequentie",
            "Zie notulen opleidingscommissie: ‘coördinatie’ via café-overleg, budget € 500"
        )])
    );
}

#[test]
fn a_comment_column_on_an_unknown_question_stops_the_file_unless_ignored() {
    let path = Path::new("tests/data/batch/unknown_comment.csv");
    let error = open(path, &rules(), &ReadOptions::default()).unwrap_err();
    let ReadError::Header { row, problems, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(*row, 1);
    assert_eq!(
        problems,
        &["unknown column `toetsing.frequenti#toelichting` in column 3 (C): a comment on `toetsing.frequenti`, which is not a question of this rule set; did you mean `toetsing.frequentie#toelichting`?"]
    );
    let options = ReadOptions {
        ignore_unknown_columns: true,
        ..ReadOptions::default()
    };
    let records = read("unknown_comment.csv", &options);
    assert!(records[0].comments.is_empty());
    assert!(records[0].answers(&rules()).is_ok());
}

#[test]
fn the_cli_reports_an_unknown_comment_column_with_row_and_column() {
    let input = "tests/data/batch/unknown_comment.csv";
    let output = run(&["advise", input, "--rules", RULES, "--format", "jsonl"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("unknown_comment.csv` row 1 (the header)"),
        "{err}"
    );
    assert!(
        err.contains("unknown column `toetsing.frequenti#toelichting` in column 3 (C)"),
        "{err}"
    );
    let ignored = run(&[
        "advise",
        input,
        "--rules",
        RULES,
        "--format",
        "jsonl",
        "--ignore-unknown-columns",
    ]);
    assert_eq!(ignored.status.code(), Some(0), "{}", stderr(&ignored));
}

#[test]
fn json_comments_are_read_trimmed_and_checked_with_the_answers() {
    let ruleset = rules();
    let records = read("comments.jsonl", &ReadOptions::default());
    assert_eq!(
        records[0].comments,
        comments(&[("toetsing.frequentie", "Toetsrooster 2024-2025")])
    );
    assert!(records[0].answers(&ruleset).is_ok());
    let errors = records[1].answers(&ruleset).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].column.as_deref(),
        Some("toetsing.frequenti#toelichting")
    );
    assert_eq!(errors[0].value.as_deref(), Some("Rooster"));
    assert!(
        errors[0]
            .message
            .contains("did you mean `toetsing.frequentie`?"),
        "{}",
        errors[0].message
    );
    // A comment that is not text makes the line no assessment.
    let errors = records[2].answers(&ruleset).unwrap_err();
    assert!(errors[0].message.contains("must be text"), "{errors:?}");
}

#[test]
fn a_json_array_carries_comments_too() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("programmes.json");
    let text = r#"[{"programme": "A", "comments": {"toetsing.frequentie": "Rooster"}},
                   {"programme": "B", "comments": {"onbekend.vraag": "x"}}]"#;
    std::fs::write(&path, text).unwrap();
    let options = ReadOptions {
        ignore_unknown_columns: true,
        ..ReadOptions::default()
    };
    let records: Vec<Record> = open(&path, &rules(), &options)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        records[0].comments,
        comments(&[("toetsing.frequentie", "Rooster")])
    );
    assert!(records[1].comments.is_empty());
}

#[test]
fn json_comments_on_unknown_questions_are_dropped_when_ignored() {
    let options = ReadOptions {
        ignore_unknown_columns: true,
        ..ReadOptions::default()
    };
    let records = read("comments.jsonl", &options);
    assert!(records[1].comments.is_empty());
    assert!(records[1].answers(&rules()).is_ok());
}

#[test]
fn an_assessment_with_a_comment_on_an_unknown_question_is_refused() {
    let ruleset = rules();
    let assessment: Assessment = serde_json::from_str(
        r#"{"programme": "P", "answers": {"toetsing.frequentie": 1},
            "comments": {"toetsing.frequentie": "Rooster", "visie.duideljik": "Notulen"}}"#,
    )
    .unwrap();
    let error = ruleset.answers(&assessment).unwrap_err();
    assert_eq!(error.errors[0].column, "visie.duideljik#toelichting");
    // The comments travel with the assessment and back out again.
    let json = serde_json::to_value(&assessment).unwrap();
    assert_eq!(json["comments"]["toetsing.frequentie"], "Rooster");
    let without: Assessment =
        serde_json::from_str(r#"{"programme": "P", "comments": {"visie.duidelijk": " "}}"#)
            .unwrap();
    assert!(without.comments.is_empty());
    assert!(serde_json::to_value(&without)
        .unwrap()
        .get("comments")
        .is_none());
}

#[test]
fn a_workbook_comment_column_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("comments.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "programme",
        "toetsing.frequentie",
        "toetsing.frequentie#toelichting",
        "context.nse#toelichting",
    ];
    for (column, name) in (0u16..).zip(header) {
        sheet.write_string(0, column, name).unwrap();
    }
    sheet.write_string(1, 0, "B-EEN").unwrap();
    sheet.write_number(1, 1, 3).unwrap();
    sheet.write_string(1, 2, "Toetsplan, zie bijlage").unwrap();
    sheet.write_number(1, 3, 4.2).unwrap();
    sheet.write_string(2, 0, "B-TWEE").unwrap();
    sheet.write_string(2, 2, "   ").unwrap();
    workbook.save(&path).unwrap();
    let records: Vec<Record> = open(&path, &rules(), &ReadOptions::default())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        records[0].comments,
        comments(&[
            ("context.nse", "4.2"),
            ("toetsing.frequentie", "Toetsplan, zie bijlage")
        ])
    );
    assert!(records[1].comments.is_empty());
}

#[test]
fn comments_reach_the_advice_from_a_table_and_from_the_library() {
    let output = run(&[
        "advise",
        "tests/data/batch/comments.csv",
        "--rules",
        RULES,
        "--format",
        "jsonl",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first: serde_json::Value =
        serde_json::from_slice(output.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(
        first["comments"]["toetsing.frequentie"],
        "Toetsrooster 2024-2025, blok 1 en 2"
    );
    let assessment: Assessment = serde_json::from_str(
        r#"{"programme": "P", "answers": {"toetsing.frequentie": 1},
            "comments": {"toetsing.frequentie": "Zie toetsplan"}}"#,
    )
    .unwrap();
    let ruleset = rules();
    let advice = ruleset.advise(&assessment).unwrap();
    assert_eq!(
        advice.comments,
        comments(&[("toetsing.frequentie", "Zie toetsplan")])
    );
}
