//! One `build_*` function per grammar rule: pest pairs to owned syntax-tree nodes.

use std::sync::Arc;

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::expr::build_expr;
use super::literal::too_large;
use super::Rule;
use crate::diagnostic::{Diagnostic, SourceFile};

/// The file being built and the diagnostics that do not stop a declaration from being
/// built (a number literal too large for its place keeps the declaration, so nothing
/// that refers to it reports a follow-on error).
pub(super) struct Context<'f> {
    /// The file.
    pub file: &'f Arc<SourceFile>,
    /// Diagnostics found so far.
    pub errors: Vec<Diagnostic>,
}

/// The byte range of a pair.
pub(super) fn span_of(pair: &Pair<'_, Rule>) -> Span {
    pair.as_span().start()..pair.as_span().end()
}

/// An identifier or path pair as a [`Name`].
pub(super) fn build_name(pair: Pair<'_, Rule>) -> Name {
    Name {
        text: pair.as_str().to_owned(),
        span: span_of(&pair),
    }
}

/// Builds the whole file; collects every error instead of stopping at the first.
pub(super) fn build_file(
    file: &Arc<SourceFile>,
    mut pairs: Pairs<'_, Rule>,
) -> (File, Vec<Diagnostic>) {
    let top = pairs.next().map(Pair::into_inner);
    // One pair per declaration and the end of input: the list is allocated once.
    let mut declarations = Vec::with_capacity(top.as_ref().map_or(0, ExactSizeIterator::len));
    let mut context = Context {
        file,
        errors: Vec::new(),
    };
    for pair in top
        .into_iter()
        .flatten()
        .filter(|pair| pair.as_rule() != Rule::EOI)
    {
        match build_declaration(&mut context, pair) {
            Ok(declaration) => declarations.push(declaration),
            Err(error) => context.errors.push(*error),
        }
    }
    (File { declarations }, context.errors)
}

fn build_declaration(
    cx: &mut Context<'_>,
    pair: Pair<'_, Rule>,
) -> Result<Declaration, Box<Diagnostic>> {
    Ok(match pair.as_rule() {
        Rule::ruleset_decl => Declaration::RuleSet(build_ruleset(pair)),
        Rule::stakeholder_decl => Declaration::Stakeholder(build_stakeholder(pair)),
        Rule::theme_decl => Declaration::Theme(build_theme(cx, pair)),
        Rule::principle_decl => {
            Declaration::Section(build_section(cx, SectionKind::Principle, pair)?)
        }
        Rule::factor_decl => Declaration::Section(build_section(cx, SectionKind::Factor, pair)?),
        Rule::tip_decl => Declaration::Tip(build_tip(cx, pair)?),
        Rule::scale_decl => Declaration::Scale(build_scale(cx, pair)),
        Rule::question_decl => Declaration::Question(build_question(cx, pair)),
        Rule::param_decl => Declaration::Param(build_param(cx, pair)),
        Rule::rule_decl => Declaration::Rule(build_rule(cx, pair)?),
        Rule::template_decl => Declaration::Template(build_template(cx, pair)?),
        _ => Declaration::Test(build_test(cx, pair)),
    })
}

fn build_text(pair: Pair<'_, Rule>) -> Text {
    let span = span_of(&pair);
    let body = pair.into_inner().next().map_or("", |body| body.as_str());
    Text {
        value: unescape(body),
        span,
    }
}

/// The text of a string body: `\n` becomes a line end, `\x` becomes `x`. The runs
/// between escapes are copied whole (most texts have no escape at all).
fn unescape(body: &str) -> String {
    let mut value = String::with_capacity(body.len());
    let mut rest = body;
    while let Some((run, after)) = rest.split_once('\\') {
        value.push_str(run);
        let mut escaped = after.chars();
        match escaped.next() {
            Some('n') => value.push('\n'),
            Some(other) => value.push(other),
            None => {}
        }
        rest = escaped.as_str();
    }
    value.push_str(rest);
    value
}

