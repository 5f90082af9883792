//! The grammar: every construct, operator precedence, and the limits of nesting and
//! file size.

use super::ast::{
    Argument, BinaryOp, CompareOp, Declaration, Expr, ExprKind, Function, GivenValue, HorizonLevel,
    HorizonSpec, QuestionTypeSpec, Spanned, UnaryOp,
};
use super::{parse_str, MAX_FILE_BYTES, MAX_NESTING};

fn parse_ok(text: &str) -> Vec<Declaration> {
    let (file, errors) = parse_str("test.rules", text);
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    file.declarations
}

/// The `when` expression of a one-rule file, as a fully parenthesised s-expression.
fn when_of(expression: &str) -> String {
    let text = format!("rule r {{ when {expression} recommend t.t because \"b\" }}");
    match parse_ok(&text).remove(0) {
        Declaration::Rule(rule) => sexpr(&rule.when.unwrap()),
        other => panic!("not a rule: {other:?}"),
    }
}

fn sexpr(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Number(n) => n.to_string(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Reference(name) => name.clone(),
        ExprKind::Unary(UnaryOp::Not, e) => format!("(not {})", sexpr(e)),
        ExprKind::Unary(UnaryOp::Negate, e) => format!("(neg {})", sexpr(e)),
        ExprKind::Binary(op, l, r) => format!("({} {} {})", op_name(*op), sexpr(l), sexpr(r)),
        ExprKind::In(e, options) => {
            let options: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
            format!("(in {} [{}])", sexpr(e), options.join(" "))
        }
        ExprKind::Call(function, args) => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match a {
                    Argument::Expr(e) => sexpr(e),
                    Argument::Glob(prefix) => format!("{}.*", prefix.text),
                })
                .collect();
            format!("({function:?} {})", args.join(" "))
        }
    }
}

fn op_name(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Or => "or",
        BinaryOp::And => "and",
        BinaryOp::Compare(c) => c.symbol(),
        BinaryOp::Add => "+",
        BinaryOp::Subtract => "-",
        BinaryOp::Multiply => "*",
        BinaryOp::Divide => "/",
    }
}

#[test]
fn precedence_from_or_down_to_unary_minus() {
    let cases = [
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c", "(or (and a b) c)"),
        ("not a and b", "(and (not a) b)"),
        ("not a < 1", "(not (< a 1))"),
        ("a + b * c < d", "(< (+ a (* b c)) d)"),
        ("a - b - c = 0", "(= (- (- a b) c) 0)"),
        ("a / b / c >= 1", "(>= (/ (/ a b) c) 1)"),
        ("-a * b <= 2", "(<= (* (neg a) b) 2)"),
        ("(a + b) * c != 3", "(!= (* (+ a b) c) 3)"),
        ("x in [p, q] or y", "(or (in x [p q]) y)"),
        ("not x in [p]", "(not (in x [p]))"),
        ("a > 1 and b = yes", "(and (> a 1) (= b true))"),
        ("avg(f.*, q) > min(1, 2)", "(> (Avg f.* q) (Min 1 2))"),
        ("coalesce(a, b) < max(c)", "(< (Coalesce a b) (Max c))"),
        (
            "answered(a) and missing(b) or count(f.*) = 0",
            "(or (and (Answered a) (Missing b)) (= (Count f.*) 0))",
        ),
        ("a.b.c <= 2.5", "(<= a.b.c 2.5)"),
    ];
    for (expression, expected) in cases {
        assert_eq!(when_of(expression), expected, "in `{expression}`");
    }
}

#[test]
fn every_declaration_parses() {
    let declarations = parse_ok(include_str!("../../tests/data/small.rules"));
    let count = |f: fn(&Declaration) -> bool| declarations.iter().filter(|d| f(d)).count();
    assert_eq!(count(|d| matches!(d, Declaration::RuleSet(_))), 1);
    assert_eq!(count(|d| matches!(d, Declaration::Theme(_))), 1);
    assert_eq!(count(|d| matches!(d, Declaration::Stakeholder(_))), 3);
    assert_eq!(count(|d| matches!(d, Declaration::Section(_))), 3);
    assert_eq!(count(|d| matches!(d, Declaration::Tip(_))), 4);
    assert_eq!(count(|d| matches!(d, Declaration::Scale(_))), 1);
    assert_eq!(count(|d| matches!(d, Declaration::Question(_))), 8);
    assert_eq!(count(|d| matches!(d, Declaration::Param(_))), 2);
    assert_eq!(count(|d| matches!(d, Declaration::Rule(_))), 4);
    assert_eq!(count(|d| matches!(d, Declaration::Test(_))), 4);
}

