//! Output files that are whole or absent. A regular file is written into a temporary
//! file beside it and renamed over it only when complete, so a failed, interrupted or
//! killed run leaves the previous file as it was; a FIFO or character device is written
//! straight into (see [`OutputKind`]).
//!
//! Every temporary file has one fixed pattern, `.NAME.studentsucces-partial-PID`, and is
//! locked while it is written. An error removes it (on drop), and so does
//! [`abandon_unfinished_outputs`], which a process calls when a signal stops it. A
//! process killed with SIGKILL, which nothing can catch, leaves it for the next run that
//! writes the same file: that run removes every such file whose lock is free (its
//! writer is gone), or, on a file system without locks, that is older than
//! [`STALE_AFTER`].

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::output_path::{folder_of, output_kind, OutputKind};

/// What every temporary file's name holds between the target's name and the pid.
pub const TEMPORARY_MARK: &str = ".studentsucces-partial-";

/// A temporary file that cannot be locked (a file system without locks) is taken as
/// left behind once it is this old.
pub const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// How many names one process tries for the temporary files of one target.
const NAME_ATTEMPTS: u32 = 100;

/// Bytes of a temporary file between two requests that the kernel start writing them to
/// disk: the commit's `sync_all` then waits for the last few megabytes only instead of
/// the whole file (about 0.25 s for the 380 MB of a compact run of 100,000 programmes).
const WRITEBACK_EVERY: u64 = 32 << 20;

/// The temporary files this process is writing and has not yet renamed or removed.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A file being written; [`OutputFile::commit`] puts it in place. Dropped without a
/// commit, it leaves the target as it was and no temporary file behind.
#[derive(Debug)]
pub struct OutputFile {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    /// Into a temporary file, renamed over `target` on commit.
    Temporary {
        writer: BufWriter<File>,
        temporary: Registered,
        target: PathBuf,
        writeback: Writeback,
    },
    /// Straight into a FIFO or character device.
    Stream(BufWriter<File>),
}

impl OutputFile {
    /// Starts the output `path`, which [`super::check_output_paths`] accepts: a
    /// temporary file in the same folder as the file it will replace (so the rename
    /// does not cross file systems), with that file's permissions and, where allowed,
    /// owner; or the FIFO or device itself, opened for writing.
    pub fn create(path: &Path) -> std::io::Result<OutputFile> {
        let kind = output_kind(path)
            .map_err(|error| std::io::Error::new(ErrorKind::InvalidInput, error.to_string()))?;
        let inner = match kind {
            OutputKind::Stream => {
                let file = OpenOptions::new().write(true).open(path).map_err(|error| {
                    std::io::Error::new(
                        error.kind(),
                        format!("cannot write `{}`: {error}", path.display()),
                    )
                })?;
                Inner::Stream(BufWriter::new(file))
            }
            OutputKind::Replace { target } => {
                let (file, temporary) = create_temporary(&target)?;
                Inner::Temporary {
                    writer: BufWriter::with_capacity(1 << 20, file),
                    temporary,
                    target,
                    writeback: Writeback::default(),
                }
            }
        };
        Ok(OutputFile { inner })
    }

    /// The temporary file being written; `None` for a stream.
    pub fn temporary_path(&self) -> Option<&Path> {
        match &self.inner {
            Inner::Temporary { temporary, .. } => Some(&temporary.path),
            Inner::Stream(_) => None,
        }
    }

    /// Flushes the file to disk and renames it over the target (or flushes the stream).
    pub fn commit(self) -> std::io::Result<()> {
        match self.inner {
            Inner::Stream(mut writer) => writer.flush(),
            Inner::Temporary {
                writer,
                temporary,
                target,
                ..
            } => {
                let file = writer.into_inner().map_err(|error| error.into_error())?;
                file.sync_all()?;
                temporary.rename_to(&target).map_err(|error| {
                    std::io::Error::new(
                        error.kind(),
                        format!("cannot write `{}`: {error}", target.display()),
                    )
                })?;
                sync_folder(&target);
                Ok(())
            }
        }
    }

    fn writer(&mut self) -> &mut BufWriter<File> {
        match &mut self.inner {
            Inner::Temporary { writer, .. } | Inner::Stream(writer) => writer,
        }
    }

