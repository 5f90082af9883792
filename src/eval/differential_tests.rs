//! Differential test of the evaluator, after Cedar's differential testing against its
//! reference model: random small rule sets (every question type, params, and/or/not,
//! comparisons, arithmetic with division by zero, the aggregates with globs, `in`) and
//! random answers, missing ones included. Each rule set is compiled and evaluated by
//! `RuleSet::evaluate` (the hash-consed arena in one pass), and every rule's firing and
//! priority is compared with a naive recursive evaluation of the syntax tree written
//! here from `docs/language.md`: Kleene's three-valued logic with `None` as unknown.

//!
//! A unit test, not an integration test, because the syntax tree is private to the crate.
//! Failing cases proptest finds are kept in
//! `proptest-regressions/eval/differential_tests.txt`.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::Answers;
use crate::compile::compile;
use crate::diagnostic::SourceFile;
use crate::syntax::ast::{
    Argument, BinaryOp, CompareOp, Declaration, Expr, ExprKind, Function, UnaryOp,
};
use crate::syntax::parse_str;

/// The answer types of the questionnaire under test.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// `maturity`, levels 0..4.
    Scale,
    YesNo,
    Percent,
    /// `number` with a range, or without.
    Number(Option<(f64, f64)>),
    /// `choice [a, b, c]`.
    Choice,
}

const OPTIONS: [&str; 3] = ["a", "b", "c"];

/// Every question: two groups, so globs `f.*` and `g.*` select different sets.
const QUESTIONS: [(&str, Kind); 11] = [
    ("f.s0", Kind::Scale),
    ("f.s1", Kind::Scale),
    ("f.y0", Kind::YesNo),
    ("f.p0", Kind::Percent),
    ("f.n0", Kind::Number(Some((-50.0, 50.0)))),
    ("f.m0", Kind::Number(None)),
    ("f.c0", Kind::Choice),
    ("f.c1", Kind::Choice),
    ("g.x0", Kind::Number(None)),
    ("g.x1", Kind::Percent),
    ("g.y0", Kind::YesNo),
];

const PARAMS: [&str; 2] = ["p0", "p1"];

fn is_numeric(kind: Kind) -> bool {
    matches!(kind, Kind::Scale | Kind::Percent | Kind::Number(_))
}

fn questions_where(keep: fn(Kind) -> bool) -> Vec<&'static str> {
    QUESTIONS
        .iter()
        .filter(|(_, kind)| keep(*kind))
        .map(|(id, _)| *id)
        .collect()
}

// ---------------------------------------------------------------------------------
// Generators: source text of well-typed expressions, fully parenthesised
// ---------------------------------------------------------------------------------

/// Literals lie within every numeric question's range, so comparisons of a question
/// with a literal or a param are never out of range (a compile error, not our subject).
fn literal() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["0", "0.5", "1", "2", "3", "4"]).prop_map(str::to_owned)
}

fn number_leaf() -> BoxedStrategy<String> {
    prop_oneof![
        literal(),
        prop::sample::select(questions_where(is_numeric)).prop_map(str::to_owned),
        prop::sample::select(PARAMS.to_vec()).prop_map(str::to_owned),
    ]
    .boxed()
}

/// An expression whose value is an option of the choice question `question`: the
/// question itself, or a `coalesce` of it.
fn choice_of(question: &'static str) -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(question.to_owned()),
        1 => (1..3usize).prop_map(move |n| format!("coalesce({})", vec![question; n].join(", "))),
    ]
    .boxed()
}

/// A choice question and two expressions of its options.
fn choice_pair() -> BoxedStrategy<(String, String)> {
    prop::sample::select(questions_where(|kind| kind == Kind::Choice))
        .prop_flat_map(|question| (choice_of(question), choice_of(question)))
        .boxed()
}

