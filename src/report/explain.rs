//! One tip explained for one programme: where it stands, the rules that fired for it
//! and its place in the plan, from the same evaluation and plan as the advice.

use serde::Serialize;

use crate::error::Error;
use crate::eval::{Answers, Confidence, Evaluation, TipStatus, Unknown};
use crate::input::Assessment;
use crate::plan::Plan;
use crate::ruleset::{QuestionIndex, RuleKind, RuleSet, TipIndex};

/// Why one tip is, or is not, in a programme's advice. Built by [`RuleSet::explain`];
/// serialises to JSON for a portal or a notebook. Fields may be added (the value of
/// every sub-expression of the rules is planned), so it is not built outside the crate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Explanation<'r> {
    /// The programme's id.
    pub programme: String,
    /// The tip's id.
    pub tip: &'r str,
    /// The tip's index in the rule set.
    #[serde(skip)]
    pub index: TipIndex,
    /// Where the tip stands.
    pub status: Standing<'r>,
    /// Every rule that fired for the tip (recommending or raising it), in rule order.
    pub rules: Vec<FiredFor<'r>>,
    /// Its place in the plan; absent when it is not in the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanPlace<'r>>,
}

/// Where a tip stands for one programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Standing<'r> {
    /// The rules recommend it; it is in the plan in `cycle` (1 this cycle, 2 next, 3
    /// later).
    Recommended {
        /// 1, 2 or 3.
        cycle: u8,
        /// How well the answers support it.
        confidence: Confidence,
    },
    /// No rule recommends it, but a plan tip needs it and it is not in place.
    PulledIn {
        /// 1, 2 or 3.
        cycle: u8,
    },
    /// Its state is not known: the unanswered questions would tell.
    ToEstablish {
        /// Why it is not known.
        reason: Unknown,
        /// The questions to answer: the tip's own and its section's quick scan.
        questions: Vec<&'r str>,
    },
    /// The programme's context rules it out.
    NotApplicable {
        /// The condition's reason, from the rules.
        because: &'r str,
        /// The questions the condition reads.
        reads: Vec<&'r str>,
    },
    /// Not advised: in place, or not needed on these answers.
    NotAdvised,
}

/// A rule that fired for the tip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredFor<'r> {
    /// The rule's id.
    pub rule: &'r str,
    /// Whether it recommends or raises.
    pub kind: RuleKind,
    /// The priority it gave, or the amount it raised by.
    pub priority: u8,
    /// False when the priority read unanswered questions and fell back to 0.
    pub priority_known: bool,
    /// The template that wrote the rule, for a tip's base rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'r str>,
    /// The rule's reason, from the rules.
    pub because: &'r str,
}

/// A tip's place in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanPlace<'r> {
    /// 1 this cycle, 2 next cycle, 3 later.
    pub cycle: u8,
    /// The dependency phase, from 1.
    pub phase: u32,
    /// The priority the plan ranks it by.
    pub priority: u8,
    /// Its prerequisites in the plan.
    pub after: Vec<&'r str>,
    /// The plan tips that wait for it.
    pub waiting: Vec<&'r str>,
}

impl RuleSet {
    /// Explains one tip for one programme: its standing, the rules that fired for it
    /// and its place in the plan. The answers are checked as [`RuleSet::advise`] does.
    pub fn explain(&self, assessment: &Assessment, tip: &str) -> Result<Explanation<'_>, Error> {
        let index = self.tip_index(tip).ok_or_else(|| {
            let ids = self.tips().iter().map(|tip| tip.id.as_str());
            Error::unknown_tip(tip, crate::diagnostic::did_you_mean(tip, ids))
        })?;
        let answers = self.answers(assessment)?;
        let evaluation = self.evaluate(&answers);
        let plan = self.plan(&evaluation);
        let context = Context {
            ruleset: self,
            answers: &answers,
            evaluation: &evaluation,
            plan: &plan,
        };
        Ok(Explanation {
            programme: assessment.programme.clone(),
            tip: self.tip(index).map_or("", |tip| tip.id.as_str()),
            index,
            status: context.standing(index),
            rules: context.fired_for(index),
            plan: context.place(index),
        })
    }
}

