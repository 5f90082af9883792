//! Running the block program: every step over all [`BLOCK`] programmes of a block at
//! once, numbers as one loop over a column, conditions as a few word operations.

use super::bits::{pack, pack2, pack_bytes, pack_flags};
use super::layout::{Layout, LevelTest, Missing, Place, Step};
use super::BLOCK;
use crate::eval::expr::{finite, select, truth};
use crate::eval::{LEVEL_MAX, UNKNOWN_LEVEL};
use crate::ruleset::{ArgumentRange, Kind};

/// One slot's value for every programme of a block, aligned to a cache line so that
/// eight lanes are one line.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
pub(super) struct Column(pub [f64; BLOCK]);

impl std::ops::Deref for Column {
    type Target = [f64; BLOCK];

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Column {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<'a> IntoIterator for &'a Column {
    type Item = &'a f64;
    type IntoIter = std::slice::Iter<'a, f64>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Column {
    type Item = &'a mut f64;
    type IntoIter = std::slice::IterMut<'a, f64>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

const UNKNOWN: f64 = f64::NAN;

/// One question's level codes ([`crate::eval::level_code`]) for every programme of a
/// block: one cache line, aligned to one, so that a block's code columns fill
/// consecutive lines (the number columns, 512 bytes apart, fall in a few cache sets
/// and evict one another as they are filled).
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
pub(super) struct Levels(pub [u8; BLOCK]);

/// What a number operand outside the columns reads (never, in a compiled program).
static UNKNOWN_COLUMN: Column = Column([UNKNOWN; BLOCK]);

/// What a level operand outside the code columns reads (never, in a compiled program).
static UNKNOWN_LEVELS: Levels = Levels([UNKNOWN_LEVEL; BLOCK]);

/// Per level code, the answer it stands for: the level, or unknown for any other code
/// (the byte program runs only on blocks whose level questions hold levels or unknown).
static WIDENED: [f64; 256] = widened();

/// The values of [`WIDENED`].
#[expect(
    clippy::indexing_slicing,
    reason = "a constant: `code` stays below 256, and an index out of bounds would not compile"
)]
const fn widened() -> [f64; 256] {
    let mut values = [UNKNOWN; 256];
    let mut code = 0;
    while code <= LEVEL_MAX as usize {
        values[code] = code as f64;
        code += 1;
    }
    values
}

/// A condition over a block: bit `i` for programme `i`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Bits {
    /// The condition is true.
    pub truth: u64,
    /// The condition is unknown (then its truth bit is clear).
    pub unknown: u64,
}

impl Bits {
    /// The bitsets read as a condition.
    fn reading(self) -> Reading {
        Reading {
            one: self.truth,
            zero: !self.truth & !self.unknown,
            unknown: self.unknown,
        }
    }
}

/// A slot read as a condition: which programmes have exactly 1, exactly 0, or unknown.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reading {
    pub one: u64,
    pub zero: u64,
    pub unknown: u64,
}

/// The values of one block of programmes.
#[derive(Debug, Default)]
pub(super) struct Block {
    /// The number columns: the answers, the constants, then numeric results.
    pub numbers: Vec<Column>,
    /// The bitsets of conditions.
    pub bits: Vec<Bits>,
    /// The answers' level codes, one column per question, where the layout has a byte
    /// program.
    pub levels: Vec<Levels>,
    /// Columns that bitsets read as numbers are spelled out into, one per operand.
    spares: Spares,
}

/// Two columns to spell bitsets out into, allocated once.
#[derive(Debug)]
struct Spares(Box<[Column; 2]>);

impl Default for Spares {
    fn default() -> Self {
        Spares(Box::new([UNKNOWN_COLUMN; 2]))
    }
}

impl Block {
    /// Sizes the block for `layout` and writes its constants' columns.
    pub fn prepare(&mut self, layout: &Layout) {
        self.numbers.resize(layout.numbers, UNKNOWN_COLUMN);
        self.bits.resize(layout.bits, Bits::default());
        let levels = layout.levels.as_ref().map_or(0, |_| layout.questions);
        self.levels.resize(levels, UNKNOWN_LEVELS);
        let constants = self.numbers.iter_mut().skip(layout.questions);
        for (column, &constant) in constants.zip(&layout.constants) {
            column.fill(constant);
        }
    }

    /// The values of `place` for programme `lane`.
    pub fn value(&self, place: Place, lane: usize) -> f64 {
        match place {
            Place::Number(index) => self
                .numbers
                .get(index as usize)
                .and_then(|column| column.get(lane))
                .copied()
                .unwrap_or(UNKNOWN),
            Place::Bits(index) => {
                let bits = self.bits.get(index as usize).copied().unwrap_or_default();
                let one = super::bits::bit(bits.truth, lane);
                select(
                    super::bits::bit(bits.unknown, lane) == 1,
                    UNKNOWN,
                    one as f64,
                )
            }
        }
    }

