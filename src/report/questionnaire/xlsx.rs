//! The questionnaire as an Excel workbook: the form sheet first (the sheet `advise`
//! reads), one row per programme, each question a drop-down or number column followed
//! by a free-text comment column; then the scales' legend and every question's text.
//! Every text cell is a string cell, never a formula; text that starts like one is
//! marked with Excel's quote prefix as well.

use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, Formula, Note, Workbook, Worksheet, XlsxError,
};

use super::{
    answer_choices, form_questions, number_hint, scale_choice, section_heading, FormLength,
};
use crate::input::{comment_column, METADATA_COLUMNS, PROGRAMME_COLUMN};
use crate::report::starts_like_a_formula;
use crate::ruleset::{Question, QuestionKind, RuleSet};

/// How many programme rows the Excel form prepares.
const FORM_ROWS: u32 = 500;

/// Excel allows at most this many characters in a cell's input message.
const INPUT_MESSAGE_LIMIT: usize = 250;

/// Excel allows at most this many characters in an input message's title.
const INPUT_TITLE_LIMIT: usize = 32;

/// The legend sheet's name, which input messages refer to.
const LEGEND_SHEET: &str = "Schaal";

/// The hidden sheet holding drop-down lists too long to write into the validation.
const CHOICES_SHEET: &str = "Keuzes";

/// Excel allows at most this many characters in a drop-down list written inline.
const INLINE_LIST_LIMIT: usize = 255;

/// The input message of a comment column.
const COMMENT_MESSAGE: &str =
    "Toelichting of bewijs bij het antwoord links ervan (vrije tekst, mag leeg blijven).";

/// The questionnaire as an Excel workbook: a form sheet with one row per programme and
/// drop-downs, a legend of the scales, and a sheet with every question's full text.
pub fn questionnaire_xlsx(ruleset: &RuleSet, length: FormLength) -> Result<Vec<u8>, XlsxError> {
    let questions = form_questions(ruleset, length);
    let mut workbook = Workbook::new();
    let mut long_lists = Vec::new();
    write_form_sheet(
        workbook.add_worksheet(),
        ruleset,
        &questions,
        &mut long_lists,
    )?;
    write_legend_sheet(workbook.add_worksheet(), ruleset)?;
    write_questions_sheet(workbook.add_worksheet(), ruleset, &questions)?;
    if !long_lists.is_empty() {
        write_choices_sheet(workbook.add_worksheet(), &long_lists)?;
    }
    workbook.save_to_buffer()
}

