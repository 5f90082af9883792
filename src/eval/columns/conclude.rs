//! Firing the rules and settling the tips of a block by words: a rule fires in the
//! programmes whose condition word is true, a tip is proposed in the `or` of its
//! recommending rules' firing words, and its status is a few word operations on what
//! its base rule, own answer, quick scan and `applies` conditions say over the block.
//! Per programme only the fired rules' words (64 × 64 transposes) and priorities, the
//! statuses other than clear, the recommended tips' priorities and the tip bitsets'
//! words are written out, exactly as [`RuleSet::evaluate`] writes them one programme
//! at a time.

use super::bits::{pack, transpose};
use super::layout::{Layout, Place};
use super::run::Block;
use super::BLOCK;
use crate::eval::evaluation::RowParts;
use crate::eval::{clamp_priority, Evaluation, TipStatus, Unknown, DEFAULT_PRIORITY};
use crate::ruleset::{Program, TipIndex, NO_SLOT};

/// One lane's byte per programme of a block.
type Bytes = [u8; BLOCK];

/// Where a rule's priority comes from.
#[derive(Debug, Clone, Copy)]
enum Priority {
    /// The same for every programme: the value, and whether it is known.
    Fixed(u8, bool),
    /// Read per programme from this place.
    Read(Place),
}

/// What firing and settling read of the program, laid out once per batch.
#[derive(Debug, Default)]
pub(super) struct Conclusions {
    /// Per rule, where its priority comes from.
    priorities: Vec<Priority>,
    /// Per tip, the places of its own question and its section's quick scan (`None`
    /// where it has none).
    answers: Vec<(Option<Place>, Option<Place>)>,
    /// Per tip, the place of its own maturity answer (`None` where it has none).
    maturities: Vec<Option<Place>>,
    /// Per tip, the place of its base rule's condition (`None` where it has none;
    /// unused when the program is aligned).
    bases: Vec<Option<Place>>,
    /// Per tip with conditions (`Program::conditional`), the places of its `applies`
    /// conditions, in `conditions`.
    conditional: Vec<(TipIndex, std::ops::Range<usize>)>,
    /// The places of the `applies` conditions.
    conditions: Vec<Place>,
    /// The tips some raising rule raises, ascending, once each.
    raised_tips: Vec<usize>,
    /// The rules whose priority is read per programme ([`Priority::Read`]).
    read_rules: Vec<usize>,
    /// Per rule its fixed priority (0 for a priority read per programme): what every
    /// programme's priorities of the fired rules start from.
    fixed_row: Vec<u8>,
    /// Per tip its fixed priority ([`tip_fixed`]) as a byte (0 for none), padded to
    /// whole groups of [`BLOCK`] tips: what a programme's recommended tips' priorities
    /// are written from, eight at a time.
    fixed_bytes: Vec<u8>,
    /// Per group of [`BLOCK`] tips, a bit per tip whose priority is read per programme
    /// ([`tip_fixed`] is `None`).
    variable: Vec<u64>,
    /// What the rules propose, as (rule, tip) pairs in rule order ([`Proposals`]).
    proposals: Proposals,
}

/// Each rule's tips, sorted by what proposing them does, laid out once so that
/// proposing is one `or` per pair for the commonest kind.
#[derive(Debug, Default)]
struct Proposals {
    /// A recommending rule and a tip of it whose priority is fixed: only where the
    /// rule fires is kept.
    fixed: Vec<(u32, u32)>,
    /// A recommending rule and a tip of it whose priority is read per programme: the
    /// best priority is kept too.
    best: Vec<(u32, u32)>,
    /// A raising rule and a tip it raises: its priority is added.
    raising: Vec<(u32, u32)>,
}

impl Proposals {
    /// Sorts the rules' tips of `program` by their fixed priorities (`tip_fixed`).
    fn new(program: &Program, tip_fixed: &[Option<u8>]) -> Self {
        let mut proposals = Proposals::default();
        for (rule, code) in (0u32..).zip(&program.rules) {
            let tips = program.rule_tips.get(code.tips.range()).unwrap_or_default();
            for tip in tips {
                let list = match (code.raise, tip_fixed.get(tip.index())) {
                    (true, _) => &mut proposals.raising,
                    (false, Some(Some(_))) => &mut proposals.fixed,
                    (false, _) => &mut proposals.best,
                };
                list.push((rule, u32::try_from(tip.index()).unwrap_or(u32::MAX)));
            }
        }
        proposals
    }
}

