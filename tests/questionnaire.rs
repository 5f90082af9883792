//! The blank questionnaire: what `questionnaire` writes (full and short, CSV, Excel,
//! Markdown), `advise` reads back without edits, comments included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, run_ok, stdout};

use std::path::Path;

use calamine::{Data, Reader};
use studentsucces::input::{open, ReadOptions, Record, COMMENT_SUFFIX};
use studentsucces::report::answer_choices;
use studentsucces::ruleset::{QuestionKind, RuleSet};

/// The header of the CSV form, full or short.
fn csv_header(short: bool) -> Vec<String> {
    let mut args = vec!["questionnaire", "--format", "csv"];
    if short {
        args.push("--short");
    }
    let header = run_ok(&args);
    header.trim_end().split(',').map(str::to_owned).collect()
}

/// A plausible filled-in answer for a question, in the form the form offers; `turn`
/// cycles through the offered answers, "weet niet" and "n.v.t." included.
fn filled_answer(ruleset: &RuleSet, id: &str, turn: usize) -> String {
    let question = ruleset
        .question(ruleset.question_index(id).unwrap())
        .unwrap();
    let choices = answer_choices(ruleset, question);
    match &question.kind {
        QuestionKind::Percent => "12,5".to_owned(),
        QuestionKind::Number {
            range: Some((low, _)),
        } => low.to_string(),
        QuestionKind::Number { range: None } => "7".to_owned(),
        _ => choices[turn % choices.len()].clone(),
    }
}

/// A comment for every third question, with the commas and quotes people write.
fn filled_comment(turn: usize) -> String {
    match turn % 3 {
        0 => format!("Zie \"jaarplan\", punt {turn}"),
        _ => String::new(),
    }
}

/// A filled-in row for a header: metadata, an answer per question, some comments.
fn filled_row(ruleset: &RuleSet, header: &[String]) -> Vec<String> {
    let metadata = [
        "B-TEST",
        "Testopleiding",
        "Hogeschool Test",
        "Techniek",
        "qa@example.org",
    ];
    (0..)
        .zip(header)
        .map(|(turn, column)| match metadata.get(turn) {
            Some(value) => (*value).to_owned(),
            None if column.ends_with(COMMENT_SUFFIX) => filled_comment(turn),
            None => filled_answer(ruleset, column, turn),
        })
        .collect()
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

/// The records of an input file read with the embedded Roadmap.
fn records(path: &Path) -> Vec<Record> {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    open(path, &ruleset, &ReadOptions::default())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The question ids of a header, without metadata and comment columns.
fn question_columns(header: &[String]) -> Vec<&str> {
    header[5..]
        .iter()
        .map(String::as_str)
        .filter(|column| !column.ends_with(COMMENT_SUFFIX))
        .collect()
}

/// The section of a question id as forms group it (`quickscan.x` belongs to `x`).
fn section_of(id: &str) -> &str {
    let (head, rest) = id.split_once('.').unwrap();
    if head == "quickscan" {
        rest
    } else {
        head
    }
}

#[test]
fn the_csv_form_filled_in_is_advised_without_edits() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let header = csv_header(false);
    assert_eq!(header.len(), 1 + 4 + 2 * ruleset.questions().len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filled.csv");
    let text = csv_line(&header) + &csv_line(&filled_row(&ruleset, &header));
    std::fs::write(&path, text).unwrap();
    let advice = &advise_json(&path)[0];
    assert_eq!(advice["programme"], "B-TEST");
    assert_eq!(advice["meta"]["institution"], "Hogeschool Test");
    assert!(!advice["tips"].as_array().unwrap().is_empty());
    let comments = &records(&path)[0].comments;
    assert!(comments.len() > 50, "{comments:?}");
    assert!(comments
        .values()
        .all(|text| text.starts_with("Zie \"jaarplan\"")));
}

#[test]
fn every_question_is_followed_by_its_comment_column() {
    for short in [false, true] {
        let header = csv_header(short);
        for pair in header[5..].chunks(2) {
            assert_eq!(pair[1], format!("{}#toelichting", pair[0]));
        }
    }
}

#[test]
fn the_quick_scan_question_opens_its_section_in_every_form() {
    let markdown = run_ok(&["questionnaire", "--format", "md"]);
    let header = csv_header(false);
    let columns = question_columns(&header);
    let mut seen_sections = Vec::new();
    for (position, id) in columns.iter().enumerate() {
        let section = section_of(id);
        let opens = position == 0 || section_of(columns[position - 1]) != section;
        if opens && section != "context" {
            assert_eq!(*id, format!("quickscan.{section}"));
            seen_sections.push(section);
        }
        // The Markdown form asks in the same order.
        assert!(markdown.contains(&format!("- `{id}`:")), "{id}");
    }
    assert_eq!(seen_sections.len(), 17);
    assert_eq!(
        &seen_sections[..4],
        [
            "student_centraal",
            "inclusieve_cultuur",
            "arbeidsmarkt_samenleving",
            "verwachtingen"
        ]
    );
    let order: Vec<usize> = columns
        .iter()
        .map(|id| markdown.find(&format!("- `{id}`:")).unwrap())
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]));
    // The workbook asks in the same order.
    assert_eq!(xlsx_header(false), header);
}

