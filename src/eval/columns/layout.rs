//! The block program: the compiled program rewritten for a block of programmes, each
//! slot kept where it is cheapest. A slot whose value is always 0, 1 or unknown (every
//! condition) is two bitsets, one bit per programme: true, and unknown; any other slot
//! is a column of [`BLOCK`](super::BLOCK) numbers. Each step reads its operands in the
//! form it needs, converting when a slot is kept in the other one.

use crate::eval::{LEVEL_MAX, NOT_A_LEVEL};
use crate::ruleset::{ArgumentRange, Code, Compare, Kind, Ops, Program, Slot, SlotIndex};

/// Where a slot's values live in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// The column of this index among the number columns.
    Number(u32),
    /// The bitsets of this index among the bit columns.
    Bits(u32),
}

/// One operation over a block, its operands as places and its result as the index of
/// the column or bitsets it writes (in the form its kind says).
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    /// A comparison (`kind` one of the six comparison kinds) whose `missing` is 0, 1 or
    /// unknown, into bitsets.
    CompareBits {
        kind: Kind,
        left: Place,
        right: Place,
        missing: f64,
        out: u32,
    },
    /// A comparison of a number column with a constant other than unknown (`kind` one
    /// of the six comparison kinds), into bitsets: [`Step::CompareBits`] with its
    /// operands and fallback found once, at layout, instead of per block.
    CompareConstant {
        kind: Kind,
        column: u32,
        constant: f64,
        missing: Missing,
        out: u32,
    },
    /// `and`, `or` or their never-unknown forms of two bitsets, into bitsets:
    /// [`Step::Logic`] with both operands known to be bitsets at layout.
    LogicBits {
        kind: Kind,
        left: u32,
        right: u32,
        out: u32,
    },
    /// A comparison whose `missing` is another number, into a number column.
    CompareNumber {
        kind: Kind,
        left: Place,
        right: Place,
        missing: f64,
        out: u32,
    },
    /// Kleene negation of bitsets.
    NotBits { operand: u32, out: u32 },
    /// `not` (as `1 - a`) or negation of a number column.
    Unary {
        kind: Kind,
        operand: Place,
        out: u32,
    },
    /// `and`, `or` and their never-unknown forms, into bitsets.
    Logic {
        kind: Kind,
        left: Place,
        right: Place,
        out: u32,
    },
    /// `coalesce` of two bitsets.
    Coalesce2Bits { left: u32, right: u32, out: u32 },
    /// `coalesce` of two or arithmetic, into a number column.
    Binary {
        kind: Kind,
        left: Place,
        right: Place,
        out: u32,
    },
    /// Membership of a choice in a set of options, into bitsets.
    In {
        operand: Place,
        options: u64,
        out: u32,
    },
    /// `answered` or `missing` of the arguments, into bitsets.
    Presence {
        kind: Kind,
        arguments: ArgumentRange,
        out: u32,
    },
    /// `coalesce` of bitsets, into bitsets.
    CoalesceBits { arguments: ArgumentRange, out: u32 },
    /// `avg`, `min`, `max`, `count` or `coalesce` of the arguments, into a number column.
    Aggregate {
        kind: Kind,
        arguments: ArgumentRange,
        out: u32,
    },
    /// [`Step::CompareConstant`] of a question's level column (the byte program only):
    /// the comparison decided at layout as a test of whole levels.
    CompareLevel {
        test: LevelTest,
        question: u32,
        missing: Missing,
        out: u32,
    },
    /// `avg` of level questions (the byte program only), into a number column: the
    /// integer sum of the known levels over their count, one division per lane.
    MeanLevels { arguments: ArgumentRange, out: u32 },
    /// [`Step::CompareConstant`] of an `avg` of level questions with a whole constant
    /// (the byte program only), into bitsets: for a count `n > 0` of known levels
    /// summing to `s`, `s / n kind k` exactly when `s kind k·n` (`constant` is `k`,
    /// brought within `-1..=LEVEL_MAX + 1`, which decides every mean the same way).
    CompareMean {
        kind: Kind,
        constant: i16,
        arguments: ArgumentRange,
        missing: Missing,
        out: u32,
    },
}

/// Most arguments of an `avg` the byte program sums as integers: their sum of levels
/// and the constant times their count stay within `i16`.
const MEAN_ARGUMENTS: usize = 255;