impl Conclusions {
    /// Lays out what firing and settling read of `program`.
    pub fn new(program: &Program, layout: &Layout) -> Self {
        let optional = |slot| (slot != NO_SLOT).then(|| layout.place(slot));
        let priorities = program
            .rules
            .iter()
            .map(|rule| match rule.priority {
                NO_SLOT => Priority::Fixed(DEFAULT_PRIORITY, true),
                slot => match layout.constant(layout.place(slot)) {
                    Some(value) => Priority::Fixed(clamp_priority(value), !value.is_nan()),
                    None => Priority::Read(layout.place(slot)),
                },
            })
            .collect::<Vec<_>>();
        let read_rules = (0..priorities.len())
            .filter(|&rule| matches!(priorities.get(rule), Some(Priority::Read(_))))
            .collect();
        let fixed_row = priorities
            .iter()
            .map(|priority| match *priority {
                Priority::Fixed(value, _) => value,
                Priority::Read(_) => 0,
            })
            .collect();
        let raised = raised_tips(program);
        let fixed = tip_fixed(program, &priorities, &raised);
        let mut conclusions = Conclusions {
            proposals: Proposals::new(program, &fixed),
            fixed_bytes: fixed_bytes(&fixed),
            variable: variable_tips(&fixed),
            read_rules,
            fixed_row,
            priorities,
            answers: program
                .tips
                .iter()
                .map(|tip| (optional(tip.maturity), optional(tip.quickscan)))
                .collect(),
            maturities: program.maturities.iter().map(|&s| optional(s)).collect(),
            bases: program.bases.iter().map(|&s| optional(s)).collect(),
            raised_tips: raised,
            ..Conclusions::default()
        };
        for &tip in &program.conditional {
            let code = program.tips.get(tip.index());
            let slots = code.and_then(|code| program.conditions.get(code.conditions.range()));
            let start = conclusions.conditions.len();
            let places = slots.unwrap_or_default().iter().map(|&s| layout.place(s));
            conclusions.conditions.extend(places);
            let end = conclusions.conditions.len();
            conclusions.conditional.push((tip, start..end));
        }
        conclusions
    }

    /// Every place firing and settling read per programme: the columns the block
    /// program must keep written as numbers ([`Layout::lay_out_levels`]).
    pub fn places(&self) -> impl Iterator<Item = Place> + '_ {
        let read = self
            .priorities
            .iter()
            .filter_map(|priority| match *priority {
                Priority::Read(place) => Some(place),
                Priority::Fixed(..) => None,
            });
        let answers = self.answers.iter().flat_map(|&(own, quick)| [own, quick]);
        let per_tip = self.maturities.iter().chain(&self.bases).copied();
        let conditions = self.conditions.iter().copied();
        read.chain(answers.chain(per_tip).flatten())
            .chain(conditions)
    }
}

/// Per tip, its priority wherever it is recommended when every rule recommending it
/// has the same fixed priority and no rule raises it (`Some(0)` for a tip no rule
/// recommends); else `None`.
fn tip_fixed(program: &Program, priorities: &[Priority], raised: &[usize]) -> Vec<Option<u8>> {
    // Per tip: no rule seen yet (`Ok(None)`), one fixed priority (`Ok(Some)`), mixed.
    let mut seen: Vec<Result<Option<u8>, ()>> = vec![Ok(None); program.tips.len()];
    for (rule, priority) in program.rules.iter().zip(priorities) {
        if rule.raise {
            continue;
        }
        let tips = program.rule_tips.get(rule.tips.range()).unwrap_or_default();
        for tip in tips {
            if let Some(state) = seen.get_mut(tip.index()) {
                *state = match (*state, *priority) {
                    (Ok(None), Priority::Fixed(value, _)) => Ok(Some(value)),
                    (Ok(Some(old)), Priority::Fixed(value, _)) if old == value => Ok(Some(old)),
                    _ => Err(()),
                };
            }
        }
    }
    for &tip in raised {
        if let Some(state) = seen.get_mut(tip) {
            *state = Err(());
        }
    }
    seen.into_iter()
        .map(|state| state.ok().map(|fixed| fixed.unwrap_or(0)))
        .collect()
}

/// The fixed priorities as bytes (0 where there is none), padded to whole groups of
/// [`BLOCK`] tips.
fn fixed_bytes(fixed: &[Option<u8>]) -> Vec<u8> {
    let mut bytes = vec![0; fixed.len().div_ceil(BLOCK) * BLOCK];
    for (byte, &fixed) in bytes.iter_mut().zip(fixed) {
        *byte = fixed.unwrap_or(0);
    }
    bytes
}

