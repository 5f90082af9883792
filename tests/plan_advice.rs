//! The plan in the advice: per-tip `cycle`, `phase`, `lead`, `after` and `pulled_in_by`,
//! top-level `focus`, `lanes` and `handoffs` in the JSON, and the cycles in the text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::plan_data as data;

use std::process::Command;

use studentsucces::input::Assessment;
use studentsucces::plan::Profile;
use studentsucces::report::{render_text, Advice, TextDetail};
use studentsucces::ruleset::RuleSet;

fn advice(ruleset: &RuleSet) -> Advice<'_> {
    let text = std::fs::read_to_string(data("programme.json")).unwrap();
    let assessment: Assessment = serde_json::from_str(&text).unwrap();
    ruleset.advise(&assessment).unwrap()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => "data/plan/snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn a_small_plans_advice_as_json_and_text() {
    let ruleset = RuleSet::from_path(data("small.rules"), &studentsucces::Options::default())
        .unwrap()
        .into_ruleset();
    let advice = advice(&ruleset);
    snapshot(
        "small_advice_json",
        &serde_json::to_string_pretty(&advice).unwrap(),
    );
    snapshot(
        "small_advice_text",
        &render_text(&ruleset, &advice, TextDetail::Short),
    );
    snapshot(
        "small_advice_text_detail",
        &render_text(&ruleset, &advice, TextDetail::Full),
    );
}

#[test]
fn a_small_plans_advice_with_a_profile() {
    let options =
        studentsucces::Options::new().profile(Profile::read(&data("profile.toml")).unwrap());
    let ruleset = RuleSet::from_path(data("small.rules"), &options)
        .unwrap()
        .into_ruleset();
    let advice = advice(&ruleset);
    assert_eq!(advice.profile, Some("Hogeschool Voorbeeld"));
    let plaatsen = advice
        .tips
        .iter()
        .find(|tip| tip.id == "stage.plaatsen")
        .unwrap();
    let catalogue = serde_json::to_value(ruleset.catalogue()).unwrap();
    let tip = catalogue["tips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tip| tip["id"] == plaatsen.id)
        .unwrap();
    assert_eq!(tip["lead"], "directie", "praktijkbureau merged");
    assert_eq!(tip["stakeholders"], serde_json::json!(["docenten"]));
    snapshot(
        "small_advice_profile_text",
        &render_text(&ruleset, &advice, TextDetail::Full),
    );
}

#[test]
fn the_advice_follows_contract_version_three() {
    let ruleset = RuleSet::from_path(data("small.rules"), &studentsucces::Options::default())
        .unwrap()
        .into_ruleset();
    let json = serde_json::to_value(advice(&ruleset)).unwrap();
    assert_eq!(json["schema_version"], 3);
    for key in [
        "ruleset",
        "programme",
        "meta",
        "answers",
        "sections",
        "focus",
        "tips",
        "scan_first",
        "to_establish",
        "not_applicable",
        "handoffs",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "advice lacks `{key}`");
    }
    for gone in ["scores", "coverage", "lanes"] {
        assert!(json.get(gone).is_none(), "advice still has `{gone}`");
    }
    for tip in json["tips"].as_array().unwrap() {
        for key in ["id", "cycle", "phase", "priority", "because"] {
            assert!(tip.get(key).is_some(), "tip lacks `{key}`");
        }
        for gone in ["section", "text", "lead", "stakeholders", "evidence"] {
            assert!(tip.get(gone).is_none(), "tip still has `{gone}`");
        }
        assert!(tip["because"].is_object(), "because is rule id to priority");
        assert_eq!(
            tip.get("why_now").is_some(),
            tip["cycle"] == 1,
            "why_now exactly in cycle 1"
        );
    }
    assert!(json.get("profile").is_none(), "no profile, no field");
}

#[test]
fn advise_on_the_command_line_takes_a_profile() {
    let output = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .arg("advise")
        .arg(data("programme.json"))
        .arg("--rules")
        .arg(data("small.rules"))
        .arg("--profile")
        .arg(data("profile.toml"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["profile"], "Hogeschool Voorbeeld");
    assert_eq!(json["handoffs"].as_array().unwrap().len(), 1);
}
