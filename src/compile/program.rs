//! The expression graph under construction, and its lowering into the straight-line
//! [`Program`] the evaluator runs.
//!
//! Lowering builds a graph of [`Node`]s in which identical nodes are shared
//! (hash-consing) and operands always have smaller ids. [`ProgramBuilder::finish`] then
//! turns the graph into a [`Program`]: answers and constants become value slots that
//! operations read directly, leaf patterns are fused into single operations, and nodes
//! that no rule or condition reads are dropped.

use super::fx::FxHashMap;
use std::collections::hash_map::Entry;

use crate::ruleset::{
    Aggregate, ArgumentRange, ArithmeticOp, Compare, CompareOp, Kind, NodeId, Op, Ops, Program,
    QuestionIndex, RuleCode, RuleKind, RuleSet, Slot, TipCode, TipIndex, NO_SLOT,
};

/// A node of the expression graph. Values are `f64`: numbers as they are, booleans as 0
/// and 1, choice options as their index, and NaN for unknown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Node {
    /// A constant, params included (they are folded at compile time).
    Constant(f64),
    /// The answer to a question.
    Answer(QuestionIndex),
    /// Kleene negation.
    Not(NodeId),
    /// Arithmetic negation.
    Negate(NodeId),
    /// Kleene conjunction.
    And(NodeId, NodeId),
    /// Kleene disjunction.
    Or(NodeId, NodeId),
    /// A comparison.
    Compare(CompareOp, NodeId, NodeId),
    /// Arithmetic.
    Arithmetic(ArithmeticOp, NodeId, NodeId),
    /// Membership of a choice value in a set of options (bit i = option i).
    In(NodeId, u64),
    /// A function over the arguments `arguments[range]`.
    Call(Aggregate, ArgumentRange),
}

/// The hash-consed expression graph: nodes in an order where operands come first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub nodes: Vec<Node>,
    pub arguments: Vec<NodeId>,
}

/// A hashable identity of a node other than a call: its tag and its operands.
type NodeKey = (u8, u64, u32, u32);

/// Builds the expression graph, handing out one id per distinct node.
#[derive(Debug, Default)]
pub(super) struct ProgramBuilder {
    graph: Graph,
    /// Every node but the calls, by its identity.
    index: FxHashMap<NodeKey, NodeId>,
    /// Every call, by its function and its arguments (the key owns the list the
    /// lowering built, so looking a call up copies nothing).
    calls: FxHashMap<(u8, Vec<NodeId>), NodeId>,
}

impl ProgramBuilder {
    /// The id of `node`, adding it when no identical node exists.
    pub fn node(&mut self, node: Node) -> NodeId {
        let next = self.next_id();
        match self.index.entry(key(&node)) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                self.graph.nodes.push(node);
                *entry.insert(next)
            }
        }
    }

    /// The id of a call of `function` on `arguments`, shared with identical calls.
    pub fn call(&mut self, function: Aggregate, arguments: Vec<NodeId>) -> NodeId {
        let next = self.next_id();
        match self.calls.entry((function as u8, arguments)) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                let arguments = &entry.key().1;
                let start = u32::try_from(self.graph.arguments.len()).unwrap_or(u32::MAX);
                let len = u32::try_from(arguments.len()).unwrap_or(u32::MAX);
                self.graph.arguments.extend_from_slice(arguments);
                let range = ArgumentRange { start, len };
                self.graph.nodes.push(Node::Call(function, range));
                *entry.insert(next)
            }
        }
    }

    /// The id the next new node gets.
    fn next_id(&self) -> NodeId {
        u32::try_from(self.graph.nodes.len()).unwrap_or(u32::MAX)
    }

    /// Lowers the graph into `ruleset`'s program and points every rule and `applies`
    /// condition at the slot of its value.
    pub fn finish(self, ruleset: &mut RuleSet) {
        let mut roots = Roots::of(ruleset);
        let questions = question_count(ruleset);
        let (program, known) = lower_with_known(&self.graph, questions, &mut roots.ids, Fusion::On);
        ruleset.program = program;
        ruleset.program_id = crate::ruleset::fresh_program_id();
        let known_whens: Vec<bool> = roots
            .whens
            .iter()
            .map(|&at| known.get(at).copied().unwrap_or(false))
            .collect();
        roots.store(ruleset);
        pack_rules(ruleset, &known_whens);
        pack_tips(ruleset);
        ruleset.program.answer_bounds = ruleset.answer_bounds_table();
    }

    /// The explanation program: the graph unfused, with a slot for every node (the
    /// second value, by node id), which explanations evaluate on demand; the evaluator
    /// never runs it.
    pub fn explanation(&self, ruleset: &RuleSet) -> (Program, Vec<Slot>) {
        let mut every: Vec<NodeId> = (0..).take(self.graph.nodes.len()).collect();
        let questions = question_count(ruleset);
        let (explain, _) = lower_with_known(&self.graph, questions, &mut every, Fusion::Off);
        (explain, every)
    }

    /// How many nodes there are so far (for tests and statistics).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.graph.nodes.len()
    }

    /// The graph built so far.
    #[cfg(test)]
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
}

