//! `Dag`, `Plan` and `GraphCycleError`: the graph half of `quantumflow._native._core`.

use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use qflow_core::{DagError, Policy, Resources};

use crate::convert::{floats, indices, opt_indices, task_index};

create_exception!(
    quantumflow._native._core,
    GraphCycleError,
    PyValueError,
    "The edges contain a cycle; ``cycle`` lists its node indices in order."
);

/// Map a core graph error to `GraphCycleError` (with `.cycle`) or `ValueError`.
pub fn dag_error(py: Python<'_>, err: DagError) -> PyErr {
    let msg = err.to_string();
    match err {
        DagError::Cycle(cycle) => {
            let e = GraphCycleError::new_err(msg);
            if let Err(set) = e.value(py).setattr("cycle", cycle) {
                return set;
            }
            e
        }
        _ => PyValueError::new_err(msg),
    }
}

/// An immutable task graph, built in one call.
#[pyclass(module = "quantumflow._native._core", name = "Dag", frozen)]
pub struct PyDag {
    pub inner: Arc<qflow_core::Dag>,
}

#[pymethods]
impl PyDag {
    #[new]
    #[pyo3(signature = (n, src, dst, cost = None))]
    fn new(
        py: Python<'_>,
        n: i64,
        src: &Bound<'_, PyAny>,
        dst: &Bound<'_, PyAny>,
        cost: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let n = usize::try_from(n)
            .map_err(|_| PyValueError::new_err(format!("n must be >= 0, got {n}")))?;
        let src = indices("src", src)?;
        let dst = indices("dst", dst)?;
        let cost = match cost {
            Some(c) if !c.is_none() => Some(floats("cost", c)?),
            _ => None,
        };
        let built = py.detach(move || qflow_core::Dag::from_vecs(n, src, dst, cost));
        let dag = built.map_err(|e| dag_error(py, e))?;
        Ok(Self {
            inner: Arc::new(dag),
        })
    }

    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    #[getter]
    fn n_edges(&self) -> usize {
        self.inner.n_edges()
    }

    fn topological_order(&self) -> Vec<u32> {
        self.inner.topological_order().to_vec()
    }

    /// Longest cost path (task indices, total cost).
    fn critical_path(&self, py: Python<'_>) -> (Vec<u32>, f64) {
        py.detach(|| self.inner.critical_path())
    }

    /// Per task: its cost plus the longest cost path to any exit task.
    fn upward_rank(&self, py: Python<'_>) -> Vec<f64> {
        py.detach(|| self.inner.upward_rank())
    }

    /// Per task: the number of edges on the longest path from a source to it.
    fn levels(&self, py: Python<'_>) -> Vec<u32> {
        py.detach(|| self.inner.levels())
    }

    fn predecessors(&self, task: i64) -> PyResult<Vec<u32>> {
        Ok(self
            .inner
            .predecessors(task_index(task, self.inner.n())?)
            .to_vec())
    }

    fn successors(&self, task: i64) -> PyResult<Vec<u32>> {
        Ok(self
            .inner
            .successors(task_index(task, self.inner.n())?)
            .to_vec())
    }

    /// Plan over resources: task i needs one slot of ``resource[i]`` whose slot count is
    /// ``capacities[resource[i]]``; with no resources, ``workers`` identical slots.
    /// ``policy``: ``"heft"`` (upward rank, cost-aware) or ``"fifo"`` (topological order).
    #[pyo3(signature = (*, resource = None, capacities = None, workers = 1, policy = "heft"))]
    fn plan(
        &self,
        py: Python<'_>,
        resource: Option<&Bound<'_, PyAny>>,
        capacities: Option<&Bound<'_, PyAny>>,
        workers: i64,
        policy: &str,
    ) -> PyResult<PyPlan> {
        let policy = match policy {
            "heft" => Policy::Heft,
            "fifo" => Policy::Fifo,
            other => {
                return Err(PyValueError::new_err(format!(
                    "policy must be 'heft' or 'fifo', got {other:?}"
                )));
            }
        };
        let resource = opt_indices("resource", resource)?;
        let mut capacities = opt_indices("capacities", capacities)?;
        if capacities.is_empty() {
            if !resource.is_empty() {
                return Err(PyValueError::new_err(
                    "resource needs capacities (slots per resource)",
                ));
            }
            let w = u32::try_from(workers)
                .ok()
                .filter(|&w| w > 0)
                .ok_or_else(|| {
                    PyValueError::new_err(format!("workers must be >= 1, got {workers}"))
                })?;
            capacities.push(w);
        }
        let res = Resources {
            resource,
            capacities,
        };
        let plan = py
            .detach(|| qflow_core::plan(&self.inner, &res, policy))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(PyPlan {
            order: plan.order,
            start: plan.start,
            finish: plan.finish,
            slot: plan.slot,
            makespan: plan.makespan,
            critical_path: plan.critical_path,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Dag(n={}, n_edges={})",
            self.inner.n(),
            self.inner.n_edges()
        )
    }
}

/// A HEFT-style list schedule over resource slots.
#[pyclass(module = "quantumflow._native._core", name = "Plan", frozen, get_all)]
pub struct PyPlan {
    order: Vec<u32>,
    start: Vec<f64>,
    finish: Vec<f64>,
    slot: Vec<u32>,
    makespan: f64,
    critical_path: Vec<u32>,
}

#[pymethods]
impl PyPlan {
    fn __repr__(&self) -> String {
        format!("Plan(n={}, makespan={})", self.order.len(), self.makespan)
    }
}
