//! Batch evaluation by columns: a block of [`BLOCK`] programmes is evaluated together.
//! The program is laid out for blocks once per rule set and thread ([`layout`], kept
//! with the thread's scratch until a batch of another rule set comes): every condition is
//! two bitsets with a bit per programme (true, and unknown), every other value a column
//! of [`BLOCK`] numbers, so a comparison is one loop over a column packed into a word
//! and `and`, `or`, `not` are a few word operations. The rules' conditions are read as
//! words, a bit per programme; the rules fire and the tips are settled by word
//! operations over the block ([`conclude`]), and only what each programme's evaluation
//! holds is written out per programme; the results are [`RuleSet::evaluate`]'s.

mod bits;
mod conclude;
mod layout;
mod run;

use std::borrow::Borrow;
use std::cell::RefCell;

use self::conclude::{BlockView, Conclusions, RuleWords, Settling};
use self::layout::{Layout, LevelProgram};
use self::run::{Block, Column};
use super::rules::BITS;
use super::{Answers, Evaluation, LEVEL_MAX, UNKNOWN_LEVEL};
use crate::ruleset::{Program, QuestionKind, RuleSet};

/// Programmes evaluated together: one bit of a word, one lane of a column.
pub const BLOCK: usize = 64;

/// What a batch evaluation needs besides what it returns, kept per thread.
#[derive(Debug, Default)]
struct ColumnScratch {
    /// The values of the block being evaluated.
    block: Block,
    /// The rules' conditions over the block.
    rules: RuleWords,
    /// What firing the rules and settling the tips keep between blocks.
    settling: Settling,
    /// The program laid out for blocks.
    layout: Layout,
    /// What firing and settling read of the program.
    conclusions: Conclusions,
    /// The `program_id` of the rule set the fields above are laid out and prepared
    /// for: a batch of the same rule set goes on as if with a next block, so the
    /// pipeline's small parts do not lay the program out again each time.
    prepared_for: Option<u64>,
}

thread_local! {
    static COLUMNS: RefCell<ColumnScratch> = RefCell::new(ColumnScratch::default());
}

impl RuleSet {
    /// Evaluates many programmes by columns, [`BLOCK`] at a time; the result is
    /// [`RuleSet::evaluate`]'s for each, in the same order.
    pub fn evaluate_batch<A: Borrow<Answers>>(&self, answers: &[A]) -> Vec<Evaluation> {
        let mut evaluations = Vec::new();
        self.evaluate_batch_into(answers, &mut evaluations);
        evaluations
    }

    /// [`RuleSet::evaluate_batch`] into `evaluations`, which is made as long as `answers`
    /// and whose buffers are reused (see [`RuleSet::evaluate_into`]).
    pub fn evaluate_batch_into<A: Borrow<Answers>>(
        &self,
        answers: &[A],
        evaluations: &mut Vec<Evaluation>,
    ) {
        evaluations.resize_with(answers.len(), Evaluation::default);
        if answers.is_empty() {
            return;
        }
        COLUMNS.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.batch_with(answers, evaluations, &mut scratch),
            Err(_) => self.batch_with(answers, evaluations, &mut ColumnScratch::default()),
        });
    }

    fn batch_with<A: Borrow<Answers>>(
        &self,
        answers: &[A],
        evaluations: &mut [Evaluation],
        scratch: &mut ColumnScratch,
    ) {
        let program = &self.program;
        if scratch.prepared_for != Some(self.program_id) {
            scratch.layout = Layout::new(program, |rule| known_rule(program, rule));
            scratch.conclusions = Conclusions::new(program, &scratch.layout);
            scratch.layout.lay_out_levels(
                |question| self.takes_levels(question),
                scratch.conclusions.places(),
            );
            scratch.block.prepare(&scratch.layout);
            scratch.settling.prepare(program, &scratch.conclusions);
            scratch.prepared_for = Some(self.program_id);
        }
        let ColumnScratch {
            block: values,
            rules,
            settling,
            layout,
            conclusions,
            ..
        } = scratch;
        let blocks = answers.chunks(BLOCK).zip(evaluations.chunks_mut(BLOCK));
        for (block, evaluations) in blocks {
            match &layout.levels {
                Some(levels) if fill_levels(values, levels, block) => {
                    copy_answers(values, &levels.copied, block);
                    values.widen(&levels.widened);
                    values.run(layout, &levels.steps);
                }
                _ => {
                    fill_answers(values, layout, block);
                    values.run(layout, &layout.steps);
                }
            }
            rules.scan(layout, values, program.aligned);
            let view = BlockView {
                program,
                conclusions,
                rules,
                level: self.in_place.unwrap_or(f64::NAN),
            };
            settling.conclude(&view, values, evaluations);
        }
    }
}

