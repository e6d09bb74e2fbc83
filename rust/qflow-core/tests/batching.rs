//! Cross-task batching: packing ready tasks of one group, windows, slots, failures.

mod common;

use common::{cfg, done, feed, sched, start};
use qflow_core::{
    BatchLimit, Config, ConfigError, Event, Instruction, NotifyKind, Outcome, RunStatus, TaskState,
};
use Instruction::{ArmWindow, Finished, Notify, SetDeadline, Start, StartBatch};

fn limit(max_size: u32, window_s: f64) -> BatchLimit {
    BatchLimit { max_size, window_s }
}

/// `(batch, task)` of every `StartBatch` in `out`.
fn batches(out: &[Instruction]) -> Vec<(u32, u32)> {
    out.iter()
        .filter_map(|i| match *i {
            StartBatch { batch, task, .. } => Some((batch, task)),
            _ => None,
        })
        .collect()
}

fn starts(out: &[Instruction]) -> Vec<u32> {
    out.iter()
        .filter_map(|i| match *i {
            Start { task, .. } => Some(task),
            _ => None,
        })
        .collect()
}

/// Root 0 fans out to tasks 1..=n, all in group 1.
fn fan_out(n: u32, c: Config) -> qflow_core::Scheduler {
    let edges: Vec<(u32, u32)> = (1..=n).map(|t| (0, t)).collect();
    let mut group = vec![1; n as usize + 1];
    group[0] = 0;
    sched(
        n as usize + 1,
        &edges,
        Config {
            batch_group: group,
            ..c
        },
    )
}

#[test]
fn a_fan_out_starts_as_full_batches_in_priority_order() {
    let c = Config {
        batch_limits: vec![limit(3, 0.0)],
        ..cfg(4)
    };
    let mut s = fan_out(5, c);
    assert_eq!(starts(&start(&mut s)), vec![0]);
    let out = feed(&mut s, done(0, 1, Outcome::Ok));
    // equal ranks: lower index first; two batches of 3 and 2
    assert_eq!(batches(&out), vec![(1, 1), (1, 2), (1, 3), (2, 4), (2, 5)]);
    assert_eq!(
        s.running(),
        2,
        "a batch counts once against max_concurrency"
    );
    assert_eq!(s.batch_of(4), 2);
    for t in 1..=5 {
        assert_eq!(s.state(t), TaskState::Running);
    }
    let mut last = Vec::new();
    for t in 1..=5 {
        last = feed(&mut s, done(t, 1, Outcome::Ok));
    }
    assert_eq!(
        last,
        vec![Finished {
            status: RunStatus::Succeeded
        }]
    );
}

#[test]
fn a_batch_holds_one_slot_until_its_last_member_settles() {
    let c = Config {
        resource: vec![0; 6],
        capacities: vec![1],
        batch_limits: vec![limit(3, 0.0)],
        ..cfg(4)
    };
    let mut s = fan_out(5, c);
    let _ = start(&mut s);
    let out = feed(&mut s, done(0, 1, Outcome::Ok));
    assert_eq!(batches(&out), vec![(1, 1), (1, 2), (1, 3)]);
    assert!(feed(&mut s, done(1, 1, Outcome::Ok)).is_empty());
    assert!(feed(&mut s, done(3, 1, Outcome::Ok)).is_empty());
    let out = feed(&mut s, done(2, 1, Outcome::Ok));
    assert_eq!(batches(&out), vec![(2, 4), (2, 5)]);
}

#[test]
fn a_batch_of_one_starts_like_any_task() {
    let c = Config {
        batch_group: vec![1],
        batch_limits: vec![limit(8, 0.5)],
        ..cfg(2)
    };
    let mut s = sched(1, &[], c);
    // nothing else of the group can come: no window, a plain Start
    assert_eq!(
        start(&mut s),
        vec![Start {
            task: 0,
            attempt: 1
        }]
    );
    assert_eq!(s.batch_of(0), 0);
}

/// 0 (ungrouped) -> 2; 1 and 2 in group 1 with a window.
fn waits_for_imminent(window_s: f64) -> qflow_core::Scheduler {
    let c = Config {
        batch_group: vec![0, 1, 1],
        batch_limits: vec![limit(4, window_s)],
        ..cfg(4)
    };
    sched(3, &[(0, 2)], c)
}

