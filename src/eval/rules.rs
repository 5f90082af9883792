//! Firing the rules: which conditions hold, and what a rule that fires proposes.

use super::evaluation::RowParts;
use super::expr::{Store, Values};
use super::{clamp_priority, SlotValues, DEFAULT_PRIORITY};
use crate::ruleset::{Code, Program, RuleCode, RuleSet, TipIndex, NO_SLOT};

/// Bits per block of rules.
pub(super) const BITS: usize = usize::BITS as usize;

/// What every rule's condition is, a bit per rule in blocks of [`BITS`], gathered
/// without a branch per rule (conditions depend on the answers, so a branch would be
/// mispredicted often).
#[derive(Debug, Default)]
pub(super) struct RuleScan {
    /// The condition is true: the rule fires.
    pub one: Vec<usize>,
    /// The condition is false.
    pub zero: Vec<usize>,
    /// The condition is unknown.
    pub unknown: Vec<usize>,
}

impl RuleScan {
    /// Scans the conditions of `program`'s rules in `values`.
    pub fn scan(&mut self, program: &Program, values: &Values) {
        self.one.clear();
        self.zero.clear();
        self.unknown.clear();
        let known = &program.known_whens;
        match (&program.code, values.narrow_array()) {
            (Code::Narrow(ops), Some(narrow)) => {
                self.scan_blocks(&ops.whens, known, |slot| narrow.get(slot));
            }
            (Code::Narrow(ops), None) => self.scan_blocks(&ops.whens, known, |slot| {
                Store::<u16>::get(values.wide(), slot)
            }),
            (Code::Wide(ops), _) => self.scan_blocks(&ops.whens, known, |slot| {
                Store::<u32>::get(values.wide(), slot)
            }),
        }
    }

    /// Scans blocks of conditions, reading a slot's value with `get`; in a block whose
    /// conditions are all always 0 or 1 (`known`), false is not true and none is
    /// unknown.
    fn scan_blocks<S: Copy>(&mut self, whens: &[S], known: &[usize], get: impl Fn(S) -> f64) {
        for (block, whens) in whens.chunks(BITS).enumerate() {
            let all = usize::MAX >> (BITS - whens.len());
            let (mut one, mut zero, mut unknown) = (0, 0, 0);
            if known.get(block).copied().unwrap_or(0) == all {
                // From the last rule of the block down, each shifting in its bit: a
                // shift by one and an add instead of a shift by the rule's place.
                for &when in whens.iter().rev() {
                    one = (one << 1) | known_truth(get(when));
                }
                zero = !one & all;
            } else {
                for (bit, &when) in whens.iter().enumerate() {
                    let condition = get(when);
                    one |= usize::from(condition == 1.0) << bit;
                    zero |= usize::from(condition == 0.0) << bit;
                    unknown |= usize::from(condition.is_nan()) << bit;
                }
            }
            self.one.push(one);
            self.zero.push(zero);
            self.unknown.push(unknown);
        }
    }
}

/// 1 if `condition`, one of +0, -0 and 1 (a condition that is never unknown), is 1,
/// else 0: of the three only 1 has bit 61 set (the second-highest bit of its
/// exponent), so a shift and a mask tell it without a floating-point comparison.
fn known_truth(condition: f64) -> usize {
    ((condition.to_bits() >> 61) & 1) as usize
}

