//! The compiled expressions: one straight-line program of typed operations over a vector
//! of values, in runs of one kind each so the evaluator dispatches once per run, not once
//! per operation.

use std::ops::Range;

use super::{CompareOp, TipIndex};

/// Index of a node in the expression graph the compiler builds; after compilation, rules
/// and conditions hold the [`Slot`] of their value instead.
pub(crate) type NodeId = u32;

/// Index of a value in the program's value vector: the answers first (slot = question
/// index), then the constants, then one slot per operation in program order.
pub(crate) type Slot = u32;

/// One operation. Values are `f64`: numbers as they are, booleans as 0 and 1, choice
/// options as their index, and NaN for unknown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    /// Kleene negation.
    Not(Slot),
    /// Arithmetic negation.
    Negate(Slot),
    /// Kleene conjunction.
    And(Slot, Slot),
    /// Kleene disjunction.
    Or(Slot, Slot),
    /// Conjunction of operands that are never unknown.
    KnownAnd(Slot, Slot),
    /// Disjunction of operands that are never unknown.
    KnownOr(Slot, Slot),
    /// The first operand if it is known, else the second.
    Coalesce2(Slot, Slot),
    /// A comparison, see [`Compare`].
    Compare(CompareOp, Compare),
    /// Arithmetic.
    Arithmetic(ArithmeticOp, Slot, Slot),
    /// Arithmetic whose result is not checked: a value that is not finite stays what
    /// it is, for the one operation that reads it, arithmetic that checks its own
    /// result (see [`Op::Arithmetic`] and `compile::program`).
    Unchecked(ArithmeticOp, Slot, Slot),
    /// Membership of a choice value in a set of options (bit i = option i).
    In(Slot, u64),
    /// A function over the slots `arguments[range]`.
    Call(Aggregate, ArgumentRange),
}

/// The operands of a comparison, whose operator its run's [`Kind`] gives: `left`
/// against `right`, and `missing` when either side is unknown (NaN, or the default of a
/// `coalesce` fused into the comparison).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Compare<S = Slot> {
    pub left: S,
    pub right: S,
    pub missing: f64,
}

/// The arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithmeticOp {
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// The built-in functions, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aggregate {
    Avg,
    Min,
    Max,
    Count,
    Answered,
    Missing,
    Coalesce,
}

/// A slice of [`Program::arguments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArgumentRange {
    pub start: u32,
    pub len: u32,
}

impl ArgumentRange {
    pub fn range(self) -> Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// What every operation of a run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
    GreaterOrEqual,
    Greater,
    /// The comparisons whose value for an unknown side (`missing`) is false: computed
    /// as IEEE comparisons, which are false on NaN (`!=` as `<` or `>`), with no test
    /// for unknown.
    LessElseFalse,
    LessOrEqualElseFalse,
    EqualElseFalse,
    NotEqualElseFalse,
    GreaterOrEqualElseFalse,
    GreaterElseFalse,
    /// The comparisons whose value for an unknown side is true: computed as the
    /// negation of the opposite IEEE comparison, which is false on NaN.
    LessElseTrue,
    LessOrEqualElseTrue,
    EqualElseTrue,
    NotEqualElseTrue,
    GreaterOrEqualElseTrue,
    GreaterElseTrue,
    Not,
    Negate,
    And,
    Or,
    KnownAnd,
    KnownOr,
    Coalesce2,
    Add,
    Subtract,
    Multiply,
    Divide,
    UncheckedAdd,
    UncheckedSubtract,
    UncheckedMultiply,
    UncheckedDivide,
    In,
    Avg,
    /// `avg` of exactly two, three, four or five arguments: the row evaluator adds
    /// them unrolled, without reading the length of each call (the columns compute
    /// them as [`Kind::Avg`]).
    Avg2,
    Avg3,
    Avg4,
    Avg5,
    Min,
    Max,
    Count,
    Answered,
    Missing,
    Coalesce,
}

