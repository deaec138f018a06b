//! Rendering without a display: Slint's software renderer into memory. The screenshots and
//! the frame-time benchmark use it; it is also how a head unit without a GPU draws.

use std::path::Path;
use std::rc::Rc;

use slint::PhysicalSize;
use slint::Rgb8Pixel;
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};

use crate::UiError;

/// The process's headless display. Install it before creating a [`Dashboard`](crate::Dashboard);
/// a process has one display backend, and this replaces the window system's.
pub struct Headless {
    window: Rc<MinimalSoftwareWindow>,
}

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }
}

/// One rendered frame, RGB.
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    pixels: Vec<Rgb8Pixel>,
}

impl Headless {
    /// Makes the headless display this process's display backend.
    pub fn install() -> Result<Headless, UiError> {
        // A new buffer each frame: every frame is drawn in full, which is what the benchmark
        // measures (a full-screen update) and what a screenshot needs.
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        slint::platform::set_platform(Box::new(HeadlessPlatform {
            window: window.clone(),
        }))
        .map_err(|_| UiError::PlatformTaken)?;
        Ok(Headless { window })
    }

    /// Sizes the display: the dashboard lays itself out for it at its next refresh.
    pub fn set_size(&self, width: u32, height: u32) {
        self.window.set_size(PhysicalSize::new(width, height));
    }

    /// Draws the window (the dashboard created after [`install`](Self::install)) in full.
    pub fn render(&self) -> Frame {
        let size = self.window.size();
        let (width, height) = (size.width, size.height);
        slint::platform::update_timers_and_animations();
        self.window.request_redraw();
        let mut pixels = vec![Rgb8Pixel::default(); width as usize * height as usize];
        self.window.draw_if_needed(|renderer| {
            renderer.render(&mut pixels, width as usize);
        });
        Frame {
            width,
            height,
            pixels,
        }
    }
}

impl Frame {
    /// The pixel at `x`, `y` as red, green, blue.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let p = self.pixels[(y * self.width + x) as usize];
        [p.r, p.g, p.b]
    }

    /// How many distinct colours the frame uses: a blank or one-colour frame has one.
    pub fn colours(&self) -> usize {
        let mut seen: Vec<[u8; 3]> = self.pixels.iter().map(|p| [p.r, p.g, p.b]).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Writes the frame as a PNG file.
    pub fn save_png(&self, path: &Path) -> Result<(), UiError> {
        let error = |message: String| UiError::Screenshot {
            path: path.to_owned(),
            message,
        };
        let file = std::fs::File::create(path).map_err(|e| error(e.to_string()))?;
        let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| error(e.to_string()))?;
        let bytes: Vec<u8> = self.pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
        writer
            .write_image_data(&bytes)
            .map_err(|e| error(e.to_string()))?;
        writer.finish().map_err(|e| error(e.to_string()))
    }
}
