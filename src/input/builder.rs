//! Assessments built in code, for tools that hold answers in their own structures.

use std::collections::BTreeMap;

use super::answer::Answer;
use super::answer_map::AnswerMap;
use super::assessment::{comment_text, Assessment};

/// Builds an [`Assessment`] one answer at a time; see [`Assessment::builder`]. A
/// question given twice keeps its last answer (reading JSON refuses a key given twice,
/// because there the intent cannot be told).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct AssessmentBuilder {
    assessment: Assessment,
}

impl Assessment {
    /// An assessment of the programme `programme`, without answers yet.
    ///
    /// ```
    /// use studentsucces::Assessment;
    ///
    /// let assessment = Assessment::builder("B-VOORBEELD")
    ///     .meta("naam", "Bachelor Voorbeeldkunde")
    ///     .answer("toetsing.frequentie", 2)
    ///     .answer("context.internationaal", 40)
    ///     .unknown("visie.duidelijke_visie")
    ///     .comment("toetsing.frequentie", "Zie het toetsplan.")
    ///     .build();
    /// assert_eq!(assessment.answers.len(), 3);
    /// ```
    pub fn builder(programme: impl Into<String>) -> AssessmentBuilder {
        AssessmentBuilder {
            assessment: Assessment {
                programme: programme.into(),
                meta: BTreeMap::new(),
                answers: AnswerMap::new(),
                comments: BTreeMap::new(),
            },
        }
    }
}

impl AssessmentBuilder {
    /// Adds metadata (name, institution, ...), carried into the advice untouched.
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.assessment.meta.insert(key.into(), value.into());
        self
    }

    /// Answers a question: a number, `true`/`false`, a text or an [`Answer`].
    pub fn answer(mut self, question: impl Into<String>, answer: impl Into<Answer>) -> Self {
        self.assessment
            .answers
            .insert(question.into(), answer.into());
        self
    }

    /// Answers a question with "weet niet".
    pub fn unknown(self, question: impl Into<String>) -> Self {
        self.answer(question, Answer::Unknown)
    }

    /// Adds the team's comment or evidence on a question; trimmed, and dropped when
    /// empty, as when it is read.
    pub fn comment(mut self, question: impl Into<String>, text: impl AsRef<str>) -> Self {
        let question = question.into();
        match comment_text(text.as_ref()) {
            Some(text) => self.assessment.comments.insert(question, text),
            None => self.assessment.comments.remove(&question),
        };
        self
    }

    /// The assessment.
    pub fn build(self) -> Assessment {
        self.assessment
    }
}
