//! SIGINT (Ctrl-C) and SIGTERM (a scheduler, `docker stop`): the unfinished output
//! files are removed, stderr says so, and the process exits with 130 or 143 (128 plus
//! the signal). A second signal during that clean-up ends the process at once. SIGKILL
//! cannot be caught, nor is SIGHUP (`nohup` must keep working): what such a run leaves
//! behind, the next run writing the same file removes.

/// Starts watching for SIGINT and SIGTERM, on a thread of its own; where that cannot be
/// set up, the signals keep their default action.
#[cfg(unix)]
pub(super) fn watch() {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    use signal_hook::consts::{SIGINT, SIGTERM};

    const SIGNALS: [i32; 2] = [SIGINT, SIGTERM];
    let Ok(mut signals) = signal_hook::iterator::Signals::new(SIGNALS) else {
        return;
    };
    let again = Arc::new(AtomicBool::new(false));
    for signal in SIGNALS {
        // In this order, as signal-hook documents: the first signal sets the flag, and
        // only a second one, finding it set, exits.
        let _ = signal_hook::flag::register_conditional_shutdown(
            signal,
            exit_code(signal),
            Arc::clone(&again),
        );
        let _ = signal_hook::flag::register(signal, Arc::clone(&again));
    }
    let _ = std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                stop(signal);
            }
        });
}

/// Elsewhere signals keep their default action.
#[cfg(not(unix))]
pub(super) fn watch() {}

/// Removes the unfinished outputs and exits. No output file can be started or put in
/// place after the removal: the registry stays locked until the process is gone.
#[cfg(unix)]
fn stop(signal: i32) -> ! {
    use std::io::IsTerminal as _;

    use super::stderr;
    use studentsucces::report::abandon_unfinished_outputs;

    let abandoned = abandon_unfinished_outputs();
    if std::io::stderr().is_terminal() {
        // Below the progress bar's line (and the terminal's `^C`).
        stderr::line("");
    }
    let name = match signal {
        signal_hook::consts::SIGINT => "SIGINT",
        _ => "SIGTERM",
    };
    stderr::error(format!("stopped by {name}"));
    for path in &abandoned.removed {
        stderr::one_line(&format!(
            "removed the unfinished output `{}`",
            path.display()
        ));
    }
    std::process::exit(exit_code(signal))
}

/// 128 plus the signal's number, as shells report a process a signal ended.
#[cfg(unix)]
fn exit_code(signal: i32) -> i32 {
    128 + signal
}
