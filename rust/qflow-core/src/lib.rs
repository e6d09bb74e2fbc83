//! `QuantumFlow` scheduler core: pure Rust, no I/O, no clocks (sans-IO).
//!
//! * [`Dag`] — an immutable task graph with CSR adjacency, built in one call; cycle detection,
//!   topological order, critical path and upward rank.
//! * [`Scheduler`] — the run state machine: feed it [`Event`]s, it answers with
//!   [`Instruction`]s (start this attempt, arm that timer, notify, finished).
//! * [`plan`] — a HEFT-style list schedule over resource slots.
//!
//! Task indices are `u32` in `0..n`; costs are seconds as `f64`.

mod dag;
mod error;
mod plan;
mod ready;
mod scheduler;
mod state;

pub use dag::Dag;
pub use error::DagError;
pub use plan::{plan, Plan, PlanError, Policy, Resources};
pub use ready::ReadyQueue;
pub use scheduler::{
    BatchLimit, Config, ConfigError, Event, Instruction, NotifyKind, Outcome, RunStatus, Scheduler,
};
pub use state::TaskState;
