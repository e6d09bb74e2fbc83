//! Graph construction and queries.

use qflow_core::{Dag, DagError};

fn diamond() -> Dag {
    // 0 -> 1 -> 3, 0 -> 2 -> 3
    Dag::new(4, &[0, 0, 1, 2], &[1, 2, 3, 3], Some(&[1.0, 5.0, 2.0, 1.0])).expect("acyclic")
}

#[test]
fn adjacency_both_ways() {
    let d = diamond();
    assert_eq!((d.n(), d.n_edges()), (4, 4));
    assert_eq!(d.successors(0), &[1, 2]);
    assert_eq!(d.predecessors(3), &[1, 2]);
    assert_eq!(d.in_degree(0), 0);
    assert_eq!(d.descendants(1), vec![3]);
}

#[test]
fn topological_order_puts_sources_first() {
    assert_eq!(diamond().topological_order(), &[0, 1, 2, 3]);
}

#[test]
fn critical_path_follows_the_expensive_branch() {
    let (path, len) = diamond().critical_path();
    assert_eq!(path, vec![0, 1, 3]);
    assert!((len - 7.0).abs() < 1e-12);
}

#[test]
fn upward_rank_is_cost_plus_longest_tail() {
    assert_eq!(diamond().upward_rank(), vec![7.0, 6.0, 3.0, 1.0]);
}

#[test]
fn levels_are_longest_edge_paths_from_a_source() {
    assert_eq!(diamond().levels(), vec![0, 1, 1, 2]);
    // 0 -> 1 -> 2 and a shortcut 0 -> 2: the long way decides
    let d = Dag::new(4, &[0, 1, 0], &[1, 2, 2], None).expect("acyclic");
    assert_eq!(d.levels(), vec![0, 1, 2, 0]);
}

#[test]
fn default_cost_is_one() {
    let d = Dag::new(3, &[0, 1], &[1, 2], None).expect("chain");
    assert_eq!(d.critical_path(), (vec![0, 1, 2], 3.0));
}

#[test]
fn empty_graph() {
    let d = Dag::new(0, &[], &[], None).expect("empty");
    assert!(d.topological_order().is_empty());
    assert_eq!(d.critical_path(), (vec![], 0.0));
}

#[test]
fn cycle_is_returned_in_edge_order() {
    // 0 -> 1 -> 2 -> 3 -> 1, plus 4 hanging off the cycle.
    let err = Dag::new(5, &[0, 1, 2, 3, 3], &[1, 2, 3, 1, 4], None).expect_err("cyclic");
    let DagError::Cycle(cycle) = err else {
        panic!("expected a cycle, got {err:?}")
    };
    assert_eq!(cycle.len(), 3);
    let pos = cycle
        .iter()
        .position(|&v| v == 1)
        .expect("1 is on the cycle");
    let rotated: Vec<u32> = cycle[pos..].iter().chain(&cycle[..pos]).copied().collect();
    assert_eq!(rotated, vec![1, 2, 3]);
}

#[test]
fn self_loop_is_a_cycle() {
    assert_eq!(
        Dag::new(2, &[1], &[1], None).expect_err("loop"),
        DagError::Cycle(vec![1])
    );
}

#[test]
fn bad_input_is_rejected_with_a_reason() {
    let e = Dag::new(2, &[0], &[5], None).expect_err("range");
    assert_eq!(
        e,
        DagError::IndexOutOfRange {
            edge: 0,
            node: 5,
            n: 2
        }
    );
    assert!(e.to_string().contains("task 5"));
    assert!(matches!(
        Dag::new(2, &[0], &[], None),
        Err(DagError::LengthMismatch { what: "dst", .. })
    ));
    assert!(matches!(
        Dag::new(2, &[], &[], Some(&[1.0])),
        Err(DagError::LengthMismatch { what: "cost", .. })
    ));
    assert!(matches!(
        Dag::new(1, &[], &[], Some(&[-1.0])),
        Err(DagError::BadCost { task: 0, .. })
    ));
    assert!(matches!(
        Dag::new(1, &[], &[], Some(&[f64::NAN])),
        Err(DagError::BadCost { .. })
    ));
}

#[test]
fn duplicate_edges_are_fine() {
    let d = Dag::new(2, &[0, 0], &[1, 1], None).expect("multi-edge");
    assert_eq!(d.topological_order(), &[0, 1]);
    assert_eq!(d.in_degree(1), 2);
}