fn bool_leaf() -> BoxedStrategy<String> {
    let option = prop::sample::select(OPTIONS.to_vec());
    let equality = prop::sample::select(vec!["=", "!="]);
    prop_oneof![
        prop::sample::select(vec!["yes", "no", "true", "false"]).prop_map(str::to_owned),
        prop::sample::select(questions_where(|kind| kind == Kind::YesNo)).prop_map(str::to_owned),
        (
            choice_pair(),
            option.clone(),
            equality.clone(),
            any::<bool>()
        )
            .prop_map(|((choice, _), option, op, swapped)| match swapped {
                false => format!("({choice} {op} {option})"),
                true => format!("({option} {op} {choice})"),
            }),
        (choice_pair(), equality).prop_map(|((a, b), op)| format!("(({a}) {op} ({b}))")),
        (
            choice_pair(),
            prop::sample::subsequence(OPTIONS.to_vec(), 1..=3)
        )
            .prop_map(|((choice, _), options)| format!("(({choice}) in [{}])", options.join(", "))),
        (
            prop::sample::select(vec!["answered", "missing"]),
            prop::sample::select(QUESTIONS.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        )
            .prop_map(|(function, question)| format!("{function}({question})")),
    ]
    .boxed()
}

/// An argument of `avg`, `min`, `max`: a number expression or a glob.
fn number_argument(depth: u32) -> BoxedStrategy<String> {
    prop_oneof![
        3 => number(depth),
        1 => prop::sample::select(vec!["f.*", "g.*"]).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Any one expression: a number, a yes/no value or a choice question.
fn any_expression(depth: u32) -> BoxedStrategy<String> {
    prop_oneof![
        number(depth),
        boolean(depth),
        prop::sample::select(questions_where(|kind| kind == Kind::Choice)).prop_map(str::to_owned),
    ]
    .boxed()
}

/// An argument of `count`: anything, globs over every type included.
fn any_argument(depth: u32) -> BoxedStrategy<String> {
    prop_oneof![
        3 => any_expression(depth),
        1 => prop::sample::select(vec!["f.*", "g.*"]).prop_map(str::to_owned),
    ]
    .boxed()
}

fn call(name: &'static str, arguments: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop::collection::vec(arguments, 1..4)
        .prop_map(move |arguments| format!("{name}({})", arguments.join(", ")))
        .boxed()
}

/// A number expression at most `depth` levels deep.
fn number(depth: u32) -> BoxedStrategy<String> {
    if depth == 0 {
        return number_leaf();
    }
    let inner = depth - 1;
    let arithmetic = prop::sample::select(vec!["+", "-", "*", "/"]);
    prop_oneof![
        2 => number_leaf(),
        1 => number(inner).prop_map(|a| format!("(-({a}))")),
        3 => (number(inner), arithmetic, number(inner))
            .prop_map(|(a, op, b)| format!("(({a}) {op} ({b}))")),
        1 => call("avg", number_argument(inner)),
        1 => call("min", number_argument(inner)),
        1 => call("max", number_argument(inner)),
        1 => call("count", any_argument(inner)),
        1 => call("coalesce", number(inner)),
    ]
    .boxed()
}

/// A yes/no expression at most `depth` levels deep.
fn boolean(depth: u32) -> BoxedStrategy<String> {
    if depth == 0 {
        return bool_leaf();
    }
    let inner = depth - 1;
    let ordering = prop::sample::select(vec!["<", "<=", ">", ">=", "=", "!="]);
    let equality = prop::sample::select(vec!["=", "!="]);
    prop_oneof![
        2 => bool_leaf(),
        1 => boolean(inner).prop_map(|a| format!("(not ({a}))")),
        2 => (boolean(inner), prop::sample::select(vec!["and", "or"]), boolean(inner))
            .prop_map(|(a, op, b)| format!("(({a}) {op} ({b}))")),
        3 => (number(inner), ordering, number(inner))
            .prop_map(|(a, op, b)| format!("(({a}) {op} ({b}))")),
        1 => (boolean(inner), equality, boolean(inner))
            .prop_map(|(a, op, b)| format!("(({a}) {op} ({b}))")),
        1 => call("coalesce", boolean(inner)),
        1 => (prop::sample::select(vec!["answered", "missing"]), any_expression(inner))
            .prop_map(|(function, argument)| format!("{function}({argument})")),
    ]
    .boxed()
}

/// A rule: its condition and, mostly, a priority.
fn rule() -> impl Strategy<Value = (String, Option<String>)> {
    (boolean(4), prop::option::weighted(0.8, number(3)))
}

/// An answer of the right type, or missing (`None`). Unbounded numbers include the
/// extremes, whose sums and products are not finite.
fn answer(kind: Kind) -> BoxedStrategy<Option<f64>> {
    let known: BoxedStrategy<f64> = match kind {
        Kind::Scale => (0..=4i32).prop_map(f64::from).boxed(),
        Kind::YesNo => prop::bool::ANY.prop_map(|b| f64::from(u8::from(b))).boxed(),
        Kind::Percent => prop_oneof![(0..=100i32).prop_map(f64::from), (0.0..=100.0f64)].boxed(),
        Kind::Number(Some((low, high))) => (low..=high).boxed(),
        Kind::Number(None) => prop::sample::select(vec![
            0.0,
            -0.0,
            2.5,
            -3.0,
            1000.0,
            1e308,
            -1e308,
            f64::MAX,
            1e-300,
        ])
        .boxed(),
        Kind::Choice => (0..3u32).prop_map(f64::from).boxed(),
    };
    prop::option::weighted(0.75, known).boxed()
}

fn answers() -> impl Strategy<Value = Vec<Option<f64>>> {
    QUESTIONS
        .iter()
        .map(|(_, kind)| answer(*kind))
        .collect::<Vec<_>>()
}

/// [`answers`], now and then with one value no check lets through (which
/// [`Answers::set`] accepts): a fraction, a negative number, -0, a whole number past the
/// scale, past every level, huge. On a question that takes levels it is no level code,
/// and the batch's block holding it falls back to the number columns.
fn answers_off_scale() -> impl Strategy<Value = Vec<Option<f64>>> {
    let stray = (
        0..QUESTIONS.len(),
        prop::sample::select(vec![2.5, -1.0, -0.0, 5.0, 63.0, 64.0, 300.0, 1e308]),
    );
    (answers(), prop::option::weighted(0.05, stray)).prop_map(|(mut answers, stray)| {
        if let Some((question, value)) = stray {
            answers[question] = Some(value);
        }
        answers
    })
}

/// A comparison of level questions, or of a mean of them, with a literal, sometimes
/// with a fallback: the shapes the batch's byte program reads from level codes.
fn level_leaf() -> BoxedStrategy<String> {
    let operand = prop::sample::select(vec![
        "f.s0",
        "f.s1",
        "avg(f.s0, f.s1)",
        "avg(f.s1, f.s0, f.s1)",
    ]);
    let op = prop::sample::select(vec!["<", "<=", "=", "!=", ">=", ">"]);
    let fallback = prop::sample::select(vec!["", "no", "yes"]);
    (operand, op, literal(), fallback)
        .prop_map(|(operand, op, literal, fallback)| match fallback {
            "" => format!("({operand} {op} {literal})"),
            fallback => format!("coalesce({operand} {op} {literal}, {fallback})"),
        })
        .boxed()
}

/// `and`, `or` and `not` of [`level_leaf`]s.
fn level_condition() -> BoxedStrategy<String> {
    level_leaf()
        .prop_recursive(2, 8, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                inner.prop_map(|a| format!("(not {a})")),
            ]
        })
        .boxed()
}

// ---------------------------------------------------------------------------------
// The rule set's text
// ---------------------------------------------------------------------------------

fn question_declaration(id: &str, kind: Kind) -> String {
    let kind = match kind {
        Kind::Scale => "maturity".to_owned(),
        Kind::YesNo => "yesno".to_owned(),
        Kind::Percent => "percent".to_owned(),
        Kind::Number(Some((low, high))) => format!("number {low}..{high}"),
        Kind::Number(None) => "number".to_owned(),
        Kind::Choice => format!("choice [{}]", OPTIONS.join(", ")),
    };
    format!("question {id}: {kind} \"{id}?\" info\n")
}

fn source(params: &[f64], rules: &[(String, Option<String>)]) -> String {
    let mut text = String::from(
        "ruleset \"differentieel\" version \"1\"\n\
         theme t \"T\" { number 1 }\n\
         factor f \"F\" { number 1 theme t horizon kort }\n\
         tip f.t0 { text \"T0\" }\n\
         scale maturity 0..4 { }\n",
    );
    for (id, kind) in QUESTIONS {
        text.push_str(&question_declaration(id, kind));
    }
    for (name, value) in PARAMS.iter().zip(params) {
        text.push_str(&format!("param {name} = {value}\n"));
    }
    for (index, (when, priority)) in rules.iter().enumerate() {
        let priority = priority
            .as_ref()
            .map_or_else(String::new, |priority| format!("priority {priority}"));
        text.push_str(&format!(
            "rule r{index} {{\n    when {when}\n    recommend f.t0\n    {priority}\n    because \"b\"\n}}\n"
        ));
    }
    text
}

// ---------------------------------------------------------------------------------
// The reference model: a naive recursive evaluation of the syntax tree
// ---------------------------------------------------------------------------------

/// A value of the model; `None` is unknown.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(Option<f64>),
    Bool(Option<bool>),
    /// An answer to a choice question: the option's index.
    Choice(Option<usize>),
    /// A bare name that is a choice option, resolved against the other side.
    OptionName(String),
}

