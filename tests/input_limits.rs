//! Hostile input files, built here in a temporary folder, run through the real binary:
//! each limit of `studentsucces::input::limits` just below and just above, and the
//! reported failures each as a regression test named after what it guards.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run as studentsucces, stderr, stdout};

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;
use studentsucces::input::limits::{
    MAX_CELL_BYTES, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_ROW_BYTES, MAX_SUGGESTED_NAME_BYTES,
};

const RULES: &str = "tests/data/batch/batch.rules";

/// A header and a good row of the batch rules, for files that need one.
const HEADER: &str = "programme,centraal.partner,context.niveau";
const GOOD_ROW: &str = "P-GOED,2,bachelor";

/// Writes `bytes` as `name` in a fresh temporary folder.
fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (folder, path)
}

/// `advise PATH --rules batch.rules --format jsonl`.
fn advise(path: &Path, args: &[&str]) -> Output {
    let mut all = vec!["advise", path.to_str().unwrap(), "--rules", RULES];
    all.extend(["--format", "jsonl", "--compact"]);
    all.extend(args);
    studentsucces(&all)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The programme ids that were advised.
fn advised(output: &Output) -> Vec<String> {
    lines(output)
        .iter()
        .filter(|line| line.get("error").is_none())
        .map(|line| line["programme"].as_str().unwrap().to_owned())
        .collect()
}

/// The error objects of the failed programmes.
fn errors(output: &Output) -> Vec<Value> {
    lines(output)
        .iter()
        .filter_map(|line| line.get("error").cloned())
        .collect()
}

fn csv(rows: &[String]) -> Vec<u8> {
    let mut text = rows.join("\n");
    text.push('\n');
    text.into_bytes()
}

// Size of a cell.

/// A row whose `centraal.partner` comment cell holds `bytes` bytes of text.
fn row_with_comment(id: &str, bytes: usize) -> String {
    format!("{id},2,bachelor,\"{}\"", "x".repeat(bytes))
}

fn commented_csv(bytes: usize) -> Vec<u8> {
    csv(&[
        format!("{HEADER},centraal.partner#toelichting"),
        row_with_comment("P-LANG", bytes),
        format!("{GOOD_ROW},"),
    ])
}

#[test]
fn a_csv_cell_at_the_cell_limit_is_read() {
    let (_folder, path) = file("cell.csv", &commented_csv(MAX_CELL_BYTES));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-LANG", "P-GOED"]);
}

#[test]
fn a_csv_cell_past_the_cell_limit_fails_its_programme_only() {
    let (_folder, path) = file("cell.csv", &commented_csv(MAX_CELL_BYTES + 1));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
    let error = &errors(&output)[0];
    assert_eq!(error["column"], "`centraal.partner#toelichting`");
    assert!(
        error["value"].as_str().unwrap().ends_with("… (64 KB)"),
        "{error}"
    );
    assert!(stderr(&output).contains("row 2, programme `P-LANG`"));
    assert!(stderr(&output).contains("longer than the 64 KB a cell may have"));
}

#[test]
fn a_huge_csv_cell_is_neither_held_nor_copied_into_messages() {
    // The reported case had 200 MB; 12 MB shows the same in a test's time.
    let big = 12 << 20;
    let (_folder, path) = file("huge.csv", &commented_csv(big));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
    assert!(stderr(&output).len() < 2_000, "{}", stderr(&output));
    assert!(stdout(&output).len() < 10_000);
    assert!(
        stderr(&output).contains("`xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…` (12 MB)"),
        "{}",
        stderr(&output)
    );
}

// Size of a row.

/// A row of comments of the given sizes, for the row limit.
fn wide_row_csv(sizes: &[usize]) -> Vec<u8> {
    let questions = ["centraal.partner", "visie.duidelijk", "toetsing.frequentie"];
    let header: Vec<String> = questions[..sizes.len()]
        .iter()
        .map(|q| format!("{q}#toelichting"))
        .collect();
    let row: Vec<String> = sizes.iter().map(|&size| "y".repeat(size)).collect();
    let empty = vec![String::new(); sizes.len()];
    csv(&[
        format!("programme,{}", header.join(",")),
        format!("P-BREED,{}", row.join(",")),
        format!("P-GOED,{}", empty.join(",")),
    ])
}

/// The row limit counts the bytes of the fields: "P-BREED" and two comments.
fn row_of(bytes: usize) -> Vec<u8> {
    let rest = bytes - "P-BREED".len();
    wide_row_csv(&[rest / 2, rest - rest / 2])
}

#[test]
fn a_csv_row_at_the_row_limit_is_read() {
    let (_folder, path) = file("row.csv", &row_of(MAX_ROW_BYTES));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-BREED", "P-GOED"]);
}

#[test]
fn a_csv_row_past_the_row_limit_fails_its_programme_only() {
    let (_folder, path) = file("row.csv", &row_of(MAX_ROW_BYTES + 1));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
    let error = &errors(&output)[0];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("more than the 128 KB a row may have"),
        "{error}"
    );
    assert_eq!(lines(&output)[0]["programme"], "P-BREED");
}

