//! The blank questionnaire for programmes, as CSV, Excel and Markdown, in a full and a
//! short form. What these write is exactly what `advise` reads back: the same column
//! ids (each question with its `#toelichting` comment column), the same answer forms.

mod markdown;
mod order;
#[cfg(feature = "spreadsheets")]
mod xlsx;

pub use markdown::questionnaire_markdown;
pub use order::{form_questions, FormLength};
#[cfg(feature = "spreadsheets")]
pub use xlsx::questionnaire_xlsx;

use crate::input::{comment_column, METADATA_COLUMNS, PROGRAMME_COLUMN};
use crate::ruleset::{Question, QuestionKind, RuleSet, Scale, SectionKind};

/// Answers that record "no answer" and are offered in every drop-down.
const MISSING_ANSWERS: [&str; 2] = ["weet niet", "n.v.t."];

/// The header line of the CSV form: `programme`, the metadata columns, and every
/// question of the form followed by its comment column.
pub fn questionnaire_csv(ruleset: &RuleSet, length: FormLength) -> String {
    let mut columns: Vec<String> = std::iter::once(PROGRAMME_COLUMN)
        .chain(METADATA_COLUMNS)
        .map(str::to_owned)
        .collect();
    for question in form_questions(ruleset, length) {
        columns.push(question.id.clone());
        columns.push(comment_column(&question.id));
    }
    let mut line = columns.join(",");
    line.push('\n');
    line
}

/// The answer forms a question takes in a form, as shown in drop-downs and documents.
pub fn answer_choices(ruleset: &RuleSet, question: &Question) -> Vec<String> {
    let mut choices: Vec<String> = match &question.kind {
        QuestionKind::Scale { .. } => ruleset
            .scale_of(question)
            .map(scale_choices)
            .unwrap_or_default(),
        QuestionKind::YesNo => vec!["ja".to_owned(), "nee".to_owned()],
        QuestionKind::Choice { options } => {
            options.iter().map(|option| option.id.clone()).collect()
        }
        QuestionKind::Percent | QuestionKind::Number { .. } => Vec::new(),
    };
    if !choices.is_empty() {
        choices.extend(MISSING_ANSWERS.iter().map(|missing| (*missing).to_owned()));
    }
    choices
}

/// "3 - Ingevoerd" for every level of a scale.
fn scale_choices(scale: &Scale) -> Vec<String> {
    (scale.low..=scale.high)
        .map(|level| scale_choice(scale, level))
        .collect()
}

/// "3 - Ingevoerd" for one level, or "3" when it has no label.
fn scale_choice(scale: &Scale, level: i64) -> String {
    match scale.label(level) {
        Some(label) => format!("{level} - {label}"),
        None => level.to_string(),
    }
}

/// What to type in a free cell, for numeric questions.
fn number_hint(question: &Question) -> Option<String> {
    match &question.kind {
        QuestionKind::Percent => Some("een percentage 0-100, bv. 12,5".to_owned()),
        QuestionKind::Number {
            range: Some((low, high)),
        } => Some(format!("een getal van {low} tot {high}")),
        QuestionKind::Number { range: None } => Some("een getal".to_owned()),
        _ => None,
    }
}

/// The section heading a question belongs to: its principle or factor, or its prefix.
fn section_heading(ruleset: &RuleSet, question: &Question) -> String {
    let prefix = order::section_prefix(&question.id);
    match ruleset
        .sections()
        .iter()
        .find(|section| section.id == prefix)
    {
        Some(section) => {
            let kind = match section.kind {
                SectionKind::Principle => "Uitgangspunt",
                SectionKind::Factor => "Factor",
            };
            format!("{kind} {} {}", section.number, section.title)
        }
        None if prefix == order::CONTEXT_PREFIX => "Context van de opleiding".to_owned(),
        None => prefix.to_owned(),
    }
}

/// The title of a form: "Zelfevaluatie" or "Zelfevaluatie (korte versie)".
fn form_title(ruleset: &RuleSet, length: FormLength) -> String {
    let info = ruleset.info();
    let kind = match length {
        FormLength::Full => "Zelfevaluatie",
        FormLength::Short => "Zelfevaluatie (korte versie)",
    };
    format!("{kind}: {} {}", info.name, info.version)
}

/// What the short form is, for its introduction.
const SHORT_FORM_NOTE: &str = "Korte versie: de context van de opleiding en per uitgangspunt \
    en factor één quickscanvraag, in te vullen in ongeveer 20 minuten. De volledige \
    vragenlijst vraagt per tip door en geeft een preciezer advies.";

/// How the comment columns are meant, for introductions and input messages.
const COMMENT_NOTE: &str = "Bij elke vraag hoort een kolom `<vraag>#toelichting` voor een \
    toelichting of bewijs (vrije tekst, mag leeg blijven).";
