//! `advise --format html|md --out DIR`: one page per programme and an index, checked by
//! parsing the HTML of the bundled examples, a Markdown snapshot, byte-identical pages
//! for any `--jobs`, escaping of hostile text, and the usage errors.

// Test helpers may fail loudly.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{run, stderr};
use scraper::{Html, Selector};
use studentsucces::ruleset::RuleSet;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programmes.json");

fn select(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

/// Runs `advise` on `input` into `folder` with the extra arguments; returns the exit code.
fn advise_into(input: &str, folder: &Path, extra: &[&str]) -> Option<i32> {
    let mut args = vec!["advise", input, "--out", folder.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = run(&args);
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "{}",
        stderr(&output)
    );
    output.status.code()
}

/// Every file of a folder with its bytes.
fn files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(folder)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// The programmes of the examples with their cycle-1 tips, from the JSON advice.
fn example_focus() -> Vec<(String, Vec<String>)> {
    let output = run(&["advise", EXAMPLES, "--format", "json"]);
    let advice: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    advice
        .as_array()
        .unwrap()
        .iter()
        .map(|advice| {
            let focus = advice["focus"].as_array().unwrap();
            (
                advice["programme"].as_str().unwrap().to_owned(),
                focus
                    .iter()
                    .map(|tip| tip.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn lead_name(ruleset: &RuleSet, tip: &str) -> String {
    let index = ruleset.tip_index(tip).unwrap();
    let roles = ruleset.roles();
    let role = roles.lead_of(index).unwrap();
    roles.get(role).unwrap().name.clone()
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>()
}

#[test]
fn the_example_reports_have_headings_cycle_one_chart_table_and_no_links_out() {
    let folder = tempfile::tempdir().unwrap();
    advise_into(EXAMPLES, folder.path(), &["--format", "html"]);
    let ruleset = RuleSet::roadmap().unwrap();
    let sections = ruleset.sections().len();
    let examples = example_focus();
    assert_eq!(examples.len(), 5);
    for (programme, focus) in &examples {
        let path = folder.path().join(format!("{programme}.html"));
        let source = fs::read_to_string(&path).unwrap();
        let page = Html::parse_document(&source);
        let html = page.select(&select("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some("nl"));
        assert_eq!(page.select(&select("h1")).count(), 1);
        let headings: Vec<String> = page.select(&select("h2")).map(text_of).collect();
        for expected in [
            "Profiel per uitgangspunt en factor",
            "Deze cyclus",
            "Volgende cyclus",
            "Plan per betrokkene en fase",
            "Eerst uitzoeken",
            "Niet van toepassing",
            "Toelichtingen van het team",
            "Bijlage: alle tips",
        ] {
            assert!(
                headings.iter().any(|h| h == expected),
                "{programme}: {headings:?}"
            );
        }
        // Cycle 1: each tip with its text and lead.
        let cycle = page.select(&select("#deze-cyclus")).next().unwrap();
        let tips: Vec<_> = cycle.select(&select("article.tip")).collect();
        assert_eq!(tips.len(), focus.len(), "{programme}");
        for (article, tip) in tips.iter().zip(focus) {
            let text = text_of(*article);
            let catalogued = ruleset.tip(ruleset.tip_index(tip).unwrap()).unwrap();
            assert!(text.contains(tip.as_str()), "{programme}: {tip}");
            assert!(text.contains(&catalogued.text), "{programme}: {tip}");
            let lead = article.select(&select(".lead")).next().map(text_of);
            assert_eq!(lead, Some(lead_name(&ruleset, tip)), "{programme}: {tip}");
            assert!(text.contains("Waarom nu"), "{programme}: {tip}");
        }
        // The chart: one bar per section, and the table behind it.
        let bars = page.select(&select("svg.chart g.bar rect")).count();
        assert_eq!(bars, sections, "{programme}");
        assert!(page.select(&select("svg.chart title")).next().is_some());
        let rows = page.select(&select("table.scores tbody tr")).count();
        assert_eq!(rows, sections, "{programme}");
        // The appendix: every tip of the Roadmap.
        let appendix = page.select(&select("#bijlage tbody tr")).count();
        assert_eq!(appendix, ruleset.tips().len(), "{programme}");
        assert_eq!(page.select(&select("#bijlage h3")).count(), sections);
        // Self-contained: no scripts, no external resources or links.
        assert_eq!(page.select(&select("script")).count(), 0);
        assert_eq!(page.select(&select("link")).count(), 0);
        for element in page.select(&select("[href], [src]")) {
            for attribute in ["href", "src"] {
                let target = element.value().attr(attribute).unwrap_or("");
                assert!(!target.contains(':'), "{programme}: {target}");
            }
        }
        assert!(source.contains("@media print") && source.contains("size: A4"));
    }
    // The index links every programme, with its name and faculty.
    let index = fs::read_to_string(folder.path().join("index.html")).unwrap();
    let index = Html::parse_document(&index);
    let links: Vec<String> = index
        .select(&select("a[href]"))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    let rows: Vec<String> = index.select(&select("tbody tr")).map(text_of).collect();
    assert_eq!(rows.len(), examples.len());
    for (programme, _) in &examples {
        assert!(links.contains(&format!("{programme}.html")), "{links:?}");
    }
    assert!(rows
        .iter()
        .any(|row| row.contains("Social Work") && row.contains("Sociale Studies")));
}

#[test]
fn a_markdown_report_snapshot() {
    let folder = tempfile::tempdir().unwrap();
    advise_into(EXAMPLES, folder.path(), &["--format", "md"]);
    let files = files(folder.path());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "AD-LOGISTIEK.md",
            "B-HBO-ICT.md",
            "B-SOCIAAL-WERK.md",
            "B-VERPLEEGKUNDE-DT.md",
            "M-INT-BUSINESS.md",
            "index.md"
        ]
    );
    let page = String::from_utf8(files["M-INT-BUSINESS.md"].clone()).unwrap();
    insta::assert_snapshot!("markdown_report_m_int_business", page);
    let index = String::from_utf8(files["index.md"].clone()).unwrap();
    insta::assert_snapshot!("markdown_index", index);
}

#[test]
fn pages_are_byte_identical_for_any_number_of_jobs() {
    for format in ["html", "md"] {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        advise_into(EXAMPLES, one.path(), &["--format", format, "--jobs", "1"]);
        advise_into(EXAMPLES, two.path(), &["--format", format, "--jobs", "2"]);
        let (one, two) = (files(one.path()), files(two.path()));
        assert_eq!(one.len(), 6);
        assert!(
            one == two,
            "{format}: the pages differ between --jobs 1 and 2"
        );
    }
}

#[test]
fn hostile_text_is_escaped_clashing_ids_get_their_own_file_and_failures_are_indexed() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("input.json");
    let assessments = serde_json::json!([
        {"programme": "A/B <x>", "meta": {"name": "<script>alert(1)</script>", "faculty": "F & G"},
         "answers": {"toetsing.frequentie": 0},
         "comments": {"toetsing.frequentie": "<img src=http://example.org/x.png> | *ster*"}},
        {"programme": "a/b <X>", "answers": {"toetsing.frequentie": 1}},
        {"programme": "KAPOT", "answers": {"toetsing.frequentie": 99}}
    ]);
    fs::write(&input, assessments.to_string()).unwrap();
    let out = folder.path().join("pages");
    let code = advise_into(
        input.to_str().unwrap(),
        &out,
        &["--format", "html", "--lang", "en"],
    );
    assert_eq!(code, Some(3));
    let files = files(&out);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, ["A_B__x_.html", "a_b__X_-2.html", "index.html"]);
    let page = String::from_utf8(files["A_B__x_.html"].clone()).unwrap();
    assert!(!page.contains("<script>") && !page.contains("<img"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;"));
    let parsed = Html::parse_document(&page);
    assert_eq!(
        parsed
            .select(&select("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("en")
    );
    let headings: Vec<String> = parsed.select(&select("h2")).map(text_of).collect();
    assert!(headings.iter().any(|h| h == "This cycle"), "{headings:?}");
    // The comment is shown, as text.
    let comments = parsed
        .select(&select("#toelichtingen"))
        .next()
        .map(text_of)
        .unwrap();
    assert!(comments.contains("<img src=http://example.org/x.png> | *ster*"));
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    let index = Html::parse_document(&index);
    let rows: Vec<String> = index.select(&select("tbody tr")).map(text_of).collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[2].contains("KAPOT") && rows[2].contains("Not advised"),
        "{rows:?}"
    );
    assert!(rows[2].contains("99"), "{rows:?}");

    // Markdown escapes the markup in user text.
    let md = folder.path().join("md");
    advise_into(input.to_str().unwrap(), &md, &["--format", "md"]);
    let page = fs::read_to_string(md.join("A_B__x_.md")).unwrap();
    assert!(page.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(page.contains("\\<img src=http://example.org/x.png\\> \\| \\*ster\\*"));
}

#[test]
fn pages_need_an_out_folder() {
    let output = run(&["advise", EXAMPLES, "--format", "html"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--out DIR"), "{}", stderr(&output));
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("report.html");
    fs::write(&file, "old").unwrap();
    let output = run(&[
        "advise",
        EXAMPLES,
        "--format",
        "md",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "old");
}
