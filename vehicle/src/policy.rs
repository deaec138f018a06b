//! The safety policy: the catalog's rules of the road, applied to every requested change
//! before anything is encoded. Nothing reaches the bus without passing it: command frames are
//! built only from [`CheckedChange`]s, and only [`check`] builds those.

use std::fmt;

use serde::Serialize;

use crate::catalog::{EntryType, StandstillRule, Value, ValueError};
use crate::context::{Gear, Seat};
use crate::mapping::CarDefinition;

/// What the policy knows of the car's situation, from its status frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Situation {
    /// Speed in km/h; `None` when unknown (never reported, or stale).
    pub speed_kmh: Option<f64>,
    /// Selected gear; `None` when unknown.
    pub gear: Option<Gear>,
}

/// A change that passed the policy: the value is valid, in range (or clamped to it) and
/// allowed for the seat that asked in the car's situation.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedChange {
    path: String,
    value: Value,
    requested: Value,
    clamped: bool,
}

impl CheckedChange {
    /// The VSS path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value that will be commanded.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The value that was asked for; differs from [`value`](Self::value) when it was clamped.
    pub fn requested(&self) -> &Value {
        &self.requested
    }

    /// Whether the requested value was outside the range and the limit is commanded instead.
    /// Rounding to the step is not clamping: 22.3 °C becoming 22.5 °C is the same wish.
    pub fn is_clamped(&self) -> bool {
        self.clamped
    }

    /// A change that skips the policy, for tests of the layers below it.
    #[cfg(test)]
    pub(crate) fn unchecked(path: &str, value: Value) -> CheckedChange {
        CheckedChange {
            path: path.to_owned(),
            requested: value.clone(),
            value,
            clamped: false,
        }
    }
}

/// Why the policy refused a change. Each reason becomes a spoken and shown explanation in
/// the agent, and a `refused` result in JSON.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PolicyError {
    /// The path is not in the catalog.
    #[error("{path} is not a signal of this car")]
    UnknownSignal {
        /// The path.
        path: String,
    },
    /// The path is a sensor.
    #[error("{path} can be read but not set")]
    NotAnActuator {
        /// The path.
        path: String,
    },
    /// This car has no command for the path.
    #[error("this car cannot set {path}")]
    NotSupported {
        /// The path.
        path: String,
    },
    /// The value is of the wrong type or not one of the allowed values.
    #[error("{message}")]
    InvalidValue {
        /// The path.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The change needs the car to stand still, and it is moving.
    #[error("{path} can only change while the car stands still (now {speed_kmh:.0} km/h)")]
    CarMoving {
        /// The path.
        path: String,
        /// The speed now.
        speed_kmh: f64,
        /// Below this speed the car counts as standing.
        limit_kmh: f64,
    },
    /// The change needs the car to stand still, and its speed is unknown.
    #[error("{path} can only change while the car stands still, and the speed is unknown")]
    SpeedUnknown {
        /// The path.
        path: String,
    },
    /// Bears on driving, asked from another seat than the driver's.
    #[error("only the driver may change {path} (asked from the {seat} seat)")]
    DriverOnly {
        /// The path.
        path: String,
        /// The seat that asked.
        seat: Seat,
    },
}

impl PolicyError {
    /// The path the refusal is about.
    pub fn path(&self) -> &str {
        match self {
            PolicyError::UnknownSignal { path }
            | PolicyError::NotAnActuator { path }
            | PolicyError::NotSupported { path }
            | PolicyError::InvalidValue { path, .. }
            | PolicyError::CarMoving { path, .. }
            | PolicyError::SpeedUnknown { path }
            | PolicyError::DriverOnly { path, .. } => path,
        }
    }

    /// Whether this is a rule of the road (as opposed to a request the car cannot take at
    /// all): the agent reports these as refusals.
    pub fn is_rule(&self) -> bool {
        matches!(
            self,
            PolicyError::CarMoving { .. }
                | PolicyError::SpeedUnknown { .. }
                | PolicyError::DriverOnly { .. }
        )
    }
}

impl fmt::Display for Situation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.speed_kmh {
            Some(speed) => write!(f, "{speed:.0} km/h")?,
            None => f.write_str("speed unknown")?,
        }
        match self.gear {
            Some(gear) => write!(f, ", {gear}"),
            None => f.write_str(", gear unknown"),
        }
    }
}

