//! Helpers for cockpit's end-to-end tests: where the real test data is, and how to run the
//! independent reference tools (python `cantools`, can-utils) that the tests compare against.
//!
//! The reference tools are installed by the test set-up (`scripts/test.sh`); a test that needs
//! one fails with a message saying how to install it rather than passing without checking.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives inside the workspace")
        .to_owned()
}

/// A file of the real test data under `tests/data`.
pub fn data(relative: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(relative);
    assert!(
        path.exists(),
        "test data {} is missing from the checkout",
        path.display()
    );
    path
}

/// A file of the project's assets.
pub fn asset(relative: &str) -> PathBuf {
    repo_root().join("assets").join(relative)
}

/// The Python interpreter of the test set-up, which has `cantools` installed.
pub fn python() -> PathBuf {
    let path = std::env::var_os("COCKPIT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    assert!(
        path.exists(),
        "{} is missing: the reference tools come from the test set-up; run ./scripts/test.sh once \
         (or ./scripts/setup.sh --test), or point COCKPIT_PYTHON at a Python with cantools",
        path.display()
    );
    path
}

/// Runs `tests/python/cantools_ref.py` with `args`, feeding `stdin`; returns its standard
/// output, panicking with its error output if it fails.
pub fn cantools(args: &[&str], stdin: &str) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/cantools_ref.py");
    let mut child = Command::new(python())
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test set-up's Python starts");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        input
            .write_all(stdin.as_bytes())
            .expect("cantools reads its input");
    }
    let output = child.wait_with_output().expect("cantools runs");
    assert!(
        output.status.success(),
        "cantools_ref.py {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("cantools prints UTF-8")
}

/// Whether a program is on the PATH.
pub fn have_program(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A small deterministic random number generator (xorshift64*), so that generated test
/// values are the same on every run without a dependency.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}
