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
    MAX_WORKBOOK_UNCOMPRESSED,
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
    // The column as every other error line names it: the header, without backticks.
    assert_eq!(error["column"], "centraal.partner#toelichting");
    assert!(stderr(&output).contains("column `centraal.partner#toelichting`: the cell"));
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
fn a_csv_row_past_the_row_limit_as_written_but_within_it_in_fields_is_read() {
    // Each comment is 40,000 quotes, written as 80,002 bytes: the row is 160 KB in the
    // file but 80 KB of fields, so it is read and advised.
    let quotes = format!("\"{}\"", "\"\"".repeat(40_000));
    let (_folder, path) = file(
        "quotes.csv",
        &csv(&[
            "programme,centraal.partner#toelichting,visie.duidelijk#toelichting".to_owned(),
            format!("P-QUOTES,{quotes},{quotes}"),
            "P-GOED,,".to_owned(),
        ]),
    );
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-QUOTES", "P-GOED"]);
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
    let json = r#"{"programme": "P3", "answers": {"centraal.partner": -0, "context.internationaal": -0.0}}"#;
    let (_folder, path) = file("zero.jsonl", json.as_bytes());
    let full = studentsucces(&[
        "advise",
        path.to_str().unwrap(),
        "--rules",
        RULES,
        "--format",
        "jsonl",
    ]);
    assert_eq!(code(&full), 0, "{}", stderr(&full));
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

// Workbooks, built here as zip archives.

const CONTENT_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A zip archive of `(name, bytes, deflated)` entries.
fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    use std::io::Write as _;
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, deflated) in entries {
        let method = if *deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(bytes.len() > u32::MAX as usize / 2);
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// An .xlsx with `rows` as its sheet data, shared strings and extra parts.
fn xlsx_with(rows: &str, shared: &[&str], extra: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let strings: String = shared
        .iter()
        .map(|text| format!("<si><t>{text}</t></si>"))
        .collect();
    let shared_xml = format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{strings}</sst>"#,
        shared.len()
    );
    let mut entries: Vec<(&str, &[u8], bool)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes(), true),
        ("_rels/.rels", ROOT_RELS.as_bytes(), true),
        ("xl/workbook.xml", WORKBOOK.as_bytes(), true),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes(), true),
        ("xl/sharedStrings.xml", shared_xml.as_bytes(), true),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes(), true),
    ];
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

fn inline(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row of the batch rules' questions, and a good programme in row 2.
fn xlsx_rows(more: &str) -> String {
    format!(
        r#"<row r="1">{}{}</row><row r="2">{}<c r="B2"><v>2</v></c></row>{more}"#,
        inline("A1", "programme"),
        inline("B1", "centraal.partner"),
        inline("A2", "P-GOED"),
    )
}

#[test]
fn an_xlsx_cell_in_the_last_allowed_column_is_read() {
    let last = "BZT"; // column 2048
    let rows = xlsx_rows(&format!(
        r#"<row r="3">{}<c r="{last}3"><v>1</v></c></row>"#,
        inline("A3", "P-VER")
    ));
    let (_folder, path) = file("far.xlsx", &xlsx_with(&rows, &[], &[]));
    let output = advise(&path, &[]);
    // The value lies past the header, so row 3 fails, but the file is read.
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
}

#[test]
fn an_xlsx_cell_far_away_fails_the_file_naming_sheet_and_cell() {
    for reference in ["BZU1048576", "XFD1048576", "ZZZZZZ1", "A99999999"] {
        let rows = xlsx_rows(&format!(
            r#"<row r="3"><c r="{reference}"><v>1</v></c></row>"#
        ));
        let bytes = xlsx_with(&rows, &[], &[]);
        assert!(bytes.len() < 2_000);
        let (_folder, path) = file("far.xlsx", &bytes);
        let started = Instant::now();
        let output = advise(&path, &[]);
        assert!(started.elapsed() < Duration::from_secs(5), "{reference}");
        assert_eq!(code(&output), 1, "{reference}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(
            message.contains("far.xlsx` sheet `Blad1` cell "),
            "{message}"
        );
        assert!(message.contains("is past the"), "{message}");
    }
}

#[test]
fn an_xlsx_zip_bomb_is_refused_before_it_is_inflated() {
    let padding = vec![b' '; 8 << 20];
    let rows = xlsx_rows("");
    let bytes = xlsx_with(&rows, &[], &[("xl/media/padding.xml", &padding, true)]);
    assert!(bytes.len() < 100_000);
    let (_folder, path) = file("bomb.xlsx", &bytes);
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("bomb.xlsx` its part `xl/media/padding.xml` inflates from"),
        "{message}"
    );
    assert!(message.contains("more than 100 times"), "{message}");
}

