//! One tip explained for one programme: where it stands, the rules that fired for it
//! and its place in the plan, from the same evaluation and plan as the advice.

use serde::Serialize;

use crate::error::Error;
use crate::eval::{Answers, Confidence, Evaluation, TipStatus, Unknown};
use crate::input::Assessment;
use crate::plan::Plan;
use crate::report::Lang;
use crate::ruleset::{
    ExprTree, QuestionIndex, QuestionKind, RuleIdentity, RuleIndex, RuleKind, RuleSet,
    SourceLocation, TermKind, TermType, TipIndex,
};

/// Why one tip is, or is not, in a programme's advice. Built by [`RuleSet::explain`];
/// serialises to JSON for a portal or a notebook. Fields may be added, so it is not
/// built outside the crate.
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
    /// The tip in the Roadmap's graph of tips, in the plan or not: the tips it builds on
    /// and the tips that build on it, each with its cycle when it is in this plan.
    pub graph: GraphPlace<'r>,
    /// The rules that recommend or raise the tip but did not fire, each with the part
    /// of its condition that was false or unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_fired: Vec<NotFired<'r>>,
    /// The tip's `applies` conditions (its section's, then its own) with their values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applies: Vec<AppliesCheck<'r>>,
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
    /// Where the rule is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'r SourceLocation>,
    /// Its condition with the value of every sub-expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Term<'r>>,
    /// Its priority (or the amount it raises by) with the value of every
    /// sub-expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_expression: Option<Term<'r>>,
}

/// The value of an expression for one programme: a number, true or false, an option of
/// a choice question, or unknown (`null` in JSON) when answers it needs are missing
/// (three-valued, Kleene logic).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Value<'r> {
    /// A number.
    Number(f64),
    /// True or false.
    Bool(bool),
    /// An option of a choice question, by its id.
    Option(&'r str),
    /// Not known: the answers it needs are missing.
    Unknown,
}

impl Value<'_> {
    /// The value as the text output writes it: `3`, `2.8889` (at most four decimals),
    /// `waar`/`true`, an option id, or `onbekend`/`unknown`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Value::Number(number) if number.fract() == 0.0 => number.to_string(),
            Value::Number(number) => {
                let text = format!("{number:.4}");
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
            Value::Bool(true) => lang.pick("waar", "true").to_owned(),
            Value::Bool(false) => lang.pick("onwaar", "false").to_owned(),
            Value::Option(option) => (*option).to_owned(),
            Value::Unknown => lang.pick("onbekend", "unknown").to_owned(),
        }
    }
}

/// One expression of a rule or condition with its value, and the values of its
/// sub-expressions (operands in source order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term<'r> {
    /// The expression as the rules write it, on one line, a template's placeholders
    /// filled in for the tip (cut at 1,024 bytes with "…").
    pub text: &'r str,
    /// Its value for this programme.
    pub value: Value<'r>,
    /// Its operands, each with its value; absent for answers and constants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Term<'r>>,
}

/// Whether a condition held: the three values of Kleene logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    /// The condition held.
    True,
    /// It did not.
    False,
    /// Answers it reads are missing, so it is not known.
    Unknown,
}

impl Truth {
    fn of(value: f64) -> Truth {
        if value.is_nan() {
            Truth::Unknown
        } else if value != 0.0 {
            Truth::True
        } else {
            Truth::False
        }
    }
}

/// A rule that recommends or raises the tip but did not fire for this programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotFired<'r> {
    /// The rule: id, kind, template and source.
    #[serde(flatten)]
    pub identity: RuleIdentity<'r>,
    /// False, or unknown because answers were missing.
    pub outcome: Truth,
    /// The first part of the condition that made it false (or unknown): the condition
    /// itself, or the operand of `and`, `or` or `not` that decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Term<'r>>,
    /// The whole condition with the value of every sub-expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Term<'r>>,
    /// The unanswered questions the rule reads (those that make it unknown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'r str>,
}

/// One `applies` condition of the tip and its value for this programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliesCheck<'r> {
    /// Why the tip does not apply when the condition is false.
    pub because: &'r str,
    /// True, false (the tip does not apply), or unknown (it applies, assumed).
    pub outcome: Truth,
    /// The condition with the value of every sub-expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Term<'r>>,
    /// The unanswered questions the condition reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'r str>,
}

