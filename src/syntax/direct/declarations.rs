//! Files and declarations, rule by rule as in the grammar.

use super::super::ast::*;
use super::Reader;

/// One item of a principle or factor (`section_item`).
enum SectionItem {
    Number(Spanned<u32>),
    Theme(Name),
    Horizon(Spanned<HorizonSpec>),
    Stakeholders(Vec<Name>),
    Note(Text),
    Quickscan(Name),
    Lead(Name),
    Applies(Applies),
}

/// One item of a tip (`tip_item`).
enum TipItem {
    Text(Text),
    After(Vec<Name>),
    Group(Text),
    Lead(Name),
    Applies(Applies),
    Because(Text),
}

/// One item of a rule or template body (`rule_item`).
enum RuleItem {
    When(Expr),
    Recommend(Vec<Name>),
    Raise(Vec<Name>, Expr),
    Priority(Expr),
    Because(Text),
}

/// One item of a test (`test_item`).
enum TestItem {
    Given(Vec<Assignment>),
    Expect(Vec<Expectation>),
}

impl Reader<'_> {
    // ---- Combinators --------------------------------------------------------------------

    /// Runs `element`; when it fails, the position is where it was (a PEG alternative).
    pub(super) fn attempt<T>(&mut self, element: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.position;
        let result = element(self);
        if result.is_none() {
            self.position = start;
        }
        result
    }

    /// `"keyword" ~ element`, as one alternative.
    pub(super) fn after_keyword<T>(
        &mut self,
        keyword: &str,
        element: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        self.attempt(|reader| {
            if !reader.literal(keyword) {
                return None;
            }
            reader.skip();
            element(reader)
        })
    }

    /// `skip ~ element`, or nothing (and the position back) when `element` fails.
    pub(super) fn then<T>(&mut self, element: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        self.attempt(|reader| {
            reader.skip();
            element(reader)
        })
    }

    /// `element ~ ("," ~ element)*`.
    pub(super) fn list<T>(&mut self, element: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let mut elements = vec![element(self)?];
        while let Some(next) = self.then(|reader| {
            reader.literal(",").then_some(())?;
            reader.skip();
            element(reader)
        }) {
            elements.push(next);
        }
        Some(elements)
    }

    /// `skip ~ "literal"`, required.
    fn expect(&mut self, literal: &str) -> Option<()> {
        self.skip_literal(literal).then_some(())
    }

    /// `"{" ~ item* ~ "}"` after a skip, each item handed to `take`.
    fn block<T>(
        &mut self,
        item: impl Fn(&mut Self) -> Option<T>,
        mut take: impl FnMut(T),
    ) -> Option<()> {
        self.expect("{")?;
        while let Some(next) = self.then(&item) {
            take(next);
        }
        self.expect("}")
    }

    // ---- Declarations -------------------------------------------------------------------

    /// `declaration`: the alternatives in the grammar's order.
    pub(super) fn declaration(&mut self) -> Option<Declaration> {
        let alternatives: [fn(&mut Self) -> Option<Declaration>; 12] = [
            Self::question_decl,
            Self::tip_decl,
            Self::stakeholder_decl,
            Self::test_decl,
            Self::param_decl,
            |reader| reader.section_decl("factor", SectionKind::Factor),
            Self::ruleset_decl,
            Self::theme_decl,
            |reader| reader.section_decl("principle", SectionKind::Principle),
            Self::scale_decl,
            Self::template_decl,
            Self::rule_decl,
        ];
        alternatives
            .into_iter()
            .find_map(|alternative| self.attempt(alternative))
    }

    fn ruleset_decl(&mut self) -> Option<Declaration> {
        let start = self.position;
        let name = self.after_keyword("ruleset", Self::string)?;
        // The skip before an optional part stays in the declaration's span even when the
        // part is absent, as in pest.
        self.skip();
        let version = self.after_keyword("version", Self::string);
        Some(Declaration::RuleSet(RuleSetDecl {
            name,
            version,
            span: start..self.position,
        }))
    }

    fn stakeholder_decl(&mut self) -> Option<Declaration> {
        let id = self.after_keyword("stakeholder", Self::ident)?;
        let display = self.then(Self::string)?;
        Some(Declaration::Stakeholder(StakeholderDecl { id, display }))
    }

    fn theme_decl(&mut self) -> Option<Declaration> {
        let id = self.after_keyword("theme", Self::ident)?;
        let title = self.then(Self::string)?;
        self.expect("{")?;
        let number = self.then(Self::number_item);
        self.expect("}")?;
        Some(Declaration::Theme(ThemeDecl { id, title, number }))
    }

    fn number_item(&mut self) -> Option<Spanned<u32>> {
        self.after_keyword("number", Self::whole)
    }

    fn section_decl(&mut self, keyword: &str, kind: SectionKind) -> Option<Declaration> {
        let id = self.after_keyword(keyword, Self::ident)?;
        let title = self.then(Self::string)?;
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
        self.block(Self::section_item, |item| match item {
            SectionItem::Number(number) => section.number = Some(number),
            SectionItem::Theme(theme) => section.theme = Some(theme),
            SectionItem::Horizon(horizon) => section.horizon = Some(horizon),
            SectionItem::Stakeholders(names) => section.stakeholders.extend(names),
            SectionItem::Note(note) => section.note = Some(note),
            SectionItem::Quickscan(question) => section.quickscan = Some(question),
            SectionItem::Lead(lead) => section.lead = Some(lead),
            SectionItem::Applies(applies) => section.applies.push(applies),
        })?;
        Some(Declaration::Section(section))
    }

    fn section_item(&mut self) -> Option<SectionItem> {
        None.or_else(|| self.number_item().map(SectionItem::Number))
            .or_else(|| {
                self.after_keyword("theme", Self::ident)
                    .map(SectionItem::Theme)
            })
            .or_else(|| self.horizon_item().map(SectionItem::Horizon))
            .or_else(|| {
                let names = self.after_keyword("stakeholders", |reader| reader.list(Self::ident));
                names.map(SectionItem::Stakeholders)
            })
            .or_else(|| {
                self.after_keyword("note", Self::string)
                    .map(SectionItem::Note)
            })
            .or_else(|| {
                self.after_keyword("quickscan", Self::path)
                    .map(SectionItem::Quickscan)
            })
            .or_else(|| {
                self.after_keyword("lead", Self::ident)
                    .map(SectionItem::Lead)
            })
            .or_else(|| self.applies_item().map(SectionItem::Applies))
    }

    /// `horizon_item`, spanned as the item (with the skip after a single level).
    fn horizon_item(&mut self) -> Option<Spanned<HorizonSpec>> {
        let start = self.position;
        let value = self.after_keyword("horizon", |reader| {
            if reader.word("none") {
                return Some(HorizonSpec::NotGiven);
            }
            let first = reader.horizon_level()?;
            reader.skip();
            let last = reader.after_keyword("..", Self::horizon_level);
            Some(HorizonSpec::Range(first, last.unwrap_or(first)))
        })?;
        Some(Spanned {
            value,
            span: start..self.position,
        })
    }

    fn horizon_level(&mut self) -> Option<HorizonLevel> {
        [
            ("kort", HorizonLevel::Kort),
            ("midden", HorizonLevel::Midden),
            ("lang", HorizonLevel::Lang),
        ]
        .into_iter()
        .find_map(|(word, level)| self.word(word).then_some(level))
    }

    fn applies_item(&mut self) -> Option<Applies> {
        self.after_keyword("applies", |reader| {
            reader.expect_keyword("when")?;
            let when = reader.then(Self::expr)?;
            reader.expect("because")?;
            let because = reader.then(Self::string)?;
            Some(Applies { when, because })
        })
    }

    /// A literal at the position (no skip before it).
    fn expect_keyword(&mut self, literal: &str) -> Option<()> {
        self.literal(literal).then_some(())
    }

    fn tip_decl(&mut self) -> Option<Declaration> {
        let start = self.position;
        let id = self.after_keyword("tip", Self::path)?;
        let mut tip = TipDecl {
            id,
            text: None,
            after: Vec::new(),
            group: None,
            lead: None,
            applies: Vec::new(),
            because: None,
            span: 0..0,
        };
        self.block(Self::tip_item, |item| match item {
            TipItem::Text(text) => tip.text = Some(text),
            TipItem::After(names) => tip.after.extend(names),
            TipItem::Group(group) => tip.group = Some(group),
            TipItem::Lead(lead) => tip.lead = Some(lead),
            TipItem::Applies(applies) => tip.applies.push(applies),
            TipItem::Because(because) => tip.because = Some(because),
        })?;
        tip.span = start..self.position;
        Some(Declaration::Tip(tip))
    }

    fn tip_item(&mut self) -> Option<TipItem> {
        None.or_else(|| self.after_keyword("text", Self::string).map(TipItem::Text))
            .or_else(|| {
                let names = self.after_keyword("after", |reader| reader.list(Self::path));
                names.map(TipItem::After)
            })
            .or_else(|| {
                self.after_keyword("group", Self::string)
                    .map(TipItem::Group)
            })
            .or_else(|| self.after_keyword("lead", Self::ident).map(TipItem::Lead))
            .or_else(|| self.applies_item().map(TipItem::Applies))
            .or_else(|| {
                self.after_keyword("because", Self::string)
                    .map(TipItem::Because)
            })
    }

    fn scale_decl(&mut self) -> Option<Declaration> {
        let id = self.after_keyword("scale", Self::ident)?;
        let low = self.then(Self::whole)?;
        self.expect("..")?;
        let high = self.then(Self::whole)?;
        let mut labels = Vec::new();
        self.block(Self::scale_label, |label| labels.push(label))?;
        Some(Declaration::Scale(ScaleDecl {
            id,
            low,
            high,
            labels,
        }))
    }

    fn scale_label(&mut self) -> Option<(Spanned<i64>, Text, Option<Text>)> {
        let level = self.whole()?;
        let text = self.then(Self::string)?;
        Some((level, text, self.then(Self::string)))
    }

    fn question_decl(&mut self) -> Option<Declaration> {
        let id = self.after_keyword("question", Self::path)?;
        self.expect(":")?;
        let kind = self.then(Self::question_type)?;
        let text = self.then(Self::string)?;
        let info = self
            .then(|reader| reader.word("info").then_some(()))
            .is_some();
        Some(Declaration::Question(QuestionDecl {
            id,
            kind,
            text,
            info,
        }))
    }

    fn question_type(&mut self) -> Option<QuestionTypeSpec> {
        None.or_else(|| self.word("yesno").then_some(QuestionTypeSpec::YesNo))
            .or_else(|| self.word("percent").then_some(QuestionTypeSpec::Percent))
            .or_else(|| {
                self.word("number")
                    .then(|| QuestionTypeSpec::Number(self.then(Self::number_range)))
            })
            .or_else(|| self.choice_type())
            .or_else(|| self.ident().map(QuestionTypeSpec::Scale))
    }

    fn number_range(&mut self) -> Option<Spanned<(f64, f64)>> {
        let start = self.position;
        let low = self.signed_number()?;
        self.expect("..")?;
        let high = self.then(Self::signed_number)?;
        let value = (self.float(&low), self.float(&high));
        Some(Spanned {
            value,
            span: start..self.position,
        })
    }

    fn choice_type(&mut self) -> Option<QuestionTypeSpec> {
        self.after_keyword("choice", |reader| {
            reader.expect_keyword("[")?;
            reader.skip();
            let options = reader.list(Self::choice_option)?;
            reader.then(|reader| reader.literal(",").then_some(()));
            reader.expect("]")?;
            Some(QuestionTypeSpec::Choice(options))
        })
    }

    fn choice_option(&mut self) -> Option<(Name, Option<Text>)> {
        let name = self.ident()?;
        Some((name, self.then(Self::string)))
    }

    fn param_decl(&mut self) -> Option<Declaration> {
        let id = self.after_keyword("param", Self::ident)?;
        self.expect("=")?;
        let span = self.then(Self::signed_number)?;
        let value = self.spanned_float(span);
        let description = self.then(Self::string);
        Some(Declaration::Param(ParamDecl {
            id,
            value,
            description,
        }))
    }

    fn template_decl(&mut self) -> Option<Declaration> {
        let start = self.position;
        let id = self.after_keyword("template", Self::ident)?;
        self.expect("for")?;
        let scope = self.then(|reader| {
            if reader.literal("*") {
                return Some(TemplateScope::Every);
            }
            reader.list(Self::ident).map(TemplateScope::Sections)
        })?;
        let mut body = self.rule_body(id.clone())?;
        body.span = start..self.position;
        Some(Declaration::Template(TemplateDecl { id, scope, body }))
    }

    fn rule_decl(&mut self) -> Option<Declaration> {
        let start = self.position;
        let id = self.after_keyword("rule", Self::path)?;
        let mut rule = self.rule_body(id)?;
        rule.span = start..self.position;
        Some(Declaration::Rule(rule))
    }

    /// `"{" ~ rule_item* ~ "}"` as a rule named `id` (its span still to be set).
    fn rule_body(&mut self, id: Name) -> Option<RuleDecl> {
        let mut rule = RuleDecl {
            id,
            when: None,
            recommend: Vec::new(),
            raise: Vec::new(),
            raise_by: None,
            priority: None,
            because: None,
            span: 0..0,
        };
        self.block(Self::rule_item, |item| match item {
            RuleItem::When(when) => rule.when = Some(when),
            RuleItem::Recommend(tips) => rule.recommend.extend(tips),
            RuleItem::Raise(tips, by) => {
                rule.raise.extend(tips);
                rule.raise_by = Some(by);
            }
            RuleItem::Priority(priority) => rule.priority = Some(priority),
            RuleItem::Because(because) => rule.because = Some(because),
        })?;
        Some(rule)
    }

    fn rule_item(&mut self) -> Option<RuleItem> {
        None.or_else(|| self.after_keyword("when", Self::expr).map(RuleItem::When))
            .or_else(|| {
                let tips = self.after_keyword("recommend", |reader| reader.list(Self::path));
                tips.map(RuleItem::Recommend)
            })
            .or_else(|| {
                self.after_keyword("raise", |reader| {
                    let tips = reader.list(Self::path)?;
                    reader.expect("by")?;
                    Some(RuleItem::Raise(tips, reader.then(Self::expr)?))
                })
            })
            .or_else(|| {
                self.after_keyword("priority", Self::expr)
                    .map(RuleItem::Priority)
            })
            .or_else(|| {
                self.after_keyword("because", Self::string)
                    .map(RuleItem::Because)
            })
    }

    fn test_decl(&mut self) -> Option<Declaration> {
        let name = self.after_keyword("test", Self::string)?;
        let mut test = TestDecl {
            name,
            given: Vec::new(),
            expectations: Vec::new(),
        };
        self.block(Self::test_item, |item| match item {
            TestItem::Given(assignments) => test.given.extend(assignments),
            TestItem::Expect(expectations) => test.expectations.extend(expectations),
        })?;
        Some(Declaration::Test(test))
    }

    fn test_item(&mut self) -> Option<TestItem> {
        None.or_else(|| {
            let assignments = self.after_keyword("given", |reader| reader.list(Self::assignment));
            assignments.map(TestItem::Given)
        })
        .or_else(|| {
            self.after_keyword("expect", |reader| {
                reader.expect_keyword("not")?;
                reader.skip();
                let tips = reader.list(Self::path)?;
                Some(TestItem::Expect(expectations(tips, true, None)))
            })
        })
        .or_else(|| {
            self.after_keyword("expect", |reader| {
                let tips = reader.list(Self::path)?;
                let bound = reader.then(Self::priority_bound);
                Some(TestItem::Expect(expectations(tips, false, bound)))
            })
        })
    }

    fn priority_bound(&mut self) -> Option<(CompareOp, Spanned<f64>)> {
        self.after_keyword("priority", |reader| {
            let op = reader.compare_op()?;
            let span = reader.then(Self::signed_number)?;
            Some((op, reader.spanned_float(span)))
        })
    }

    fn assignment(&mut self) -> Option<Assignment> {
        let question = self.path()?;
        self.expect("=")?;
        self.skip();
        let start = self.position;
        let value = self.given_value()?;
        Some(Assignment {
            question,
            value: Spanned {
                value,
                span: start..self.position,
            },
        })
    }

    fn given_value(&mut self) -> Option<GivenValue> {
        if self.word("missing") {
            return Some(GivenValue::Missing);
        }
        if let Some(value) = self.bool_lit() {
            return Some(GivenValue::Bool(value));
        }
        if let Some(span) = self.signed_number() {
            return Some(GivenValue::Number(self.float(&span)));
        }
        self.ident().map(|name| GivenValue::Option(name.text))
    }
}

/// The expectations of one `expect` line, one per tip, as `build::expectations` makes them.
fn expectations(
    tips: Vec<Name>,
    negated: bool,
    priority: Option<(CompareOp, Spanned<f64>)>,
) -> Vec<Expectation> {
    tips.into_iter()
        .map(|tip| Expectation {
            tip,
            negated,
            priority: priority.clone(),
        })
        .collect()
}
