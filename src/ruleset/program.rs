//! The compiled expressions: one straight-line program of typed operations over a vector
//! of values, in runs of one kind each so the evaluator dispatches once per run, not once
//! per operation.

use std::ops::Range;

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
    /// A comparison, see [`Compare`].
    Compare(Compare),
    /// Arithmetic.
    Arithmetic(ArithmeticOp, Slot, Slot),
    /// Membership of a choice value in a set of options (bit i = option i).
    In(Slot, u64),
    /// A function over the slots `arguments[range]`.
    Call(Aggregate, ArgumentRange),
}

/// A comparison: true when the bit of `mask` for how `left` orders against `right` is set
/// (bit 0 less, bit 1 equal, bit 2 greater); `missing` when either side is unknown (NaN,
/// or the default of a `coalesce` fused into the comparison).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Compare {
    pub left: Slot,
    pub right: Slot,
    pub missing: f64,
    pub mask: u8,
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
    Compare,
    Not,
    Negate,
    And,
    Or,
    Add,
    Subtract,
    Multiply,
    Divide,
    In,
    Avg,
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
            Op::Compare(_) => Kind::Compare,
            Op::Arithmetic(ArithmeticOp::Add, ..) => Kind::Add,
            Op::Arithmetic(ArithmeticOp::Subtract, ..) => Kind::Subtract,
            Op::Arithmetic(ArithmeticOp::Multiply, ..) => Kind::Multiply,
            Op::Arithmetic(ArithmeticOp::Divide, ..) => Kind::Divide,
            Op::In(..) => Kind::In,
            Op::Call(Aggregate::Avg, _) => Kind::Avg,
            Op::Call(Aggregate::Min, _) => Kind::Min,
            Op::Call(Aggregate::Max, _) => Kind::Max,
            Op::Call(Aggregate::Count, _) => Kind::Count,
            Op::Call(Aggregate::Answered, _) => Kind::Answered,
            Op::Call(Aggregate::Missing, _) => Kind::Missing,
            Op::Call(Aggregate::Coalesce, _) => Kind::Coalesce,
        }
    }
}

/// A run of operations of one kind; none of them reads the slot of another in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub kind: Kind,
    pub len: u32,
}

/// Every compiled expression of a rule set as one straight-line program. The compiler
/// hash-conses identical subexpressions, fuses leaf patterns (a question compared with
/// a constant, `coalesce` of a comparison and a constant, `not` of a comparison) into
/// one operation, and drops what no rule or condition reads.
///
/// The value vector holds the answers, the constants, then one value per operation.
/// Operations come in runs of one kind; each run's operations read only slots before the
/// run, so the evaluator computes each run in one tight loop. Operands are stored by
/// type: a run of `n` operations takes the next `n` entries of its kind's table.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Program {
    /// How many answer slots lead the value vector: one per question.
    pub questions: u32,
    /// The constants, in the slots after the answers.
    pub constants: Vec<f64>,
    /// The runs, in evaluation order.
    pub runs: Vec<Run>,
    /// Operands of comparisons.
    pub compares: Vec<Compare>,
    /// Operands of `not` and negation.
    pub unary: Vec<Slot>,
    /// Operands of `and`, `or` and arithmetic.
    pub binary: Vec<[Slot; 2]>,
    /// Operands of `in`: the choice and the options.
    pub memberships: Vec<(Slot, u64)>,
    /// Arguments of calls.
    pub calls: Vec<ArgumentRange>,
    /// The argument slots of calls.
    pub arguments: Vec<Slot>,
    /// What the evaluator reads of each rule, in rule order.
    pub rules: Vec<RuleCode>,
    /// The tips of the rules, `rules[i].tips` each.
    pub rule_tips: Vec<u32>,
    /// What the evaluator reads of each tip, in tip order.
    pub tips: Vec<TipCode>,
    /// The slots of the tips' `applies` conditions, `tips[i].conditions` each.
    pub conditions: Vec<Slot>,
    /// Whether any rule raises.
    pub raises: bool,
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
    /// The slot of its base rule's condition, or [`NO_SLOT`].
    pub base: Slot,
    /// The slot of its own maturity question, or [`NO_SLOT`].
    pub maturity: Slot,
    /// The slot of its section's quick-scan question, or [`NO_SLOT`].
    pub quickscan: Slot,
    /// Its `applies` conditions, in [`Program::conditions`].
    pub conditions: ArgumentRange,
    /// Whether other tips build on it.
    pub foundation: bool,
}

impl Program {
    /// A program with these answer slots and constants and no operation yet.
    pub fn new(questions: u32, constants: Vec<f64>) -> Self {
        Program {
            questions,
            constants,
            ..Program::default()
        }
    }

    /// The slot of the first operation.
    pub fn first_op_slot(&self) -> usize {
        self.questions as usize + self.constants.len()
    }

    /// How many operations there are.
    pub fn op_count(&self) -> usize {
        self.runs.iter().map(|run| run.len as usize).sum()
    }

    /// How many slots the value vector has.
    pub fn slot_count(&self) -> usize {
        self.first_op_slot() + self.op_count()
    }

    /// Appends an operation whose operands are slots, in the current run when `new_run`
    /// is false and the kind matches, else in a new one. Call arguments must already be
    /// in [`Program::arguments`].
    pub fn push(&mut self, op: Op, new_run: bool) {
        let kind = op.kind();
        match self.runs.last_mut() {
            Some(run) if !new_run && run.kind == kind => run.len += 1,
            _ => self.runs.push(Run { kind, len: 1 }),
        }
        match op {
            Op::Not(a) | Op::Negate(a) => self.unary.push(a),
            Op::And(a, b) | Op::Or(a, b) | Op::Arithmetic(_, a, b) => self.binary.push([a, b]),
            Op::Compare(compare) => self.compares.push(compare),
            Op::In(a, options) => self.memberships.push((a, options)),
            Op::Call(_, range) => self.calls.push(range),
        }
    }
}
