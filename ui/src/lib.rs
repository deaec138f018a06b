//! cockpit's dashboard: the Slint touchscreen UI, and the thin view model between it and the car.
//!
//! The `.slint` files under `ui/slint/` lay out the screens; this crate fills them from the
//! car's reported state and turns touches into requests for the same [`Actuator`] (and so the
//! same safety policy and bus) that spoken requests go through. The dashboard never talks to
//! the bus itself.
//!
//! # Layout
//! - [`readings`]: the car's state as the screen shows it (stale is unknown, moving is moving).
//! - [`touch`]: a touch as the change a spoken request would make.
//! - [`dashboard`]: [`Dashboard`], the window and its view model; [`AssistantView`] for what
//!   the assistant heard, said and did.
//! - [`headless`]: rendering without a display, for screenshots and the frame-time benchmark.
//!
//! [`Actuator`]: vehicle::Actuator
#![deny(missing_docs)]

#[allow(missing_docs, clippy::all)]
mod generated {
    slint::include_modules!();
}

pub mod dashboard;
pub mod headless;
pub mod readings;
pub mod touch;

pub use dashboard::{
    AssistantView, ChipView, Dashboard, DashboardWindow, Focus, Options, Screen, SharedFocus,
    WaitingView,
};
pub use generated::Blank;
pub use headless::{Frame, Headless};

/// What can go wrong showing the dashboard.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// No display backend could start (no display, no permission for the DRM device…).
    /// Slint's own reason is the source, printed after this.
    #[cfg_attr(
        not(feature = "kms"),
        error(
            "cannot open the dashboard (is there a display? set DISPLAY or WAYLAND_DISPLAY, or build with --features kms for a head unit without a window system)"
        )
    )]
    #[cfg_attr(
        feature = "kms",
        error(
            "cannot open the dashboard on a display of this machine (DRM/KMS or /dev/fb*: is one there, and may this user open it?)"
        )
    )]
    Platform(#[from] slint::PlatformError),
    /// A display backend was already chosen in this process.
    #[error("a display backend is already running in this process")]
    PlatformTaken,
    /// A screenshot could not be written.
    #[error("cannot write the screenshot {path}: {message}")]
    Screenshot {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        message: String,
    },
}
