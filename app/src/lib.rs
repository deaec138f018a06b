//! cockpit's agent as a library: the language model engine, the agent's turn, the live
//! pipeline from sound to the car and back, and the turn as the dashboard shows it. The
//! `cockpit` binary is the command line around it; tests and benchmarks use it directly.

pub mod agent;
pub mod lm;
pub mod pipeline;
pub mod view;
