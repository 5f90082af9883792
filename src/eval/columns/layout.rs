//! The block program: the compiled program rewritten for a block of programmes, each
//! slot kept where it is cheapest. A slot whose value is always 0, 1 or unknown (every
//! condition) is two bitsets, one bit per programme: true, and unknown; any other slot
//! is a column of [`BLOCK`](super::BLOCK) numbers. Each step reads its operands in the
//! form it needs, converting when a slot is kept in the other one.

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