fn key(node: &Node) -> NodeKey {
    match *node {
        Node::Constant(value) => (0, value.to_bits(), 0, 0),
        Node::Answer(question) => (1, u64::from(question.get()), 0, 0),
        Node::Not(a) => (2, 0, a, 0),
        Node::Negate(a) => (3, 0, a, 0),
        Node::And(a, b) => (4, 0, a, b),
        Node::Or(a, b) => (5, 0, a, b),
        Node::Compare(op, a, b) => (6, op as u64, a, b),
        Node::Arithmetic(op, a, b) => (7, op as u64, a, b),
        Node::In(a, mask) => (8, mask, a, 0),
        Node::Call(function, range) => (10, function as u64, range.start, range.len),
    }
}

/// How many answer slots a program of `ruleset` starts with.
fn question_count(ruleset: &RuleSet) -> u32 {
    u32::try_from(ruleset.questions.len()).unwrap_or(u32::MAX)
}

/// The node ids every rule and condition starts from, in a fixed order.
struct Roots {
    ids: Vec<NodeId>,
    /// Where each rule's condition is in `ids`.
    whens: Vec<usize>,
}

impl Roots {
    fn of(ruleset: &RuleSet) -> Self {
        let (mut ids, mut whens) = (Vec::new(), Vec::new());
        for rule in &ruleset.rules {
            whens.push(ids.len());
            ids.push(rule.when);
            ids.extend(rule.priority);
        }
        for tip in &ruleset.tips {
            ids.extend(tip.applies.iter().map(|condition| condition.when));
        }
        Roots { ids, whens }
    }

    /// Writes the (now lowered) ids back in the order [`Roots::of`] read them.
    fn store(self, ruleset: &mut RuleSet) {
        let mut ids = self.ids.into_iter();
        for rule in &mut ruleset.rules {
            rule.when = ids.next().unwrap_or(rule.when);
            if let Some(priority) = &mut rule.priority {
                *priority = ids.next().unwrap_or(*priority);
            }
        }
        for tip in &mut ruleset.tips {
            for condition in &mut tip.applies {
                condition.when = ids.next().unwrap_or(condition.when);
            }
        }
    }
}

/// Packs what the evaluator reads of each rule into the program; `known` tells per rule
/// whether its condition is always 0 or 1, never unknown.
fn pack_rules(ruleset: &mut RuleSet, known: &[bool]) {
    let program = &mut ruleset.program;
    program.set_whens(ruleset.rules.iter().map(|rule| rule.when).collect());
    for (index, &known) in known.iter().enumerate() {
        set_bit(&mut program.known_whens, index, known);
    }
    for (index, rule) in (0u32..).zip(&ruleset.rules) {
        let single_tip = match rule.recommend.as_slice() {
            &[tip] if rule.kind == RuleKind::Recommend && rule.priority.is_none() => Some(tip),
            _ => None,
        };
        set_bit(
            &mut program.single_tip_rules,
            index as usize,
            single_tip.is_some(),
        );
        program
            .single_tips
            .push(single_tip.unwrap_or(TipIndex::new(0)));
        let tips = range_after(&program.rule_tips, rule.recommend.len());
        program.rule_tips.extend(&rule.recommend);
        program.rules.push(RuleCode {
            when: rule.when,
            priority: rule.priority.unwrap_or(NO_SLOT),
            raise: rule.kind == RuleKind::Raise,
            tips,
        });
        program.raises |= rule.kind == RuleKind::Raise;
    }
}

