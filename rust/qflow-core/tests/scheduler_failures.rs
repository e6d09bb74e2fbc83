//! Scheduler scenarios driven by hand: retries, timeouts, failure policies, cancel.

mod common;

use common::{cfg, done, feed, sched, start};
use qflow_core::{Config, Event, Instruction, NotifyKind, Outcome, RunStatus, TaskState};
use Instruction::{Finished, Notify, SetDeadline, Start, StartBackoffTimer};

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
