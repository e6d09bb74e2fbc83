//! HEFT and FIFO planning.

use qflow_core::{plan, Dag, PlanError, Policy, Resources};

#[test]
fn heft_beats_fifo_when_the_long_branch_is_indexed_last() {
    // Two independent chains on 1 worker would be equal; on 2 workers, FIFO starts the
    // short tasks 0 and 1 first while HEFT starts the long chain head (task 2) at once.
    // Tasks: 0 (1s), 1 (1s), 2 (5s) -> 3 (5s). Sources in index order 0, 1, 2.
    let d = Dag::new(4, &[2], &[3], Some(&[1.0, 1.0, 5.0, 5.0])).expect("dag");
    let heft = plan(&d, &Resources::workers(2), Policy::Heft).expect("plan");
    let fifo = plan(&d, &Resources::workers(2), Policy::Fifo).expect("plan");
    assert_eq!(heft.order[0], 2);
    assert!((heft.makespan - 10.0).abs() < 1e-12);
    assert!(
        fifo.makespan > heft.makespan,
        "fifo {} heft {}",
        fifo.makespan,
        heft.makespan
    );
    assert_eq!(heft.critical_path, vec![2, 3]);
}

#[test]
fn one_worker_serialises_everything() {
    let d = Dag::new(3, &[], &[], Some(&[1.0, 2.0, 3.0])).expect("dag");
    let p = plan(&d, &Resources::workers(1), Policy::Heft).expect("plan");
    assert_eq!(p.order, vec![2, 1, 0]);
    assert!((p.makespan - 6.0).abs() < 1e-12);
    assert!(p.slot.iter().all(|&s| s == 0));
}

#[test]
fn resources_limit_their_own_tasks_only() {
    // Tasks 0-3 need resource 0 (1 slot), 4-5 need resource 1 (2 slots).
    let d = Dag::new(6, &[], &[], None).expect("dag");
    let res = Resources {
        resource: vec![0, 0, 0, 0, 1, 1],
        capacities: vec![1, 2],
    };
    let p = plan(&d, &res, Policy::Heft).expect("plan");
    assert!((p.makespan - 4.0).abs() < 1e-12);
    assert_eq!((p.start[4], p.start[5]), (0.0, 0.0));
    assert_ne!(p.slot[4], p.slot[5]);
}

#[test]
fn missing_slots_are_an_error() {
    let d = Dag::new(2, &[], &[], None).expect("dag");
    let res = Resources {
        resource: vec![0, 1],
        capacities: vec![1],
    };
    assert_eq!(
        plan(&d, &res, Policy::Heft),
        Err(PlanError::NoSlots {
            task: 1,
            resource: 1
        })
    );
    let res = Resources {
        resource: vec![0],
        capacities: vec![1],
    };
    assert_eq!(
        plan(&d, &res, Policy::Fifo),
        Err(PlanError::Length {
            got: 1,
            expected: 2
        })
    );
}