    /// Counts `bytes` more written, for a temporary file's [`Writeback`].
    fn written(&mut self, bytes: usize) {
        if let Inner::Temporary {
            writer, writeback, ..
        } = &mut self.inner
        {
            writeback.taken(bytes, writer);
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.writer().write(bytes)?;
        self.written(written);
        Ok(written)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer().write_all(bytes)?;
        self.written(bytes.len());
        Ok(())
    }

    /// Many pieces at once: the buffer passes a batch of them larger than itself to
    /// the file in one `writev`, without copying them first.
    fn write_vectored(&mut self, pieces: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
        let written = self.writer().write_vectored(pieces)?;
        self.written(written);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

/// How much of a temporary file the kernel has been asked to write to disk already.
#[derive(Debug, Default)]
struct Writeback {
    /// Bytes the writer has taken, some perhaps still in its buffer.
    taken: u64,
    /// Bytes from the start of the file whose writing to disk has been asked for.
    requested: u64,
}

impl Writeback {
    /// Counts `bytes` more taken by `writer`; once another [`WRITEBACK_EVERY`] bytes
    /// are in the file, asks the kernel to start writing them to disk.
    fn taken(&mut self, bytes: usize, writer: &BufWriter<File>) {
        self.taken += bytes as u64;
        let in_file = self.taken.saturating_sub(writer.buffer().len() as u64);
        let pending = in_file.saturating_sub(self.requested);
        if pending >= WRITEBACK_EVERY {
            start_writeback(writer.get_ref(), self.requested, pending);
            self.requested = in_file;
        }
    }
}

/// Asks the kernel to start writing `length` bytes of `file` from `offset` to disk,
/// without waiting for it. On Linux, `POSIX_FADV_DONTNEED` does that for a range's
/// dirty pages (and drops its clean ones from the page cache: an output is not read
/// back). Advice only: an error changes nothing, the commit's `sync_all` still writes
/// what is left.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, length: u64) {
    let length = std::num::NonZeroU64::new(length);
    let _ = rustix::fs::fadvise(file, offset, length, rustix::fs::Advice::DontNeed);
}

/// Elsewhere the commit's `sync_all` writes the whole file.
#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _length: u64) {}

/// A temporary file on the list of unfinished ones; dropped, it is removed (unless
/// renamed, or already removed by [`abandon_unfinished_outputs`]).
#[derive(Debug)]
struct Registered {
    path: PathBuf,
}

impl Registered {
    /// Renames the file over `target` and takes it off the list, both under the list's
    /// lock, so a signal's clean-up removes it either before (the rename then fails) or
    /// not at all.
    fn rename_to(self, target: &Path) -> std::io::Result<()> {
        let mut list = unfinished();
        let Some(position) = list.iter().position(|path| *path == self.path) else {
            return Err(std::io::Error::new(
                ErrorKind::Interrupted,
                "the run was interrupted",
            ));
        };
        fs::rename(&self.path, target)?;
        list.swap_remove(position);
        Ok(())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut list = unfinished();
        if let Some(position) = list.iter().position(|path| *path == self.path) {
            list.swap_remove(position);
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The unfinished outputs removed by [`abandon_unfinished_outputs`]. While this value
/// lives, no output file can be started or committed: keep it until the process exits.
#[derive(Debug)]
pub struct Abandoned {
    _list: MutexGuard<'static, Vec<PathBuf>>,
    /// The temporary files removed.
    pub removed: Vec<PathBuf>,
}

/// Removes every temporary file this process is writing, for a process that is about
/// to exit on a signal; see [`Abandoned`].
pub fn abandon_unfinished_outputs() -> Abandoned {
    abandon_where(|_| true)
}

/// Removes the temporary files this process is writing that `chosen` picks.
fn abandon_where(chosen: impl Fn(&Path) -> bool) -> Abandoned {
    let mut list = unfinished();
    let (abandoned, kept): (Vec<PathBuf>, Vec<PathBuf>) =
        list.drain(..).partition(|path| chosen(path));
    *list = kept;
    let removed = abandoned
        .into_iter()
        .filter(|path| fs::remove_file(path).is_ok())
        .collect();
    Abandoned {
        _list: list,
        removed,
    }
}

/// The name of this process's `attempt`-th temporary file for a target named `name`:
/// `.NAME.studentsucces-partial-PID`, then `-2`, `-3`, ... appended.
fn temporary_name(name: &OsStr, attempt: u32) -> OsString {
    let mut temporary = OsString::from(".");
    temporary.push(name);
    temporary.push(TEMPORARY_MARK);
    temporary.push(std::process::id().to_string());
    if attempt > 1 {
        temporary.push(format!("-{attempt}"));
    }
    temporary
}

/// Whether `candidate` is a temporary file's name for a target named `name`, of any
/// process.
fn is_temporary_of(candidate: &OsStr, name: &OsStr) -> bool {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(TEMPORARY_MARK);
    let Some(rest) = candidate
        .as_encoded_bytes()
        .strip_prefix(prefix.as_encoded_bytes())
    else {
        return false;
    };
    let mut parts = rest.split(|&byte| byte == b'-');
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    let pid = parts.next().is_some_and(digits);
    let attempt = parts.next().is_none_or(digits);
    pid && attempt && parts.next().is_none()
}

/// Creates, locks and lists a new temporary file for `target`, after removing those
/// that earlier runs left behind.
fn create_temporary(target: &Path) -> std::io::Result<(File, Registered)> {
    let folder = folder_of(target);
    let name = target.file_name().ok_or_else(|| {
        std::io::Error::new(
            ErrorKind::InvalidInput,
            format!("cannot write `{}`: it names no file", target.display()),
        )
    })?;
    remove_stale_temporaries(folder, name);
    let previous = fs::metadata(target).ok();
    let mut list = unfinished();
    for attempt in 1..=NAME_ATTEMPTS {
        let path = target.with_file_name(temporary_name(name, attempt));
        let file = match new_file(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(std::io::Error::new(
                    error.kind(),
                    format!("cannot create a file in `{}`: {error}", folder.display()),
                ))
            }
        };
        if !lock_as_own(&file, &path) {
            // Another run took it for left behind before it was locked: try again.
            continue;
        }
        if let Some(previous) = &previous {
            take_over_permissions(&file, previous);
        }
        list.push(path.clone());
        return Ok((file, Registered { path }));
    }
    Err(std::io::Error::new(
        ErrorKind::AlreadyExists,
        format!(
            "cannot create a file in `{}`: {NAME_ATTEMPTS} temporary names are taken",
            folder.display()
        ),
    ))
}

/// A new file, never an existing one; read-write for all less the umask, as any new
/// file.
fn new_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o666);
    }
    options.open(path)
}

/// Removes the temporary files of `name` in `folder` that no running process writes.
/// Best effort: what cannot be removed stays, and the run goes on.
fn remove_stale_temporaries(folder: &Path, name: &OsStr) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if is_temporary_of(&entry.file_name(), name) && !unfinished().contains(&path) {
            remove_if_stale(&path);
        }
    }
}