/// Per group of [`BLOCK`] tips, a bit per tip without a fixed priority.
fn variable_tips(fixed: &[Option<u8>]) -> Vec<u64> {
    let mut words = vec![0; fixed.len().div_ceil(BLOCK)];
    for (tip, fixed) in fixed.iter().enumerate() {
        if let (None, Some(word)) = (fixed, words.get_mut(tip / BLOCK)) {
            *word |= 1 << (tip % BLOCK);
        }
    }
    words
}

/// The tips that raising rules raise, ascending, once each.
fn raised_tips(program: &Program) -> Vec<usize> {
    let mut tips: Vec<usize> = program
        .rules
        .iter()
        .filter(|rule| rule.raise)
        .flat_map(|rule| program.rule_tips.get(rule.tips.range()).unwrap_or_default())
        .map(|tip| tip.index())
        .collect();
    tips.sort_unstable();
    tips.dedup();
    tips
}

/// The rules' conditions over one block, a word per rule with a bit per programme.
#[derive(Debug, Default)]
pub(super) struct RuleWords {
    /// The condition is true: the rule fires.
    pub fires: Vec<u64>,
    /// The condition is false, as the row scan counts it (kept for aligned programs).
    pub zero: Vec<u64>,
    /// The condition is unknown (kept for aligned programs).
    pub unknown: Vec<u64>,
}

impl RuleWords {
    /// Reads every rule's condition over the block.
    pub fn scan(&mut self, layout: &Layout, block: &Block, aligned: bool) {
        let rules = layout.whens.len();
        self.fires.resize(rules, 0);
        let (zero, unknown) = match aligned {
            true => (rules, rules),
            false => (0, 0),
        };
        self.zero.resize(zero, 0);
        self.unknown.resize(unknown, 0);
        for (rule, when) in layout.whens.iter().enumerate() {
            let reading = block.reading(when.place);
            if let Some(fires) = self.fires.get_mut(rule) {
                *fires = reading.one;
            }
            if let (Some(zero), Some(unknown)) =
                (self.zero.get_mut(rule), self.unknown.get_mut(rule))
            {
                // The row scan counts anything but 1 as false, and nothing unknown, in a
                // block of rules whose conditions are known to be 0 or 1.
                (*zero, *unknown) = match when.known {
                    true => (!reading.one, 0),
                    false => (reading.zero, reading.unknown),
                };
            }
        }
    }
}

/// What firing and settling one block needs besides the block, kept between blocks.
#[derive(Debug, Default)]
pub(super) struct Settling {
    /// Per rule, its priority in each programme where it fires.
    priority: Vec<Bytes>,
    /// Per rule, the programmes where it fires and its priority is unknown.
    priority_unknown: Vec<u64>,
    /// The firing words transposed: per group of 64 rules, a word per programme.
    fired: Vec<u64>,
    /// The firing words where the priority is unknown, transposed like `fired` (only
    /// the groups marked in `unknown_groups`).
    unknown: Vec<u64>,
    /// Per group of 64 rules, whether one fired with an unknown priority in the block.
    unknown_groups: Vec<bool>,
    /// Per tip, the programmes where a recommending rule fires.
    proposed: Vec<u64>,
    /// Per tip, the best priority of its firing recommending rules per programme.
    best: Vec<Bytes>,
    /// Per tip, what raising rules add to its priority per programme.
    raised: Vec<[u32; BLOCK]>,
    /// Per group of 64 tips, its words transposed into each programme's bitsets.
    rows: Vec<TipRows>,
    /// What the program has that settling must transpose.
    shape: Shape,
}

/// Per tip of a group of 64, a word with a bit per programme, for the bitsets and the
/// recommended tips' statuses.
#[derive(Debug)]
struct TipRows {
    recommended: [u64; BLOCK],
    in_place: [u64; BLOCK],
    context_assumed: [u64; BLOCK],
    /// Recommended on the tip's own answer (else on the quick scan).
    answered: [u64; BLOCK],
}

impl TipRows {
    /// Turns the rows (a word per tip, a bit per programme) into a word per programme.
    /// Without tips with `applies` conditions the context-assumed rows are all zeros,
    /// their own transpose; without quick scans every recommended tip is recommended on
    /// its own answer, so the answered rows are the recommended ones.
    fn transpose(&mut self, shape: Shape) {
        transpose(&mut self.recommended);
        transpose(&mut self.in_place);
        if shape.conditional {
            transpose(&mut self.context_assumed);
        }
        match shape.quick_scans {
            true => transpose(&mut self.answered),
            false => self.answered = self.recommended,
        }
    }
}