#[test]
fn an_xlsx_at_the_uncompressed_limit_is_read_and_one_past_it_refused() {
    let rows = xlsx_rows("");
    let parts = xlsx_with(&rows, &[], &[]);
    let declared: u64 = {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(parts)).unwrap();
        (0..archive.len())
            .map(|i| archive.by_index_data(i).unwrap().size())
            .sum()
    };
    let fill = |extra: u64| vec![b'x'; (MAX_WORKBOOK_UNCOMPRESSED - declared + extra) as usize];
    let at_limit = fill(0);
    let (_folder, path) = file(
        "big.xlsx",
        &xlsx_with(&rows, &[], &[("xl/media/fill.bin", &at_limit, false)]),
    );
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let past = fill(1);
    let (_folder, path) = file(
        "big.xlsx",
        &xlsx_with(&rows, &[], &[("xl/media/fill.bin", &past, false)]),
    );
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("big.xlsx` inflates to more than 64 MB"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_file_that_is_no_workbook_is_described_in_words() {
    let (_folder, path) = file("x.xlsx", b"this is not a zip archive at all");
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("x.xlsx` is not a valid Excel workbook (it is not a zip archive"),
        "{message}"
    );
    assert!(!message.contains("InvalidArchive"), "{message}");
    assert!(!message.contains("(\""), "{message}");
}

#[test]
fn a_long_xlsx_cell_fails_its_programme_only() {
    let long = "z".repeat(MAX_CELL_BYTES + 1);
    let rows = xlsx_rows(&format!(
        r#"<row r="3">{}<c r="B3" t="s"><v>0</v></c></row>"#,
        inline("A3", "P-LANG")
    ));
    let (_folder, path) = file("long.xlsx", &xlsx_with(&rows, &[&long], &[]));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
    let message = stderr(&output);
    assert!(
        message.contains("row 3, column `column 2 (B)`: cell B3 `zzzz"),
        "{message}"
    );
    assert!(message.len() < 1_000, "{message}");
}

/// An .ods with `rows` as the table's rows.
fn ods_with(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Blad1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
            false,
        ),
        ("META-INF/manifest.xml", manifest.as_bytes(), true),
        ("content.xml", content.as_bytes(), true),
    ])
}