struct Model<'a> {
    answers: &'a [Option<f64>],
    params: &'a [f64],
}

/// A number that is not finite is unknown ("results that are not finite are unknown").
fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

impl Model<'_> {
    fn question(&self, id: &str) -> Option<(Kind, Option<f64>)> {
        let index = QUESTIONS.iter().position(|(question, _)| *question == id)?;
        Some((QUESTIONS[index].1, self.answers[index]))
    }

    fn eval(&self, expr: &Expr) -> Value {
        match &expr.kind {
            ExprKind::Number(value) => Value::Number(Some(*value)),
            ExprKind::Bool(value) => Value::Bool(Some(*value)),
            ExprKind::Reference(name) => self.reference(name),
            ExprKind::Unary(UnaryOp::Not, operand) => {
                Value::Bool(self.boolean(operand).map(|b| !b))
            }
            ExprKind::Unary(UnaryOp::Negate, operand) => {
                Value::Number(self.number(operand).map(|n| -n))
            }
            ExprKind::Binary(op, left, right) => self.binary(*op, left, right),
            ExprKind::In(operand, options) => match self.eval(operand) {
                Value::Choice(answer) => Value::Bool(
                    answer.map(|index| options.iter().any(|option| OPTIONS[index] == option.text)),
                ),
                other => panic!("`in` on {other:?}"),
            },
            ExprKind::Call(function, arguments) => self.call(*function, arguments),
        }
    }

    fn reference(&self, name: &str) -> Value {
        if let Some((kind, answer)) = self.question(name) {
            return match kind {
                Kind::YesNo => Value::Bool(answer.map(|a| a == 1.0)),
                Kind::Choice => Value::Choice(answer.map(|a| a as usize)),
                _ => Value::Number(answer),
            };
        }
        if let Some(index) = PARAMS.iter().position(|param| *param == name) {
            return Value::Number(Some(self.params[index]));
        }
        Value::OptionName(name.to_owned())
    }

    fn number(&self, expr: &Expr) -> Option<f64> {
        match self.eval(expr) {
            Value::Number(value) => value,
            other => panic!("expected a number, got {other:?}"),
        }
    }

    fn boolean(&self, expr: &Expr) -> Option<bool> {
        match self.eval(expr) {
            Value::Bool(value) => value,
            other => panic!("expected a yes/no value, got {other:?}"),
        }
    }

    fn binary(&self, op: BinaryOp, left: &Expr, right: &Expr) -> Value {
        match op {
            BinaryOp::And => Value::Bool(kleene_and(self.boolean(left), self.boolean(right))),
            BinaryOp::Or => Value::Bool(kleene_or(self.boolean(left), self.boolean(right))),
            BinaryOp::Compare(compare) => Value::Bool(self.compare(compare, left, right)),
            BinaryOp::Add | BinaryOp::Subtract | BinaryOp::Multiply | BinaryOp::Divide => {
                let (Some(a), Some(b)) = (self.number(left), self.number(right)) else {
                    return Value::Number(None);
                };
                Value::Number(match op {
                    BinaryOp::Add => finite(a + b),
                    BinaryOp::Subtract => finite(a - b),
                    BinaryOp::Multiply => finite(a * b),
                    _ if b == 0.0 => None,
                    _ => finite(a / b),
                })
            }
        }
    }

    fn compare(&self, op: CompareOp, left: &Expr, right: &Expr) -> Option<bool> {
        let ordering = |a: f64, b: f64| match op {
            CompareOp::Lt => a < b,
            CompareOp::Le => a <= b,
            CompareOp::Gt => a > b,
            CompareOp::Ge => a >= b,
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
        };
        let equality = |equal: bool| match op {
            CompareOp::Eq => equal,
            CompareOp::Ne => !equal,
            _ => panic!("ordering of yes/no values or choices"),
        };
        match (self.eval(left), self.eval(right)) {
            (Value::Number(a), Value::Number(b)) => Some(ordering(a?, b?)),
            (Value::Bool(a), Value::Bool(b)) => Some(equality(a? == b?)),
            (Value::Choice(a), Value::Choice(b)) => Some(equality(a? == b?)),
            (Value::Choice(answer), Value::OptionName(option))
            | (Value::OptionName(option), Value::Choice(answer)) => {
                Some(equality(OPTIONS[answer?] == option))
            }
            (a, b) => panic!("cannot compare {a:?} with {b:?}"),
        }
    }

    /// The values of a call's arguments, globs expanded in declaration order.
    fn arguments(&self, arguments: &[Argument], numeric_only: bool) -> Vec<Value> {
        let mut values = Vec::new();
        for argument in arguments {
            match argument {
                Argument::Expr(expr) => values.push(self.eval(expr)),
                Argument::Glob(prefix) => {
                    let dotted = format!("{}.", prefix.text);
                    for (id, kind) in QUESTIONS {
                        if id.starts_with(&dotted) && (!numeric_only || is_numeric(kind)) {
                            values.push(self.reference(id));
                        }
                    }
                }
            }
        }
        values
    }

    fn call(&self, function: Function, arguments: &[Argument]) -> Value {
        let numeric_only = matches!(function, Function::Avg | Function::Min | Function::Max);
        let values = self.arguments(arguments, numeric_only);
        let known = |value: &Value| match value {
            Value::Number(v) => v.is_some(),
            Value::Bool(v) => v.is_some(),
            Value::Choice(v) => v.is_some(),
            Value::OptionName(_) => true,
        };
        let numbers: Vec<f64> = values
            .iter()
            .filter_map(|value| match value {
                Value::Number(v) => *v,
                _ => None,
            })
            .collect();
        match function {
            Function::Count => {
                Value::Number(Some(values.iter().filter(|v| known(v)).count() as f64))
            }
            Function::Answered => Value::Bool(Some(values.iter().any(known))),
            Function::Missing => Value::Bool(Some(!values.iter().any(known))),
            Function::Coalesce => {
                let first_known = values.iter().find(|v| known(v)).cloned();
                first_known.unwrap_or_else(|| match values.first() {
                    Some(Value::Bool(_)) => Value::Bool(None),
                    Some(Value::Choice(_)) => Value::Choice(None),
                    _ => Value::Number(None),
                })
            }
            Function::Min => Value::Number(numbers.iter().copied().reduce(f64::min)),
            Function::Max => Value::Number(numbers.iter().copied().reduce(f64::max)),
            Function::Avg => Value::Number(mean(&numbers)),
        }
    }
}