impl Default for TipRows {
    fn default() -> Self {
        TipRows {
            recommended: [0; BLOCK],
            in_place: [0; BLOCK],
            context_assumed: [0; BLOCK],
            answered: [0; BLOCK],
        }
    }
}

/// What the program has that settling must transpose.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// Some tip has `applies` conditions.
    conditional: bool,
    /// Some tip's section has a quick scan.
    quick_scans: bool,
}

/// The set bits of a word, lowest first.
fn lanes(mut word: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let lane = word.trailing_zeros() as usize;
        word &= word.wrapping_sub(1);
        (lane < BLOCK).then_some(lane)
    })
}

/// A word with the lowest `count` bits set (all of them from 64 on).
fn low_bits(count: usize) -> u64 {
    match count {
        0 => 0,
        count => u64::MAX >> (64 - count.min(64)),
    }
}

/// Bit `index` of a bitset's blocks, as all ones or all zeros.
fn broadcast_bit(blocks: &[usize], index: usize) -> u64 {
    let bits = usize::BITS as usize;
    let set = blocks
        .get(index / bits)
        .is_some_and(|block| (block >> (index % bits)) & 1 == 1);
    0u64.wrapping_sub(u64::from(set))
}

/// Everything one block's settling reads: the program, its layout for blocks and what
/// firing and settling read of it, and the block's values.
pub(super) struct BlockView<'a> {
    pub program: &'a Program,
    pub conclusions: &'a Conclusions,
    pub rules: &'a RuleWords,
    /// The `in_place` level (unknown when there is none).
    pub level: f64,
}

impl Settling {
    /// Sizes the buffers for `program` and writes the fixed priorities, once per batch.
    pub fn prepare(&mut self, program: &Program, conclusions: &Conclusions) {
        let rules = program.rules.len();
        let tips = program.tips.len();
        self.priority.resize(rules, [0; BLOCK]);
        self.priority_unknown.resize(rules, 0);
        for ((row, unknown), priority) in self
            .priority
            .iter_mut()
            .zip(&mut self.priority_unknown)
            .zip(&conclusions.priorities)
        {
            if let Priority::Fixed(value, known) = *priority {
                row.fill(value);
                *unknown = match known {
                    true => 0,
                    false => u64::MAX,
                };
            }
        }
        self.fired.resize(rules.div_ceil(BLOCK) * BLOCK, 0);
        self.unknown.resize(rules.div_ceil(BLOCK) * BLOCK, 0);
        self.unknown_groups.resize(rules.div_ceil(BLOCK), false);
        self.shape = Shape {
            conditional: !conclusions.conditional.is_empty(),
            quick_scans: conclusions.answers.iter().any(|(_, quick)| quick.is_some()),
        };
        self.rows
            .resize_with(tips.div_ceil(BLOCK), TipRows::default);
        self.proposed.resize(tips, 0);
        self.best.resize(tips, [0; BLOCK]);
        // Only the raised tips' sums are written, and zeroed per block: the others
        // must start at zero whatever the rule set before left.
        self.raised.clear();
        if program.raises {
            self.raised.resize(tips, [0; BLOCK]);
        }
    }

    /// Fires the rules and settles the tips of one block into `evaluations` (at most
    /// [`BLOCK`], one per lane).
    pub fn conclude(
        &mut self,
        view: &BlockView<'_>,
        block: &mut Block,
        evaluations: &mut [Evaluation],
    ) {
        let valid = low_bits(evaluations.len());
        self.read_priorities(view, block, valid);
        self.propose(view, valid);
        self.transpose_fired(view, valid);
        let (tips, rules) = (view.program.tips.len(), view.program.rules.len());
        for evaluation in evaluations.iter_mut() {
            evaluation.reset(tips, rules);
        }
        let groups = tips.div_ceil(BLOCK);
        let mut conditional = view.conclusions.conditional.as_slice();
        for group in 0..groups {
            self.settle_group(view, block, (group, &mut conditional), evaluations);
        }
        for (lane, evaluation) in evaluations.iter_mut().enumerate() {
            self.write_programme(view, lane, evaluation);
        }
        self.write_read_priorities(view, valid, evaluations);
    }