/// What an explanation reads.
struct Context<'r, 'a> {
    ruleset: &'r RuleSet,
    answers: &'a Answers,
    evaluation: &'a Evaluation,
    plan: &'a Plan,
}

impl<'r> Context<'r, '_> {
    fn standing(&self, tip: TipIndex) -> Standing<'r> {
        let status = self.evaluation.status.get(tip.index()).copied();
        let step = self.plan.step(tip);
        match (status, step) {
            (Some(TipStatus::Recommended(confidence)), Some(step)) => Standing::Recommended {
                cycle: step.cycle,
                confidence,
            },
            (_, Some(step)) => Standing::PulledIn { cycle: step.cycle },
            (Some(TipStatus::ToEstablish(reason)), None) => Standing::ToEstablish {
                reason,
                questions: self.unanswered(tip),
            },
            (Some(TipStatus::NotApplicable(condition)), None) => {
                self.not_applicable(tip, condition)
            }
            _ => Standing::NotAdvised,
        }
    }

    /// The tip's own question and its section's quick scan, where unanswered.
    fn unanswered(&self, tip: TipIndex) -> Vec<&'r str> {
        let ruleset = self.ruleset;
        let Some(tip) = ruleset.tip(tip) else {
            return Vec::new();
        };
        let quick_scan = ruleset
            .sections()
            .get(tip.section.index())
            .and_then(|section| section.quickscan);
        [tip.maturity_question, quick_scan]
            .into_iter()
            .flatten()
            .filter(|&question| self.answers.get(question).is_none_or(f64::is_nan))
            .filter_map(|question| ruleset.question(question))
            .map(|question| question.id.as_str())
            .collect()
    }

    fn not_applicable(&self, tip: TipIndex, condition: u16) -> Standing<'r> {
        let ruleset = self.ruleset;
        let applies = ruleset
            .tip(tip)
            .and_then(|tip| tip.applies.get(usize::from(condition)));
        match applies {
            Some(applies) => Standing::NotApplicable {
                because: &applies.because,
                reads: self.question_ids(&applies.reads),
            },
            None => Standing::NotAdvised,
        }
    }

    fn question_ids(&self, questions: &[QuestionIndex]) -> Vec<&'r str> {
        questions
            .iter()
            .filter_map(|&question| self.ruleset.question(question))
            .map(|question| question.id.as_str())
            .collect()
    }

    fn fired_for(&self, tip: TipIndex) -> Vec<FiredFor<'r>> {
        let ruleset = self.ruleset;
        self.evaluation
            .fired
            .iter()
            .filter_map(|fired| {
                let rule = ruleset.rules().get(fired.rule.index())?;
                rule.recommend.contains(&tip).then(|| FiredFor {
                    rule: &rule.id,
                    kind: rule.kind,
                    priority: fired.priority,
                    priority_known: fired.priority_known,
                    template: rule.template.as_deref(),
                    because: &rule.because,
                })
            })
            .collect()
    }

    fn place(&self, tip: TipIndex) -> Option<PlanPlace<'r>> {
        let step = self.plan.step(tip)?;
        let ids = |tips: &mut dyn Iterator<Item = TipIndex>| -> Vec<&'r str> {
            tips.filter_map(|tip| self.ruleset.tip(tip))
                .map(|tip| tip.id.as_str())
                .collect()
        };
        let waiting = self
            .ruleset
            .planning
            .dependents
            .of(tip)
            .iter()
            .copied()
            .filter(|&dependent| self.plan.contains(dependent));
        Some(PlanPlace {
            cycle: step.cycle,
            phase: step.phase,
            priority: step.priority,
            after: ids(&mut self.plan.after(self.ruleset, tip)),
            waiting: ids(&mut { waiting }),
        })
    }
}
