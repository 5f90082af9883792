//! The advisory model on the embedded Roadmap: applicability, honest unknowns, the quick
//! scan, bounded cycles with leads, and the figures on a generated 80-programme cohort.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use studentsucces::eval::Confidence;
use studentsucces::input::Assessment;
use studentsucces::input::Cohort;
use studentsucces::report::{render_text, synthetic_assessment, Advice, AdvisedTip, TextDetail};
use studentsucces::ruleset::{RuleSet, SectionIndex};

fn roadmap() -> RuleSet {
    RuleSet::roadmap().unwrap().into_ruleset()
}

/// An assessment with `answers` and every other question of the questionnaire open.
fn assessment(answers: serde_json::Value) -> Assessment {
    serde_json::from_value(serde_json::json!({"programme": "P", "answers": answers})).unwrap()
}

/// Every tip question answered at `level`, and the context given.
fn all_answered(ruleset: &RuleSet, level: u8, context: serde_json::Value) -> Assessment {
    let mut answers = context.as_object().unwrap().clone();
    for tip in ruleset.tips() {
        answers.insert(tip.id.clone(), level.into());
    }
    assessment(serde_json::Value::Object(answers))
}

fn advise<'r>(ruleset: &'r RuleSet, assessment: &Assessment) -> Advice<'r> {
    ruleset.advise(assessment).unwrap()
}

fn tip_ids<'r>(advice: &Advice<'r>) -> BTreeSet<&'r str> {
    advice.tips.iter().map(|tip| tip.id).collect()
}

#[test]
fn a_master_gets_no_tip_about_vo_or_mbo_intake_and_is_told_why() {
    let ruleset = roadmap();
    let advice = advise(
        &ruleset,
        &all_answered(&ruleset, 0, serde_json::json!({"context.niveau": "master"})),
    );
    let ids = tip_ids(&advice);
    assert!(!ids.iter().any(|id| id.starts_with("toeleverend_veld.")));
    assert!(!ids.contains("ervaringen.doorstroommodules"));
    assert!(!ids.contains("loopbaan.aansluiting_vo_mbo"));
    let transitie = advice
        .not_applicable
        .iter()
        .find(|entry| entry.tip == "toeleverend_veld.transitie")
        .unwrap();
    assert!(ruleset
        .not_applicable_text(transitie)
        .contains("masteropleiding"));
}

#[test]
fn below_the_international_threshold_no_tip_meant_for_international_students() {
    let ruleset = roadmap();
    let context = serde_json::json!({"context.internationaal": 2, "context.niet_westers": 3});
    let advice = advise(&ruleset, &all_answered(&ruleset, 0, context));
    let ids = tip_ids(&advice);
    for tip in [
        "toetsing.toetsvormen_internationaal",
        "toetsing.beoordeling_internationaal",
        "welzijn.vertrouwd_gezicht",
        "welzijn.kleine_leergemeenschappen",
    ] {
        assert!(!ids.contains(tip), "{tip}");
        assert!(advice.not_applicable.iter().any(|entry| entry.tip == tip));
    }
}

#[test]
fn an_unknown_context_keeps_the_tip_and_says_so() {
    let ruleset = roadmap();
    let advice = advise(&ruleset, &all_answered(&ruleset, 0, serde_json::json!({})));
    let tip = advice
        .tips
        .iter()
        .find(|tip| tip.id == "toetsing.beoordeling_internationaal")
        .unwrap();
    assert!(tip.assumes_context());
    assert!(advice
        .context_assumed(tip)
        .unwrap()
        .contains("context.internationaal"));
    assert!(advice
        .warnings()
        .iter()
        .any(|warning| warning.contains("context.internationaal")));
}

#[test]
fn weet_niet_everywhere_recommends_nothing_and_says_what_to_find_out_first() {
    let ruleset = roadmap();
    let answers: serde_json::Map<String, serde_json::Value> = ruleset
        .questions()
        .iter()
        .map(|question| (question.id.clone(), "weet niet".into()))
        .collect();
    let advice = advise(&ruleset, &assessment(serde_json::Value::Object(answers)));
    assert!(advice.tips.is_empty());
    assert_eq!(advice.to_establish.len(), ruleset.tips().len());
    assert_eq!(advice.scan_first.len(), ruleset.sections().len());
    // Sections holding tips that others build on come first; the vision has most.
    assert_eq!(advice.scan_first[0].section, "visie");
    let fundament = |entry: &studentsucces::report::ToEstablish<'_>| {
        ruleset.tip(entry.index).unwrap().fundament
    };
    assert!(fundament(&advice.to_establish[0]) >= fundament(&advice.to_establish[1]));
    let text = render_text(&ruleset, &advice, TextDetail::Short);
    assert!(text.contains("Eerst uitzoeken"), "{text}");
}