#[test]
fn sections_tips_and_questions_keep_their_parts() {
    let text = r#"
        factor f "F" { number 3 theme t horizon kort..midden stakeholders a, b note "N \"q\"" }
        principle p "P" { number 1 horizon none }
        tip f.x { text "X" after f.y, f.z group "G" }
        question f.x: choice [ja "Ja", nee] "Q?" info
        question f.n: number -1.5..10 "N?"
        param drempel = -2.5 "D"
        test "t" { given f.x = ja, f.n = 2, f.b = yes, f.m = missing expect f.x priority >= 10 expect not f.y }
    "#;
    let declarations = parse_ok(text);
    let Declaration::Section(factor) = &declarations[0] else {
        panic!()
    };
    assert_eq!(
        factor.horizon.as_ref().unwrap().value,
        HorizonSpec::Range(HorizonLevel::Kort, HorizonLevel::Midden)
    );
    assert_eq!(factor.stakeholders.len(), 2);
    assert_eq!(factor.note.as_ref().unwrap().value, "N \"q\"");
    let Declaration::Section(principle) = &declarations[1] else {
        panic!()
    };
    assert_eq!(
        principle.horizon.as_ref().unwrap().value,
        HorizonSpec::NotGiven
    );
    let Declaration::Tip(tip) = &declarations[2] else {
        panic!()
    };
    assert_eq!(
        tip.after
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>(),
        ["f.y", "f.z"]
    );
    assert_eq!(tip.group.as_ref().unwrap().value, "G");
    let Declaration::Question(choice) = &declarations[3] else {
        panic!()
    };
    assert!(choice.info);
    let QuestionTypeSpec::Choice(options) = &choice.kind else {
        panic!()
    };
    assert_eq!(options[0].1.as_ref().unwrap().value, "Ja");
    assert!(options[1].1.is_none());
    let Declaration::Question(number) = &declarations[4] else {
        panic!()
    };
    assert_eq!(
        number.kind,
        QuestionTypeSpec::Number(Some(Spanned {
            value: (-1.5, 10.0),
            span: number_span(text)
        }))
    );
    let Declaration::Param(param) = &declarations[5] else {
        panic!()
    };
    assert_eq!(param.value.value, -2.5);
    let Declaration::Test(test) = &declarations[6] else {
        panic!()
    };
    let given: Vec<&GivenValue> = test.given.iter().map(|g| &g.value.value).collect();
    assert_eq!(
        given,
        [
            &GivenValue::Option("ja".into()),
            &GivenValue::Number(2.0),
            &GivenValue::Bool(true),
            &GivenValue::Missing
        ]
    );
    assert_eq!(
        test.expectations[0].priority.as_ref().unwrap().0,
        CompareOp::Ge
    );
    assert!(test.expectations[1].negated);
}

#[test]
fn scale_labels_may_carry_a_description() {
    let text = r#"scale s 0..2 { 0 "Nul" "Niets \"zichtbaar\"" 1 "Een" 2 "Twee" "Alles" }"#;
    let Declaration::Scale(scale) = parse_ok(text).remove(0) else {
        panic!()
    };
    let labels: Vec<(i64, &str, Option<&str>)> = scale
        .labels
        .iter()
        .map(|(level, label, description)| {
            let description = description.as_ref().map(|d| d.value.as_str());
            (level.value, label.value.as_str(), description)
        })
        .collect();
    assert_eq!(
        labels,
        [
            (0, "Nul", Some("Niets \"zichtbaar\"")),
            (1, "Een", None),
            (2, "Twee", Some("Alles"))
        ]
    );
}

fn number_span(text: &str) -> std::ops::Range<usize> {
    let start = text.find("-1.5..10").unwrap();
    start..start + "-1.5..10".len()
}

#[test]
fn comments_and_escapes() {
    let declarations =
        parse_ok("// a comment\nstakeholder s \"line\\nbreak \\\\ slash\" // trailing\n");
    let Declaration::Stakeholder(s) = &declarations[0] else {
        panic!()
    };
    assert_eq!(s.display.value, "line\nbreak \\ slash");
}