#[test]
fn the_short_form_asks_the_context_and_one_quick_scan_per_section() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let header = csv_header(true);
    let columns = question_columns(&header);
    assert_eq!(columns.len(), 26);
    assert!(columns[..9].iter().all(|id| id.starts_with("context.")));
    assert!(columns[9..].iter().all(|id| id.starts_with("quickscan.")));
    assert_eq!(columns[9], "quickscan.student_centraal");
    // Filled in, it is advised by the same rules, through the quick-scan answers.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kort.csv");
    let mut row = filled_row(&ruleset, &header);
    for (column, value) in header.iter().zip(row.iter_mut()) {
        if column.starts_with("quickscan.") && !column.ends_with(COMMENT_SUFFIX) {
            *value = "1 - In voorbereiding".to_owned();
        }
    }
    std::fs::write(&path, csv_line(&header) + &csv_line(&row)).unwrap();
    let advice = &advise_json(&path)[0];
    let tips = advice["tips"].as_array().unwrap();
    assert!(!tips.is_empty());
    for tip in tips {
        let pulled_in = tip.get("pulled_in_by").is_some();
        assert!(pulled_in || tip["confidence"] == "quick_scan", "{tip}");
    }
    let open = advice["to_establish"].as_array().unwrap();
    assert!(
        open.len() > 100,
        "the detailed scan tells the rest: {}",
        open.len()
    );
}

#[test]
fn the_short_markdown_and_workbook_forms_hold_the_same_questions() {
    let header = csv_header(true);
    let columns = question_columns(&header);
    let markdown = run_ok(&["questionnaire", "--format", "md", "--short"]);
    assert!(markdown.starts_with("# Zelfevaluatie (korte versie)"));
    assert_eq!(markdown.matches("\n- `").count(), columns.len());
    assert_eq!(markdown.matches("\n## ").count(), 1 + 17);
    insta::assert_snapshot!("short_form_md", markdown);
    assert_eq!(xlsx_header(true), header);
}