impl Op {
    /// The kind of run the operation belongs in.
    pub fn kind(&self) -> Kind {
        match self {
            Op::Not(_) => Kind::Not,
            Op::Negate(_) => Kind::Negate,
            Op::And(..) => Kind::And,
            Op::Or(..) => Kind::Or,
            Op::KnownAnd(..) => Kind::KnownAnd,
            Op::KnownOr(..) => Kind::KnownOr,
            Op::Coalesce2(..) => Kind::Coalesce2,
            Op::Compare(op, compare) => compare_kind(*op, compare.missing),
            Op::Arithmetic(ArithmeticOp::Add, ..) => Kind::Add,
            Op::Arithmetic(ArithmeticOp::Subtract, ..) => Kind::Subtract,
            Op::Arithmetic(ArithmeticOp::Multiply, ..) => Kind::Multiply,
            Op::Arithmetic(ArithmeticOp::Divide, ..) => Kind::Divide,
            Op::Unchecked(ArithmeticOp::Add, ..) => Kind::UncheckedAdd,
            Op::Unchecked(ArithmeticOp::Subtract, ..) => Kind::UncheckedSubtract,
            Op::Unchecked(ArithmeticOp::Multiply, ..) => Kind::UncheckedMultiply,
            Op::Unchecked(ArithmeticOp::Divide, ..) => Kind::UncheckedDivide,
            Op::In(..) => Kind::In,
            Op::Call(Aggregate::Avg, arguments) => match arguments.len {
                2 => Kind::Avg2,
                3 => Kind::Avg3,
                4 => Kind::Avg4,
                5 => Kind::Avg5,
                _ => Kind::Avg,
            },
            Op::Call(Aggregate::Min, _) => Kind::Min,
            Op::Call(Aggregate::Max, _) => Kind::Max,
            Op::Call(Aggregate::Count, _) => Kind::Count,
            Op::Call(Aggregate::Answered, _) => Kind::Answered,
            Op::Call(Aggregate::Missing, _) => Kind::Missing,
            Op::Call(Aggregate::Coalesce, _) => Kind::Coalesce,
        }
    }
}

/// The kind of a comparison by `op` whose value for an unknown side is `missing`: one
/// of the kinds that need no test for unknown where `missing` is exactly false (+0) or
/// true (1).
fn compare_kind(op: CompareOp, missing: f64) -> Kind {
    const FALSE: u64 = 0;
    const TRUE: u64 = 0x3ff0_0000_0000_0000;
    match (op, missing.to_bits()) {
        (CompareOp::Lt, FALSE) => Kind::LessElseFalse,
        (CompareOp::Le, FALSE) => Kind::LessOrEqualElseFalse,
        (CompareOp::Eq, FALSE) => Kind::EqualElseFalse,
        (CompareOp::Ne, FALSE) => Kind::NotEqualElseFalse,
        (CompareOp::Ge, FALSE) => Kind::GreaterOrEqualElseFalse,
        (CompareOp::Gt, FALSE) => Kind::GreaterElseFalse,
        (CompareOp::Lt, TRUE) => Kind::LessElseTrue,
        (CompareOp::Le, TRUE) => Kind::LessOrEqualElseTrue,
        (CompareOp::Eq, TRUE) => Kind::EqualElseTrue,
        (CompareOp::Ne, TRUE) => Kind::NotEqualElseTrue,
        (CompareOp::Ge, TRUE) => Kind::GreaterOrEqualElseTrue,
        (CompareOp::Gt, TRUE) => Kind::GreaterElseTrue,
        (CompareOp::Lt, _) => Kind::Less,
        (CompareOp::Le, _) => Kind::LessOrEqual,
        (CompareOp::Eq, _) => Kind::Equal,
        (CompareOp::Ne, _) => Kind::NotEqual,
        (CompareOp::Ge, _) => Kind::GreaterOrEqual,
        (CompareOp::Gt, _) => Kind::Greater,
    }
}

