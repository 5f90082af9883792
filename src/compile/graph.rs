//! The tip dependency graph: `after` edges resolved, checked for cycles with petgraph,
//! and the topological order and the planner's tables kept in the rule set.

use std::collections::HashSet;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Builder, Declarations};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::ruleset::TipIndex;
use fixedbitset::FixedBitSet;

impl Builder {
    pub(super) fn build_graph(&mut self, declarations: &Declarations<'_>) {
        for (file, decl) in &declarations.tips {
            let Some(tip) = self.tables.tips.get(&decl.id.text) else {
                continue;
            };
            let mut after: Vec<TipIndex> = Vec::new();
            let mut listed = HashSet::new();
            for name in &decl.after {
                let Some(prerequisite) =
                    self.tables.tips.resolve(file, name, &mut self.diagnostics)
                else {
                    continue;
                };
                if listed.insert(prerequisite) {
                    after.push(prerequisite);
                }
            }
            if let Some(tip) = self.ruleset.tips.get_mut(tip.index()) {
                tip.after = after;
            }
        }
        let graph = self.dependency_graph();
        match toposort(&graph, None) {
            Ok(order) => {
                self.ruleset.topological_order = order
                    .into_iter()
                    .map(|node| TipIndex::new(node.index() as u32))
                    .collect();
                self.count_fundament();
            }
            Err(_) => self.report_cycles(&graph),
        }
    }

    /// Per tip, how many tips build on it, directly or through others: walks the
    /// topological order backwards, so every dependent's set is complete when read.
    fn count_fundament(&mut self) {
        let tip_count = self.ruleset.tips.len();
        let mut builds_on: Vec<FixedBitSet> =
            vec![FixedBitSet::with_capacity(tip_count); tip_count];
        for &tip in self.ruleset.topological_order.iter().rev() {
            let Some(decl) = self.ruleset.tips.get(tip.index()) else {
                continue;
            };
            let dependents = builds_on.get(tip.index()).cloned().unwrap_or_default();
            for &prerequisite in &decl.after {
                if let Some(set) = builds_on.get_mut(prerequisite.index()) {
                    set.union_with(&dependents);
                    set.insert(tip.index());
                }
            }
        }
        for (tip, set) in self.ruleset.tips.iter_mut().zip(&builds_on) {
            tip.fundament = u32::try_from(set.count_ones(..)).unwrap_or(u32::MAX);
        }
    }

    /// Edges run from a prerequisite to the tip that needs it.
    fn dependency_graph(&self) -> DiGraph<(), ()> {
        let mut graph = DiGraph::with_capacity(self.ruleset.tips.len(), 0);
        for _ in &self.ruleset.tips {
            graph.add_node(());
        }
        for (tip, decl) in TipIndex::enumerate(&self.ruleset.tips) {
            for &prerequisite in &decl.after {
                graph.add_edge(
                    NodeIndex::new(prerequisite.index()),
                    NodeIndex::new(tip.index()),
                    (),
                );
            }
        }
        graph
    }

    /// One diagnostic per cycle, naming every tip on it, at the first of them.
    fn report_cycles(&mut self, graph: &DiGraph<(), ()>) {
        for component in tarjan_scc(graph) {
            let is_cycle = component.len() > 1
                || component
                    .first()
                    .is_some_and(|&node| graph.contains_edge(node, node));
            if !is_cycle {
                continue;
            }
            let mut tips: Vec<(String, TipIndex)> = component
                .iter()
                .filter_map(|node| {
                    let index = TipIndex::new(node.index() as u32);
                    Some((self.ruleset.tips.get(node.index())?.id.clone(), index))
                })
                .collect();
            tips.sort();
            let Some((_, first)) = tips.first() else {
                continue;
            };
            let Some((file, name)) = self.tables.tips.declared_at(*first) else {
                continue;
            };
            let (file, span) = (file.clone(), name.span.clone());
            let kind = DiagnosticKind::Cycle {
                tips: tips.into_iter().map(|(id, _)| id).collect(),
            };
            let diagnostic = Diagnostic::new(kind, &file, span, "this tip is on the cycle")
                .with_help("remove one `after` edge on the cycle so the tips can be ordered");
            self.diagnostics.push(diagnostic);
        }
    }
}