    /// The column of `place` if it is a number column.
    pub fn column(&self, place: Place) -> Option<&Column> {
        match place {
            Place::Number(index) => self.numbers.get(index as usize),
            Place::Bits(_) => None,
        }
    }

    /// `place` read as a condition, the way the row scan reads a rule's condition.
    pub fn reading(&self, place: Place) -> Reading {
        read_condition(&self.numbers, &self.bits, place)
    }

    /// Where `place` is unknown, a bit per programme.
    pub fn unknown(&self, place: Place) -> u64 {
        read_condition_unknown(&self.numbers, &self.bits, place)
    }

    /// Where `place` is at least `level`, a bit per programme.
    pub fn at_least(&mut self, place: Place, level: f64) -> u64 {
        let [spare, _] = &mut *self.spares.0;
        pack(number(&self.numbers, &self.bits, place, spare), |value| {
            value >= level
        })
    }

    /// Runs `steps`, [`Layout::steps`] or its byte program's, over the block.
    pub fn run(&mut self, layout: &Layout, steps: &[Step]) {
        for step in steps {
            self.step(layout, step);
        }
    }

    /// Writes the number columns of the level questions `questions` from their codes.
    pub fn widen(&mut self, questions: &[u32]) {
        for &question in questions {
            let codes = self.levels.get(question as usize);
            let column = self.numbers.get_mut(question as usize);
            if let (Some(codes), Some(column)) = (codes, column) {
                for (value, &code) in column.iter_mut().zip(&codes.0) {
                    *value = WIDENED.get(usize::from(code)).copied().unwrap_or(UNKNOWN);
                }
            }
        }
    }

    // Inlined into the loop of `run`, its one caller: a call per step costs the Roadmap's
    // blocks about 3 % more instructions.
    #[inline(always)]
    fn step(&mut self, layout: &Layout, step: &Step) {
        match *step {
            Step::CompareBits {
                kind,
                left,
                right,
                missing,
                out,
            } => {
                let [spare_left, spare_right] = &mut *self.spares.0;
                let a = number(&self.numbers, &self.bits, left, spare_left);
                let bits = match layout.constant(right) {
                    Some(constant) => {
                        let unknown = || match constant.is_nan() {
                            true => u64::MAX,
                            false => pack(a, f64::is_nan),
                        };
                        compare_result(holds_constant(kind, a, constant), unknown, missing)
                    }
                    None => {
                        let b = number(&self.numbers, &self.bits, right, spare_right);
                        let unknown = || pack2(a, b, |a, b| a.is_nan() | b.is_nan());
                        compare_result(holds_columns(kind, a, b), unknown, missing)
                    }
                };
                self.set_bits(out, bits);
            }
            Step::CompareConstant {
                kind,
                column,
                constant,
                missing,
                out,
            } => {
                let a = self.numbers.get(column as usize).unwrap_or(&UNKNOWN_COLUMN);
                let holds = holds_constant(kind, a, constant);
                let bits = missing_as(holds, || pack(a, f64::is_nan), missing);
                self.set_bits(out, bits);
            }
            Step::CompareLevel {
                test,
                question,
                missing,
                out,
            } => {
                let codes = self.levels.get(question as usize);
                let bits = compare_level(test, codes.unwrap_or(&UNKNOWN_LEVELS), missing);
                self.set_bits(out, bits);
            }
            Step::MeanLevels { arguments, out } => {
                let (sum, count) = level_sums(&self.levels, layout.arguments(arguments));
                if let Some(column) = self.numbers.get_mut(out as usize) {
                    for ((mean, &sum), &count) in column.iter_mut().zip(&sum).zip(&count) {
                        // Sums of small whole numbers are exact: the row's mean, bit for
                        // bit (0 / 0, NaN, where nothing is known).
                        *mean = f64::from(sum) / f64::from(count);
                    }
                }
            }
            Step::CompareMean {
                kind,
                constant,
                arguments,
                missing,
                out,
            } => {
                let (sum, count) = level_sums(&self.levels, layout.arguments(arguments));
                let bits = compare_mean(kind, constant, (&sum, &count), missing);
                self.set_bits(out, bits);
            }
            Step::LogicBits {
                kind,
                left,
                right,
                out,
            } => {
                let a = self.bits.get(left as usize).copied().unwrap_or_default();
                let b = self.bits.get(right as usize).copied().unwrap_or_default();
                self.set_bits(out, logic(kind, a.reading(), b.reading()));
            }
            Step::NotBits { operand, out } => {
                let a = self.bits.get(operand as usize).copied().unwrap_or_default();
                let not = Bits {
                    truth: !a.truth & !a.unknown,
                    unknown: a.unknown,
                };
                self.set_bits(out, not);
            }
            Step::Logic {
                kind,
                left,
                right,
                out,
            } => {
                let a = read_condition(&self.numbers, &self.bits, left);
                let b = read_condition(&self.numbers, &self.bits, right);
                self.set_bits(out, logic(kind, a, b));
            }
            Step::Coalesce2Bits { left, right, out } => {
                let a = self.bits.get(left as usize).copied().unwrap_or_default();
                let b = self.bits.get(right as usize).copied().unwrap_or_default();
                let first = Bits {
                    truth: a.truth | (a.unknown & b.truth),
                    unknown: a.unknown & b.unknown,
                };
                self.set_bits(out, first);
            }
            Step::In {
                operand,
                options,
                out,
            } => {
                let [spare, _] = &mut *self.spares.0;
                let a = number(&self.numbers, &self.bits, operand, spare);
                let unknown = pack(a, f64::is_nan);
                let member = pack(a, |option| (options >> (option as u32).min(63)) & 1 == 1);
                self.set_bits(
                    out,
                    Bits {
                        truth: member & !unknown,
                        unknown,
                    },
                );
            }
            Step::Presence {
                kind,
                arguments,
                out,
            } => {
                let bits = presence(&self.numbers, &self.bits, layout.arguments(arguments), kind);
                self.set_bits(out, bits);
            }
            Step::CoalesceBits { arguments, out } => {
                let mut first = Bits {
                    truth: 0,
                    unknown: u64::MAX,
                };
                for &place in layout.arguments(arguments) {
                    let a = read_condition(&self.numbers, &self.bits, place);
                    first.truth |= first.unknown & a.one;
                    first.unknown &= a.unknown;
                }
                self.set_bits(out, first);
            }
            Step::CompareNumber { out, .. }
            | Step::Unary { out, .. }
            | Step::Binary { out, .. }
            | Step::Aggregate { out, .. } => self.number_step(layout, step, out),
        }
    }