impl RuleSet {
    /// Whether question `question` takes whole levels `0..=LEVEL_MAX` only (a scale
    /// within them, yes/no, a choice of at most 64 options), so that a batch keeps its
    /// answers as a column of level codes.
    fn takes_levels(&self, question: usize) -> bool {
        let Some(question) = self.questions().get(question) else {
            return false;
        };
        let top = i64::from(LEVEL_MAX);
        match &question.kind {
            QuestionKind::Scale { scale } => self
                .scales()
                .get(*scale as usize)
                .is_some_and(|scale| scale.low >= 0 && scale.high <= top),
            QuestionKind::YesNo => true,
            QuestionKind::Choice { options } => options.len() <= usize::from(LEVEL_MAX) + 1,
            QuestionKind::Percent | QuestionKind::Number { .. } => false,
        }
    }
}

/// Whether rule `rule` is in a block of [`BITS`] rules whose conditions are all known
/// to be 0 or 1 (see [`crate::eval::rules::RuleScan`]).
fn known_rule(program: &Program, rule: usize) -> bool {
    let block = rule / BITS;
    let len = program.rules.len().saturating_sub(block * BITS).min(BITS);
    let all = usize::MAX >> (BITS - len.max(1));
    program.known_whens.get(block).copied() == Some(all) && len > 0
}

/// Programmes whose answers are written together: a column's eight lanes of them are one
/// cache line, written at once. A programme at a time would write a line of every
/// column per programme, and the 512-byte stride of the columns puts the lines of a lane
/// group into an eighth of the first-level cache's sets, which do not hold them all.
const LINE: usize = 8;

/// Writes the answers of a block into the answer columns (unknown in the lanes past
/// the block and past the end of a programme's answers), [`LINE`] programmes at a time.
fn fill_answers<A: Borrow<Answers>>(block: &mut Block, layout: &Layout, answers: &[A]) {
    let columns = block
        .numbers
        .get_mut(..layout.questions)
        .unwrap_or_default();
    let answers = answers.get(..BLOCK).unwrap_or(answers);
    for (group, programmes) in answers.chunks(LINE).enumerate() {
        let slots: [&[f64]; LINE] = std::array::from_fn(|index| {
            programmes
                .get(index)
                .map_or(&[][..], |answers| answers.borrow().slots())
        });
        fill_group(columns, slots, group * LINE);
    }
    let filled = answers.len().div_ceil(LINE) * LINE;
    if filled < BLOCK {
        for column in columns.iter_mut() {
            column.get_mut(filled..).unwrap_or_default().fill(f64::NAN);
        }
    }
}

