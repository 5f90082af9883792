//! The checked fast path for embedders: question ids are resolved once to
//! [`QuestionHandle`]s, and an [`AnswersBuilder`] checks each value against its question
//! (a level off the scale, an unknown option, a percentage over 100 is a typed error,
//! never accepted silently) while it fills the evaluator's [`Answers`]. After resolving,
//! setting an answer looks up no string and hashes nothing: the handle carries what the
//! check needs.

use super::Answers;
use crate::ruleset::{QuestionIndex, QuestionKind, RuleSet};

/// What a question accepts, copied out of the rule set when the handle is made.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Accepts {
    /// A whole number from `low` to `high`.
    Level { low: f64, high: f64 },
    /// 0 or 1.
    YesNo,
    /// A number from `low` to `high` (a percentage, or a number with or without range).
    Number { low: f64, high: f64 },
    /// An option index below `options`.
    Choice { options: u32 },
}

/// A question of one rule set, resolved once by [`RuleSet::question_handle`]. It holds
/// the question's index and what its answers may be, so setting an answer through it
/// needs no lookup. It is valid for every rule set compiled from the same sources and
/// param overrides (the same content hash); an [`AnswersBuilder`] refuses it for any
/// other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuestionHandle {
    index: QuestionIndex,
    accepts: Accepts,
    ruleset: u64,
}

impl QuestionHandle {
    /// The question's index in [`RuleSet::questions`], its slot in [`Answers`].
    pub fn index(&self) -> QuestionIndex {
        self.index
    }
}

/// Why a question could not be resolved or an answer not be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TypedAnswerError {
    /// No question of the rule set has this id.
    #[error("`{id}` is not a question of this rule set")]
    UnknownQuestion {
        /// The id asked for.
        id: String,
    },
    /// The handle was resolved on a rule set with other contents.
    #[error("question handle {index} belongs to another rule set")]
    OtherRuleSet {
        /// The handle's question index.
        index: QuestionIndex,
    },
    /// The value does not fit the question.
    #[error("question `{question}` takes {expected}; {value} is not one of them")]
    Invalid {
        /// The question id.
        question: String,
        /// The value given, as text.
        value: String,
        /// What the question takes, in words.
        expected: String,
    },
    /// The choice question has no option with this id or label.
    #[error("question `{question}` has no option `{option}`; it takes {expected}")]
    UnknownOption {
        /// The question id.
        question: String,
        /// The option asked for.
        option: String,
        /// What the question takes, in words.
        expected: String,
    },
}

/// The first 64 bits of the content hash: the identity handles are checked against.
fn fingerprint(ruleset: &RuleSet) -> u64 {
    let hash = ruleset.info().hash.as_str();
    hash.get(..16)
        .and_then(|prefix| u64::from_str_radix(prefix, 16).ok())
        .unwrap_or(0)
}

/// What a question of this kind accepts.
fn accepts(ruleset: &RuleSet, kind: &QuestionKind) -> Accepts {
    match kind {
        QuestionKind::Scale { scale } => {
            let (low, high) = ruleset
                .scales()
                .get(*scale as usize)
                .map_or((f64::NAN, f64::NAN), |scale| {
                    (scale.low as f64, scale.high as f64)
                });
            Accepts::Level { low, high }
        }
        QuestionKind::YesNo => Accepts::YesNo,
        QuestionKind::Percent => Accepts::Number {
            low: 0.0,
            high: 100.0,
        },
        QuestionKind::Number { range } => {
            let (low, high) = range.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
            Accepts::Number { low, high }
        }
        QuestionKind::Choice { options } => Accepts::Choice {
            options: u32::try_from(options.len()).unwrap_or(u32::MAX),
        },
    }
}

impl Accepts {
    /// The slot value of `number`, if the question takes it (-0 is 0).
    fn number(self, number: f64) -> Option<f64> {
        let fits = match self {
            Accepts::Level { low, high } => number.fract() == 0.0 && (low..=high).contains(&number),
            Accepts::YesNo => number == 0.0 || number == 1.0,
            Accepts::Number { low, high } => number.is_finite() && (low..=high).contains(&number),
            Accepts::Choice { .. } => false,
        };
        // `number + 0.0` turns -0 into 0 and leaves every other number as it is.
        fits.then_some(number + 0.0)
    }
}