/// A comparison of a whole level with a constant, as a test of the level alone: what
/// `level kind constant` is for every level `0..=LEVEL_MAX` (never for unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LevelTest {
    /// No level passes.
    Never,
    /// The levels up to this one pass (every level for [`LEVEL_MAX`]).
    AtMost(u8),
    /// The levels from this one up pass.
    AtLeast(u8),
    /// This level alone passes.
    Is(u8),
    /// Every level but this one passes.
    IsNot(u8),
}

impl LevelTest {
    /// The test equal to `level kind constant` (`kind` one of the six comparison kinds)
    /// on every whole level: for whole `x`, `x < k` is `x <= ceil(k) - 1`, `x <= k` is
    /// `x <= floor(k)`, and a bound past `0..=LEVEL_MAX` passes all levels or none.
    pub(super) fn of(kind: Kind, constant: f64) -> Self {
        if constant.is_nan() {
            // Every comparison with NaN is false (`!=` is `<` or `>` here).
            return LevelTest::Never;
        }
        let whole = (0.0..=f64::from(LEVEL_MAX)).contains(&constant) && constant.fract() == 0.0;
        match kind {
            Kind::Less => at_most(constant.ceil() - 1.0),
            Kind::LessOrEqual => at_most(constant.floor()),
            Kind::Greater => at_least(constant.floor() + 1.0),
            Kind::GreaterOrEqual => at_least(constant.ceil()),
            Kind::Equal if whole => LevelTest::Is(constant as u8),
            Kind::Equal => LevelTest::Never,
            _ if whole => LevelTest::IsNot(constant as u8),
            _ => LevelTest::AtMost(LEVEL_MAX),
        }
    }

    /// Whether `level` (a whole level) passes.
    #[cfg(test)]
    pub(super) fn passes(self, level: u8) -> bool {
        match self {
            LevelTest::Never => false,
            LevelTest::AtMost(bound) => level <= bound,
            LevelTest::AtLeast(bound) => level >= bound && level <= LEVEL_MAX,
            LevelTest::Is(only) => level == only,
            LevelTest::IsNot(other) => level != other && level <= LEVEL_MAX,
        }
    }
}

/// The levels up to `bound`, a whole number or an infinity.
fn at_most(bound: f64) -> LevelTest {
    if bound < 0.0 {
        LevelTest::Never
    } else if bound >= f64::from(LEVEL_MAX) {
        LevelTest::AtMost(LEVEL_MAX)
    } else {
        // INVARIANT: a whole number in 0..LEVEL_MAX, which the cast keeps.
        LevelTest::AtMost(bound as u8)
    }
}

/// The levels from `bound` up, a whole number or an infinity.
fn at_least(bound: f64) -> LevelTest {
    if bound > f64::from(LEVEL_MAX) {
        LevelTest::Never
    } else if bound <= 0.0 {
        LevelTest::AtMost(LEVEL_MAX)
    } else {
        // INVARIANT: a whole number in 1..=LEVEL_MAX, which the cast keeps.
        LevelTest::AtLeast(bound as u8)
    }
}

/// What a comparison into bitsets gives where a side is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    /// False (0).
    False,
    /// True (1).
    True,
    /// Unknown.
    Unknown,
}

impl Missing {
    /// The fallback `missing` (0, 1 or unknown) as a [`Missing`].
    fn of(missing: f64) -> Self {
        if missing == 0.0 {
            Missing::False
        } else if missing == 1.0 {
            Missing::True
        } else {
            Missing::Unknown
        }
    }
}

/// How the scan reads one rule's condition.
#[derive(Debug, Clone, Copy)]
pub(super) struct When {
    /// Where the condition's values are.
    pub place: Place,
    /// The rule is in a block whose conditions are all known to be 0 or 1, where the
    /// row scan counts every value other than 1 as false and none as unknown.
    pub known: bool,
}

/// A compiled program laid out for blocks.
#[derive(Debug, Default)]
pub(super) struct Layout {
    /// Per slot, where its values live.
    pub places: Vec<Place>,
    /// How many number columns a block needs (the answers first, then the constants).
    pub numbers: usize,
    /// How many bitsets a block needs.
    pub bits: usize,
    /// The program's constants, which fill the number columns after the answers.
    pub constants: Vec<f64>,
    /// How many answer columns lead the number columns.
    pub questions: usize,
    /// The steps, in program order.
    pub steps: Vec<Step>,
    /// The argument places of calls, indexed as the program's argument slots.
    pub arguments: Vec<Place>,
    /// The program's argument slots.
    argument_slots: Vec<Slot>,
    /// Per rule, its condition.
    pub whens: Vec<When>,
    /// Whether every rule's condition is kept as bitsets, so that a condition is false
    /// exactly when it is neither true nor unknown.
    pub whens_in_bits: bool,
    /// The program over the answers' level codes, where the rule set has questions
    /// that take only whole levels and some step reads them so.
    pub levels: Option<LevelProgram>,
}

