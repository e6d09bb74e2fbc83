//! Python inputs to Rust vectors: buffers (array, numpy) fast, any sequence as fallback.

use pyo3::buffer::{Element, PyBuffer};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Copy a buffer of element type `T` if `obj` exposes one with exactly that format.
fn from_buffer<T: Element + Copy>(obj: &Bound<'_, PyAny>) -> Option<PyResult<Vec<T>>> {
    let buf = PyBuffer::<T>::get(obj).ok()?;
    Some(buf.to_vec(obj.py()))
}

fn narrow<T: Copy + TryInto<u32> + std::fmt::Display>(what: &str, v: &[T]) -> PyResult<Vec<u32>> {
    v.iter()
        .map(|&x| {
            x.try_into().map_err(|_| {
                PyValueError::new_err(format!("{what} contains {x}, which is not a task index"))
            })
        })
        .collect()
}

/// Task indices from a `uint32`/`int32`/`int64`/`uint64` buffer or a sequence of ints.
pub fn indices(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<u32>> {
    if let Some(v) = from_buffer::<u32>(obj) {
        return v;
    }
    if let Some(v) = from_buffer::<i64>(obj) {
        return narrow(what, &v?);
    }
    if let Some(v) = from_buffer::<i32>(obj) {
        return narrow(what, &v?);
    }
    if let Some(v) = from_buffer::<u64>(obj) {
        return narrow(what, &v?);
    }
    let v: Vec<i64> = obj.extract().map_err(|e| {
        PyValueError::new_err(format!(
            "{what} must be a sequence of ints or an integer buffer: {e}"
        ))
    })?;
    narrow(what, &v)
}

/// Floats from a `float64`/`float32` buffer or a sequence of numbers.
pub fn floats(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    if let Some(v) = from_buffer::<f64>(obj) {
        return v;
    }
    if let Some(v) = from_buffer::<f32>(obj) {
        return Ok(v?.into_iter().map(f64::from).collect());
    }
    obj.extract().map_err(|e| {
        PyValueError::new_err(format!(
            "{what} must be a sequence of numbers or a float buffer: {e}"
        ))
    })
}

/// `None` stays empty (the default); anything else goes through [`indices`].
pub fn opt_indices(what: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<u32>> {
    obj.filter(|o| !o.is_none())
        .map_or(Ok(Vec::new()), |o| indices(what, o))
}

/// `None` stays empty (the default); anything else goes through [`floats`].
pub fn opt_floats(what: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<f64>> {
    obj.filter(|o| !o.is_none())
        .map_or(Ok(Vec::new()), |o| floats(what, o))
}

/// A task index argument, checked against `n`.
pub fn task_index(task: i64, n: usize) -> PyResult<u32> {
    u32::try_from(task)
        .ok()
        .filter(|&t| (t as usize) < n)
        .ok_or_else(|| PyValueError::new_err(format!("task {task} is not in 0..{n}")))
}