/// The mean of finite numbers, which is finite: summed as is when the sum fits, else
/// each divided first.
fn mean(numbers: &[f64]) -> Option<f64> {
    if numbers.is_empty() {
        return None;
    }
    let count = numbers.len() as f64;
    let sum: f64 = numbers.iter().sum();
    match sum.is_finite() {
        true => finite(sum / count),
        false => finite(numbers.iter().map(|n| n / count).sum()),
    }
}

fn kleene_and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn kleene_or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// What the language reference says a fired rule's priority is: 50 without a
/// `priority`, 0 (and unknown) when it reads unknowns, else clamped to 0..100, rounded.
fn expected_priority(priority: Option<Option<f64>>) -> (u8, bool) {
    match priority {
        None => (50, true),
        Some(None) => (0, false),
        Some(Some(value)) => (value.clamp(0.0, 100.0).round() as u8, true),
    }
}

// ---------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------

fn check(
    params: &[f64],
    rules: &[(String, Option<String>)],
    answers: &[Option<f64>],
) -> Result<(), TestCaseError> {
    let text = source(params, rules);
    let compiled = compile(vec![SourceFile::new("diff.rules", text.clone())], &[])
        .map_err(|d| TestCaseError::fail(format!("{}\n{text}", d.render_plain())))?;
    let ruleset = compiled.ruleset;
    let mut slots = Answers::unanswered(&ruleset);
    for ((id, _), answer) in QUESTIONS.iter().zip(answers) {
        slots.set(
            ruleset.question_index(id).unwrap(),
            answer.unwrap_or(f64::NAN),
        );
    }
    let evaluation = ruleset.evaluate(&slots);

    let (tree, errors) = parse_str("diff.rules", &text);
    prop_assert!(errors.is_empty(), "{errors:?}");
    let model = Model { answers, params };
    let declared: Vec<_> = tree
        .declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Rule(rule) => Some(rule),
            _ => None,
        })
        .collect();
    for (index, rule) in declared.iter().enumerate() {
        let when = model.boolean(rule.when.as_ref().unwrap());
        let fired = evaluation.fired().iter().find(|f| f.rule.index() == index);
        let context = format!("rule r{index}\n{text}\nanswers {answers:?}");
        prop_assert_eq!(fired.is_some(), when == Some(true), "fired? {}", context);
        if let Some(fired) = fired {
            let priority = rule.priority.as_ref().map(|p| model.number(p));
            let (expected, known) = expected_priority(priority);
            prop_assert_eq!(fired.priority, expected, "priority of {}", context);
            prop_assert_eq!(fired.priority_known, known, "priority known? {}", context);
        }
    }
    Ok(())
}