    fn set_bits(&mut self, out: u32, bits: Bits) {
        if let Some(slot) = self.bits.get_mut(out as usize) {
            *slot = bits;
        }
    }

    /// A step that writes number column `out`, reading only the columns before it.
    fn number_step(&mut self, layout: &Layout, step: &Step, out: u32) {
        let split = (out as usize).min(self.numbers.len());
        let (before, after) = self.numbers.split_at_mut(split);
        let Some(column) = after.first_mut() else {
            return;
        };
        let mut operands = Operands {
            before,
            bits: &self.bits,
            spares: &mut self.spares.0,
        };
        match *step {
            Step::CompareNumber {
                kind,
                left,
                right,
                missing,
                ..
            } => operands.compare(column, kind, [left, right], missing),
            Step::Unary { kind, operand, .. } => operands.unary(column, kind, operand),
            Step::Binary {
                kind, left, right, ..
            } => operands.binary(column, kind, [left, right]),
            Step::Aggregate {
                kind, arguments, ..
            } => operands.aggregate(column, kind, layout.arguments(arguments)),
            _ => {}
        }
    }
}

impl Layout {
    /// The value of `place` if it is a constant's column.
    pub(super) fn constant(&self, place: Place) -> Option<f64> {
        match place {
            Place::Number(index) => {
                let index = (index as usize).checked_sub(self.questions)?;
                self.constants.get(index).copied()
            }
            Place::Bits(_) => None,
        }
    }

    /// The places of a call's arguments.
    pub(super) fn arguments(&self, range: ArgumentRange) -> &[Place] {
        self.arguments.get(range.range()).unwrap_or_default()
    }
}

/// The column of `place`: a number column among `numbers`, or bitsets spelled out as
/// 0, 1 and unknown into `spare`.
fn number<'a>(
    numbers: &'a [Column],
    bits: &[Bits],
    place: Place,
    spare: &'a mut Column,
) -> &'a Column {
    match place {
        Place::Number(index) => numbers.get(index as usize).unwrap_or(&UNKNOWN_COLUMN),
        Place::Bits(index) => {
            let bits = bits.get(index as usize).copied().unwrap_or_default();
            for (lane, value) in spare.iter_mut().enumerate() {
                let one = ((bits.truth >> lane) & 1) as f64;
                *value = select((bits.unknown >> lane) & 1 == 1, UNKNOWN, one);
            }
            spare
        }
    }
}

/// `place` read as a condition.
fn read_condition(numbers: &[Column], bits: &[Bits], place: Place) -> Reading {
    match place {
        Place::Bits(index) => bits
            .get(index as usize)
            .copied()
            .unwrap_or_default()
            .reading(),
        Place::Number(index) => {
            let column = numbers.get(index as usize).unwrap_or(&UNKNOWN_COLUMN);
            Reading {
                one: pack(column, |value| value == 1.0),
                zero: pack(column, |value| value == 0.0),
                unknown: pack(column, f64::is_nan),
            }
        }
    }
}