impl RuleSet {
    /// Resolves a question id once, for [`AnswersBuilder`].
    ///
    /// # Errors
    ///
    /// [`TypedAnswerError::UnknownQuestion`] when no question has this id.
    pub fn question_handle(&self, id: &str) -> Result<QuestionHandle, TypedAnswerError> {
        let unknown = || TypedAnswerError::UnknownQuestion { id: id.to_owned() };
        let index = self.question_index(id).ok_or_else(unknown)?;
        let question = self.question(index).ok_or_else(unknown)?;
        Ok(QuestionHandle {
            index,
            accepts: accepts(self, &question.kind),
            ruleset: fingerprint(self),
        })
    }

    /// The index of a choice question's option, by id or label (case-insensitive), to
    /// resolve once for [`AnswersBuilder::set_option`].
    ///
    /// # Errors
    ///
    /// [`TypedAnswerError::UnknownOption`] when the question has no such option (or is
    /// no choice question); [`TypedAnswerError::OtherRuleSet`] for a handle of another
    /// rule set.
    pub fn option_index(
        &self,
        question: QuestionHandle,
        option: &str,
    ) -> Result<u32, TypedAnswerError> {
        let declared = self.checked_question(question)?;
        let found = match &declared.kind {
            QuestionKind::Choice { options } => options.iter().position(|candidate| {
                candidate.id.eq_ignore_ascii_case(option)
                    || candidate.label.eq_ignore_ascii_case(option)
            }),
            _ => None,
        };
        let unknown = || TypedAnswerError::UnknownOption {
            question: declared.id.clone(),
            option: option.to_owned(),
            expected: self.expected_answer(&declared.kind),
        };
        found
            .and_then(|index| u32::try_from(index).ok())
            .ok_or_else(unknown)
    }

    /// The question of a handle resolved on this rule set.
    fn checked_question(
        &self,
        handle: QuestionHandle,
    ) -> Result<&crate::ruleset::Question, TypedAnswerError> {
        let other = TypedAnswerError::OtherRuleSet {
            index: handle.index,
        };
        if handle.ruleset != fingerprint(self) {
            return Err(other);
        }
        self.question(handle.index).ok_or(other)
    }
}

/// Builds one programme's [`Answers`] from values checked against their questions.
/// Every question starts unanswered; [`AnswersBuilder::reset`] starts over for the next
/// programme without allocating.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use studentsucces::eval::AnswersBuilder;
/// use studentsucces::ruleset::RuleSet;
///
/// let ruleset = RuleSet::roadmap()?;
/// let question = ruleset.question_handle(&ruleset.questions()[0].id)?;
/// let mut builder = AnswersBuilder::new(&ruleset);
/// assert!(builder.set_number(question, 1e9).is_err());
/// builder.set_missing(question)?;
/// let answers = builder.build();
/// assert_eq!(answers.get(question.index()), None);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AnswersBuilder<'r> {
    ruleset: &'r RuleSet,
    fingerprint: u64,
    answers: Answers,
}

impl<'r> AnswersBuilder<'r> {
    /// A builder with every question of `ruleset` unanswered.
    pub fn new(ruleset: &'r RuleSet) -> Self {
        AnswersBuilder {
            ruleset,
            fingerprint: fingerprint(ruleset),
            answers: Answers::unanswered(ruleset),
        }
    }

    /// Answers a scale, yes/no (0 or 1), percentage or number question.
    ///
    /// # Errors
    ///
    /// [`TypedAnswerError::Invalid`] when the question does not take the number (off
    /// the scale or out of range, not whole for a scale, not finite, or a choice
    /// question); [`TypedAnswerError::OtherRuleSet`] for a handle of another rule set.
    /// The answer is left as it was.
    pub fn set_number(
        &mut self,
        question: QuestionHandle,
        number: f64,
    ) -> Result<&mut Self, TypedAnswerError> {
        self.check(question)?;
        match question.accepts.number(number) {
            Some(value) => Ok(self.put(question, value)),
            None => Err(self.invalid(question, number.to_string())),
        }
    }

