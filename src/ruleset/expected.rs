//! What a question takes, in words (the one description every answer error repeats)
//! and in numbers (the bounds the common answers are checked against).

use super::{QuestionIndex, QuestionKind, RuleSet};

/// The numbers a question takes, so that the common answers (a number, a text of a few
/// digits) are checked by two comparisons rather than by matching on the question's kind
/// and looking its scale up: a number fits when it lies in `low..=high` and, if `whole`,
/// has no fraction. Both bounds are finite, so NaN and the infinities never fit; a choice
/// takes no number (`low > high`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AnswerBounds {
    /// The lowest number taken.
    pub(crate) low: f64,
    /// The highest number taken.
    pub(crate) high: f64,
    /// Whether only whole numbers are taken (a scale's levels, yes/no's 0 and 1).
    pub(crate) whole: bool,
    /// The longest text of ASCII digits read as the whole number it spells: 9 for
    /// numbers, 1 for yes/no (which takes "0" and "1", not "01"), 0 for a choice (whose
    /// option ids and labels may be digits).
    pub(crate) digits: u8,
}

impl AnswerBounds {
    /// Bounds no number fits and no text is read by.
    pub(crate) const NONE: AnswerBounds = AnswerBounds {
        low: 1.0,
        high: 0.0,
        whole: false,
        digits: 0,
    };

    /// The bounds of a question of this kind in `ruleset`.
    fn of(ruleset: &RuleSet, kind: &QuestionKind) -> AnswerBounds {
        let range = |low: f64, high: f64, whole: bool, digits: u8| AnswerBounds {
            low: low.max(f64::MIN),
            high: high.min(f64::MAX),
            whole,
            digits,
        };
        match kind {
            QuestionKind::Scale { scale } => match ruleset.scales().get(*scale as usize) {
                Some(scale) => range(scale.low as f64, scale.high as f64, true, 9),
                None => AnswerBounds::NONE,
            },
            QuestionKind::YesNo => range(0.0, 1.0, true, 1),
            QuestionKind::Percent => range(0.0, 100.0, false, 9),
            QuestionKind::Number {
                range: Some((low, high)),
            } => range(*low, *high, false, 9),
            QuestionKind::Number { range: None } => range(f64::MIN, f64::MAX, false, 9),
            QuestionKind::Choice { .. } => AnswerBounds::NONE,
        }
    }

    /// Whether `number` fits: in the bounds and, if they ask for it, whole.
    #[inline]
    pub(crate) fn fits(self, number: f64) -> bool {
        // A whole number within the bounds is within the range of `i64`, where the round
        // trip through it says whether it is whole without the call `fract` makes.
        (self.low..=self.high).contains(&number) && (!self.whole || number as i64 as f64 == number)
    }
}

impl RuleSet {
    /// The bounds of every question, by question index, for [`Program::answer_bounds`](super::program::Program::answer_bounds).
    pub(crate) fn answer_bounds_table(&self) -> Vec<AnswerBounds> {
        self.questions()
            .iter()
            .map(|question| AnswerBounds::of(self, &question.kind))
            .collect()
    }

    /// The bounds of a question's numbers, from its kind; `None` for an index past the
    /// questions.
    pub(crate) fn bounds_of(&self, question: QuestionIndex) -> Option<AnswerBounds> {
        self.question(question)
            .map(|question| AnswerBounds::of(self, &question.kind))
    }

    /// The bounds of a question's numbers; `None` for an index past the questions (or
    /// a rule set whose table was not built, which then takes the general path).
    #[inline]
    pub(crate) fn answer_bounds(&self, question: QuestionIndex) -> Option<AnswerBounds> {
        self.program.answer_bounds.get(question.index()).copied()
    }

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
