//! ONNX Runtime, loaded once per process from the shared library the set-up extracts from the
//! PyPI `onnxruntime` wheel (ONNX Runtime allows one environment per process, and both the
//! voice and the language model run on it).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;

use crate::models::{ModelDir, ModelError, check_file};

static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();

/// Why an ONNX model could not be used.
#[derive(Debug, thiserror::Error)]
pub enum OnnxError {
    /// A file is missing or damaged.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The runtime library could not be loaded.
    #[error("cannot load ONNX Runtime from {path}: {message}; run scripts/setup.sh to fetch it")]
    Runtime {
        /// The library.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The model could not be loaded or run.
    #[error("ONNX model {path}: {message}")]
    Session {
        /// The model file.
        path: PathBuf,
        /// What ONNX Runtime said.
        message: String,
    },
}

/// The process's ONNX Runtime environment, loading the library from the model folder the
/// first time.
pub fn environment() -> Result<&'static Environment, OnnxError> {
    let library = ModelDir::locate().onnxruntime();
    let result = ENVIRONMENT.get_or_init(|| {
        check_file(&library, 1 << 20, b"\x7fELF", "a shared library").map_err(|e| e.to_string())?;
        ort::init_from(&library)
            .map_err(|e| e.to_string())?
            .with_name("cockpit")
            .build()
            .map_err(|e| e.to_string())
    });
    result.as_ref().map_err(|message| OnnxError::Runtime {
        path: library,
        message: message.clone(),
    })
}

/// Opens a model with `threads` threads for its operators.
pub fn session(model: &Path, threads: usize) -> Result<Session, OnnxError> {
    check_file(model, 1024, b"\x08", "an ONNX model")?;
    let environment = environment()?;
    let error = |e: ort::Error| OnnxError::Session {
        path: model.to_owned(),
        message: e.to_string(),
    };
    Session::builder(environment)
        .map_err(error)?
        .with_optimization_level(GraphOptimizationLevel::Level3)
        .map_err(|e| error(e.into()))?
        .with_intra_threads(threads)
        .map_err(|e| error(e.into()))?
        .with_inter_threads(1)
        .map_err(|e| error(e.into()))?
        .commit_from_file(model)
        .map_err(error)
}
