//! What a recommendation rests on, in Dutch: the answer and the target, why a cycle-1 tip
//! comes now, and which context was assumed.

use std::fmt::Write;

use super::{AdvisedTip, AdvisedTips, Evidence, Reasons};
use crate::eval::{Answers, Confidence, Evaluation};
use crate::ruleset::{Horizon, HorizonLevel, QuestionIndex, RuleKind, RuleSet, Tip, TipIndex};

/// From this many levels below the target, a gap counts as large.
const LARGE_GAP: f64 = 2.0;

impl RuleSet {
    /// The question a tip's advice rests on: its own when answered, else its section's
    /// quick scan when that is answered, else its own (unanswered).
    fn evidence_question(&self, tip: &Tip, answers: &Answers) -> Option<QuestionIndex> {
        let own = tip.maturity_question;
        if own.is_some_and(|question| answers.get(question).is_some()) {
            return own;
        }
        let quickscan = self.section_of(tip).and_then(|section| section.quickscan);
        match quickscan {
            Some(question) if answers.get(question).is_some() => Some(question),
            _ => own,
        }
    }

    /// Whether the evidence is the tip's own answer, its section's quick scan, or none.
    pub(super) fn evidence_confidence(&self, tip: &Tip, answers: &Answers) -> Confidence {
        match self.evidence_question(tip, answers) {
            Some(question) if answers.get(question).is_none() => Confidence::Unanswered,
            Some(question) if Some(question) != tip.maturity_question => Confidence::QuickScan,
            Some(_) => Confidence::Answered,
            None => Confidence::Unanswered,
        }
    }

    /// The answer and target of a tip, structured and as one Dutch line.
    pub(crate) fn evidence(&self, tip: &Tip, answers: &Answers) -> Evidence {
        let facts = self.evidence_facts(tip, answers);
        let label = |value| {
            self.evidence_label(facts.question, value)
                .map(str::to_owned)
        };
        let mut summary = String::new();
        self.write_evidence_summary(&mut summary, tip, facts);
        Evidence {
            question: facts
                .question
                .and_then(|question| self.question(question))
                .map(|question| question.id.clone()),
            answer: facts.answer,
            answer_label: label(facts.answer),
            target: facts.target,
            target_label: label(facts.target),
            summary,
        }
    }

    /// The question a tip's evidence reads, its answer and the target.
    fn evidence_facts(&self, tip: &Tip, answers: &Answers) -> EvidenceFacts {
        let question = self.evidence_question(tip, answers);
        EvidenceFacts {
            question,
            answer: question.and_then(|question| answers.get(question)),
            target: self.in_place_level(),
        }
    }

    /// The label of a level on the scale of the evidence question.
    fn evidence_label(&self, question: Option<QuestionIndex>, value: Option<f64>) -> Option<&str> {
        let scale = question
            .and_then(|question| self.question(question))
            .and_then(|question| self.scale_of(question))?;
        scale.label(value? as i64)
    }

    /// Appends the evidence as one Dutch line ([`Evidence::summary`]), e.g. "antwoord 2 –
    /// Gedeeltelijk ingevoerd; doel 3 – Ingevoerd".
    fn write_evidence_summary(&self, out: &mut String, tip: &Tip, facts: EvidenceFacts) {
        if facts.question.is_some() && facts.question != tip.maturity_question {
            out.push_str("quick-scan: ");
        }
        match facts.answer {
            Some(value) => {
                out.push_str("antwoord ");
                self.write_level(out, facts.question, value);
            }
            None => out.push_str("niet beantwoord"),
        }
        if let Some(value) = facts.target {
            out.push_str("; doel ");
            self.write_level(out, facts.question, value);
        }
    }

    /// A level as `Display` writes an `f64`, then its label on the scale of `question`
    /// after a dash, if it has one.
    fn write_level(&self, out: &mut String, question: Option<QuestionIndex>, value: f64) {
        write_number(out, value);
        if let Some(label) = self.evidence_label(question, Some(value)) {
            out.push_str(" – ");
            out.push_str(label);
        }
    }

    /// The `why_now` of an advised tip of cycle 1, `None` for another
    /// ([`super::Advice::why_now`]).
    pub(crate) fn advised_why_now(
        &self,
        tips: &AdvisedTips<'_>,
        tip: &AdvisedTip<'_>,
        facts: (&Answers, &Evaluation),
    ) -> Option<String> {
        if !tip.has_why_now() {
            return None;
        }
        let mut text = String::with_capacity(WHY_NOW_CAPACITY);
        self.write_why_now(&mut text, tips, tip, facts);
        Some(text)
    }

    /// The `context_assumed` of an advised tip, `None` when its context was given
    /// ([`super::Advice::context_assumed`]).
    pub(crate) fn advised_context_assumed(
        &self,
        tip: &AdvisedTip<'_>,
        answers: &Answers,
    ) -> Option<String> {
        let assumed = tip.assumes_context().then_some(tip.index)?;
        Some(self.assumed_context(self.tip(assumed)?, answers))
    }