    /// Answers a yes/no question.
    ///
    /// # Errors
    ///
    /// [`TypedAnswerError::Invalid`] when the question is no yes/no question;
    /// [`TypedAnswerError::OtherRuleSet`] for a handle of another rule set.
    pub fn set_yes_no(
        &mut self,
        question: QuestionHandle,
        yes: bool,
    ) -> Result<&mut Self, TypedAnswerError> {
        self.check(question)?;
        match question.accepts {
            Accepts::YesNo => Ok(self.put(question, f64::from(u8::from(yes)))),
            _ => Err(self.invalid(question, yes.to_string())),
        }
    }

    /// Answers a choice question with the option at `option` (see
    /// [`RuleSet::option_index`]).
    ///
    /// # Errors
    ///
    /// [`TypedAnswerError::Invalid`] when the question has no such option or is no
    /// choice question; [`TypedAnswerError::OtherRuleSet`] for a handle of another rule
    /// set.
    pub fn set_option(
        &mut self,
        question: QuestionHandle,
        option: u32,
    ) -> Result<&mut Self, TypedAnswerError> {
        self.check(question)?;
        match question.accepts {
            Accepts::Choice { options } if option < options => {
                Ok(self.put(question, f64::from(option)))
            }
            _ => Err(self.invalid(question, format!("option {option}"))),
        }
    }

    /// Records that a question is not answered ("weet niet").
    ///
    /// # Errors
    ///
    /// [`TypedAnswerError::OtherRuleSet`] for a handle of another rule set.
    pub fn set_missing(&mut self, question: QuestionHandle) -> Result<&mut Self, TypedAnswerError> {
        self.check(question)?;
        Ok(self.put(question, f64::NAN))
    }

    /// The answers so far.
    pub fn answers(&self) -> &Answers {
        &self.answers
    }

    /// Every question unanswered again, keeping the buffer.
    pub fn reset(&mut self) -> &mut Self {
        self.answers.clear();
        self
    }

    /// The answers.
    pub fn build(self) -> Answers {
        self.answers
    }

    fn check(&self, question: QuestionHandle) -> Result<(), TypedAnswerError> {
        if question.ruleset == self.fingerprint {
            Ok(())
        } else {
            Err(TypedAnswerError::OtherRuleSet {
                index: question.index,
            })
        }
    }

    fn put(&mut self, question: QuestionHandle, value: f64) -> &mut Self {
        self.answers.set(question.index, value);
        self
    }