/// Evaluating by columns gives each programme's evaluation on its own, for a block of
/// random answer vectors (more than one block, so that a partial block follows).
fn check_columns(
    params: &[f64],
    rules: &[(String, Option<String>)],
    programmes: &[Vec<Option<f64>>],
) -> Result<(), TestCaseError> {
    check_columns_of(&source(params, rules), programmes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn evaluating_by_columns_agrees_with_evaluating_each_programme(
        params in prop::collection::vec(prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 4.0]), 2),
        rules in prop::collection::vec(rule(), 1..6),
        programmes in prop::collection::vec(answers(), 1..80),
    ) {
        check_columns(&params, &rules, &programmes)?;
    }

    /// Blocks whose level questions hold levels run the byte program, the others the
    /// number columns': either way each programme's evaluation on its own.
    #[test]
    fn evaluating_by_columns_agrees_with_each_programme_whatever_the_answers(
        params in prop::collection::vec(prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 4.0]), 2),
        rules in prop::collection::vec(rule(), 1..6),
        programmes in prop::collection::vec(answers_off_scale(), 1..200),
    ) {
        check_columns(&params, &rules, &programmes)?;
    }

    /// Rules that read level questions only by comparisons and means: every block whose
    /// level questions hold levels runs the byte program with no number column of an
    /// answer; the others fall back.
    #[test]
    fn the_byte_program_agrees_with_evaluating_each_programme(
        conditions in prop::collection::vec(level_condition(), 1..6),
        programmes in prop::collection::vec(answers_off_scale(), 1..200),
    ) {
        let rules: Vec<(String, Option<String>)> =
            conditions.into_iter().map(|when| (when, None)).collect();
        check_columns(&[0.0, 0.0], &rules, &programmes)?;
    }

    #[test]
    fn the_evaluator_agrees_with_a_naive_evaluation_of_the_syntax_tree(
        params in prop::collection::vec(prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 4.0]), 2),
        rules in prop::collection::vec(rule(), 1..6),
        answers in answers(),
    ) {
        check(&params, &rules, &answers)?;
    }
}

