//! `cockpit signals`: the catalog as a table.

use anyhow::Result;
use vehicle::catalog::{EntryType, StandstillRule, StringFormat};

use crate::car::load_car;
use crate::cli::CarArgs;

pub fn run(args: &CarArgs) -> Result<()> {
    let car = load_car(args)?;
    let catalog = car.catalog();
    for metadata in catalog.entries() {
        let range = match (metadata.min(), metadata.max(), metadata.format()) {
            (Some(min), Some(max), _) => {
                let step = metadata
                    .step()
                    .map(|s| format!(" step {s}"))
                    .unwrap_or_default();
                format!("{min}..{max}{step}")
            }
            (_, _, Some(StringFormat::OneOf(values))) => values.join("|"),
            (_, _, Some(StringFormat::RgbHex)) => "RRGGBB".into(),
            _ => String::new(),
        };
        let mut rules = Vec::new();
        let rule = metadata.rules();
        if rule.driver_only {
            rules.push("driver only".to_owned());
        }
        match rule.standstill {
            Some(StandstillRule::Always) => {
                rules.push(format!("below {} km/h", catalog.standstill_below_kmh()))
            }
            Some(StandstillRule::ToFalse) => rules.push(format!(
                "to false below {} km/h",
                catalog.standstill_below_kmh()
            )),
            None => {}
        }
        let kind = match metadata.entry_type() {
            EntryType::Actuator if car.is_controllable(metadata.path()) => "actuator",
            EntryType::Actuator => "actuator (not mapped)",
            EntryType::Sensor => "sensor",
        };
        outln!(
            "{:<62} {:<9} {:<8} {:<28} start {:<8} {}",
            metadata.path(),
            kind,
            format!("{:?}", metadata.data_type()).to_lowercase(),
            format!("{range} {}", metadata.unit().unwrap_or("")).trim_end(),
            metadata.default().to_string(),
            rules.join(", ")
        );
    }
    Ok(())
}
