//! Time the core on a W4-sized random DAG: `cargo run --release --example w4`.

use std::time::Instant;

use qflow_core::{plan, Dag, Policy, Resources};

#[allow(clippy::many_single_char_names, reason = "a throwaway timing script")]
fn main() {
    let n: u32 = 100_000;
    // xorshift: deterministic, dependency-free.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut perm: Vec<u32> = (0..n).collect();
    for i in (1..n as usize).rev() {
        perm.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    let (mut src, mut dst) = (Vec::new(), Vec::new());
    for _ in 0..3 * n {
        let (a, b) = (
            (next() % u64::from(n)) as u32,
            (next() % u64::from(n)) as u32,
        );
        if a != b {
            src.push(perm[a.min(b) as usize]);
            dst.push(perm[a.max(b) as usize]);
        }
    }
    let cost: Vec<f64> = (0..n).map(|_| (next() % 1000) as f64 / 1000.0).collect();
    for _ in 0..7 {
        let t = Instant::now();
        let d = Dag::new(n as usize, &src, &dst, Some(&cost)).expect("acyclic");
        let t_build = t.elapsed();
        let t = Instant::now();
        let cp = d.critical_path();
        let t_cp = t.elapsed();
        let t = Instant::now();
        let r = d.upward_rank();
        let t_rank = t.elapsed();
        let t = Instant::now();
        let h = plan(&d, &Resources::workers(8), Policy::Heft).expect("plan");
        let t_heft = t.elapsed();
        let t = Instant::now();
        let f = plan(&d, &Resources::workers(8), Policy::Fifo).expect("plan");
        let t_fifo = t.elapsed();
        println!(
            "build {t_build:?} cp {t_cp:?} rank {t_rank:?} heft {t_heft:?} fifo {t_fifo:?} (len {} {} {} {})",
            cp.0.len(),
            r.len(),
            h.makespan,
            f.makespan
        );
    }
}