/// Comments are an alternative of `WHITESPACE` (there was a `COMMENT` rule): the same
/// runs of blanks and comments are skipped between any two tokens.
#[test]
fn runs_of_blanks_and_comments_between_tokens_are_skipped_as_before() {
    let plain = when_of("not a.b in [x, y] and avg(q.*, 2) >= -1");
    let commented = when_of(
        "// c\n not // c\n\r\n a.b // c\n in // c\n [ // c\n x //\n, y] and\t// c\n// d\n \
         avg( // c\n q.* , 2) >= // c\n - 1 // c\n",
    );
    assert_eq!(commented, plain);
    let text = "// only comments\n\n// and blanks\t\r\n  //";
    assert!(parse_ok(text).is_empty());
}

/// A function's name must be followed by blanks and `(`, never by a comment: the
/// look-ahead names the blanks itself, as the old `WHITESPACE*` matched them.
#[test]
fn a_comment_between_a_function_and_its_parenthesis_is_an_error_as_before() {
    assert_eq!(when_of("avg \t\r\n (q.a)"), when_of("avg(q.a)"));
    let text = "rule r { when avg // c\n (q.a) recommend t.t because \"b\" }";
    let (_, errors) = parse_str("test.rules", text);
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn function_names_stay_usable_inside_ids() {
    assert_eq!(when_of("f.maximum > f.average"), "(> f.maximum f.average)");
}

fn nested_parentheses(depth: usize) -> String {
    format!("{}a{} > 1", "(".repeat(depth), ")".repeat(depth))
}

#[test]
fn nesting_at_the_limit_parses_and_one_past_is_refused() {
    let rule =
        |expression: String| format!("rule r {{ when {expression} recommend t.t because \"b\" }}");
    let (_, errors) = parse_str("deep.rules", &rule(nested_parentheses(MAX_NESTING)));
    assert!(errors.is_empty(), "{errors:?}");
    let (_, errors) = parse_str("deep.rules", &rule(nested_parentheses(MAX_NESTING + 1)));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].kind.to_string(),
        format!("nested deeper than {MAX_NESTING} levels")
    );
}

#[test]
fn ten_thousand_parentheses_give_an_error_not_a_stack_overflow() {
    let text = format!(
        "rule r {{ when {} recommend t.t because \"b\" }}",
        nested_parentheses(10_000)
    );
    // Run on a small stack, as a rayon worker would.
    let errors = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || parse_str("deep.rules", &text).1)
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(errors.len(), 1);
    let location = errors[0].location();
    assert_eq!((location.line, location.column), (1, 271));
}

#[test]
fn long_operator_chains_and_prefix_runs_are_bounded_too() {
    let chain = format!(
        "rule r {{ when {} > 1 recommend t.t because \"b\" }}",
        vec!["a"; 10_000].join(" + ")
    );
    let (_, errors) = parse_str("chain.rules", &chain);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let nots = format!(
        "rule r {{ when {} a recommend t.t because \"b\" }}",
        "not ".repeat(10_000)
    );
    let (_, errors) = parse_str("nots.rules", &nots);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let brackets_in_strings = format!("stakeholder s \"{}\"", "(".repeat(10_000));
    parse_ok(&brackets_in_strings);
}

#[test]
fn call_with_glob_and_expressions() {
    assert_eq!(
        when_of("count(f.*, g.x + 1) > 0"),
        "(> (Count f.* (+ g.x 1)) 0)"
    );
    let _ = Function::Count;
}

/// The valid rule set of `tests/rule_sources.rs`: eight declarations.
const SMALL_VALID: &str = r#"ruleset "Bronnen" version "1"
stakeholder s "S"
theme t "T" { number 1 }
factor f "F" { number 1 theme t horizon kort stakeholders s }
tip f.a { text "A" }
scale maturity 0..4 { }
question f.a: maturity "Q?"
rule f.a { when f.a < 2 recommend f.a because "b" }
"#;

#[test]
fn text_over_the_file_size_limit_is_refused_by_the_parser_too() {
    let at_limit = format!(
        "{SMALL_VALID}{}",
        " ".repeat(MAX_FILE_BYTES - SMALL_VALID.len())
    );
    let (file, errors) = parse_str("limit.rules", &at_limit);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(file.declarations.len(), 8);
    let (file, errors) = parse_str("over.rules", &format!("{at_limit} "));
    assert!(file.declarations.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].kind.to_string(),
        "the file is 10485761 bytes, over the limit of 10485760 bytes"
    );
}
