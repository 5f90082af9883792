//! The small API at the crate root: loading with options, building assessments,
//! explaining a tip and summarising many programmes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use studentsucces::batch::{Batch, BatchOptions};
use studentsucces::input::{open, ReadOptions};
use studentsucces::report::{OutputFormat, Standing};
use studentsucces::{Assessment, ErrorKind, Options, RuleSet, Summary, SummaryOptions};

const PROFILE: &str = "name = \"Hogeschool Voorbeeld\"\nremove = [\"ouders\"]\n";

#[test]
fn the_hash_covers_the_profile() {
    let plain = RuleSet::roadmap().unwrap();
    let with = |text: &str| {
        let options = Options::new().profile_toml("p.toml", text).unwrap();
        RuleSet::roadmap_with(&options).unwrap()
    };
    let profiled = with(PROFILE);
    assert_ne!(profiled.info().hash, plain.info().hash);
    assert_eq!(profiled.info().hash, with(PROFILE).info().hash);
    assert_eq!(profiled.roles().profile(), Some("Hogeschool Voorbeeld"));
}

#[test]
fn a_param_that_is_not_finite_is_an_error_of_the_rules() {
    for value in [f64::NAN, f64::INFINITY] {
        let options = Options::new().param("focus", value);
        let error = RuleSet::roadmap_with(&options).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Rules);
        let diagnostics = error.diagnostics().unwrap();
        let message = diagnostics.errors().next().unwrap().to_string();
        assert!(
            message.contains("`focus` must be a finite number"),
            "{message}"
        );
    }
}

#[test]
fn rules_from_memory_hash_like_the_same_files() {
    let text = std::fs::read_to_string("tests/data/plan/small.rules").unwrap();
    let from_memory = RuleSet::from_sources([("small.rules", text)], &Options::new()).unwrap();
    let from_file = RuleSet::from_path("tests/data/plan/small.rules", &Options::new()).unwrap();
    assert_eq!(from_memory.info().hash, from_file.info().hash);
    let empty: [(&str, &str); 0] = [];
    let error = RuleSet::from_sources(empty, &Options::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
    let broken = RuleSet::from_sources([("a.rules", "tip ???")], &Options::new()).unwrap_err();
    assert_eq!(broken.kind(), ErrorKind::Rules);
    assert!(broken.diagnostics().is_some());
}

#[test]
fn a_built_assessment_is_the_json_one() {
    let built = Assessment::builder("B-VOORBEELD")
        .meta("naam", "Voorbeeld")
        .answer("toetsing.frequentie", 2)
        .answer("context.internationaal", 40.5)
        .unknown("visie.duidelijke_visie")
        .comment("toetsing.frequentie", "  Zie het toetsplan. ")
        .build();
    let json = r#"{"programme":"B-VOORBEELD","meta":{"naam":"Voorbeeld"},"answers":{"context.internationaal":40.5,"toetsing.frequentie":2,"visie.duidelijke_visie":null},"comments":{"toetsing.frequentie":"Zie het toetsplan."}}"#;
    assert_eq!(serde_json::to_string(&built).unwrap(), json);
    let read: Assessment = serde_json::from_str(json).unwrap();
    assert_eq!(read, built);
}

#[test]
fn assessment_json_is_written_back_byte_for_byte() {
    let text = std::fs::read_to_string("examples/programmes.json").unwrap();
    let assessments: Vec<Assessment> = serde_json::from_str(&text).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    for (assessment, value) in assessments.iter().zip(&values) {
        assert_eq!(
            serde_json::to_string(&assessment.answers).unwrap(),
            serde_json::to_string(&value["answers"]).unwrap()
        );
    }
}

#[test]
fn a_wrong_answer_is_an_assessment_error() {
    let roadmap = RuleSet::roadmap().unwrap();
    let assessment = Assessment::builder("P")
        .answer("toetsing.frequentie", 17)
        .build();
    let error = studentsucces::Error::from(roadmap.advise(&assessment).unwrap_err());
    assert_eq!(error.kind(), ErrorKind::Assessment);
    assert!(error.to_string().contains("toetsing.frequentie"), "{error}");
}

#[test]
fn explain_tells_where_a_tip_stands() {
    let roadmap = RuleSet::roadmap().unwrap();
    let assessment = Assessment::builder("P")
        .answer("toetsing.frequentie", 0)
        .build();
    let explanation = roadmap.explain(&assessment, "toetsing.frequentie").unwrap();
    assert!(
        matches!(explanation.status, Standing::Recommended { cycle: 1, .. }),
        "{explanation:?}"
    );
    assert!(!explanation.rules.is_empty());
    assert!(explanation.plan.is_some());
    let open = roadmap
        .explain(&assessment, "visie.duidelijke_visie")
        .unwrap();
    assert!(
        matches!(open.status, Standing::ToEstablish { .. }),
        "{open:?}"
    );
    let error = roadmap
        .explain(&assessment, "toetsing.frequenti")
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownTip);
    assert!(error.to_string().contains("toetsing.frequentie"), "{error}");
    serde_json::to_string(&explanation).unwrap();
}

#[test]
fn the_library_summary_is_the_batch_summary() {
    let roadmap = RuleSet::roadmap().unwrap();
    let text = std::fs::read_to_string("examples/programmes.json").unwrap();
    let mut assessments: Vec<Assessment> = serde_json::from_str(&text).unwrap();
    assessments.push(
        Assessment::builder("KAPOT")
            .answer("toetsing.frequentie", 9)
            .build(),
    );
    let results: Vec<_> = roadmap.advise_all(assessments).collect();
    let library = roadmap.summarize(&results, &SummaryOptions::default());
    assert_eq!(library.failed, 1);

    let records = open(
        std::path::Path::new("examples/programmes.json"),
        &roadmap,
        &ReadOptions::default(),
    )
    .unwrap();
    let format = OutputFormat::JsonLines { compact: true };
    let mut batch = Batch::new(&roadmap, records, BatchOptions::for_format(format));
    let mut summary = Summary::new(&roadmap, SummaryOptions::default());
    while let Some(chunk) = batch.next_chunk().unwrap() {
        chunk
            .iter()
            .for_each(|processed| summary.add_processed(processed));
    }
    let batch = summary.finish();
    assert_eq!(library.advised, batch.advised);
    assert_eq!(library.tips, batch.tips);
    assert_eq!(library.sections, batch.sections);
    assert_eq!(library.stakeholders, batch.stakeholders);
}
