//! The immutable task graph: CSR adjacency both ways plus a cached topological order.

use std::sync::OnceLock;

use crate::error::DagError;

/// A directed acyclic task graph with per-task cost estimates (seconds).
///
/// Built once by [`Dag::new`], which rejects cycles; afterwards every query is a read.
#[derive(Debug, Clone)]
pub struct Dag {
    cost: Vec<f64>,
    succ_off: Vec<u32>,
    succ: Vec<u32>,
    indeg: Vec<u32>,
    topo: Vec<u32>,
    /// Edge endpoints as given, kept to build `pred` on first use.
    src: Vec<u32>,
    dst: Vec<u32>,
    /// Predecessor CSR, built lazily: the hot paths (build, order, ranks, critical path,
    /// plan, scheduling) only walk successors.
    pred: OnceLock<(Vec<u32>, Vec<u32>)>,
}

/// Compressed sparse rows from (key, value) pairs: `off[k]..off[k + 1]` indexes `vals`.
fn csr(n: usize, keys: &[u32], vals: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut off = vec![0u32; n + 1];
    for &k in keys {
        off[k as usize + 1] += 1;
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    let mut fill = off.clone();
    let mut out = vec![0u32; vals.len()];
    for (&k, &v) in keys.iter().zip(vals) {
        let slot = &mut fill[k as usize];
        out[*slot as usize] = v;
        *slot += 1;
    }
    (off, out)
}

impl Dag {
    /// Build a graph of `n` tasks; edge `i` is `src[i] -> dst[i]` (dst depends on src).
    ///
    /// `cost` defaults to 1.0 per task when `None`. Duplicate edges are allowed.
    pub fn new(n: usize, src: &[u32], dst: &[u32], cost: Option<&[f64]>) -> Result<Self, DagError> {
        Self::from_vecs(n, src.to_vec(), dst.to_vec(), cost.map(<[f64]>::to_vec))
    }

    /// [`Dag::new`] taking ownership of the arrays (no copies).
    pub fn from_vecs(
        n: usize,
        src: Vec<u32>,
        dst: Vec<u32>,
        cost: Option<Vec<f64>>,
    ) -> Result<Self, DagError> {
        if dst.len() != src.len() {
            return Err(DagError::LengthMismatch {
                what: "dst",
                got: dst.len(),
                expected: src.len(),
            });
        }
        if u32::try_from(n).is_err() || u32::try_from(src.len()).is_err() {
            return Err(DagError::IndexOutOfRange {
                edge: 0,
                node: n as u64,
                n: u32::MAX as usize,
            });
        }
        // A branch-free max first (vectorises); find the culprit only when there is one.
        let top = src.iter().chain(&dst).copied().max().unwrap_or(0);
        if top as usize >= n && !src.is_empty() {
            let edge = src
                .iter()
                .zip(&dst)
                .position(|(&s, &d)| s as usize >= n || d as usize >= n)
                .unwrap_or(0);
            let node = if src[edge] as usize >= n {
                src[edge]
            } else {
                dst[edge]
            };
            return Err(DagError::IndexOutOfRange {
                edge,
                node: u64::from(node),
                n,
            });
        }
        let cost = match cost {
            None => vec![1.0; n],
            Some(c) if c.len() != n => {
                return Err(DagError::LengthMismatch {
                    what: "cost",
                    got: c.len(),
                    expected: n,
                });
            }
            Some(c) => {
                if let Some((task, &bad)) = c
                    .iter()
                    .enumerate()
                    .find(|(_, c)| !(c.is_finite() && **c >= 0.0))
                {
                    return Err(DagError::BadCost {
                        task: task as u32,
                        cost: bad,
                    });
                }
                c
            }
        };
        let (succ_off, succ) = csr(n, &src, &dst);
        let mut indeg = vec![0u32; n];
        for &d in &dst {
            indeg[d as usize] += 1;
        }
        let mut dag = Self {
            cost,
            succ_off,
            succ,
            indeg,
            topo: Vec::new(),
            src,
            dst,
            pred: OnceLock::new(),
        };
        dag.topo = dag.kahn()?;
        Ok(dag)
    }

    /// Kahn's algorithm; on failure, extract one cycle from the unprocessed remainder.
    fn kahn(&self) -> Result<Vec<u32>, DagError> {
        let n = self.n();
        let mut indeg = self.indeg.clone();
        let mut order: Vec<u32> = Vec::with_capacity(n);
        order.extend((0..n as u32).filter(|&v| indeg[v as usize] == 0));
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            for &s in self.successors(v) {
                let d = &mut indeg[s as usize];
                *d -= 1;
                if *d == 0 {
                    order.push(s);
                }
            }
        }
        if order.len() == n {
            return Ok(order);
        }
        Err(DagError::Cycle(self.find_cycle(&indeg)))
    }

    /// Every node with `indeg > 0` after Kahn has a predecessor that also has `indeg > 0`,
    /// so walking predecessors from any such node must revisit one: that loop is a cycle.
    fn find_cycle(&self, indeg: &[u32]) -> Vec<u32> {
        let mut seen_at = vec![u32::MAX; self.n()];
        let mut walk: Vec<u32> = Vec::new();
        let mut v = indeg.iter().position(|&d| d > 0).map_or(0, |p| p as u32);
        while seen_at[v as usize] == u32::MAX {
            seen_at[v as usize] = walk.len() as u32;
            walk.push(v);
            v = *self
                .predecessors(v)
                .iter()
                .find(|&&p| indeg[p as usize] > 0)
                .expect("an unprocessed node keeps an unprocessed predecessor");
        }
        let mut cycle = walk.split_off(seen_at[v as usize] as usize);
        cycle.reverse();
        cycle
    }

    /// Number of tasks.
    #[must_use]
    pub fn n(&self) -> usize {
        self.cost.len()
    }

    /// Number of edges (duplicates counted).
    #[must_use]
    pub fn n_edges(&self) -> usize {
        self.succ.len()
    }

    /// Cost estimate of every task.
    #[must_use]
    pub fn costs(&self) -> &[f64] {
        &self.cost
    }

    /// Tasks that depend on `task`.
    #[must_use]
    pub fn successors(&self, task: u32) -> &[u32] {
        let t = task as usize;
        &self.succ[self.succ_off[t] as usize..self.succ_off[t + 1] as usize]
    }

    /// Tasks that `task` depends on.
    #[must_use]
    pub fn predecessors(&self, task: u32) -> &[u32] {
        let (off, pred) = self
            .pred
            .get_or_init(|| csr(self.n(), &self.dst, &self.src));
        let t = task as usize;
        &pred[off[t] as usize..off[t + 1] as usize]
    }

    /// Number of edges into `task`.
    #[must_use]
    pub fn in_degree(&self, task: u32) -> u32 {
        self.indeg[task as usize]
    }

    /// A topological order (Kahn, sources first in index order, then breadth-first).
    #[must_use]
    pub fn topological_order(&self) -> &[u32] {
        &self.topo
    }

    /// Per task: its cost plus the longest cost path from it to any exit task.
    #[must_use]
    pub fn upward_rank(&self) -> Vec<f64> {
        let mut rank = vec![0.0f64; self.n()];
        for &v in self.topo.iter().rev() {
            let tail = self
                .successors(v)
                .iter()
                .map(|&s| rank[s as usize])
                .fold(0.0, f64::max);
            rank[v as usize] = self.cost[v as usize] + tail;
        }
        rank
    }

    /// Per task: its level, the number of edges on the longest path from a source to it
    /// (sources are level 0, and every edge goes to a higher level). A layered drawing puts
    /// each level in one column.
    #[must_use]
    pub fn levels(&self) -> Vec<u32> {
        let mut level = vec![0u32; self.n()];
        for &v in &self.topo {
            let next = level[v as usize] + 1;
            for &s in self.successors(v) {
                let l = &mut level[s as usize];
                *l = (*l).max(next);
            }
        }
        level
    }

    /// The longest cost path (tasks in order) and its total cost; empty for an empty graph.
    #[must_use]
    pub fn critical_path(&self) -> (Vec<u32>, f64) {
        self.critical_path_from_rank(&self.upward_rank())
    }

    /// [`Dag::critical_path`] from ranks already computed by [`Dag::upward_rank`]: start at
    /// the highest rank, then keep stepping to the successor with the highest rank (ties go
    /// to the lower index).
    #[must_use]
    pub fn critical_path_from_rank(&self, rank: &[f64]) -> (Vec<u32>, f64) {
        let better = |a: u32, b: u32| {
            rank[a as usize]
                .total_cmp(&rank[b as usize])
                .then(b.cmp(&a))
        };
        let Some(first) = (0..self.n() as u32).max_by(|&a, &b| better(a, b)) else {
            return (Vec::new(), 0.0);
        };
        let mut path = vec![first];
        let mut v = first;
        while let Some(next) = self
            .successors(v)
            .iter()
            .copied()
            .max_by(|&a, &b| better(a, b))
        {
            path.push(next);
            v = next;
        }
        (path, rank[first as usize])
    }

    /// Every task reachable from `task` (excluding itself), in breadth-first order.
    #[must_use]
    pub fn descendants(&self, task: u32) -> Vec<u32> {
        let mut seen = vec![false; self.n()];
        let mut out = vec![task];
        seen[task as usize] = true;
        let mut head = 0;
        while head < out.len() {
            let v = out[head];
            head += 1;
            for &s in self.successors(v) {
                if !seen[s as usize] {
                    seen[s as usize] = true;
                    out.push(s);
                }
            }
        }
        out.remove(0);
        out
    }
}
