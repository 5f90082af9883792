//! Batches evaluate by columns: a chunk is cut into parts of up to [`PART`] programmes,
//! each part's answers are checked and evaluated together
//! ([`RuleSet::evaluate_batch`], [`BLOCK`] programmes at a time), and the parts run in
//! parallel. The evaluations are those of one programme at a time, so the output does
//! not change.

use std::cell::RefCell;

use rayon::prelude::*;

use crate::eval::{Answers, Evaluation, BLOCK};
use crate::input::{Assessment, AssessmentError};
use crate::report::Advice;
use crate::ruleset::RuleSet;

/// Most programmes evaluated together by one thread: eight blocks, enough that laying
/// the program out for blocks (once per call of [`RuleSet::evaluate_batch`]) costs
/// little per programme, few enough that the threads share a chunk evenly.
pub(super) const PART: usize = 8 * BLOCK;

/// Programmes per part for a chunk of `len`: [`PART`], or fewer so that a small chunk
/// still gives every thread a part.
pub(super) fn part_size(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads()).clamp(1, PART)
}

/// Advises a chunk of assessments, as [`RuleSet::advise`] advises each: a part at a
/// time, in parallel, each part evaluated together into evaluations the thread reuses.
pub(super) fn advise_chunk<'r>(
    ruleset: &'r RuleSet,
    chunk: &[Assessment],
) -> Vec<Result<Advice<'r>, AssessmentError>> {
    chunk
        .par_chunks(part_size(chunk.len()))
        .flat_map_iter(|part| with_reused_evaluations(|reused| advise_part(ruleset, part, reused)))
        .collect()
}

/// Runs `work` with the evaluations this thread keeps for its parts (a fresh vector
/// when they are already in use further up the stack).
pub(super) fn with_reused_evaluations<R>(work: impl FnOnce(&mut Vec<Evaluation>) -> R) -> R {
    EVALUATIONS.with(|reused| match reused.try_borrow_mut() {
        Ok(mut evaluations) => work(&mut evaluations),
        Err(_) => work(&mut Vec::new()),
    })
}

thread_local! {
    /// The evaluations of the part a thread advises, kept so that their buffers are
    /// allocated once per thread rather than once per programme.
    static EVALUATIONS: RefCell<Vec<Evaluation>> = const { RefCell::new(Vec::new()) };
}

/// Checks, evaluates (together, into `evaluations`) and advises one part; each advice
/// takes its answers and a copy of its evaluation, so the thread keeps the buffers.
fn advise_part<'r>(
    ruleset: &'r RuleSet,
    part: &[Assessment],
    evaluations: &mut Vec<Evaluation>,
) -> Vec<Result<Advice<'r>, AssessmentError>> {
    let checked: Vec<_> = part.iter().map(|a| ruleset.answers(a)).collect();
    let valid: Vec<&Answers> = checked.iter().filter_map(|a| a.as_ref().ok()).collect();
    ruleset.evaluate_batch_into(&valid, evaluations);
    let mut evaluated = evaluations.iter();
    part.iter()
        .zip(checked)
        .map(|(assessment, answers)| {
            let answers = answers?;
            let empty = Evaluation::default();
            let evaluation = evaluated.next().unwrap_or(&empty);
            let mut advice =
                ruleset.build_advice_from(&assessment.programme, answers, evaluation.clone());
            advice.meta = assessment.meta.clone();
            advice.comments = assessment.comments.clone();
            Ok(advice)
        })
        .collect()
}
