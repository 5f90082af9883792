//! `advise --dashboard`: the institution dashboard, run as the real binary and read back
//! as HTML: the heatmap, the candidates (the same as the summary's), the failures, the
//! progress since an earlier run, and the same bytes for any thread count.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run as studentsucces, stderr};

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use serde_json::Value;
use studentsucces::ruleset::RuleSet;

fn select(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn texts(page: &Html, selector: &str) -> Vec<String> {
    page.select(&select(selector))
        .map(|element| element.text().collect::<String>())
        .collect()
}

/// Runs `advise INPUT --dashboard FOLDER/dashboard.html ARGS...`; the exit code and the
/// page.
fn dashboard(folder: &Path, input: &Path, args: &[&str]) -> (i32, Html, String) {
    let page = folder.join("dashboard.html");
    let mut all = vec![
        "advise",
        input.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        "-",
        "--dashboard",
        page.to_str().unwrap(),
    ];
    all.extend(args);
    let output = studentsucces(&all);
    let code = output.status.code().unwrap();
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(code == 0 || code == 3, "{}", stderr(&output));
    (code, Html::parse_document(&html), html)
}

/// A generated Roadmap cohort.
fn generated(folder: &Path, programmes: u32) -> PathBuf {
    let path = folder.join(format!("cohort-{programmes}.jsonl"));
    let output = studentsucces(&[
        "generate",
        "--programmes",
        &programmes.to_string(),
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    path
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programmes.json")
}

#[test]
fn every_programme_links_to_the_page_advise_writes_for_it() {
    let folder = tempfile::tempdir().unwrap();
    let pages = folder.path().join("pages");
    let page = pages.join("dashboard.html");
    let output = studentsucces(&[
        "advise",
        examples().to_str().unwrap(),
        "--format",
        "html",
        "--out",
        pages.to_str().unwrap(),
        "--dashboard",
        page.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
    let links: Vec<String> = html
        .select(&select("#heat tr.programme a"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(links.len(), 5, "{links:?}");
    for link in links {
        assert!(pages.join(&link).is_file(), "{link} is not a page");
    }
}

#[test]
fn the_heatmap_has_a_row_per_programme_and_a_column_per_section() {
    let folder = tempfile::tempdir().unwrap();
    let (code, page, html) = dashboard(folder.path(), &examples(), &[]);
    assert_eq!(code, 0);
    let sections = RuleSet::roadmap().unwrap().sections().len();
    assert_eq!(sections, 17);
    assert_eq!(
        page.select(&select("#heat thead th.section")).count(),
        sections
    );
    let rows: Vec<_> = page.select(&select("#heat tr.programme")).collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        assert_eq!(row.select(&select("td")).count(), sections);
    }
    let links: Vec<String> = page
        .select(&select("#heat tr.programme a"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    for id in [
        "B-HBO-ICT",
        "B-SOCIAAL-WERK",
        "M-INT-BUSINESS",
        "AD-LOGISTIEK",
        "B-VERPLEEGKUNDE-DT",
    ] {
        assert!(links.contains(&format!("{id}.html")), "{id}: {links:?}");
    }
    // Grouped by faculty, server side: Economie, Gezondheid, Sociale Studies, Techniek.
    let groups = texts(&page, "#heat th[scope=rowgroup]");
    assert_eq!(groups.len(), 4, "{groups:?}");
    assert!(groups[0].contains("Economie") && groups[3].contains("Techniek (2)"));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(texts(&page, "h1")[0].contains("Hogeschool Voorbeeld"));
    // Self-contained: nothing is fetched.
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("<link") && !html.contains(" src="));
    // The institution's own tips are flagged.
    assert!(!texts(&page, "#central tr.central-tip").is_empty());
}

#[test]
fn english_labels_keep_the_roadmaps_dutch_texts() {
    let folder = tempfile::tempdir().unwrap();
    let (_, page, html) = dashboard(folder.path(), &examples(), &["--lang", "en"]);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(texts(&page, "h2")
        .iter()
        .any(|h| h == "Scores per principle and factor"));
    assert!(html.contains("title=\"Student centraal\""));
}

#[test]
fn candidates_are_few_and_agree_with_the_summary() {
    let folder = tempfile::tempdir().unwrap();
    let cohort = generated(folder.path(), 80);
    let summary = folder.path().join("summary.json");
    let (code, page, _) = dashboard(
        folder.path(),
        &cohort,
        &["--summary", summary.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(page.select(&select("#heat tr.programme")).count(), 80);
    let shown: Vec<String> = page
        .select(&select("#candidates tr.candidate span.id"))
        .map(|id| id.text().collect())
        .collect();
    assert!(
        (1..=15).contains(&shown.len()),
        "{} candidates",
        shown.len()
    );
    let summary: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    let listed: Vec<&str> = summary["institution_wide"]["tips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tip| tip["id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, listed);
}

#[test]
fn a_failed_programme_appears_with_its_reason() {
    let folder = tempfile::tempdir().unwrap();
    let cohort = generated(folder.path(), 3);
    let mut text = std::fs::read_to_string(&cohort).unwrap();
    text.push_str("{\"programme\": \"KAPOT-1\", \"answers\": {\"toetsing.frequentie\": 9}}\n");
    let input = folder.path().join("met-fout.jsonl");
    std::fs::write(&input, text).unwrap();
    let (code, page, _) = dashboard(folder.path(), &input, &[]);
    assert_eq!(code, 3);
    let failures = texts(&page, "#failures tr.failure");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("KAPOT-1"), "{failures:?}");
    assert!(failures[0].contains("toetsing.frequentie"), "{failures:?}");
    assert_eq!(page.select(&select("#heat tr.programme")).count(), 3);
}

#[test]
fn progress_since_an_earlier_run_shows_what_moved() {
    let folder = tempfile::tempdir().unwrap();
    let cohort = generated(folder.path(), 12);
    let earlier = folder.path().join("vorige.jsonl");
    let output = studentsucces(&[
        "advise",
        cohort.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Make the earlier run of the first programme look different: a lower score, a
    // tip that is no longer in the plan, a current tip in the earlier first cycle, and
    // a tip of older rules.
    let text = std::fs::read_to_string(&earlier).unwrap();
    let mut lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let first = &mut lines[0];
    let programme = first["programme"].as_str().unwrap().to_owned();
    let planned: Vec<String> = first["tips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tip| tip["id"].as_str().unwrap().to_owned())
        .collect();
    let still_open = planned[0].clone();
    let ruleset = RuleSet::roadmap().unwrap();
    let completed = ruleset
        .tips()
        .iter()
        .map(|tip| tip.id.clone())
        .find(|id| !planned.contains(id))
        .unwrap();
    let section = first["sections"][0].clone();
    let mean = section["mean"].as_f64().unwrap();
    first["sections"][0]["mean"] = Value::from(mean - 1.0);
    let template = first["tips"][0].clone();
    let tips = first["tips"].as_array_mut().unwrap();
    tips[0]["cycle"] = Value::from(1);
    let mut done = template.clone();
    done["id"] = Value::from(completed.clone());
    tips.push(done);
    let mut gone = template;
    gone["id"] = Value::from("oude_factor.oude_tip");
    tips.push(gone);
    let mut modified: String = lines.iter().map(|line| format!("{line}\n")).collect();
    modified.push_str("{\"schema_version\":3,\"programme\":\"X\",\"row\":9,\"error\":{\"column\":null,\"value\":null,\"expected\":\"iets\",\"message\":\"kapot\"}}\n");
    std::fs::write(&earlier, modified).unwrap();

    let (code, page, _) = dashboard(
        folder.path(),
        &cohort,
        &["--previous", earlier.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(texts(&page, "#progress .no-longer-exist"), ["1"]);
    assert!(texts(&page, "#progress ul.missing li").contains(&"oude_factor.oude_tip".to_owned()));
    let rows: Vec<_> = page
        .select(&select("#progress table.progress-programmes tr.programme"))
        .collect();
    assert_eq!(rows.len(), 12);
    let row = rows
        .iter()
        .find(|row| row.text().any(|text| text == programme))
        .unwrap();
    let cells: Vec<String> = row
        .select(&select("td"))
        .map(|td| td.text().collect())
        .collect();
    // After the faculty: the change per section, first section first.
    assert_eq!(cells[1], "+1,00", "{cells:?}");
    let completed_cell: String = row
        .select(&select("td.completed"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(completed_cell.contains(&completed), "{completed_cell}");
    let open_cell: String = row
        .select(&select("td.still-open"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(open_cell.contains(&still_open), "{open_cell}");
    let summary = texts(&page, "#progress p.meta").join(" ");
    assert!(summary.contains("1 foutregels overgeslagen"), "{summary}");
}

#[test]
fn an_unreadable_earlier_run_names_the_file_and_line() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = folder.path().join("vorige.jsonl");
    std::fs::write(
        &earlier,
        "\n{\"schema_version\": 3, \"programme\": \"P\"}\n",
    )
    .unwrap();
    let page = folder.path().join("d.html");
    let output = studentsucces(&[
        "advise",
        examples().to_str().unwrap(),
        "--format",
        "jsonl",
        "--dashboard",
        page.to_str().unwrap(),
        "--previous",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("vorige.jsonl` line 2"), "{message}");
    assert!(!page.exists());
}

#[test]
fn the_dashboard_is_the_same_for_any_thread_count() {
    let folder = tempfile::tempdir().unwrap();
    let cohort = generated(folder.path(), 80);
    let earlier = folder.path().join("vorige.jsonl");
    let output = studentsucces(&[
        "advise",
        cohort.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let previous = earlier.to_str().unwrap();
    let (_, _, one) = dashboard(
        folder.path(),
        &cohort,
        &["--jobs", "1", "--previous", previous],
    );
    let (_, _, two) = dashboard(
        folder.path(),
        &cohort,
        &["--jobs", "2", "--previous", previous],
    );
    assert!(one.len() > 1000);
    assert!(one == two, "the dashboards differ");
}