/// Answers to every question of `ruleset` from `seed`: mostly levels 0..5, some missing,
/// and some values no check would let through (negative, fractional, huge), which
/// [`Answers::set`] accepts and both evaluators must read alike.
fn arbitrary_answers(ruleset: &crate::ruleset::RuleSet, seed: u64) -> Answers {
    const VALUES: [f64; 14] = [
        0.0,
        1.0,
        2.0,
        3.0,
        4.0,
        0.0,
        1.0,
        2.0,
        f64::NAN,
        f64::NAN,
        5.0,
        0.5,
        -1.0,
        1e308,
    ];
    let mut state = seed;
    let mut answers = Answers::unanswered(ruleset);
    for question in crate::ruleset::QuestionIndex::all(ruleset.questions().len()) {
        // splitmix64: a different, reproducible value per question and seed.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = (state ^ (state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^= mixed >> 31;
        answers.set(question, VALUES[(mixed % VALUES.len() as u64) as usize]);
    }
    answers
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The Roadmap by blocks equals the Roadmap one programme at a time, for batches of
    /// any length (so partial blocks of every size) and answers with missing and
    /// unchecked values.
    #[test]
    fn evaluating_the_roadmap_by_columns_agrees_with_evaluating_each_programme(
        seed in any::<u64>(),
        count in 1usize..200,
    ) {
        let ruleset = roadmap();
        let all: Vec<Answers> = (0..count as u64)
            .map(|programme| arbitrary_answers(ruleset, seed ^ programme.wrapping_mul(0xA24B_AED4_963E_E407)))
            .collect();
        let batch = ruleset.evaluate_batch(&all);
        prop_assert_eq!(batch.len(), all.len());
        for (index, (answers, batch)) in all.iter().zip(&batch).enumerate() {
            prop_assert!(*batch == ruleset.evaluate(answers), "programme {} of {}", index, count);
        }
    }

    /// Batches of one rule set after another on the same thread, as the pipeline's
    /// parts come, go on with the layout the thread kept (a partial block may be
    /// followed by a full one): each is still the row evaluator's.
    #[test]
    fn consecutive_batches_of_the_roadmap_agree_with_evaluating_each_programme(
        seed in any::<u64>(),
        sizes in prop::collection::vec(1usize..140, 1..6),
    ) {
        let ruleset = roadmap();
        for (batch_index, &count) in sizes.iter().enumerate() {
            let salt = seed ^ ((batch_index as u64) << 48);
            let all: Vec<Answers> = (0..count as u64)
                .map(|programme| arbitrary_answers(ruleset, salt ^ programme.wrapping_mul(0xA24B_AED4_963E_E407)))
                .collect();
            let batch = ruleset.evaluate_batch(&all);
            for (index, (answers, batch)) in all.iter().zip(&batch).enumerate() {
                prop_assert!(*batch == ruleset.evaluate(answers), "batch {} programme {}", batch_index, index);
            }
        }
    }
}

