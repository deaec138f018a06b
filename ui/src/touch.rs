//! The view model's half that acts: a touch on the screen becomes the change a spoken request
//! would make, for the actuator and its safety policy to check and send.

use vehicle::catalog::DataType;
use vehicle::{Catalog, Value};

use crate::readings::name_in_sentence;

/// What a control asks for, in the terms of the signal it shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Touch {
    /// Flip a switch.
    Toggle(String),
    /// Set a number (a window to 0 or 100 %, seat heating to a level).
    Set(String, f64),
    /// Move a number up or down from what the car reports now.
    Step(String, f64),
    /// Pick one of a signal's named values (air distribution, a colour, a media action).
    Choose(String, String),
    /// Stop a moving position (a window, the sunroof) where the car reports it now.
    Hold(String),
}

impl Touch {
    /// The signal touched.
    pub fn path(&self) -> &str {
        match self {
            Touch::Toggle(path) | Touch::Set(path, _) | Touch::Step(path, _) => path,
            Touch::Hold(path) => path,
            Touch::Choose(path, _) => path,
        }
    }
}

/// Why a touch did not become a change.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TouchError {
    /// The screen names a signal the car's catalog does not have (a dashboard built for
    /// another car).
    #[error("this car has no {0}")]
    UnknownSignal(String),
    /// A switch or step needs the current value, and the car has not reported it.
    #[error("the car has not reported its {0}, so it cannot be changed from here")]
    NotReported(String),
    /// The control does not fit the signal's type.
    #[error("{0} cannot be changed this way")]
    WrongKind(String),
}

/// The change `touch` asks for, given the car's reported value of the signal now. Ranges and
/// the rules of the road are not checked here: the actuator's policy does that for touches
/// and speech alike, and clamps or refuses.
pub fn change_for(
    touch: &Touch,
    catalog: &Catalog,
    reported: Option<&Value>,
) -> Result<(String, Value), TouchError> {
    let path = touch.path();
    let meta = catalog
        .get(path)
        .ok_or_else(|| TouchError::UnknownSignal(path.to_owned()))?;
    let name = || name_in_sentence(meta);
    let number = |x: f64| match meta.data_type() {
        DataType::Float => Ok(Value::Float(x)),
        DataType::Uint8 | DataType::Int8 | DataType::Uint32 => Ok(Value::Int(x.round() as i64)),
        DataType::Boolean | DataType::String => Err(TouchError::WrongKind(name())),
    };
    let value = match touch {
        Touch::Toggle(_) => match reported {
            Some(Value::Bool(on)) => Value::Bool(!on),
            Some(_) => return Err(TouchError::WrongKind(name())),
            None => return Err(TouchError::NotReported(name())),
        },
        Touch::Set(_, x) => number(*x)?,
        Touch::Step(_, delta) => {
            let now = reported
                .ok_or_else(|| TouchError::NotReported(name()))?
                .as_f64()
                .ok_or_else(|| TouchError::WrongKind(name()))?;
            number(now + delta)?
        }
        // The cars this speaks to take positions, not a stop: the stop is the position reached.
        Touch::Hold(_) => number(
            reported
                .ok_or_else(|| TouchError::NotReported(name()))?
                .as_f64()
                .ok_or_else(|| TouchError::WrongKind(name()))?,
        )?,
        Touch::Choose(_, choice) => {
            if meta.data_type() != DataType::String {
                return Err(TouchError::WrongKind(name()));
            }
            Value::String(choice.clone())
        }
    };
    Ok((path.to_owned(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOME: &str = "Vehicle.Cabin.Light.IsDomeOn";
    const TEMPERATURE: &str = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature";
    const FAN: &str = "Vehicle.Cabin.HVAC.Station.Row1.Driver.FanSpeed";

    #[test]
    fn a_switch_flips_what_the_car_reports() {
        let catalog = vehicle::reference::catalog();
        let touch = Touch::Toggle(DOME.into());
        assert_eq!(
            change_for(&touch, &catalog, Some(&Value::Bool(false))),
            Ok((DOME.into(), Value::Bool(true)))
        );
        assert!(matches!(
            change_for(&touch, &catalog, None),
            Err(TouchError::NotReported(_))
        ));
    }

    #[test]
    fn a_step_starts_from_the_reported_value_in_the_signals_type() {
        let catalog = vehicle::reference::catalog();
        assert_eq!(
            change_for(
                &Touch::Step(TEMPERATURE.into(), 0.5),
                &catalog,
                Some(&Value::Float(21.0))
            ),
            Ok((TEMPERATURE.into(), Value::Float(21.5)))
        );
        assert_eq!(
            change_for(
                &Touch::Step(FAN.into(), 10.0),
                &catalog,
                Some(&Value::Int(30))
            ),
            Ok((FAN.into(), Value::Int(40)))
        );
    }

    #[test]
    fn a_control_that_does_not_fit_its_signal_is_an_error_not_a_frame() {
        let catalog = vehicle::reference::catalog();
        assert!(matches!(
            change_for(&Touch::Choose(FAN.into(), "FAST".into()), &catalog, None),
            Err(TouchError::WrongKind(_))
        ));
        assert!(matches!(
            change_for(&Touch::Toggle("Vehicle.Warp.Drive".into()), &catalog, None),
            Err(TouchError::UnknownSignal(_))
        ));
    }
}