/// Packs what the evaluator reads of each tip into the program.
fn pack_tips(ruleset: &mut RuleSet) {
    let program = &mut ruleset.program;
    program.aligned = (0u32..)
        .zip(&ruleset.tips)
        .all(|(index, tip)| tip.base_rule.is_none_or(|rule| rule.get() == index));
    for (index, tip) in TipIndex::enumerate(&ruleset.tips) {
        let conditions = range_after(&program.conditions, tip.applies.len());
        program
            .conditions
            .extend(tip.applies.iter().map(|condition| condition.when));
        if !tip.applies.is_empty() {
            program.conditional.push(index);
        }
        let base = tip
            .base_rule
            .and_then(|rule| ruleset.rules.get(rule.index()))
            .map(|rule| rule.when);
        program.bases.push(base.unwrap_or(NO_SLOT));
        set_bit(&mut program.based, index.index(), base.is_some());
        let maturity = tip.maturity_question.map_or(NO_SLOT, QuestionIndex::get);
        program.maturities.push(maturity);
        let quickscan = ruleset
            .sections
            .get(tip.section.index())
            .and_then(|section| section.quickscan);
        set_bit(
            &mut program.quickscanned,
            index.index(),
            quickscan.is_some(),
        );
        program.tips.push(TipCode {
            maturity,
            quickscan: quickscan.map_or(NO_SLOT, QuestionIndex::get),
            conditions,
            foundation: tip.is_foundation(),
        });
    }
}

/// Sets bit `index` of blocks of `usize::BITS` bits to `value`, adding blocks as needed.
fn set_bit(blocks: &mut Vec<usize>, index: usize, value: bool) {
    let bits = usize::BITS as usize;
    if blocks.len() <= index / bits {
        blocks.resize(index / bits + 1, 0);
    }
    if let Some(block) = blocks.get_mut(index / bits) {
        *block |= usize::from(value) << (index % bits);
    }
}

/// The range of the next `len` entries appended to `table`.
fn range_after<T>(table: &[T], len: usize) -> ArgumentRange {
    ArgumentRange {
        start: u32::try_from(table.len()).unwrap_or(u32::MAX),
        len: u32::try_from(len).unwrap_or(u32::MAX),
    }
}

/// Whether lowering fuses leaf patterns (off only to test that fusing changes no value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fusion {
    On,
    /// Every node its own operation: the explanation program.
    Off,
}

/// A node after fusing: a slot that needs no operation, or an operation whose operands
/// are still node ids.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fused {
    Answer(QuestionIndex),
    Constant(f64),
    Op(Op),
}

/// Lowers `graph` into a program whose answer slots are the `questions` first ones, and
/// replaces each id in `roots` by the slot of its value.
#[cfg(test)]
pub(crate) fn lower(
    graph: &Graph,
    questions: u32,
    roots: &mut [NodeId],
    fusion: Fusion,
) -> Program {
    lower_with_known(graph, questions, roots, fusion).0
}

/// [`lower`], and per root whether its value is always 0 or 1, never unknown.
fn lower_with_known(
    graph: &Graph,
    questions: u32,
    roots: &mut [NodeId],
    fusion: Fusion,
) -> (Program, Vec<bool>) {
    let (mut fused, known) = fuse(graph, fusion);
    if fusion == Fusion::On {
        uncheck(&mut fused, &unchecked(graph, roots));
    }
    let known_roots = roots
        .iter()
        .map(|&root| known.get(root as usize).copied().unwrap_or(false))
        .collect();
    let live = live_nodes(&fused, &graph.arguments, roots);
    let mut emitter = Emitter::new(questions, &fused, &live);
    let program = emitter.emit(&fused, &graph.arguments, &live);
    for root in roots.iter_mut() {
        *root = emitter.slot(*root);
    }
    (program, known_roots)
}

/// Every node as a slot or an operation, with leaf patterns fused when `fusion` is on.
fn fuse(graph: &Graph, fusion: Fusion) -> (Vec<Fused>, Vec<bool>) {
    let mut fused: Vec<Fused> = Vec::with_capacity(graph.nodes.len());
    let mut known: Vec<bool> = Vec::with_capacity(graph.nodes.len());
    for node in &graph.nodes {
        let plain = plain(*node);
        let node = match fusion {
            Fusion::On => fuse_node(*node, &fused, &known, &graph.arguments).unwrap_or(plain),
            Fusion::Off => plain,
        };
        known.push(never_unknown(&node, &known));
        fused.push(node);
    }
    (fused, known)
}

/// Which nodes' arithmetic needs no check of its own: those read once, by arithmetic,
/// and not as a divisor. A value that is not finite (infinite, or NaN) stays so
/// through `+`, `-`, `*` and as a dividend (`x / ∞` would be 0), so the reader's check
/// of its own result makes the value unknown just as checking both would.
fn unchecked(graph: &Graph, roots: &[NodeId]) -> Vec<bool> {
    let len = graph.nodes.len();
    let (mut uses, mut absorbed) = (vec![0u32; len], vec![false; len]);
    let mut read = |id: NodeId, by_arithmetic: bool| {
        if let (Some(uses), Some(absorbed)) =
            (uses.get_mut(id as usize), absorbed.get_mut(id as usize))
        {
            *uses = uses.saturating_add(1);
            *absorbed = by_arithmetic;
        }
    };
    for node in &graph.nodes {
        match *node {
            Node::Constant(_) | Node::Answer(_) => {}
            Node::Not(a) | Node::Negate(a) | Node::In(a, _) => read(a, false),
            Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) => {
                read(a, false);
                read(b, false);
            }
            Node::Arithmetic(op, a, b) => {
                read(a, true);
                read(b, op != ArithmeticOp::Divide);
            }
            Node::Call(_, range) => {
                for &argument in graph.arguments.get(range.range()).unwrap_or_default() {
                    read(argument, false);
                }
            }
        }
    }
    for &root in roots {
        read(root, false);
    }
    uses.iter()
        .zip(absorbed)
        .map(|(&uses, absorbed)| uses == 1 && absorbed)
        .collect()
}

