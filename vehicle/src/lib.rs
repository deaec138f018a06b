//! The car as cockpit sees it.
//!
//! This crate knows the vehicle and nothing else: no audio, no language model, no screen. It
//! turns "set `Vehicle.Cabin.Door.Row1.DriverSide.Window.Position` to 50 for the driver" into
//! checked, E2E-protected CAN frames, and status frames back into the car's state.
//!
//! # Layout
//! - [`catalog`]: the VSS signal catalog (types, ranges, start state, rules), loaded from TOML.
//! - [`dbc`]: DBC databases, decoding and encoding frames.
//! - [`mapping`]: [`CarDefinition`], the catalog tied to a DBC by a mapping file.
//! - [`e2e`]: AUTOSAR E2E profile 1 style counter and CRC.
//! - [`transport`]: the [`CanTransport`] trait and its backends: virtual bus, SocketCAN, candump logs.
//! - [`state`]: [`VehicleState`], the latest reported value of every signal, with staleness.
//! - [`policy`]: the rules of the road; only it builds the changes that can become frames.
//! - [`actuation`]: [`Actuator`], from request to confirmed (or refused) outcome.
//! - [`sim`]: [`SimCar`], the simulated car, and [`Drive`]s for it.
//! - [`reference`]: the project's reference car, built in.
//!
//! # Example
//! ```
//! # tokio_test();
//! # fn tokio_test() {
//! # let rt = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
//! # rt.block_on(async {
//! use std::sync::Arc;
//! use vehicle::{reference, Actuator, Drive, Dynamics, Gear, Seat, SimCar, Value, VehicleState, VirtualBus};
//!
//! let car = Arc::new(reference::car_definition());
//! let bus = VirtualBus::new("virtual");
//! let dynamics = Dynamics::reference(&car);
//! let _sim = SimCar::spawn(car.clone(), Arc::new(bus.endpoint()), Drive::constant(0.0, Gear::Park), dynamics);
//! let state = VehicleState::spawn(car.clone(), Arc::new(bus.endpoint()));
//! state.wait_for_paths(&["Vehicle.Speed"], std::time::Duration::from_secs(1)).await;
//!
//! let actuator = Actuator::new(car, Arc::new(bus.endpoint()), state);
//! let outcome = actuator.set(Seat::Driver, "Vehicle.Cabin.Light.IsDomeOn", Value::Bool(true)).await;
//! assert!(outcome.is_done());
//! # });
//! # }
//! ```
#![deny(missing_docs)]

pub mod actuation;
pub mod catalog;
pub mod context;
pub mod dbc;
pub mod e2e;
pub mod frame;
pub mod mapping;
pub mod policy;
pub mod reference;
pub mod sim;
pub mod state;
pub mod transport;

pub use actuation::{Actuator, Applied, Outcome};
pub use catalog::{Catalog, Value};
pub use context::{Gear, Seat};
pub use frame::{CanFrame, CanId};
pub use mapping::CarDefinition;
pub use policy::PolicyError;
pub use sim::{Drive, Dynamics, SimCar};
pub use state::VehicleState;
pub use transport::{CanTransport, VirtualBus};
