//! Bit work on blocks of [`BLOCK`] programmes: a predicate over a column packed into a
//! word with one bit per programme, and the 64 × 64 transpose that turns a word per
//! rule (a bit per programme) into a word per programme (a bit per rule).

use super::BLOCK;

/// Bit `lane` at index `lane`: what lane `lane` adds to a packed word.
static LANE_BITS: LaneBits = LaneBits(lane_bits());

/// [`BLOCK`] words aligned to 16 bytes, so that a packing loop reads two of them as
/// the memory operand of one `and` (SSE2 requires aligned memory operands) instead of
/// loading them first.
#[repr(align(16))]
struct LaneBits([u64; BLOCK]);

/// The words of [`LANE_BITS`].
#[expect(
    clippy::indexing_slicing,
    reason = "a constant: `lane` stays below BLOCK, and an index out of bounds would not compile"
)]
const fn lane_bits() -> [u64; BLOCK] {
    let mut bits = [0; BLOCK];
    let mut lane = 0;
    while lane < BLOCK {
        bits[lane] = 1 << lane;
        lane += 1;
    }
    bits
}

/// A word with bit `lane` set where `predicate` holds for `column[lane]`.
pub(super) fn pack(column: &[f64; BLOCK], predicate: impl Fn(f64) -> bool) -> u64 {
    let mut word = 0;
    // A lane's bit masked by all ones or all zeros and or-ed: one comparison, an `and`
    // and an `or` per lane, which the compiler does two or four lanes at a time.
    for (&value, &bit) in column.iter().zip(&LANE_BITS.0) {
        word |= bit & 0u64.wrapping_sub(u64::from(predicate(value)));
    }
    word
}

/// A word with bit `lane` set where `predicate` holds for the lane of both columns.
pub(super) fn pack2(
    left: &[f64; BLOCK],
    right: &[f64; BLOCK],
    predicate: impl Fn(f64, f64) -> bool,
) -> u64 {
    let mut word = 0;
    for ((&a, &b), &bit) in left.iter().zip(right).zip(&LANE_BITS.0) {
        word |= bit & 0u64.wrapping_sub(u64::from(predicate(a, b)));
    }
    word
}

/// Gathers the low bits of a word's eight bytes, each 0 or 1, into bits 56..64 (byte
/// `i` to bit `56 + i`): byte `i` times bit `56 - 7i` of the factor lands there, and no
/// two of the 64 products share a bit, so nothing carries.
const GATHER: u64 = 0x0102_0408_1020_4080;

/// A word with bit `lane` set where `predicate` holds for `column[lane]`, a column of
/// bytes: the predicate as a byte of 0 or 1 per lane (sixteen lanes to an SSE2
/// instruction), then eight lanes gathered into a byte by one multiply.
pub(super) fn pack_bytes(column: &[u8; BLOCK], predicate: impl Fn(u8) -> bool) -> u64 {
    let mut flags = [0u8; BLOCK];
    for (flag, &byte) in flags.iter_mut().zip(column) {
        *flag = u8::from(predicate(byte));
    }
    pack_flags(&flags)
}

/// A word with bit `lane` set where `flags[lane]` is 1 (every flag 0 or 1).
pub(super) fn pack_flags(flags: &[u8; BLOCK]) -> u64 {
    let mut word = 0;
    for (eighth, flags) in flags.chunks_exact(8).enumerate() {
        let flags = u64::from_le_bytes(flags.try_into().unwrap_or_default());
        word |= (flags.wrapping_mul(GATHER) >> 56) << (8 * eighth);
    }
    word
}

/// Bit `lane` of `word` as 0 or 1.
pub(super) fn bit(word: u64, lane: usize) -> u64 {
    (word >> (lane % BLOCK)) & 1
}

/// Transposes a 64 × 64 bit matrix in place: bit `c` of row `r` becomes bit `r` of row
/// `c`, by swapping ever smaller off-diagonal blocks (32, 16, ..., 1).
pub(super) fn transpose(rows: &mut [u64; 64]) {
    let mut width = 32;
    let mut mask: u64 = 0x0000_0000_FFFF_FFFF;
    while width != 0 {
        for pair in rows.chunks_exact_mut(2 * width) {
            let (low, high) = pair.split_at_mut(width);
            for (low, high) in low.iter_mut().zip(high) {
                let swap = ((*low >> width) ^ *high) & mask;
                *low ^= swap << width;
                *high ^= swap;
            }
        }
        width /= 2;
        mask ^= mask << width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packing_puts_lane_i_at_bit_i() {
        let mut column = [0.0; BLOCK];
        for lane in [0, 1, 7, 8, 33, 63] {
            column[lane] = 1.0;
        }
        let word = pack(&column, |value| value == 1.0);
        assert_eq!(word, 1 | 2 | 1 << 7 | 1 << 8 | 1 << 33 | 1 << 63);
        assert_eq!(pack(&column, f64::is_nan), 0);
        assert_eq!(pack2(&column, &column, |a, b| a == b), u64::MAX);
    }

    proptest! {
        #[test]
        fn packing_bytes_puts_lane_i_at_bit_i(
            bytes in prop::collection::vec(any::<u8>(), BLOCK),
            bound in any::<u8>(),
        ) {
            let mut column = [0u8; BLOCK];
            column.copy_from_slice(&bytes);
            let word = pack_bytes(&column, |byte| byte <= bound);
            for (lane, &byte) in bytes.iter().enumerate() {
                prop_assert_eq!(bit(word, lane) == 1, byte <= bound);
            }
        }

        #[test]
        fn transposing_moves_bit_c_of_row_r_to_bit_r_of_row_c(
            words in prop::collection::vec(any::<u64>(), 64)
        ) {
            let mut rows = [0u64; 64];
            rows.copy_from_slice(&words);
            transpose(&mut rows);
            for (r, &word) in words.iter().enumerate() {
                for (c, &row) in rows.iter().enumerate() {
                    prop_assert_eq!(bit(word, c), bit(row, r));
                }
            }
        }
    }
}
