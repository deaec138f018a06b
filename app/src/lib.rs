//! cockpit's agent as a library: the language model engine and the agent's turn. The
//! `cockpit` binary is the command line around it; tests and benchmarks use it directly.

pub mod agent;
pub mod lm;
