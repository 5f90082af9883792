//! `studentsucces graph`: DOT that Graphviz renders (the test skips with a message when
//! `dot` is not installed), Mermaid, and the command's exit codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{plan_data as data, run, run_ok};

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use studentsucces::plan::{render_dot, render_mermaid, GraphView, Profile};
use studentsucces::ruleset::RuleSet;

fn path(name: &str) -> String {
    data(name).display().to_string()
}

/// Renders DOT with Graphviz; `None` when `dot` is not installed.
fn render_svg(dot: &str) -> Option<Output> {
    let mut child = match Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: Graphviz `dot` is not installed (apt-get install graphviz)");
            return None;
        }
        Err(error) => panic!("cannot run dot: {error}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    Some(child.wait_with_output().unwrap())
}

fn assert_renders(dot: &str) {
    let Some(output) = render_svg(dot) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "dot failed: {stderr}\n{dot}");
    assert!(stderr.trim().is_empty(), "dot warned: {stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
}

#[test]
fn the_roadmap_catalogue_dot_renders_with_graphviz() {
    let dot = run_ok(&["graph"]);
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    assert_eq!(
        dot.matches(" [label=\"").count() - dot.matches("shape=plaintext").count(),
        ruleset.tips().len()
    );
    assert_renders(&dot);
}

#[test]
fn a_roadmap_programme_plan_renders_with_graphviz() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programmes.json");
    let examples = examples.display().to_string();
    let dot = run_ok(&["graph", &examples, "--programme", "B-SOCIAAL-WERK"]);
    assert!(dot.contains("plan voor B-SOCIAAL-WERK") && dot.contains("subgraph phase_2_group"));
    assert_renders(&dot);
}

#[test]
fn names_with_quotes_and_backslashes_are_escaped() {
    let profile = "name = \"Hogeschool \\\"Zuid\\\"\"\n[rename]\ndocenten = \"Docenten \\\"A\\\" \\\\ B <#1>\"\n";
    let options = studentsucces::Options::new().profile(Profile::parse("p.toml", profile).unwrap());
    let ruleset = RuleSet::from_path(data("small.rules"), &options)
        .unwrap()
        .into_ruleset();
    let dot = render_dot(&ruleset, GraphView::Catalogue);
    assert!(dot.contains(r#"Docenten \"A\" \\ B <#1>"#), "{dot}");
    assert_renders(&dot);
    let mermaid = render_mermaid(&ruleset, GraphView::Catalogue);
    assert!(
        mermaid.contains("Docenten #quot;A#quot; \\ B #lt;#35;1#gt;"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains(r#"title: "Klein plan 1: alle tips, profiel Hogeschool \"Zuid\"""#),
        "{mermaid}"
    );
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => "data/plan/snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn a_small_plan_as_dot_and_mermaid() {
    let programme = path("programme.json");
    let rules = path("small.rules");
    let dot = run(&["graph", &programme, "--rules", &rules]);
    assert_eq!(dot.status.code(), Some(0));
    let dot = String::from_utf8(dot.stdout).unwrap();
    snapshot("small_plan_dot", &dot);
    assert_renders(&dot);
    let mermaid = run(&[
        "graph", &programme, "--rules", &rules, "--format", "mermaid",
    ]);
    assert_eq!(mermaid.status.code(), Some(0));
    snapshot(
        "small_plan_mermaid",
        &String::from_utf8(mermaid.stdout).unwrap(),
    );
}

#[test]
fn the_profile_applies_to_the_graph() {
    let programme = path("programme.json");
    let rules = path("small.rules");
    let profile = path("profile.toml");
    let output = run(&[
        "graph",
        &programme,
        "--rules",
        &rules,
        "--profile",
        &profile,
    ]);
    let dot = String::from_utf8(output.stdout).unwrap();
    assert!(dot.contains("profiel Hogeschool Voorbeeld") && dot.contains("Docententeam"));
    assert!(!dot.contains("Praktijkbureau"), "merged into the directie");
    assert_eq!(
        dot.matches("color=\"#c0392b\"").count(),
        1,
        "one handoff is left"
    );
}

#[test]
fn an_empty_plan_still_draws() {
    let ruleset = RuleSet::from_path(data("small.rules"), &studentsucces::Options::default())
        .unwrap()
        .into_ruleset();
    let plan = studentsucces::plan::Plan::default();
    let view = GraphView::Programme {
        programme: "LEEG",
        plan: &plan,
    };
    let dot = render_dot(&ruleset, view);
    assert!(dot.contains("Geen tips in het plan"));
    assert_renders(&dot);
    assert!(render_mermaid(&ruleset, view).contains("empty[\"Geen tips in het plan\"]"));
}

#[test]
fn several_programmes_need_programme_and_an_unknown_one_is_named() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programmes.json");
    let examples = examples.display().to_string();
    let output = run(&["graph", &examples]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds 5 programmes; name one with `--programme ID`"),
        "{stderr}"
    );
    let output = run(&["graph", &examples, "--programme", "B-HBO-ICTT"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("programme `B-HBO-ICTT` is not in"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `B-HBO-ICT`?"), "{stderr}");
}

#[test]
fn programme_without_input_is_a_usage_error() {
    let output = run(&["graph", "--programme", "X"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn invalid_input_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"programme\": \"P\", \"answers\": {\"visie.visie\": 9}}",
    )
    .unwrap();
    let rules = path("small.rules");
    let output = run(&["graph", broken.to_str().unwrap(), "--rules", &rules]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("broken.json") && stderr.contains("visie.visie"),
        "{stderr}"
    );
    std::fs::write(&broken, "[1, 2").unwrap();
    let output = run(&["graph", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("broken.json") && stderr.contains("line 1 column"),
        "{stderr}"
    );
}

#[test]
fn graph_reads_the_same_inputs_as_advise() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("programmes.csv");
    let rows =
        "programme;visie.visie;visie.vertaling;toetsing.toetsvorm\nA;1;weet niet;2\nB;4;4;0\n";
    std::fs::write(&csv, rows).unwrap();
    let rules = path("small.rules");
    let dot = run_ok(&[
        "graph",
        csv.to_str().unwrap(),
        "--programme",
        "A",
        "--rules",
        &rules,
    ]);
    assert!(
        dot.contains("plan voor A") && dot.contains("visie.vertaling\\nprioriteit 35"),
        "{dot}"
    );
    assert!(
        dot.contains("subgraph phase_3_group"),
        "visie.visie, vertaling, toetsvorm: {dot}"
    );
}
