//! The shape of a file for the formatter: where each declaration starts and ends and
//! where each item of a declaration's block starts. The syntax tree merges items into
//! fields and drops comments; the formatter keeps the text and needs only these offsets.

use std::sync::Arc;

use pest::iterators::Pair;
use pest::Parser as _;

use super::{parse, Rule, RulesParser};
use crate::diagnostic::{Diagnostic, SourceFile, Span};

/// One declaration of a file: its byte range (first to last token, no trailing comment)
/// and the offsets at which the items of its block start, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationLayout {
    /// From the declaration's keyword to the end of its last token.
    pub span: Span,
    /// Where each item of its `{ ... }` block starts; empty without a block or items.
    pub items: Vec<usize>,
}

/// Parses `file` and returns the layout of its declarations, or every syntax diagnostic
/// [`parse`] reports: a file with any of them has no layout.
pub fn layout(file: &Arc<SourceFile>) -> Result<Vec<DeclarationLayout>, Vec<Diagnostic>> {
    let (_, diagnostics) = parse(file);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    // `parse` checked the nesting depth, so pest cannot recurse too deep here.
    let pairs = RulesParser::parse(Rule::file, &file.text)
        .map_err(|error| vec![super::expected::syntax_diagnostic(file, &error)])?;
    let top = pairs.flat_map(Pair::into_inner);
    Ok(top
        .filter(|pair| pair.as_rule() != Rule::EOI)
        .map(|declaration| DeclarationLayout {
            span: declaration.as_span().start()..declaration.as_span().end(),
            items: declaration
                .into_inner()
                .filter(|pair| is_item(pair.as_rule()))
                .map(|pair| pair.as_span().start())
                .collect(),
        })
        .collect())
}

/// Whether a pair inside a declaration is one item of its block.
fn is_item(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::number_item
            | Rule::theme_item
            | Rule::horizon_item
            | Rule::stakeholders_item
            | Rule::note_item
            | Rule::quickscan_item
            | Rule::lead_item
            | Rule::applies_item
            | Rule::text_item
            | Rule::after_item
            | Rule::group_item
            | Rule::because_item
            | Rule::scale_label
            | Rule::when_item
            | Rule::recommend_item
            | Rule::raise_item
            | Rule::priority_item
            | Rule::given_item
            | Rule::expect_not_item
            | Rule::expect_item
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_and_their_items() {
        let text = "// c\nstakeholder a \"A\"\ntip t.x { text \"T\"\n lead a }\n";
        let file = Arc::new(SourceFile::new("t.rules", text));
        let layout = layout(&file).unwrap();
        assert_eq!(layout.len(), 2);
        assert_eq!(&text[layout[0].span.clone()], "stakeholder a \"A\"");
        assert!(layout[0].items.is_empty());
        let items: Vec<&str> = layout[1]
            .items
            .iter()
            .map(|&at| &text[at..at + 4])
            .collect();
        assert_eq!(items, ["text", "lead"]);
    }

    #[test]
    fn a_syntax_error_gives_its_diagnostics() {
        let file = Arc::new(SourceFile::new("t.rules", "tip t.x { text }"));
        assert!(!layout(&file).unwrap_err().is_empty());
    }
}
