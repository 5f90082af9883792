//! Many assessments at once, without the GIL: each is checked, the valid ones are
//! advised in parallel by the library's batch ([`RuleSet::advise_all`]), and every
//! outcome comes back at its input position.

use serde_json::Value;
use studentsucces::ruleset::RuleSet;

use crate::convert::{advice_json, assessment};

/// What became of one assessment.
pub enum Outcome {
    /// The advice as JSON bytes.
    Advised(Vec<u8>),
    /// Why it could not be advised, and its programme when that was read.
    Failed {
        /// The programme id, when the assessment had a readable one.
        programme: Option<String>,
        /// The library's message.
        message: String,
    },
}

impl Outcome {
    fn failed(message: String) -> Outcome {
        Outcome::Failed {
            programme: None,
            message,
        }
    }
}

/// Advises every assessment (read from Python already, or the message of why not), in
/// input order.
pub fn advise_values(ruleset: &RuleSet, values: Vec<Result<Value, String>>) -> Vec<Outcome> {
    let mut valid = Vec::new();
    let checked: Vec<Option<Outcome>> = values
        .into_iter()
        .map(|value| match value.and_then(assessment) {
            Ok(assessment) => {
                valid.push(assessment);
                None
            }
            Err(message) => Some(Outcome::failed(message)),
        })
        .collect();
    let mut advised = ruleset.advise_all(valid).map(|result| match result {
        Ok(advice) => Outcome::Advised(advice_json(&advice)),
        Err(error) => Outcome::Failed {
            programme: Some(error.programme.clone()),
            message: error.to_string(),
        },
    });
    checked
        .into_iter()
        .map(|outcome| {
            outcome.or_else(|| advised.next()).unwrap_or_else(|| {
                Outcome::failed("the batch returned fewer advices than assessments".to_owned())
            })
        })
        .collect()
}
