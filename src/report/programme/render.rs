//! The templates of the pages, embedded in the library and rendered with minijinja.
//! HTML templates (and the SVG chart they include) are escaped automatically; the
//! Markdown templates escape user and Roadmap text with the `md` filter.

use std::sync::OnceLock;

use minijinja::{AutoEscape, Environment};

use super::{IndexPage, ProgrammeReport};

/// The templates: name and source.
const TEMPLATES: [(&str, &str); 6] = [
    (
        "programme.html",
        include_str!("../../../templates/programme.html"),
    ),
    ("style.css", include_str!("../../../templates/style.css")),
    ("chart.svg", include_str!("../../../templates/chart.svg")),
    ("index.html", include_str!("../../../templates/index.html")),
    (
        "programme.md",
        include_str!("../../../templates/programme.md"),
    ),
    ("index.md", include_str!("../../../templates/index.md")),
];

/// A page format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageFormat {
    /// One self-contained HTML file: inline CSS and SVG, no scripts, printable on A4.
    Html,
    /// Markdown (GitHub flavoured tables).
    Markdown,
}

impl PageFormat {
    /// The file extension of its pages, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            PageFormat::Html => "html",
            PageFormat::Markdown => "md",
        }
    }

    /// The file stem of the index page.
    pub const INDEX_STEM: &'static str = "index";

    fn template(self, page: &str) -> String {
        format!("{page}.{}", self.extension())
    }
}

/// A template that could not be rendered: a bug of the templates, never of the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the report template could not be rendered: {0}")]
pub struct TemplateError(String);

/// Renders a programme's page.
pub fn render_page(format: PageFormat, report: &ProgrammeReport) -> Result<String, TemplateError> {
    render(&format.template("programme"), report)
}

/// Renders the index page.
pub fn render_index(format: PageFormat, index: &IndexPage) -> Result<String, TemplateError> {
    render(&format.template("index"), index)
}

fn render(name: &str, context: &impl serde::Serialize) -> Result<String, TemplateError> {
    let environment = environment().map_err(|error| TemplateError(error.to_string()))?;
    environment
        .get_template(name)
        .and_then(|template| template.render(context))
        .map_err(|error| TemplateError(format!("{name}: {error:#}")))
}

/// The environment, built once: its templates are parsed on first use.
fn environment() -> Result<&'static Environment<'static>, &'static minijinja::Error> {
    static ENVIRONMENT: OnceLock<Result<Environment<'static>, minijinja::Error>> = OnceLock::new();
    ENVIRONMENT.get_or_init(build).as_ref()
}

fn build() -> Result<Environment<'static>, minijinja::Error> {
    let mut environment = Environment::new();
    environment.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    environment.set_keep_trailing_newline(true);
    environment.set_trim_blocks(true);
    environment.set_lstrip_blocks(true);
    environment.add_filter("md", markdown_escape);
    environment.add_filter("fixed", fixed);
    for (name, source) in TEMPLATES {
        environment.add_template(name, source)?;
    }
    Ok(environment)
}

/// Text made literal in Markdown: the characters that start markup are escaped with a
/// backslash, `|` too (so text fits a table cell), and line breaks become spaces.
fn markdown_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' => {
                escaped.push('\\');
                escaped.push(character);
            }
            '\r' | '\n' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A number with one decimal, the way SVG coordinates are written.
fn fixed(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        assert!(environment().is_ok());
    }

    #[test]
    fn markdown_markup_is_escaped() {
        assert_eq!(
            markdown_escape("a | *b* <script>\n[x](y)"),
            "a \\| \\*b\\* \\<script\\> \\[x\\](y)"
        );
        assert_eq!(fixed(2.0), "2.0");
    }
}