#[test]
fn a_quick_scan_alone_recommends_only_foundation_tips_and_the_detailed_scan() {
    let ruleset = roadmap();
    let answers: serde_json::Map<String, serde_json::Value> = ruleset
        .sections()
        .iter()
        .map(|section| (format!("quickscan.{}", section.id), 1.into()))
        .collect();
    let advice = advise(&ruleset, &assessment(serde_json::Value::Object(answers)));
    assert!(!advice.tips.is_empty());
    for tip in advice
        .tips
        .iter()
        .filter(|tip| advice.tips.pulled_in_by(tip).is_empty())
    {
        let decl = ruleset.tip(ruleset.tip_index(tip.id).unwrap()).unwrap();
        assert!(decl.is_foundation(), "{} is no foundation tip", tip.id);
        assert_eq!(tip.confidence, Confidence::QuickScan);
    }
    assert!(advice.to_establish.iter().any(|entry| ruleset
        .establish_text(&advice, entry)
        .contains("detailscan")));
    assert_eq!(advice.scan_first.len(), ruleset.sections().len());
}

#[test]
fn every_reason_shows_the_answer_with_its_label_and_the_target() {
    let ruleset = roadmap();
    let advice = advise(
        &ruleset,
        &assessment(serde_json::json!({"toetsing.frequentie": 2})),
    );
    let tip = advice
        .tips
        .iter()
        .find(|tip| tip.id == "toetsing.frequentie")
        .unwrap();
    assert_eq!(
        ruleset.tip_evidence(&advice, tip.index).unwrap().summary,
        "antwoord 2 – Gedeeltelijk ingevoerd; doel 3 – Ingevoerd"
    );
    assert_eq!(tip.confidence, Confidence::Answered);
    assert!(!ruleset
        .reason_text(&advice.because(tip).next().unwrap())
        .contains("nog niet ingevoerd"));
}

#[test]
fn every_tip_has_a_lead_and_the_instellingsbestuur_leads_only_institution_tips() {
    let ruleset = roadmap();
    let roles = ruleset.roles();
    for tip in ruleset.tips() {
        let index = ruleset.tip_index(&tip.id).unwrap();
        let lead = roles.lead_of(index).expect(&tip.id);
        if roles.get(lead).unwrap().id == "instellingsbestuur" {
            assert!(
                tip.text.contains("instelling"),
                "{} is led by the instellingsbestuur: {}",
                tip.id,
                tip.text
            );
        }
    }
}

/// The generated cohort of the issue: 80 programmes, seed 7.
fn cohort(ruleset: &RuleSet) -> Vec<Advice<'_>> {
    Cohort::new(ruleset, 80, 7)
        .map(|programme| synthetic_assessment(ruleset, programme))
        .map(|assessment| advise(ruleset, &assessment))
        .collect()
}

#[test]
fn the_generated_cohort_gets_short_spread_cycles_and_short_texts() {
    let ruleset = roadmap();
    for advice in cohort(&ruleset) {
        let cycle_one: Vec<_> = advice.tips.iter().filter(|tip| tip.cycle == 1).collect();
        assert!(cycle_one.len() <= 3, "{}", advice.programme);
        let section = |tip: &AdvisedTip<'_>| ruleset.tip(tip.index).unwrap().section;
        let sections: BTreeSet<SectionIndex> = advice.tips.iter().map(section).collect();
        let focus_sections: BTreeSet<SectionIndex> =
            cycle_one.iter().map(|tip| section(tip)).collect();
        if sections.len() >= 2 {
            assert!(focus_sections.len() >= 2, "{}", advice.programme);
        }
        for tip in &cycle_one {
            assert!(advice.why_now(tip).is_some_and(|why| !why.is_empty()));
            assert!(ruleset.roles().lead_of(tip.index).is_some());
        }
        let text = render_text(&ruleset, &advice, TextDetail::Short);
        assert!(text.lines().count() <= 120, "{}", advice.programme);
    }
}

#[test]
fn a_prerequisite_the_quick_scan_rates_in_place_is_not_pulled_in() {
    let ruleset = roadmap();
    let advice = advise(
        &ruleset,
        &assessment(serde_json::json!({"curriculum.leerproces_voorop": 0, "quickscan.visie": 4})),
    );
    assert!(!tip_ids(&advice).contains("visie.vertaling"));
    let advice = advise(
        &ruleset,
        &assessment(serde_json::json!({"curriculum.leerproces_voorop": 0})),
    );
    let vertaling = advice
        .tips
        .iter()
        .find(|tip| tip.id == "visie.vertaling")
        .unwrap();
    assert_eq!(
        advice.tips.pulled_in_by(vertaling),
        ["curriculum.leerproces_voorop"]
    );
    assert_eq!(vertaling.confidence, Confidence::Unanswered);
    assert!(advice
        .to_establish
        .iter()
        .any(|entry| entry.tip == "visie.vertaling"));
}