fn write_form_sheet(
    sheet: &mut Worksheet,
    ruleset: &RuleSet,
    questions: &[&Question],
    long_lists: &mut Vec<Vec<String>>,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    sheet.set_name("Invullen")?;
    let mut column: u16 = 0;
    for header in std::iter::once(PROGRAMME_COLUMN).chain(METADATA_COLUMNS) {
        write_text(sheet, 0, column, header, &bold)?;
        sheet.set_column_width(column, 18)?;
        column += 1;
    }
    for question in questions {
        write_answer_column(sheet, ruleset, question, column, long_lists)?;
        write_comment_column(sheet, question, column + 1)?;
        column += 2;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn write_answer_column(
    sheet: &mut Worksheet,
    ruleset: &RuleSet,
    question: &Question,
    column: u16,
    long_lists: &mut Vec<Vec<String>>,
) -> Result<(), XlsxError> {
    write_text(sheet, 0, column, &question.id, &Format::new().set_bold())?;
    sheet.insert_note(
        0,
        column,
        &Note::new(&question.text).set_author("studentsucces"),
    )?;
    sheet.set_column_width(column, 22)?;
    if let Some(validation) = validation_for(ruleset, question, long_lists)? {
        sheet.add_data_validation(1, column, FORM_ROWS, column, &validation)?;
    }
    Ok(())
}

/// The free-text column next to an answer: text cells that wrap, and an input message
/// that says what belongs there.
fn write_comment_column(
    sheet: &mut Worksheet,
    question: &Question,
    column: u16,
) -> Result<(), XlsxError> {
    let text = Format::new().set_num_format("@").set_text_wrap();
    sheet.set_column_format(column, &text)?;
    sheet.set_column_width(column, 30)?;
    let header = comment_column(&question.id);
    write_text(sheet, 0, column, &header, &Format::new().set_bold())?;
    let validation = DataValidation::new()
        .allow_any_value()
        .set_input_title("Toelichting")?
        .set_input_message(COMMENT_MESSAGE)?;
    sheet.add_data_validation(1, column, FORM_ROWS, column, &validation)?;
    Ok(())
}

fn validation_for(
    ruleset: &RuleSet,
    question: &Question,
    long_lists: &mut Vec<Vec<String>>,
) -> Result<Option<DataValidation>, XlsxError> {
    let choices = answer_choices(ruleset, question);
    let validation = if choices.is_empty() {
        let (low, high) = match &question.kind {
            QuestionKind::Percent => (0.0, 100.0),
            QuestionKind::Number { range: Some(range) } => *range,
            _ => return Ok(None),
        };
        DataValidation::new().allow_decimal_number(DataValidationRule::Between(low, high))
    } else if inline_length(&choices) <= INLINE_LIST_LIMIT {
        DataValidation::new().allow_list_strings(&choices)?
    } else {
        DataValidation::new().allow_list_formula(list_source(long_lists, choices))
    };
    let title: String = question.id.chars().take(INPUT_TITLE_LIMIT).collect();
    Ok(Some(
        validation
            .set_input_title(title)?
            .set_input_message(input_message(question))?,
    ))
}

/// How long a drop-down list is when written inline, as Excel counts it.
fn inline_length(choices: &[String]) -> usize {
    let characters: usize = choices
        .iter()
        .map(|choice| choice.replace('"', "\"\"").encode_utf16().count())
        .sum();
    characters + choices.len().saturating_sub(1)
}

/// A reference to a long list's column on the choices sheet; identical lists (every
/// question of one scale) share a column.
fn list_source(long_lists: &mut Vec<Vec<String>>, choices: Vec<String>) -> Formula {
    let index = match long_lists.iter().position(|list| *list == choices) {
        Some(index) => index,
        None => {
            long_lists.push(choices);
            long_lists.len() - 1
        }
    };
    let rows = long_lists.get(index).map_or(0, Vec::len);
    let column = column_number_to_name(u16::try_from(index).unwrap_or(u16::MAX));
    Formula::new(format!("='{CHOICES_SHEET}'!${column}$1:${column}${rows}"))
}

/// The hidden sheet with the long drop-down lists, one column each.
fn write_choices_sheet(sheet: &mut Worksheet, long_lists: &[Vec<String>]) -> Result<(), XlsxError> {
    sheet.set_name(CHOICES_SHEET)?;
    for (column, list) in (0u16..).zip(long_lists) {
        for (row, choice) in (0u32..).zip(list) {
            sheet.write_string(row, column, choice)?;
        }
    }
    sheet.set_hidden(true);
    Ok(())
}

/// The question's text, and for a scale question where its levels are explained; cut
/// to fit Excel's limit, the pointer to the legend kept.
fn input_message(question: &Question) -> String {
    let pointer = match question.kind {
        QuestionKind::Scale { .. } => format!("\n(Niveaus: zie blad {LEGEND_SHEET}.)"),
        _ => String::new(),
    };
    let room = INPUT_MESSAGE_LIMIT.saturating_sub(pointer.chars().count());
    let mut message: String = question.text.chars().take(room).collect();
    message.push_str(&pointer);
    message
}

/// Every level of every scale: the answer as the drop-down offers it and how a team
/// recognises the level.
fn write_legend_sheet(sheet: &mut Worksheet, ruleset: &RuleSet) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    sheet.set_name(LEGEND_SHEET)?;
    for (column, header) in (0u16..).zip(["schaal", "antwoord", "herkenbaar aan"]) {
        write_text(sheet, 0, column, header, &bold)?;
    }
    let levels = ruleset
        .scales()
        .iter()
        .flat_map(|scale| (scale.low..=scale.high).map(move |level| (scale, level)));
    for (row, (scale, level)) in (1u32..).zip(levels) {
        write_text(sheet, row, 0, &scale.id, &Format::new())?;
        write_text(sheet, row, 1, &scale_choice(scale, level), &Format::new())?;
        let description = scale.description(level).unwrap_or_default();
        write_text(sheet, row, 2, description, &wrap)?;
    }
    for (column, width) in (0u16..).zip([14.0, 28.0, 90.0]) {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes a text cell. Text that starts like a formula (see [`starts_like_a_formula`])
/// gets Excel's quote prefix: the hidden `'` that Excel itself adds when someone types a
/// leading quote, so the cell shows the text as it is and stays text when edited (a
/// visible `'` in the cell's value would change the text).
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if starts_like_a_formula(text) {
        let quoted = format.clone().set_quote_prefix();
        sheet.write_string_with_format(row, column, text, &quoted)?;
    } else {
        sheet.write_string_with_format(row, column, text, format)?;
    }
    Ok(())
}

fn write_questions_sheet(
    sheet: &mut Worksheet,
    ruleset: &RuleSet,
    questions: &[&Question],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    sheet.set_name("Vragen")?;
    for (column, header) in (0u16..).zip(["kolom", "onderdeel", "vraag", "antwoorden"]) {
        write_text(sheet, 0, column, header, &bold)?;
    }
    for (row, question) in (1u32..).zip(questions.iter().copied()) {
        let answers =
            number_hint(question).unwrap_or_else(|| answer_choices(ruleset, question).join("; "));
        write_text(sheet, row, 0, &question.id, &Format::new())?;
        write_text(
            sheet,
            row,
            1,
            &section_heading(ruleset, question),
            &Format::new(),
        )?;
        write_text(sheet, row, 2, &question.text, &wrap)?;
        write_text(sheet, row, 3, &answers, &wrap)?;
    }
    for (column, width) in (0u16..).zip([34.0, 40.0, 90.0, 40.0]) {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