    /// Appends why a cycle-1 tip comes now: what waits for it, what builds on it, the
    /// size of the gap, the raises that apply, how soon it can start, and how sure the
    /// evidence is, each part after a space; from the tips that pulled it in, which
    /// `tips` holds, the answers, and the tip's reasons in the evaluation.
    pub(crate) fn write_why_now(
        &self,
        out: &mut String,
        tips: &AdvisedTips<'_>,
        advised: &AdvisedTip<'_>,
        (answers, evaluation): (&Answers, &Evaluation),
    ) {
        let Some(tip) = self.tip(advised.index) else {
            return;
        };
        let context = WhyNowContext {
            answers,
            confidence: advised.confidence,
            because: self.tip_reasons(evaluation, advised.index),
            pulled_in_by: tips.pulled_in_by_tips(advised),
        };
        self.why_now(&mut Parts::new(out), tip, context);
    }

    /// [`RuleSet::write_why_now`] of the tip's facts.
    fn why_now(&self, parts: &mut Parts<'_>, tip: &Tip, context: WhyNowContext<'_, '_>) {
        self.why_now_waiting(parts, context.pulled_in_by);
        if tip.fundament > 0 {
            let tips = match tip.fundament {
                1 => "tip bouwt",
                _ => "tips bouwen",
            };
            let text = parts.part();
            text.push_str("Fundament: ");
            push_count(text, u64::from(tip.fundament));
            text.push(' ');
            text.push_str(tips);
            text.push_str(" hierop voort.");
        }
        self.why_now_gap(parts, tip, context.answers);
        for rule in context
            .because
            .filter_map(|reason| self.rules.get(reason.index.index()))
            .filter(|rule| rule.kind == RuleKind::Raise)
        {
            parts.part().push_str(&rule.because);
        }
        self.why_now_horizon(parts, tip);
        if context.confidence == Confidence::QuickScan {
            parts
                .part()
                .push_str("Gebaseerd op de quick-scan; de detailscan moet het bevestigen.");
        }
    }

    /// "Voorwaarde voor …." when plan tips wait for this pulled-in tip.
    fn why_now_waiting(&self, parts: &mut Parts<'_>, pulled_in_by: &[TipIndex]) {
        let mut waiting = pulled_in_by
            .iter()
            .filter_map(|&dependent| self.tip(dependent));
        let Some(first) = waiting.next() else {
            return;
        };
        let text = parts.part();
        text.push_str("Voorwaarde voor ");
        text.push_str(&first.id);
        for dependent in waiting {
            text.push_str(", ");
            text.push_str(&dependent.id);
        }
        text.push('.');
    }

    /// The gap between the answer and the target, with the evidence, when both are known.
    fn why_now_gap(&self, parts: &mut Parts<'_>, tip: &Tip, answers: &Answers) {
        let facts = self.evidence_facts(tip, answers);
        let Some((answer, target)) = facts.answer.zip(facts.target) else {
            return;
        };
        let text = parts.part();
        text.push_str(match target - answer >= LARGE_GAP {
            true => "Grote achterstand (",
            false => "Nog niet op het doelniveau (",
        });
        self.write_evidence_summary(text, tip, facts);
        text.push_str(").");
    }

    /// "Kan op korte termijn starten" when the tip's section's horizon starts at `kort`.
    fn why_now_horizon(&self, parts: &mut Parts<'_>, tip: &Tip) {
        let Some(horizon) = self.section_of(tip).map(|section| section.horizon) else {
            return;
        };
        if let Horizon::Range {
            from: HorizonLevel::Kort,
            to,
        } = horizon
        {
            let text = parts.part();
            text.push_str("Kan op korte termijn starten (tijdspad kort");
            if to != HorizonLevel::Kort {
                text.push('-');
                text.push_str(level_name(to));
            }
            text.push_str(").");
        }
    }

    /// The context questions a tip's conditions read that were not answered, as a note.
    pub(super) fn assumed_context(&self, tip: &Tip, answers: &Answers) -> String {
        let missing = self.missing_context(std::iter::once(tip), answers);
        format!(
            "Van toepassing aangenomen: {} niet ingevuld.",
            missing.join(", ")
        )
    }

    /// The context questions that applicability conditions read and the programme left
    /// open, over every tip whose applicability was assumed.
    pub(super) fn unknown_context(
        &self,
        answers: &Answers,
        evaluation: &Evaluation,
    ) -> Vec<String> {
        let tips = evaluation
            .context_assumed()
            .ones()
            .filter_map(|tip| self.tips.get(tip));
        self.missing_context(tips, answers)
    }