/// A comparison into bitsets from where it holds (never where a side is unknown):
/// where a side is unknown, `missing` (0, 1 or unknown) instead. Where a side is
/// unknown is only computed when `missing` is not 0.
fn compare_result(holds: u64, unknown: impl Fn() -> u64, missing: f64) -> Bits {
    if missing == 0.0 {
        return Bits {
            truth: holds,
            unknown: 0,
        };
    }
    let unknown = unknown();
    match missing == 1.0 {
        true => Bits {
            truth: holds | unknown,
            unknown: 0,
        },
        false => Bits {
            truth: holds,
            unknown,
        },
    }
}

/// Where `a kind b` holds and neither side is unknown, a bit per lane. (Every
/// comparison with NaN is false but `!=`, which is therefore `<` or `>`.)
fn holds_columns(kind: Kind, a: &Column, b: &Column) -> u64 {
    match kind {
        Kind::Less => pack2(a, b, |a, b| a < b),
        Kind::LessOrEqual => pack2(a, b, |a, b| a <= b),
        Kind::Equal => pack2(a, b, |a, b| a == b),
        Kind::NotEqual => pack2(a, b, |a, b| (a < b) | (a > b)),
        Kind::GreaterOrEqual => pack2(a, b, |a, b| a >= b),
        _ => pack2(a, b, |a, b| a > b),
    }
}

/// [`holds_columns`] against a constant.
fn holds_constant(kind: Kind, a: &Column, b: f64) -> u64 {
    match kind {
        Kind::Less => pack(a, |a| a < b),
        Kind::LessOrEqual => pack(a, |a| a <= b),
        Kind::Equal => pack(a, |a| a == b),
        Kind::NotEqual => pack(a, |a| (a < b) | (a > b)),
        Kind::GreaterOrEqual => pack(a, |a| a >= b),
        _ => pack(a, |a| a > b),
    }
}

/// [`Step::CompareLevel`]: where `test` passes, and `missing` where the code is
/// unknown (a code column holds levels and unknown only).
fn compare_level(test: LevelTest, Levels(codes): &Levels, missing: Missing) -> Bits {
    let holds = match test {
        LevelTest::Never => 0,
        LevelTest::AtMost(bound) => pack_bytes(codes, |code| code <= bound),
        LevelTest::AtLeast(bound) => pack_bytes(codes, |code| (bound..=LEVEL_MAX).contains(&code)),
        LevelTest::Is(only) => pack_bytes(codes, |code| code == only),
        LevelTest::IsNot(other) => pack_bytes(codes, |code| code != other && code <= LEVEL_MAX),
    };
    let unknown = || pack_bytes(codes, |code| code > LEVEL_MAX);
    missing_as(holds, unknown, missing)
}

/// A comparison's bitsets from the lanes where it holds and, read only when `missing`
/// needs them, the lanes whose operands are unknown.
fn missing_as(holds: u64, unknown: impl FnOnce() -> u64, missing: Missing) -> Bits {
    match missing {
        Missing::False => Bits {
            truth: holds,
            unknown: 0,
        },
        Missing::True => Bits {
            truth: holds | unknown(),
            unknown: 0,
        },
        Missing::Unknown => Bits {
            truth: holds,
            unknown: unknown(),
        },
    }
}

/// Per lane, the sum of the known levels of the level questions `arguments` and how
/// many are known (a code column holds levels and unknown only: a level's code is
/// itself, below bit 7, unknown's is bit 7 alone).
fn level_sums(levels: &[Levels], arguments: &[Place]) -> ([i16; BLOCK], [i16; BLOCK]) {
    let mut sum = [0; BLOCK];
    let mut count = [0; BLOCK];
    for &place in arguments {
        let codes = match place {
            Place::Number(question) => levels.get(question as usize),
            Place::Bits(_) => None,
        };
        let codes = codes.unwrap_or(&UNKNOWN_LEVELS);
        for ((sum, count), &code) in sum.iter_mut().zip(&mut count).zip(&codes.0) {
            *sum += i16::from(code & !UNKNOWN_LEVEL);
            *count += i16::from((code >> 7) ^ 1);
        }
    }
    (sum, count)
}