impl Kind {
    /// The kind the columns compute this kind as: for a comparison kind the one that
    /// tests for unknown sides (the same values, with its `missing`), for an `avg` of a
    /// fixed number of arguments [`Kind::Avg`]; any other kind as it is.
    pub fn general(self) -> Kind {
        match self {
            Kind::Avg2 | Kind::Avg3 | Kind::Avg4 | Kind::Avg5 => Kind::Avg,
            Kind::LessElseFalse | Kind::LessElseTrue => Kind::Less,
            Kind::LessOrEqualElseFalse | Kind::LessOrEqualElseTrue => Kind::LessOrEqual,
            Kind::EqualElseFalse | Kind::EqualElseTrue => Kind::Equal,
            Kind::NotEqualElseFalse | Kind::NotEqualElseTrue => Kind::NotEqual,
            Kind::GreaterOrEqualElseFalse | Kind::GreaterOrEqualElseTrue => Kind::GreaterOrEqual,
            Kind::GreaterElseFalse | Kind::GreaterElseTrue => Kind::Greater,
            kind => kind,
        }
    }
}

/// A run of operations of one kind; none of them reads the slot of another in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub kind: Kind,
    pub len: u32,
}

/// The index type of operand slots: `u16` for programs of at most [`NARROW_SLOTS`]
/// values, so that the evaluator indexes a fixed array of that size without bounds
/// checks, and `u32` for larger ones.
pub(crate) trait SlotIndex: Copy + std::fmt::Debug + PartialEq {
    /// The slot, if it fits.
    fn narrow(slot: Slot) -> Option<Self>;
    /// The slot as an index.
    fn index(self) -> usize;
}

/// How many values a program may have for `u16` slots.
pub(crate) const NARROW_SLOTS: usize = 1 << 16;

impl SlotIndex for u16 {
    fn narrow(slot: Slot) -> Option<Self> {
        u16::try_from(slot).ok()
    }
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl SlotIndex for u32 {
    fn narrow(slot: Slot) -> Option<Self> {
        Some(slot)
    }
    fn index(self) -> usize {
        self as usize
    }
}

/// The operations of a program, in runs, with operands of slot type `S`. Operands are
/// stored by type: a run of `n` operations takes the next `n` entries of its kind's
/// table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ops<S> {
    /// The runs, in evaluation order.
    pub runs: Vec<Run>,
    /// Operands of comparisons.
    pub compares: Vec<Compare<S>>,
    /// Operands of `not` and negation.
    pub unary: Vec<S>,
    /// Operands of `and`, `or`, `coalesce` of two and arithmetic.
    pub binary: Vec<[S; 2]>,
    /// Operands of `in`: the choice and the options.
    pub memberships: Vec<(S, u64)>,
    /// Arguments of calls.
    pub calls: Vec<ArgumentRange>,
    /// The argument slots of calls.
    pub arguments: Vec<S>,
    /// Per rule, the slot of its condition.
    pub whens: Vec<S>,
}

impl<S> Default for Ops<S> {
    fn default() -> Self {
        Ops {
            runs: Vec::new(),
            compares: Vec::new(),
            unary: Vec::new(),
            binary: Vec::new(),
            memberships: Vec::new(),
            calls: Vec::new(),
            arguments: Vec::new(),
            whens: Vec::new(),
        }
    }
}

impl<S: Copy> Ops<S> {
    /// Whether every call's arguments start where the previous call's end in
    /// `arguments`, the first call's at 0: then the calls of a run read one stretch of
    /// the table, call after call.
    pub fn calls_in_order(&self) -> bool {
        let mut next = 0;
        self.calls.iter().all(|call| {
            let follows = call.start == next;
            next = call.start.saturating_add(call.len);
            follows
        })
    }

    /// Lays the calls' arguments out in call order ([`Ops::calls_in_order`]), which the
    /// row evaluator's `avg` of a fixed number of arguments relies on. The compiler
    /// already emits them so; this makes it hold for every program.
    fn lay_out_calls(&mut self) {
        if self.calls_in_order() {
            return;
        }
        let mut arguments = Vec::with_capacity(self.arguments.len());
        for call in &mut self.calls {
            let slots = self.arguments.get(call.range()).unwrap_or_default();
            call.start = u32::try_from(arguments.len()).unwrap_or(u32::MAX);
            call.len = u32::try_from(slots.len()).unwrap_or(u32::MAX);
            arguments.extend_from_slice(slots);
        }
        self.arguments = arguments;
    }
}