/// The Roadmap, compiled once for the tests.
fn roadmap() -> &'static crate::ruleset::RuleSet {
    static ROADMAP: std::sync::OnceLock<crate::ruleset::RuleSet> = std::sync::OnceLock::new();
    ROADMAP.get_or_init(|| crate::ruleset::RuleSet::roadmap().unwrap().into_ruleset())
}

/// A rule set with what settling the tips reads: a section with a quick scan (`g.x1`),
/// three tips with their own questions (`f.s0`, on which `f.p0` builds, so a
/// foundation; `f.s1`; `f.p0`), a base rule per tip from a template, `applies`
/// conditions, random recommending rules and a raising rule.
fn settling_source(
    params: &[f64],
    rules: &[((String, Option<String>), u8)],
    (raise, by): (&str, &str),
    applies: &[String],
    base_priority: &str,
) -> String {
    let mut text = settling_catalogue(params, applies);
    text.push_str(&format!(
        "param in_place = 3\n\
         template basis for * {{\n    when coalesce($tip, $quickscan) < in_place\n    priority {base_priority}\n    because \"b\"\n}}\n"
    ));
    let named = |index: usize| format!("r{index}");
    text.push_str(&settling_rules(rules, named, (raise, by)));
    text
}

/// The tips of [`settling_source`], in tip order.
const TIPS: [&str; 3] = ["f.s0", "f.s1", "f.p0"];

/// The catalogue, questions and params of [`settling_source`].
fn settling_catalogue(params: &[f64], applies: &[String]) -> String {
    let mut text = String::from(
        "ruleset \"differentieel\" version \"1\"\n\
         theme t \"T\" { number 1 }\n\
         scale maturity 0..4 { }\n\
         factor f \"F\" { number 1 theme t horizon kort quickscan g.x1 }\n\
         tip f.s0 { text \"S0\" }\n",
    );
    text.push_str(&format!(
        "tip f.s1 {{ text \"S1\"\n applies when {} because \"a\"\n applies when {} because \"b\" }}\n",
        applies[0], applies[1]
    ));
    text.push_str(&format!(
        "tip f.p0 {{ text \"Y0\" after f.s0\n applies when {} because \"c\" }}\n",
        applies[2]
    ));
    for (id, kind) in QUESTIONS {
        text.push_str(&question_declaration(id, kind));
    }
    for (name, value) in PARAMS.iter().zip(params) {
        text.push_str(&format!("param {name} = {value}\n"));
    }
    text
}

/// The recommending rules of [`settling_source`] (rule `index` named `name(index)`, its
/// tips the bits of its mask) and the raising rule.
fn settling_rules(
    rules: &[((String, Option<String>), u8)],
    name: impl Fn(usize) -> String,
    (raise, by): (&str, &str),
) -> String {
    let mut text = String::new();
    for (index, ((when, priority), tips)) in rules.iter().enumerate() {
        let priority = priority
            .as_ref()
            .map_or_else(String::new, |priority| format!("priority {priority}"));
        let tips: Vec<&str> = TIPS
            .iter()
            .enumerate()
            .filter(|(bit, _)| tips >> bit & 1 == 1)
            .map(|(_, tip)| *tip)
            .collect();
        text.push_str(&format!(
            "rule {} {{\n    when {when}\n    recommend {}\n    {priority}\n    because \"b\"\n}}\n",
            name(index),
            tips.join(", ")
        ));
    }
    text.push_str(&format!(
        "rule raising {{\n    when {raise}\n    raise f.s1, f.p0 by {by}\n    because \"b\"\n}}\n"
    ));
    text
}

