//! Template sub-expressions lowered once per value of the placeholders they mention.
//!
//! A template is lowered once per tip, but most of its sub-expressions do not mention
//! `$tip`: `prio_factor * max(0, in_place - coalesce(avg($section.*), $quickscan))` is
//! the same for every tip of a section, `min($fundament, fundament_max)` for every tip
//! with as many tips building on it. Lowering such a sub-expression again would only
//! find the nodes it made the first time (the graph is hash-consed), so its result is
//! kept, with the questions it read and the expression nodes it counted, and replayed.
//! Only lowerings that succeeded without a diagnostic are kept, and a replay that would
//! reach the limit of expression nodes lowers for real, so every diagnostic is the one
//! lowering would have given. A compile that records explanation trees replays nothing.

use super::fx::FxHashMap;
use super::lower::Lowered;
use super::template::Placeholders;
use crate::ruleset::QuestionIndex;
use crate::syntax::ast::{Argument, Expr, ExprKind};

/// The sub-expression mentions `$tip`.
const TIP: u8 = 1;
/// The sub-expression mentions `$quickscan`.
pub(super) const QUICKSCAN: u8 = 2;
/// The sub-expression mentions `$section` (in a glob).
pub(super) const SECTION: u8 = 4;
/// The sub-expression mentions `$fundament`.
pub(super) const FUNDAMENT: u8 = 8;
/// The sub-expression mentions `$kort`.
pub(super) const KORT: u8 = 16;

/// A sub-expression (by its address in the syntax tree) and the values of the
/// placeholders it mentions (the others zero).
pub(super) type Key = (usize, u32, u32, u64, u64);

/// What lowering a sub-expression gave, to give it again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Replay {
    /// The lowered expression.
    pub lowered: Lowered,
    /// How many expression nodes it counted against the limit.
    pub nodes: usize,
    /// The questions it read: a range of [`Reuse::reads`].
    reads: (usize, usize),
}

/// The sub-expressions of templates kept so far.
#[derive(Debug, Default)]
pub(super) struct Reuse {
    /// Per sub-expression of a template body, by address, the placeholders it
    /// mentions; leaves and sub-expressions that mention `$tip` are not here.
    mentions: FxHashMap<usize, u8>,
    /// The lowered sub-expressions.
    kept: FxHashMap<Key, Replay>,
    /// The questions every kept sub-expression reads, one range each.
    reads: Vec<QuestionIndex>,
}

impl Reuse {
    /// Notes which placeholders each sub-expression of a template body mentions.
    pub fn note_template(&mut self, expr: &Expr) {
        self.note(expr);
    }

    fn note(&mut self, expr: &Expr) -> u8 {
        let mentions = match &expr.kind {
            ExprKind::Number(_) | ExprKind::Bool(_) => return 0,
            ExprKind::Reference(name) => return placeholder(name),
            ExprKind::Unary(_, operand) | ExprKind::In(operand, _) => self.note(operand),
            ExprKind::Binary(_, left, right) => self.note(left) | self.note(right),
            ExprKind::Call(_, arguments) => arguments.iter().fold(0, |mentions, argument| {
                mentions
                    | match argument {
                        Argument::Expr(expr) => self.note(expr),
                        Argument::Glob(prefix) if prefix.text == "$section" => SECTION,
                        Argument::Glob(prefix) => placeholder(&prefix.text),
                    }
            }),
        };
        if mentions & TIP == 0 {
            self.mentions.insert(address(expr), mentions);
        }
        mentions
    }

    /// The key of `expr` for the tip `values` stand for, if it can be kept.
    pub fn key(&self, expr: &Expr, values: &Placeholders) -> Option<Key> {
        let at = address(expr);
        let mentions = *self.mentions.get(&at)?;
        Some(values.key(at, mentions))
    }

    /// What `key` lowered to before, if it was kept.
    pub fn get(&self, key: &Key) -> Option<Replay> {
        self.kept.get(key).copied()
    }

    /// The questions a replay reads.
    pub fn reads(&self, replay: &Replay) -> &[QuestionIndex] {
        self.reads
            .get(replay.reads.0..replay.reads.1)
            .unwrap_or_default()
    }

    /// Keeps what `key` lowered to: `lowered`, counting `nodes`, reading `reads`.
    pub fn keep(&mut self, key: Key, lowered: Lowered, nodes: usize, reads: &[QuestionIndex]) {
        let start = self.reads.len();
        self.reads.extend_from_slice(reads);
        let replay = Replay {
            lowered,
            nodes,
            reads: (start, self.reads.len()),
        };
        self.kept.insert(key, replay);
    }
}

/// The placeholder bit of a reference.
fn placeholder(name: &str) -> u8 {
    match name {
        "$tip" => TIP,
        "$quickscan" => QUICKSCAN,
        "$fundament" => FUNDAMENT,
        "$kort" => KORT,
        // Any other placeholder has no value: lowering reports it, and nothing is kept.
        _ if name.starts_with('$') => TIP,
        _ => 0,
    }
}

/// A sub-expression's identity while its syntax tree is borrowed.
fn address(expr: &Expr) -> usize {
    std::ptr::from_ref(expr) as usize
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::explain::Trace;
    use super::super::{parse_all, Builder, Declarations};
    use crate::diagnostic::SourceFile;
    use crate::input::roadmap_sources;
    use crate::ruleset::QuestionIndex;

    /// Per rule of the Roadmap: its condition, priority and the questions it reads.
    type Rules = Vec<(u32, Option<u32>, Vec<QuestionIndex>)>;

    /// The Roadmap lowered, replaying kept sub-expressions or (recording explanation
    /// trees, which turns replaying off) lowering each one again: the graph, the rules,
    /// the nodes counted against the limit and how many sub-expressions were kept.
    fn lowered(replaying: bool) -> (super::super::program::Graph, Rules, usize, usize) {
        let files: Vec<Arc<SourceFile>> = roadmap_sources().into_iter().map(Arc::new).collect();
        let (trees, diagnostics) = parse_all(&files);
        let declarations = Declarations::collect(&trees);
        let trace = (!replaying).then(Trace::default);
        let builder = Builder::run(&trees, &declarations, diagnostics, &[], trace);
        let rules = builder
            .ruleset
            .rules
            .iter()
            .map(|rule| (rule.when, rule.priority, rule.reads.clone()))
            .collect();
        let kept = builder.reuse.kept.len();
        (
            builder.program.graph().clone(),
            rules,
            builder.spent(),
            kept,
        )
    }

    #[test]
    fn replaying_template_sub_expressions_gives_what_lowering_each_again_gives() {
        let (graph, rules, spent, kept) = lowered(true);
        let (fresh_graph, fresh_rules, fresh_spent, fresh_kept) = lowered(false);
        assert!(kept > 0, "the Roadmap's template keeps sub-expressions");
        assert_eq!(
            fresh_kept, 0,
            "a compile that records trees replays nothing"
        );
        assert_eq!(graph.nodes, fresh_graph.nodes);
        assert_eq!(graph.arguments, fresh_graph.arguments);
        assert_eq!(rules, fresh_rules);
        assert_eq!(spent, fresh_spent);
    }
}