/// Makes the arithmetic of the nodes `unchecked` marks unchecked.
fn uncheck(fused: &mut [Fused], unchecked: &[bool]) {
    for (node, &unchecked) in fused.iter_mut().zip(unchecked) {
        if let (Fused::Op(Op::Arithmetic(op, a, b)), true) = (*node, unchecked) {
            *node = Fused::Op(Op::Unchecked(op, a, b));
        }
    }
}

/// Whether a node's value is always 0 or 1, never unknown, given which nodes before it
/// are.
fn never_unknown(node: &Fused, known: &[bool]) -> bool {
    let known = |id: NodeId| known.get(id as usize).copied().unwrap_or(false);
    let boolean = |value: f64| value == 0.0 || value == 1.0;
    match node {
        Fused::Constant(value) => boolean(*value),
        Fused::Answer(_) => false,
        Fused::Op(Op::Compare(_, compare)) => boolean(compare.missing),
        Fused::Op(Op::Not(a)) => known(*a),
        Fused::Op(Op::KnownAnd(..) | Op::KnownOr(..)) => true,
        Fused::Op(_) => false,
    }
}

/// A node as it is, operands still node ids.
fn plain(node: Node) -> Fused {
    match node {
        Node::Constant(value) => Fused::Constant(value),
        Node::Answer(question) => Fused::Answer(question),
        Node::Not(a) => Fused::Op(Op::Not(a)),
        Node::Negate(a) => Fused::Op(Op::Negate(a)),
        Node::And(a, b) => Fused::Op(Op::And(a, b)),
        Node::Or(a, b) => Fused::Op(Op::Or(a, b)),
        Node::Compare(op, left, right) => Fused::Op(Op::Compare(
            op,
            Compare {
                left,
                right,
                missing: f64::NAN,
            },
        )),
        Node::Arithmetic(op, a, b) => Fused::Op(Op::Arithmetic(op, a, b)),
        Node::In(a, options) => Fused::Op(Op::In(a, options)),
        Node::Call(function, range) => Fused::Op(Op::Call(function, range)),
    }
}

/// The operator that is true exactly when `op` is false (for known operands).
fn negated(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Ge => CompareOp::Lt,
        CompareOp::Gt => CompareOp::Le,
    }
}

/// One node fused with its operands, when a pattern applies:
///
/// - `coalesce(comparison, constant)` is the comparison with the constant as its value
///   when a side is unknown, and any other `coalesce` of two arguments is one binary
///   operation;
/// - `and` and `or` of operands that are never unknown need no Kleene logic;
/// - `not comparison` is the comparison with the opposite operator (`not` of the constant
///   when a side is unknown: `not x` is `1 - x`, and NaN stays NaN).
///
/// Answers and constants need no fusing: operations read their slots directly.
fn fuse_node(node: Node, fused: &[Fused], known: &[bool], arguments: &[NodeId]) -> Option<Fused> {
    let known = |id: NodeId| known.get(id as usize).copied().unwrap_or(false);
    let compare = |id: NodeId| match fused.get(id as usize) {
        Some(Fused::Op(Op::Compare(op, compare))) => Some((*op, *compare)),
        _ => None,
    };
    let (op, fused_compare) = match node {
        Node::Call(Aggregate::Coalesce, range) => {
            let [first, second] = arguments.get(range.range())? else {
                return None;
            };
            let default = match fused.get(*second as usize) {
                Some(Fused::Constant(default)) => Some(*default),
                _ => None,
            };
            let with_default = default
                .zip(compare(*first))
                .and_then(|(default, (op, first))| {
                    let with_default = Compare {
                        missing: default,
                        ..first
                    };
                    first
                        .missing
                        .is_nan()
                        .then_some(Op::Compare(op, with_default))
                });
            return Some(Fused::Op(
                with_default.unwrap_or(Op::Coalesce2(*first, *second)),
            ));
        }
        Node::Not(operand) => {
            let (op, operand) = compare(operand)?;
            let negation = Compare {
                missing: 1.0 - operand.missing,
                ..operand
            };
            (negated(op), negation)
        }
        Node::And(a, b) if known(a) && known(b) => return Some(Fused::Op(Op::KnownAnd(a, b))),
        Node::Or(a, b) if known(a) && known(b) => return Some(Fused::Op(Op::KnownOr(a, b))),
        _ => return None,
    };
    Some(Fused::Op(Op::Compare(op, fused_compare)))
}

