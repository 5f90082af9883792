//! The lean advice (schema version 3) and the catalogue it refers to: every id of an
//! advice resolves in the catalogue, each answer appears once, the streamed JSON is the
//! serde JSON, and a generated cohort's advice stays small.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use serde_json::Value;
use studentsucces::input::Assessment;
use studentsucces::input::Cohort;
use studentsucces::report::{synthetic_assessment, Advice};
use studentsucces::ruleset::RuleSet;

/// The mean size the issue allows a full advice of the generated cohort, in bytes.
const MEAN_BYTES: usize = 20_000;

fn roadmap() -> RuleSet {
    RuleSet::roadmap().unwrap().into_ruleset()
}

fn cohort(ruleset: &RuleSet, programmes: u64) -> Vec<Assessment> {
    Cohort::new(ruleset, programmes, 1)
        .map(|programme| synthetic_assessment(ruleset, programme))
        .collect()
}

fn streamed(advice: &Advice<'_>) -> Vec<u8> {
    let mut bytes = Vec::new();
    advice.write_json(&mut bytes).unwrap();
    bytes
}

/// The ids of one kind in the catalogue.
fn ids(catalogue: &Value, kind: &str) -> BTreeSet<String> {
    catalogue[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_streamed_json_is_the_serde_json() {
    let ruleset = roadmap();
    for assessment in cohort(&ruleset, 40) {
        let advice = ruleset.advise(&assessment).unwrap();
        assert_eq!(
            String::from_utf8(streamed(&advice)).unwrap(),
            serde_json::to_string(&advice).unwrap(),
            "{}",
            advice.programme
        );
    }
}

#[test]
fn texts_with_quotes_and_control_characters_stream_as_serde_writes_them() {
    let ruleset = roadmap();
    let mut assessment = cohort(&ruleset, 1).remove(0);
    assessment.programme = "P \"1\"\\\u{1b}\t\u{7f}é".to_owned();
    assessment.comments.insert(
        "toetsing.frequentie".to_owned(),
        "regel 1\nregel 2".to_owned(),
    );
    let advice = ruleset.advise(&assessment).unwrap();
    assert_eq!(
        String::from_utf8(streamed(&advice)).unwrap(),
        serde_json::to_string(&advice).unwrap()
    );
}

#[test]
fn every_id_in_an_advice_resolves_in_the_catalogue() {
    let ruleset = roadmap();
    let catalogue = serde_json::to_value(ruleset.catalogue()).unwrap();
    let (tips, rules) = (ids(&catalogue, "tips"), ids(&catalogue, "rules"));
    let (questions, sections) = (ids(&catalogue, "questions"), ids(&catalogue, "sections"));
    for assessment in cohort(&ruleset, 40) {
        let advice = serde_json::to_value(ruleset.advise(&assessment).unwrap()).unwrap();
        for question in advice["answers"].as_object().unwrap().keys() {
            assert!(questions.contains(question), "{question}");
        }
        for section in advice["sections"].as_array().unwrap() {
            assert!(sections.contains(section["id"].as_str().unwrap()));
        }
        for tip in advice["tips"].as_array().unwrap() {
            assert!(tips.contains(tip["id"].as_str().unwrap()));
            for rule in tip["because"].as_object().unwrap().keys() {
                assert!(rules.contains(rule), "{rule}");
            }
        }
        for list in ["to_establish", "not_applicable"] {
            for entry in advice[list].as_array().unwrap() {
                assert!(tips.contains(entry["tip"].as_str().unwrap()));
            }
        }
        for handoff in advice["handoffs"].as_array().unwrap() {
            assert!(tips.contains(handoff["from"].as_str().unwrap()));
            assert!(tips.contains(handoff["to"].as_str().unwrap()));
        }
        for focus in advice["focus"].as_array().unwrap() {
            assert!(tips.contains(focus.as_str().unwrap()));
        }
    }
}

#[test]
fn a_not_applicable_condition_names_a_reason_of_the_catalogue() {
    let ruleset = roadmap();
    let catalogue = serde_json::to_value(ruleset.catalogue()).unwrap();
    for assessment in cohort(&ruleset, 20) {
        let advice = ruleset.advise(&assessment).unwrap();
        for entry in &advice.not_applicable {
            let tip = &catalogue["tips"][entry.index.index()];
            assert_eq!(tip["id"], entry.tip);
            let reason = &tip["applies"][usize::from(entry.condition)];
            assert_eq!(reason.as_str(), Some(ruleset.not_applicable_text(entry)));
        }
    }
}

#[test]
fn each_answer_appears_once_and_reasons_carry_none() {
    let ruleset = roadmap();
    for assessment in cohort(&ruleset, 20) {
        let advice = ruleset.advise(&assessment).unwrap();
        let json = String::from_utf8(streamed(&advice)).unwrap();
        for answer in advice.answers() {
            let key = format!("\"{}\":", answer.question.id);
            let tips_with_that_id = advice
                .tips
                .iter()
                .filter(|tip| advice.because(tip).any(|r| r.rule == answer.question.id))
                .count();
            assert_eq!(json.matches(&key).count(), 1 + tips_with_that_id, "{key}");
        }
        let given = advice.answers().count();
        let answered = ruleset.advice_answers(&advice).answered_count();
        assert_eq!(given, answered);
    }
}

#[test]
fn the_generated_cohort_gets_a_small_advice() {
    let ruleset = roadmap();
    let sizes: Vec<usize> = cohort(&ruleset, 200)
        .iter()
        .map(|assessment| streamed(&ruleset.advise(assessment).unwrap()).len())
        .collect();
    let mean = sizes.iter().sum::<usize>() / sizes.len();
    assert!(mean <= MEAN_BYTES, "mean {mean} bytes per advice");
}

#[test]
fn the_catalogue_command_writes_the_catalogue() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_studentsucces"))
        .arg("catalogue")
        .output()
        .unwrap();
    assert!(output.status.success());
    let catalogue: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(catalogue["schema_version"], 3);
    assert_eq!(
        catalogue["tips"].as_array().unwrap().len(),
        roadmap().tips().len()
    );
    assert!(catalogue["rules"][0]["because"].is_string());
}
