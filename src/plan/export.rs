//! The dependency graph for people: Graphviz DOT and Mermaid text of the whole
//! catalogue or of one programme's plan, with phases as ranks (columns, left to right)
//! and each tip labelled with its roles. Output is a function of the plan and the rule
//! set only, so it is byte-identical across runs.
//!
//! Hand-written rather than petgraph's `Dot`: that writer has no `rank=same` groups, and
//! the phases are the point of the picture.

use std::fmt::Write as _;

use super::Plan;
use crate::ruleset::{horizon_text, RuleSet, TipIndex};

/// What a graph shows.
#[derive(Debug, Clone, Copy)]
pub enum GraphView<'a> {
    /// Every tip of the catalogue; phases are the layering of the whole graph.
    Catalogue,
    /// One programme's plan.
    Programme {
        /// The programme's id, for the title.
        programme: &'a str,
        /// Its plan.
        plan: &'a Plan,
    },
}

/// Roles per label line, at most about this many characters.
const LABEL_WIDTH: usize = 40;
/// The colour of a handoff edge.
const HANDOFF_COLOUR: &str = "#c0392b";
/// The fill of a focus tip.
const FOCUS_FILL: &str = "#fde9a9";

/// One tip as drawn.
struct Node {
    tip: TipIndex,
    phase: u32,
    lines: Vec<String>,
    focus: bool,
    pulled_in: bool,
}

/// Everything either format draws.
struct Model {
    title: String,
    legend: Option<&'static str>,
    phase_count: u32,
    nodes: Vec<Node>,
    /// `(prerequisite, tip, is_handoff)`.
    edges: Vec<(TipIndex, TipIndex, bool)>,
}

/// The graph in Graphviz's DOT language; render it with `dot -Tsvg`.
pub fn render_dot(ruleset: &RuleSet, view: GraphView<'_>) -> String {
    let model = model(ruleset, view);
    let mut out = String::from("digraph studentsucces {\n");
    let title = match model.legend {
        Some(legend) => format!("{}\n{legend}", model.title),
        None => model.title.clone(),
    };
    let _ = writeln!(
        out,
        "    graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", ranksep=0.9, label={}];",
        dot_string(&title)
    );
    out.push_str("    node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("    edge [color=\"#666666\"];\n");
    if model.nodes.is_empty() {
        out.push_str("    empty [label=\"Geen tips in het plan\", shape=plaintext];\n");
    }
    for phase in 1..=model.phase_count {
        write_dot_phase(&mut out, &model, phase);
    }
    for phase in 1..model.phase_count {
        let _ = writeln!(
            out,
            "    phase_{phase} -> phase_{} [style=invis];",
            phase + 1
        );
    }
    for &(from, to, handoff) in &model.edges {
        let style = match handoff {
            true => format!(" [color=\"{HANDOFF_COLOUR}\", penwidth=1.6]"),
            false => String::new(),
        };
        let _ = writeln!(out, "    t{from} -> t{to}{style};");
    }
    out.push_str("}\n");
    out
}

fn write_dot_phase(out: &mut String, model: &Model, phase: u32) {
    let _ = writeln!(out, "    subgraph phase_{phase}_group {{");
    out.push_str("        rank=same;\n");
    let _ = writeln!(
        out,
        "        phase_{phase} [label=\"Fase {phase}\", shape=plaintext, fontsize=14];"
    );
    for node in model.nodes.iter().filter(|node| node.phase == phase) {
        let style = match (node.focus, node.pulled_in) {
            (true, true) => format!(
                ", style=\"rounded,dashed,bold,filled\", fillcolor=\"{FOCUS_FILL}\", penwidth=2"
            ),
            (true, false) => {
                format!(", style=\"rounded,bold,filled\", fillcolor=\"{FOCUS_FILL}\", penwidth=2")
            }
            (false, true) => ", style=\"rounded,dashed\"".to_owned(),
            (false, false) => String::new(),
        };
        let label = dot_string(&node.lines.join("\n"));
        let _ = writeln!(out, "        t{} [label={label}{style}];", node.tip);
    }
    out.push_str("    }\n");
}

/// The graph as a Mermaid flowchart, one subgraph per phase.
pub fn render_mermaid(ruleset: &RuleSet, view: GraphView<'_>) -> String {
    let model = model(ruleset, view);
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", yaml_string(&model.title));
    out.push_str("---\nflowchart LR\n");
    if let Some(legend) = model.legend {
        let _ = writeln!(out, "    %% {legend}");
    }
    if model.nodes.is_empty() {
        out.push_str("    empty[\"Geen tips in het plan\"]\n");
    }
    for phase in 1..=model.phase_count {
        let _ = writeln!(out, "    subgraph phase_{phase}[\"Fase {phase}\"]");
        out.push_str("        direction TB\n");
        for node in model.nodes.iter().filter(|node| node.phase == phase) {
            let label = node
                .lines
                .iter()
                .map(|line| mermaid_text(line))
                .collect::<Vec<_>>()
                .join("<br/>");
            let _ = writeln!(out, "        t{}[\"{label}\"]", node.tip);
        }
        out.push_str("    end\n");
    }
    for &(from, to, _) in &model.edges {
        let _ = writeln!(out, "    t{from} --> t{to}");
    }
    write_mermaid_styles(&mut out, &model);
    out
}