// Size of the header.

fn header_csv(bytes: usize) -> Vec<u8> {
    // `programme` and a column name that fill the header's fields to `bytes`.
    let name = "h".repeat(bytes - "programme".len());
    csv(&[format!("programme,{name}"), "P1,".to_owned()])
}

#[test]
fn a_csv_header_at_the_header_limit_is_read() {
    let (_folder, path) = file("header.csv", &header_csv(MAX_HEADER_BYTES));
    let output = advise(&path, &["--ignore-unknown-columns"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn a_csv_header_past_the_header_limit_fails_the_file() {
    let (_folder, path) = file("header.csv", &header_csv(MAX_HEADER_BYTES + 1));
    let output = advise(&path, &["--ignore-unknown-columns"]);
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("header.csv` row 1: the header row is 256 KB"),
        "{message}"
    );
    assert!(message.contains("in column 2 (B)"), "{message}");
    assert!(message.len() < 1_000, "{message}");
}

// Columns.

fn columns_csv(count: usize) -> Vec<u8> {
    let mut header = vec!["programme".to_owned()];
    header.extend((1..count).map(|n| format!("extra{n}")));
    let row = format!("P1{}", ",".repeat(count - 1));
    csv(&[header.join(","), row])
}

#[test]
fn a_csv_header_at_the_column_limit_is_read() {
    let (_folder, path) = file("columns.csv", &columns_csv(MAX_COLUMNS));
    let output = advise(&path, &["--ignore-unknown-columns"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn a_csv_header_past_the_column_limit_fails_the_file() {
    let (_folder, path) = file("columns.csv", &columns_csv(MAX_COLUMNS + 1));
    let output = advise(&path, &["--ignore-unknown-columns"]);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("the header has 2049 columns; at most 2048"));
}

#[test]
fn thousands_of_unknown_columns_are_reported_quickly_and_briefly() {
    let (_folder, path) = file("columns.csv", &columns_csv(MAX_COLUMNS));
    let started = Instant::now();
    let output = advise(&path, &[]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(message.contains("and 2027 more problems"), "{message}");
    assert!(message.len() < 4_000, "{message}");
}

// "Did you mean" on long names.

#[test]
fn a_long_unknown_header_name_is_reported_without_an_edit_distance_search() {
    let name = "toetsing.frequentie".repeat(10_000);
    let (_folder, path) = file(
        "long.csv",
        &csv(&[format!("programme,{name}"), "P1,1".into()]),
    );
    let started = Instant::now();
    let output = advise(&path, &[]);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("unknown column `toetsing.frequentietoetsing"),
        "{message}"
    );
    assert!(message.contains("…` (186 KB)"), "{message}");
    assert!(!message.contains("did you mean"), "{message}");
}

#[test]
fn an_unknown_header_name_within_the_suggestion_limit_gets_a_suggestion() {
    let name = "toetsing.frekwentie";
    assert!(name.len() <= MAX_SUGGESTED_NAME_BYTES);
    let (_folder, path) = file(
        "typo.csv",
        &csv(&[format!("programme,{name}"), "P1,1".into()]),
    );
    let output = advise(&path, &[]);
    assert!(stderr(&output).contains("did you mean `toetsing.frequentie`?"));
}

// NUL bytes.

#[test]
fn a_nul_byte_past_the_first_64_kib_of_a_csv_file_is_refused_with_row_and_column() {
    let mut rows = vec![HEADER.to_owned()];
    rows.extend((0..5_000).map(|n| format!("P{n},2,bachelor")));
    rows.push("P-NUL,2,bach\0elor".to_owned());
    let (_folder, path) = file("nul.csv", &csv(&rows));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("nul.csv` row 5002: column `context.niveau` holds a NUL byte"),
        "{message}"
    );
    assert!(!stdout(&output).contains('\0'));
}

// Encodings.

#[test]
fn a_csv_file_mixing_utf8_and_windows_1252_is_refused_at_the_row_where_it_changes() {
    let mut bytes =
        format!("{HEADER},name\nP1,2,bachelor,Oriëntatie\nP2,2,bachelor,x\n").into_bytes();
    bytes.extend(b"P3,2,bachelor,Ori\xEBntatie\n");
    let (_folder, path) = file("mixed.csv", &bytes);
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("mixed.csv` row 4: the row is Windows-1252, while row 2 and the rows after it are UTF-8"),
        "{message}"
    );
}

#[test]
fn a_windows_1252_csv_file_with_a_utf8_row_is_refused_rather_than_garbled() {
    let mut bytes = format!("{HEADER},name\n").into_bytes();
    bytes.extend(b"P1,2,bachelor,Ori\xEBntatie\n");
    bytes.extend("P2,2,bachelor,Oriëntatie\n".as_bytes());
    let (_folder, path) = file("mixed.csv", &bytes);
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    assert!(!stdout(&output).contains("OriÃ«ntatie"));
    assert!(stderr(&output).contains("row 3: the row is UTF-8, while row 2"));
}

#[test]
fn a_windows_1252_csv_file_whose_first_64_kib_are_ascii_is_decoded() {
    let mut rows = vec![format!("{HEADER},name")];
    rows.extend((0..5_000).map(|n| format!("P{n},2,bachelor,x")));
    let mut bytes = csv(&rows);
    bytes.extend(b"P-LAAT,2,bachelor,Ori\xEBntatie\n");
    let (_folder, path) = file("late.csv", &bytes);
    let output = studentsucces(&["advise", path.to_str().unwrap(), "--rules", RULES]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Oriëntatie"),
        "{}",
        stdout(&output)
    );
}

// Numbers.

#[test]
fn an_answer_of_minus_zero_is_zero() {
    let rows = [
        "programme,context.internationaal,centraal.partner".to_owned(),
        "P1,-0,-0".to_owned(),
        "P2,\"-0,0\",-0.0".to_owned(),
    ];
    let (_folder, path) = file("zero.csv", &csv(&rows));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let full = studentsucces(&[
        "advise",
        path.to_str().unwrap(),
        "--rules",
        RULES,
        "--format",
        "jsonl",
    ]);
    assert!(stdout(&full).contains("\"answers\":{\"centraal.partner\":0"));
    assert!(!stdout(&full).contains("-0"), "{}", stdout(&full));
}

// JSON and JSON Lines.

fn assessment(id: &str) -> String {
    format!(r#"{{"programme": "{id}", "answers": {{"centraal.partner": 2}}}}"#)
}

#[test]
fn json_lines_saved_as_json_are_streamed_and_numbered_by_line() {
    let text = format!(
        "{}\n{{\"programme\": \"P2\", \n\n{}\n",
        assessment("P1"),
        assessment("P3")
    );
    let (_folder, path) = file("lines.json", text.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P1", "P3"]);
    assert_eq!(lines(&output)[1]["row"], 2);
    assert!(stderr(&output)
        .contains("lines.json` row 2: the line is not valid JSON: column 19: EOF while parsing"));
}

#[test]
fn pretty_printed_assessments_one_after_another_are_still_read() {
    let pretty = |id: &str| {
        let value: Value = serde_json::from_str(&assessment(id)).unwrap();
        serde_json::to_string_pretty(&value).unwrap()
    };
    let text = format!("{}\n{}\n", pretty("P1"), pretty("P2"));
    let (_folder, path) = file("pretty.json", text.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P1", "P2"]);
}

#[test]
fn a_single_assessment_in_a_json_file_is_still_one_object() {
    let (_folder, path) = file("one.json", assessment("P1").as_bytes());
    let output = studentsucces(&[
        "advise",
        path.to_str().unwrap(),
        "--rules",
        RULES,
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).trim_start().starts_with('{'));
}

#[test]
fn a_duplicate_json_key_fails_its_assessment_naming_the_key_and_line() {
    let text = [
        r#"{"programme": "D1", "programme": "D1b", "answers": {}}"#,
        r#"{"programme": "D2", "answers": {"centraal.partner": 1, "centraal.partner": 4}}"#,
        r#"{"programme": "D3", "meta": {"name": "a", "name": "b"}}"#,
        r#"{"programme": "D4", "comments": {"centraal.partner": "a", "centraal.partner": "b"}}"#,
        &assessment("P-GOED"),
    ]
    .join("\n");
    for name in ["dup.jsonl", "dup.json"] {
        let (_folder, path) = file(name, text.as_bytes());
        let output = advise(&path, &[]);
        assert_eq!(code(&output), 3, "{}", stderr(&output));
        assert_eq!(advised(&output), ["P-GOED"]);
        let message = stderr(&output);
        for (line, key) in [
            (1, "programme"),
            (2, "centraal.partner"),
            (3, "name"),
            (4, "centraal.partner"),
        ] {
            assert!(
                message.contains(&format!("row {line}, programme `D{line}`"))
                    && message.contains(&format!("the key `{key}` appears twice")),
                "{message}"
            );
        }
    }
    let array = format!(
        "[{}, {}]",
        r#"{"programme": "D1", "answers": {"q": 1, "q": 2}}"#,
        assessment("P-GOED")
    );
    let (_folder, path) = file("dup.json", array.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(advised(&output), ["P-GOED"]);
    assert!(stderr(&output).contains("the key `q` appears twice in `answers`"));
}

#[test]
fn a_json_value_of_the_wrong_shape_is_described_without_internals() {
    let (_folder, path) = file(
        "shape.json",
        format!("[\"B-HBO-ICT\", {}]", assessment("P1")).as_bytes(),
    );
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3);
    let message = stderr(&output);
    assert!(
        message.contains("row 1: expected an assessment object {\"programme\": ..., \"answers\": {...}}, found a string"),
        "{message}"
    );
    assert!(!message.contains("struct"), "{message}");
    let (_folder, path) = file(
        "broken.json",
        b"[{\"programme\": \"P1\",\n  \"answers\": {1: 2}}]",
    );
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("broken.json` line 2 column 15: key must be a string"),
        "{message}"
    );
}

#[test]
fn a_nul_byte_past_the_first_64_kib_of_json_is_refused_with_line_and_column() {
    let mut lines_text: Vec<String> = (0..2_000).map(|n| assessment(&format!("P{n}"))).collect();
    lines_text.push(r#"{"programme": "X", "answers": {}}"#.replace("\"X\"", "\"X\0\""));
    let text = lines_text.join("\n");
    for name in ["nul.jsonl", "nul.json"] {
        let (_folder, path) = file(name, text.as_bytes());
        let output = advise(&path, &[]);
        assert_eq!(code(&output), 1, "{name}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("{name}` line 2001 column 17: a NUL byte")),
            "{message}"
        );
        assert!(!stdout(&output).contains('\0'));
    }
    let array = format!("[\n{}\n]", lines_text.join(",\n"));
    let (_folder, path) = file("nul-array.json", array.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("line 2002 column 17: a NUL byte"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_escaped_nul_character_in_json_fails_its_assessment() {
    let text = format!(
        "{}\n{}",
        r#"{"programme": "N1", "answers": {"context.niveau": "bach\u0000elor"}}"#,
        assessment("P-GOED")
    );
    let (_folder, path) = file("escaped.jsonl", text.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3);
    assert_eq!(advised(&output), ["P-GOED"]);
    assert!(stderr(&output).contains("holds a NUL character"));
    assert!(!stdout(&output).contains("\\u0000"));
}

/// A JSON Lines line of exactly `bytes` bytes: an assessment padded by a comment.
fn line_of(bytes: usize) -> String {
    let bare = r#"{"programme": "P-LANG", "comments": {"centraal.partner": ""}}"#;
    let padding = "c".repeat(bytes - bare.len());
    bare.replace(r#": ""}"#, &format!(r#": "{padding}"}}"#))
}

#[test]
fn a_json_line_at_the_line_limit_is_read() {
    let line = line_of(MAX_ROW_BYTES);
    assert_eq!(line.len(), MAX_ROW_BYTES);
    let text = format!("{line}\n{}\n", assessment("P-GOED"));
    let (_folder, path) = file("long.jsonl", text.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-LANG", "P-GOED"]);
}

#[test]
fn a_json_line_past_the_line_limit_fails_its_line_only() {
    let text = format!("{}\n{}\n", line_of(MAX_ROW_BYTES + 1), assessment("P-GOED"));
    let (_folder, path) = file("long.jsonl", text.as_bytes());
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
    let message = stderr(&output);
    assert!(
        message.contains("row 1: the line `{\"programme\""),
        "{message}"
    );
    assert!(
        message.contains("longer than the 128 KB a line may have"),
        "{message}"
    );
    assert!(message.len() < 1_000);
}
