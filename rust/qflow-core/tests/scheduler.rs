//! Scheduler scenarios driven by hand: events in, instructions out.

use std::sync::Arc;

use qflow_core::{
    Config, ConfigError, Dag, Event, Instruction, NotifyKind, Outcome, RunStatus, Scheduler,
    TaskState,
};
use Instruction::{Finished, Notify, SetDeadline, Start, StartBackoffTimer};

fn sched(n: usize, edges: &[(u32, u32)], cfg: Config) -> Scheduler {
    let (src, dst): (Vec<u32>, Vec<u32>) = edges.iter().copied().unzip();
    let dag = Dag::new(n, &src, &dst, None).expect("acyclic");
    Scheduler::new(Arc::new(dag), cfg).expect("valid config")
}

fn start(s: &mut Scheduler) -> Vec<Instruction> {
    s.start()
}

fn feed(s: &mut Scheduler, e: Event) -> Vec<Instruction> {
    s.handle([e])
}

fn done(task: u32, attempt: u32, outcome: Outcome) -> Event {
    Event::Completed {
        task,
        attempt,
        outcome,
    }
}

fn cfg(max_concurrency: u32) -> Config {
    Config {
        max_concurrency,
        ..Config::default()
    }
}

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
fn retry_with_doubling_backoff() {
    let c = Config {
        retries: vec![2],
        backoff_s: 0.5,
        ..cfg(1)
    };
    let mut s = sched(1, &[], c);
    start(&mut s);
    let out = feed(&mut s, done(0, 1, Outcome::Failed));
    assert_eq!(
        out,
        vec![
            Notify {
                task: 0,
                attempt: 1,
                kind: NotifyKind::Retry
            },
            StartBackoffTimer {
                task: 0,
                attempt: 2,
                secs: 0.5
            }
        ]
    );
    assert_eq!(s.state(0), TaskState::Retrying);
    assert_eq!(
        feed(
            &mut s,
            Event::TimerFired {
                task: 0,
                attempt: 2
            }
        ),
        vec![Start {
            task: 0,
            attempt: 2
        }]
    );
    let out = feed(&mut s, done(0, 2, Outcome::Failed));
    assert_eq!(
        out[1],
        StartBackoffTimer {
            task: 0,
            attempt: 3,
            secs: 1.0
        }
    );
    feed(
        &mut s,
        Event::TimerFired {
            task: 0,
            attempt: 3,
        },
    );
    assert_eq!(
        feed(&mut s, done(0, 3, Outcome::Failed)),
        vec![Finished {
            status: RunStatus::Failed
        }]
    );
    assert_eq!(s.state(0), TaskState::Failed);
}

#[test]
fn zero_backoff_retries_at_once_and_fatal_never_retries() {
    let c = Config {
        retries: vec![3, 3],
        ..cfg(2)
    };
    let mut s = sched(2, &[], c);
    start(&mut s);
    let out = feed(&mut s, done(0, 1, Outcome::Failed));
    assert_eq!(
        out,
        vec![
            Notify {
                task: 0,
                attempt: 1,
                kind: NotifyKind::Retry
            },
            Start {
                task: 0,
                attempt: 2
            }
        ]
    );
    let out = feed(&mut s, done(1, 1, Outcome::Fatal));
    assert_eq!(s.state(1), TaskState::Failed);
    assert!(!out.iter().any(|i| matches!(i, Start { task: 1, .. })));
}