    fn invalid(&self, question: QuestionHandle, value: String) -> TypedAnswerError {
        let declared = self.ruleset.question(question.index);
        TypedAnswerError::Invalid {
            question: declared.map(|q| q.id.clone()).unwrap_or_default(),
            value,
            expected: declared.map_or_else(String::new, |q| self.ruleset.expected_answer(&q.kind)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{AnswersBuilder, TypedAnswerError};
    use crate::compile::compile;
    use crate::diagnostic::SourceFile;
    use crate::input::{parse_answer, RawAnswer};
    use crate::ruleset::RuleSet;

    fn compiled(extra: &str) -> RuleSet {
        let text = format!(
            "ruleset \"typed\" version \"1\"\n\
             theme t \"T\" {{ number 1 }}\n\
             factor f \"F\" {{ number 1 theme t horizon kort }}\n\
             tip f.t0 {{ text \"T0\" }}\n\
             scale maturity 0..4 {{ }}\n\
             question f.s: maturity \"s?\"\n\
             question f.y: yesno \"y?\"\n\
             question f.p: percent \"p?\"\n\
             question f.n: number -5..5 \"n?\"\n\
             question f.m: number \"m?\"\n\
             question f.c: choice [a, b, c] \"c?\"\n\
             rule r0 {{\n when f.s >= 2 and f.y\n recommend f.t0\n because \"b\"\n}}\n{extra}"
        );
        match compile(vec![SourceFile::new("typed.rules", text)], &[]) {
            Ok(compiled) => compiled.ruleset,
            Err(diagnostics) => panic!("{}", diagnostics.render_plain()),
        }
    }

    #[test]
    fn numbers_are_checked_as_the_string_path_checks_them() {
        let ruleset = compiled("");
        let mut builder = AnswersBuilder::new(&ruleset);
        let numbers = [
            -6.0, -5.0, -0.0, 0.0, 0.5, 1.0, 2.0, 4.0, 4.5, 5.0, 99.5, 100.0, 100.5, 1e300,
        ];
        for id in ["f.s", "f.y", "f.p", "f.n", "f.m", "f.c"] {
            let handle = ruleset.question_handle(id).unwrap();
            for number in numbers.into_iter().chain([f64::NAN, f64::INFINITY]) {
                let expected = parse_answer(&ruleset, handle.index(), RawAnswer::Number(number));
                let typed = builder
                    .set_number(handle, number)
                    .map(|b| b.answers().clone());
                match (expected, typed) {
                    (Ok(value), Ok(answers)) => {
                        let got = answers.get(handle.index()).unwrap();
                        assert_eq!(got.to_bits(), value.to_bits(), "{id} {number}");
                    }
                    (Err(_), Err(TypedAnswerError::Invalid { question, .. })) => {
                        assert_eq!(question, id);
                    }
                    (expected, typed) => panic!("{id} {number}: {expected:?} vs {typed:?}"),
                }
            }
        }
    }

    #[test]
    fn options_yes_no_and_missing() {
        let ruleset = compiled("");
        let choice = ruleset.question_handle("f.c").unwrap();
        let yes_no = ruleset.question_handle("f.y").unwrap();
        assert_eq!(ruleset.option_index(choice, "B"), Ok(1));
        assert!(matches!(
            ruleset.option_index(choice, "d"),
            Err(TypedAnswerError::UnknownOption { .. })
        ));
        assert!(ruleset.option_index(yes_no, "a").is_err());
        let mut builder = AnswersBuilder::new(&ruleset);
        builder
            .set_option(choice, 2)
            .unwrap()
            .set_yes_no(yes_no, true)
            .unwrap();
        assert!(builder.set_option(choice, 3).is_err());
        assert!(builder.set_option(yes_no, 0).is_err());
        assert!(builder.set_yes_no(choice, false).is_err());
        assert_eq!(builder.answers().get(choice.index()), Some(2.0));
        assert_eq!(builder.answers().get(yes_no.index()), Some(1.0));
        builder.set_missing(choice).unwrap();
        assert_eq!(builder.answers().get(choice.index()), None);
        builder.reset();
        assert_eq!(builder.answers().answered_count(), 0);
    }

    #[test]
    fn unknown_ids_and_handles_of_another_rule_set_are_refused() {
        let ruleset = compiled("");
        let other = compiled("question f.z: yesno \"z?\"\n");
        assert_eq!(
            ruleset.question_handle("f.x"),
            Err(TypedAnswerError::UnknownQuestion {
                id: "f.x".to_owned()
            })
        );
        let foreign = other.question_handle("f.s").unwrap();
        let mut builder = AnswersBuilder::new(&ruleset);
        assert_eq!(
            builder.set_number(foreign, 1.0).err(),
            Some(TypedAnswerError::OtherRuleSet {
                index: foreign.index()
            })
        );
        assert!(ruleset.option_index(foreign, "a").is_err());
    }

    #[test]
    fn typed_answers_evaluate_as_the_string_path_does() {
        let ruleset = compiled("");
        let (s, y) = (
            ruleset.question_handle("f.s").unwrap(),
            ruleset.question_handle("f.y").unwrap(),
        );
        let mut builder = AnswersBuilder::new(&ruleset);
        builder
            .set_number(s, 3.0)
            .unwrap()
            .set_yes_no(y, true)
            .unwrap();
        let mut reused = crate::eval::Evaluation::default();
        ruleset.evaluate_into(builder.answers(), &mut reused);
        let evaluation = ruleset.evaluate(builder.answers());
        assert_eq!(reused, evaluation);
        assert_eq!(evaluation.recommended_tips().count(), 1);
        builder.reset().set_number(s, 1.0).unwrap();
        ruleset.evaluate_into(builder.answers(), &mut reused);
        assert_eq!(reused, ruleset.evaluate(builder.answers()));
        assert_eq!(reused.recommended_tips().count(), 0);
    }
}