#[test]
fn a_window_waits_for_a_member_whose_predecessors_run() {
    let mut s = waits_for_imminent(0.25);
    let out = start(&mut s);
    assert_eq!(starts(&out), vec![0]);
    assert!(out.contains(&ArmWindow {
        group: 1,
        generation: 1,
        secs: 0.25
    }));
    assert_eq!(s.state(1), TaskState::Ready);
    // 2 becomes ready: nothing is imminent any more, the batch starts before the window ends
    let out = feed(&mut s, done(0, 1, Outcome::Ok));
    assert_eq!(batches(&out), vec![(1, 1), (1, 2)]);
    // the old window is stale now
    assert!(feed(
        &mut s,
        Event::WindowClosed {
            group: 1,
            generation: 1
        }
    )
    .is_empty());
}

#[test]
fn an_expired_window_starts_what_is_ready() {
    let mut s = waits_for_imminent(0.25);
    let _ = start(&mut s);
    let out = feed(
        &mut s,
        Event::WindowClosed {
            group: 1,
            generation: 1,
        },
    );
    assert_eq!(starts(&out), vec![1]);
    // 2 arrives alone later: nothing imminent, it starts at once
    let out = feed(&mut s, done(0, 1, Outcome::Ok));
    assert_eq!(starts(&out), vec![2]);
}

#[test]
fn a_full_batch_does_not_wait_for_its_window() {
    let c = Config {
        batch_group: vec![0, 1, 1, 1],
        batch_limits: vec![limit(2, 10.0)],
        ..cfg(4)
    };
    let mut s = sched(4, &[(0, 3)], c);
    let out = start(&mut s);
    assert_eq!(starts(&out), vec![0]);
    assert_eq!(batches(&out), vec![(1, 1), (1, 2)]);
    assert!(!out.iter().any(|i| matches!(i, ArmWindow { .. })));
}

#[test]
fn a_timed_out_member_keeps_the_slot_until_the_batch_is_settled() {
    let c = Config {
        resource: vec![0; 3],
        capacities: vec![1],
        timeouts_s: vec![0.0, 5.0, 0.0],
        retries: vec![0, 1, 0],
        batch_group: vec![1, 1, 1],
        batch_limits: vec![limit(2, 0.0)],
        ..cfg(4)
    };
    let mut s = sched(3, &[], c);
    let out = start(&mut s);
    assert_eq!(batches(&out), vec![(1, 0), (1, 1)]);
    assert!(out.contains(&SetDeadline {
        task: 1,
        attempt: 1,
        secs: 5.0
    }));
    let out = feed(
        &mut s,
        Event::DeadlineHit {
            task: 1,
            attempt: 1,
        },
    );
    assert!(out.contains(&Notify {
        task: 1,
        attempt: 1,
        kind: NotifyKind::TimedOut
    }));
    // task 1 retries at once (no backoff), but the batch still holds the only slot
    assert_eq!(s.state(1), TaskState::Ready);
    assert!(batches(&out).is_empty() && starts(&out).is_empty());
    // a late completion of the timed-out attempt is ignored
    assert!(feed(&mut s, done(1, 1, Outcome::Ok)).is_empty());
    let out = feed(&mut s, done(0, 1, Outcome::Ok));
    assert_eq!(batches(&out), vec![(2, 1), (2, 2)]);
    assert_eq!(s.attempt(1), 2);
}

#[test]
fn failed_members_retry_and_may_join_a_later_batch() {
    let c = Config {
        retries: vec![1; 3],
        batch_group: vec![1, 1, 1],
        batch_limits: vec![limit(3, 0.0)],
        ..cfg(1)
    };
    let mut s = sched(3, &[], c);
    assert_eq!(batches(&start(&mut s)), vec![(1, 0), (1, 1), (1, 2)]);
    let _ = feed(&mut s, done(0, 1, Outcome::Failed));
    let _ = feed(&mut s, done(1, 1, Outcome::Failed));
    let out = feed(&mut s, done(2, 1, Outcome::Ok));
    assert_eq!(batches(&out), vec![(2, 0), (2, 1)]);
}

#[test]
fn cancel_settles_every_running_batch() {
    let c = Config {
        batch_group: vec![1; 4],
        batch_limits: vec![limit(2, 0.0)],
        ..cfg(4)
    };
    let mut s = sched(4, &[], c);
    let _ = start(&mut s);
    assert_eq!(s.running(), 2);
    let out = feed(&mut s, Event::Cancel);
    assert_eq!(s.running(), 0);
    assert!(out.contains(&Finished {
        status: RunStatus::Cancelled
    }));
}

