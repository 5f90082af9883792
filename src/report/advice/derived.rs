//! What the lean advice leaves to the rule set, given back: the answer and target a tip
//! rests on, the answers a rule read, the Dutch reasons of the findings, and the lanes
//! per role. Each is computed from an advice and the rule set that produced it.

use serde::Serialize;

use super::{Advice, GivenAnswer, NotApplicable, Reason, ToEstablish};
use crate::eval::Answers;
use crate::plan::lanes_of;
use crate::ruleset::{RuleSet, TipIndex};

/// The answer a tip's advice rests on, and the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The question read: the tip's own, or its section's quick scan.
    pub question: Option<String>,
    /// The answer; `null` when unanswered.
    pub answer: Option<f64>,
    /// The answer's label on its scale.
    pub answer_label: Option<String>,
    /// The level from which the tip counts as in place (the `in_place` param).
    pub target: Option<f64>,
    /// The target's label on the scale.
    pub target_label: Option<String>,
    /// All of it as one Dutch line, e.g. "antwoord 2 – Gedeeltelijk ingevoerd; doel 3 –
    /// Ingevoerd".
    pub summary: String,
}

/// One role's share of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdvisedLane<'r> {
    /// The role's id.
    pub stakeholder: &'r str,
    /// The role's display name (the institution profile's, if it renames it).
    pub name: &'r str,
    /// The tips it leads, in plan order.
    pub leads: Vec<&'r str>,
    /// The tips it is involved in without leading them, in plan order.
    pub involved: Vec<&'r str>,
}

impl RuleSet {
    /// The answers of an advice as the rules read them: a copy of
    /// [`Advice::answer_values`].
    pub fn advice_answers(&self, advice: &Advice<'_>) -> Answers {
        advice.answer_values().clone()
    }

    /// The answer and target a tip of an advice rests on: its own answer when given,
    /// else its section's quick scan.
    pub fn tip_evidence(&self, advice: &Advice<'_>, tip: TipIndex) -> Option<Evidence> {
        let tip = self.tip(tip)?;
        Some(self.evidence(tip, advice.answer_values()))
    }

    /// The rule's explanation (its `because`), in Dutch.
    pub fn reason_text(&self, reason: &Reason<'_>) -> &str {
        self.rules
            .get(reason.index.index())
            .map_or("", |rule| rule.because.as_str())
    }

    /// The answers the rule of a reason read, by question id, in questionnaire order;
    /// `null` for a question the programme left open.
    pub fn reason_answers(
        &self,
        advice: &Advice<'_>,
        reason: &Reason<'_>,
    ) -> Vec<(&str, serde_json::Value)> {
        let Some(rule) = self.rules.get(reason.index.index()) else {
            return Vec::new();
        };
        rule.reads
            .iter()
            .filter_map(|&question| {
                let asked = self.question(question)?;
                let given = advice.answer_values().get(question);
                let value = given.map_or(serde_json::Value::Null, |value| {
                    let answer = GivenAnswer {
                        index: question,
                        question: asked,
                        value,
                    };
                    serde_json::to_value(answer.json()).unwrap_or_default()
                });
                Some((asked.id.as_str(), value))
            })
            .collect()
    }

    /// Why the state of a tip to establish is not known, in Dutch.
    pub fn establish_text(&self, advice: &Advice<'_>, entry: &ToEstablish<'_>) -> String {
        match self.tip(entry.index) {
            Some(tip) => self.establish_reason(tip, entry.unknown, advice.answer_values()),
            None => String::new(),
        }
    }

    /// Why a tip does not apply: the `because` of its condition that is false.
    pub fn not_applicable_text(&self, entry: &NotApplicable<'_>) -> &str {
        self.tip(entry.index)
            .and_then(|tip| tip.applies.get(usize::from(entry.condition)))
            .map_or("", |condition| condition.because.as_str())
    }

    /// Per role that leads or is involved in a plan tip, in the roles' order, the plan
    /// tips it leads and those it is involved in.
    pub fn advice_lanes<'r>(&'r self, advice: &Advice<'r>) -> Vec<AdvisedLane<'r>> {
        let ids = |tips: Vec<TipIndex>| -> Vec<&'r str> {
            tips.into_iter()
                .filter_map(|tip| self.tip(tip).map(|tip| tip.id.as_str()))
                .collect()
        };
        let roles = self.roles().all();
        lanes_of(self, advice.tips.iter().map(|tip| tip.index))
            .into_iter()
            .filter_map(|lane| {
                let role = roles.get(lane.role.index())?;
                Some(AdvisedLane {
                    stakeholder: role.id.as_str(),
                    name: role.name.as_str(),
                    leads: ids(lane.led),
                    involved: ids(lane.involved),
                })
            })
            .collect()
    }
}