impl RuleSet {
    /// Fires every rule whose condition is true: the scan's words are the fired
    /// rules' bits, and each fired rule's priority is written; a rule that recommends
    /// one tip with the default priority proposes it there and then
    /// ([`SingleTips::fire`]); then, in rule order, every other recommending rule proposes
    /// its tips (in `recommended`, for now) with its priority, a raising one adds its
    /// amount to `raised`.
    pub(super) fn fire_rules<V: SlotValues + ?Sized>(
        &self,
        scan: &RuleScan,
        values: &V,
        parts: &mut RowParts<'_>,
        raised: &mut [u32],
    ) {
        let single = &self.program.single_tip_rules;
        let words = scan.one.iter().zip(&mut *parts.fired);
        let words = words.zip(&mut *parts.priority_unknown);
        let bytes = parts.rule_priorities.chunks_mut(BITS);
        let mut tips = SingleTips {
            tips: self.program.single_tips.chunks(BITS),
            recommended: &mut *parts.recommended,
            priorities: &mut *parts.priorities,
        };
        for (block, (((&bits, fired), unknown), bytes)) in words.zip(bytes).enumerate() {
            *fired = bits;
            let single = bits & single.get(block).copied().unwrap_or(0);
            tips.fire(single, bytes);
            let mut rest = bits & !single;
            while rest != 0 {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                let index = block * BITS + bit;
                if let (Some(rule), Some(byte)) =
                    (self.program.rules.get(index), bytes.get_mut(bit))
                {
                    let priority = (rule.priority != NO_SLOT).then(|| values.value(rule.priority));
                    let (value, known) = fire(priority);
                    *byte = value;
                    *unknown |= usize::from(!known) << bit;
                }
            }
        }
        for (block, &bits) in scan.one.iter().enumerate() {
            let mut rest = bits & !single.get(block).copied().unwrap_or(0);
            while rest != 0 {
                let index = block * BITS + rest.trailing_zeros() as usize;
                rest &= rest - 1;
                let priority = parts.rule_priorities.get(index).copied().unwrap_or(0);
                if let Some(rule) = self.program.rules.get(index) {
                    self.propose(
                        rule,
                        priority,
                        (&mut *parts.priorities, &mut *parts.recommended),
                        raised,
                    );
                }
            }
        }
    }

    /// Proposes the tips of a fired rule with its priority, or raises them by it.
    fn propose(
        &self,
        rule: &RuleCode,
        priority: u8,
        (priorities, recommended): (&mut [u8], &mut [usize]),
        raised: &mut [u32],
    ) {
        let tips = self.program.rule_tips.get(rule.tips.range());
        let tips = tips.unwrap_or_default().iter().map(|&tip| tip.index());
        if rule.raise {
            for tip in tips {
                if let Some(sum) = raised.get_mut(tip) {
                    *sum += u32::from(priority);
                }
            }
        } else {
            for tip in tips {
                if let (Some(best), Some(word)) =
                    (priorities.get_mut(tip), recommended.get_mut(tip / BITS))
                {
                    *best = (*best).max(priority);
                    *word |= 1 << (tip % BITS);
                }
            }
        }
    }
}

/// The single-tip rules' tips, a block of rules at a time as the blocks fire, and the
/// recommended tips' words and priorities they propose in.
struct SingleTips<'p> {
    /// Per rule, its single tip ([`Program::single_tips`]), in blocks of [`BITS`].
    tips: std::slice::Chunks<'p, TipIndex>,
    /// The recommended tips' words.
    recommended: &'p mut [usize],
    /// The tips' priorities.
    priorities: &'p mut [u8],
}

impl SingleTips<'_> {
    /// Fires the single-tip rules `single` of the next block (`rule_priorities` its
    /// rules' priority bytes): each gets the default priority and proposes its tip with
    /// it, without reading the rule.
    fn fire(&mut self, single: usize, rule_priorities: &mut [u8]) {
        let Some(tips) = self.tips.next() else {
            return;
        };
        let mut rest = single;
        while rest != 0 {
            let bit = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let (Some(rule), Some(tip)) = (rule_priorities.get_mut(bit), tips.get(bit)) else {
                continue;
            };
            *rule = DEFAULT_PRIORITY;
            let tip = tip.index();
            if let (Some(best), Some(word)) = (
                self.priorities.get_mut(tip),
                self.recommended.get_mut(tip / BITS),
            ) {
                *best = (*best).max(DEFAULT_PRIORITY);
                *word |= 1 << (tip % BITS);
            }
        }
    }
}

/// A fired rule's priority from its priority value (`None` when the rule has no
/// `priority`), and whether it is known.
fn fire(priority: Option<f64>) -> (u8, bool) {
    match priority {
        None => (DEFAULT_PRIORITY, true),
        Some(value) if value.is_nan() => (0, false),
        Some(value) => (clamp_priority(value), true),
    }
}

#[cfg(test)]
mod tests {
    use super::known_truth;

    /// On the values of a condition that is never unknown, the bit is the comparison
    /// with 1.
    #[test]
    fn known_truth_is_equality_with_one_on_known_conditions() {
        for condition in [0.0, -0.0, 1.0] {
            assert_eq!(known_truth(condition), usize::from(condition == 1.0));
        }
    }
}