#[test]
fn groups_never_mix_and_other_tasks_start_beside_them() {
    let c = Config {
        batch_group: vec![1, 2, 1, 2, 0],
        batch_limits: vec![limit(4, 0.0), limit(4, 0.0)],
        ..cfg(8)
    };
    let mut s = sched(5, &[], c);
    let out = start(&mut s);
    let b = batches(&out);
    assert_eq!(b.len(), 4);
    let of = |t: u32| b.iter().find(|(_, x)| *x == t).map(|(id, _)| *id);
    assert_eq!(of(0), of(2));
    assert_eq!(of(1), of(3));
    assert_ne!(of(0), of(1));
    assert_eq!(starts(&out), vec![4]);
}

#[test]
fn bad_batch_options_are_refused() {
    let n = 2;
    let base = || Config {
        batch_group: vec![1, 1],
        batch_limits: vec![limit(2, 0.0)],
        ..cfg(1)
    };
    let check = |c: Config| {
        let dag = qflow_core::Dag::new(n, &[], &[], None).expect("dag");
        qflow_core::Scheduler::new(std::sync::Arc::new(dag), c).map(|_| ())
    };
    assert!(check(base()).is_ok());
    assert!(matches!(
        check(Config {
            batch_group: vec![1, 2],
            ..base()
        }),
        Err(ConfigError::OutOfRange {
            what: "batch_group",
            ..
        })
    ));
    assert!(matches!(
        check(Config {
            batch_limits: vec![limit(0, 0.0)],
            ..base()
        }),
        Err(ConfigError::Invalid { .. })
    ));
    assert!(matches!(
        check(Config {
            batch_limits: vec![limit(2, f64::NAN)],
            ..base()
        }),
        Err(ConfigError::Invalid { .. })
    ));
    let err = check(Config {
        resource: vec![0, 1],
        capacities: vec![1, 1],
        ..base()
    });
    assert_eq!(err, Err(ConfigError::BatchResource { group: 1, task: 1 }));
    assert!(err.is_err_and(|e| e.to_string().contains("batch group 1")));
    assert!(matches!(
        check(Config {
            batch_group: vec![1],
            ..base()
        }),
        Err(ConfigError::Length { .. })
    ));
}

mod props {
    use std::collections::HashMap;
    use std::sync::Arc;

    use proptest::prelude::*;
    use qflow_core::{BatchLimit, Config, Dag, Event, Instruction, Outcome, Scheduler, TaskState};

    /// A random DAG over `n` tasks (edges from lower to higher index).
    fn dag(n: usize, edges: &[(usize, usize)]) -> Dag {
        let (src, dst): (Vec<u32>, Vec<u32>) = edges
            .iter()
            .map(|&(a, b)| ((a % n).min(b % n) as u32, (a % n).max(b % n) as u32))
            .filter(|(a, b)| a != b)
            .unzip();
        Dag::new(n, &src, &dst, None).expect("edges go forward")
    }

