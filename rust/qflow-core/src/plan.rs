//! HEFT-style list scheduling over resource slots, and a FIFO baseline.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt;

use crate::Dag;

/// Which task goes next when several are ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Highest upward rank first (ties in topological order): HEFT's priority.
    Heft,
    /// The graph's topological order.
    Fifo,
}

/// Per task the resource it needs one slot of, and per resource its slot count.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resources {
    /// Per task (empty: every task needs resource 0).
    pub resource: Vec<u32>,
    /// Per resource slot counts (must cover every resource used, each >= 1).
    pub capacities: Vec<u32>,
}

impl Resources {
    /// `workers` identical slots shared by every task.
    #[must_use]
    pub fn workers(workers: u32) -> Self {
        Self {
            resource: Vec::new(),
            capacities: vec![workers],
        }
    }
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// `resource` does not have one entry per task.
    Length {
        /// Its length.
        got: usize,
        /// The number of tasks.
        expected: usize,
    },
    /// A task needs a resource that is missing or has no slots.
    NoSlots {
        /// The task.
        task: u32,
        /// The resource it needs.
        resource: u32,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length { got, expected } => {
                write!(
                    f,
                    "resource has length {got}, expected one entry per task ({expected})"
                )
            }
            Self::NoSlots { task, resource } => {
                write!(
                    f,
                    "task {task} needs resource {resource}, which has no slots"
                )
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// A planned schedule: when and where each task runs, predicted from its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Tasks in planned start order.
    pub order: Vec<u32>,
    /// Predicted start time per task.
    pub start: Vec<f64>,
    /// Predicted finish time per task.
    pub finish: Vec<f64>,
    /// Slot index (within the task's resource) per task.
    pub slot: Vec<u32>,
    /// Latest finish time.
    pub makespan: f64,
    /// The graph's critical path.
    pub critical_path: Vec<u32>,
}

/// A slot and the time it becomes free; the heap pops the earliest (then lowest index).
#[derive(Debug, Clone, Copy)]
struct FreeAt(f64, u32);

impl Ord for FreeAt {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}
impl PartialOrd for FreeAt {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for FreeAt {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for FreeAt {}

/// Plan `dag` over `res`: each task, in policy order, takes the earliest-free slot of its
/// resource and starts once that slot is free and all its predecessors have finished.
pub fn plan(dag: &Dag, res: &Resources, policy: Policy) -> Result<Plan, PlanError> {
    let n = dag.n();
    if !res.resource.is_empty() && res.resource.len() != n {
        return Err(PlanError::Length {
            got: res.resource.len(),
            expected: n,
        });
    }
    let resource_of = |t: u32| res.resource.get(t as usize).copied().unwrap_or(0);
    for t in 0..n as u32 {
        let r = resource_of(t);
        if res.capacities.get(r as usize).copied().unwrap_or(0) == 0 {
            return Err(PlanError::NoSlots {
                task: t,
                resource: r,
            });
        }
    }
    let mut slots: Vec<BinaryHeap<Reverse<FreeAt>>> = res
        .capacities
        .iter()
        .map(|&c| {
            (0..c.min(n as u32))
                .map(|s| Reverse(FreeAt(0.0, s)))
                .collect()
        })
        .collect();
    let rank = dag.upward_rank();
    let order = match policy {
        Policy::Fifo => dag.topological_order().to_vec(),
        Policy::Heft => heft_order(dag, &rank),
    };
    let cost = dag.costs();
    // `ready[t]`: the latest finish among t's predecessors, pushed forward as each is placed.
    let mut ready = vec![0.0f64; n];
    let (mut start, mut finish, mut slot) = (vec![0.0; n], vec![0.0; n], vec![0u32; n]);
    let mut makespan = 0.0f64;
    for &t in &order {
        let ti = t as usize;
        let heap = &mut slots[resource_of(t) as usize];
        let Reverse(FreeAt(free, s)) = heap.pop().expect("capacity checked above");
        start[ti] = ready[ti].max(free);
        finish[ti] = start[ti] + cost[ti];
        slot[ti] = s;
        heap.push(Reverse(FreeAt(finish[ti], s)));
        makespan = makespan.max(finish[ti]);
        for &succ in dag.successors(t) {
            ready[succ as usize] = ready[succ as usize].max(finish[ti]);
        }
    }
    let critical_path = dag.critical_path_from_rank(&rank).0;
    Ok(Plan {
        order,
        start,
        finish,
        slot,
        makespan,
        critical_path,
    })
}

/// HEFT's list order: decreasing upward rank. A predecessor's rank is at least its
/// successor's (equal only when its cost is 0), so breaking ties by topological position
/// keeps the order topological. One sequential sort; no heap walk over the graph.
fn heft_order(dag: &Dag, rank: &[f64]) -> Vec<u32> {
    let mut keyed: Vec<(f64, u32)> = dag
        .topological_order()
        .iter()
        .map(|&t| (rank[t as usize], t))
        .collect();
    // Stable sort: equal ranks keep their topological order.
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
    keyed.into_iter().map(|(_, t)| t).collect()
}