impl Ops<Slot> {
    /// How many operations there are.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|run| run.len as usize).sum()
    }

    /// Appends an operation, in the current run when `new_run` is false and the kind
    /// matches, else in a new one. Call arguments must already be in `arguments`.
    pub fn push(&mut self, op: Op, new_run: bool) {
        let kind = op.kind();
        match self.runs.last_mut() {
            Some(run) if !new_run && run.kind == kind => run.len += 1,
            _ => self.runs.push(Run { kind, len: 1 }),
        }
        match op {
            Op::Not(a) | Op::Negate(a) => self.unary.push(a),
            Op::And(a, b)
            | Op::Or(a, b)
            | Op::KnownAnd(a, b)
            | Op::KnownOr(a, b)
            | Op::Coalesce2(a, b)
            | Op::Arithmetic(_, a, b)
            | Op::Unchecked(_, a, b) => self.binary.push([a, b]),
            Op::Compare(_, compare) => self.compares.push(compare),
            Op::In(a, options) => self.memberships.push((a, options)),
            Op::Call(_, range) => self.calls.push(range),
        }
    }

    /// The same operations with `u16` operands, if every operand fits.
    fn narrow(&self) -> Option<Ops<u16>> {
        let slot = |slot: Slot| u16::narrow(slot);
        let pair = |[a, b]: [Slot; 2]| Some([slot(a)?, slot(b)?]);
        Some(Ops {
            runs: self.runs.clone(),
            compares: self
                .compares
                .iter()
                .map(|compare| {
                    Some(Compare {
                        left: slot(compare.left)?,
                        right: slot(compare.right)?,
                        missing: compare.missing,
                    })
                })
                .collect::<Option<_>>()?,
            unary: self.unary.iter().map(|&a| slot(a)).collect::<Option<_>>()?,
            binary: self
                .binary
                .iter()
                .map(|&p| pair(p))
                .collect::<Option<_>>()?,
            memberships: self
                .memberships
                .iter()
                .map(|&(a, options)| Some((slot(a)?, options)))
                .collect::<Option<_>>()?,
            calls: self.calls.clone(),
            arguments: self
                .arguments
                .iter()
                .map(|&a| slot(a))
                .collect::<Option<_>>()?,
            whens: self.whens.iter().map(|&a| slot(a)).collect::<Option<_>>()?,
        })
    }
}

impl Ops<u16> {
    /// The same operations with `u32` operands.
    fn widen(&self) -> Ops<u32> {
        let slot = u32::from;
        Ops {
            runs: self.runs.clone(),
            compares: self
                .compares
                .iter()
                .map(|compare| Compare {
                    left: slot(compare.left),
                    right: slot(compare.right),
                    missing: compare.missing,
                })
                .collect(),
            unary: self.unary.iter().map(|&a| slot(a)).collect(),
            binary: self
                .binary
                .iter()
                .map(|&[a, b]| [slot(a), slot(b)])
                .collect(),
            memberships: self
                .memberships
                .iter()
                .map(|&(a, options)| (slot(a), options))
                .collect(),
            calls: self.calls.clone(),
            arguments: self.arguments.iter().map(|&a| slot(a)).collect(),
            whens: self.whens.iter().map(|&a| slot(a)).collect(),
        }
    }
}

/// A program's operations: narrow when all its values fit [`NARROW_SLOTS`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Code {
    Narrow(Ops<u16>),
    Wide(Ops<u32>),
}

impl Default for Code {
    fn default() -> Self {
        Code::Narrow(Ops::default())
    }
}