    fn missing_context<'a>(
        &'a self,
        tips: impl Iterator<Item = &'a Tip>,
        answers: &Answers,
    ) -> Vec<String> {
        let mut questions: Vec<QuestionIndex> = tips
            .flat_map(|tip| tip.applies.iter())
            .flat_map(|condition| condition.reads.iter().copied())
            .filter(|&question| answers.get(question).is_none())
            .collect();
        questions.sort_unstable();
        questions.dedup();
        questions
            .into_iter()
            .filter_map(|question| self.question(question))
            .map(|question| question.id.clone())
            .collect()
    }
}

/// Below this magnitude a whole `f64` converts to `i64` exactly.
const EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

/// A number as `Display` writes an `f64` (`2`, `2.5`, `-0`); a whole one, the levels and
/// targets the evidence is made of, without the float formatting.
fn write_number(out: &mut String, value: f64) {
    let whole = value.fract() == 0.0
        && value.abs() < EXACT_WHOLE
        && value.to_bits() != (-0.0_f64).to_bits();
    // Into a `String`: `write!` cannot fail.
    let _ = match whole {
        true if (0.0..10.0).contains(&value) => {
            out.push(char::from(b'0' + value as u8));
            Ok(())
        }
        true => {
            let whole = value as i64;
            write!(out, "{whole}")
        }
        false => write!(out, "{value}"),
    };
}

/// Room for a usual `why_now` (100 to 250 bytes in the Roadmap's advices), so that its
/// parts are appended without growing the string again and again.
const WHY_NOW_CAPACITY: usize = 256;

/// A count as `Display` writes it; the small ones without the formatting machinery.
pub(super) fn push_count(out: &mut String, count: u64) {
    match u8::try_from(count) {
        Ok(small @ 0..=9) => out.push(char::from(b'0' + small)),
        Ok(small @ 10..=99) => {
            out.push(char::from(b'0' + small / 10));
            out.push(char::from(b'0' + small % 10));
        }
        _ => {
            // Into a `String`: `write!` cannot fail.
            let _ = write!(out, "{count}");
        }
    }
}

/// A horizon level's name as `Display` writes it.
fn level_name(level: HorizonLevel) -> &'static str {
    match level {
        HorizonLevel::Kort => "kort",
        HorizonLevel::Midden => "midden",
        HorizonLevel::Lang => "lang",
    }
}

/// The question a tip's evidence reads, its answer and the target.
#[derive(Debug, Clone, Copy)]
struct EvidenceFacts {
    question: Option<QuestionIndex>,
    answer: Option<f64>,
    target: Option<f64>,
}

/// What `why_now` reads besides the tip.
#[derive(Debug, Clone)]
struct WhyNowContext<'a, 'r> {
    /// The programme's answers.
    answers: &'a Answers,
    /// The tip's confidence.
    confidence: Confidence,
    /// The tip's reasons.
    because: Reasons<'a, 'r>,
    /// The plan tips that pulled it in (none unless it was pulled in).
    pulled_in_by: &'a [TipIndex],
}

/// Sentences joined by single spaces as they are appended, the way `join(" ")` joins
/// them (an empty part included).
#[derive(Debug)]
struct Parts<'a> {
    text: &'a mut String,
    started: bool,
}

impl<'a> Parts<'a> {
    /// No parts yet, appended to `text`.
    fn new(text: &'a mut String) -> Parts<'a> {
        Parts {
            text,
            started: false,
        }
    }

    /// The text, ready for the next part to be appended.
    fn part(&mut self) -> &mut String {
        if self.started {
            self.text.push(' ');
        }
        self.started = true;
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::{level_name, push_count, write_number, HorizonLevel};
    use crate::ruleset::Horizon;

    #[test]
    fn counts_are_written_as_display_writes_them() {
        for count in [0, 1, 9, 10, 42, 99, 100, 255, 256, 1_000, u64::MAX] {
            let mut out = String::new();
            push_count(&mut out, count);
            assert_eq!(out, count.to_string());
        }
    }

    #[test]
    fn horizons_from_kort_are_written_as_display_writes_them() {
        for to in [HorizonLevel::Kort, HorizonLevel::Midden, HorizonLevel::Lang] {
            assert_eq!(level_name(to), to.to_string());
            let horizon = Horizon::Range {
                from: HorizonLevel::Kort,
                to,
            };
            let written = match to {
                HorizonLevel::Kort => "kort".to_owned(),
                _ => format!("kort-{}", level_name(to)),
            };
            assert_eq!(written, horizon.to_string());
        }
    }

    #[test]
    fn numbers_are_written_as_display_writes_an_f64() {
        let values = [
            0.0,
            -0.0,
            1.0,
            3.0,
            9.0,
            10.0,
            -2.0,
            2.5,
            0.1,
            -7.25,
            1e15,
            9_007_199_254_740_992.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in values {
            let mut out = String::new();
            write_number(&mut out, value);
            assert_eq!(out, value.to_string(), "{value:?}");
        }
    }
}