/// Writes lanes `start..start + LINE` of every column from the slots of [`LINE`]
/// programmes (an empty slice for a lane without a programme): by squares of [`LINE`]
/// questions where every programme has them all, else one question at a time.
fn fill_group(columns: &mut [Column], slots: [&[f64]; LINE], start: usize) {
    let whole = if slots.iter().all(|slots| slots.len() >= columns.len()) {
        columns.len() / LINE * LINE
    } else {
        0
    };
    let (squares, rest) = columns.split_at_mut(whole);
    for (square, columns) in squares.chunks_exact_mut(LINE).enumerate() {
        let first = square * LINE;
        let rows = slots.map(|slots| slots.get(first..first + LINE).unwrap_or(&UNKNOWN_LINE));
        for (offset, column) in columns.iter_mut().enumerate() {
            let lanes = rows.map(|row| row.get(offset).copied().unwrap_or(f64::NAN));
            if let Some(target) = column.get_mut(start..start + LINE) {
                target.copy_from_slice(&lanes);
            }
        }
    }
    for (offset, column) in rest.iter_mut().enumerate() {
        let question = whole + offset;
        let lanes = slots.map(|slots| slots.get(question).copied().unwrap_or(f64::NAN));
        if let Some(target) = column.get_mut(start..start + LINE) {
            target.copy_from_slice(&lanes);
        }
    }
}

/// [`LINE`] unknown answers.
const UNKNOWN_LINE: [f64; LINE] = [f64::NAN; LINE];

/// Writes the level codes of a block into the code columns (unknown in the lanes past
/// the block and past the end of a programme's answers), eight a programme at a time
/// from one word; whether every level question holds a level or unknown in every
/// programme, found by an `or` of each word masked by the level questions' bit 6.
fn fill_levels<A: Borrow<Answers>>(
    block: &mut Block,
    levels: &LevelProgram,
    answers: &[A],
) -> bool {
    let columns = block.levels.as_mut_slice();
    if answers.len() < BLOCK {
        for column in columns.iter_mut() {
            column.0.fill(UNKNOWN_LEVEL);
        }
    }
    let mut stray = 0;
    for (lane, answers) in answers.iter().enumerate().take(BLOCK) {
        let lane = lane % BLOCK;
        let codes = answers.borrow().levels();
        let written = codes.len().min(columns.len()) / 8 * 8;
        let eights = columns.chunks_exact_mut(8).zip(codes.chunks_exact(8));
        for ((columns, codes), &mask) in eights.zip(&levels.masks) {
            stray |= u64::from_le_bytes(codes.try_into().unwrap_or_default()) & mask;
            for (column, &code) in columns.iter_mut().zip(codes) {
                if let Some(lane) = column.0.get_mut(lane) {
                    *lane = code;
                }
            }
        }
        let mask = levels.masks.get(written / 8).copied().unwrap_or(0);
        let rest = columns.get_mut(written..).unwrap_or_default();
        let rest_codes = codes.get(written..).unwrap_or_default();
        for (index, (column, &code)) in rest.iter_mut().zip(rest_codes).enumerate() {
            stray |= (u64::from(code) << (8 * index)) & mask;
            if let Some(lane) = column.0.get_mut(lane) {
                *lane = code;
            }
        }
        for column in columns.iter_mut().skip(codes.len()) {
            if let Some(lane) = column.0.get_mut(lane) {
                *lane = UNKNOWN_LEVEL;
            }
        }
    }
    stray == 0
}

/// Writes the answers to `questions` of a block into their number columns (unknown
/// past the block and past the end of a programme's answers).
fn copy_answers<A: Borrow<Answers>>(block: &mut Block, questions: &[u32], answers: &[A]) {
    if questions.is_empty() {
        return;
    }
    for (lane, answers) in answers.iter().enumerate().take(BLOCK) {
        let slots = answers.borrow().slots();
        for &question in questions {
            let value = slots.get(question as usize).copied().unwrap_or(f64::NAN);
            let column = block.numbers.get_mut(question as usize);
            if let Some(lane) = column.and_then(|column| column.get_mut(lane % BLOCK)) {
                *lane = value;
            }
        }
    }
    for &question in questions {
        let column = block.numbers.get_mut(question as usize);
        let past = column.and_then(|column| column.get_mut(answers.len().min(BLOCK)..));
        past.unwrap_or_default().fill(f64::NAN);
    }
}