    /// The priorities read per programme, in the programmes where their rule fires.
    fn read_priorities(&mut self, view: &BlockView<'_>, block: &Block, valid: u64) {
        let rules = view.conclusions.priorities.iter().zip(&view.rules.fires);
        let rows = self.priority.iter_mut().zip(&mut self.priority_unknown);
        for ((priority, &fires), (row, unknown)) in rules.zip(rows) {
            let Priority::Read(place) = *priority else {
                continue;
            };
            let fires = fires & valid;
            *unknown = match block.column(place) {
                Some(column) if fires.count_ones() >= DENSE => {
                    for (byte, &value) in row.iter_mut().zip(column) {
                        *byte = clamp_priority(value);
                    }
                    pack(column, f64::is_nan) & fires
                }
                _ => read_lanes(block, place, fires, row),
            };
        }
    }

    /// The tips the firing rules propose, with their best priority, and what raising
    /// rules add.
    fn propose(&mut self, view: &BlockView<'_>, valid: u64) {
        self.proposed.fill(0);
        // Only the tips whose priority is read per programme keep a best one.
        for (group, &variable) in view.conclusions.variable.iter().enumerate() {
            for tip in lanes(variable).map(|bit| group * BLOCK + bit) {
                if let Some(best) = self.best.get_mut(tip) {
                    *best = [0; BLOCK];
                }
            }
        }
        for &tip in &view.conclusions.raised_tips {
            if let Some(sums) = self.raised.get_mut(tip) {
                sums.fill(0);
            }
        }
        let proposals = &view.conclusions.proposals;
        let fires = |rule: u32| view.rules.fires.get(rule as usize).copied().unwrap_or(0) & valid;
        for &(rule, tip) in &proposals.fixed {
            if let Some(proposed) = self.proposed.get_mut(tip as usize) {
                *proposed |= fires(rule);
            }
        }
        for &(rule, tip) in &proposals.best {
            let (fires, tip) = (fires(rule), tip as usize);
            let priority = self.priority.get(rule as usize);
            if let (Some(proposed), Some(best), Some(priority)) =
                (self.proposed.get_mut(tip), self.best.get_mut(tip), priority)
            {
                *proposed |= fires;
                max_where(best, priority, fires);
            }
        }
        for &(rule, tip) in &proposals.raising {
            let priority = self.priority.get(rule as usize);
            if let (Some(sums), Some(priority)) = (self.raised.get_mut(tip as usize), priority) {
                add_where(sums, priority, fires(rule));
            }
        }
    }

    /// Turns the firing words (a bit per programme) into each programme's words (a bit
    /// per rule), and the words of the rules firing with an unknown priority likewise
    /// (only in the groups where one does).
    fn transpose_fired(&mut self, view: &BlockView<'_>, valid: u64) {
        let groups = view
            .rules
            .fires
            .chunks(BLOCK)
            .zip(self.priority_unknown.chunks(BLOCK));
        for (group, (fires, unknowns)) in groups.enumerate() {
            let range = group * BLOCK..(group + 1) * BLOCK;
            let mut rows = [0u64; BLOCK];
            for (row, &fires) in rows.iter_mut().zip(fires) {
                *row = fires & valid;
            }
            let mut unknown = [0u64; BLOCK];
            let mut any = 0;
            for ((row, &fires), &unknowns) in unknown.iter_mut().zip(&rows).zip(unknowns) {
                *row = fires & unknowns;
                any |= *row;
            }
            transpose(&mut rows);
            if let Some(target) = self.fired.get_mut(range.clone()) {
                target.copy_from_slice(&rows);
            }
            if let Some(flag) = self.unknown_groups.get_mut(group) {
                *flag = any != 0;
            }
            if any != 0 {
                transpose(&mut unknown);
                if let Some(target) = self.unknown.get_mut(range) {
                    target.copy_from_slice(&unknown);
                }
            }
        }
    }

