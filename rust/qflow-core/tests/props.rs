//! Property tests over random DAGs (proptest).

use std::sync::Arc;

use proptest::prelude::*;
use qflow_core::{
    plan, Config, Dag, DagError, Event, Instruction, Outcome, Policy, Resources, Scheduler,
    TaskState,
};

/// A random DAG: edges go from lower to higher rank under a random permutation of 0..n.
#[derive(Debug, Clone)]
struct Graph {
    n: usize,
    src: Vec<u32>,
    dst: Vec<u32>,
    cost: Vec<f64>,
}

fn graph(max_n: usize) -> impl Strategy<Value = Graph> {
    (1..max_n).prop_flat_map(|n| {
        let edges = prop::collection::vec((0..n, 0..n), 0..n * 3);
        let perm = Just((0..n as u32).collect::<Vec<_>>()).prop_shuffle();
        let cost = prop::collection::vec(0u32..10, n);
        (Just(n), edges, perm, cost).prop_map(|(n, edges, perm, cost)| {
            let (src, dst) = edges
                .into_iter()
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (perm[a.min(b)], perm[a.max(b)]))
                .unzip();
            Graph {
                n,
                src,
                dst,
                cost: cost.into_iter().map(f64::from).collect(),
            }
        })
    })
}

fn build(g: &Graph) -> Dag {
    Dag::new(g.n, &g.src, &g.dst, Some(&g.cost)).expect("generated graphs are acyclic")
}

