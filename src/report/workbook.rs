//! The advice of many programmes as one Excel workbook, for the people who read it in
//! Excel: an overview with one row per programme (its scores per principle and factor,
//! coloured on a colour-blind safe scale, its coverage, and the error of a programme
//! that could not be advised), the plan's tips with their texts, leads and reasons (an
//! autofilter and a frozen header), and per role the tips it leads or takes part in per
//! cycle. Sheet names and headers are Dutch or English ([`Lang`]); the Roadmap's texts
//! stay Dutch.
//!
//! The rows come from [`ProgrammeRows`], rendered per programme on the batch's worker
//! threads ([`super::OutputFormat::SheetRows`]); [`AdviceWorkbook`] takes them in input
//! order and writes the file once the last has arrived. The same rows give the same
//! bytes: the document's creation time is fixed, not the clock's. Every text is written
//! as a string, never a formula, and one that starts like a formula also gets Excel's
//! quote prefix, as the questionnaire workbook does.

use std::io::{self, Write};

use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatType, DocProperties, ExcelDateTime, Format,
    FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::sheet_rows::{ProgrammeRows, SEPARATOR};
use super::{from_hundredths, starts_like_a_formula, Lang};
use crate::ruleset::RuleSet;

/// Excel holds at most this many rows in a sheet.
pub const MAX_SHEET_ROWS: u32 = 1_048_576;

/// Excel holds at most this many characters in a cell; longer texts are cut.
const MAX_CELL_CHARS: usize = 32_767;

/// A colour-blind safe diverging scale (ColorBrewer's orange–blue): low scores orange,
/// the middle of the scale near white, high scores blue; black text stays readable on
/// each.
const LOW_COLOUR: u32 = 0xFDB863;
const MID_COLOUR: u32 = 0xF7F7F7;
const HIGH_COLOUR: u32 = 0x92C5DE;

/// The first score column of the overview: after id, name and faculty.
const FIRST_SCORE_COLUMN: u16 = 3;

/// The tips sheet's columns: header (Dutch, English) and width.
const TIP_COLUMNS: [(&str, &str, f64); 12] = [
    ("Opleiding", "Programme", 18.0),
    ("Cyclus", "Cycle", 18.0),
    ("Fase", "Phase", 7.0),
    ("Prioriteit", "Priority", 10.0),
    ("Tip", "Tip", 34.0),
    ("Onderdeel", "Section", 24.0),
    ("Tekst", "Text", 60.0),
    ("Trekker", "Lead", 24.0),
    ("Betrokkenen", "Stakeholders", 30.0),
    ("Tijdspad", "Horizon", 12.0),
    ("Reden", "Reason", 60.0),
    ("Onderbouwing", "Evidence", 40.0),
];

/// The stakeholder sheet's count columns, after programme and role: header and which
/// count (leads or involved, cycle slot or `None` for the total).
const STAKEHOLDER_COLUMNS: [(&str, &str); 8] = [
    ("Trekker: deze cyclus", "Leads: this cycle"),
    ("Trekker: volgende cyclus", "Leads: next cycle"),
    ("Trekker: later", "Leads: later"),
    ("Trekker: totaal", "Leads: total"),
    ("Betrokken: deze cyclus", "Involved: this cycle"),
    ("Betrokken: volgende cyclus", "Involved: next cycle"),
    ("Betrokken: later", "Involved: later"),
    ("Betrokken: totaal", "Involved: total"),
];

/// The names of the three sheets in a language: overview, tips, stakeholders.
pub fn sheet_names(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick("Overzicht", "Overview"),
        lang.pick("Tips", "Tips"),
        lang.pick("Betrokkenen", "Stakeholders"),
    ]
}

/// Writes the workbook of `programmes` (in the order given) and returns its bytes.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use studentsucces::report::{advice_workbook, Lang};
/// use studentsucces::ruleset::RuleSet;
///
/// let ruleset = RuleSet::roadmap()?;
/// let bytes = advice_workbook(&ruleset, Lang::Nl, Vec::new())?;
/// assert!(bytes.starts_with(b"PK"));
/// # Ok(())
/// # }
/// ```
pub fn advice_workbook(
    ruleset: &RuleSet,
    lang: Lang,
    programmes: impl IntoIterator<Item = ProgrammeRows>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = AdviceWorkbook::new(ruleset, lang)?;
    for programme in programmes {
        workbook.add(&programme)?;
    }
    workbook.finish()
}

