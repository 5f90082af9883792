//! The batch library API for embedders: `advise_all`, the chunked `Batch`, the
//! institution `Tally`, and the synthetic `Cohort`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use studentsucces::batch::{Batch, BatchOptions, Processed, Tally};
use studentsucces::input::Cohort;
use studentsucces::input::{open, Assessment, ReadError, ReadOptions, Record, Records};
use studentsucces::report::{synthetic_assessment, OutputFormat};
use studentsucces::ruleset::RuleSet;

fn roadmap() -> RuleSet {
    RuleSet::roadmap().unwrap().into_ruleset()
}

fn cohort(ruleset: &RuleSet, programmes: u64, seed: u64) -> Vec<Assessment> {
    Cohort::new(ruleset, programmes, seed)
        .map(|programme| synthetic_assessment(ruleset, programme))
        .collect()
}

#[test]
fn advise_all_keeps_input_order_and_matches_advise() {
    let ruleset = roadmap();
    let mut assessments = cohort(&ruleset, 1100, 21);
    assessments[700]
        .answers
        .insert("quickscan.toetsing".to_owned(), 9.into());
    let expected: Vec<_> = assessments.iter().map(|a| ruleset.advise(a)).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let advised: Vec<_> = pool.install(|| ruleset.advise_all(assessments.clone()).collect());
    assert_eq!(advised.len(), 1100);
    assert!(advised[700].is_err());
    assert!(advised == expected);
}

fn run(ruleset: &RuleSet, records: Records, chunk_size: usize) -> (Vec<Processed>, Tally, u64) {
    let options = BatchOptions {
        format: OutputFormat::JsonLines { compact: true },
        chunk_size,
    };
    let mut batch = Batch::new(ruleset, records, options);
    let mut tally = Tally::new(ruleset);
    let mut all = Vec::new();
    while let Some(chunk) = batch.next_chunk().unwrap() {
        for processed in &chunk {
            tally.add(ruleset, processed);
        }
        all.extend(chunk);
    }
    let blank = batch.blank_rows();
    (all, tally, blank)
}

fn records(assessments: Vec<Assessment>) -> Records {
    let rows = (1..).zip(assessments);
    Records::new(rows.map(|(row, assessment)| Ok(Record::from_assessment(row, assessment))))
}

#[test]
fn results_and_summary_do_not_depend_on_the_chunk_size() {
    let ruleset = roadmap();
    let assessments = cohort(&ruleset, 300, 8);
    let (small, small_tally, _) = run(&ruleset, records(assessments.clone()), 7);
    let (large, large_tally, _) = run(&ruleset, records(assessments), 512);
    assert!(small == large);
    assert_eq!(
        small_tally.finish(&ruleset, 0.5, 0),
        large_tally.finish(&ruleset, 0.5, 0)
    );
}

#[test]
fn a_read_error_comes_after_the_programmes_read_before_it() {
    let ruleset = roadmap();
    let good = cohort(&ruleset, 5, 2);
    let items: Vec<Result<Record, ReadError>> = (1..)
        .zip(good)
        .map(|(row, assessment)| Ok(Record::from_assessment(row, assessment)))
        .chain(std::iter::once(Err(ReadError::Empty { path: "x".into() })))
        .collect();
    let options = BatchOptions {
        format: OutputFormat::JsonLines { compact: true },
        chunk_size: 2,
    };
    let mut batch = Batch::new(&ruleset, Records::new(items.into_iter()), options);
    let mut advised = 0;
    let error = loop {
        match batch.next_chunk() {
            Ok(Some(chunk)) => advised += chunk.len(),
            Ok(None) => panic!("the read error was lost"),
            Err(error) => break error,
        }
    };
    assert_eq!(advised, 5);
    assert!(matches!(error, ReadError::Empty { .. }));
}

#[test]
fn a_cohort_is_reproducible_plausible_and_correlated() {
    let ruleset = roadmap();
    let first = cohort(&ruleset, 400, 99);
    assert_eq!(first, cohort(&ruleset, 400, 99));
    assert_ne!(first, cohort(&ruleset, 400, 100));
    let answers: Vec<_> = first.iter().map(|a| ruleset.answers(a).unwrap()).collect();
    let questions = ruleset.questions().len();
    let answered: usize = answers.iter().map(|a| a.answered_count()).sum();
    let share = answered as f64 / (questions * answers.len()) as f64;
    assert!((0.75..0.97).contains(&share), "answered share {share}");
    // Programmes strong in one factor tend to be strong in another.
    let score = |section: usize| -> Vec<f64> {
        let questions = &ruleset.sections()[section].questions;
        answers
            .iter()
            .map(|a| {
                let values: Vec<f64> = questions.iter().filter_map(|&q| a.get(q)).collect();
                values.iter().sum::<f64>() / values.len().max(1) as f64
            })
            .collect()
    };
    let (toetsing, welzijn) = (
        section_index(&ruleset, "toetsing"),
        section_index(&ruleset, "welzijn"),
    );
    let correlation = pearson(&score(toetsing), &score(welzijn));
    assert!(correlation > 0.2, "correlation {correlation}");
}

