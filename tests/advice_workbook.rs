//! `advise --format xlsx`: the Excel workbook of the advice, read back with calamine
//! (sheets, headers, rows) and as the XML inside its zip (autofilter, frozen header,
//! colour scale, fixed creation time).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Reader};
use common::{run, stderr};
use serde_json::Value;

const PROGRAMMES: &str = "examples/programmes.json";

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Writes the workbook of `input` with extra arguments; asserts the exit code.
fn write_workbook(input: &str, out: &Path, extra: &[&str], expected_code: i32) {
    let mut args = vec!["advise", input, "--out", path_str(out)];
    args.extend(extra);
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "{}",
        stderr(&output)
    );
}

/// Every sheet's name and cells, in order.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut workbook = calamine::open_workbook_auto(path).unwrap();
    let names = workbook.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

fn texts(row: &[Data]) -> Vec<String> {
    row.iter().map(ToString::to_string).collect()
}

/// A file inside the workbook's zip.
fn zipped(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_holds_every_programme_and_plan_tip() {
    let folder = tempfile::tempdir().unwrap();
    let one = folder.path().join("advies-1.xlsx");
    let two = folder.path().join("advies-2.xlsx");
    write_workbook(PROGRAMMES, &one, &["--jobs", "1"], 0);
    // The extension chooses the format as well as --format does.
    write_workbook(PROGRAMMES, &two, &["--jobs", "2", "--format", "xlsx"], 0);
    assert!(
        std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap(),
        "the workbook differs between --jobs 1 and --jobs 2"
    );

    let json = run(&["advise", PROGRAMMES, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let advices: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(advices.len(), 5);
    let plan_tips: usize = advices
        .iter()
        .map(|advice| advice["tips"].as_array().unwrap().len())
        .sum();

    let sheets = sheets(&one);
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Overzicht", "Tips", "Betrokkenen"]);

    let overview = &sheets[0].1;
    let header = texts(&overview[0]);
    assert_eq!(header[..3], ["Opleiding", "Naam", "Faculteit"]);
    // The 3 principles and 14 factors, by title, then coverage, plan size and error.
    assert_eq!(header.len(), 3 + 17 + 3, "{header:?}");
    assert_eq!(header[20..], ["Beantwoord", "Tips in plan", "Fout"]);
    assert_eq!(overview.len(), 1 + 5);
    for (row, advice) in overview[1..].iter().zip(&advices) {
        assert_eq!(row[0].to_string(), advice["programme"].as_str().unwrap());
        assert_eq!(row[1].to_string(), advice["meta"]["name"].as_str().unwrap());
        assert_eq!(
            row[2].to_string(),
            advice["meta"]["faculty"].as_str().unwrap()
        );
        let first_score = advice["sections"][0]["mean"].as_f64().unwrap();
        assert_eq!(row[3], Data::Float(first_score));
        let tips = advice["tips"].as_array().unwrap().len();
        assert_eq!(row[21], Data::Float(tips as f64));
        assert!(matches!(row[20], Data::Float(share) if (0.0..=1.0).contains(&share)));
    }

    let tips = &sheets[1].1;
    assert_eq!(
        texts(&tips[0]),
        [
            "Opleiding",
            "Cyclus",
            "Fase",
            "Prioriteit",
            "Tip",
            "Onderdeel",
            "Tekst",
            "Trekker",
            "Betrokkenen",
            "Tijdspad",
            "Reden",
            "Onderbouwing"
        ]
    );
    assert_eq!(tips.len() - 1, plan_tips);
    // The tips in plan order, programme by programme, as the JSON has them.
    let expected: Vec<(String, String)> = advices
        .iter()
        .flat_map(|advice| {
            advice["tips"].as_array().unwrap().iter().map(|tip| {
                (
                    advice["programme"].as_str().unwrap().to_owned(),
                    tip["id"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect();
    let written: Vec<(String, String)> = tips[1..]
        .iter()
        .map(|row| (row[0].to_string(), row[4].to_string()))
        .collect();
    assert_eq!(written, expected);
    // Cycle-1 tips carry why now as their reason, and every tip its Dutch text.
    let first = &advices[0]["tips"][0];
    assert_eq!(tips[1][1], Data::Float(first["cycle"].as_f64().unwrap()));
    assert_eq!(tips[1][10].to_string(), first["why_now"].as_str().unwrap());
    assert!(tips[1..].iter().all(|row| !row[6].to_string().is_empty()));

    let stakeholders = &sheets[2].1;
    assert_eq!(
        texts(&stakeholders[0])[..4],
        [
            "Opleiding",
            "Betrokkene",
            "Trekker: deze cyclus",
            "Trekker: volgende cyclus"
        ]
    );
    assert!(stakeholders.len() > 5);
    // Each programme's leads add up to its plan tips (every Roadmap tip has a lead).
    for advice in &advices {
        let id = advice["programme"].as_str().unwrap();
        let led: f64 = stakeholders[1..]
            .iter()
            .filter(|row| row[0] == id)
            .map(|row| match row[5] {
                Data::Float(total) => total,
                ref other => panic!("a count, not {other:?}"),
            })
            .sum();
        assert_eq!(led, advice["tips"].as_array().unwrap().len() as f64, "{id}");
    }

    // What calamine does not show: the XML of the autofilter, the frozen header, the
    // colour scale and the fixed creation time.
    let tips_xml = zipped(&one, "xl/worksheets/sheet2.xml");
    assert!(
        tips_xml.contains(&format!("<autoFilter ref=\"A1:L{}\"/>", plan_tips + 1)),
        "{tips_xml:.600}"
    );
    assert!(tips_xml.contains("ySplit=\"1\""));
    assert!(tips_xml.contains("state=\"frozen\""));
    let overview_xml = zipped(&one, "xl/worksheets/sheet1.xml");
    assert!(overview_xml.contains("<colorScale>"), "{overview_xml:.600}");
    assert!(overview_xml.contains("<conditionalFormatting sqref=\"D2:T6\">"));
    let core = zipped(&one, "docProps/core.xml");
    assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
}

#[test]
fn english_names_the_sheets_and_headers_in_english_and_keeps_the_roadmap_dutch() {
    let folder = tempfile::tempdir().unwrap();
    let dutch = folder.path().join("nl.xlsx");
    let english = folder.path().join("en.xlsx");
    write_workbook(PROGRAMMES, &dutch, &[], 0);
    write_workbook(PROGRAMMES, &english, &["--lang", "en"], 0);
    let (dutch, english) = (sheets(&dutch), sheets(&english));
    let names: Vec<&str> = english.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Overview", "Tips", "Stakeholders"]);
    assert_eq!(
        texts(&english[0].1[0])[..3],
        ["Programme", "Name", "Faculty"]
    );
    assert_eq!(texts(&english[1].1[0])[10], "Reason");
    // The section titles and everything below the headers are the same.
    assert_eq!(english[0].1[0][3..20], dutch[0].1[0][3..20]);
    assert_eq!(english[1].1[1..], dutch[1].1[1..]);
}

#[test]
fn a_failed_programme_keeps_its_row_with_the_error() {
    let folder = tempfile::tempdir().unwrap();
    let mut programmes: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(PROGRAMMES).unwrap()).unwrap();
    programmes[1]["answers"]["integratie.eerste_100_dagen"] = Value::from(99);
    // A programme id that Excel would take for a formula stays text.
    programmes[2]["programme"] = Value::from("=1+1");
    let input = folder.path().join("programmes.json");
    std::fs::write(&input, serde_json::to_string(&programmes).unwrap()).unwrap();
    let out = folder.path().join("advies.xlsx");
    write_workbook(path_str(&input), &out, &[], 3);
    let sheets = sheets(&out);
    let overview = &sheets[0].1;
    assert_eq!(overview.len(), 1 + 5);
    let error = overview[2][22].to_string();
    assert!(error.contains("integratie.eerste_100_dagen") || error.contains("99"));
    assert!(error.starts_with("rij "), "{error}");
    assert_eq!(overview[3][0], Data::String("=1+1".to_owned()));
    assert!(overview[1][22].to_string().is_empty());
    assert!(
        sheets[1].1[1..]
            .iter()
            .all(|row| row[0].to_string() != overview[2][0].to_string()),
        "a failed programme has no tips"
    );
    let styles = zipped(&out, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""));
}

#[test]
fn a_workbook_needs_an_output_file() {
    let output = run(&["advise", PROGRAMMES, "--format", "xlsx"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--out FILE.xlsx"));
}
