//! What a question takes, in words: the one description every answer error repeats.

use super::{QuestionKind, RuleSet};

impl RuleSet {
    /// What a question takes, in words, for error messages.
    pub fn expected_answer(&self, kind: &QuestionKind) -> String {
        match kind {
            QuestionKind::Scale { scale } => match self.scales().get(*scale as usize) {
                Some(scale) => format!(
                    "a whole number {}..{} or its label, or \"weet niet\"/\"n.v.t.\"",
                    scale.low, scale.high
                ),
                None => "a level of its scale".to_owned(),
            },
            QuestionKind::YesNo => "ja or nee".to_owned(),
            QuestionKind::Percent => {
                "a percentage 0..100 (\"12,5\" and \"12%\" are fine)".to_owned()
            }
            QuestionKind::Number {
                range: Some((low, high)),
            } => format!("a number {low}..{high}"),
            QuestionKind::Number { range: None } => "a number".to_owned(),
            QuestionKind::Choice { options } => {
                let ids: Vec<&str> = options.iter().map(|option| option.id.as_str()).collect();
                format!("one of {}", ids.join(", "))
            }
        }
    }
}
