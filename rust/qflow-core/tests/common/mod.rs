//! Helpers shared by the scheduler scenario tests.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::sync::Arc;

use qflow_core::{Config, Dag, Event, Instruction, Outcome, Scheduler};

pub fn sched(n: usize, edges: &[(u32, u32)], cfg: Config) -> Scheduler {
    let (src, dst): (Vec<u32>, Vec<u32>) = edges.iter().copied().unzip();
    let dag = Dag::new(n, &src, &dst, None).expect("acyclic");
    Scheduler::new(Arc::new(dag), cfg).expect("valid config")
}

pub fn start(s: &mut Scheduler) -> Vec<Instruction> {
    s.start()
}

pub fn feed(s: &mut Scheduler, e: Event) -> Vec<Instruction> {
    s.handle([e])
}

pub fn done(task: u32, attempt: u32, outcome: Outcome) -> Event {
    Event::Completed {
        task,
        attempt,
        outcome,
    }
}

pub fn cfg(max_concurrency: u32) -> Config {
    Config {
        max_concurrency,
        ..Config::default()
    }
}
