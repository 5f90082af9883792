//! `studentsucces advise` as a batch front end, run as the real binary on the real-world
//! files under tests/data/batch/: every reader, per-programme errors, exit codes, atomic
//! output files, and output that does not depend on the thread count.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run as studentsucces, stderr};

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

const RULES: &str = "tests/data/batch/batch.rules";

fn data(name: &str) -> String {
    format!("tests/data/batch/{name}")
}

/// `advise INPUT --rules batch.rules ARGS...`
fn advise(input: &str, args: &[&str]) -> Output {
    let mut all = vec!["advise", input, "--rules", RULES];
    all.extend(args);
    studentsucces(&all)
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The tip ids of an advice line: objects with an `id` in the full advice, triples
/// `[id, phase, priority]` in the compact one.
fn tip_ids(line: &Value) -> Vec<&str> {
    line["tips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tip| match tip {
            Value::Array(triple) => triple[0].as_str().unwrap(),
            object => object["id"].as_str().unwrap(),
        })
        .collect()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

#[test]
fn a_semicolon_csv_with_bom_decimal_commas_and_a_multiline_cell_is_read() {
    let output = advise(&data("excel_nl.csv"), &["--format", "jsonl"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3, "the trailing row of empty cells is skipped");
    assert_eq!(lines[0]["programme"], "B-ICT");
    assert_eq!(lines[0]["meta"]["name"], "HBO-ICT\r\n(voltijd; Noord)");
    // "15,5" is at least the threshold of 15; "12,5%" is below it.
    let first: Vec<&str> = tip_ids(&lines[0]);
    assert!(first.contains(&"toetsing.internationaal"), "{first:?}");
    assert_eq!(lines[1]["programme"], "B-VPK");
    assert!(tip_ids(&lines[1]).is_empty());
    assert_eq!(tip_ids(&lines[2]), ["toetsing.internationaal"]);
    assert!(
        stderr(&output).contains("1 blank row skipped"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_windows_1252_csv_is_decoded() {
    let output = advise(&data("windows1252.csv"), &["--format", "jsonl"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines[0]["meta"]["name"], "Économie et gestion");
    assert_eq!(lines[1]["meta"]["name"], "Coördinatie zorg");
    assert_eq!(lines[1]["meta"]["faculty"], "Zorg & Welzijn");
    assert!(tip_ids(&lines[0]).contains(&"toetsing.internationaal"));
}

#[test]
fn broken_rows_fail_alone_with_row_column_value_and_expectation() {
    let output = advise(
        &data("broken_rows.csv"),
        &["--format", "jsonl", "--compact"],
    );
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let lines = json_lines(&output);
    let rows: Vec<(Value, Value, Value)> = lines
        .iter()
        .map(|line| {
            let error = &line["error"];
            (
                line["programme"].clone(),
                line["row"].clone(),
                error["column"].clone(),
            )
        })
        .collect();
    let expected = [
        ("P1", None, None),
        ("P2", Some(3), None),
        ("P3", Some(4), Some("centraal.partner")),
        ("P4", Some(5), Some("context.niveau")),
        ("P5", Some(6), Some("context.internationaal")),
        ("", Some(7), Some("programme")),
        ("P1", Some(9), Some("programme")),
        ("P6", Some(10), None),
        ("P7", Some(11), Some("centraal.partner")),
        ("P8", None, None),
    ];
    assert_eq!(rows.len(), expected.len());
    for ((programme, row, column), (want_programme, want_row, want_column)) in
        rows.iter().zip(expected)
    {
        let want_programme = match want_programme {
            "" => Value::Null,
            id => Value::from(id),
        };
        assert_eq!(*programme, want_programme);
        assert_eq!(*row, want_row.map_or(Value::Null, Value::from));
        assert_eq!(*column, want_column.map_or(Value::Null, Value::from));
    }
    let out_of_scale = &lines[2]["error"];
    assert_eq!(out_of_scale["value"], "7");
    assert!(out_of_scale["expected"].as_str().unwrap().contains("0..4"));
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("decimal comma"));
    assert!(lines[6]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("also in row 2"));
    let more: Vec<&str> = lines[8]["more_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["column"].as_str().unwrap())
        .collect();
    assert_eq!(more, ["context.internationaal", "context.honours"]);
    let err = stderr(&output);
    assert!(
        err.contains("broken_rows.csv` row 4, programme `P3`, column `centraal.partner`"),
        "{err}"
    );
    assert!(err.contains("advised 2 of 10 programmes"), "{err}");
    assert!(err.contains("8 could not be advised"), "{err}");
}

#[test]
fn unknown_columns_stop_the_file_unless_ignored() {
    let output = advise(&data("unknown_columns.csv"), &["--format", "jsonl"]);
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(
        err.contains("unknown_columns.csv` row 1 (the header)"),
        "{err}"
    );
    assert!(
        err.contains("unknown column `Naam` in column 2 (B)"),
        "{err}"
    );
    assert!(err.contains("did you mean `toetsing.frequentie`?"), "{err}");
    assert!(output.stdout.is_empty());
    let ignored = advise(
        &data("unknown_columns.csv"),
        &["--format", "jsonl", "--ignore-unknown-columns"],
    );
    assert_eq!(code(&ignored), 0, "{}", stderr(&ignored));
    assert_eq!(json_lines(&ignored).len(), 1);
}

/// A workbook in the questionnaire's layout: a form sheet and a second sheet.
fn write_workbook(path: &Path) {
    let mut workbook = Workbook::new();
    let percent = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("dd-mm-yyyy");
    let form = workbook.add_worksheet();
    form.set_name("Invullen").unwrap();
    let header = [
        "programme",
        "name",
        "centraal.partner",
        "visie.duidelijk",
        "toetsing.internationaal",
        "context.internationaal",
        "context.niveau",
    ];
    for (column, name) in (0u16..).zip(header) {
        form.write_string(0, column, name).unwrap();
    }
    form.write_string(1, 0, "X-1").unwrap();
    form.write_string(1, 1, "Eerste").unwrap();
    form.write_string(1, 2, "1 - In voorbereiding").unwrap();
    form.write_number(1, 3, 2).unwrap();
    form.write_string(1, 4, "0 - Niet aanwezig").unwrap();
    form.write_number_with_format(1, 5, 0.35, &percent).unwrap();
    form.write_string(1, 6, "bachelor").unwrap();
    // Row 3 is left empty, as people leave rows in a form.
    form.write_number(3, 0, 12345).unwrap();
    form.write_number_with_format(3, 2, 45000, &date).unwrap();
    let second = workbook.add_worksheet();
    second.set_name("Tweede").unwrap();
    for (column, name) in (0u16..).zip(["programme", "visie.duidelijk"]) {
        second.write_string(0, column, name).unwrap();
    }
    second.write_string(1, 0, "Y-1").unwrap();
    second.write_number(1, 1, 0).unwrap();
    workbook.save(path).unwrap();
}

#[test]
fn an_xlsx_workbook_is_read_from_its_first_or_named_sheet() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("programmas.xlsx");
    write_workbook(&path);
    let path = path.to_str().unwrap();

    let output = advise(path, &["--format", "jsonl", "--compact"]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["programme"], "X-1");
    // 35% (a percent-formatted 0.35) is above the threshold of 15.
    let tips = tip_ids(&lines[0]);
    assert!(tips.contains(&"toetsing.internationaal"), "{tips:?}");
    assert!(tips.contains(&"centraal.partner"), "{tips:?}");
    assert_eq!(lines[1]["programme"], "12345");
    assert_eq!(lines[1]["row"], 4);
    assert_eq!(lines[1]["error"]["column"], "centraal.partner");
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("a date"));

    let second = advise(
        path,
        &["--format", "jsonl", "--compact", "--sheet", "Tweede"],
    );
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert_eq!(json_lines(&second)[0]["programme"], "Y-1");

    let missing = advise(path, &["--sheet", "Tweedee"]);
    assert_eq!(code(&missing), 1);
    let err = stderr(&missing);
    assert!(
        err.contains("has no sheet `Tweedee`; did you mean `Tweede`?"),
        "{err}"
    );
    assert!(err.contains("`Invullen`, `Tweede`"), "{err}");
}

#[test]
fn an_ods_workbook_refuses_a_fraction_that_may_be_a_percentage() {
    let output = advise(&data("programmes.ods"), &["--format", "jsonl", "--compact"]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(tip_ids(&lines[0]), ["centraal.partner"]);
    assert_eq!(lines[1]["error"]["column"], "context.internationaal");
    assert_eq!(lines[1]["error"]["value"], "0.12");
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("(12%)"));
}

#[test]
fn a_sheet_option_on_a_csv_file_is_an_error() {
    let output = advise(&data("excel_nl.csv"), &["--sheet", "Blad1"]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("not a workbook"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_lines_keep_going_past_broken_lines() {
    let output = advise(
        &data("programmes.jsonl"),
        &["--format", "jsonl", "--compact"],
    );
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let lines = json_lines(&output);
    let rows: Vec<&Value> = lines.iter().map(|line| &line["row"]).collect();
    assert_eq!(
        rows,
        [&Value::Null, &2.into(), &4.into(), &5.into(), &Value::Null]
    );
    assert!(lines[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `answers`?"));
    assert_eq!(tip_ids(&lines[4]), ["visie.duidelijk"]);
}

#[test]
fn json_lines_are_read_from_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args([
            "advise",
            "-",
            "--rules",
            RULES,
            "--format",
            "jsonl",
            "--compact",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(data("programmes.jsonl")).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let piped = child.wait_with_output().unwrap();
    let from_file = advise(
        &data("programmes.jsonl"),
        &["--format", "jsonl", "--compact"],
    );
    assert_eq!(code(&piped), 3);
    assert_eq!(piped.stdout, from_file.stdout);
}

#[test]
fn a_json_array_gives_a_json_array_with_errors_in_place() {
    let output = advise(&data("programmes.json"), &["--format", "json"]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let array: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(array.len(), 3);
    assert_eq!(array[0]["programme"], "J-1");
    assert_eq!(array[0]["meta"]["faculty"], "Techniek");
    assert_eq!(array[1]["error"]["column"], "centraal.partner");
    assert_eq!(array[2]["tips"], Value::Array(Vec::new()));
    // The streamed array is laid out as serde_json lays out a whole array.
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("[\n  {\n    \"schema_version\": 3,\n"),
        "{text}"
    );
    assert!(text.ends_with("\n  }\n]\n"), "{text}");
    assert_eq!(text.matches("\n  },\n  {\n").count(), 2, "{text}");
}

#[test]
fn the_csv_long_format_has_one_row_per_plan_tip() {
    let output = advise(
        &data("excel_nl.csv"),
        &["--format", "csv", "--delimiter", "semicolon"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "programme",
            "cycle",
            "phase",
            "tip",
            "section",
            "priority",
            "lead",
            "horizon",
            "stakeholders",
            "text",
            "lead_name",
            "cycle_name",
            "reason",
            "evidence"
        ]
    );
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        studentsucces::report::LONG_CSV_COLUMNS
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 5, "{rows:?}");
    // The plan columns as before, then the texts for people.
    let frequentie = rows
        .iter()
        .find(|row| row[0] == "B-ICT" && row[3] == "toetsing.frequentie")
        .expect("B-ICT's toetsing.frequentie");
    assert_eq!(
        frequentie[..9],
        [
            "B-ICT",
            "1",
            "2",
            "toetsing.frequentie",
            "toetsing",
            "60",
            "",
            "kort-midden",
            "student; docenten; examencommissie"
        ]
    );
    assert_eq!(
        rows[4][..9],
        [
            "M-ACC",
            "1",
            "1",
            "toetsing.internationaal",
            "toetsing",
            "60",
            "",
            "kort-midden",
            "student; docenten; examencommissie"
        ]
    );
    for row in &rows {
        assert!(!row[9].is_empty(), "the tip's text: {row:?}");
        let cycle_name = match row[1].as_str() {
            "1" => "Deze cyclus",
            "2" => "Volgende cyclus",
            _ => "Later",
        };
        assert_eq!(row[11], cycle_name, "{row:?}");
        assert!(!row[12].is_empty(), "a reason: {row:?}");
    }
}

/// The summary of `broken_rows.csv` at `--min-share SHARE`; the run exits 3, since
/// most of its rows fail.
fn summary_of_broken_rows(share: &str) -> Value {
    let folder = tempfile::tempdir().unwrap();
    let summary_path = folder.path().join("samenvatting.json");
    let summary_arg = summary_path.to_str().unwrap();
    let args = [
        "--format",
        "jsonl",
        "--summary",
        summary_arg,
        "--min-share",
        share,
    ];
    let output = advise(&data("broken_rows.csv"), &args);
    assert_eq!(code(&output), 3);
    serde_json::from_slice(&std::fs::read(&summary_path).unwrap()).unwrap()
}

#[test]
fn the_summary_describes_the_institution() {
    let summary = summary_of_broken_rows("50");
    assert_eq!(summary["programmes"], 10);
    assert_eq!(summary["advised"], 2);
    assert_eq!(summary["failed"], 8);
    assert_eq!(summary["blank_rows"], 1);
    let failed_rows: Vec<&Value> = summary["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|failure| &failure["row"])
        .collect();
    assert_eq!(
        failed_rows,
        [3, 4, 5, 6, 7, 9, 10, 11]
            .map(Value::from)
            .iter()
            .collect::<Vec<_>>()
    );
    // P1 scores 1 everywhere, P8 3 everywhere.
    let centraal = &summary["sections"][0];
    assert_eq!(centraal["id"], "centraal");
    assert_eq!(centraal["scored"], 2);
    assert_eq!(centraal["mean"], 2.0);
    assert_eq!(centraal["min"], 1.0);
    assert_eq!(centraal["max"], 3.0);
    assert_eq!(
        centraal["levels"],
        serde_json::json!([{"level": 1, "programmes": 1}, {"level": 3, "programmes": 1}])
    );
    // Only P1 gets tips: 4 recommended, 3 in its first cycle (the focus), which is
    // half the advised programmes' first cycles.
    let wide = &summary["institution_wide"];
    assert_eq!(wide["min_share"], 0.5);
    assert_eq!(wide["tips"].as_array().unwrap().len(), 3);
    assert_eq!(wide["tips"][0]["share"], 0.5);
    assert_eq!(wide["tips"][0]["in_focus"], 1);
    assert_eq!(summary["tips"].as_array().unwrap().len(), 4);
    let load: Vec<(String, u64, u64)> = summary["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| {
            (
                role["id"].as_str().unwrap().to_owned(),
                role["tips"].as_u64().unwrap(),
                role["max_tips"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        load,
        [
            ("student".to_owned(), 3, 3),
            ("docenten".to_owned(), 3, 3),
            ("examencommissie".to_owned(), 2, 2)
        ]
    );
}

#[test]
fn the_min_share_selects_the_institution_wide_tips() {
    let summary = summary_of_broken_rows("60");
    assert_eq!(
        summary["institution_wide"]["tips"],
        Value::Array(Vec::new())
    );
    assert_eq!(summary["tips"].as_array().unwrap().len(), 4);
}

/// A generated Roadmap cohort in a temporary folder.
fn generated(folder: &Path, programmes: u32, seed: u32, extension: &str) -> PathBuf {
    let path = folder.join(format!("cohort-{programmes}-{seed}.{extension}"));
    let output = studentsucces(&[
        "generate",
        "--programmes",
        &programmes.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    path
}

fn roadmap_advise(input: &Path, args: &[&str]) -> Output {
    let mut all = vec!["advise", input.to_str().unwrap()];
    all.extend(args);
    studentsucces(&all)
}

#[test]
fn output_and_summary_are_identical_for_jobs_1_and_2() {
    let folder = tempfile::tempdir().unwrap();
    // More programmes than one chunk, so that chunks and threads interleave.
    let input = generated(folder.path(), 700, 11, "csv");
    for format in [
        &["--format", "jsonl"][..],
        &["--format", "jsonl", "--compact"],
        &["--format", "csv"],
    ] {
        let mut runs = Vec::new();
        for jobs in ["1", "2"] {
            let summary = folder.path().join(format!("summary-{jobs}.json"));
            let mut args = format.to_vec();
            args.extend(["--jobs", jobs, "--summary", summary.to_str().unwrap()]);
            let output = roadmap_advise(&input, &args);
            assert_eq!(code(&output), 0, "{}", stderr(&output));
            runs.push((output.stdout, std::fs::read(summary).unwrap()));
        }
        assert!(!runs[0].0.is_empty());
        assert!(
            runs[0] == runs[1],
            "{format:?} differs between --jobs 1 and --jobs 2"
        );
    }
}

#[test]
fn generate_is_deterministic_for_a_seed() {
    let first = studentsucces(&["generate", "--programmes", "50", "--seed", "3"]);
    let again = studentsucces(&["generate", "--programmes", "50", "--seed", "3"]);
    let other = studentsucces(&["generate", "--programmes", "50", "--seed", "4"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert_eq!(first.stdout, again.stdout);
    assert_ne!(first.stdout, other.stdout);
    let text = String::from_utf8(first.stdout).unwrap();
    assert_eq!(text.lines().count(), 51);
    assert!(text.starts_with("programme,name,institution,faculty,contact,"));
}

#[test]
fn generate_gives_the_same_context_on_every_platform() {
    let output = studentsucces(&["generate", "--programmes", "6", "--seed", "1"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let kept: Vec<usize> = (0..header.len())
        .filter(|&i| !header[i].contains('.') || header[i].starts_with("context."))
        .collect();
    let mut table = vec![kept
        .iter()
        .map(|&i| &header[i])
        .collect::<Vec<_>>()
        .join(";")];
    for record in reader.records() {
        let record = record.unwrap();
        table.push(
            kept.iter()
                .map(|&i| &record[i])
                .collect::<Vec<_>>()
                .join(";"),
        );
    }
    insta::assert_snapshot!("generated_context_seed_1", table.join("\n"));
}

#[test]
fn csv_and_json_lines_of_one_cohort_give_the_same_advice() {
    let folder = tempfile::tempdir().unwrap();
    let csv = generated(folder.path(), 300, 5, "csv");
    let jsonl = generated(folder.path(), 300, 5, "jsonl");
    let from_csv = roadmap_advise(&csv, &["--format", "jsonl", "--compact"]);
    let from_jsonl = roadmap_advise(&jsonl, &["--format", "jsonl", "--compact"]);
    assert_eq!(code(&from_csv), 0, "{}", stderr(&from_csv));
    assert_eq!(code(&from_jsonl), 0, "{}", stderr(&from_jsonl));
    assert_eq!(json_lines(&from_csv).len(), 300);
    assert!(from_csv.stdout == from_jsonl.stdout);
}

#[test]
fn the_blank_questionnaire_is_read_back_without_edits() {
    let folder = tempfile::tempdir().unwrap();
    let form = folder.path().join("vragenlijst.xlsx");
    let written = studentsucces(&[
        "questionnaire",
        "--format",
        "xlsx",
        "--out",
        form.to_str().unwrap(),
    ]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    let output = roadmap_advise(&form, &["--format", "jsonl"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("advised 0 of 0 programmes"),
        "{}",
        stderr(&output)
    );

    let csv_form = studentsucces(&["questionnaire", "--format", "csv"]);
    let mut text = String::from_utf8(csv_form.stdout).unwrap();
    let columns = text.lines().next().unwrap().split(',').count();
    text.push_str("P-1,Naam");
    text.push_str(&",".repeat(columns - 2));
    text.push('\n');
    let csv_path = folder.path().join("vragenlijst.csv");
    std::fs::write(&csv_path, text).unwrap();
    let output = roadmap_advise(&csv_path, &["--format", "jsonl", "--compact"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(json_lines(&output)[0]["programme"], "P-1");
}

#[test]
fn the_format_follows_the_output_extension() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("advies.csv");
    let output = advise(&data("excel_nl.csv"), &["--out", out.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("\u{feff}programme,cycle,phase,tip"),
        "{text}"
    );
    let unknown = advise(
        &data("excel_nl.csv"),
        &["--out", folder.path().join("advies.xyz").to_str().unwrap()],
    );
    assert_eq!(code(&unknown), 2);
    assert!(stderr(&unknown).contains("cannot tell the output format"));
}

#[test]
fn an_output_file_is_replaced_only_when_the_run_succeeds() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("advies.jsonl");
    std::fs::write(&out, "previous run\n").unwrap();
    // An array whose syntax breaks after two good elements.
    let input = folder.path().join("kapot.json");
    std::fs::write(
        &input,
        r#"[{"programme": "A", "answers": {}}, {"programme": "B", "answers": {}}, {"programme": "C" "answers"}]"#,
    )
    .unwrap();
    let failed = advise(input.to_str().unwrap(), &["--out", out.to_str().unwrap()]);
    assert_eq!(code(&failed), 1);
    assert!(
        stderr(&failed).contains("kapot.json` line 1 column"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n");
    let leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary file is left: {leftovers:?}"
    );

    let succeeded = advise(&data("excel_nl.csv"), &["--out", out.to_str().unwrap()]);
    assert_eq!(code(&succeeded), 0, "{}", stderr(&succeeded));
    assert!(succeeded.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
}

#[test]
fn an_output_path_equal_to_an_input_path_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("programmas.csv");
    std::fs::copy(data("excel_nl.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let same = folder.path().join(".").join("programmas.csv");
    let output = advise(
        input.to_str().unwrap(),
        &["--format", "jsonl", "--out", same.to_str().unwrap()],
    );
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("is also the input file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);

    let out = folder.path().join("uit.json");
    let clash = advise(
        input.to_str().unwrap(),
        &[
            "--out",
            out.to_str().unwrap(),
            "--summary",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&clash), 2);
    let rules = advise(
        input.to_str().unwrap(),
        &["--format", "jsonl", "--summary", RULES],
    );
    assert_eq!(code(&rules), 2);
}

#[test]
fn exit_codes_tell_success_partial_failure_failure_and_usage() {
    assert_eq!(
        code(&advise(&data("excel_nl.csv"), &["--format", "jsonl"])),
        0
    );
    assert_eq!(
        code(&advise(&data("broken_rows.csv"), &["--format", "jsonl"])),
        3
    );
    assert_eq!(code(&advise(&data("unknown_columns.csv"), &[])), 1);
    assert_eq!(code(&advise(&data("does_not_exist.csv"), &[])), 1);
    let unknown_extension = advise(RULES, &[]);
    assert_eq!(code(&unknown_extension), 1);
    assert!(stderr(&unknown_extension).contains("cannot tell the format from the file name"));
    assert_eq!(
        code(&advise(
            &data("excel_nl.csv"),
            &["--format", "csv", "--compact"]
        )),
        2
    );
    assert_eq!(code(&advise(&data("excel_nl.csv"), &["--jobs", "0"])), 2);
    assert_eq!(
        code(&advise(&data("excel_nl.csv"), &["--min-share", "120"])),
        2
    );
}

#[test]
fn text_output_names_failed_programmes_in_place() {
    let output = advise(&data("programmes.json"), &["--format", "text"]);
    assert_eq!(code(&output), 3);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Advies voor J-1"), "{text}");
    assert!(text.contains("Geen advies voor J-2 (rij 2)"), "{text}");
    assert!(text.contains("Advies voor J-3"), "{text}");
}

#[test]
fn a_compact_line_has_tip_tuples_in_plan_order_and_the_pulled_in_tips() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .args([
            "advise",
            "-",
            "--rules",
            RULES,
            "--format",
            "jsonl",
            "--compact",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tip waits for `visie.duidelijk`, which is unanswered, so not in place.
    let line =
        r#"{"programme": "Q", "answers": {"toetsing.frequentie": 0, "context.honours": "nee"}}"#;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(
        lines[0]["tips"],
        serde_json::json!([
            ["visie.duidelijk", 1, 1, 60],
            ["toetsing.frequentie", 1, 2, 60]
        ])
    );
    assert_eq!(
        lines[0]["pulled_in"],
        serde_json::json!(["visie.duidelijk"])
    );
    assert_eq!(lines[0]["scores"]["toetsing"], 0.0);
    assert_eq!(lines[0]["scores"]["visie"], Value::Null);
}

#[test]
fn a_quote_never_closed_is_named_by_the_column_it_opened_in() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("unclosed.csv");
    std::fs::write(
        &path,
        "programme,name,context.niveau\nP1,\"Open,bachelor\nP2,Twee,bachelor\n",
    )
    .unwrap();
    let output = advise(path.to_str().unwrap(), &["--format", "jsonl", "--compact"]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1, "the open quote takes in the next row");
    assert_eq!(lines[0]["programme"], "P1");
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("column 2 (B) holds a line break") && message.contains("not closed"),
        "{message}"
    );
}
