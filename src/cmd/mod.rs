//! Subcommands, one file each (xsv's pattern): its usage in the doc comment,
//! its `Args`, and its `run`, which returns the process exit code.
//!
//! Exit codes, for every subcommand: 0 everything was read; 1 some inputs
//! were skipped (each named on stderr with the reason); 2 nothing usable,
//! a usage error, a bad dictionary or an unwritable output directory.

pub mod build;
pub mod diffusion;
pub mod eval;
pub mod synth;

use std::path::{Path, PathBuf};

/// Exit code: every input was read.
pub const EXIT_OK: i32 = 0;
/// Exit code: some inputs were skipped.
pub const EXIT_PARTIAL: i32 = 1;
/// Exit code: nothing usable, or a usage, dictionary or output error.
pub const EXIT_FAILURE: i32 = 2;

/// A directory shipped with the project (`dictionaries`, `corpus/sample`):
/// relative to the working directory when it exists there (a checkout),
/// else where the project was built from.
pub fn bundled(relative: &str) -> PathBuf {
    let here = Path::new(relative);
    if here.exists() {
        here.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
    }
}