/// The block program for blocks whose level questions all hold levels or unknown: the
/// questions are byte columns of level codes ([`crate::eval::level_code`]), the steps
/// that compare them with constants read those, and only the answer columns something
/// else reads as numbers are written (widened from the codes, or copied for questions
/// that are no level questions). A block where a level question holds anything else
/// runs [`Layout::steps`] instead.
#[derive(Debug, Default)]
pub(super) struct LevelProgram {
    /// Per eight questions, [`NOT_A_LEVEL`] in the byte of each level question: a word
    /// of eight codes `and` this is not 0 where one of them is no level.
    pub masks: Vec<u64>,
    /// The steps, [`Layout::steps`] with the byte forms in place.
    pub steps: Vec<Step>,
    /// The level questions whose number columns something reads: widened from the codes.
    pub widened: Vec<u32>,
    /// The other questions whose number columns something reads: copied from the
    /// answers.
    pub copied: Vec<u32>,
}

/// Whether a value is one the bitsets hold: 0, 1 or unknown.
fn boolean_value(value: f64) -> bool {
    value == 0.0 || value == 1.0 || value.is_nan()
}

/// An operation of the program, its operands as slots.
enum Operation {
    Compare(Kind, Compare<Slot>),
    Unary(Kind, Slot),
    Binary(Kind, Slot, Slot),
    In(Slot, u64),
    Call(Kind, ArgumentRange),
}

impl Layout {
    /// The block layout of `program`.
    pub fn new(program: &Program, known_rules: impl Fn(usize) -> bool) -> Self {
        let questions = program.questions as usize;
        let constants = program.constants.len();
        let mut layout = Layout {
            places: (0..questions + constants)
                .map(|slot| Place::Number(slot as u32))
                .collect(),
            numbers: questions + constants,
            constants: program.constants.clone(),
            questions,
            ..Layout::default()
        };
        match &program.code {
            Code::Narrow(ops) => layout.lay_out(ops, program, known_rules),
            Code::Wide(ops) => layout.lay_out(ops, program, known_rules),
        }
        layout
    }

    fn lay_out<S: SlotIndex>(
        &mut self,
        ops: &Ops<S>,
        program: &Program,
        known_rules: impl Fn(usize) -> bool,
    ) {
        self.argument_slots = ops.arguments.iter().map(|&slot| wide(slot)).collect();
        for_each_operation(ops, |operation| self.push(operation));
        self.arguments = self
            .argument_slots
            .iter()
            .map(|&slot| self.place(slot))
            .collect();
        self.whens = ops
            .whens
            .iter()
            .enumerate()
            .map(|(rule, &slot)| When {
                place: self.place(wide(slot)),
                known: known_rules(rule),
            })
            .collect();
        self.whens_in_bits = self
            .whens
            .iter()
            .all(|when| matches!(when.place, Place::Bits(_)));
        debug_assert_eq!(self.places.len(), program.slot_count());
    }

    /// Where slot `slot` lives (a number column of unknowns past the laid-out slots).
    pub fn place(&self, slot: Slot) -> Place {
        self.places
            .get(slot as usize)
            .copied()
            .unwrap_or(Place::Number(u32::MAX))
    }

    fn is_bits(&self, slot: Slot) -> bool {
        matches!(self.place(slot), Place::Bits(_))
    }

    fn new_number(&mut self) -> u32 {
        self.numbers += 1;
        self.places.push(Place::Number(self.numbers as u32 - 1));
        self.numbers as u32 - 1
    }

    fn new_bits(&mut self) -> u32 {
        self.bits += 1;
        self.places.push(Place::Bits(self.bits as u32 - 1));
        self.bits as u32 - 1
    }

