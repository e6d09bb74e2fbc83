//! Scheduler scenarios driven by hand: ordering, limits, resume, configuration.

mod common;

use std::sync::Arc;

use common::{cfg, done, feed, sched, start};
use qflow_core::{Config, ConfigError, Dag, Instruction, Outcome, RunStatus, Scheduler, TaskState};
use Instruction::{Finished, Start};

#[test]
fn chain_runs_in_order_and_finishes() {
    let mut s = sched(3, &[(0, 1), (1, 2)], cfg(4));
    assert_eq!(
        start(&mut s),
        vec![Start {
            task: 0,
            attempt: 1
        }]
    );
    assert_eq!(s.state(1), TaskState::Pending);
    assert_eq!(
        feed(&mut s, done(0, 1, Outcome::Ok)),
        vec![Start {
            task: 1,
            attempt: 1
        }]
    );
    assert_eq!(
        feed(&mut s, done(1, 1, Outcome::Ok)),
        vec![Start {
            task: 2,
            attempt: 1
        }]
    );
    assert_eq!(
        feed(&mut s, done(2, 1, Outcome::Ok)),
        vec![Finished {
            status: RunStatus::Succeeded
        }]
    );
    assert_eq!(s.finished(), Some(RunStatus::Succeeded));
}

#[test]
fn max_concurrency_and_priority_pick_the_starts() {
    // Task 2 heads a longer chain (2 -> 3), so it outranks the lone tasks 0 and 1.
    let mut s = sched(4, &[(2, 3)], cfg(2));
    assert_eq!(
        start(&mut s),
        vec![
            Start {
                task: 2,
                attempt: 1
            },
            Start {
                task: 0,
                attempt: 1
            }
        ]
    );
    assert_eq!(s.running(), 2);
    assert_eq!(
        feed(&mut s, done(0, 1, Outcome::Ok)),
        vec![Start {
            task: 1,
            attempt: 1
        }]
    );
}

#[test]
fn explicit_priority_overrides_rank() {
    let c = Config {
        priority: vec![0.0, 5.0, 1.0],
        ..cfg(1)
    };
    let mut s = sched(3, &[], c);
    assert_eq!(
        start(&mut s),
        vec![Start {
            task: 1,
            attempt: 1
        }]
    );
}

#[test]
fn resource_slots_are_respected() {
    let c = Config {
        resource: vec![0, 0, 1],
        capacities: vec![1, 1],
        ..cfg(8)
    };
    let mut s = sched(3, &[], c);
    assert_eq!(
        start(&mut s),
        vec![
            Start {
                task: 0,
                attempt: 1
            },
            Start {
                task: 2,
                attempt: 1
            }
        ]
    );
    assert_eq!(feed(&mut s, done(2, 1, Outcome::Ok)), vec![]);
    assert_eq!(
        feed(&mut s, done(0, 1, Outcome::Ok)),
        vec![Start {
            task: 1,
            attempt: 1
        }]
    );
}

#[test]
fn done_tasks_are_never_started_and_satisfy_dependents() {
    let c = Config {
        done: vec![0, 2],
        ..cfg(4)
    };
    let mut s = sched(3, &[(0, 1), (1, 2)], c);
    // 2 is done although 1 is not: it stays done, and 1 runs alone.
    assert_eq!(
        start(&mut s),
        vec![Start {
            task: 1,
            attempt: 1
        }]
    );
    assert_eq!(
        feed(&mut s, done(1, 1, Outcome::Ok)),
        vec![Finished {
            status: RunStatus::Succeeded
        }]
    );
    let mut all_done = sched(
        2,
        &[(0, 1)],
        Config {
            done: vec![0, 1],
            ..cfg(1)
        },
    );
    assert_eq!(
        start(&mut all_done),
        vec![Finished {
            status: RunStatus::Succeeded
        }]
    );
}

#[test]
fn config_errors_name_the_option() {
    let dag = Arc::new(Dag::new(2, &[], &[], None).expect("dag"));
    let bad = |c: Config| Scheduler::new(Arc::clone(&dag), c).expect_err("invalid");
    assert!(matches!(
        bad(cfg(0)),
        ConfigError::Invalid {
            what: "max_concurrency",
            ..
        }
    ));
    assert!(matches!(
        bad(Config {
            retries: vec![1],
            ..cfg(1)
        }),
        ConfigError::Length {
            what: "retries",
            ..
        }
    ));
    assert!(matches!(
        bad(Config {
            done: vec![7],
            ..cfg(1)
        }),
        ConfigError::OutOfRange { what: "done", .. }
    ));
    let c = Config {
        resource: vec![0, 1],
        capacities: vec![1, 0],
        ..cfg(1)
    };
    assert_eq!(
        bad(c),
        ConfigError::ZeroCapacity {
            resource: 1,
            task: 1
        }
    );
    let c = Config {
        resource: vec![0, 2],
        capacities: vec![1, 1],
        ..cfg(1)
    };
    assert!(bad(c).to_string().contains("resource contains 2"));
}
