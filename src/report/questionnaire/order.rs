//! Which questions a form asks, and in what order: the context first, then the
//! principles and factors in the rule set's order, each section opening with its
//! quick-scan question so that a team gives its overall judgement before the details.

use crate::ruleset::{Question, RuleSet};

/// The prefix of the context questions (`context.mbo`).
pub(super) const CONTEXT_PREFIX: &str = "context";

/// The prefix of the quick-scan questions (`quickscan.<section>`).
const QUICK_SCAN_PREFIX: &str = "quickscan";

/// Which questions a form asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormLength {
    /// Every question.
    #[default]
    Full,
    /// The context questions and each section's quick-scan question: about twenty
    /// minutes' work, advised by the same rules.
    Short,
}

/// The section part of a question id: `toetsing` for `toetsing.frequentie` and for
/// `quickscan.toetsing`, `context` for `context.mbo`.
pub(super) fn section_prefix(id: &str) -> &str {
    match id.split_once('.') {
        Some((QUICK_SCAN_PREFIX, rest)) => rest.split('.').next().unwrap_or(rest),
        Some((head, _)) => head,
        None => id,
    }
}

/// Whether a question is the quick-scan question of a section of the rule set.
fn is_quick_scan(ruleset: &RuleSet, id: &str) -> bool {
    id.strip_prefix(QUICK_SCAN_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|section| ruleset.sections().iter().any(|s| s.id == section))
}

/// Where a question stands in a form; forms sort by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    /// 0 context, 1 principles and factors, 2 anything else.
    part: u8,
    /// The section's position in the rule set, or the position of the first question
    /// of the same prefix.
    group: usize,
    /// Quick-scan questions (false) before the others (true).
    detail: bool,
    /// The declared order within the group.
    declared: usize,
}

fn place(ruleset: &RuleSet, questions: &[Question], declared: usize, id: &str) -> Place {
    let prefix = section_prefix(id);
    let section = ruleset.sections().iter().position(|s| s.id == prefix);
    let (part, group) = match section {
        Some(index) => (1, index),
        None if prefix == CONTEXT_PREFIX => (0, 0),
        None => {
            let first = questions
                .iter()
                .position(|q| section_prefix(&q.id) == prefix)
                .unwrap_or(declared);
            (2, first)
        }
    };
    Place {
        part,
        group,
        detail: !is_quick_scan(ruleset, id),
        declared,
    }
}

/// Whether the short form asks a question: context questions, questions outside any
/// section, and the sections' quick-scan questions.
fn in_short_form(ruleset: &RuleSet, id: &str) -> bool {
    let prefix = section_prefix(id);
    let in_section = ruleset.sections().iter().any(|s| s.id == prefix);
    !in_section || is_quick_scan(ruleset, id)
}

/// The questions of a form, in form order.
pub fn form_questions(ruleset: &RuleSet, length: FormLength) -> Vec<&Question> {
    let questions = ruleset.questions();
    let mut placed: Vec<(Place, &Question)> = questions
        .iter()
        .enumerate()
        .filter(|(_, q)| length == FormLength::Full || in_short_form(ruleset, &q.id))
        .map(|(declared, q)| (place(ruleset, questions, declared, &q.id), q))
        .collect();
    placed.sort_by_key(|(place, _)| *place);
    placed.into_iter().map(|(_, question)| question).collect()
}

#[cfg(test)]
mod tests {
    use super::section_prefix;

    #[test]
    fn quick_scan_questions_belong_to_the_section_they_name() {
        assert_eq!(section_prefix("toetsing.frequentie"), "toetsing");
        assert_eq!(section_prefix("quickscan.toetsing"), "toetsing");
        assert_eq!(section_prefix("context.mbo"), "context");
        assert_eq!(section_prefix("los"), "los");
    }
}