    /// Lays out one operation, whose result takes the next slot.
    fn push(&mut self, operation: Operation) {
        let step = match operation {
            Operation::Compare(kind, compare) => self.compare(kind, compare),
            Operation::Unary(kind, operand) => self.unary(kind, operand),
            Operation::Binary(kind, left, right) => self.binary(kind, left, right),
            Operation::In(operand, options) => Step::In {
                operand: self.place(operand),
                options,
                out: self.new_bits(),
            },
            Operation::Call(kind, arguments) => self.call(kind, arguments),
        };
        self.steps.push(step);
    }

    fn compare(&mut self, kind: Kind, compare: Compare<Slot>) -> Step {
        let (left, right) = (self.place(compare.left), self.place(compare.right));
        let missing = compare.missing;
        let constant = self.constant(right).filter(|constant| !constant.is_nan());
        if let (true, Place::Number(column), Some(constant)) =
            (boolean_value(missing), left, constant)
        {
            let out = self.new_bits();
            Step::CompareConstant {
                kind,
                column,
                constant,
                missing: Missing::of(missing),
                out,
            }
        } else if boolean_value(missing) {
            let out = self.new_bits();
            Step::CompareBits {
                kind,
                left,
                right,
                missing,
                out,
            }
        } else {
            let out = self.new_number();
            Step::CompareNumber {
                kind,
                left,
                right,
                missing,
                out,
            }
        }
    }

    fn unary(&mut self, kind: Kind, operand: Slot) -> Step {
        match self.place(operand) {
            Place::Bits(operand) if kind == Kind::Not => Step::NotBits {
                operand,
                out: self.new_bits(),
            },
            operand => Step::Unary {
                kind,
                operand,
                out: self.new_number(),
            },
        }
    }

    fn binary(&mut self, kind: Kind, left: Slot, right: Slot) -> Step {
        let (left_place, right_place) = (self.place(left), self.place(right));
        match (kind, left_place, right_place) {
            (
                Kind::And | Kind::Or | Kind::KnownAnd | Kind::KnownOr,
                Place::Bits(left),
                Place::Bits(right),
            ) => Step::LogicBits {
                kind,
                left,
                right,
                out: self.new_bits(),
            },
            (Kind::And | Kind::Or | Kind::KnownAnd | Kind::KnownOr, _, _) => Step::Logic {
                kind,
                left: left_place,
                right: right_place,
                out: self.new_bits(),
            },
            (Kind::Coalesce2, Place::Bits(left), Place::Bits(right)) => Step::Coalesce2Bits {
                left,
                right,
                out: self.new_bits(),
            },
            _ => Step::Binary {
                kind,
                left: left_place,
                right: right_place,
                out: self.new_number(),
            },
        }
    }

    fn call(&mut self, kind: Kind, arguments: ArgumentRange) -> Step {
        match kind {
            Kind::Answered | Kind::Missing => Step::Presence {
                kind,
                arguments,
                out: self.new_bits(),
            },
            Kind::Coalesce if self.all_bits(arguments) => Step::CoalesceBits {
                arguments,
                out: self.new_bits(),
            },
            _ => Step::Aggregate {
                kind,
                arguments,
                out: self.new_number(),
            },
        }
    }

    /// Whether every argument of a call is kept as bitsets.
    fn all_bits(&self, arguments: ArgumentRange) -> bool {
        let slots = self.argument_slots.get(arguments.range());
        slots
            .unwrap_or_default()
            .iter()
            .all(|&slot| self.is_bits(slot))
    }
}

