//! The spinner of a batch run on a terminal: indicatif's with the `progress` feature,
//! none without it (the run and its output are the same).

#[cfg(feature = "progress")]
pub(super) use indicatif::ProgressBar;

/// A spinner counting the programmes advised, on stderr when it is a terminal.
#[cfg(feature = "progress")]
pub(super) fn progress_bar() -> ProgressBar {
    use std::io::IsTerminal;
    use std::time::Duration;

    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {human_pos} programmes advised ({elapsed})",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// No spinner: this build has no `progress` feature.
#[cfg(not(feature = "progress"))]
pub(super) struct ProgressBar;

#[cfg(not(feature = "progress"))]
impl ProgressBar {
    /// Counts nothing.
    pub(super) fn inc(&self, _delta: u64) {}

    /// Runs `f`; there is no bar to hide.
    pub(super) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        f()
    }

    /// Clears nothing.
    pub(super) fn finish_and_clear(&self) {}
}

/// No spinner: this build has no `progress` feature.
#[cfg(not(feature = "progress"))]
pub(super) fn progress_bar() -> ProgressBar {
    ProgressBar
}