/// A tip's neighbours in the Roadmap's graph of tips (its `after` lists).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphPlace<'r> {
    /// The tips it builds on (its `after` list), in the order written.
    pub builds_on: Vec<Neighbour<'r>>,
    /// The tips whose `after` list names it, in catalogue order.
    pub built_on_by: Vec<Neighbour<'r>>,
}

/// A tip next to the explained one in the graph, and its cycle in this plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour<'r> {
    /// The tip's id.
    pub tip: &'r str,
    /// Its cycle in this programme's plan; absent when it is not in the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle: Option<u8>,
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
    /// (each condition with the value of every sub-expression), the rules that did not
    /// and why, its `applies` conditions, and its place in the plan. The answers are
    /// checked as [`RuleSet::advise`] does.
    pub fn explain(&self, assessment: &Assessment, tip: &str) -> Result<Explanation<'_>, Error> {
        let index = self.tip_index(tip).ok_or_else(|| {
            let ids = self.tips().iter().map(|tip| tip.id.as_str());
            Error::unknown_tip(tip, crate::diagnostic::did_you_mean(tip, ids))
        })?;
        let answers = self.answers(assessment)?;
        let explained = self.explain_answers(&assessment.programme, &answers, &[index]);
        explained
            .into_iter()
            .next()
            .ok_or_else(|| Error::unknown_tip(tip, String::new()))
    }

    /// Explains the given tips for one programme's checked answers, evaluating and
    /// planning once; indices that are no tip are skipped.
    pub fn explain_answers(
        &self,
        programme: &str,
        answers: &Answers,
        tips: &[TipIndex],
    ) -> Vec<Explanation<'_>> {
        let evaluation = self.evaluate(answers);
        let plan = self.plan(&evaluation);
        let context = Context {
            ruleset: self,
            answers,
            evaluation: &evaluation,
            plan: &plan,
            values: crate::eval::expression_values(&self.explain_tables().program, answers),
        };
        tips.iter()
            .filter_map(|&index| context.explain(programme, index))
            .collect()
    }

    /// Explains every tip of one programme's plan, in plan order (cycle 1 first).
    pub fn explain_plan(&self, programme: &str, answers: &Answers) -> Vec<Explanation<'_>> {
        let plan = self.plan(&self.evaluate(answers));
        let tips: Vec<TipIndex> = plan.steps().iter().map(|step| step.tip).collect();
        self.explain_answers(programme, answers, &tips)
    }
}

/// What an explanation reads.
struct Context<'r, 'a> {
    ruleset: &'r RuleSet,
    answers: &'a Answers,
    evaluation: &'a Evaluation,
    plan: &'a Plan,
    /// The value of every node of the explanation program.
    values: Vec<f64>,
}