/// [`Step::CompareMean`]: where `sum / count kind constant` for a count above 0, by
/// `sum kind constant × count`; `missing` where the count is 0 (the mean unknown).
fn compare_mean(
    kind: Kind,
    constant: i16,
    (sum, count): (&[i16; BLOCK], &[i16; BLOCK]),
    missing: Missing,
) -> Bits {
    let holds = match kind {
        Kind::Less => mean_flags(sum, count, constant, |s, p| s < p),
        Kind::LessOrEqual => mean_flags(sum, count, constant, |s, p| s <= p),
        Kind::Equal => mean_flags(sum, count, constant, |s, p| s == p),
        Kind::NotEqual => mean_flags(sum, count, constant, |s, p| s != p),
        Kind::GreaterOrEqual => mean_flags(sum, count, constant, |s, p| s >= p),
        _ => mean_flags(sum, count, constant, |s, p| s > p),
    };
    let unknown = || {
        let mut flags = [0; BLOCK];
        for (flag, &count) in flags.iter_mut().zip(count) {
            *flag = u8::from(count == 0);
        }
        pack_flags(&flags)
    };
    missing_as(holds, unknown, missing)
}

/// Where the count is above 0 and `holds(sum, constant × count)`, a bit per lane.
fn mean_flags(
    sum: &[i16; BLOCK],
    count: &[i16; BLOCK],
    constant: i16,
    holds: impl Fn(i16, i16) -> bool,
) -> u64 {
    let mut flags = [0; BLOCK];
    for ((flag, &sum), &count) in flags.iter_mut().zip(sum).zip(count) {
        *flag = u8::from((count != 0) & holds(sum, constant * count));
    }
    pack_flags(&flags)
}

/// Kleene `and` and `or`, and their forms for operands that are never unknown, exactly
/// as the row evaluator computes them: `and` counts any known value other than 0 as
/// true, `or` only 1.
fn logic(kind: Kind, a: Reading, b: Reading) -> Bits {
    match kind {
        Kind::And => {
            let false_ = a.zero | b.zero;
            let unknown = !false_ & (a.unknown | b.unknown);
            Bits {
                truth: !false_ & !unknown,
                unknown,
            }
        }
        Kind::Or => {
            let truth = a.one | b.one;
            Bits {
                truth,
                unknown: !truth & (a.unknown | b.unknown),
            }
        }
        Kind::KnownAnd => Bits {
            truth: !a.zero & !b.zero,
            unknown: 0,
        },
        _ => Bits {
            truth: a.one | b.one,
            unknown: 0,
        },
    }
}

/// `answered` (any argument known) or `missing` (every argument unknown).
fn presence(numbers: &[Column], bits: &[Bits], arguments: &[Place], kind: Kind) -> Bits {
    let mut answered = 0;
    let mut missing = u64::MAX;
    for &place in arguments {
        let unknown = read_condition_unknown(numbers, bits, place);
        answered |= !unknown;
        missing &= unknown;
    }
    let truth = if kind == Kind::Answered {
        answered
    } else {
        missing
    };
    Bits { truth, unknown: 0 }
}

/// Where `place` is unknown.
fn read_condition_unknown(numbers: &[Column], bits: &[Bits], place: Place) -> u64 {
    match place {
        Place::Bits(index) => bits.get(index as usize).map_or(u64::MAX, |b| b.unknown),
        Place::Number(index) => pack(
            numbers.get(index as usize).unwrap_or(&UNKNOWN_COLUMN),
            f64::is_nan,
        ),
    }
}

/// The operands of a step that writes a number column: the number columns before it
/// and the bitsets.
struct Operands<'a> {
    before: &'a [Column],
    bits: &'a [Bits],
    spares: &'a mut [Column; 2],
}