/// Every compiled expression of a rule set as one straight-line program. The compiler
/// hash-conses identical subexpressions, fuses leaf patterns (a question compared with
/// a constant, `coalesce` of a comparison and a constant, `not` of a comparison) into
/// one operation, and drops what no rule or condition reads.
///
/// The value vector holds the answers, the constants, then one value per operation.
/// Operations come in runs of one kind, ordered so that each reads only slots before
/// its own, and the evaluator computes each run in one tight loop.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Program {
    /// How many answer slots lead the value vector: one per question.
    pub questions: u32,
    /// The constants, in the slots after the answers.
    pub constants: Vec<f64>,
    /// The operations.
    pub code: Code,
    /// How many operations there are.
    pub op_count: usize,
    /// What the evaluator reads of each rule, in rule order.
    pub rules: Vec<RuleCode>,
    /// The rules whose condition is always 0 or 1, never unknown, a bit each in blocks
    /// of `usize::BITS` rules.
    pub known_whens: Vec<usize>,
    /// The tips of the rules, `rules[i].tips` each.
    pub rule_tips: Vec<TipIndex>,
    /// The rules that recommend exactly one tip with the default priority (they have no
    /// `priority`), a bit each in blocks of `usize::BITS` rules: firing one proposes its
    /// tip there and then, in any order, since the best of default priorities is the
    /// default whatever came first.
    pub single_tip_rules: Vec<usize>,
    /// Per rule, its tip where it is one of `single_tip_rules` (tip 0 otherwise), so that
    /// firing it reads no rule.
    pub single_tips: Vec<TipIndex>,
    /// What the evaluator reads of each tip, in tip order.
    pub tips: Vec<TipCode>,
    /// Per tip, the slot of its base rule's condition, or [`NO_SLOT`].
    pub bases: Vec<Slot>,
    /// Per tip, the slot of its own maturity question, or [`NO_SLOT`].
    pub maturities: Vec<Slot>,
    /// The tips that have a base rule, a bit each, in blocks of `usize::BITS` tips.
    pub based: Vec<usize>,
    /// The tips whose section has a quick-scan question, a bit each, in blocks of
    /// `usize::BITS` tips: a proposed tip outside them that applies is recommended on
    /// its own answer, whatever the answers.
    pub quickscanned: Vec<usize>,
    /// The tips with `applies` conditions, ascending.
    pub conditional: Vec<TipIndex>,
    /// Whether every tip's base rule, if it has one, is the rule of the same index.
    pub aligned: bool,
    /// The slots of the tips' `applies` conditions, `tips[i].conditions` each.
    pub conditions: Vec<Slot>,
    /// Whether any rule raises.
    pub raises: bool,
    /// Per question, by index, the numbers it takes, so that the common answers are
    /// checked without matching on the question's kind.
    pub answer_bounds: Vec<super::AnswerBounds>,
}

impl Program {
    /// A program of these answer slots, constants and operations (operands as slots,
    /// `whens` the slots of the rules' conditions), with narrow operands when every value
    /// fits [`NARROW_SLOTS`].
    pub fn new(questions: u32, constants: Vec<f64>, mut ops: Ops<Slot>) -> Self {
        ops.lay_out_calls();
        let op_count = ops.len();
        let slot_count = questions as usize + constants.len() + op_count;
        let narrow = (slot_count <= NARROW_SLOTS).then(|| ops.narrow()).flatten();
        Program {
            questions,
            constants,
            code: narrow.map_or(Code::Wide(ops), Code::Narrow),
            op_count,
            ..Program::default()
        }
    }

    /// Sets the slots of the rules' conditions, widening the operands should a slot
    /// not fit them (which a compiled program never does: every slot is below
    /// [`Program::slot_count`]).
    pub fn set_whens(&mut self, whens: Vec<Slot>) {
        match &mut self.code {
            Code::Narrow(ops) => match whens.iter().map(|&when| u16::narrow(when)).collect() {
                Some(narrow) => ops.whens = narrow,
                None => {
                    let mut wide = ops.widen();
                    wide.whens = whens;
                    self.code = Code::Wide(wide);
                }
            },
            Code::Wide(ops) => ops.whens = whens,
        }
    }

    /// The slot of the first operation.
    pub fn first_op_slot(&self) -> usize {
        self.questions as usize + self.constants.len()
    }

    /// How many slots the value vector has.
    pub fn slot_count(&self) -> usize {
        self.first_op_slot() + self.op_count
    }
}