/// Evaluating `text` by columns gives each programme's evaluation on its own.
fn check_columns_of(text: &str, programmes: &[Vec<Option<f64>>]) -> Result<(), TestCaseError> {
    let compiled = compile(vec![SourceFile::new("diff.rules", text.to_owned())], &[])
        .map_err(|d| TestCaseError::fail(format!("{}\n{text}", d.render_plain())))?;
    let ruleset = compiled.ruleset;
    let all: Vec<Answers> = programmes
        .iter()
        .map(|answers| {
            let mut slots = Answers::unanswered(&ruleset);
            for ((id, _), answer) in QUESTIONS.iter().zip(answers) {
                let question = ruleset.question_index(id).unwrap();
                slots.set(question, answer.unwrap_or(f64::NAN));
            }
            slots
        })
        .collect();
    let batch = ruleset.evaluate_batch(&all);
    for (index, (answers, batch)) in all.iter().zip(&batch).enumerate() {
        let row = ruleset.evaluate(answers);
        prop_assert!(
            *batch == row,
            "programme {index}: columns {batch:?}, row {row:?}\n{text}"
        );
    }
    check_reused_of_another_size(&ruleset, &all, &batch)
}

/// Evaluations of the Roadmap (143 tips, some not applicable), reused for `ruleset`'s
/// fewer tips, by blocks and one at a time, give `expected`.
fn check_reused_of_another_size(
    ruleset: &crate::ruleset::RuleSet,
    all: &[Answers],
    expected: &[super::Evaluation],
) -> Result<(), TestCaseError> {
    let roadmap = roadmap();
    let roadmap_answers: Vec<Answers> = (0..all.len() % 5 + 1)
        .map(|seed| arbitrary_answers(roadmap, seed as u64))
        .collect();
    let mut reused = roadmap.evaluate_batch(&roadmap_answers);
    ruleset.evaluate_batch_into(all, &mut reused);
    prop_assert!(reused == expected, "reused by blocks");
    let mut one = roadmap.evaluate(&roadmap_answers[0]);
    for (answers, expected) in all.iter().zip(expected) {
        ruleset.evaluate_into(answers, &mut one);
        prop_assert!(one == *expected, "reused one at a time");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Firing and settling by blocks agree with the row evaluator on rule sets with
    /// several tips per rule, raises, `applies` conditions, a quick scan, a foundation
    /// and base rules, for batches of any length.
    #[test]
    fn settling_by_blocks_agrees_with_settling_each_programme(
        params in prop::collection::vec(prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 4.0]), 2),
        rules in prop::collection::vec((rule(), 1u8..8), 1..6),
        raise in (boolean(3), number(2)),
        applies in prop::collection::vec(boolean(2), 3),
        base_priority in number(2),
        programmes in prop::collection::vec(answers(), 1..150),
    ) {
        let text = settling_source(&params, &rules, (&raise.0, &raise.1), &applies, &base_priority);
        check_columns_of(&text, &programmes)?;
    }

    /// Rules that recommend one tip with the default priority, which the row evaluator
    /// proposes as they fire, agree with the columns beside rules that recommend the same
    /// tips with other priorities, several tips, or raise them.
    #[test]
    fn single_tip_rules_agree_with_the_columns(
        params in prop::collection::vec(prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 4.0]), 2),
        own in prop::collection::vec(boolean(3), 3),
        rules in prop::collection::vec((rule(), 1u8..8), 0..4),
        raise in (boolean(3), number(2)),
        applies in prop::collection::vec(boolean(2), 3),
        programmes in prop::collection::vec(answers(), 1..100),
    ) {
        let mut all: Vec<_> = own.into_iter().zip([1, 2, 4]).map(|(when, tip)| ((when, None), tip)).collect();
        all.extend(rules);
        let mut text = settling_catalogue(&params, &applies);
        text.push_str("param in_place = 3\n");
        let named = |index: usize| TIPS.get(index).map_or_else(|| format!("r{index}"), |tip| (*tip).to_owned());
        text.push_str(&settling_rules(&all, named, (&raise.0, &raise.1)));
        check_columns_of(&text, &programmes)?;
    }
}