impl Operands<'_> {
    /// Calls `read` with the column of `place`.
    fn with<R>(&mut self, place: Place, read: impl FnOnce(&Column) -> R) -> R {
        let [spare, _] = &mut *self.spares;
        read(number(self.before, self.bits, place, spare))
    }

    /// Calls `read` with the columns of `left` and `right`.
    fn with2<R>(
        &mut self,
        [left, right]: [Place; 2],
        read: impl FnOnce(&Column, &Column) -> R,
    ) -> R {
        let [spare_left, spare_right] = &mut *self.spares;
        let a = number(self.before, self.bits, left, spare_left);
        let b = number(self.before, self.bits, right, spare_right);
        read(a, b)
    }

    fn compare(&mut self, out: &mut Column, kind: Kind, places: [Place; 2], missing: f64) {
        self.with2(places, |a, b| {
            let op: fn(f64, f64) -> bool = match kind {
                Kind::Less => |a, b| a < b,
                Kind::LessOrEqual => |a, b| a <= b,
                Kind::Equal => |a, b| a == b,
                Kind::NotEqual => |a, b| a != b,
                Kind::GreaterOrEqual => |a, b| a >= b,
                _ => |a, b| a > b,
            };
            for ((value, &a), &b) in out.iter_mut().zip(a).zip(b) {
                *value = select(a.is_nan() | b.is_nan(), missing, truth(op(a, b)));
            }
        });
    }

    fn unary(&mut self, out: &mut Column, kind: Kind, operand: Place) {
        self.with(operand, |a| {
            if kind == Kind::Not {
                elementwise(out, a, |a| 1.0 - a);
            } else {
                elementwise(out, a, |a| -a);
            }
        });
    }

    fn binary(&mut self, out: &mut Column, kind: Kind, places: [Place; 2]) {
        self.with2(places, |a, b| match kind {
            Kind::Coalesce2 => pairwise(out, a, b, |a, b| select(a.is_nan(), b, a)),
            Kind::Add => pairwise(out, a, b, |a, b| finite_lane(a + b)),
            Kind::Subtract => pairwise(out, a, b, |a, b| finite_lane(a - b)),
            Kind::Multiply => pairwise(out, a, b, |a, b| finite_lane(a * b)),
            Kind::Divide => pairwise(out, a, b, |a, b| finite_lane(a / b)),
            Kind::UncheckedAdd => pairwise(out, a, b, |a, b| a + b),
            Kind::UncheckedSubtract => pairwise(out, a, b, |a, b| a - b),
            Kind::UncheckedMultiply => pairwise(out, a, b, |a, b| a * b),
            Kind::UncheckedDivide => pairwise(out, a, b, |a, b| a / b),
            // The layout gives a number step no other binary kind.
            _ => out.fill(UNKNOWN),
        });
    }

    fn aggregate(&mut self, out: &mut Column, kind: Kind, arguments: &[Place]) {
        match kind {
            Kind::Avg => self.avg(out, arguments),
            Kind::Min => self.fold(out, arguments, UNKNOWN, f64::min),
            Kind::Max => self.fold(out, arguments, UNKNOWN, f64::max),
            Kind::Count => self.fold(out, arguments, 0.0, |n, v| n + truth(!v.is_nan())),
            _ => self.fold(out, arguments, UNKNOWN, |first, v| {
                select(first.is_nan(), v, first)
            }),
        }
    }

    /// Folds every argument column into `out` lane by lane, starting from `start`.
    fn fold(
        &mut self,
        out: &mut Column,
        arguments: &[Place],
        start: f64,
        combine: fn(f64, f64) -> f64,
    ) {
        out.fill(start);
        for &place in arguments {
            self.with(place, |a| {
                for (value, &a) in out.iter_mut().zip(a) {
                    *value = combine(*value, a);
                }
            });
        }
    }

    /// The mean of the known arguments per lane, as the row evaluator's `avg` computes
    /// it: the same additions in the same order, and the same fallback when the sum
    /// overflows.
    fn avg(&mut self, out: &mut Column, arguments: &[Place]) {
        let overflowed = match number_columns(self.before, arguments) {
            Some((columns, len)) => mean_by_chunks(out, columns.get(..len).unwrap_or_default()),
            None => self.mean_by_columns(out, arguments),
        };
        if overflowed {
            self.divided_first(out, arguments);
        }
    }

    /// [`mean_by_chunks`] for arguments some of which are bitsets, spelled out column by
    /// column; whether a lane's sum overflowed.
    fn mean_by_columns(&mut self, out: &mut Column, arguments: &[Place]) -> bool {
        let mut count = [0.0; BLOCK];
        out.fill(0.0);
        for &place in arguments {
            self.with(place, |a| {
                for ((sum, count), &a) in out.iter_mut().zip(&mut count).zip(a) {
                    let known = known_mask(a);
                    *sum += f64::from_bits(a.to_bits() & known);
                    *count += f64::from_bits(ONE_BITS & known);
                }
            });
        }
        let mut overflowed = 0;
        for (sum, &count) in out.iter_mut().zip(&count) {
            overflowed |= u64::from(!sum.is_finite());
            *sum = select(count == 0.0, UNKNOWN, *sum / count);
        }
        overflowed != 0
    }

    /// For the lanes whose sum overflowed: the mean of the known arguments, each
    /// divided by the count before adding.
    fn divided_first(&mut self, out: &mut Column, arguments: &[Place]) {
        let mut count = [0.0; BLOCK];
        for &place in arguments {
            self.with(place, |a| {
                for (count, &a) in count.iter_mut().zip(a) {
                    *count += truth(!a.is_nan());
                }
            });
        }
        let mut means = [0.0; BLOCK];
        for &place in arguments {
            self.with(place, |a| {
                for ((mean, &a), &count) in means.iter_mut().zip(a).zip(&count) {
                    *mean += select(!a.is_nan(), a / count, 0.0);
                }
            });
        }
        for ((value, &mean), &count) in out.iter_mut().zip(&means).zip(&count) {
            if !value.is_finite() && count > 0.0 {
                *value = finite(mean);
            }
        }
    }
}

/// Lanes the mean sums at a time, its sums and counts kept in registers.
const CHUNK: usize = 8;

/// Most arguments whose columns [`mean_by_chunks`] reads.
const CHUNKED_ARGUMENTS: usize = 8;

/// The bits of `1.0`.
const ONE_BITS: u64 = 0x3FF0_0000_0000_0000;

