//! Who asks, and the gear the car is in: the plain types the policy and the agent share.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A seat, which is also where a request comes from: the speaking seat for voice, the screen's
/// seat for touch. It decides "my side" and who may ask for what.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seat {
    /// Front left (left-hand drive): `Row1.DriverSide`.
    Driver,
    /// Front right: `Row1.PassengerSide`.
    Passenger,
    /// Rear left: `Row2.DriverSide`.
    RearLeft,
    /// Rear right: `Row2.PassengerSide`.
    RearRight,
}

impl Seat {
    /// All seats, front to back, driver side first.
    pub const ALL: [Seat; 4] = [
        Seat::Driver,
        Seat::Passenger,
        Seat::RearLeft,
        Seat::RearRight,
    ];

    /// The VSS zone of the seat (`Row1.DriverSide`, ...).
    pub fn zone(self) -> &'static str {
        match self {
            Seat::Driver => "Row1.DriverSide",
            Seat::Passenger => "Row1.PassengerSide",
            Seat::RearLeft => "Row2.DriverSide",
            Seat::RearRight => "Row2.PassengerSide",
        }
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Seat::Driver => "driver",
            Seat::Passenger => "passenger",
            Seat::RearLeft => "rear-left",
            Seat::RearRight => "rear-right",
        }
    }
}

impl fmt::Display for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is neither a seat nor a gear.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {text:?}: use one of {expected}")]
pub struct ParseNameError {
    what: &'static str,
    text: String,
    expected: &'static str,
}

impl FromStr for Seat {
    type Err = ParseNameError;

    fn from_str(text: &str) -> Result<Seat, ParseNameError> {
        let lower = text.trim().to_ascii_lowercase();
        // The plan language writes `rear_left`, people "rear left" or "back-left".
        let name = lower.replace(['_', ' '], "-").replace("back-", "rear-");
        Seat::ALL
            .into_iter()
            .find(|s| s.name() == name || s.zone().eq_ignore_ascii_case(&lower))
            .ok_or_else(|| ParseNameError {
                what: "seat",
                text: text.to_owned(),
                expected: "driver, passenger, rear-left, rear-right",
            })
    }
}

/// The selected gear, as VSS encodes it in `Vehicle.Powertrain.Transmission.SelectedGear`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gear {
    /// P: 126.
    Park,
    /// R: -1.
    Reverse,
    /// N: 0.
    Neutral,
    /// D: 127.
    Drive,
}

impl Gear {
    /// The VSS value.
    pub fn vss(self) -> i64 {
        match self {
            Gear::Park => 126,
            Gear::Reverse => -1,
            Gear::Neutral => 0,
            Gear::Drive => 127,
        }
    }

    /// The gear for a VSS value; forward gears 1..=125 count as drive.
    pub fn from_vss(value: i64) -> Option<Gear> {
        match value {
            126 => Some(Gear::Park),
            -1 => Some(Gear::Reverse),
            0 => Some(Gear::Neutral),
            127 | 1..=125 => Some(Gear::Drive),
            _ => None,
        }
    }

    /// The letter on the selector.
    pub fn letter(self) -> &'static str {
        match self {
            Gear::Park => "P",
            Gear::Reverse => "R",
            Gear::Neutral => "N",
            Gear::Drive => "D",
        }
    }
}

impl fmt::Display for Gear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

impl FromStr for Gear {
    type Err = ParseNameError;

    fn from_str(text: &str) -> Result<Gear, ParseNameError> {
        match text.trim().to_ascii_uppercase().as_str() {
            "P" | "PARK" => Ok(Gear::Park),
            "R" | "REVERSE" => Ok(Gear::Reverse),
            "N" | "NEUTRAL" => Ok(Gear::Neutral),
            "D" | "DRIVE" => Ok(Gear::Drive),
            _ => Err(ParseNameError {
                what: "gear",
                text: text.to_owned(),
                expected: "P, R, N, D",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_parse_by_name_or_zone() {
        assert_eq!("passenger".parse(), Ok(Seat::Passenger));
        assert_eq!("Row2.PassengerSide".parse(), Ok(Seat::RearRight));
        for rear_left in ["rear-left", "rear_left", "Rear Left", "back-left"] {
            assert_eq!(rear_left.parse(), Ok(Seat::RearLeft), "{rear_left}");
        }
        assert_eq!(
            "boot".parse::<Seat>().unwrap_err().to_string(),
            "unknown seat \"boot\": use one of driver, passenger, rear-left, rear-right"
        );
    }

    #[test]
    fn gears_round_trip_through_vss() {
        for gear in [Gear::Park, Gear::Reverse, Gear::Neutral, Gear::Drive] {
            assert_eq!(Gear::from_vss(gear.vss()), Some(gear));
            assert_eq!(gear.letter().parse(), Ok(gear));
        }
        assert_eq!(Gear::from_vss(3), Some(Gear::Drive));
        assert_eq!(Gear::from_vss(-5), None);
    }
}