#[test]
fn deadline_times_out_the_attempt_and_stale_completion_is_ignored() {
    let c = Config {
        timeouts_s: vec![2.0, 0.0],
        retries: vec![1, 0],
        ..cfg(2)
    };
    let mut s = sched(2, &[], c);
    let out = start(&mut s);
    assert!(out.contains(&SetDeadline {
        task: 0,
        attempt: 1,
        secs: 2.0
    }));
    assert!(!out.iter().any(|i| matches!(i, SetDeadline { task: 1, .. })));
    let out = feed(
        &mut s,
        Event::DeadlineHit {
            task: 0,
            attempt: 1,
        },
    );
    assert_eq!(
        out[0],
        Notify {
            task: 0,
            attempt: 1,
            kind: NotifyKind::TimedOut
        }
    );
    assert!(out.contains(&Start {
        task: 0,
        attempt: 2
    }));
    // The abandoned first attempt reports late: ignored.
    assert_eq!(feed(&mut s, done(0, 1, Outcome::Ok)), vec![]);
    assert_eq!(s.state(0), TaskState::Running);
    // A deadline for an attempt that already finished is ignored too.
    feed(&mut s, done(0, 2, Outcome::Ok));
    assert_eq!(
        feed(
            &mut s,
            Event::DeadlineHit {
                task: 0,
                attempt: 2
            }
        ),
        vec![]
    );
    assert_eq!(s.state(0), TaskState::Succeeded);
}

#[test]
fn stop_on_failure_skips_descendants_cancels_the_rest_and_drains_running() {
    // 0 -> 1; 2 and 3 independent; concurrency 2 so 3 is still pending when 0 fails.
    let mut s = sched(4, &[(0, 1)], cfg(2));
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
    let out = feed(&mut s, done(0, 1, Outcome::Failed));
    assert_eq!(
        out,
        vec![
            Notify {
                task: 1,
                attempt: 0,
                kind: NotifyKind::Skipped
            },
            Notify {
                task: 3,
                attempt: 0,
                kind: NotifyKind::Cancelled
            }
        ]
    );
    assert_eq!(s.state(2), TaskState::Running);
    assert_eq!(
        feed(&mut s, done(2, 1, Outcome::Ok)),
        vec![Finished {
            status: RunStatus::Failed
        }]
    );
}

#[test]
fn continue_on_failure_runs_independent_branches() {
    // 0 -> 1 -> 2, 0 -> 3 ; 4 -> 3 ; 5 independent.
    let c = Config {
        continue_on_failure: true,
        ..cfg(1)
    };
    let mut s = sched(6, &[(0, 1), (1, 2), (0, 3), (4, 3)], c);
    let first = start(&mut s);
    let Start { task, .. } = first[0] else {
        panic!("{first:?}")
    };
    assert_eq!(task, 0);
    let out = feed(&mut s, done(0, 1, Outcome::Fatal));
    let skipped: Vec<u32> = out
        .iter()
        .filter_map(|i| match *i {
            Notify {
                task,
                kind: NotifyKind::Skipped,
                ..
            } => Some(task),
            _ => None,
        })
        .collect();
    assert_eq!(skipped.len(), 3);
    for t in [1, 2, 3] {
        assert_eq!(s.state(t), TaskState::Skipped);
    }
    let mut ran = vec![];
    let mut pending = out;
    while let Some(Start { task, attempt }) =
        pending.iter().copied().find(|i| matches!(i, Start { .. }))
    {
        ran.push(task);
        pending = feed(&mut s, done(task, attempt, Outcome::Ok));
    }
    ran.sort_unstable();
    assert_eq!(ran, vec![4, 5]);
    assert_eq!(
        pending.last(),
        Some(&Finished {
            status: RunStatus::Failed
        })
    );
}

#[test]
fn cancel_abandons_everything_at_once() {
    let mut s = sched(3, &[(0, 1)], cfg(1));
    start(&mut s);
    let out = feed(&mut s, Event::Cancel);
    assert_eq!(out.len(), 4);
    assert!(out.contains(&Notify {
        task: 0,
        attempt: 1,
        kind: NotifyKind::Cancelled
    }));
    assert_eq!(
        out[3],
        Finished {
            status: RunStatus::Cancelled
        }
    );
    assert_eq!(feed(&mut s, done(0, 1, Outcome::Ok)), vec![]);
    assert_eq!(s.state(0), TaskState::Cancelled);
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