/// All ones where `value` is known, else zero.
fn known_mask(value: f64) -> u64 {
    0u64.wrapping_sub(u64::from(!value.is_nan()))
}

/// The columns of `arguments` and how many there are, when every one is a number
/// column and there are at most [`CHUNKED_ARGUMENTS`].
fn number_columns<'a>(
    before: &'a [Column],
    arguments: &[Place],
) -> Option<([&'a Column; CHUNKED_ARGUMENTS], usize)> {
    let mut columns = [&UNKNOWN_COLUMN; CHUNKED_ARGUMENTS];
    if arguments.len() > CHUNKED_ARGUMENTS {
        return None;
    }
    for (column, &place) in columns.iter_mut().zip(arguments) {
        let Place::Number(index) = place else {
            return None;
        };
        *column = before.get(index as usize).unwrap_or(&UNKNOWN_COLUMN);
    }
    Some((columns, arguments.len()))
}

/// Lanes `start..start + CHUNK` of `column`.
fn chunk_of(column: &Column, start: usize) -> Option<&[f64; CHUNK]> {
    column
        .get(start..start + CHUNK)
        .and_then(|chunk| chunk.try_into().ok())
}

/// The mean of the known values of `columns` per lane into `out` (unknown where none
/// is known), [`CHUNK`] lanes at a time with every column's additions in order, which
/// the compiler keeps in registers two lanes to an instruction; whether a lane's sum
/// overflowed. A lane where nothing is known divides its sum, +0, by its count, 0:
/// NaN, of whatever sign the machine gives (every reader of a block's values asks
/// only whether one is NaN), with no select per lane.
fn mean_by_chunks(out: &mut Column, columns: &[&Column]) -> bool {
    let mut overflowed = 0;
    for (index, out) in out.chunks_exact_mut(CHUNK).enumerate() {
        let mut sum = [0.0; CHUNK];
        let mut count = [0.0; CHUNK];
        for column in columns {
            let Some(chunk) = chunk_of(column, index * CHUNK) else {
                continue;
            };
            for ((sum, count), &value) in sum.iter_mut().zip(&mut count).zip(chunk) {
                // The value or +0.0, and 1.0 or +0.0, by masks rather than a
                // select the compiler would turn into a branch per lane.
                let known = known_mask(value);
                *sum += f64::from_bits(value.to_bits() & known);
                *count += f64::from_bits(ONE_BITS & known);
            }
        }
        for ((out, &sum), &count) in out.iter_mut().zip(&sum).zip(&count) {
            overflowed |= u64::from(!sum.is_finite());
            *out = sum / count;
        }
    }
    overflowed != 0
}

/// [`finite`] as a loop over lanes does it cheapest: `result - result` is +0 exactly
/// when `result` is finite (infinities and NaN give NaN), one subtraction and one
/// comparison instead of the exponent test on each lane's high word.
#[expect(
    clippy::eq_op,
    reason = "`result - result` is the finiteness test: +0 for a finite result, else NaN"
)]
fn finite_lane(result: f64) -> f64 {
    select(result - result == 0.0, result, UNKNOWN)
}

fn elementwise(out: &mut Column, a: &Column, op: impl Fn(f64) -> f64) {
    for (value, &a) in out.iter_mut().zip(a) {
        *value = op(a);
    }
}