/// Applies the rules to one requested change.
pub fn check(
    car: &CarDefinition,
    seat: Seat,
    situation: &Situation,
    path: &str,
    value: &Value,
) -> Result<CheckedChange, PolicyError> {
    let catalog = car.catalog();
    let metadata = catalog
        .get(path)
        .ok_or_else(|| PolicyError::UnknownSignal {
            path: path.to_owned(),
        })?;
    if metadata.entry_type() != EntryType::Actuator {
        return Err(PolicyError::NotAnActuator {
            path: path.to_owned(),
        });
    }
    if !car.is_controllable(path) {
        return Err(PolicyError::NotSupported {
            path: path.to_owned(),
        });
    }
    let (checked, clamped) = match metadata.check(value) {
        Ok(v) => (v, false),
        Err(ValueError::OutOfRange { limit, .. }) => (limit, true),
        Err(e) => {
            return Err(PolicyError::InvalidValue {
                path: path.to_owned(),
                message: e.to_string(),
            });
        }
    };
    let rules = metadata.rules();
    if rules.driver_only && seat != Seat::Driver {
        return Err(PolicyError::DriverOnly {
            path: path.to_owned(),
            seat,
        });
    }
    let needs_standstill = match rules.standstill {
        Some(StandstillRule::Always) => true,
        Some(StandstillRule::ToFalse) => checked == Value::Bool(false),
        None => false,
    };
    if needs_standstill {
        let limit_kmh = catalog.standstill_below_kmh();
        match situation.speed_kmh {
            None => {
                return Err(PolicyError::SpeedUnknown {
                    path: path.to_owned(),
                });
            }
            Some(speed_kmh) if speed_kmh >= limit_kmh => {
                return Err(PolicyError::CarMoving {
                    path: path.to_owned(),
                    speed_kmh,
                    limit_kmh,
                });
            }
            Some(_) => {}
        }
    }
    Ok(CheckedChange {
        path: path.to_owned(),
        value: checked,
        requested: value.clone(),
        clamped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    const STANDING: Situation = Situation {
        speed_kmh: Some(0.0),
        gear: Some(Gear::Park),
    };
    const DRIVING: Situation = Situation {
        speed_kmh: Some(80.0),
        gear: Some(Gear::Drive),
    };

    fn check_rule(
        seat: Seat,
        situation: Situation,
        path: &str,
        value: Value,
        expect: Result<Value, &str>,
    ) {
        let car = reference::car_definition();
        let got = check(&car, seat, &situation, path, &value)
            .map(|c| c.value().clone())
            .map_err(|e| e.to_string());
        assert_eq!(
            got,
            expect.map_err(str::to_owned),
            "{seat} {situation} {path}={value}"
        );
    }

    #[test]
    fn trunks_and_unlocking_need_the_car_to_stand() {
        let trunk = "Vehicle.Body.Trunk.Rear.IsOpen";
        check_rule(
            Seat::Driver,
            STANDING,
            trunk,
            Value::Bool(true),
            Ok(Value::Bool(true)),
        );
        check_rule(
            Seat::Driver,
            DRIVING,
            trunk,
            Value::Bool(true),
            Err(
                "Vehicle.Body.Trunk.Rear.IsOpen can only change while the car stands still (now 80 km/h)",
            ),
        );
        let lock = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked";
        check_rule(
            Seat::Driver,
            DRIVING,
            lock,
            Value::Bool(true),
            Ok(Value::Bool(true)),
        );
        check_rule(
            Seat::Driver,
            DRIVING,
            lock,
            Value::Bool(false),
            Err(
                "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked can only change while the car stands still (now 80 km/h)",
            ),
        );
        let crawling = Situation {
            speed_kmh: Some(2.9),
            gear: Some(Gear::Drive),
        };
        check_rule(
            Seat::Passenger,
            crawling,
            lock,
            Value::Bool(false),
            Ok(Value::Bool(false)),
        );
        let unknown = Situation {
            speed_kmh: None,
            gear: None,
        };
        check_rule(
            Seat::Driver,
            unknown,
            trunk,
            Value::Bool(true),
            Err(
                "Vehicle.Body.Trunk.Rear.IsOpen can only change while the car stands still, and the speed is unknown",
            ),
        );
    }

    #[test]
    fn driving_functions_are_for_the_driver_only() {
        for path in [
            "Vehicle.Body.Lights.Beam.Low.IsOn",
            "Vehicle.Body.Lights.Fog.Front.IsOn",
            "Vehicle.Body.Lights.Hazard.IsSignaling",
            "Vehicle.Cabin.HVAC.IsFrontDefrosterActive",
        ] {
            check_rule(
                Seat::Driver,
                DRIVING,
                path,
                Value::Bool(true),
                Ok(Value::Bool(true)),
            );
            let refusal =
                format!("only the driver may change {path} (asked from the passenger seat)");
            check_rule(
                Seat::Passenger,
                DRIVING,
                path,
                Value::Bool(true),
                Err(&refusal),
            );
        }
        check_rule(
            Seat::RearLeft,
            STANDING,
            "Vehicle.Body.Windshield.Front.Wiping.Mode",
            Value::String("OFF".into()),
            Err(
                "only the driver may change Vehicle.Body.Windshield.Front.Wiping.Mode (asked from the rear-left seat)",
            ),
        );
    }

    #[test]
    fn values_outside_the_range_are_clamped_to_the_limit() {
        let car = reference::car_definition();
        let temp = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature";
        let checked = check(&car, Seat::Driver, &STANDING, temp, &Value::Int(35)).unwrap();
        assert_eq!(checked.value(), &Value::Float(28.0));
        assert!(checked.is_clamped());
        let checked = check(&car, Seat::Driver, &STANDING, temp, &Value::Float(22.3)).unwrap();
        assert_eq!(checked.value(), &Value::Float(22.5));
        assert!(!checked.is_clamped());
    }

    #[test]
    fn sensors_and_unknown_paths_are_not_set() {
        check_rule(
            Seat::Driver,
            STANDING,
            "Vehicle.Speed",
            Value::Int(0),
            Err("Vehicle.Speed can be read but not set"),
        );
        check_rule(
            Seat::Driver,
            STANDING,
            "Vehicle.Warp.Drive",
            Value::Int(9),
            Err("Vehicle.Warp.Drive is not a signal of this car"),
        );
        check_rule(
            Seat::Driver,
            STANDING,
            "Vehicle.Cabin.Infotainment.Media.Action",
            Value::String("REWIND".into()),
            Err(
                "Vehicle.Cabin.Infotainment.Media.Action takes one of PLAY, PAUSE, SKIP_FORWARD, SKIP_BACKWARD, not REWIND",
            ),
        );
    }
}
