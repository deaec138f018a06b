//! A drive: speed and gear over time, from a small TOML file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::context::Gear;

/// Speed and gear over time. Speed is interpolated linearly between points; the gear changes
/// at its point. After the last point the drive holds, or starts over when it repeats.
#[derive(Clone, Debug, PartialEq)]
pub struct Drive {
    points: Vec<DrivePoint>,
    repeat: bool,
    exterior_temperature: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct DrivePoint {
    t: f64,
    speed: f64,
    gear: Gear,
}

/// A drive file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("drive {path}: {message}")]
pub struct DriveError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DriveFile {
    #[serde(default)]
    repeat: bool,
    exterior_temperature: Option<f64>,
    point: Vec<PointFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointFile {
    t: f64,
    speed: f64,
    gear: String,
}

impl Drive {
    /// Reads a drive file.
    pub fn load(path: &Path) -> Result<Drive, DriveError> {
        let text = std::fs::read_to_string(path).map_err(|e| DriveError {
            path: path.to_owned(),
            message: format!("cannot read it: {e}"),
        })?;
        Drive::parse(&text, path)
    }

    /// Parses drive text; `source` names it in errors.
    pub fn parse(text: &str, source: &Path) -> Result<Drive, DriveError> {
        let error = |message: String| DriveError {
            path: source.to_owned(),
            message,
        };
        let file: DriveFile = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        if file.point.is_empty() {
            return Err(error("a drive needs at least one [[point]]".into()));
        }
        let mut points = Vec::with_capacity(file.point.len());
        for (i, p) in file.point.iter().enumerate() {
            let gear = p
                .gear
                .parse::<Gear>()
                .map_err(|e| error(format!("point {}: {e}", i + 1)))?;
            if !(p.speed.is_finite() && (0.0..=400.0).contains(&p.speed)) {
                return Err(error(format!(
                    "point {}: speed {} km/h is not between 0 and 400",
                    i + 1,
                    p.speed
                )));
            }
            if gear == Gear::Park && p.speed > 0.0 {
                return Err(error(format!(
                    "point {}: the car cannot move in park",
                    i + 1
                )));
            }
            if let Some(previous) = points.last().map(|q: &DrivePoint| q.t)
                && p.t <= previous
            {
                return Err(error(format!(
                    "point {}: times must increase ({} after {previous})",
                    i + 1,
                    p.t
                )));
            }
            if p.t < 0.0 || !p.t.is_finite() {
                return Err(error(format!("point {}: time {} is negative", i + 1, p.t)));
            }
            points.push(DrivePoint {
                t: p.t,
                speed: p.speed,
                gear,
            });
        }
        Ok(Drive {
            points,
            repeat: file.repeat,
            exterior_temperature: file.exterior_temperature.unwrap_or(12.0),
        })
    }

    /// Standing still in `gear` at `speed` for ever: what `cockpit set --speed` asks for.
    pub fn constant(speed: f64, gear: Gear) -> Drive {
        Drive {
            points: vec![DrivePoint {
                t: 0.0,
                speed,
                gear,
            }],
            repeat: false,
            exterior_temperature: 12.0,
        }
    }

    /// The outside air temperature during the drive.
    pub fn exterior_temperature(&self) -> f64 {
        self.exterior_temperature
    }

    /// How long one pass takes.
    pub fn duration(&self) -> Duration {
        // Cannot panic: a drive has at least one point, and times are finite and positive.
        Duration::from_secs_f64(self.points.last().map(|p| p.t).unwrap_or(0.0))
    }

    /// Speed (km/h) and gear at `elapsed` since the drive started.
    pub fn at(&self, elapsed: Duration) -> (f64, Gear) {
        let mut t = elapsed.as_secs_f64();
        let end = self.points[self.points.len() - 1].t;
        if self.repeat && end > 0.0 {
            t %= end;
        }
        let next = self.points.partition_point(|p| p.t <= t);
        if next == 0 {
            let first = self.points[0];
            return (first.speed, first.gear);
        }
        let previous = self.points[next - 1];
        let Some(&following) = self.points.get(next) else {
            return (previous.speed, previous.gear);
        };
        let share = (t - previous.t) / (following.t - previous.t);
        (
            previous.speed + share * (following.speed - previous.speed),
            previous.gear,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRIVE: &str = r#"
[[point]]
t = 0.0
speed = 0.0
gear = "P"

[[point]]
t = 2.0
speed = 0.0
gear = "D"

[[point]]
t = 12.0
speed = 50.0
gear = "D"
"#;

    fn at(drive: &Drive, seconds: f64) -> (f64, Gear) {
        drive.at(Duration::from_secs_f64(seconds))
    }

    #[test]
    fn speed_is_interpolated_and_gear_steps() {
        let drive = Drive::parse(DRIVE, Path::new("d.toml")).unwrap();
        assert_eq!(at(&drive, 1.0), (0.0, Gear::Park));
        assert_eq!(at(&drive, 2.0), (0.0, Gear::Drive));
        assert_eq!(at(&drive, 7.0), (25.0, Gear::Drive));
        assert_eq!(at(&drive, 100.0), (50.0, Gear::Drive));
    }

    #[test]
    fn repeating_drives_start_over() {
        let drive = Drive::parse(&format!("repeat = true\n{DRIVE}"), Path::new("d.toml")).unwrap();
        assert_eq!(at(&drive, 19.0), (25.0, Gear::Drive));
    }

    #[test]
    fn impossible_drives_are_refused() {
        let moving_in_park =
            DRIVE.replace("speed = 0.0\ngear = \"P\"", "speed = 10.0\ngear = \"P\"");
        let err = Drive::parse(&moving_in_park, Path::new("d.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "drive d.toml: point 1: the car cannot move in park"
        );
        let backwards = DRIVE.replace("t = 12.0", "t = 1.0");
        let err = Drive::parse(&backwards, Path::new("d.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "drive d.toml: point 3: times must increase (1 after 2)"
        );
    }
}
