//! A synthetic cohort written in the input layout that `advise` reads: CSV with a
//! `programme` column, the metadata columns and one column per question id (Dutch
//! decimal commas, "weet niet" and "n.v.t." as people write them), or JSON Lines of
//! assessments.

use std::collections::BTreeMap;
use std::io::Write;

use super::escape::neutralise_formula;
use crate::input::{Answer, Assessment, PROGRAMME_COLUMN};
use crate::input::{OpenAnswer, SyntheticAnswer, SyntheticProgramme};
use crate::ruleset::{Question, QuestionKind, RuleSet};

/// Writes a cohort as CSV: a header row, then one row per programme.
pub fn write_cohort_csv(
    ruleset: &RuleSet,
    programmes: impl Iterator<Item = SyntheticProgramme>,
    out: impl Write,
) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let mut header = vec![PROGRAMME_COLUMN];
    header.extend(crate::input::METADATA_COLUMNS);
    header.extend(
        ruleset
            .questions()
            .iter()
            .map(|question| question.id.as_str()),
    );
    csv.write_record(&header)?;
    let mut cells: Vec<String> = Vec::new();
    for programme in programmes {
        cells.clear();
        // The ids and names are text a spreadsheet must not take for a formula; the
        // answers stay as written, so that `advise` reads them back.
        cells.push(neutralise_formula(&programme.programme).into_owned());
        cells.extend(
            programme
                .meta
                .into_iter()
                .map(|(_, value)| neutralise_formula(&value).into_owned()),
        );
        let answers = ruleset.questions().iter().zip(&programme.answers);
        cells.extend(answers.map(|(question, answer)| cell_text(ruleset, question, *answer)));
        csv.write_record(&cells)?;
    }
    csv.flush()
}

/// Writes a cohort as JSON Lines of assessments.
pub fn write_cohort_json_lines(
    ruleset: &RuleSet,
    programmes: impl Iterator<Item = SyntheticProgramme>,
    mut out: impl Write,
) -> std::io::Result<()> {
    for programme in programmes {
        let assessment = assessment(ruleset, programme);
        serde_json::to_writer(&mut out, &assessment)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// A synthetic programme as a JSON assessment; open answers are left out or written
/// as people write them.
pub fn assessment(ruleset: &RuleSet, programme: SyntheticProgramme) -> Assessment {
    let answers = ruleset
        .questions()
        .iter()
        .zip(&programme.answers)
        .filter_map(|(question, answer)| {
            json_value(question, *answer).map(|value| (question.id.clone(), Answer::from(value)))
        })
        .collect();
    Assessment {
        programme: programme.programme,
        meta: programme
            .meta
            .into_iter()
            .map(|(key, value)| (key.to_owned(), serde_json::Value::String(value)))
            .collect::<BTreeMap<_, _>>(),
        answers,
        comments: BTreeMap::new(),
    }
}

fn json_value(question: &Question, answer: SyntheticAnswer) -> Option<serde_json::Value> {
    Some(match answer {
        SyntheticAnswer::Open(OpenAnswer::Empty) => return None,
        SyntheticAnswer::Open(OpenAnswer::DoNotKnow) => "weet niet".into(),
        SyntheticAnswer::Open(OpenAnswer::NotApplicable) => serde_json::Value::Null,
        SyntheticAnswer::Level { level, .. } => level.into(),
        SyntheticAnswer::Number(number) => serde_json::json!(number),
        SyntheticAnswer::YesNo(flag) => flag.into(),
        SyntheticAnswer::Choice(index) => option_id(question, index).into(),
    })
}

fn cell_text(ruleset: &RuleSet, question: &Question, answer: SyntheticAnswer) -> String {
    match answer {
        SyntheticAnswer::Open(OpenAnswer::Empty) => String::new(),
        SyntheticAnswer::Open(OpenAnswer::DoNotKnow) => "weet niet".to_owned(),
        SyntheticAnswer::Open(OpenAnswer::NotApplicable) => "n.v.t.".to_owned(),
        SyntheticAnswer::Level { level, labelled } => {
            let label = ruleset
                .scale_of(question)
                .and_then(|scale| scale.label(level));
            match (labelled, label) {
                (true, Some(label)) => format!("{level} - {label}"),
                _ => level.to_string(),
            }
        }
        SyntheticAnswer::Number(number) => dutch_decimal(number),
        SyntheticAnswer::YesNo(flag) => if flag { "ja" } else { "nee" }.to_owned(),
        SyntheticAnswer::Choice(index) => option_id(question, index),
    }
}

fn option_id(question: &Question, index: usize) -> String {
    match &question.kind {
        QuestionKind::Choice { options } => options
            .get(index)
            .map_or_else(String::new, |option| option.id.clone()),
        _ => index.to_string(),
    }
}

/// "12,5" for 12.5, "120" for 120.0.
fn dutch_decimal(number: f64) -> String {
    number.to_string().replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_ids_and_names_are_neutralised_in_the_cohort_csv() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let answers = vec![SyntheticAnswer::Open(OpenAnswer::Empty); ruleset.questions().len()];
        let programme = SyntheticProgramme {
            programme: "=1+1".to_owned(),
            meta: [
                ("name", "@naam".to_owned()),
                ("institution", "Hogeschool".to_owned()),
                ("faculty", "-".to_owned()),
                ("contact", "+31 20".to_owned()),
            ],
            answers,
        };
        let mut out = Vec::new();
        write_cohort_csv(&ruleset, std::iter::once(programme), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(
            row.starts_with("'=1+1,'@naam,Hogeschool,'-,'+31 20,"),
            "{row}"
        );
    }
}