fn write_mermaid_styles(out: &mut String, model: &Model) {
    let _ = writeln!(
        out,
        "    classDef focus stroke-width:3px,font-weight:bold,fill:{FOCUS_FILL}"
    );
    out.push_str("    classDef pulled stroke-dasharray:5 5\n");
    let focus: Vec<String> = model
        .nodes
        .iter()
        .filter(|node| node.focus)
        .map(|node| format!("t{}", node.tip))
        .collect();
    if !focus.is_empty() {
        let _ = writeln!(out, "    class {} focus", focus.join(","));
    }
    let pulled: Vec<String> = model
        .nodes
        .iter()
        .filter(|node| node.pulled_in)
        .map(|node| format!("t{}", node.tip))
        .collect();
    if !pulled.is_empty() {
        let _ = writeln!(out, "    class {} pulled", pulled.join(","));
    }
    let handoffs: Vec<String> = (0..)
        .zip(&model.edges)
        .filter(|(_, edge)| edge.2)
        .map(|(index, _): (usize, _)| index.to_string())
        .collect();
    if !handoffs.is_empty() {
        let _ = writeln!(
            out,
            "    linkStyle {} stroke:{HANDOFF_COLOUR},stroke-width:2px",
            handoffs.join(",")
        );
    }
}

fn model(ruleset: &RuleSet, view: GraphView<'_>) -> Model {
    let info = ruleset.info();
    let profile = ruleset
        .roles()
        .profile()
        .map_or_else(String::new, |name| format!(", profiel {name}"));
    match view {
        GraphView::Catalogue => {
            let title = format!("{} {}: alle tips{profile}", info.name, info.version);
            build_model(ruleset, &ruleset.catalogue_plan(), title, false)
        }
        GraphView::Programme { programme, plan } => {
            let title = format!(
                "{} {}: plan voor {programme}{profile}",
                info.name, info.version
            );
            build_model(ruleset, plan, title, true)
        }
    }
}

fn build_model(ruleset: &RuleSet, plan: &Plan, title: String, programme: bool) -> Model {
    let roles = ruleset.roles();
    let nodes = plan
        .steps()
        .iter()
        .map(|step| Node {
            tip: step.tip,
            phase: step.phase,
            lines: node_lines(ruleset, step, programme),
            focus: plan.focus().contains(&step.tip),
            pulled_in: step.pulled_in,
        })
        .collect();
    let edges = plan
        .edges(ruleset)
        .map(|(from, to)| {
            let handoff = matches!(
                (roles.lead_of(from), roles.lead_of(to)),
                (Some(a), Some(b)) if a != b
            );
            (from, to, handoff)
        })
        .collect();
    Model {
        title,
        legend: programme.then_some(
            "vet: deze cyclus; gestreept: voorwaarde die nog niet is ingevoerd; rood: overdracht tussen trekkers",
        ),
        phase_count: plan.phase_count(),
        nodes,
        edges,
    }
}

/// The tip's id; its priority (for a programme) and horizon; "voorwaarde" for a pulled-in
/// tip; its roles' names, wrapped.
fn node_lines(ruleset: &RuleSet, step: &super::PlanStep, programme: bool) -> Vec<String> {
    let Some(tip) = ruleset.tip(step.tip) else {
        return Vec::new();
    };
    let horizon = ruleset
        .section_of(tip)
        .and_then(|section| horizon_text(section.horizon))
        .unwrap_or_else(|| "niet gegeven".to_owned());
    let mut lines = vec![tip.id.clone()];
    lines.push(match programme {
        true => format!("prioriteit {}, tijdspad {horizon}", step.priority),
        false => format!("tijdspad {horizon}"),
    });
    if step.pulled_in {
        lines.push("voorwaarde, nog niet ingevoerd".to_owned());
    }
    let roles = ruleset.roles();
    if let Some(lead) = roles.lead_of(step.tip).and_then(|lead| roles.get(lead)) {
        lines.push(format!("trekker: {}", lead.name));
    }
    let names: Vec<&str> = roles
        .of_tip(step.tip)
        .iter()
        .filter(|&&role| Some(role) != roles.lead_of(step.tip))
        .filter_map(|&role| roles.get(role))
        .map(|role| role.name.as_str())
        .collect();
    lines.extend(wrap(&names, LABEL_WIDTH));
    lines
}

/// Joins names with ", " into lines of about `width` characters.
fn wrap(names: &[&str], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for name in names {
        if !line.is_empty() && line.chars().count() + name.chars().count() + 2 > width {
            line.push(',');
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push_str(", ");
        }
        line.push_str(name);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A DOT double-quoted string; a newline becomes DOT's centred line break `\n`.
fn dot_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => {}
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// Text inside a quoted Mermaid label: characters Mermaid reads as markup become entity
/// codes.
fn mermaid_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '"' => escaped.push_str("#quot;"),
            '#' => escaped.push_str("#35;"),
            '<' => escaped.push_str("#lt;"),
            '>' => escaped.push_str("#gt;"),
            '\n' | '\r' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A double-quoted YAML string for Mermaid's front matter.
fn yaml_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\n', '\r'], " ");
    format!("\"{escaped}\"")
}
