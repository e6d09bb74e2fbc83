//! Errors raised while building a [`crate::Dag`].

use std::fmt;

/// Why a graph could not be built.
#[derive(Debug, Clone, PartialEq)]
pub enum DagError {
    /// `src`, `dst` (or `cost`) have different lengths.
    LengthMismatch {
        /// Which array disagrees.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The length it should have.
        expected: usize,
    },
    /// An edge endpoint is not in `0..n`.
    IndexOutOfRange {
        /// Position of the edge in the input arrays.
        edge: usize,
        /// The offending node index.
        node: u64,
        /// Number of nodes.
        n: usize,
    },
    /// A cost is negative or not finite.
    BadCost {
        /// The task whose cost is invalid.
        task: u32,
        /// The value given.
        cost: f64,
    },
    /// The edges contain a cycle; the nodes are listed in edge order
    /// (`cycle[i] -> cycle[i + 1]`, and the last back to the first).
    Cycle(Vec<u32>),
}

impl fmt::Display for DagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthMismatch {
                what,
                got,
                expected,
            } => {
                write!(f, "{what} has length {got}, expected {expected}")
            }
            Self::IndexOutOfRange { edge, node, n } => {
                write!(
                    f,
                    "edge {edge} refers to task {node}, but there are only {n} tasks"
                )
            }
            Self::BadCost { task, cost } => {
                write!(
                    f,
                    "task {task} has cost {cost}; costs must be finite and >= 0"
                )
            }
            Self::Cycle(nodes) => {
                let path: Vec<String> = nodes.iter().map(ToString::to_string).collect();
                write!(f, "the graph has a cycle: {}", path.join(" -> "))
            }
        }
    }
}

impl std::error::Error for DagError {}