proptest! {
    #[test]
    fn topological_order_respects_every_edge(g in graph(60)) {
        let d = build(&g);
        let mut pos = vec![usize::MAX; g.n];
        for (i, &v) in d.topological_order().iter().enumerate() {
            prop_assert_eq!(pos[v as usize], usize::MAX, "task {} listed twice", v);
            pos[v as usize] = i;
        }
        prop_assert!(pos.iter().all(|&p| p != usize::MAX));
        for (&s, &t) in g.src.iter().zip(&g.dst) {
            prop_assert!(pos[s as usize] < pos[t as usize]);
        }
    }

    #[test]
    fn levels_rise_along_every_edge_and_sources_are_level_zero(g in graph(60)) {
        let d = build(&g);
        let level = d.levels();
        for (&s, &t) in g.src.iter().zip(&g.dst) {
            prop_assert!(level[s as usize] < level[t as usize]);
        }
        for v in 0..g.n as u32 {
            let preds = d.predecessors(v);
            let want = preds.iter().map(|&p| level[p as usize] + 1).max().unwrap_or(0);
            prop_assert_eq!(level[v as usize], want);
        }
    }

    #[test]
    fn critical_path_is_a_path_at_least_as_long_as_any_other(g in graph(60), walks in prop::collection::vec(any::<u64>(), 8)) {
        let d = build(&g);
        let (path, len) = d.critical_path();
        for w in path.windows(2) {
            prop_assert!(d.successors(w[0]).contains(&w[1]), "{} -> {} is not an edge", w[0], w[1]);
        }
        let sum: f64 = path.iter().map(|&v| g.cost[v as usize]).sum();
        prop_assert!((sum - len).abs() < 1e-9);
        let rank = d.upward_rank();
        prop_assert!((rank.iter().copied().fold(0.0, f64::max) - len).abs() < 1e-9);
        // Random walks from random tasks never beat it.
        for seed in walks {
            let mut v = (seed % g.n as u64) as u32;
            let mut total = g.cost[v as usize];
            let mut x = seed;
            while !d.successors(v).is_empty() {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let succ = d.successors(v);
                v = succ[(x >> 33) as usize % succ.len()];
                total += g.cost[v as usize];
            }
            prop_assert!(total <= len + 1e-9);
        }
    }

    #[test]
    fn a_back_edge_yields_a_real_cycle(g in graph(40), pick in any::<prop::sample::Index>()) {
        prop_assume!(!g.src.is_empty());
        let i = pick.index(g.src.len());
        // Close a cycle: walk down from dst[i] to an exit, then add exit -> src[i].
        let d = build(&g);
        let mut v = g.dst[i];
        while let Some(&s) = d.successors(v).first() { v = s; }
        let (mut src, mut dst) = (g.src.clone(), g.dst.clone());
        src.push(v);
        dst.push(g.src[i]);
        let Err(DagError::Cycle(cycle)) = Dag::new(g.n, &src, &dst, None) else {
            return Err(TestCaseError::fail("expected a cycle"));
        };
        let is_edge = |a: u32, b: u32| src.iter().zip(&dst).any(|(&s, &t)| s == a && t == b);
        for k in 0..cycle.len() {
            prop_assert!(is_edge(cycle[k], cycle[(k + 1) % cycle.len()]));
        }
    }

    #[test]
    fn plan_respects_dependencies_and_capacities(
        g in graph(50), caps in prop::collection::vec(1u32..4, 1..4), which in any::<u64>(), fifo in any::<bool>()
    ) {
        let d = build(&g);
        let resource: Vec<u32> = (0..g.n as u64).map(|t| ((t.wrapping_mul(which | 1) >> 3) % caps.len() as u64) as u32).collect();
        let res = Resources { resource: resource.clone(), capacities: caps.clone() };
        let p = plan(&d, &res, if fifo { Policy::Fifo } else { Policy::Heft }).expect("plan");
        for (&s, &t) in g.src.iter().zip(&g.dst) {
            prop_assert!(p.start[t as usize] >= p.finish[s as usize] - 1e-9);
        }
        for t in 0..g.n {
            prop_assert!(p.slot[t] < caps[resource[t] as usize]);
            for u in 0..t {
                let same_slot = resource[t] == resource[u] && p.slot[t] == p.slot[u];
                let overlap = p.start[t] < p.finish[u] && p.start[u] < p.finish[t];
                prop_assert!(!(same_slot && overlap), "tasks {} and {} overlap on one slot", u, t);
            }
        }
        let (_, cp) = d.critical_path();
        prop_assert!(p.makespan >= cp - 1e-9);
        for (r, &c) in caps.iter().enumerate() {
            let work: f64 = (0..g.n).filter(|&t| resource[t] as usize == r).map(|t| g.cost[t]).sum();
            prop_assert!(p.makespan >= work / f64::from(c) - 1e-9);
        }
    }

    #[test]
    fn the_state_machine_never_runs_a_task_twice_or_early(
        g in graph(30), choices in prop::collection::vec(any::<u32>(), 200), conc in 1u32..4, cont in any::<bool>()
    ) {
        let d = Arc::new(build(&g));
        let cfg = Config {
            max_concurrency: conc,
            retries: vec![1; g.n],
            backoff_s: 1.0,
            timeouts_s: vec![5.0; g.n],
            continue_on_failure: cont,
            ..Config::default()
        };
        let mut s = Scheduler::new(Arc::clone(&d), cfg).expect("config");
        let mut out = Vec::new();
        s.start_into(&mut out);
        let (mut running, mut timers, mut deadlines) = (Vec::new(), Vec::new(), Vec::new());
        let mut started_ok = vec![false; g.n];
        let mut finished = None;
        let mut c = choices.into_iter().cycle();
        for _ in 0..2000 {
            // The driver forgets attempts the scheduler no longer considers running.
            running.retain(|&(t, a)| s.state(t) == TaskState::Running && s.attempt(t) == a);
            for ins in out.drain(..) {
                prop_assert!(finished.is_none(), "instruction after Finished");
                match ins {
                    Instruction::Start { task, attempt } => {
                        prop_assert!(!running.iter().any(|&(t, _)| t == task), "task {} started twice", task);
                        prop_assert!(!started_ok[task as usize]);
                        for &p in d.predecessors(task) {
                            prop_assert_eq!(s.state(p), TaskState::Succeeded, "task {} before its dep {}", task, p);
                        }
                        running.push((task, attempt));
                        prop_assert!(running.len() <= conc as usize);
                    }
                    Instruction::SetDeadline { task, attempt, .. } => deadlines.push((task, attempt)),
                    Instruction::StartBackoffTimer { task, attempt, .. } => timers.push((task, attempt)),
                    Instruction::Notify { .. } => {}
                    Instruction::Finished { status } => finished = Some(status),
                    Instruction::StartBatch { .. } | Instruction::ArmWindow { .. } => {
                        prop_assert!(false, "batching is not configured: {:?}", ins);
                    }
                }
            }
            if finished.is_some() { break; }
            let pick = c.next().unwrap_or(0);
            let event = match pick % 4 {
                0 | 1 if !running.is_empty() => {
                    let (task, attempt) = running[pick as usize / 4 % running.len()];
                    let outcome = [Outcome::Ok, Outcome::Ok, Outcome::Ok, Outcome::Failed, Outcome::Fatal][pick as usize / 16 % 5];
                    if outcome == Outcome::Ok { started_ok[task as usize] = true; }
                    Event::Completed { task, attempt, outcome }
                }
                2 if !timers.is_empty() => { let (task, attempt) = timers.swap_remove(pick as usize / 4 % timers.len()); Event::TimerFired { task, attempt } }
                3 if !deadlines.is_empty() => { let (task, attempt) = deadlines.swap_remove(pick as usize / 4 % deadlines.len()); Event::DeadlineHit { task, attempt } }
                _ if !running.is_empty() => { let (task, attempt) = running[0]; started_ok[task as usize] = true; Event::Completed { task, attempt, outcome: Outcome::Ok } }
                _ if !timers.is_empty() => { let (task, attempt) = timers.pop().expect("non-empty"); Event::TimerFired { task, attempt } }
                _ => { let (task, attempt) = deadlines.pop().expect("something is pending"); Event::DeadlineHit { task, attempt } }
            };
            s.handle_into([event], &mut out);
        }
        prop_assert!(finished.is_some(), "the run never finished");
        for t in 0..g.n as u32 {
            prop_assert!(s.state(t).is_terminal());
        }
    }
}