    proptest! {
        #[test]
        fn batches_respect_groups_limits_slots_and_dependencies(
            n in 1usize..25,
            edges in prop::collection::vec((0usize..25, 0usize..25), 0..40),
            groups in prop::collection::vec(0u32..3, 25),
            sizes in prop::collection::vec(1u32..4, 2),
            windows in prop::collection::vec(any::<bool>(), 2),
            caps in prop::collection::vec(1u32..3, 3),
            conc in 1u32..4,
            choices in prop::collection::vec(any::<u32>(), 300),
        ) {
            let d = Arc::new(dag(n, &edges));
            // group g lives on resource g (resource 0: ungrouped tasks)
            let batch_group: Vec<u32> = groups[..n].to_vec();
            let resource = batch_group.clone();
            let limits = sizes.iter().zip(&windows)
                .map(|(&max_size, &w)| BatchLimit { max_size, window_s: if w { 1.0 } else { 0.0 } })
                .collect();
            let cfg = Config {
                max_concurrency: conc,
                resource: resource.clone(),
                capacities: caps.clone(),
                retries: vec![1; n],
                backoff_s: 1.0,
                timeouts_s: vec![5.0; n],
                continue_on_failure: true,
                batch_group: batch_group.clone(),
                batch_limits: limits,
                ..Config::default()
            };
            let mut s = Scheduler::new(Arc::clone(&d), cfg).expect("config");
            let mut out = Vec::new();
            s.start_into(&mut out);
            // (task, attempt, batch id or 0)
            let mut running: Vec<(u32, u32, u32)> = Vec::new();
            let (mut timers, mut deadlines, mut windows_armed) = (Vec::new(), Vec::new(), Vec::new());
            let mut finished = None;
            let mut c = choices.into_iter().cycle();
            for _ in 0..3000 {
                running.retain(|&(t, a, _)| s.state(t) == TaskState::Running && s.attempt(t) == a);
                let mut batch_sizes: HashMap<u32, (u32, usize)> = HashMap::new();
                for ins in out.drain(..) {
                    prop_assert!(finished.is_none(), "instruction after Finished");
                    let (task, attempt, batch) = match ins {
                        Instruction::Start { task, attempt } => (task, attempt, 0),
                        Instruction::StartBatch { batch, task, attempt } => {
                            let g = batch_group[task as usize];
                            prop_assert!(g > 0, "ungrouped task {} in a batch", task);
                            let e = batch_sizes.entry(batch).or_insert((g, 0));
                            prop_assert_eq!(e.0, g, "batch {} mixes groups", batch);
                            e.1 += 1;
                            prop_assert!(e.1 <= sizes[(g - 1) as usize] as usize);
                            (task, attempt, batch)
                        }
                        Instruction::SetDeadline { task, attempt, .. } => { deadlines.push((task, attempt)); continue; }
                        Instruction::StartBackoffTimer { task, attempt, .. } => { timers.push((task, attempt)); continue; }
                        Instruction::ArmWindow { group, generation, .. } => { windows_armed.push((group, generation)); continue; }
                        Instruction::Notify { .. } => continue,
                        Instruction::Finished { status } => { finished = Some(status); continue; }
                    };
                    prop_assert!(!running.iter().any(|&(t, _, _)| t == task), "task {} started twice", task);
                    for &p in d.predecessors(task) {
                        prop_assert_eq!(s.state(p), TaskState::Succeeded);
                    }
                    running.push((task, attempt, batch));
                }
                // slots: one per solo task or batch with a member still running
                let mut units: HashMap<(u32, u32), u32> = HashMap::new();
                for &(t, _, b) in &running {
                    units.insert(if b == 0 { (u32::MAX, t) } else { (b, 0) }, resource[t as usize]);
                }
                prop_assert!(units.len() <= conc as usize, "{} units over max_concurrency {}", units.len(), conc);
                for (r, &cap) in caps.iter().enumerate() {
                    let used = units.values().filter(|&&x| x as usize == r).count();
                    prop_assert!(used <= cap as usize, "resource {} holds {} > {}", r, used, cap);
                }
                if finished.is_some() { break; }
                let pick = c.next().unwrap_or(0);
                let event = match pick % 5 {
                    0 | 1 if !running.is_empty() => {
                        let (task, attempt, _) = running[pick as usize / 5 % running.len()];
                        let outcome = [Outcome::Ok, Outcome::Ok, Outcome::Failed, Outcome::Fatal][pick as usize / 32 % 4];
                        Event::Completed { task, attempt, outcome }
                    }
                    2 if !timers.is_empty() => { let (task, attempt) = timers.swap_remove(pick as usize / 5 % timers.len()); Event::TimerFired { task, attempt } }
                    3 if !deadlines.is_empty() => { let (task, attempt) = deadlines.swap_remove(pick as usize / 5 % deadlines.len()); Event::DeadlineHit { task, attempt } }
                    4 if !windows_armed.is_empty() => { let (group, generation) = windows_armed.swap_remove(pick as usize / 5 % windows_armed.len()); Event::WindowClosed { group, generation } }
                    _ if !running.is_empty() => { let (task, attempt, _) = running[0]; Event::Completed { task, attempt, outcome: Outcome::Ok } }
                    _ if !windows_armed.is_empty() => { let (group, generation) = windows_armed.remove(0); Event::WindowClosed { group, generation } }
                    _ if !timers.is_empty() => { let (task, attempt) = timers.remove(0); Event::TimerFired { task, attempt } }
                    _ => {
                        let Some((task, attempt)) = deadlines.pop() else {
                            return Err(TestCaseError::fail("nothing can happen and the run is not over (stuck)"));
                        };
                        Event::DeadlineHit { task, attempt }
                    }
                };
                s.handle_into([event], &mut out);
            }
            prop_assert!(finished.is_some(), "the run never finished");
            for t in 0..n as u32 {
                prop_assert!(s.state(t).is_terminal());
            }
            prop_assert_eq!(s.running(), 0);
        }
    }
}
