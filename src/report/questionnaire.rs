//! The blank questionnaire for programmes, as CSV, Excel and Markdown. What these write
//! is exactly what `advise` reads back: the same column ids, the same answer forms.

use std::fmt::Write as _;

use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Note, Workbook, XlsxError};

use crate::input::METADATA_COLUMNS;
use crate::ruleset::{Question, QuestionKind, RuleSet, Scale};

/// Answers that record "no answer" and are offered in every drop-down.
const MISSING_ANSWERS: [&str; 2] = ["weet niet", "n.v.t."];

/// How many programme rows the Excel form prepares.
const FORM_ROWS: u32 = 500;

/// Excel allows at most this many characters in a cell's input message.
const INPUT_MESSAGE_LIMIT: usize = 250;

/// The header line of the CSV form: `programme`, the metadata columns, every question id.
pub fn questionnaire_csv(ruleset: &RuleSet) -> String {
    let mut columns: Vec<&str> = vec!["programme"];
    columns.extend(METADATA_COLUMNS);
    columns.extend(
        ruleset
            .questions()
            .iter()
            .map(|question| question.id.as_str()),
    );
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
        .map(|level| match scale.label(level) {
            Some(label) => format!("{level} - {label}"),
            None => level.to_string(),
        })
        .collect()
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
    let mut parts = question.id.split('.');
    let mut prefix = parts.next().unwrap_or_default();
    // A quick-scan statement stands with the section it summarises.
    if prefix == "quickscan" {
        prefix = parts.next().unwrap_or(prefix);
    }
    match ruleset
        .sections()
        .iter()
        .find(|section| section.id == prefix)
    {
        Some(section) => {
            let kind = match section.kind {
                crate::ruleset::SectionKind::Principle => "Uitgangspunt",
                crate::ruleset::SectionKind::Factor => "Factor",
            };
            format!("{kind} {} {}", section.number, section.title)
        }
        None if prefix == "context" => "Context van de opleiding".to_owned(),
        None => prefix.to_owned(),
    }
}

/// The questionnaire as a Markdown document, grouped by section.
pub fn questionnaire_markdown(ruleset: &RuleSet) -> String {
    let mut out = String::new();
    let info = ruleset.info();
    let _ = writeln!(out, "# Zelfevaluatie: {} {}\n", info.name, info.version);
    let _ = writeln!(
        out,
        "Vul per opleiding één regel in (kolom `programme` is de code van de opleiding). \
        \"weet niet\" en \"n.v.t.\" tellen als niet beantwoord.\n"
    );
    for scale in ruleset.scales() {
        let _ = writeln!(
            out,
            "Schaal `{}`: {}\n",
            scale.id,
            scale_choices(scale).join("; ")
        );
    }
    let mut current = String::new();
    for question in ruleset.questions() {
        let heading = section_heading(ruleset, question);
        if heading != current {
            let _ = writeln!(out, "\n## {heading}\n");
            current = heading;
        }
        let answers = answer_choices(ruleset, question);
        let form = match number_hint(question) {
            Some(hint) => hint,
            None if matches!(question.kind, QuestionKind::Scale { .. }) => ruleset
                .scale_of(question)
                .map_or_else(String::new, |scale| format!("schaal `{}`", scale.id)),
            None => answers.join(", "),
        };
        let _ = writeln!(out, "- `{}`: {} ({form})", question.id, question.text);
    }
    out
}

/// The questionnaire as an Excel workbook: a form sheet with one row per programme and
/// drop-downs, and a sheet with every question's full text.
pub fn questionnaire_xlsx(ruleset: &RuleSet) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_form_sheet(&mut workbook, ruleset)?;
    write_questions_sheet(&mut workbook, ruleset)?;
    workbook.save_to_buffer()
}

fn write_form_sheet(workbook: &mut Workbook, ruleset: &RuleSet) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Invullen")?;
    let mut column: u16 = 0;
    for header in std::iter::once("programme").chain(METADATA_COLUMNS) {
        sheet.write_string_with_format(0, column, header, &bold)?;
        sheet.set_column_width(column, 18)?;
        column += 1;
    }
    for question in ruleset.questions() {
        sheet.write_string_with_format(0, column, &question.id, &bold)?;
        sheet.insert_note(
            0,
            column,
            &Note::new(&question.text).set_author("studentsucces"),
        )?;
        sheet.set_column_width(column, 22)?;
        if let Some(validation) = validation_for(ruleset, question)? {
            sheet.add_data_validation(1, column, FORM_ROWS, column, &validation)?;
        }
        column += 1;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn validation_for(
    ruleset: &RuleSet,
    question: &Question,
) -> Result<Option<DataValidation>, XlsxError> {
    let choices = answer_choices(ruleset, question);
    let validation = if choices.is_empty() {
        let (low, high) = match &question.kind {
            QuestionKind::Percent => (0.0, 100.0),
            QuestionKind::Number { range: Some(range) } => *range,
            _ => return Ok(None),
        };
        DataValidation::new().allow_decimal_number(DataValidationRule::Between(low, high))
    } else {
        DataValidation::new().allow_list_strings(&choices)?
    };
    let message: String = question.text.chars().take(INPUT_MESSAGE_LIMIT).collect();
    let title: String = question.id.chars().take(32).collect();
    Ok(Some(
        validation
            .set_input_title(title)?
            .set_input_message(message)?,
    ))
}

fn write_questions_sheet(workbook: &mut Workbook, ruleset: &RuleSet) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Vragen")?;
    for (column, header) in (0u16..).zip(["kolom", "onderdeel", "vraag", "antwoorden"]) {
        sheet.write_string_with_format(0, column, header, &bold)?;
    }
    for (row, question) in (1u32..).zip(ruleset.questions()) {
        let answers =
            number_hint(question).unwrap_or_else(|| answer_choices(ruleset, question).join("; "));
        sheet.write_string(row, 0, &question.id)?;
        sheet.write_string(row, 1, section_heading(ruleset, question))?;
        sheet.write_string_with_format(row, 2, &question.text, &wrap)?;
        sheet.write_string_with_format(row, 3, answers, &wrap)?;
    }
    for (column, width) in (0u16..).zip([34.0, 40.0, 90.0, 40.0]) {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