impl Layout {
    /// Lays out [`Layout::levels`] for the questions `is_level` says take whole levels
    /// only; `read_outside` are the places readers outside the block program read
    /// (firing and settling: `Conclusions::places`), whose number columns of answers are
    /// kept written.
    pub fn lay_out_levels(
        &mut self,
        is_level: impl Fn(usize) -> bool,
        read_outside: impl IntoIterator<Item = Place>,
    ) {
        let questions: Vec<bool> = (0..self.questions).map(is_level).collect();
        let mut means = vec![None; self.numbers];
        let mut steps: Vec<Step> = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            steps.push(self.level_step(step, &questions, &mut means));
        }
        let bytes = |step: &Step| {
            matches!(
                step,
                Step::CompareLevel { .. } | Step::MeanLevels { .. } | Step::CompareMean { .. }
            )
        };
        if !steps.iter().any(bytes) {
            self.levels = None;
            return;
        }
        let mut read = vec![false; self.numbers];
        let mut mark = |place: Place| {
            if let Some(read) = place_column(place).and_then(|column| read.get_mut(column)) {
                *read = true;
            }
        };
        for step in &steps {
            self.number_reads(step, &mut mark);
        }
        for when in &self.whens {
            mark(when.place);
        }
        for place in read_outside {
            mark(place);
        }
        // A mean nothing reads as a number (its comparisons read the codes) is not taken.
        steps.retain(|step| match *step {
            Step::MeanLevels { out, .. } => read.get(out as usize) == Some(&true),
            _ => true,
        });
        let pick = |level: bool| {
            let read = read.iter().zip(&questions).enumerate();
            read.filter(move |&(_, (&read, &is))| read && is == level)
                .map(|(question, _)| question as u32)
                .collect()
        };
        let widened: Vec<u32> = pick(true);
        // Widening a column costs about what filling it with numbers does, on top of its
        // codes: where most level questions are read as numbers anyway (by settling, say),
        // the byte program costs more than it saves.
        let levels = questions.iter().filter(|&&level| level).count();
        if widened.len() * 2 > levels {
            self.levels = None;
            return;
        }
        self.levels = Some(LevelProgram {
            masks: level_masks(&questions),
            widened,
            copied: pick(false),
            steps,
        });
    }

    /// Calls `read` with every place `step` reads as a number column.
    fn number_reads(&self, step: &Step, read: &mut impl FnMut(Place)) {
        match *step {
            Step::CompareBits { left, right, .. }
            | Step::CompareNumber { left, right, .. }
            | Step::Logic { left, right, .. }
            | Step::Binary { left, right, .. } => {
                read(left);
                read(right);
            }
            Step::CompareConstant { column, .. } => read(Place::Number(column)),
            Step::Unary { operand, .. } | Step::In { operand, .. } => read(operand),
            Step::Presence { arguments, .. }
            | Step::CoalesceBits { arguments, .. }
            | Step::Aggregate { arguments, .. } => {
                let places = self.arguments.get(arguments.range()).unwrap_or_default();
                places.iter().for_each(|&place| read(place));
            }
            Step::LogicBits { .. }
            | Step::NotBits { .. }
            | Step::Coalesce2Bits { .. }
            | Step::CompareLevel { .. }
            | Step::MeanLevels { .. }
            | Step::CompareMean { .. } => {}
        }
    }

    /// `step` in the byte program: a comparison of a level question with a constant
    /// reads its codes, an `avg` of level questions sums their codes (noted in `means`
    /// by its column), and a comparison of such a mean with a whole constant compares
    /// the sums.
    fn level_step(
        &self,
        step: &Step,
        questions: &[bool],
        means: &mut [Option<ArgumentRange>],
    ) -> Step {
        match *step {
            Step::CompareConstant {
                kind,
                column,
                constant,
                missing,
                out,
            } => {
                if questions.get(column as usize) == Some(&true) {
                    return Step::CompareLevel {
                        test: LevelTest::of(kind, constant),
                        question: column,
                        missing,
                        out,
                    };
                }
                match means.get(column as usize) {
                    Some(&Some(arguments)) if constant.fract() == 0.0 => Step::CompareMean {
                        kind,
                        constant: mean_bound(constant),
                        arguments,
                        missing,
                        out,
                    },
                    _ => *step,
                }
            }
            Step::Aggregate {
                kind: Kind::Avg,
                arguments,
                out,
            } if self.level_arguments(arguments, questions) => {
                if let Some(mean) = means.get_mut(out as usize) {
                    *mean = Some(arguments);
                }
                Step::MeanLevels { arguments, out }
            }
            other => other,
        }
    }

    /// Whether a call has 1 to [`MEAN_ARGUMENTS`] arguments, every one a level question.
    fn level_arguments(&self, arguments: ArgumentRange, questions: &[bool]) -> bool {
        let places = self.arguments.get(arguments.range()).unwrap_or_default();
        let level = |place: &Place| {
            place_column(*place).and_then(|column| questions.get(column)) == Some(&true)
        };
        (1..=MEAN_ARGUMENTS).contains(&places.len()) && places.iter().all(level)
    }
}

/// A whole constant a mean of levels is compared with, as `i16`: below every level it
/// is -1, above every level `LEVEL_MAX + 1`, which compare with every mean alike.
fn mean_bound(constant: f64) -> i16 {
    // INVARIANT: clamped to -1..=64, so the cast keeps the whole number.
    constant.clamp(-1.0, f64::from(LEVEL_MAX) + 1.0) as i16
}