/// A whole number that must fit an `i64`; a larger one is reported and read as
/// `i64::MAX`, whose follow-on diagnostics at the same span the compiler drops.
fn build_integer(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Spanned<i64> {
    let span = span_of(&pair);
    let value = pair.as_str().parse().unwrap_or_else(|_| {
        let limit = i64::MAX.to_string();
        let error = too_large(
            cx.file,
            span.clone(),
            pair.as_str(),
            "a whole number",
            limit,
        );
        cx.errors.push(error);
        i64::MAX
    });
    Spanned { value, span }
}

/// A number that must be finite; an infinite one is reported and kept as infinity.
pub(super) fn build_number(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Spanned<f64> {
    let span = span_of(&pair);
    let value = number_value(cx, pair.as_str(), &span);
    Spanned { value, span }
}

/// The value of a number literal (the grammar guarantees its form); one too large for
/// an `f64` is reported at `span`.
pub(super) fn number_value(cx: &mut Context<'_>, text: &str, span: &Span) -> f64 {
    let value: f64 = text.parse().unwrap_or(f64::NAN);
    if !value.is_finite() {
        let error = too_large(cx.file, span.clone(), text, "a number", "about 1.8e308");
        cx.errors.push(error);
    }
    value
}

fn build_ruleset(pair: Pair<'_, Rule>) -> RuleSetDecl {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let name = inner.next().map(build_text);
    RuleSetDecl {
        name: name.unwrap_or(Text {
            value: String::new(),
            span: span.clone(),
        }),
        version: inner.next().map(build_text),
        span,
    }
}

fn build_stakeholder(pair: Pair<'_, Rule>) -> StakeholderDecl {
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name);
    let display = inner.next().map(build_text);
    StakeholderDecl {
        id: id.unwrap_or_else(empty_name),
        display: display.unwrap_or_else(empty_text),
    }
}

fn build_theme(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> ThemeDecl {
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let title = inner.next().map(build_text).unwrap_or_else(empty_text);
    let number = inner
        .next()
        .and_then(|item| item.into_inner().next())
        .map(|number| build_u32(cx, number));
    ThemeDecl { id, title, number }
}

/// A `number N` of a theme or section: it must fit a `u32`.
fn build_u32(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Spanned<u32> {
    let span = span_of(&pair);
    let value = pair.as_str().parse().unwrap_or_else(|_| {
        let limit = u32::MAX.to_string();
        let error = too_large(cx.file, span.clone(), pair.as_str(), "a `number`", limit);
        cx.errors.push(error);
        u32::MAX
    });
    Spanned { value, span }
}

fn build_section(
    cx: &mut Context<'_>,
    kind: SectionKind,
    pair: Pair<'_, Rule>,
) -> Result<SectionDecl, Box<Diagnostic>> {
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let title = inner.next().map(build_text).unwrap_or_else(empty_text);
    let mut section = SectionDecl {
        kind,
        id,
        title,
        number: None,
        theme: None,
        horizon: None,
        stakeholders: Vec::new(),
        note: None,
        quickscan: None,
        lead: None,
        applies: Vec::new(),
    };
    for item in inner {
        let rule = item.as_rule();
        let span = span_of(&item);
        if rule == Rule::applies_item {
            section.applies.push(build_applies(cx, item)?);
            continue;
        }
        let Some(first) = item.into_inner().next() else {
            continue;
        };
        match rule {
            Rule::number_item => section.number = Some(build_u32(cx, first)),
            Rule::theme_item => section.theme = Some(build_name(first)),
            Rule::horizon_item => {
                section.horizon = Some(Spanned {
                    value: build_horizon(first),
                    span,
                })
            }
            Rule::stakeholders_item => section
                .stakeholders
                .extend(first.into_inner().map(build_name)),
            Rule::quickscan_item => section.quickscan = Some(build_name(first)),
            Rule::lead_item => section.lead = Some(build_name(first)),
            _ => section.note = Some(build_text(first)),
        }
    }
    Ok(section)
}

fn build_applies(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Result<Applies, Box<Diagnostic>> {
    let mut inner = pair.into_inner();
    let when = match inner.next() {
        Some(expr) => build_expr(cx, expr)?,
        None => Expr {
            kind: ExprKind::Bool(true),
            span: 0..0,
        },
    };
    let because = inner.next().map(build_text).unwrap_or_else(empty_text);
    Ok(Applies { when, because })
}

fn build_horizon(pair: Pair<'_, Rule>) -> HorizonSpec {
    if pair.as_rule() == Rule::horizon_none {
        return HorizonSpec::NotGiven;
    }
    let levels: Vec<HorizonLevel> = pair
        .into_inner()
        .map(|level| horizon_level(level.as_str()))
        .collect();
    let first = levels.first().copied().unwrap_or(HorizonLevel::Kort);
    HorizonSpec::Range(first, levels.last().copied().unwrap_or(first))
}

fn horizon_level(text: &str) -> HorizonLevel {
    match text {
        "kort" => HorizonLevel::Kort,
        "midden" => HorizonLevel::Midden,
        _ => HorizonLevel::Lang,
    }
}

fn build_tip(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Result<TipDecl, Box<Diagnostic>> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let mut tip = TipDecl {
        id,
        text: None,
        after: Vec::new(),
        group: None,
        lead: None,
        applies: Vec::new(),
        because: None,
        span,
    };
    for item in inner {
        let rule = item.as_rule();
        if rule == Rule::applies_item {
            tip.applies.push(build_applies(cx, item)?);
            continue;
        }
        let Some(first) = item.into_inner().next() else {
            continue;
        };
        match rule {
            Rule::text_item => tip.text = Some(build_text(first)),
            Rule::after_item => tip.after.extend(first.into_inner().map(build_name)),
            Rule::lead_item => tip.lead = Some(build_name(first)),
            Rule::because_item => tip.because = Some(build_text(first)),
            _ => tip.group = Some(build_text(first)),
        }
    }
    Ok(tip)
}

fn build_scale(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> ScaleDecl {
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let low = inner.next().map(|low| build_integer(cx, low));
    let high = inner.next().map(|high| build_integer(cx, high));
    let labels = inner
        .filter_map(|label| {
            let mut parts = label.into_inner();
            let level = build_integer(cx, parts.next()?);
            let text = build_text(parts.next()?);
            Some((level, text, parts.next().map(build_text)))
        })
        .collect();
    let zero = || Spanned {
        value: 0,
        span: id.span.clone(),
    };
    ScaleDecl {
        low: low.unwrap_or_else(zero),
        high: high.unwrap_or_else(zero),
        id,
        labels,
    }
}

fn build_question(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> QuestionDecl {
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let kind = inner.next().map_or(QuestionTypeSpec::YesNo, |kind| {
        build_question_type(cx, kind)
    });
    let text = inner.next().map(build_text).unwrap_or_else(empty_text);
    QuestionDecl {
        id,
        kind,
        text,
        info: inner.next().is_some(),
    }
}

fn build_question_type(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> QuestionTypeSpec {
    match pair.as_rule() {
        Rule::yesno_type => QuestionTypeSpec::YesNo,
        Rule::percent_type => QuestionTypeSpec::Percent,
        Rule::number_type => {
            QuestionTypeSpec::Number(pair.into_inner().nth(1).map(|range| build_range(cx, range)))
        }
        Rule::choice_type => {
            QuestionTypeSpec::Choice(pair.into_inner().map(build_option).collect())
        }
        _ => QuestionTypeSpec::Scale(pair.into_inner().next().map_or_else(empty_name, build_name)),
    }
}

fn build_range(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Spanned<(f64, f64)> {
    let span = span_of(&pair);
    let mut bounds = pair.into_inner().map(|bound| build_number(cx, bound).value);
    let low = bounds.next().unwrap_or(f64::NAN);
    Spanned {
        value: (low, bounds.next().unwrap_or(f64::NAN)),
        span,
    }
}

fn build_option(pair: Pair<'_, Rule>) -> (Name, Option<Text>) {
    let mut inner = pair.into_inner();
    let name = inner.next().map(build_name).unwrap_or_else(empty_name);
    (name, inner.next().map(build_text))
}

fn build_param(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> ParamDecl {
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let value = inner.next().map(|value| build_number(cx, value));
    let value = value.unwrap_or(Spanned {
        value: f64::NAN,
        span: id.span.clone(),
    });
    ParamDecl {
        id,
        value,
        description: inner.next().map(build_text),
    }
}

fn build_rule(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Result<RuleDecl, Box<Diagnostic>> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    build_rule_body(cx, id, span, inner)
}

/// The items of a rule or template body.
fn build_rule_body(
    cx: &mut Context<'_>,
    id: Name,
    span: Span,
    items: Pairs<'_, Rule>,
) -> Result<RuleDecl, Box<Diagnostic>> {
    let mut rule = RuleDecl {
        id,
        when: None,
        recommend: Vec::new(),
        raise: Vec::new(),
        raise_by: None,
        priority: None,
        because: None,
        span,
    };
    for item in items {
        let kind = item.as_rule();
        let mut parts = item.into_inner();
        let Some(first) = parts.next() else {
            continue;
        };
        match kind {
            Rule::when_item => rule.when = Some(build_expr(cx, first)?),
            Rule::recommend_item => rule.recommend.extend(first.into_inner().map(build_name)),
            Rule::raise_item => {
                rule.raise.extend(first.into_inner().map(build_name));
                if let Some(amount) = parts.next() {
                    rule.raise_by = Some(build_expr(cx, amount)?);
                }
            }
            Rule::priority_item => rule.priority = Some(build_expr(cx, first)?),
            _ => rule.because = Some(build_text(first)),
        }
    }
    Ok(rule)
}

fn build_template(
    cx: &mut Context<'_>,
    pair: Pair<'_, Rule>,
) -> Result<TemplateDecl, Box<Diagnostic>> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let id = inner.next().map(build_name).unwrap_or_else(empty_name);
    let scope = match inner.next().and_then(|scope| scope.into_inner().next()) {
        Some(list) if list.as_rule() == Rule::ident_list => {
            TemplateScope::Sections(list.into_inner().map(build_name).collect())
        }
        _ => TemplateScope::Every,
    };
    let body = build_rule_body(cx, id.clone(), span, inner)?;
    Ok(TemplateDecl { id, scope, body })
}

fn build_test(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> TestDecl {
    let mut inner = pair.into_inner();
    let name = inner.next().map(build_text).unwrap_or_else(empty_text);
    let mut test = TestDecl {
        name,
        given: Vec::new(),
        expectations: Vec::new(),
    };
    for item in inner {
        match item.as_rule() {
            Rule::given_item => {
                for assignment in item.into_inner() {
                    test.given.push(build_assignment(cx, assignment));
                }
            }
            Rule::expect_not_item => test.expectations.extend(expectations(cx, item, true)),
            _ => test.expectations.extend(expectations(cx, item, false)),
        }
    }
    test
}

fn build_assignment(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Assignment {
    let mut inner = pair.into_inner();
    let question = inner.next().map(build_name).unwrap_or_else(empty_name);
    let value = inner.next().map_or(
        Spanned {
            value: GivenValue::Missing,
            span: question.span.clone(),
        },
        |value| {
            let span = span_of(&value);
            let given = match value.as_rule() {
                Rule::missing_lit => GivenValue::Missing,
                Rule::bool_lit => GivenValue::Bool(matches!(value.as_str(), "yes" | "true")),
                Rule::signed_number => GivenValue::Number(number_value(cx, value.as_str(), &span)),
                _ => GivenValue::Option(value.as_str().to_owned()),
            };
            Spanned { value: given, span }
        },
    );
    Assignment { question, value }
}

fn expectations(cx: &mut Context<'_>, item: Pair<'_, Rule>, negated: bool) -> Vec<Expectation> {
    let mut inner = item.into_inner();
    let tips: Vec<Name> = inner
        .next()
        .map(|list| list.into_inner().map(build_name).collect())
        .unwrap_or_default();
    let priority = inner.next().and_then(|bound| {
        let mut parts = bound.into_inner();
        let op = compare_op(parts.next()?.as_rule());
        Some((op, build_number(cx, parts.next()?)))
    });
    tips.into_iter()
        .map(|tip| Expectation {
            tip,
            negated,
            priority: priority.clone(),
        })
        .collect()
}

fn compare_op(rule: Rule) -> CompareOp {
    match rule {
        Rule::lt => CompareOp::Lt,
        Rule::le => CompareOp::Le,
        Rule::gt => CompareOp::Gt,
        Rule::ge => CompareOp::Ge,
        Rule::ne => CompareOp::Ne,
        _ => CompareOp::Eq,
    }
}

fn empty_name() -> Name {
    Name {
        text: String::new(),
        span: 0..0,
    }
}

fn empty_text() -> Text {
    Text {
        value: String::new(),
        span: 0..0,
    }
}

#[cfg(test)]
mod unescape_tests {
    use proptest::prelude::*;

    use super::unescape;

    /// The character-by-character reading `unescape` replaced, kept as its specification.
    fn unescape_by_chars(body: &str) -> String {
        let mut value = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => value.push('\n'),
                Some(escaped) => value.push(escaped),
                None => {}
            }
        }
        value
    }

    proptest! {
        #[test]
        fn copying_runs_between_escapes_agrees_with_reading_char_by_char(
            body in "[a\\\\n\"é€ ]{0,24}"
        ) {
            prop_assert_eq!(unescape(&body), unescape_by_chars(&body));
        }
    }
}
