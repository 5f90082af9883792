//! The tip dependency graph: `after` edges resolved, checked for cycles with petgraph,
//! and the topological order and the planner's tables kept in the rule set.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Builder, Declarations};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::plan::PlanTables;
use crate::ruleset::TipIndex;

impl Builder {
    pub(super) fn build_graph(&mut self, declarations: &Declarations<'_>) {
        for (file, decl) in &declarations.tips {
            let Some(tip) = self.tables.tips.get(&decl.id.text) else {
                continue;
            };
            let mut after: Vec<TipIndex> = Vec::new();
            for name in &decl.after {
                let Some(prerequisite) =
                    self.tables.tips.resolve(file, name, &mut self.diagnostics)
                else {
                    continue;
                };
                if !after.contains(&prerequisite) {
                    after.push(prerequisite);
                }
            }
            if let Some(tip) = self.ruleset.tips.get_mut(tip as usize) {
                tip.after = after;
            }
        }
        let graph = self.dependency_graph();
        match toposort(&graph, None) {
            Ok(order) => {
                self.ruleset.topological_order = order
                    .into_iter()
                    .map(|node| node.index() as TipIndex)
                    .collect();
                self.ruleset.planning = PlanTables::new(&self.ruleset);
            }
            Err(_) => self.report_cycles(&graph),
        }
    }

    /// Edges run from a prerequisite to the tip that needs it.
    fn dependency_graph(&self) -> DiGraph<(), ()> {
        let mut graph = DiGraph::with_capacity(self.ruleset.tips.len(), 0);
        for _ in &self.ruleset.tips {
            graph.add_node(());
        }
        for (tip, decl) in (0u32..).zip(&self.ruleset.tips) {
            for &prerequisite in &decl.after {
                graph.add_edge(
                    NodeIndex::new(prerequisite as usize),
                    NodeIndex::new(tip as usize),
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
            let mut tips: Vec<(String, u32)> = component
                .iter()
                .filter_map(|node| {
                    let index = node.index() as u32;
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