impl<'r> Context<'r, '_> {
    fn explain(&self, programme: &str, index: TipIndex) -> Option<Explanation<'r>> {
        let tip = self.ruleset.tip(index)?;
        Some(Explanation {
            programme: programme.to_owned(),
            tip: tip.id.as_str(),
            index,
            status: self.standing(index),
            rules: self.fired_for(index),
            plan: self.place(index),
            graph: self.graph(index),
            not_fired: self.not_fired(index),
            applies: self.applies(index),
        })
    }

    /// A tree with the value of every node.
    fn term(&self, tree: &'r ExprTree) -> Term<'r> {
        Term {
            text: &tree.text,
            value: self.value(tree),
            terms: tree.children.iter().map(|child| self.term(child)).collect(),
        }
    }

    fn raw(&self, tree: &ExprTree) -> f64 {
        self.values
            .get(tree.slot as usize)
            .copied()
            .unwrap_or(f64::NAN)
    }

    fn value(&self, tree: &ExprTree) -> Value<'r> {
        let value = self.raw(tree);
        if value.is_nan() {
            return Value::Unknown;
        }
        match tree.ty {
            TermType::Number => Value::Number(value),
            TermType::Bool => Value::Bool(value != 0.0),
            TermType::Choice(question) => self.option(question, value),
        }
    }

    fn option(&self, question: QuestionIndex, value: f64) -> Value<'r> {
        let options = match self.ruleset.question(question).map(|q| &q.kind) {
            Some(QuestionKind::Choice { options }) => options,
            _ => return Value::Number(value),
        };
        let index = value as usize;
        match options.get(index) {
            Some(option) if value.fract() == 0.0 && value >= 0.0 => Value::Option(&option.id),
            _ => Value::Number(value),
        }
    }

    /// The operand of `and`, `or` and `not` that decided a condition's value, followed
    /// down as long as one does: the first false (or unknown) part.
    fn decisive(&self, tree: &'r ExprTree) -> &'r ExprTree {
        let mut tree = tree;
        loop {
            let value = self.raw(tree);
            let next = match tree.kind {
                TermKind::Not => tree.children.first(),
                TermKind::And | TermKind::Or => tree.children.iter().find(|child| {
                    let child = self.raw(child);
                    (child.is_nan() && value.is_nan()) || child == value
                }),
                _ => None,
            };
            match next {
                Some(next) => tree = next,
                None => return tree,
            }
        }
    }

    fn missing(&self, reads: &[QuestionIndex]) -> Vec<&'r str> {
        let unanswered: Vec<QuestionIndex> = reads
            .iter()
            .copied()
            .filter(|&question| self.answers.get(question).is_none())
            .collect();
        self.question_ids(&unanswered)
    }

    fn not_fired(&self, tip: TipIndex) -> Vec<NotFired<'r>> {
        let ruleset = self.ruleset;
        let fired: Vec<RuleIndex> = self.evaluation.fired().iter().map(|f| f.rule).collect();
        ruleset
            .tip_rules()
            .of(tip)
            .iter()
            .filter(|rule| !fired.contains(rule))
            .filter_map(|&index| {
                let rule = ruleset.rules().get(index.index())?;
                let identity = ruleset.rule_identity(index)?;
                let trees = ruleset.explain_tables().rules.get(index.index());
                let when = trees.and_then(|trees| trees.when.as_ref());
                let outcome = when.map_or(Truth::False, |when| Truth::of(self.raw(when)));
                Some(NotFired {
                    identity,
                    outcome,
                    blocked_by: when.map(|when| self.term(self.decisive(when))),
                    condition: when.map(|when| self.term(when)),
                    missing: if outcome == Truth::Unknown {
                        self.missing(&rule.reads)
                    } else {
                        Vec::new()
                    },
                })
            })
            .collect()
    }

    fn applies(&self, index: TipIndex) -> Vec<AppliesCheck<'r>> {
        let Some(tip) = self.ruleset.tip(index) else {
            return Vec::new();
        };
        let trees = self.ruleset.explain_tables().applies.get(index.index());
        tip.applies
            .iter()
            .enumerate()
            .map(|(at, applies)| {
                let tree = trees
                    .and_then(|trees| trees.get(at))
                    .and_then(Option::as_ref);
                let outcome = tree.map_or(Truth::Unknown, |tree| Truth::of(self.raw(tree)));
                AppliesCheck {
                    because: &applies.because,
                    outcome,
                    condition: tree.map(|tree| self.term(tree)),
                    missing: self.missing(&applies.reads),
                }
            })
            .collect()
    }

    fn standing(&self, tip: TipIndex) -> Standing<'r> {
        let status = self.evaluation.status().get(tip.index());
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
            .fired()
            .iter()
            .filter_map(|fired| {
                let rule = ruleset.rules().get(fired.rule.index())?;
                let trees = ruleset.explain_tables().rules.get(fired.rule.index());
                rule.recommend.contains(&tip).then(|| FiredFor {
                    rule: &rule.id,
                    kind: rule.kind,
                    priority: fired.priority,
                    priority_known: fired.priority_known,
                    template: rule.template.as_deref(),
                    because: &rule.because,
                    source: ruleset.rule_source(fired.rule),
                    condition: trees
                        .and_then(|trees| trees.when.as_ref())
                        .map(|when| self.term(when)),
                    priority_expression: trees
                        .and_then(|trees| trees.priority.as_ref())
                        .map(|priority| self.term(priority)),
                })
            })
            .collect()
    }

    fn graph(&self, tip: TipIndex) -> GraphPlace<'r> {
        let planning = &self.ruleset.planning;
        let neighbours = |tips: &[TipIndex]| -> Vec<Neighbour<'r>> {
            tips.iter()
                .filter_map(|&tip| {
                    let id = self.ruleset.tip(tip)?.id.as_str();
                    let cycle = self.plan.step(tip).map(|step| step.cycle);
                    Some(Neighbour { tip: id, cycle })
                })
                .collect()
        };
        GraphPlace {
            builds_on: neighbours(planning.prerequisites.of(tip)),
            built_on_by: neighbours(planning.dependents.of(tip)),
        }
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
