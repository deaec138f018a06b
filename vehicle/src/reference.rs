//! The project's reference car, built into the library: catalog, DBC, mapping, the simulated
//! car's dynamics and drives. These are the embedded defaults every command starts from; a
//! user's own files replace them through the loaders.

use std::path::Path;

use crate::catalog::Catalog;
use crate::dbc::Database;
use crate::mapping::CarDefinition;

/// `assets/vehicle/signals.toml`.
pub const CATALOG_TOML: &str = include_str!("../../assets/vehicle/signals.toml");
/// `assets/vehicle/reference.dbc`.
pub const DBC: &str = include_str!("../../assets/vehicle/reference.dbc");
/// `assets/vehicle/mapping.toml`.
pub const MAPPING_TOML: &str = include_str!("../../assets/vehicle/mapping.toml");
/// `assets/vehicle/sim.toml`: how the simulated car's actuators move.
pub const SIM_TOML: &str = include_str!("../../assets/vehicle/sim.toml");

/// The drives that ship with cockpit, by name: `assets/vehicle/drives/NAME.toml`.
pub const DRIVES: &[(&str, &str)] = &[
    (
        "parked",
        include_str!("../../assets/vehicle/drives/parked.toml"),
    ),
    (
        "city",
        include_str!("../../assets/vehicle/drives/city.toml"),
    ),
    (
        "demo",
        include_str!("../../assets/vehicle/drives/demo.toml"),
    ),
];

/// The signal catalog.
pub fn catalog() -> Catalog {
    // Cannot fail: the embedded catalog is checked by this crate's tests.
    Catalog::parse(CATALOG_TOML, Path::new("assets/vehicle/signals.toml"))
        .expect("the embedded catalog is valid")
}

/// The reference DBC.
pub fn database() -> Database {
    // Cannot fail: the embedded DBC is checked by this crate's tests.
    Database::parse(DBC, Path::new("assets/vehicle/reference.dbc"))
        .expect("the embedded DBC is valid")
}

/// Catalog, DBC and mapping of the reference car.
pub fn car_definition() -> CarDefinition {
    // Cannot fail: the embedded files are checked against each other by this crate's tests.
    CarDefinition::from_parts(
        catalog(),
        database(),
        MAPPING_TOML,
        Path::new("assets/vehicle/mapping.toml"),
    )
    .expect("the embedded mapping fits the embedded catalog and DBC")
}

/// The text of a shipped drive.
pub fn drive(name: &str) -> Option<&'static str> {
    DRIVES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_files_load_and_fit_together() {
        let car = car_definition();
        assert_eq!(car.catalog().actuators().count(), 38);
        assert_eq!(car.catalog().entries().count(), 44);
        assert_eq!(car.database().messages().len(), 14);
    }
}
