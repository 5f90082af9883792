//! `advise --format html|md --previous PATH`: each programme's page shows what moved
//! since an earlier run (the change in score per section, the tips completed, the tips
//! still open from the earlier first cycle, the ids of older rules counted), with or
//! without `--dashboard`. The earlier run is the examples with worse answers on
//! assessment for one programme, without another programme, and with a tip of older
//! rules.

// Test helpers may fail loudly.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{run, stderr};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programmes.json");

/// The programme whose answers were worse in the earlier run.
const IMPROVED: &str = "M-INT-BUSINESS";
/// The programme the earlier run did not have.
const NEW: &str = "B-HBO-ICT";
/// A tip of older rules in the earlier run.
const OLD_TIP: &str = "oude_factor.oude_tip";

fn select(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn text_of(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// Writes the earlier run into `folder`: the examples with every `toetsing` answer of
/// [`IMPROVED`] at 1, without [`NEW`], advised as JSON Lines, plus [`OLD_TIP`] in the
/// plan of [`IMPROVED`].
fn earlier_run(folder: &Path) -> PathBuf {
    let examples: Value = serde_json::from_str(&fs::read_to_string(EXAMPLES).unwrap()).unwrap();
    let mut earlier: Vec<Value> = examples
        .as_array()
        .unwrap()
        .iter()
        .filter(|programme| programme["programme"] != NEW)
        .cloned()
        .collect();
    let improved = earlier
        .iter_mut()
        .find(|programme| programme["programme"] == IMPROVED)
        .unwrap();
    for (question, answer) in improved["answers"].as_object_mut().unwrap() {
        if question.starts_with("toetsing.") && answer.is_number() {
            *answer = Value::from(1);
        }
    }
    let input = folder.join("vorige-invoer.json");
    fs::write(&input, serde_json::to_string(&earlier).unwrap()).unwrap();
    let path = folder.join("vorige.jsonl");
    let output = run(&[
        "advise",
        input.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<String> = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|line| {
            let mut advice: Value = serde_json::from_str(line).unwrap();
            if advice["programme"] == IMPROVED {
                let mut old = advice["tips"][0].clone();
                old["id"] = Value::from(OLD_TIP);
                advice["tips"].as_array_mut().unwrap().push(old);
            }
            format!("{advice}\n")
        })
        .collect();
    fs::write(&path, lines.concat()).unwrap();
    path
}

/// Runs `advise` on the examples into `folder/out` with `extra` arguments.
fn advise(folder: &Path, extra: &[&str]) -> PathBuf {
    let out = folder.join("out");
    let mut args = vec!["advise", EXAMPLES, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    out
}

fn page(out: &Path, programme: &str) -> Html {
    Html::parse_document(&fs::read_to_string(out.join(format!("{programme}.html"))).unwrap())
}

#[test]
fn a_page_shows_the_change_in_score_the_tips_completed_and_those_still_open() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = earlier_run(folder.path());
    let out = advise(
        folder.path(),
        &["--format", "html", "--previous", earlier.to_str().unwrap()],
    );
    let report = page(&out, IMPROVED);
    let section = report.select(&select("section#voortgang")).next().unwrap();
    let heading = section.select(&select("h2")).next().map(text_of);
    assert_eq!(heading.as_deref(), Some("Voortgang sinds de vorige keer"));
    assert!(report
        .select(&select("nav.toc a[href='#voortgang']"))
        .next()
        .is_some());
    // Toetsing went up from 1.00; the other sections stayed where they were.
    let rows: Vec<Vec<String>> = section
        .select(&select("table.progress tbody tr"))
        .map(|row| row.select(&select("td, th")).map(text_of).collect())
        .collect();
    assert_eq!(rows.len(), 17);
    let toetsing = rows.iter().find(|row| row[1] == "Toetsing").unwrap();
    assert_eq!(toetsing[2], "1.00", "{toetsing:?}");
    assert_eq!(toetsing[3], "2.94", "{toetsing:?}");
    assert_eq!(toetsing[4], "+1.94", "{toetsing:?}");
    let completed_in_toetsing: u32 = toetsing[5].parse().unwrap();
    assert!(completed_in_toetsing > 0, "{toetsing:?}");
    for row in rows.iter().filter(|row| row[1] != "Toetsing") {
        assert_eq!(row[4], "0.00", "{row:?}");
        assert_eq!(row[5], "0", "{row:?}");
    }
    // The tips completed are listed with their texts, all of them toetsing tips.
    let completed: Vec<String> = section
        .select(&select("ul.completed li"))
        .map(text_of)
        .collect();
    assert_eq!(completed.len() as u32, completed_in_toetsing);
    assert!(completed.iter().all(|tip| tip.contains("toetsing.")));
    let still_open: u32 = rows.iter().map(|row| row[6].parse::<u32>().unwrap()).sum();
    assert_eq!(
        section.select(&select("ul.still-open li")).count() as u32,
        still_open
    );
    assert!(still_open > 0);
    // The tip of older rules is counted and named.
    let counted = section
        .select(&select(".no-longer-exist"))
        .next()
        .map(text_of);
    assert_eq!(counted.as_deref(), Some("1"));
    let missing: Vec<String> = section
        .select(&select("ul.missing li"))
        .map(text_of)
        .collect();
    assert_eq!(missing, [OLD_TIP]);
    assert!(section.select(&select(".note")).next().is_none());

    // A programme the earlier run did not have says so.
    let new = page(&out, NEW);
    let section = new.select(&select("section#voortgang")).next().unwrap();
    assert!(section
        .select(&select("p.not-in-previous"))
        .next()
        .is_some());
    assert!(section.select(&select("table")).next().is_none());
}

#[test]
fn pages_without_previous_have_no_progress_section() {
    let folder = tempfile::tempdir().unwrap();
    let out = advise(folder.path(), &["--format", "html"]);
    let report = page(&out, IMPROVED);
    assert!(report.select(&select("#voortgang")).next().is_none());
}

#[test]
fn previous_with_pages_and_the_dashboard_shows_progress_in_both() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = earlier_run(folder.path());
    let dashboard = folder.path().join("dashboard.html");
    let out = advise(
        folder.path(),
        &[
            "--format",
            "html",
            "--previous",
            earlier.to_str().unwrap(),
            "--dashboard",
            dashboard.to_str().unwrap(),
        ],
    );
    let report = page(&out, IMPROVED);
    let section = report.select(&select("section#voortgang")).next().unwrap();
    assert!(section.select(&select("ul.completed li")).count() > 0);
    let dashboard = Html::parse_document(&fs::read_to_string(&dashboard).unwrap());
    let rows = dashboard
        .select(&select("#progress table.progress-programmes tr.programme"))
        .count();
    assert_eq!(rows, 4, "the programmes in both runs");
    let counted: Vec<String> = dashboard
        .select(&select("#progress .no-longer-exist"))
        .map(text_of)
        .collect();
    assert_eq!(counted, ["1"]);
}

#[test]
fn a_markdown_page_with_progress_snapshot() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = earlier_run(folder.path());
    let out = advise(
        folder.path(),
        &["--format", "md", "--previous", earlier.to_str().unwrap()],
    );
    let page = fs::read_to_string(out.join(format!("{IMPROVED}.md"))).unwrap();
    let start = page.find("## Voortgang").unwrap();
    let end = page.find("## Deze cyclus").unwrap();
    insta::assert_snapshot!("markdown_progress_m_int_business", &page[start..end]);
    let new = fs::read_to_string(out.join(format!("{NEW}.md"))).unwrap();
    assert!(new.contains("De vorige run had geen advies voor deze opleiding"));
}

#[test]
fn previous_is_refused_where_nothing_shows_progress() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = earlier_run(folder.path());
    let output = run(&[
        "advise",
        EXAMPLES,
        "--format",
        "jsonl",
        "--previous",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--previous shows progress"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_earlier_run_of_other_rules_is_matched_by_id_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = earlier_run(folder.path());
    let same = advise(
        folder.path(),
        &["--format", "html", "--previous", earlier.to_str().unwrap()],
    );
    let completed = |out: &Path| {
        let report = page(out, IMPROVED);
        let items: Vec<String> = report
            .select(&select("#voortgang ul.completed li"))
            .map(text_of)
            .collect();
        let noted = report.select(&select("#voortgang .note")).next().is_some();
        (items, noted)
    };
    let (before, noted) = completed(&same);
    assert!(!noted);
    // The same run, as if older rules (another content hash) had made it.
    let text = fs::read_to_string(&earlier).unwrap();
    let other: String = text
        .lines()
        .map(|line| {
            let mut advice: Value = serde_json::from_str(line).unwrap();
            advice["ruleset"]["hash"] = Value::from("0".repeat(64));
            format!("{advice}\n")
        })
        .collect();
    fs::write(&earlier, other).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let out = advise(
        folder.path(),
        &["--format", "html", "--previous", earlier.to_str().unwrap()],
    );
    let (after, noted) = completed(&out);
    assert!(noted, "the page says the earlier rules were other rules");
    assert_eq!(before, after);
    assert!(!after.is_empty());
}

#[test]
fn pages_with_progress_are_the_same_for_any_number_of_jobs() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = earlier_run(folder.path());
    let earlier = earlier.to_str().unwrap();
    let read = |out: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out)
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    for format in ["html", "md"] {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let args = ["--format", format, "--previous", earlier, "--jobs"];
        let one = advise(one.path(), &[&args[..], &["1"]].concat());
        let two = advise(two.path(), &[&args[..], &["2"]].concat());
        let (one, two) = (read(&one), read(&two));
        assert_eq!(one.len(), 6);
        assert!(
            one == two,
            "{format}: the pages differ between --jobs 1 and 2"
        );
    }
}
