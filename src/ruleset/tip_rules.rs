//! Per tip, the rules that recommend or raise it: built once at compile time, so that
//! the advice finds a tip's reasons without scanning every fired rule per tip.

use super::{CompiledRule, RuleIndex, TipIndex};

/// The rules of every tip, in rule order, as one flat table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TipRules {
    /// Per tip, where its rules start in `rules`; one more entry than there are tips.
    starts: Vec<u32>,
    /// The rules of tip 0, then of tip 1, and so on.
    rules: Vec<RuleIndex>,
}

impl TipRules {
    /// The index of `rules` over `tips` tips.
    pub(crate) fn new(rules: &[CompiledRule], tips: usize) -> TipRules {
        let mut per_tip: Vec<Vec<RuleIndex>> = vec![Vec::new(); tips];
        for (index, rule) in RuleIndex::enumerate(rules) {
            for &tip in &rule.recommend {
                if let Some(list) = per_tip.get_mut(tip.index()) {
                    list.push(index);
                }
            }
        }
        let mut table = TipRules::default();
        table.starts.push(0);
        for list in per_tip {
            table.rules.extend(list);
            table
                .starts
                .push(u32::try_from(table.rules.len()).unwrap_or(u32::MAX));
        }
        table
    }

    /// The rules that recommend or raise `tip`, in rule order.
    pub fn of(&self, tip: TipIndex) -> &[RuleIndex] {
        let index = tip.index();
        let start = self.starts.get(index).copied().unwrap_or(0) as usize;
        let end = self.starts.get(index + 1).copied().unwrap_or(0) as usize;
        self.rules.get(start..end).unwrap_or_default()
    }
}
