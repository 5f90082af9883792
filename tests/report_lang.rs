//! `--lang en`: every interface label of the reports for people (html and md pages,
//! the dashboard, the text output) is English, while the Roadmap's own texts stay
//! Dutch; and the Dutch reports (the default) have the Dutch labels.

// Test helpers may fail loudly.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::fs;
use std::path::Path;

use common::{run, stderr, stdout};
use studentsucces::report::programme::Labels;
use studentsucces::report::Lang;
use studentsucces::ruleset::RuleSet;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/programmes.json");

/// Labels of the pages that name the parts a reader looks for, in Dutch.
const DUTCH_LABELS: [&str; 8] = [
    "Deze cyclus",
    "Volgende cyclus",
    "Eerst uitzoeken",
    "Niet van toepassing",
    "Toelichtingen van het team",
    "Bijlage: alle tips",
    "Plan per betrokkene en fase",
    "Voortgang sinds de vorige keer",
];

/// Labels of the dashboard, in Dutch.
const DUTCH_DASHBOARD_LABELS: [&str; 6] = [
    "Kandidaten voor een aanpak voor de hele instelling",
    "Hoe gekozen",
    "Werklast per trekker",
    "Wat de instelling nog niet weet",
    "Centrale verantwoordelijkheden",
    "Voortgang sinds de vorige keer",
];

/// Every Dutch label of the pages that differs from its English one, is long enough not
/// to occur by chance inside a word, and occurs in none of the Roadmap's texts (which
/// stay Dutch).
fn distinct_dutch_labels() -> Vec<String> {
    let ruleset = RuleSet::roadmap().unwrap();
    let mut roadmap: Vec<String> = ruleset.tips().iter().map(|tip| tip.text.clone()).collect();
    roadmap.extend(
        ruleset
            .questions()
            .iter()
            .map(|question| question.text.clone()),
    );
    roadmap.extend(
        ruleset
            .sections()
            .iter()
            .map(|section| section.title.clone()),
    );
    roadmap.extend(ruleset.stakeholders().iter().map(|role| role.name.clone()));
    let dutch = serde_json::to_value(Labels::new(Lang::Nl)).unwrap();
    let english = serde_json::to_value(Labels::new(Lang::En)).unwrap();
    dutch
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, value)| english[key.as_str()] != **value)
        .filter_map(|(_, value)| value.as_str())
        .filter(|label| label.len() >= 8)
        .filter(|label| !roadmap.iter().any(|text| text.contains(label)))
        .map(str::to_owned)
        .collect()
}

/// The examples advised with `--previous` (an earlier run of themselves) in `format`
/// and `lang`, pages into `folder/out` and the dashboard into `folder/dashboard.html`.
fn advise(folder: &Path, format: &str, lang: &str) {
    let earlier = folder.join("vorige.jsonl");
    let output = run(&[
        "advise",
        EXAMPLES,
        "--format",
        "jsonl",
        "--out",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = folder.join("out");
    let dashboard = folder.join("dashboard.html");
    let output = run(&[
        "advise",
        EXAMPLES,
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
        "--lang",
        lang,
        "--previous",
        earlier.to_str().unwrap(),
        "--dashboard",
        dashboard.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Every page of `folder/out` with its text.
fn pages(folder: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = fs::read_dir(folder.join("out"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn english_pages_have_no_dutch_labels_and_keep_the_roadmaps_texts() {
    let labels = distinct_dutch_labels();
    assert!(labels.len() > 30, "{labels:?}");
    for format in ["html", "md"] {
        let folder = tempfile::tempdir().unwrap();
        advise(folder.path(), format, "en");
        let pages = pages(folder.path());
        assert_eq!(pages.len(), 6, "{format}");
        for (name, page) in &pages {
            for label in DUTCH_LABELS
                .iter()
                .copied()
                .chain(labels.iter().map(String::as_str))
            {
                assert!(!page.contains(label), "{format} {name}: `{label}`");
            }
        }
        let (_, report) = pages
            .iter()
            .find(|(name, _)| name.starts_with("M-INT"))
            .unwrap();
        for label in [
            "This cycle",
            "To establish first",
            "Not applicable",
            "Progress since last time",
        ] {
            assert!(report.contains(label), "{format}: `{label}`");
        }
        // The Roadmap's texts stay Dutch.
        assert!(report.contains("Student centraal"), "{format}");
        if format == "html" {
            assert!(report.contains("<html lang=\"en\">"));
        }
        let dashboard = fs::read_to_string(folder.path().join("dashboard.html")).unwrap();
        for label in DUTCH_DASHBOARD_LABELS {
            assert!(!dashboard.contains(label), "dashboard: `{label}`");
        }
        assert!(dashboard.contains("Student centraal"));
    }
}

#[test]
fn dutch_pages_have_the_dutch_labels() {
    for format in ["html", "md"] {
        let folder = tempfile::tempdir().unwrap();
        advise(folder.path(), format, "nl");
        let pages = pages(folder.path());
        let (_, report) = pages
            .iter()
            .find(|(name, _)| name.starts_with("M-INT"))
            .unwrap();
        for label in DUTCH_LABELS {
            assert!(report.contains(label), "{format}: `{label}`");
        }
        let dashboard = fs::read_to_string(folder.path().join("dashboard.html")).unwrap();
        for label in DUTCH_DASHBOARD_LABELS {
            assert!(dashboard.contains(label), "dashboard: `{label}`");
        }
    }
}

#[test]
fn the_text_output_follows_lang_and_shows_progress() {
    let folder = tempfile::tempdir().unwrap();
    let earlier = folder.path().join("vorige.jsonl");
    let earlier = earlier.to_str().unwrap();
    let output = run(&["advise", EXAMPLES, "--format", "jsonl", "--out", earlier]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = |lang: &str| {
        let output = run(&[
            "advise",
            EXAMPLES,
            "--detail",
            "--lang",
            lang,
            "--previous",
            earlier,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    let (dutch, english) = (text("nl"), text("en"));
    let pairs = [
        ("Advies voor", "Advice for"),
        ("Deze cyclus", "This cycle"),
        ("Volgende cyclus", "Next cycle"),
        ("Eerst uitzoeken", "To establish first"),
        ("Niet van toepassing", "Not applicable"),
        ("Voortgang sinds de vorige keer", "Progress since last time"),
        ("Betrokkenen (trekker van", "Stakeholders (leads"),
        ("Trekker:", "Lead:"),
        ("Waarom nu:", "Why now:"),
    ];
    for (nl, en) in pairs {
        assert!(dutch.contains(nl), "nl: `{nl}`");
        assert!(!english.contains(nl), "en: `{nl}`");
        assert!(english.contains(en), "en: `{en}`");
    }
    assert!(english.contains("Student centraal"));
}

#[test]
fn the_csv_cycle_names_follow_lang_and_the_header_does_not() {
    let csv = |lang: &str| {
        let output = run(&["advise", EXAMPLES, "--format", "csv", "--lang", lang]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    let (dutch, english) = (csv("nl"), csv("en"));
    assert_eq!(dutch.lines().next(), english.lines().next());
    assert!(dutch.contains(",Deze cyclus,") && dutch.contains(",Volgende cyclus,"));
    assert!(!english.contains("Deze cyclus") && !english.contains("Volgende cyclus"));
    assert!(english.contains(",This cycle,") && english.contains(",Next cycle,"));
    assert_eq!(dutch.lines().count(), english.lines().count());
}