fn pairwise(out: &mut Column, a: &Column, b: &Column, op: impl Fn(f64, f64) -> f64) {
    for ((value, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *value = op(a, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::test_values::value;
    use proptest::prelude::*;

    /// The row evaluator's `avg` of one lane's values.
    fn row_mean(values: &[f64]) -> f64 {
        let known: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        if known.is_empty() {
            return UNKNOWN;
        }
        let count = known.len() as f64;
        let sum: f64 = known.iter().fold(0.0, |sum, &v| sum + v);
        if sum.is_finite() {
            return sum / count;
        }
        finite(known.iter().fold(0.0, |mean, &v| mean + v / count))
    }

    #[test]
    fn finite_lane_is_finite() {
        let values = [0.0, -0.0, 1.5, -1e308, f64::MAX, f64::MIN_POSITIVE / 4.0];
        let specials = [f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        for value in values.into_iter().chain(specials) {
            assert_eq!(finite_lane(value).to_bits(), finite(value).to_bits());
        }
    }

    #[test]
    fn widening_gives_each_level_and_unknown() {
        let mut codes = [UNKNOWN_LEVEL; BLOCK];
        for (lane, code) in codes
            .iter_mut()
            .enumerate()
            .filter(|(lane, _)| lane % 3 != 0)
        {
            *code = (lane * 5 % 64) as u8;
        }
        let mut block = Block {
            levels: vec![Levels(codes)],
            numbers: vec![Column([-1.0; BLOCK])],
            ..Block::default()
        };
        block.widen(&[0]);
        for (lane, &value) in block.numbers[0].iter().enumerate() {
            let expected = widened_lane(&block.levels[0], lane);
            assert!(value.to_bits() == expected.to_bits() || (value.is_nan() && expected.is_nan()));
            assert_eq!(value.is_nan(), lane % 3 == 0, "lane {lane}");
        }
    }

    /// A code column of levels and unknown.
    fn codes() -> impl Strategy<Value = Levels> {
        let code = prop_oneof![0..=LEVEL_MAX, 0..=4u8, Just(UNKNOWN_LEVEL)];
        prop::collection::vec(code, BLOCK).prop_map(|codes| Levels(codes.try_into().unwrap()))
    }

    /// The codes' lane `lane` as the number columns hold it.
    fn widened_lane(codes: &Levels, lane: usize) -> f64 {
        let code = codes.0[lane];
        if code > LEVEL_MAX {
            UNKNOWN
        } else {
            f64::from(code)
        }
    }

    proptest! {
        #[test]
        fn means_of_levels_are_the_row_means_and_compare_as_they_do(
            levels in prop::collection::vec(codes(), 1..=6),
            kind in prop::sample::select(vec![
                Kind::Less,
                Kind::LessOrEqual,
                Kind::Equal,
                Kind::NotEqual,
                Kind::GreaterOrEqual,
                Kind::Greater,
            ]),
            constant in prop_oneof![(-3..=70i32).prop_map(f64::from), Just(-0.0), Just(1e300)],
            missing in prop::sample::select(vec![Missing::False, Missing::True, Missing::Unknown]),
        ) {
            let places: Vec<Place> = (0..levels.len() as u32).map(Place::Number).collect();
            let (sum, count) = level_sums(&levels, &places);
            let bound = constant.clamp(-1.0, f64::from(LEVEL_MAX) + 1.0) as i16;
            let bits = compare_mean(kind, bound, (&sum, &count), missing);
            for lane in 0..BLOCK {
                let row: Vec<f64> = levels.iter().map(|codes| widened_lane(codes, lane)).collect();
                let mean = row_mean(&row);
                let ours = f64::from(sum[lane]) / f64::from(count[lane]);
                let same = ours.to_bits() == mean.to_bits() || (ours.is_nan() && mean.is_nan());
                prop_assert!(same, "lane {}: {} against the row's {}", lane, ours, mean);
                let a = Column([mean; BLOCK]);
                let expected = match missing {
                    Missing::False => compare_result(holds_constant(kind, &a, constant), || pack(&a, f64::is_nan), 0.0),
                    Missing::True => compare_result(holds_constant(kind, &a, constant), || pack(&a, f64::is_nan), 1.0),
                    Missing::Unknown => compare_result(holds_constant(kind, &a, constant), || pack(&a, f64::is_nan), UNKNOWN),
                };
                prop_assert_eq!(super::super::bits::bit(bits.truth, lane), expected.truth & 1, "lane {}", lane);
                prop_assert_eq!(super::super::bits::bit(bits.unknown, lane), expected.unknown & 1, "lane {}", lane);
            }
        }

        #[test]
        fn the_mean_of_columns_is_the_row_mean_of_each_lane(
            values in prop::collection::vec(value(), BLOCK * 10),
            arguments in 1..=10usize,
            as_bits in any::<bool>(),
        ) {
            let mut numbers: Vec<Column> = values
                .chunks_exact(BLOCK)
                .map(|chunk| Column(chunk.try_into().unwrap()))
                .collect();
            numbers.push(UNKNOWN_COLUMN);
            let mut places: Vec<Place> = (0..arguments as u32).map(Place::Number).collect();
            let bits = [Bits { truth: 0xF0F0, unknown: 0xFF00_0000 }];
            if as_bits {
                places.push(Place::Bits(0));
            }
            let (before, after) = numbers.split_at_mut(10);
            let mut spares = [UNKNOWN_COLUMN; 2];
            let mut operands = Operands { before, bits: &bits, spares: &mut spares };
            let out = &mut after[0];
            operands.avg(out, &places);
            for (lane, &mean) in out.iter().enumerate() {
                let mut row: Vec<f64> = (0..arguments).map(|a| values[a * BLOCK + lane]).collect();
                if as_bits {
                    let one = ((bits[0].truth >> lane) & 1) as f64;
                    row.push(if (bits[0].unknown >> lane) & 1 == 1 { UNKNOWN } else { one });
                }
                // The same bits, or both NaN (which NaN does not matter to any reader).
                let row = row_mean(&row);
                let same = mean.to_bits() == row.to_bits() || (mean.is_nan() && row.is_nan());
                prop_assert!(same, "lane {}: {} against the row's {}", lane, mean, row);
            }
        }
    }
}
