//! The blank questionnaire: what `questionnaire` writes, `advise` reads back without edits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, stdout};

use std::path::Path;

use studentsucces::report::answer_choices;
use studentsucces::ruleset::{QuestionKind, RuleSet};

/// A plausible filled-in answer for every question, in the form the form offers.
fn filled_answer(ruleset: &RuleSet, index: usize) -> String {
    let question = &ruleset.questions()[index];
    let choices = answer_choices(ruleset, question);
    match &question.kind {
        QuestionKind::Percent => "12,5".to_owned(),
        QuestionKind::Number {
            range: Some((low, _)),
        } => low.to_string(),
        QuestionKind::Number { range: None } => "7".to_owned(),
        // Cycle through the offered answers, "weet niet" and "n.v.t." included.
        _ => choices[index % choices.len()].clone(),
    }
}

/// One CSV line, quoted where needed (as Excel writes "12,5").
fn csv_line(fields: &[String]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(fields).unwrap();
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// The advice as JSON for `path`, after checking the command succeeded.
fn advise_json(path: &Path) -> serde_json::Value {
    let output = run(&["advise", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_csv_form_filled_in_is_advised_without_edits() {
    let ruleset = RuleSet::roadmap().unwrap();
    let header = stdout(&run(&["questionnaire", "--format", "csv"]));
    let columns = header.trim_end().split(',').count();
    assert_eq!(columns, 1 + 4 + ruleset.questions().len());
    let answers: Vec<String> = (0..ruleset.questions().len())
        .map(|i| filled_answer(&ruleset, i))
        .collect();
    let metadata = [
        "B-TEST",
        "Testopleiding",
        "Hogeschool Test",
        "Techniek",
        "qa@example.org",
    ];
    let fields: Vec<String> = metadata
        .iter()
        .map(|m| m.to_string())
        .chain(answers)
        .collect();
    let row = csv_line(&fields);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filled.csv");
    std::fs::write(&path, header + &row).unwrap();
    let advice = &advise_json(&path)[0];
    assert_eq!(advice["programme"], "B-TEST");
    assert_eq!(advice["meta"]["institution"], "Hogeschool Test");
    assert!(!advice["tips"].as_array().unwrap().is_empty());
}

#[test]
fn the_xlsx_form_blank_and_filled_in_is_read_back() {
    let ruleset = RuleSet::roadmap().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.xlsx");
    let output = run(&[
        "questionnaire",
        "--format",
        "xlsx",
        "--out",
        blank.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    // The blank form has every column advise expects and no programme yet.
    let output = run(&["advise", blank.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout(&output), "");

    let header = stdout(&run(&["questionnaire", "--format", "csv"]));
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, id) in (0u16..).zip(header.trim_end().split(',')) {
        sheet.write_string(0, column, id).unwrap();
    }
    sheet.write_string(1, 0, "B-TEST").unwrap();
    for index in 0..ruleset.questions().len() {
        let column = u16::try_from(5 + index).unwrap();
        sheet
            .write_string(1, column, filled_answer(&ruleset, index))
            .unwrap();
    }
    let filled = dir.path().join("filled.xlsx");
    workbook.save(&filled).unwrap();
    let from_xlsx = advise_json(&filled);

    let csv = dir.path().join("filled.csv");
    let answers: Vec<String> = (0..ruleset.questions().len())
        .map(|i| filled_answer(&ruleset, i))
        .collect();
    let metadata = ["B-TEST", "", "", "", ""].map(String::from);
    let fields: Vec<String> = metadata.into_iter().chain(answers).collect();
    std::fs::write(&csv, header + &csv_line(&fields)).unwrap();
    assert_eq!(from_xlsx["tips"], advise_json(&csv)["tips"]);
}

#[test]
fn scale_answers_are_offered_as_level_and_label() {
    let ruleset = RuleSet::roadmap().unwrap();
    let question =
        &ruleset.questions()[ruleset.question_index("toetsing.frequentie").unwrap() as usize];
    assert_eq!(
        answer_choices(&ruleset, question),
        [
            "0 - Niet aanwezig",
            "1 - In voorbereiding",
            "2 - Gedeeltelijk ingevoerd",
            "3 - Ingevoerd",
            "4 - Ingevoerd en geborgd",
            "weet niet",
            "n.v.t."
        ]
    );
}

#[test]
fn the_markdown_form_lists_every_question_under_its_section() {
    let ruleset = RuleSet::roadmap().unwrap();
    let markdown = stdout(&run(&["questionnaire", "--format", "md"]));
    for question in ruleset.questions() {
        assert!(
            markdown.contains(&format!("`{}`", question.id)),
            "{} missing",
            question.id
        );
    }
    assert!(markdown.contains("## Factor 6 Toetsing"));
    assert_eq!(markdown.matches("\n## ").count(), 1 + 17);
}