/// The formats of the cells.
struct Formats {
    header: Format,
    wrap: Format,
    plain: Format,
    score: Format,
    share: Format,
    cycle: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let top = Format::new().set_align(FormatAlign::Top);
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            wrap: top.clone().set_text_wrap(),
            score: top.clone().set_num_format("0.00"),
            share: top.clone().set_num_format("0%"),
            // The cycle stays a number (to sort and filter on) shown with its name.
            cycle: top.clone().set_num_format(lang.pick(
                r#"[=1]"1 Deze cyclus";[=2]"2 Volgende cyclus";"3 Later""#,
                r#"[=1]"1 This cycle";[=2]"2 Next cycle";"3 Later""#,
            )),
            plain: top,
        }
    }
}

/// An Excel workbook of the advice of many programmes, filled one programme at a time
/// and written by [`AdviceWorkbook::finish`]. Besides [`AdviceWorkbook::add`], it
/// takes the output of [`super::OutputFormat::SheetRows`] through [`Write`]: one line
/// of JSON per programme, in any pieces.
pub struct AdviceWorkbook<'r> {
    ruleset: &'r RuleSet,
    lang: Lang,
    formats: Formats,
    overview: Worksheet,
    tips: Worksheet,
    stakeholders: Worksheet,
    /// The next row of each sheet.
    next: [u32; 3],
    /// The last score column of the overview.
    last_score_column: u16,
    /// Bytes written through [`Write`] after the last complete line.
    pending: Vec<u8>,
}

