//! Regression tests of the writers and the command line as a central office runs them:
//! killed at any moment, as root, with stderr closed, onto special files, with
//! programme ids that Excel or a terminal would otherwise act on.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run as studentsucces, stderr, stdout};

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Output;

const RULES: &str = "tests/data/batch/batch.rules";

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A JSON Lines file of programmes with these ids.
fn programmes_with_ids(folder: &Path, ids: &[&str]) -> PathBuf {
    let path = folder.join("programmas.jsonl");
    let lines: Vec<String> = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "programme": id,
                "meta": {"name": format!("{id} naam")},
                "answers": {"toetsing.frequentie": 0, "context.honours": "nee"}
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn formula_prefixes_are_neutralised_in_the_csv_long_format() {
    let folder = tempfile::tempdir().unwrap();
    let ids = [
        "=HYPERLINK(\"http://x\",\"klik\")",
        "+31",
        "-1",
        "@SUM(A1)",
        "\tB",
        "B-ICT",
    ];
    let input = programmes_with_ids(folder.path(), &ids);
    let output = studentsucces(&[
        "advise",
        path_str(&input),
        "--rules",
        RULES,
        "--format",
        "csv",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let programmes: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[0].to_owned())
        .collect();
    let mut expected: Vec<String> = ids[..5].iter().map(|id| format!("'{id}")).collect();
    expected.push("B-ICT".to_owned());
    let mut seen = programmes.clone();
    seen.dedup();
    assert_eq!(seen, expected);
}

#[test]
fn formula_like_rule_texts_stay_text_in_the_questionnaire_workbook() {
    let folder = tempfile::tempdir().unwrap();
    let rules = std::fs::read_to_string(RULES).unwrap();
    let question = "question toetsing.frequentie: maturity \"";
    assert!(rules.contains(question));
    let rules = rules.replacen(question, &format!("{question}=1+1 "), 1);
    let rules_path = folder.path().join("formule.rules");
    std::fs::write(&rules_path, rules).unwrap();
    let workbook = folder.path().join("vragenlijst.xlsx");
    for (rules, quoted) in [(RULES, false), (path_str(&rules_path), true)] {
        let output = studentsucces(&[
            "questionnaire",
            "--rules",
            rules,
            "--format",
            "xlsx",
            "--out",
            path_str(&workbook),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&workbook).unwrap()).unwrap();
        let mut styles = String::new();
        archive
            .by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        assert_eq!(styles.contains("quotePrefix=\"1\""), quoted, "{rules}");
    }
}