/// Slot of nothing: reading it gives unknown.
pub(crate) const NO_SLOT: Slot = Slot::MAX;

/// A rule as the evaluator reads it, packed: derived from the rule set at compile time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RuleCode {
    /// The slot of its condition.
    pub when: Slot,
    /// The slot of its priority or amount, or [`NO_SLOT`] when it has none.
    pub priority: Slot,
    /// Whether it raises rather than recommends.
    pub raise: bool,
    /// Its tips, in [`Program::rule_tips`].
    pub tips: ArgumentRange,
}

/// A tip as the evaluator reads it, packed: derived from the rule set at compile time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TipCode {
    /// The slot of its own maturity question, or [`NO_SLOT`].
    pub maturity: Slot,
    /// The slot of its section's quick-scan question, or [`NO_SLOT`].
    pub quickscan: Slot,
    /// Its `applies` conditions, in [`Program::conditions`].
    pub conditions: ArgumentRange,
    /// Whether other tips build on it.
    pub foundation: bool,
}

/// A number no program compiled before in this process got: what tells a thread's
/// batch scratch (laid out for one program) that a rule set's program is another.
pub(crate) fn fresh_program_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::{Aggregate, ArgumentRange, Code, Kind, Op, Ops, Program, Run};
    use crate::eval::expr::{evaluate_program, Values};

    /// The Roadmap's program computes the same values with narrow operands on the fixed
    /// array as with wide ones on a vector, on answers of every level and missing ones.
    #[test]
    fn narrow_and_wide_operands_compute_the_same_values() {
        let ruleset = crate::ruleset::RuleSet::roadmap().unwrap().into_ruleset();
        let narrow = ruleset.program.clone();
        let Code::Narrow(ops) = &narrow.code else {
            panic!("the Roadmap's program has narrow operands");
        };
        let wide = Program {
            code: Code::Wide(ops.widen()),
            ..narrow.clone()
        };
        for seed in 0..6u32 {
            let answers: Vec<f64> = (0..narrow.questions)
                .map(|question| match (question * 7 + seed) % 6 {
                    5 => f64::NAN,
                    level => f64::from(level),
                })
                .collect();
            let (mut by_array, mut by_vector) = (Values::default(), Values::default());
            evaluate_program(&narrow, &answers, &mut by_array);
            evaluate_program(&wide, &answers, &mut by_vector);
            let slots = narrow.slot_count();
            let bits = |values: &Values| -> Vec<u64> {
                let slots = values.slots().get(..slots).unwrap_or_default();
                slots.iter().map(|value| value.to_bits()).collect()
            };
            assert_eq!(bits(&by_array), bits(&by_vector), "answers {seed}");
        }
    }

    /// Calls whose arguments lie out of call order in the table are laid out in call
    /// order, and the `avg` runs that read them as one stretch compute each call's mean
    /// of its own arguments.
    #[test]
    fn calls_are_laid_out_in_call_order() {
        let ops = Ops {
            runs: vec![
                Run {
                    kind: Kind::Avg2,
                    len: 1,
                },
                Run {
                    kind: Kind::Avg3,
                    len: 1,
                },
            ],
            calls: vec![
                ArgumentRange { start: 3, len: 2 },
                ArgumentRange { start: 0, len: 3 },
            ],
            arguments: vec![5, 6, 7, 1, 2],
            ..Ops::default()
        };
        assert!(!ops.calls_in_order());
        let first = ArgumentRange { start: 3, len: 2 };
        assert_eq!(Op::Call(Aggregate::Avg, first).kind(), Kind::Avg2);
        let program = Program::new(8, Vec::new(), ops);
        let Code::Narrow(laid_out) = &program.code else {
            panic!("a program of ten values has narrow operands");
        };
        assert!(laid_out.calls_in_order());
        assert_eq!(laid_out.arguments, vec![1, 2, 5, 6, 7]);
        let answers: Vec<f64> = (0..8).map(f64::from).collect();
        let mut values = Values::default();
        evaluate_program(&program, &answers, &mut values);
        assert_eq!(values.slots().get(8..10), Some(&[1.5, 6.0][..]));
    }
}