impl std::fmt::Debug for AdviceWorkbook<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdviceWorkbook")
            .field("lang", &self.lang)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl<'r> AdviceWorkbook<'r> {
    /// An empty workbook for the programmes of `ruleset`: the three sheets with their
    /// names and header rows in `lang`.
    pub fn new(ruleset: &'r RuleSet, lang: Lang) -> Result<AdviceWorkbook<'r>, XlsxError> {
        let formats = Formats::new(lang);
        let [overview_name, tips_name, stakeholders_name] = sheet_names(lang);
        let sections = ruleset.sections();
        let section_count = u16::try_from(sections.len()).unwrap_or(u16::MAX);
        let last_score_column = (FIRST_SCORE_COLUMN + section_count).saturating_sub(1);

        let mut overview = Worksheet::new();
        overview.set_name(overview_name)?;
        let mut headers: Vec<(&str, f64)> = vec![
            (lang.pick("Opleiding", "Programme"), 18.0),
            (lang.pick("Naam", "Name"), 28.0),
            (lang.pick("Faculteit", "Faculty"), 22.0),
        ];
        headers.extend(
            sections
                .iter()
                .map(|section| (section.title.as_str(), 14.0)),
        );
        headers.extend([
            (lang.pick("Beantwoord", "Answered"), 12.0),
            (lang.pick("Tips in plan", "Tips in plan"), 10.0),
            (lang.pick("Fout", "Error"), 50.0),
        ]);
        for (column, (header, width)) in (0u16..).zip(&headers) {
            text(&mut overview, 0, column, header, &formats.header)?;
            overview.set_column_width(column, *width)?;
        }
        overview.set_row_height(0, 60)?;
        overview.set_freeze_panes(1, 1)?;

        let mut tips = Worksheet::new();
        tips.set_name(tips_name)?;
        for (column, (dutch, english, width)) in (0u16..).zip(TIP_COLUMNS) {
            text(
                &mut tips,
                0,
                column,
                lang.pick(dutch, english),
                &formats.header,
            )?;
            tips.set_column_width(column, width)?;
        }
        tips.set_freeze_panes(1, 0)?;

        let mut stakeholders = Worksheet::new();
        stakeholders.set_name(stakeholders_name)?;
        let first = [
            (lang.pick("Opleiding", "Programme"), 18.0),
            (lang.pick("Betrokkene", "Stakeholder"), 40.0),
        ];
        let counts = STAKEHOLDER_COLUMNS.map(|(dutch, english)| (lang.pick(dutch, english), 12.0));
        for (column, (header, width)) in (0u16..).zip(first.into_iter().chain(counts)) {
            text(&mut stakeholders, 0, column, header, &formats.header)?;
            stakeholders.set_column_width(column, width)?;
        }
        stakeholders.set_row_height(0, 30)?;
        stakeholders.set_freeze_panes(1, 0)?;

        Ok(AdviceWorkbook {
            ruleset,
            lang,
            formats,
            overview,
            tips,
            stakeholders,
            next: [1; 3],
            last_score_column,
            pending: Vec::new(),
        })
    }

    /// Adds one programme: its overview row, its tips and its roles.
    pub fn add(&mut self, programme: &ProgrammeRows) -> Result<(), XlsxError> {
        self.add_overview(programme)?;
        self.add_tips(programme)?;
        self.add_stakeholders(programme)
    }

    /// The next row of sheet `sheet`, or an error when Excel holds no more.
    fn take_row(&mut self, sheet: usize) -> Result<u32, XlsxError> {
        let names = sheet_names(self.lang);
        let (Some(next), Some(name)) = (self.next.get_mut(sheet), names.get(sheet)) else {
            return Err(XlsxError::RowColumnLimitError);
        };
        let row = *next;
        if row >= MAX_SHEET_ROWS {
            return Err(XlsxError::ParameterError(format!(
                "the sheet `{name}` would need more than {MAX_SHEET_ROWS} rows, which Excel \
                 cannot hold; the CSV long format has no such limit"
            )));
        }
        *next += 1;
        Ok(row)
    }

    fn add_overview(&mut self, programme: &ProgrammeRows) -> Result<(), XlsxError> {
        let row = self.take_row(0)?;
        let (sheet, formats) = (&mut self.overview, &self.formats);
        text(sheet, row, 0, &programme.programme, &formats.plain)?;
        if let Some(name) = &programme.name {
            text(sheet, row, 1, name, &formats.wrap)?;
        }
        if let Some(faculty) = &programme.faculty {
            text(sheet, row, 2, faculty, &formats.wrap)?;
        }
        for (column, score) in (FIRST_SCORE_COLUMN..=self.last_score_column).zip(&programme.scores)
        {
            if let Some(score) = score {
                sheet.write_number_with_format(
                    row,
                    column,
                    from_hundredths(*score),
                    &formats.score,
                )?;
            }
        }
        let after = self.last_score_column.saturating_add(1);
        if programme.error.is_none() {
            if programme.questions > 0 {
                let share = f64::from(programme.answered) / f64::from(programme.questions);
                sheet.write_number_with_format(row, after, share, &formats.share)?;
            }
            let count = u32::try_from(programme.tips.len()).unwrap_or(u32::MAX);
            sheet.write_number_with_format(row, after + 1, count, &formats.plain)?;
        }
        if let Some(error) = &programme.error {
            let error = format!(
                "{} {}: {error}",
                self.lang.pick("rij", "row"),
                programme.row
            );
            text(sheet, row, after + 2, &error, &formats.wrap)?;
        }
        Ok(())
    }

    fn add_tips(&mut self, programme: &ProgrammeRows) -> Result<(), XlsxError> {
        for tip in &programme.tips {
            let row = self.take_row(1)?;
            let (sheet, formats) = (&mut self.tips, &self.formats);
            text(sheet, row, 0, &programme.programme, &formats.plain)?;
            sheet.write_number_with_format(row, 1, tip.cycle, &formats.cycle)?;
            sheet.write_number_with_format(row, 2, tip.phase, &formats.plain)?;
            sheet.write_number_with_format(row, 3, tip.priority, &formats.plain)?;
            text(sheet, row, 4, &tip.tip, &formats.plain)?;
            text(sheet, row, 5, &tip.section_title, &formats.wrap)?;
            text(sheet, row, 6, &tip.text, &formats.wrap)?;
            text(sheet, row, 7, &tip.lead_name, &formats.wrap)?;
            text(
                sheet,
                row,
                8,
                &tip.stakeholder_names.join(SEPARATOR),
                &formats.wrap,
            )?;
            text(sheet, row, 9, &tip.horizon, &formats.plain)?;
            text(sheet, row, 10, &tip.reason, &formats.wrap)?;
            text(sheet, row, 11, &tip.evidence, &formats.wrap)?;
        }
        Ok(())
    }

    fn add_stakeholders(&mut self, programme: &ProgrammeRows) -> Result<(), XlsxError> {
        for role in &programme.stakeholders {
            let row = self.take_row(2)?;
            let (sheet, formats) = (&mut self.stakeholders, &self.formats);
            text(sheet, row, 0, &programme.programme, &formats.plain)?;
            text(sheet, row, 1, &role.name, &formats.wrap)?;
            let total = |counts: &[u32; 3]| counts.iter().sum::<u32>();
            let [l1, l2, l3] = role.leads;
            let [i1, i2, i3] = role.involved;
            let counts = [
                l1,
                l2,
                l3,
                total(&role.leads),
                i1,
                i2,
                i3,
                total(&role.involved),
            ];
            for (column, count) in (2u16..).zip(counts) {
                sheet.write_number_with_format(row, column, count, &formats.plain)?;
            }
        }
        Ok(())
    }

    /// Adds the autofilters and the colour scale and writes the workbook; the bytes of
    /// an .xlsx file. The same programmes give the same bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        if !self.pending.iter().all(u8::is_ascii_whitespace) {
            return Err(XlsxError::ParameterError(
                "the sheet rows end in an unfinished line".to_owned(),
            ));
        }
        let [overview_rows, tip_rows, stakeholder_rows] = self.next.map(|next| next - 1);
        let overview_last = self.last_score_column.saturating_add(3);
        self.overview
            .autofilter(0, 0, overview_rows, overview_last)?;
        self.tips
            .autofilter(0, 0, tip_rows, (TIP_COLUMNS.len() - 1) as u16)?;
        self.stakeholders.autofilter(
            0,
            0,
            stakeholder_rows,
            (STAKEHOLDER_COLUMNS.len() + 1) as u16,
        )?;
        if overview_rows > 0 && self.last_score_column >= FIRST_SCORE_COLUMN {
            self.overview.add_conditional_format(
                1,
                FIRST_SCORE_COLUMN,
                overview_rows,
                self.last_score_column,
                &score_scale(self.ruleset),
            )?;
        }
        let mut workbook = Workbook::new();
        // A fixed creation time (the zip entries' own, 1980-01-01), so that the same
        // rows give the same bytes whenever they are written.
        let created = ExcelDateTime::from_ymd(1980, 1, 1)?.and_hms(0, 0, 0)?;
        let properties = DocProperties::new()
            .set_title(self.lang.pick(
                "Advies Roadmap to studentsucces",
                "Roadmap to studentsucces advice",
            ))
            .set_creation_datetime(&created);
        workbook.set_properties(&properties);
        workbook.push_worksheet(self.overview);
        workbook.push_worksheet(self.tips);
        workbook.push_worksheet(self.stakeholders);
        workbook.save_to_buffer()
    }
}