/// The node ids an operation reads.
fn operands<'a>(op: &Op, arguments: &'a [NodeId]) -> impl Iterator<Item = NodeId> + 'a {
    let (pair, range): ([Option<NodeId>; 2], &[NodeId]) = match *op {
        Op::Not(a) | Op::Negate(a) | Op::In(a, _) => ([Some(a), None], &[]),
        Op::And(a, b)
        | Op::Or(a, b)
        | Op::KnownAnd(a, b)
        | Op::KnownOr(a, b)
        | Op::Coalesce2(a, b)
        | Op::Arithmetic(_, a, b)
        | Op::Unchecked(_, a, b) => ([Some(a), Some(b)], &[]),
        Op::Compare(_, Compare { left, right, .. }) => ([Some(left), Some(right)], &[]),
        Op::Call(_, range) => ([None, None], arguments.get(range.range()).unwrap_or(&[])),
    };
    pair.into_iter().flatten().chain(range.iter().copied())
}

/// Which nodes the roots need, directly or through operands.
fn live_nodes(fused: &[Fused], arguments: &[NodeId], roots: &[NodeId]) -> Vec<bool> {
    let mut live = vec![false; fused.len()];
    for &root in roots {
        if let Some(flag) = live.get_mut(root as usize) {
            *flag = true;
        }
    }
    // Operands have smaller ids, so one pass from the top marks everything needed.
    for (index, node) in fused.iter().enumerate().rev() {
        if !live.get(index).copied().unwrap_or(false) {
            continue;
        }
        if let Fused::Op(op) = node {
            for operand in operands(op, arguments) {
                if let Some(flag) = live.get_mut(operand as usize) {
                    *flag = true;
                }
            }
        }
    }
    live
}

/// Per node, one more than the deepest of its operands; answers and constants are 0.
fn levels(fused: &[Fused], arguments: &[NodeId]) -> Vec<u32> {
    let mut levels: Vec<u32> = Vec::with_capacity(fused.len());
    for node in fused {
        let level = match node {
            Fused::Op(op) => operands(op, arguments)
                .map(|operand| levels.get(operand as usize).copied().unwrap_or(0) + 1)
                .max()
                .unwrap_or(1),
            Fused::Answer(_) | Fused::Constant(_) => 0,
        };
        levels.push(level);
    }
    levels
}

/// Assigns slots: answers keep their question index, live constants follow, then one
/// slot per live operation in node order.
struct Emitter {
    questions: u32,
    constants: Vec<f64>,
    slots: Vec<Slot>,
}

impl Emitter {
    fn new(questions: u32, fused: &[Fused], live: &[bool]) -> Self {
        let mut emitter = Emitter {
            questions,
            constants: Vec::new(),
            slots: Vec::with_capacity(fused.len()),
        };
        let mut by_bits: FxHashMap<u64, Slot> = FxHashMap::default();
        for (node, &live) in fused.iter().zip(live) {
            let slot = match node {
                Fused::Answer(question) => question.get(),
                Fused::Constant(value) if live => {
                    let next = emitter.next_slot(0);
                    *by_bits.entry(value.to_bits()).or_insert_with(|| {
                        emitter.constants.push(*value);
                        next
                    })
                }
                _ => Slot::MAX,
            };
            emitter.slots.push(slot);
        }
        emitter
    }

    /// The slot after the answers, the constants and `ops` operations.
    fn next_slot(&self, ops: usize) -> Slot {
        let count = self.constants.len() + ops;
        self.questions
            .saturating_add(u32::try_from(count).unwrap_or(u32::MAX))
    }

    fn slot(&self, node: NodeId) -> Slot {
        self.slots.get(node as usize).copied().unwrap_or(Slot::MAX)
    }