/// The header row of the workbook form's first sheet, full or short.
fn xlsx_header(short: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("vragenlijst.xlsx");
    let mut args = vec!["questionnaire", "--format", "xlsx"];
    args.extend(["--out", form.to_str().unwrap()]);
    if short {
        args.push("--short");
    }
    run_ok(&args);
    let mut workbook = calamine::open_workbook_auto(&form).unwrap();
    let sheet = workbook.worksheet_range("Invullen").unwrap();
    let header = sheet.rows().next().unwrap().iter().map(cell_text).collect();
    header
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[test]
fn the_xlsx_form_blank_and_filled_in_is_read_back() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let dir = tempfile::tempdir().unwrap();
    for short in [false, true] {
        let blank = dir.path().join(format!("blank-{short}.xlsx"));
        let mut args = vec!["questionnaire", "--format", "xlsx"];
        args.extend(["--out", blank.to_str().unwrap()]);
        if short {
            args.push("--short");
        }
        run_ok(&args);
        // The blank form has every column advise expects and no programme yet.
        let output = run(&["advise", blank.to_str().unwrap(), "--format", "jsonl"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(stdout(&output), "");
    }

    let header = csv_header(false);
    let row = filled_row(&ruleset, &header);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, (id, value)) in (0u16..).zip(header.iter().zip(&row)) {
        sheet.write_string(0, column, id).unwrap();
        if column == 0 || column >= 5 {
            sheet.write_string(1, column, value).unwrap();
        }
    }
    let filled = dir.path().join("filled.xlsx");
    workbook.save(&filled).unwrap();
    let from_xlsx = advise_json(&filled);

    let csv = dir.path().join("filled.csv");
    let mut csv_row = row.clone();
    for value in &mut csv_row[1..5] {
        value.clear();
    }
    std::fs::write(&csv, csv_line(&header) + &csv_line(&csv_row)).unwrap();
    assert_eq!(from_xlsx["tips"], advise_json(&csv)["tips"]);
    assert_eq!(records(&filled)[0].comments, records(&csv)[0].comments);
}

#[test]
fn scale_answers_are_offered_as_level_and_label() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let index = ruleset.question_index("toetsing.frequentie").unwrap();
    let question = ruleset.question(index).unwrap();
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
fn every_level_of_the_maturity_scale_has_a_description() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let scale = ruleset
        .scales()
        .iter()
        .find(|scale| scale.id == "maturity")
        .unwrap();
    for level in scale.low..=scale.high {
        let description = scale.description(level).unwrap();
        assert!(description.ends_with('.'), "{description}");
    }
    assert_eq!(
        scale.description(0),
        Some("Er is in de opleiding (nog) niets van zichtbaar.")
    );
    assert_eq!(scale.description(5), None);
}

#[test]
fn the_legend_shows_each_level_with_its_description() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let scale = &ruleset.scales()[0];
    let markdown = run_ok(&["questionnaire", "--format", "md"]);
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("vragenlijst.xlsx");
    run_ok(&[
        "questionnaire",
        "--format",
        "xlsx",
        "--out",
        form.to_str().unwrap(),
    ]);
    let mut workbook = calamine::open_workbook_auto(&form).unwrap();
    assert_eq!(workbook.sheet_names(), ["Invullen", "Schaal", "Vragen"]);
    let legend = workbook.worksheet_range("Schaal").unwrap();
    let rows: Vec<Vec<String>> = legend
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    for level in scale.low..=scale.high {
        let label = format!("{level} - {}", scale.label(level).unwrap());
        let description = scale.description(level).unwrap();
        assert!(
            markdown.contains(&format!("| {label} | {description} |")),
            "{label}"
        );
        assert!(rows.contains(&vec![scale.id.clone(), label, description.to_owned()]));
    }
}

#[test]
fn the_markdown_form_lists_every_question_under_its_section() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let markdown = stdout(&run(&["questionnaire", "--format", "md"]));
    for question in ruleset.questions() {
        assert!(
            markdown.contains(&format!("`{}`", question.id)),
            "{} missing",
            question.id
        );
        assert!(
            markdown.contains(&format!(
                "  - toelichting (`{}#toelichting`): ___",
                question.id
            )),
            "{} has no comment line",
            question.id
        );
    }
    assert!(markdown.contains("## Factor 6 Toetsing"));
    assert_eq!(markdown.matches("\n## ").count(), 1 + 17);
}