/// The index of a number column.
fn place_column(place: Place) -> Option<usize> {
    match place {
        Place::Number(column) => Some(column as usize),
        Place::Bits(_) => None,
    }
}

/// Per eight questions, [`NOT_A_LEVEL`] in the byte of each level question.
fn level_masks(questions: &[bool]) -> Vec<u64> {
    let byte = |(index, &level): (usize, &bool)| {
        (u64::from(level) * u64::from(NOT_A_LEVEL)) << (8 * index)
    };
    questions
        .chunks(8)
        .map(|eight| {
            eight
                .iter()
                .enumerate()
                .map(byte)
                .fold(0, |mask, byte| mask | byte)
        })
        .collect()
}

/// A slot of either width as a [`Slot`].
fn wide<S: SlotIndex>(slot: S) -> Slot {
    u32::try_from(slot.index()).unwrap_or(Slot::MAX)
}

/// Calls `push` with every operation of `ops`, in program order.
fn for_each_operation<S: SlotIndex>(ops: &Ops<S>, mut push: impl FnMut(Operation)) {
    let mut compares = ops.compares.iter();
    let mut unary = ops.unary.iter();
    let mut binary = ops.binary.iter();
    let mut memberships = ops.memberships.iter();
    let mut calls = ops.calls.iter();
    for run in &ops.runs {
        // The columns compute every comparison with its `missing`, and every `avg` as
        // one of any number of arguments.
        let kind = run.kind.general();
        for _ in 0..run.len {
            let operation = match kind {
                Kind::Less
                | Kind::LessOrEqual
                | Kind::Equal
                | Kind::NotEqual
                | Kind::GreaterOrEqual
                | Kind::Greater => compares.next().map(|compare| {
                    let (left, right) = (wide(compare.left), wide(compare.right));
                    let missing = compare.missing;
                    Operation::Compare(
                        kind,
                        Compare {
                            left,
                            right,
                            missing,
                        },
                    )
                }),
                Kind::Not | Kind::Negate => unary.next().map(|&a| Operation::Unary(kind, wide(a))),
                Kind::In => memberships
                    .next()
                    .map(|&(a, options)| Operation::In(wide(a), options)),
                Kind::Avg
                | Kind::Min
                | Kind::Max
                | Kind::Count
                | Kind::Answered
                | Kind::Missing
                | Kind::Coalesce => calls.next().map(|&range| Operation::Call(kind, range)),
                _ => binary
                    .next()
                    .map(|&[a, b]| Operation::Binary(kind, wide(a), wide(b))),
            };
            // A compiled program's tables hold every operation its runs count; should one
            // run short, the slot still gets a value (unknown), so later slots keep theirs.
            push(operation.unwrap_or(Operation::Unary(Kind::Negate, Slot::MAX)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LevelTest;
    use crate::eval::LEVEL_MAX;
    use crate::ruleset::Kind;
    use proptest::prelude::*;

    /// `a kind b` as the number columns compute it (`!=` as `<` or `>`).
    fn compare(kind: Kind, a: f64, b: f64) -> bool {
        match kind {
            Kind::Less => a < b,
            Kind::LessOrEqual => a <= b,
            Kind::Equal => a == b,
            Kind::NotEqual => (a < b) | (a > b),
            Kind::GreaterOrEqual => a >= b,
            _ => a > b,
        }
    }

    fn constant() -> impl Strategy<Value = f64> {
        prop_oneof![
            prop::sample::select(vec![
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -0.0,
                0.0,
                -0.5,
                0.5,
                62.5,
                63.0,
                63.5,
                64.0,
                1e300,
                -1e300,
            ]),
            (-70..=70i32).prop_map(f64::from),
            -70.0..70.0f64,
        ]
    }

    proptest! {
        #[test]
        fn a_level_test_is_the_comparison_on_every_level(
            kind in prop::sample::select(vec![
                Kind::Less,
                Kind::LessOrEqual,
                Kind::Equal,
                Kind::NotEqual,
                Kind::GreaterOrEqual,
                Kind::Greater,
            ]),
            constant in constant(),
        ) {
            let test = LevelTest::of(kind, constant);
            for level in 0..=LEVEL_MAX {
                let expected = compare(kind, f64::from(level), constant);
                prop_assert_eq!(test.passes(level), expected, "{:?} {} {}", kind, level, constant);
            }
        }
    }
}
