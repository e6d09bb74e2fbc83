//! Per-run options of a [`crate::Scheduler`] and their validation.

use std::fmt;

use super::batch::BatchLimit;

/// Options for one run. Empty vectors mean "the default for every task".
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Attempts running at once (>= 1).
    pub max_concurrency: u32,
    /// Per task: which resource it needs one slot of (default: resource 0).
    pub resource: Vec<u32>,
    /// Per resource: slot count (default: unlimited, only `max_concurrency` applies).
    pub capacities: Vec<u32>,
    /// Per task: retries after the first attempt (default 0).
    pub retries: Vec<u32>,
    /// First retry delay in seconds; doubles with each further attempt.
    pub backoff_s: f64,
    /// Per task: time limit in seconds; `<= 0` means none.
    pub timeouts_s: Vec<f64>,
    /// Keep running tasks that do not depend on a failed one.
    pub continue_on_failure: bool,
    /// Tasks already finished (resume, cache): never started, satisfy dependents.
    pub done: Vec<u32>,
    /// Per task: larger runs first among ready tasks (default: upward rank).
    pub priority: Vec<f64>,
    /// Per task: its batch group, 1-based (0 or empty: never batched). Every task of a
    /// group needs the same resource.
    pub batch_group: Vec<u32>,
    /// Per batch group (index `group - 1`): how its batches are packed.
    pub batch_limits: Vec<BatchLimit>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_concurrency: 1,
            resource: Vec::new(),
            capacities: Vec::new(),
            retries: Vec::new(),
            backoff_s: 0.0,
            timeouts_s: Vec::new(),
            continue_on_failure: false,
            done: Vec::new(),
            priority: Vec::new(),
            batch_group: Vec::new(),
            batch_limits: Vec::new(),
        }
    }
}

/// Why a [`Config`] does not fit its graph.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigError {
    /// A per-task vector has the wrong length.
    Length {
        /// The option.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The number of tasks.
        expected: usize,
    },
    /// A value refers to a task or resource that does not exist.
    OutOfRange {
        /// The option.
        what: &'static str,
        /// The bad value.
        value: u64,
        /// The exclusive upper bound.
        limit: usize,
    },
    /// A resource some task needs has no slots.
    ZeroCapacity {
        /// The resource.
        resource: u32,
        /// A task that needs it.
        task: u32,
    },
    /// Two tasks of one batch group need different resources.
    BatchResource {
        /// The group.
        group: u32,
        /// A task whose resource differs from the group's first task's.
        task: u32,
    },
    /// A scalar option is out of its domain.
    Invalid {
        /// The option.
        what: &'static str,
        /// What is wrong.
        why: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length {
                what,
                got,
                expected,
            } => {
                write!(
                    f,
                    "{what} has length {got}, expected one entry per task ({expected})"
                )
            }
            Self::OutOfRange { what, value, limit } => {
                write!(f, "{what} contains {value}, which is not below {limit}")
            }
            Self::ZeroCapacity { resource, task } => {
                write!(
                    f,
                    "task {task} needs resource {resource}, whose capacity is 0"
                )
            }
            Self::BatchResource { group, task } => write!(
                f,
                "task {task} of batch group {group} needs another resource than the group's other tasks"
            ),
            Self::Invalid { what, why } => write!(f, "{what} {why}"),
        }
    }
}

impl std::error::Error for ConfigError {}

fn per_task<T>(what: &'static str, v: &[T], n: usize) -> Result<(), ConfigError> {
    if v.is_empty() || v.len() == n {
        Ok(())
    } else {
        Err(ConfigError::Length {
            what,
            got: v.len(),
            expected: n,
        })
    }
}

impl Config {
    /// Check the options against a graph of `n` tasks.
    pub fn validate(&self, n: usize) -> Result<(), ConfigError> {
        if self.max_concurrency == 0 {
            return Err(ConfigError::Invalid {
                what: "max_concurrency",
                why: "must be at least 1",
            });
        }
        if !(self.backoff_s.is_finite() && self.backoff_s >= 0.0) {
            return Err(ConfigError::Invalid {
                what: "backoff_s",
                why: "must be finite and >= 0",
            });
        }
        per_task("resource", &self.resource, n)?;
        per_task("retries", &self.retries, n)?;
        per_task("timeouts_s", &self.timeouts_s, n)?;
        per_task("priority", &self.priority, n)?;
        if self.timeouts_s.iter().any(|t| t.is_nan()) {
            return Err(ConfigError::Invalid {
                what: "timeouts_s",
                why: "must not contain NaN",
            });
        }
        if self.priority.iter().any(|p| p.is_nan()) {
            return Err(ConfigError::Invalid {
                what: "priority",
                why: "must not contain NaN",
            });
        }
        if let Some(&t) = self.done.iter().find(|&&t| t as usize >= n) {
            return Err(ConfigError::OutOfRange {
                what: "done",
                value: u64::from(t),
                limit: n,
            });
        }
        self.validate_batches(n)?;
        if !self.resource.is_empty() || !self.capacities.is_empty() {
            let n_res = self.capacities.len();
            for (task, &r) in self.resource.iter().enumerate() {
                let Some(&cap) = self.capacities.get(r as usize) else {
                    return Err(ConfigError::OutOfRange {
                        what: "resource",
                        value: u64::from(r),
                        limit: n_res,
                    });
                };
                if cap == 0 {
                    return Err(ConfigError::ZeroCapacity {
                        resource: r,
                        task: task as u32,
                    });
                }
            }
            if self.resource.is_empty() && n > 0 && self.capacities[0] == 0 {
                return Err(ConfigError::ZeroCapacity {
                    resource: 0,
                    task: 0,
                });
            }
        }
        Ok(())
    }

    fn validate_batches(&self, n: usize) -> Result<(), ConfigError> {
        per_task("batch_group", &self.batch_group, n)?;
        let groups = self.batch_limits.len();
        if let Some(&g) = self.batch_group.iter().find(|&&g| g as usize > groups) {
            return Err(ConfigError::OutOfRange {
                what: "batch_group",
                value: u64::from(g),
                limit: groups + 1,
            });
        }
        if self.batch_limits.iter().any(|l| l.max_size == 0) {
            return Err(ConfigError::Invalid {
                what: "batch_limits",
                why: "max_size must be at least 1",
            });
        }
        if self
            .batch_limits
            .iter()
            .any(|l| !(l.window_s.is_finite() && l.window_s >= 0.0))
        {
            return Err(ConfigError::Invalid {
                what: "batch_limits",
                why: "window_s must be finite and >= 0",
            });
        }
        let mut resource_of_group: Vec<Option<u32>> = vec![None; groups];
        for (task, &g) in self.batch_group.iter().enumerate() {
            if g == 0 {
                continue;
            }
            let r = self.resource.get(task).copied().unwrap_or(0);
            match resource_of_group[(g - 1) as usize] {
                None => resource_of_group[(g - 1) as usize] = Some(r),
                Some(first) if first != r => {
                    return Err(ConfigError::BatchResource {
                        group: g,
                        task: task as u32,
                    })
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}