fn ods_text(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn ods_header_and_good_row() -> String {
    format!(
        r#"<table:table-row>{}{}</table:table-row><table:table-row>{}<table:table-cell office:value-type="float" office:value="2"/></table:table-row>"#,
        ods_text("programme"),
        ods_text("centraal.partner"),
        ods_text("P-GOED")
    )
}

#[test]
fn an_ods_file_with_ordinary_repeats_is_read() {
    let rows = format!(
        r#"{}<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        ods_header_and_good_row()
    );
    let (_folder, path) = file("repeats.ods", &ods_with(&rows));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(advised(&output), ["P-GOED"]);
}

#[test]
fn an_ods_file_whose_repeats_spell_out_a_huge_sheet_is_refused() {
    let value = r#"<table:table-cell table:number-columns-repeated="2000" office:value-type="float" office:value="1"/>"#;
    let rows = format!(
        r#"{}<table:table-row table:number-rows-repeated="1000000">{value}</table:table-row>"#,
        ods_header_and_good_row()
    );
    let bytes = ods_with(&rows);
    assert!(bytes.len() < 2_000);
    let (_folder, path) = file("repeats.ods", &bytes);
    let started = Instant::now();
    let output = advise(&path, &[]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(code(&output), 1);
    let message = stderr(&output);
    assert!(
        message.contains("repeats.ods` sheet `Blad1`: its sheets span more than 1000000 cells"),
        "{message}"
    );
}

#[test]
fn an_ods_file_with_too_many_repeated_spaces_is_refused() {
    let rows = format!(
        r#"{}<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row>"#,
        ods_header_and_good_row()
    );
    let (_folder, path) = file("spaces.ods", &ods_with(&rows));
    let output = advise(&path, &[]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("cell A3 holds 954 MB of text"),
        "{}",
        stderr(&output)
    );
}

// Peak memory.

/// Runs the binary on `path` and returns its peak resident memory in bytes, read from
/// /proc/PID/status (VmHWM) while it runs.
fn peak_memory(path: &Path) -> (u64, Output) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args([
            "advise",
            path.to_str().unwrap(),
            "--rules",
            RULES,
            "--format",
            "jsonl",
            "--compact",
            "--out",
        ])
        .arg(path.with_extension("out.jsonl"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let kilobytes = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                });
            peak = peak.max(kilobytes.unwrap_or(0) * 1024);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (peak, child.wait_with_output().unwrap())
}

const MEMORY_LIMIT: u64 = 300 << 20;

/// The hostile files of the reported cases, each at most 10 MB.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut files = Vec::new();
    let far = xlsx_rows(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
    files.push(("far.xlsx", xlsx_with(&far, &[], &[])));
    files.push((
        "bomb.xlsx",
        xlsx_with(
            &xlsx_rows(""),
            &[],
            &[("xl/worksheets/pad.xml", &vec![b' '; 64 << 20], true)],
        ),
    ));
    let repeats = format!(
        r#"{}<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
        ods_header_and_good_row()
    );
    files.push(("repeats.ods", ods_with(&repeats)));
    files.push(("cell.csv", commented_csv(10_000_000 - 200)));
    let lines: Vec<String> = (0..160_000).map(|n| assessment(&format!("P{n}"))).collect();
    let jsonl = lines.join("\n");
    files.push((
        "lines.json",
        jsonl
            .as_bytes()
            .get(..10_000_000)
            .unwrap_or(jsonl.as_bytes())
            .to_vec(),
    ));
    let array = format!("[{}]", lines.get(..150_000).unwrap().join(","));
    files.push(("array.json", array.into_bytes()));
    // One shared string of 60 KB, referenced twice in each of 20,000 rows: text that
    // the workbook stores once and every row spells out.
    let shared = "s".repeat(60_000);
    let mut amplified = format!(
        r#"<row r="1">{}{}{}</row>"#,
        inline("A1", "programme"),
        inline("C1", "centraal.partner#toelichting"),
        inline("D1", "visie.duidelijk#toelichting")
    );
    for row in 2..20_002 {
        amplified.push_str(&format!(
            r#"<row r="{row}">{}<c r="C{row}" t="s"><v>0</v></c><c r="D{row}" t="s"><v>0</v></c></row>"#,
            inline(&format!("A{row}"), &format!("P{row}"))
        ));
    }
    files.push(("shared.xlsx", xlsx_with(&amplified, &[&shared], &[])));
    files
}

#[test]
fn peak_memory_stays_under_300_mb_for_hostile_files_of_at_most_10_mb() {
    let folder = tempfile::tempdir().unwrap();
    let mut report = Vec::new();
    for (name, bytes) in hostile_files() {
        assert!(bytes.len() <= 10_000_000, "{name} is {} bytes", bytes.len());
        let path = folder.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (peak, output) = peak_memory(&path);
        report.push(format!(
            "{name}: {} bytes, peak {} MB, exit {:?}",
            bytes.len(),
            peak >> 20,
            output.status.code()
        ));
        assert!(output.status.code().is_some(), "{name} was killed");
        assert!(peak < MEMORY_LIMIT, "{}", report.join("\n"));
    }
    println!("{}", report.join("\n"));
}
