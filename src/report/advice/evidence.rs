//! What a recommendation rests on, in Dutch: the answer and the target, why a cycle-1 tip
//! comes now, and which context was assumed.

use super::{Evidence, Reason};
use crate::eval::{Answers, Confidence, Evaluation};
use crate::plan::{Plan, PlanStep};
use crate::ruleset::{Horizon, HorizonLevel, QuestionIndex, RuleKind, RuleSet, Tip};

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
        let question = self.evidence_question(tip, answers);
        let answer = question.and_then(|question| answers.get(question));
        let label = |value: Option<f64>| {
            let scale = question
                .and_then(|question| self.question(question))
                .and_then(|question| self.scale_of(question))?;
            scale.label(value? as i64).map(str::to_owned)
        };
        let target = self.in_place_level();
        let mut summary = match (answer, label(answer)) {
            (Some(value), Some(text)) => format!("antwoord {value} – {text}"),
            (Some(value), None) => format!("antwoord {value}"),
            (None, _) => "niet beantwoord".to_owned(),
        };
        if question.is_some() && question != tip.maturity_question {
            summary = format!("quick-scan: {summary}");
        }
        match (target, label(target)) {
            (Some(value), Some(text)) => summary.push_str(&format!("; doel {value} – {text}")),
            (Some(value), None) => summary.push_str(&format!("; doel {value}")),
            (None, _) => {}
        }
        Evidence {
            question: question
                .and_then(|question| self.question(question))
                .map(|question| question.id.clone()),
            answer,
            answer_label: label(answer),
            target,
            target_label: label(target),
            summary,
        }
    }

    /// Why a cycle-1 tip comes now: what builds on it, the size of the gap, the context
    /// that makes it urgent, how soon it can start, and how sure the evidence is.
    pub(super) fn why_now(
        &self,
        step: PlanStep,
        tip: &Tip,
        evidence: &Evidence,
        confidence: Confidence,
        because: &[Reason<'_>],
        plan: &Plan,
    ) -> String {
        let mut parts: Vec<String> = Vec::new();
        let waiting: Vec<String> = plan
            .pulled_in_by(self, step.tip)
            .filter_map(|dependent| self.tip(dependent))
            .map(|dependent| dependent.id.clone())
            .collect();
        if !waiting.is_empty() {
            parts.push(format!("Voorwaarde voor {}.", waiting.join(", ")));
        }
        if tip.fundament > 0 {
            parts.push(format!(
                "Fundament: {} {} hierop voort.",
                tip.fundament,
                if tip.fundament == 1 {
                    "tip bouwt"
                } else {
                    "tips bouwen"
                }
            ));
        }
        let gap = evidence
            .answer
            .zip(evidence.target)
            .map(|(answer, target)| target - answer);
        match gap {
            Some(gap) if gap >= LARGE_GAP => {
                parts.push(format!("Grote achterstand ({}).", evidence.summary));
            }
            Some(_) => parts.push(format!(
                "Nog niet op het doelniveau ({}).",
                evidence.summary
            )),
            None => {}
        }
        for rule in because
            .iter()
            .filter_map(|reason| self.rules.get(reason.index.index()))
            .filter(|rule| rule.kind == RuleKind::Raise)
        {
            parts.push(rule.because.clone());
        }
        if let Some(horizon) = self.section_of(tip).map(|section| section.horizon) {
            if matches!(
                horizon,
                Horizon::Range {
                    from: HorizonLevel::Kort,
                    ..
                }
            ) {
                parts.push(format!(
                    "Kan op korte termijn starten (tijdspad {horizon})."
                ));
            }
        }
        if confidence == Confidence::QuickScan {
            parts.push("Gebaseerd op de quick-scan; de detailscan moet het bevestigen.".to_owned());
        }
        parts.join(" ")
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
            .context_assumed
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