    /// Writes programme `lane`'s words of the fired rules and of its tip bitsets, the
    /// fired rules' fixed priorities and its recommended tips' statuses and
    /// priorities.
    fn write_programme(&self, view: &BlockView<'_>, lane: usize, evaluation: &mut Evaluation) {
        let lane = lane % BLOCK;
        let mut parts = evaluation.row_parts();
        let groups = self.unknown_groups.iter().enumerate();
        for (group, &unknown) in groups {
            let at = group * BLOCK + lane;
            put(parts.fired, group, self.fired.get(at).copied().unwrap_or(0));
            if unknown {
                let word = self.unknown.get(at).copied().unwrap_or(0);
                put(parts.priority_unknown, group, word);
            }
        }
        let fixed = view.conclusions.fixed_row.as_slice();
        if let Some(priorities) = parts.rule_priorities.get_mut(..fixed.len()) {
            priorities.copy_from_slice(fixed);
        }
        for (group, rows) in self.rows.iter().enumerate() {
            let word = |row: &[u64; BLOCK]| row.get(lane).copied().unwrap_or(0);
            let recommended = word(&rows.recommended);
            put(parts.recommended, group, recommended);
            put(parts.in_place, group, word(&rows.in_place));
            put(parts.context_assumed, group, word(&rows.context_assumed));
            let tips = Recommended {
                group,
                words: (recommended, word(&rows.answered)),
                fixed: (view.conclusions.fixed_bytes.get(group * BLOCK..))
                    .and_then(|bytes| bytes.first_chunk())
                    .unwrap_or(&[0; BLOCK]),
                variable: view.conclusions.variable.get(group).copied().unwrap_or(0),
                best: &self.best,
                raised: &self.raised,
            };
            tips.write(lane, &mut parts);
        }
    }

    /// Writes the priorities read per programme of the rules that fired.
    fn write_read_priorities(
        &self,
        view: &BlockView<'_>,
        valid: u64,
        evaluations: &mut [Evaluation],
    ) {
        for &rule in &view.conclusions.read_rules {
            let fires = view.rules.fires.get(rule).copied().unwrap_or(0) & valid;
            let Some(row) = self.priority.get(rule) else {
                continue;
            };
            for lane in lanes(fires) {
                if let (Some(evaluation), Some(&priority)) =
                    (evaluations.get_mut(lane), row.get(lane))
                {
                    evaluation.set_rule_priority(rule, priority);
                }
            }
        }
    }

    /// Settles group `group` of 64 tips over the block: writes each programme's
    /// statuses and priorities, and its bitsets' words. `conditional` holds the tips
    /// with conditions from this group on, and is advanced past the group.
    fn settle_group(
        &mut self,
        view: &BlockView<'_>,
        block: &mut Block,
        (group, conditional): (usize, &mut &[(TipIndex, std::ops::Range<usize>)]),
        evaluations: &mut [Evaluation],
    ) {
        let tips = group * BLOCK..((group + 1) * BLOCK).min(view.program.tips.len());
        if let Some(rows) = self.rows.get_mut(group) {
            *rows = TipRows::default();
        }
        for tip in tips {
            let applies = exclude(view, block, (tip, conditional), evaluations);
            self.settle_tip(view, block, (tip, applies), evaluations);
        }
        let shape = self.shape;
        if let Some(rows) = self.rows.get_mut(group) {
            rows.transpose(shape);
        }
    }

    /// Settles tip `tip`, which `applies` says where it applies: writes its statuses
    /// other than clear and not applicable, its priorities where it is recommended, and
    /// its rows of the bitsets.
    fn settle_tip(
        &mut self,
        view: &BlockView<'_>,
        block: &mut Block,
        (tip, applies): (usize, Applies),
        evaluations: &mut [Evaluation],
    ) {
        let valid = low_bits(evaluations.len());
        let program = view.program;
        let based = broadcast_bit(&program.based, tip);
        let (zero, unknown) = base_words(view, block, tip, based);
        let mature = match (view.level.is_nan(), view.conclusions.maturities.get(tip)) {
            (false, Some(&Some(place))) => block.at_least(place, view.level),
            _ => 0,
        };
        let bit = tip % BLOCK;
        let proposed = self.proposed.get(tip).copied().unwrap_or(0);
        let establish = unknown & based & !proposed & applies.yes & valid;
        write_status(
            evaluations,
            tip,
            establish,
            TipStatus::ToEstablish(Unknown::Unanswered),
        );
        let (kept, answered) = recommend(
            view,
            block,
            tip,
            proposed & applies.yes & valid,
            evaluations,
        );
        let Some(rows) = self.rows.get_mut(tip / BLOCK) else {
            return;
        };
        let rows = [
            (&mut rows.in_place, mature | (zero & applies.yes)),
            (&mut rows.context_assumed, applies.assumed),
            (&mut rows.recommended, kept),
            (&mut rows.answered, answered & kept),
        ];
        for (row, word) in rows {
            if let Some(row) = row.get_mut(bit) {
                *row = word;
            }
        }
    }
}