    /// The program: live operations ordered by level (one more than their deepest
    /// operand's; answers and constants are level 0), then kind, then node order, and cut
    /// into runs of one level and kind, so no operation reads another of its run.
    fn emit(&mut self, fused: &[Fused], arguments: &[NodeId], live: &[bool]) -> Program {
        let levels = levels(fused, arguments);
        let mut order: Vec<(u32, Kind, usize, Op)> = fused
            .iter()
            .zip(live)
            .zip(&levels)
            .enumerate()
            .filter_map(|(index, ((node, &live), &level))| match node {
                Fused::Op(op) if live => Some((level, op.kind(), index, *op)),
                _ => None,
            })
            .collect();
        order.sort_by_key(|&(level, kind, index, _)| (level, kind, index));
        let mut ops = Ops::default();
        let mut previous = None;
        for (count, (level, kind, index, op)) in order.into_iter().enumerate() {
            let op = self.relink(op, arguments, &mut ops.arguments);
            ops.push(op, previous != Some((level, kind)));
            previous = Some((level, kind));
            let slot = self.next_slot(count);
            if let Some(entry) = self.slots.get_mut(index) {
                *entry = slot;
            }
        }
        Program::new(self.questions, self.constants.clone(), ops)
    }

    /// An operation with its operands as slots; call arguments are copied into `out`.
    fn relink(&self, op: Op, arguments: &[NodeId], out: &mut Vec<Slot>) -> Op {
        let slot = |id: NodeId| self.slot(id);
        match op {
            Op::Not(a) => Op::Not(slot(a)),
            Op::Negate(a) => Op::Negate(slot(a)),
            Op::And(a, b) => Op::And(slot(a), slot(b)),
            Op::Or(a, b) => Op::Or(slot(a), slot(b)),
            Op::KnownAnd(a, b) => Op::KnownAnd(slot(a), slot(b)),
            Op::KnownOr(a, b) => Op::KnownOr(slot(a), slot(b)),
            Op::Coalesce2(a, b) => Op::Coalesce2(slot(a), slot(b)),
            Op::Compare(op, compare) => Op::Compare(
                op,
                Compare {
                    left: slot(compare.left),
                    right: slot(compare.right),
                    ..compare
                },
            ),
            Op::Arithmetic(op, a, b) => Op::Arithmetic(op, slot(a), slot(b)),
            Op::Unchecked(op, a, b) => Op::Unchecked(op, slot(a), slot(b)),
            Op::In(a, options) => Op::In(slot(a), options),
            Op::Call(function, range) => {
                let start = u32::try_from(out.len()).unwrap_or(u32::MAX);
                let nodes = arguments.get(range.range()).unwrap_or(&[]);
                out.extend(nodes.iter().map(|&id| slot(id)));
                Op::Call(
                    function,
                    ArgumentRange {
                        start,
                        len: range.len,
                    },
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{lower, Fusion, Graph, Node, NodeId, ProgramBuilder};
    use crate::eval::expr::{evaluate_program, Values};
    use crate::ruleset::program::Run;
    use crate::ruleset::{
        Aggregate, ArithmeticOp, Code, Compare, CompareOp, Kind, Ops, QuestionIndex, TipIndex,
    };

    /// Only a rule that recommends exactly one tip, without a `priority`, is a
    /// single-tip rule, whichever tip it is.
    #[test]
    fn single_tip_rules_recommend_one_tip_with_the_default_priority() {
        let text = "ruleset \"eigen\" version \"1\"\n\
             theme t \"T\" { number 1 }\n\
             factor f \"F\" { number 1 theme t horizon kort }\n\
             tip f.a { text \"A\" }\ntip f.b { text \"B\" }\ntip f.c { text \"C\" }\ntip f.d { text \"D\" }\n\
             scale maturity 0..4 { }\n\
             question f.q: maturity \"q?\" info\n\
             rule f.a { when f.q < 2 recommend f.a because \"own\" }\n\
             rule f.b { when f.q < 3 recommend f.b priority 70 because \"a priority\" }\n\
             rule f.c { when f.q < 1 recommend f.c, f.a because \"two tips\" }\n\
             rule r3 { when f.q < 4 recommend f.c because \"another tip\" }\n\
             rule r4 { when f.q < 4 raise f.d by 5 because \"a raise\" }\n";
        let file = crate::diagnostic::SourceFile::new("eigen.rules", text.to_owned());
        let compiled = match crate::compile::compile(vec![file], &[]) {
            Ok(compiled) => compiled,
            Err(diagnostics) => panic!("{}", diagnostics.render_plain()),
        };
        let program = &compiled.ruleset.program;
        assert_eq!(program.single_tip_rules, vec![0b1001]);
        assert_eq!(program.single_tips[0], TipIndex::new(0));
        assert_eq!(program.single_tips[3], TipIndex::new(2));
    }

    #[test]
    fn identical_nodes_are_shared_and_operands_come_first() {
        let mut builder = ProgramBuilder::default();
        let a = builder.node(Node::Answer(QuestionIndex::new(0)));
        let b = builder.node(Node::Answer(QuestionIndex::new(1)));
        assert_eq!(builder.node(Node::Answer(QuestionIndex::new(0))), a);
        let avg = builder.call(Aggregate::Avg, vec![a, b]);
        assert_eq!(builder.call(Aggregate::Avg, vec![a, b]), avg);
        assert_ne!(builder.call(Aggregate::Avg, vec![b, a]), avg);
        let one = builder.node(Node::Constant(1.0));
        let sum = builder.node(Node::Arithmetic(ArithmeticOp::Add, avg, one));
        assert_eq!(
            builder.node(Node::Arithmetic(ArithmeticOp::Add, avg, one)),
            sum
        );
        assert_eq!(builder.len(), 6);
        assert!(avg > a && avg > b && sum > avg && sum > one);
        assert_eq!(builder.graph().arguments.len(), 4);
    }

    #[test]
    fn answers_and_constants_are_slots_and_leaf_patterns_fuse_into_one_operation() {
        let mut builder = ProgramBuilder::default();
        let answer = builder.node(Node::Answer(QuestionIndex::new(2)));
        let one = builder.node(Node::Constant(1.0));
        let no = builder.node(Node::Constant(0.0));
        builder.node(Node::Constant(7.0));
        let le = builder.node(Node::Compare(CompareOp::Le, answer, one));
        let coalesce = builder.call(Aggregate::Coalesce, vec![le, no]);
        let not = builder.node(Node::Not(coalesce));
        let mut roots = [not, answer, no];
        let program = lower(builder.graph(), 3, &mut roots, Fusion::On);
        // Answers keep their slots, the two live constants follow, and `not (coalesce(a
        // <= 1, no))` is one comparison: a > 1, or yes when a is unknown.
        assert_eq!(program.constants, vec![1.0, 0.0]);
        assert_eq!(
            program.code,
            Code::Narrow(Ops {
                runs: vec![Run {
                    kind: Kind::GreaterElseTrue,
                    len: 1
                }],
                compares: vec![Compare {
                    left: 2,
                    right: 3,
                    missing: 1.0,
                }],
                ..Ops::default()
            })
        );
        assert_eq!(program.op_count, 1);
        assert_eq!(roots, [5, 2, 4]);
    }

    #[test]
    fn and_or_of_operands_never_unknown_need_no_kleene_logic() {
        let mut builder = ProgramBuilder::default();
        let (a, b) = (
            builder.node(Node::Answer(QuestionIndex::new(0))),
            builder.node(Node::Answer(QuestionIndex::new(1))),
        );
        let (one, no) = (
            builder.node(Node::Constant(1.0)),
            builder.node(Node::Constant(0.0)),
        );
        let le = builder.node(Node::Compare(CompareOp::Le, a, one));
        let known = builder.call(Aggregate::Coalesce, vec![le, no]);
        let unknown = builder.node(Node::Compare(CompareOp::Gt, b, one));
        let both = builder.node(Node::And(known, known));
        let mixed = builder.node(Node::Or(known, unknown));
        let mut roots = [both, mixed];
        let program = lower(builder.graph(), 2, &mut roots, Fusion::On);
        let Code::Narrow(ops) = program.code else {
            panic!("a small program has narrow operands");
        };
        let kinds: Vec<Kind> = ops.runs.iter().map(|run| run.kind).collect();
        assert!(kinds.contains(&Kind::KnownAnd) && kinds.contains(&Kind::Or));
        assert!(!kinds.contains(&Kind::And) && !kinds.contains(&Kind::KnownOr));
    }

    #[test]
    fn arithmetic_read_once_by_arithmetic_is_unchecked() {
        let mut builder = ProgramBuilder::default();
        let a = builder.node(Node::Answer(QuestionIndex::new(0)));
        let (big, ten) = (
            builder.node(Node::Constant(1e308)),
            builder.node(Node::Constant(10.0)),
        );
        // (a * 1e308) / 1e308 + 10, and 10 / (a - 10): the product, read once as a
        // dividend, and the quotient, read once by the sum, need no check; the
        // difference, a divisor, does.
        let product = builder.node(Node::Arithmetic(ArithmeticOp::Multiply, a, big));
        let quotient = builder.node(Node::Arithmetic(ArithmeticOp::Divide, product, big));
        let sum = builder.node(Node::Arithmetic(ArithmeticOp::Add, quotient, ten));
        let difference = builder.node(Node::Arithmetic(ArithmeticOp::Subtract, a, ten));
        let inverse = builder.node(Node::Arithmetic(ArithmeticOp::Divide, ten, difference));
        let mut roots = [sum, inverse];
        let program = lower(builder.graph(), 1, &mut roots, Fusion::On);
        let Code::Narrow(ops) = &program.code else {
            panic!("a small program has narrow operands");
        };
        let mut kinds: Vec<Kind> = ops.runs.iter().map(|run| run.kind).collect();
        kinds.sort();
        assert_eq!(
            kinds,
            [
                Kind::Add,
                Kind::Subtract,
                Kind::Divide,
                Kind::UncheckedMultiply,
                Kind::UncheckedDivide
            ]
        );
        let mut values = Values::default();
        for (answer, sum, inverse) in [(1.0, 11.0, -10.0 / 9.0), (10.0, f64::NAN, f64::NAN)] {
            evaluate_program(&program, &[answer], &mut values);
            let slots = values.slots();
            assert!(same(slots[roots[0] as usize], sum), "{answer}");
            assert!(same(slots[roots[1] as usize], inverse), "{answer}");
        }
    }

    /// A recipe for one node: a kind, two picks among the nodes before it, and a pick of
    /// operator, constant or options.
    type Recipe = (u8, usize, usize, u8);

    /// Builds a graph from recipes: answers to four questions and a few constants
    /// first, then nodes of every kind, biased towards the fused patterns.
    fn build(recipes: &[Recipe]) -> (Graph, Vec<NodeId>) {
        let mut builder = ProgramBuilder::default();
        let mut ids: Vec<NodeId> = QuestionIndex::all(4)
            .map(|q| builder.node(Node::Answer(q)))
            .collect();
        for value in [0.0, 1.0, 2.0, 0.5] {
            ids.push(builder.node(Node::Constant(value)));
        }
        for &(kind, a, b, extra) in recipes {
            let (a, b) = (ids[a % ids.len()], ids[b % ids.len()]);
            let constant = ids[4 + usize::from(extra) % 4];
            let compare = [
                CompareOp::Lt,
                CompareOp::Le,
                CompareOp::Eq,
                CompareOp::Ne,
                CompareOp::Ge,
                CompareOp::Gt,
            ][usize::from(extra) % 6];
            let id = match kind % 12 {
                0 | 1 => builder.node(Node::Compare(compare, a, constant)),
                2 => builder.node(Node::Compare(compare, a, b)),
                3 | 4 => builder.call(Aggregate::Coalesce, vec![a, constant]),
                5 => builder.node(Node::Not(a)),
                6 => builder.node(Node::And(a, b)),
                7 => builder.node(Node::Or(a, b)),
                8 => {
                    let op = [
                        ArithmeticOp::Add,
                        ArithmeticOp::Subtract,
                        ArithmeticOp::Multiply,
                        ArithmeticOp::Divide,
                    ][usize::from(extra) % 4];
                    builder.node(Node::Arithmetic(op, a, b))
                }
                9 => builder.node(Node::In(a, u64::from(extra))),
                10 => builder.call(Aggregate::Avg, vec![a, b, ids[usize::from(extra) % 4]]),
                _ => builder.call(Aggregate::Coalesce, vec![a, b]),
            };
            ids.push(id);
        }
        (builder.graph, ids)
    }

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    proptest! {
        #[test]
        fn fusing_changes_no_value(
            recipes in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<u8>()), 1..40),
            picks in prop::collection::vec(any::<usize>(), 1..8),
            answers in prop::collection::vec(prop::sample::select(vec![f64::NAN, 0.0, 1.0, 2.0, 3.5, -1.0]), 4),
            wide in any::<bool>(),
        ) {
            // Past 65,536 values a program has u32 operands: both kinds are checked.
            let questions = if wide { 70_000 } else { 4 };
            let (graph, ids) = build(&recipes);
            let roots: Vec<NodeId> = picks.iter().map(|pick| ids[pick % ids.len()]).collect();
            let (mut fused_roots, mut plain_roots) = (roots.clone(), roots);
            let fused = lower(&graph, questions, &mut fused_roots, Fusion::On);
            let plain = lower(&graph, questions, &mut plain_roots, Fusion::Off);
            prop_assert_eq!(matches!(fused.code, Code::Wide(_)), wide);
            prop_assert!(fused.op_count <= plain.op_count);
            let (mut fused_values, mut plain_values) = (Values::default(), Values::default());
            evaluate_program(&fused, &answers, &mut fused_values);
            evaluate_program(&plain, &answers, &mut plain_values);
            for (f, p) in fused_roots.iter().zip(&plain_roots) {
                let (f, p) = (fused_values.slots()[*f as usize], plain_values.slots()[*p as usize]);
                prop_assert!(same(f, p), "fused {f}, unfused {p}");
            }
        }
    }
}