#[test]
fn a_vo_question_is_answered_when_the_rules_have_one() {
    let mut sources = studentsucces::input::roadmap_sources();
    sources.push(studentsucces::diagnostic::SourceFile::new(
        "vo.rules",
        "question context.vo: percent \"Aandeel studenten met een vo-vooropleiding (%)\" info\n",
    ));
    let ruleset = studentsucces::compile::compile(sources, &[])
        .unwrap()
        .ruleset;
    let cohort = cohort(&ruleset, 600, 4);
    let number = |a: &Assessment, id: &str| a.answers.get(id).and_then(|v| v.as_f64());
    let mut bachelors = Vec::new();
    for assessment in &cohort {
        let Some(vo) = number(assessment, "context.vo") else {
            continue;
        };
        assert!((0.0..=100.0).contains(&vo), "{vo}");
        match level_of(assessment) {
            Some("master") => assert!(vo <= 10.0, "master with {vo}% from vo"),
            Some("bachelor") => bachelors.push(vo),
            _ => {}
        }
        let mbo = number(assessment, "context.mbo").unwrap_or(0.0);
        assert!(vo + mbo <= 100.0 + 1e-9);
    }
    let mean = bachelors.iter().sum::<f64>() / bachelors.len() as f64;
    assert!((40.0..80.0).contains(&mean), "bachelors' vo share {mean}");
    assert!(cohort.iter().all(|a| ruleset.answers(a).is_ok()));
}

fn level_of(assessment: &Assessment) -> Option<&str> {
    assessment.answers.get("context.niveau")?.as_str()
}

fn section_index(ruleset: &RuleSet, id: &str) -> usize {
    ruleset.sections().iter().position(|s| s.id == id).unwrap()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (mean_a, mean_b) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let covariance: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - mean_a) * (y - mean_b))
        .sum();
    let spread = |v: &[f64], mean: f64| v.iter().map(|x| (x - mean).powi(2)).sum::<f64>().sqrt();
    covariance / (spread(a, mean_a) * spread(b, mean_b))
}

#[test]
fn blank_rows_are_counted_and_repeated_ids_refused() {
    let ruleset = RuleSet::from_path(
        Path::new("tests/data/batch/batch.rules"),
        &studentsucces::Options::default(),
    )
    .unwrap()
    .into_ruleset();
    let records = open(
        Path::new("tests/data/batch/broken_rows.csv"),
        &ruleset,
        &ReadOptions::default(),
    )
    .unwrap();
    let (processed, tally, blank) = run(&ruleset, records, 3);
    assert_eq!(blank, 1);
    assert_eq!(processed.len(), 10);
    assert_eq!(tally.advised(), 2);
    assert_eq!(tally.failed(), 8);
    let repeated = processed.iter().find(|p| p.row == 9).unwrap();
    let errors = repeated.outcome.as_ref().unwrap_err();
    assert_eq!(errors[0].column.as_deref(), Some("programme"));
}

/// A CSV file of `programmes` generated programmes, in a folder that lives as long as
/// the returned guard.
fn cohort_csv(ruleset: &RuleSet, programmes: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("cohort.csv");
    let file = std::fs::File::create(&path).unwrap();
    studentsucces::report::write_cohort_csv(ruleset, Cohort::new(ruleset, programmes, 5), file)
        .unwrap();
    (folder, path)
}

/// The batch's own tally, on `threads` threads, with a failed programme among them.
fn batch_tally(ruleset: &RuleSet, threads: usize, keep_stats: bool) -> (Vec<Processed>, Tally) {
    let mut assessments = cohort(ruleset, 700, 13);
    assessments[300]
        .answers
        .insert("quickscan.toetsing".to_owned(), 9.into());
    let options = BatchOptions {
        format: OutputFormat::JsonLines { compact: true },
        chunk_size: 256,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let mut batch = Batch::new(ruleset, records(assessments), options).with_tally(keep_stats);
        let mut all = Vec::new();
        while let Some(chunk) = batch.next_chunk().unwrap() {
            all.extend(chunk);
        }
        (all, batch.tally().unwrap())
    })
}

#[test]
fn a_batch_tallying_on_its_workers_sums_up_as_its_caller_would() {
    let ruleset = roadmap();
    let (kept, one_thread) = batch_tally(&ruleset, 1, true);
    let mut by_caller = Tally::new(&ruleset);
    for processed in &kept {
        by_caller.add(&ruleset, processed);
    }
    let expected = by_caller.finish(&ruleset, 0.1, 0);
    assert_eq!(expected.failed, 1);
    assert_eq!(one_thread.finish(&ruleset, 0.1, 0), expected);
    let (dropped, two_threads) = batch_tally(&ruleset, 2, false);
    assert_eq!(two_threads.finish(&ruleset, 0.1, 0), expected);
    // Without kept stats, each advised programme's are empty; the outputs are the same.
    assert!(dropped
        .iter()
        .filter_map(|processed| processed.outcome.as_ref().ok())
        .all(|stats| *stats == Default::default()));
    let outputs = |all: &[Processed]| all.iter().map(|p| p.output.clone()).collect::<Vec<_>>();
    assert_eq!(outputs(&kept), outputs(&dropped));
}

#[test]
fn csv_records_without_metadata_have_none_and_the_same_answers() {
    let ruleset = roadmap();
    let (_folder, path) = cohort_csv(&ruleset, 20);
    let read = |records: Records| -> Vec<Record> { records.map(Result::unwrap).collect() };
    let with = read(open(&path, &ruleset, &ReadOptions::default()).unwrap());
    let without = read(
        open(&path, &ruleset, &ReadOptions::default())
            .unwrap()
            .without_metadata(),
    );
    assert_eq!(with.len(), 20);
    assert!(with.iter().all(|record| !record.meta.is_empty()));
    assert!(without.iter().all(|record| record.meta.is_empty()));
    for (with, without) in with.iter().zip(&without) {
        assert_eq!(with.programme, without.programme);
        // Compared as shown: an unanswered question is NaN, which equals nothing.
        let answers = |record: &Record| format!("{:?}", record.answers(&ruleset));
        assert_eq!(answers(with), answers(without));
    }
}