/// The tips of a group of 64 recommended in one programme, and where their priorities
/// come from.
struct Recommended<'a> {
    /// The group.
    group: usize,
    /// The programme's recommended tips of the group, and which of them on their own
    /// answer, a bit per tip.
    words: (u64, u64),
    /// The group's tips' priorities where they are the same in every programme, a byte
    /// per tip (0 for the others).
    fixed: &'a [u8; BLOCK],
    /// The group's tips whose priority is read per programme, a bit per tip.
    variable: u64,
    /// Per tip, its best priority per programme.
    best: &'a [Bytes],
    /// Per tip, what raising rules add per programme (empty when no rule raises).
    raised: &'a [[u32; BLOCK]],
}

impl Recommended<'_> {
    /// Writes programme `lane`'s statuses and priorities of the recommended tips: the
    /// statuses and fixed priorities a word per eight tips, then the priorities read
    /// per programme, tip by tip.
    #[inline]
    fn write(&self, lane: usize, parts: &mut RowParts<'_>) {
        let (recommended, _) = self.words;
        let first = self.group * BLOCK;
        parts.recommend_group(first, self.words, self.fixed);
        for bit in lanes(recommended & self.variable) {
            let tip = first + bit;
            let priority = self.priority(tip, lane);
            if let Some(slot) = parts.priorities.get_mut(tip) {
                *slot = priority;
            }
        }
    }

    /// Tip `tip`'s priority in programme `lane`: its best one, plus what raising rules
    /// add.
    fn priority(&self, tip: usize, lane: usize) -> u8 {
        let lane = lane % BLOCK;
        let best = self.best.get(tip).and_then(|best| best.get(lane));
        let priority = best.copied().unwrap_or(0);
        match self.raised.get(tip).and_then(|sums| sums.get(lane)) {
            Some(&extra) if extra > 0 => clamp_priority(f64::from(priority) + f64::from(extra)),
            _ => priority,
        }
    }
}

/// Writes the statuses of tip `tip` where a rule proposes it and it applies
/// (`proposed`) but it is not recommended; returns where it is recommended and where
/// it is answered (the recommended tips' statuses and priorities are written per
/// programme, [`Recommended::write`]).
fn recommend(
    view: &BlockView<'_>,
    block: &Block,
    tip: usize,
    proposed: u64,
    evaluations: &mut [Evaluation],
) -> (u64, u64) {
    if proposed == 0 {
        return (0, 0);
    }
    let (own, quickscan) = match view.conclusions.answers.get(tip) {
        Some(&(own, quickscan)) => (
            own.map_or(u64::MAX, |place| !block.unknown(place)),
            quickscan.map_or(0, |place| !block.unknown(place)),
        ),
        None => (u64::MAX, 0),
    };
    // As `proposed_status`: on the own answer, or when no quick scan stands in;
    // else on the quick scan for a foundation, to be established for the rest.
    let answered = proposed & (own | !quickscan);
    let on_quickscan = proposed & !answered;
    let foundation = view
        .program
        .tips
        .get(tip)
        .is_some_and(|code| code.foundation);
    match foundation {
        true => (proposed, answered),
        false => {
            let status = TipStatus::ToEstablish(Unknown::QuickScanOnly);
            write_status(evaluations, tip, on_quickscan, status);
            (answered, answered)
        }
    }
}

/// Where a tip applies over a block, a bit per programme.
#[derive(Debug, Clone, Copy)]
struct Applies {
    /// No `applies` condition is false.
    yes: u64,
    /// No `applies` condition is false, but one is unknown: the context was not given.
    assumed: u64,
}

/// Where tip `tip` applies; where one of its `applies` conditions is false, writes its
/// status, not applicable for the first such condition. `conditional` holds the tips
/// with conditions from `tip` on, and is advanced past it.
fn exclude(
    view: &BlockView<'_>,
    block: &Block,
    (tip, conditional): (usize, &mut &[(TipIndex, std::ops::Range<usize>)]),
    evaluations: &mut [Evaluation],
) -> Applies {
    let all = Applies {
        yes: u64::MAX,
        assumed: 0,
    };
    let Some(((first, range), rest)) = conditional.split_first() else {
        return all;
    };
    if first.index() != tip {
        return all;
    }
    *conditional = rest;
    let valid = low_bits(evaluations.len());
    let places = view.conclusions.conditions.get(range.clone());
    let (mut excluded, mut unknown) = (0, 0);
    for (index, &place) in (0u16..).zip(places.unwrap_or_default()) {
        let reading = block.reading(place);
        let newly = reading.zero & !excluded & valid;
        write_status(evaluations, tip, newly, TipStatus::NotApplicable(index));
        excluded |= reading.zero;
        unknown |= reading.unknown;
    }
    Applies {
        yes: !excluded,
        assumed: unknown & !excluded,
    }
}

