//! Turning the typed flags into a car definition, a drive and bus endpoints.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use vehicle::catalog::Catalog;
use vehicle::dbc::Database;
use vehicle::transport::{Reopening, SocketCan};
use vehicle::{
    CanTransport, CarDefinition, Drive, Dynamics, SimCar, VehicleState, VirtualBus, reference,
};

use crate::cli::{Bus, CarArgs};

/// The catalog the flags name, or the built-in one.
fn load_catalog(args: &CarArgs) -> Result<Catalog> {
    match &args.catalog {
        Some(path) => Ok(Catalog::load(path)?),
        None => Ok(reference::catalog()),
    }
}

/// The car: catalog, DBC and mapping from the flags, or the built-in reference car.
pub fn load_car(args: &CarArgs) -> Result<CarDefinition> {
    let catalog = load_catalog(args)?;
    match (&args.mapping, &args.dbc) {
        (Some(mapping), dbc) => Ok(CarDefinition::load(catalog, mapping, dbc.as_deref())?),
        (None, Some(dbc)) => bail!(
            "--dbc {} needs a mapping from VSS paths to its signals: give --map FILE too \
             (assets/vehicle/mapping.toml shows the form)",
            dbc.display()
        ),
        (None, None) if args.catalog.is_some() => {
            let database = reference::database();
            Ok(CarDefinition::from_parts(
                catalog,
                database,
                reference::MAPPING_TOML,
                Path::new("assets/vehicle/mapping.toml"),
            )?)
        }
        (None, None) => Ok(reference::car_definition()),
    }
}

/// The DBC for decoding: the one given, the one the mapping names, or the reference car's.
pub fn load_database(args: &CarArgs) -> Result<Database> {
    match (&args.dbc, &args.mapping) {
        (Some(dbc), _) => Ok(Database::load(dbc)?),
        (None, Some(_)) => Ok(load_car(args)?.database().clone()),
        (None, None) => Ok(reference::database()),
    }
}

/// A built-in drive by name, or a drive file.
pub fn load_drive(name_or_path: &str) -> Result<Drive> {
    if let Some(text) = reference::drive(name_or_path) {
        return Ok(Drive::parse(text, Path::new(name_or_path))?);
    }
    let path = Path::new(name_or_path);
    if !path.exists() {
        let names: Vec<&str> = reference::DRIVES.iter().map(|(n, _)| *n).collect();
        bail!(
            "no drive {name_or_path:?}: give one of {} or a drive file",
            names.join(", ")
        );
    }
    Ok(Drive::load(path)?)
}

/// How long the simulated car gets to report its first status frames.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The state read from the simulated car's status frames on `endpoint`, once the car has
/// reported every signal; an error naming those it has not.
pub async fn simulated_car_state(
    car: &Arc<CarDefinition>,
    endpoint: Arc<dyn CanTransport>,
) -> Result<VehicleState> {
    let state = VehicleState::spawn(car.clone(), endpoint);
    let reported: Vec<&str> = car.reported_paths().collect();
    let missing = state.wait_for_paths(&reported, READY_TIMEOUT).await;
    if !missing.is_empty() {
        bail!(
            "the simulated car did not report {} within {} s",
            missing.join(", "),
            READY_TIMEOUT.as_secs()
        );
    }
    Ok(state)
}

/// Endpoints on one bus: every call gives another node its own connection.
pub enum Endpoints {
    /// The in-process bus.
    Virtual(VirtualBus),
    /// A SocketCAN interface; each endpoint is its own socket.
    Interface(String),
}

impl Endpoints {
    /// Opens the bus the flag names.
    pub fn open(bus: &Bus) -> Result<Endpoints> {
        Ok(match bus {
            Bus::Virtual => Endpoints::Virtual(VirtualBus::new("virtual")),
            Bus::Interface(name) => {
                // Open one socket now so that a missing interface fails before anything starts.
                SocketCan::open(name)?;
                Endpoints::Interface(name.clone())
            }
        })
    }

    /// A new endpoint.
    pub fn endpoint(&self) -> Result<Arc<dyn CanTransport>> {
        Ok(match self {
            Endpoints::Virtual(bus) => Arc::new(bus.endpoint()),
            // An interface can go away mid-session (an adapter unplugged, the link taken
            // down): each endpoint opens it again until it is back.
            Endpoints::Interface(name) => {
                let interface = name.clone();
                let reopening = Reopening::open(Box::new(move || {
                    Ok(Arc::new(SocketCan::open(&interface)?) as Arc<dyn CanTransport>)
                }))
                .with_context(|| format!("opening {name}"))?;
                Arc::new(reopening)
            }
        })
    }

    /// The bus's name for messages and logs.
    pub fn name(&self) -> &str {
        match self {
            Endpoints::Virtual(_) => "virtual",
            Endpoints::Interface(name) => name,
        }
    }
}

/// A car on a bus, started for a live session: on the virtual bus the simulated car drives
/// `drive`; on an interface the real ECUs answer.
pub struct CarOnBus {
    /// The bus, for more endpoints.
    pub endpoints: Endpoints,
    /// The car's state, read from its status frames.
    pub state: VehicleState,
    /// The signals the car had not reported after two seconds (shown as unknown until it
    /// does), for the caller to warn about.
    pub missing: Vec<String>,
    /// The simulated car, which runs as long as this is kept.
    pub sim: Option<SimCar>,
}

impl CarOnBus {
    /// Opens `bus`, starts the simulated car on it when it is the virtual one, and waits up
    /// to two seconds for the car to report every signal.
    pub async fn start(car: &Arc<CarDefinition>, bus: &Bus, drive: &str) -> Result<CarOnBus> {
        let endpoints = Endpoints::open(bus)?;
        let sim = match bus {
            Bus::Virtual => Some(SimCar::spawn(
                car.clone(),
                endpoints.endpoint()?,
                load_drive(drive)?,
                Dynamics::reference(car),
            )),
            Bus::Interface(_) => None,
        };
        let state = VehicleState::spawn(car.clone(), endpoints.endpoint()?);
        let reported: Vec<&str> = car.reported_paths().collect();
        let missing = state
            .wait_for_paths(&reported, Duration::from_secs(2))
            .await;
        Ok(CarOnBus {
            endpoints,
            state,
            missing,
            sim,
        })
    }
}
