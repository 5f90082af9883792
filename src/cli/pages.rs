//! Where `advise --format html|md` writes: one page per programme in the `--out`
//! folder, each file written atomically as soon as its chunk is done, in input order,
//! and the index page last, which links every page and lists the programmes that
//! failed with their errors.

use std::io::{IoSlice, Write};
use std::path::{Path, PathBuf};

use super::advise::Sink;
use studentsucces::batch::Processed;
use studentsucces::report::programme::{
    render_index, FileNames, IndexEntry, IndexPage, PageFormat,
};
use studentsucces::report::{AdviceWorkbook, Lang, OutputFile};
use studentsucces::ruleset::RuleSet;

/// The advice's destination: one stream (stdout or a file), or a folder of pages.
pub(super) enum Destination {
    /// Every programme's output one after another.
    Stream(Sink),
    /// A page per programme and an index.
    Pages(Pages),
}

/// Where a batch run writes its outputs as they come: what comes before and after the
/// programmes, then each programme's output. A stream, a folder of pages, or an Excel
/// workbook that is written when the last programme is in.
pub(super) trait BatchOutput: Send {
    /// Writes what comes before or after the programmes.
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Writes one programme's output.
    fn write_processed(&mut self, processed: &Processed) -> std::io::Result<()>;
    /// Writes the outputs of a chunk of programmes, in order.
    fn write_chunk(&mut self, chunk: &[Processed]) -> std::io::Result<()> {
        chunk
            .iter()
            .try_for_each(|processed| self.write_processed(processed))
    }
    /// Hands what is written so far on to the reader (a pipe's caller).
    fn flush(&mut self) -> std::io::Result<()>;
}

impl BatchOutput for Destination {
    /// Pages have no part before or after the programmes.
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Destination::Stream(sink) => sink.write_all(bytes),
            Destination::Pages(_) => Ok(()),
        }
    }

    fn write_processed(&mut self, processed: &Processed) -> std::io::Result<()> {
        match self {
            Destination::Stream(sink) => sink.write_all(&processed.output),
            Destination::Pages(pages) => pages.write(processed),
        }
    }

    /// A stream takes a chunk's outputs as a few vectored writes, which pass the
    /// output buffer when they are larger than it (full advice), instead of copying
    /// every programme's output into it.
    fn write_chunk(&mut self, chunk: &[Processed]) -> std::io::Result<()> {
        let Destination::Stream(sink) = self else {
            return chunk
                .iter()
                .try_for_each(|processed| self.write_processed(processed));
        };
        for group in chunk.chunks(PIECES_PER_WRITE) {
            let mut pieces: Vec<IoSlice<'_>> = group
                .iter()
                .map(|processed| IoSlice::new(&processed.output))
                .collect();
            write_all_vectored(sink, &mut pieces)?;
        }
        Ok(())
    }

    /// Each page is complete once written.
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::Stream(sink) => sink.flush(),
            Destination::Pages(_) => Ok(()),
        }
    }
}

impl BatchOutput for AdviceWorkbook<'_> {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        Write::write_all(self, bytes)
    }

    fn write_processed(&mut self, processed: &Processed) -> std::io::Result<()> {
        Write::write_all(self, &processed.output)
    }

    /// The workbook is written whole at the end.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Destination {
    /// Puts the output in place: the stream's file, or the index page.
    pub(super) fn finish(self, ruleset: &RuleSet) -> std::io::Result<()> {
        match self {
            Destination::Stream(sink) => sink.finish(),
            Destination::Pages(pages) => pages.finish(ruleset),
        }
    }
}

/// A folder of pages being written.
pub(super) struct Pages {
    folder: PathBuf,
    format: PageFormat,
    lang: Lang,
    names: FileNames,
    entries: Vec<IndexEntry>,
}

impl Pages {
    /// Pages into `folder`, which [`prepare_folder`] made.
    pub(super) fn new(folder: &Path, format: PageFormat, lang: Lang) -> Pages {
        Pages {
            folder: folder.to_owned(),
            format,
            lang,
            names: FileNames::new(format.extension(), &[PageFormat::INDEX_STEM]),
            entries: Vec::new(),
        }
    }

    fn write(&mut self, processed: &Processed) -> std::io::Result<()> {
        let entry = IndexEntry::new(&processed.programme, processed.row, &processed.meta);
        let entry = match &processed.outcome {
            Ok(_) => {
                let name = self.names.assign(&processed.programme);
                let mut file = OutputFile::create(&self.folder.join(&name))?;
                file.write_all(&processed.output)?;
                file.commit()?;
                entry.with_file(name)
            }
            Err(errors) => {
                let messages: Vec<&str> =
                    errors.iter().map(|error| error.message.as_str()).collect();
                entry.failed(&messages.join("; "))
            }
        };
        self.entries.push(entry);
        Ok(())
    }

    fn finish(self, ruleset: &RuleSet) -> std::io::Result<()> {
        let index = IndexPage::new(ruleset, self.entries, self.lang);
        let page = render_index(self.format, &index).map_err(std::io::Error::other)?;
        let mut file = OutputFile::create(&self.folder.join(index_name(self.format)))?;
        file.write_all(page.as_bytes())?;
        file.commit()
    }
}

/// The index page's file name.
pub(super) fn index_name(format: PageFormat) -> String {
    format!("{}.{}", PageFormat::INDEX_STEM, format.extension())
}

/// Makes the `--out` folder of the pages (and its parents); a usage error message when
/// `--out` is missing, stdout, or a file.
pub(super) fn prepare_folder(out: Option<&Path>) -> Result<&Path, String> {
    let Some(folder) = out.filter(|path| *path != Path::new("-")) else {
        return Err("--format html and md write a folder of pages: pass --out DIR".to_owned());
    };
    if folder.exists() && !folder.is_dir() {
        return Err(format!(
            "--out `{}` is not a folder; html and md write one page per programme into a folder",
            folder.display()
        ));
    }
    std::fs::create_dir_all(folder)
        .map_err(|error| format!("cannot create the folder `{}`: {error}", folder.display()))?;
    Ok(folder)
}

/// Pieces per vectored write: well below the 1,024 that `writev` takes at most.
const PIECES_PER_WRITE: usize = 256;

/// Writes every piece, in order, with as few vectored writes as the writer allows.
fn write_all_vectored(
    writer: &mut impl Write,
    mut pieces: &mut [IoSlice<'_>],
) -> std::io::Result<()> {
    IoSlice::advance_slices(&mut pieces, 0);
    while !pieces.is_empty() {
        match writer.write_vectored(pieces) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut pieces, written),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