#[cfg(test)]
mod tests {
    use super::layout::Layout;
    use super::run::Block;
    use super::{fill_answers, BLOCK};
    use crate::compile::compile;
    use crate::diagnostic::SourceFile;
    use crate::eval::Answers;
    use crate::ruleset::{QuestionIndex, RuleSet};

    /// Answers of `ruleset`'s questions whose slot `q` holds `q + 100 * programme`.
    fn numbered(ruleset: &RuleSet, programme: usize) -> Answers {
        let mut answers = Answers::unanswered(ruleset);
        for question in QuestionIndex::all(ruleset.questions().len()) {
            answers.set(question, (question.index() + 100 * programme) as f64);
        }
        answers
    }

    /// A rule set of two questions, whose answers are shorter than the Roadmap's.
    fn two_questions() -> RuleSet {
        let text = "ruleset \"short\" version \"1\"\n\
                    theme t \"T\" { number 1 }\n\
                    factor f \"F\" { number 1 theme t horizon kort }\n\
                    tip f.t0 { text \"T0\" }\n\
                    question f.a: yesno \"a?\"\n\
                    question f.b: yesno \"b?\"\n\
                    rule r0 {\n when f.a and f.b\n recommend f.t0\n because \"b\"\n}\n";
        match compile(vec![SourceFile::new("short.rules", text.to_string())], &[]) {
            Ok(compiled) => compiled.ruleset,
            Err(diagnostics) => panic!("{}", diagnostics.render_plain()),
        }
    }

    #[test]
    fn filling_puts_each_answer_in_its_lane_and_unknown_elsewhere() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let questions = ruleset.questions().len();
        let layout = Layout::new(&ruleset.program, |_| false);
        let mut block = Block::default();
        block.prepare(&layout);
        for column in block.numbers.iter_mut().take(questions) {
            column.fill(-1.0);
        }
        // 13 programmes: a whole group of eight and five more; programmes 9 and 11 have
        // answers to two questions only.
        let short = two_questions();
        let answers: Vec<Answers> = (0..13)
            .map(|programme| match programme {
                9 | 11 => numbered(&short, programme),
                _ => numbered(&ruleset, programme),
            })
            .collect();
        fill_answers(&mut block, &layout, &answers);
        for (question, column) in block.numbers.iter().take(questions).enumerate() {
            for (lane, &value) in column.iter().enumerate() {
                let len = answers.get(lane).map_or(0, |answers| answers.slots().len());
                if question < len {
                    assert_eq!(
                        value,
                        (question + 100 * lane) as f64,
                        "q{question} lane {lane}"
                    );
                } else {
                    assert!(value.is_nan(), "q{question} lane {lane}: {value}");
                }
            }
        }
    }

    #[test]
    fn columns_give_the_evaluation_of_each_row() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let questions = ruleset.questions().len();
        let answers: Vec<Answers> = (0..BLOCK * 2 + 5)
            .map(|programme| {
                let mut answers = Answers::unanswered(&ruleset);
                for question in QuestionIndex::all(questions) {
                    let pick = (programme * 7 + question.index() * 13) % 6;
                    let value = if pick == 5 { f64::NAN } else { pick as f64 };
                    answers.set(question, value);
                }
                answers
            })
            .collect();
        let rows: Vec<_> = answers.iter().map(|a| ruleset.evaluate(a)).collect();
        assert_eq!(ruleset.evaluate_batch(&answers), rows);
        let mut reused = ruleset.evaluate_batch(&answers[..3]);
        ruleset.evaluate_batch_into(&answers, &mut reused);
        assert_eq!(reused, rows);
        ruleset.evaluate_batch_into(&answers[1..2], &mut reused);
        assert_eq!(reused, rows[1..2]);
    }
}