/// Where tip `tip`'s base rule's condition is false and where it is unknown; `based`
/// is all ones if the tip has a base rule, else none.
fn base_words(view: &BlockView<'_>, block: &Block, tip: usize, based: u64) -> (u64, u64) {
    if view.program.aligned {
        // Tip i's base rule is rule i: the rules' words have it already.
        let zero = view.rules.zero.get(tip).copied().unwrap_or(0);
        let unknown = view.rules.unknown.get(tip).copied().unwrap_or(0);
        return (zero & based, unknown & based);
    }
    match view.conclusions.bases.get(tip) {
        Some(&Some(place)) => {
            let reading = block.reading(place);
            (reading.zero, reading.unknown)
        }
        _ => (0, u64::MAX),
    }
}

/// From how many firing programmes of a block a priority column is clamped whole (a
/// loop the compiler unrolls) rather than lane by firing lane.
const DENSE: u32 = 16;

/// Reads `place`'s priorities into `row` in the lanes of `fires`: the lanes where it is
/// unknown.
fn read_lanes(block: &Block, place: Place, fires: u64, row: &mut Bytes) -> u64 {
    let mut unknown = 0;
    for lane in lanes(fires) {
        let value = block.value(place, lane);
        if let Some(byte) = row.get_mut(lane) {
            *byte = clamp_priority(value);
        }
        unknown |= u64::from(value.is_nan()) << lane;
    }
    unknown
}

/// Writes `status` as tip `tip`'s status in the programmes of `lanes`.
fn write_status(evaluations: &mut [Evaluation], tip: usize, lanes_of: u64, status: TipStatus) {
    for lane in lanes(lanes_of) {
        if let Some(evaluation) = evaluations.get_mut(lane) {
            evaluation.write_status(tip, status);
        }
    }
}

/// Replaces the bits `group * 64..` of `words` (an evaluation's bitset) with `word`.
#[inline]
fn put(words: &mut [usize], group: usize, word: u64) {
    let bits = usize::BITS as usize;
    let parts = BLOCK / bits;
    for part in 0..parts {
        if let Some(slot) = words.get_mut(group * parts + part) {
            *slot = (word >> (part * bits)) as usize;
        }
    }
}

/// Adds `priority` to `sums` in the lanes of `fires`.
fn add_where(sums: &mut [u32; BLOCK], priority: &Bytes, fires: u64) {
    for lane in lanes(fires) {
        if let (Some(sum), Some(&priority)) = (sums.get_mut(lane), priority.get(lane)) {
            *sum += u32::from(priority);
        }
    }
}

/// Raises `best` to `priority` in the lanes of `fires` where it is higher.
fn max_where(best: &mut Bytes, priority: &Bytes, fires: u64) {
    for lane in lanes(fires) {
        if let (Some(best), Some(&priority)) = (best.get_mut(lane), priority.get(lane)) {
            *best = (*best).max(priority);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{raised_tips, tip_fixed, Layout, Priority, Proposals};
    use crate::ruleset::RuleSet;

    /// Every tip of every rule of the Roadmap (several tips per rule) lands in exactly
    /// one list of the proposals, the one its rule and the tip's
    /// fixed priority say, in rule order.
    #[test]
    fn proposals_sort_each_rules_tips_by_kind() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let program = &ruleset.program;
        let layout = Layout::new(program, |_| false);
        let conclusions = super::Conclusions::new(program, &layout);
        let priorities: Vec<Priority> = conclusions.priorities.clone();
        let fixed = tip_fixed(program, &priorities, &raised_tips(program));
        let proposals = Proposals::new(program, &fixed);
        let mut expected = (Vec::new(), Vec::new(), Vec::new());
        for (rule, code) in (0u32..).zip(&program.rules) {
            for tip in program.rule_tips.get(code.tips.range()).unwrap() {
                let pair = (rule, tip.index() as u32);
                match (code.raise, fixed[tip.index()]) {
                    (true, _) => expected.2.push(pair),
                    (false, Some(_)) => expected.0.push(pair),
                    (false, None) => expected.1.push(pair),
                }
            }
        }
        assert!(expected.0.len() + expected.1.len() + expected.2.len() > 100);
        assert_eq!(proposals.fixed, expected.0);
        assert_eq!(proposals.best, expected.1);
        assert_eq!(proposals.raising, expected.2);
    }
}
