//! The cabin language model: the plan language and the engine that runs a model under it.

mod engine;
mod language;
mod spelling;

pub use engine::{Context, Decoded, Engine, EngineError, ModelSpec, OutputKind, clip};
pub use language::{
    Allowed, FUNCTIONS_TOML, Function, Kind, Language, LanguageError, Plan, PlanError, Query,
    Statement,
};
pub use spelling::Speller;

use std::path::PathBuf;

/// The folder of the shipped model: `COCKPIT_LM` if set, else `assets/model` in the first
/// folder at or above the executable (or the working directory) that has one.
pub fn model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("COCKPIT_LM") {
        return PathBuf::from(dir);
    }
    let starts = [std::env::current_exe().ok(), std::env::current_dir().ok()];
    for start in starts.into_iter().flatten() {
        for dir in start.ancestors() {
            let candidate = dir.join("assets").join("model");
            if candidate.join("model.toml").is_file() {
                return candidate;
            }
        }
    }
    PathBuf::from("assets/model")
}