/// Removes a temporary file whose writer is gone: its lock is free or, where files
/// cannot be locked, it is older than [`STALE_AFTER`].
fn remove_if_stale(path: &Path) {
    let Ok(metadata) = fs::symlink_metadata(path) else {
        return;
    };
    if !metadata.is_file() {
        return;
    }
    match lock_left_behind(path) {
        Lock::Taken(_held_until_removed) => {
            let _ = fs::remove_file(path);
        }
        Lock::Busy => {}
        Lock::Unsupported => {
            let age = metadata
                .modified()
                .ok()
                .and_then(|modified| SystemTime::now().duration_since(modified).ok());
            if age.is_some_and(|age| age > STALE_AFTER) {
                let _ = fs::remove_file(path);
            }
        }
    }
}

/// The outcome of trying to lock another run's temporary file.
enum Lock {
    /// Locked: its writer is gone. The lock holds while the value lives.
    Taken(File),
    /// A running process holds it.
    Busy,
    /// This file system (or platform) has no locks, or the file cannot be opened.
    Unsupported,
}

#[cfg(unix)]
fn lock_left_behind(path: &Path) -> Lock {
    use rustix::fs::{FlockOperation, Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let Ok(descriptor) = rustix::fs::open(path, flags, Mode::empty()) else {
        return Lock::Unsupported;
    };
    match rustix::fs::flock(&descriptor, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Lock::Taken(File::from(descriptor)),
        Err(rustix::io::Errno::WOULDBLOCK) => Lock::Busy,
        Err(_) => Lock::Unsupported,
    }
}

#[cfg(not(unix))]
fn lock_left_behind(_: &Path) -> Lock {
    Lock::Unsupported
}

/// Locks a new temporary file for as long as it is open, and checks that `path` still
/// names it: `false` when another run removed it as left behind between its creation
/// and the lock (it is then an orphan, and a new name is needed).
#[cfg(unix)]
fn lock_as_own(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    // Without locks (some network file systems) the age rule protects the file.
    let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive);
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.ino() == named.ino() && open.dev() == named.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn lock_as_own(_: &File, _: &Path) -> bool {
    true
}

/// Gives a temporary file the permissions of the file it replaces and, where this
/// process may (as root), its owner and group: a private file stays private, a
/// colleague's file stays theirs.
#[cfg(unix)]
fn take_over_permissions(file: &File, previous: &fs::Metadata) {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    if let Ok(current) = file.metadata() {
        if (current.uid(), current.gid()) != (previous.uid(), previous.gid()) {
            let _ = std::os::unix::fs::fchown(file, Some(previous.uid()), Some(previous.gid()));
        }
    }
    let mode = previous.permissions().mode() & 0o777;
    let _ = file.set_permissions(fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn take_over_permissions(file: &File, previous: &fs::Metadata) {
    let _ = file.set_permissions(previous.permissions());
}

/// Makes the rename durable where the platform allows syncing a folder; a failure
/// there loses nothing that a crash would not, so it is not an error.
fn sync_folder(path: &Path) {
    if let Ok(folder) = File::open(folder_of(path)) {
        let _ = folder.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_appears_only_on_commit_and_replaces_the_old_one() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        let mut file = OutputFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.flush().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            names(folder.path()),
            ["out.txt"],
            "no temporary file is left"
        );
    }

    #[test]
    fn a_dropped_file_leaves_nothing_behind() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.txt");
        let mut file = OutputFile::create(&path).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert!(names(folder.path()).is_empty());
    }

    #[test]
    fn temporary_files_have_one_fixed_pattern() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("advies.jsonl");
        let first = OutputFile::create(&path).unwrap();
        let second = OutputFile::create(&path).unwrap();
        let pid = std::process::id();
        assert_eq!(
            names(folder.path()),
            [
                format!(".advies.jsonl.studentsucces-partial-{pid}"),
                format!(".advies.jsonl.studentsucces-partial-{pid}-2"),
            ]
        );
        let name = OsStr::new("advies.jsonl");
        for (candidate, expected) in [
            (".advies.jsonl.studentsucces-partial-12", true),
            (".advies.jsonl.studentsucces-partial-12-3", true),
            (".advies.jsonl.studentsucces-partial-", false),
            (".advies.jsonl.studentsucces-partial-12-", false),
            (".advies.jsonl.studentsucces-partial-x", false),
            (".advies.jsonl.studentsucces-partial-1-2-3", false),
            (".s.json.studentsucces-partial-12", false),
            ("advies.jsonl", false),
        ] {
            assert_eq!(
                is_temporary_of(OsStr::new(candidate), name),
                expected,
                "{candidate}"
            );
        }
        drop((first, second));
        assert!(names(folder.path()).is_empty());
    }

    #[test]
    fn a_temporary_file_left_behind_is_removed_and_a_live_one_kept() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("advies.jsonl");
        // A run killed with SIGKILL: its file is there, its lock is gone.
        let left = folder
            .path()
            .join(".advies.jsonl.studentsucces-partial-999999999");
        fs::write(&left, "half").unwrap();
        let other = folder
            .path()
            .join(".s.json.studentsucces-partial-999999999");
        fs::write(&other, "half").unwrap();
        let live = OutputFile::create(&path).unwrap();
        let live_path = live.temporary_path().unwrap().to_owned();
        assert!(!left.exists(), "the file left behind is removed");
        assert!(
            other.exists(),
            "another target's files are not this run's business"
        );
        // A second writer of the same target keeps the first one's file.
        let second = OutputFile::create(&path).unwrap();
        assert!(live_path.exists());
        drop((live, second));
    }

    #[test]
    fn abandoning_removes_every_unfinished_output() {
        let folder = tempfile::tempdir().unwrap();
        let file = OutputFile::create(&folder.path().join("a.jsonl")).unwrap();
        let temporary = file.temporary_path().unwrap().to_owned();
        // Tests run side by side in one process: abandon this test's files only.
        let abandoned = abandon_where(|path| path.starts_with(folder.path()));
        assert!(abandoned.removed.contains(&temporary));
        assert!(!temporary.exists());
        drop(abandoned);
        let error = file.commit().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Interrupted);
        assert!(names(folder.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("privé.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let mut file = OutputFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_is_written_straight_into() {
        let mut file = OutputFile::create(Path::new("/dev/null")).unwrap();
        assert!(file.temporary_path().is_none());
        file.write_all(b"weg").unwrap();
        file.commit().unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }
}