/// The colour scale of the scores, from the lowest level of the rule set's scales to
/// the highest (the data's lowest and highest when it has no scale).
fn score_scale(ruleset: &RuleSet) -> ConditionalFormat3ColorScale {
    let scales = ruleset.scales();
    let low = scales.iter().map(|scale| scale.low).min();
    let high = scales.iter().map(|scale| scale.high).max();
    let scale = match (low, high) {
        (Some(low), Some(high)) if low < high => {
            let (low, high) = (low as f64, high as f64);
            ConditionalFormat3ColorScale::new()
                .set_minimum(ConditionalFormatType::Number, low)
                .set_midpoint(ConditionalFormatType::Number, (low + high) / 2.0)
                .set_maximum(ConditionalFormatType::Number, high)
        }
        _ => ConditionalFormat3ColorScale::new(),
    };
    scale
        .set_minimum_color(LOW_COLOUR)
        .set_midpoint_color(MID_COLOUR)
        .set_maximum_color(HIGH_COLOUR)
}

/// Writes a text as a string cell (never a formula), with Excel's quote prefix when it
/// starts like a formula, cut to what a cell holds; an empty text leaves the cell empty.
fn text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    value: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if value.is_empty() {
        return Ok(());
    }
    let value = match value.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => value.get(..end).unwrap_or_default(),
        None => value,
    };
    if starts_like_a_formula(value) {
        let quoted = format.clone().set_quote_prefix();
        sheet.write_string_with_format(row, column, value, &quoted)?;
    } else {
        sheet.write_string_with_format(row, column, value, format)?;
    }
    Ok(())
}

impl Write for AdviceWorkbook<'_> {
    /// Takes the output of [`super::OutputFormat::SheetRows`]: each complete line is
    /// one programme's rows.
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        let Some(end) = self.pending.iter().rposition(|&byte| byte == b'\n') else {
            return Ok(bytes.len());
        };
        let lines: Vec<u8> = self.pending.drain(..=end).collect();
        for line in lines.split(|&byte| byte == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let programme: ProgrammeRows = serde_json::from_slice(line)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
            self.add(&programme).map_err(io::Error::other)?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::input::RowError;

    fn failed(id: &str) -> ProgrammeRows {
        let error = RowError {
            column: None,
            value: None,
            expected: "an answer".to_owned(),
            message: format!("{id} is broken"),
        };
        ProgrammeRows::failed(id, 2, &[error])
    }

    #[test]
    fn rows_written_in_pieces_give_the_same_bytes_as_rows_added() {
        let ruleset = RuleSet::roadmap().unwrap();
        let programmes = [failed("A"), failed("=B")];
        let added = advice_workbook(&ruleset, Lang::En, programmes.clone()).unwrap();
        let mut lines = Vec::new();
        for programme in &programmes {
            serde_json::to_writer(&mut lines, programme).unwrap();
            lines.push(b'\n');
        }
        let mut workbook = AdviceWorkbook::new(&ruleset, Lang::En).unwrap();
        for piece in lines.chunks(7) {
            workbook.write_all(piece).unwrap();
        }
        assert_eq!(workbook.finish().unwrap(), added);
        let mut unfinished = AdviceWorkbook::new(&ruleset, Lang::En).unwrap();
        unfinished.write_all(b"{\"row\":").unwrap();
        assert!(unfinished.finish().is_err());
    }
}
