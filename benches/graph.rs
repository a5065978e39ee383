//! The dependency graph at national scale: 10,000 initiatives and 25,000 dependencies, made by
//! a deterministic generator (xorshift64*, constant seed), timed with `std::time::Instant`.
//!
//!     cargo bench --bench graph
//!
//! No framework: each operation runs 3 times to warm up, then 25 times; the median and the
//! range are printed. Whole-process figures (store read included) come from
//! benches/graph-cli.sh. Results are in docs/graph.md.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;
use std::time::Instant;

use actionplan::graph::DepGraph;
use actionplan::graph::Facts;
use actionplan::model::Kind;
use actionplan::model::Status;
use chrono::NaiveDate;

const INITIATIVES: usize = 10_000;
const DEPENDENCIES: usize = 25_000;
const SEED: u64 = 0x5eed_0fac_710a;
const WARM_UP: usize = 3;
const RUNS: usize = 25;

/// xorshift64* (Vigna): small, fast and the same on every machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform enough in `0..n` for a benchmark.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A random DAG: initiative `j` depends on `i` only when `i < j` (so `i0` is a root that much
/// depends on), `DEPENDENCIES` distinct edges, a duration of 0–1,500 days each, and a status.
struct Synthetic {
    ids: Vec<String>,
    edges: Vec<(usize, usize)>,
    days: Vec<i64>,
    statuses: Vec<Option<Status>>,
}

fn synthetic() -> Synthetic {
    let mut rng = XorShift(SEED);
    let ids: Vec<String> = (0..INITIATIVES).map(|k| format!("i{k}")).collect();
    let mut seen = std::collections::HashSet::new();
    let mut edges = Vec::with_capacity(DEPENDENCIES);
    while edges.len() < DEPENDENCIES {
        let j = 1 + rng.below(INITIATIVES - 1);
        let i = rng.below(j);
        if seen.insert((j, i)) {
            edges.push((j, i));
        }
    }
    let days = (0..INITIATIVES).map(|_| rng.below(1_501) as i64).collect();
    let statuses = (0..INITIATIVES)
        .map(|_| match rng.below(10) {
            0 => None,
            1 => Some(Status::Delayed),
            2 => Some(Status::AtRisk),
            3 | 4 => Some(Status::Completed),
            _ => Some(Status::OnTrack),
        })
        .collect();
    Synthetic {
        ids,
        edges,
        days,
        statuses,
    }
}

fn build(s: &Synthetic) -> DepGraph<'_> {
    DepGraph::new(
        s.ids.iter().map(String::as_str),
        s.edges
            .iter()
            .map(|&(a, b)| (s.ids[a].as_str(), s.ids[b].as_str())),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// Warms up, runs `RUNS` times, prints median and range; `f` returns a size to print.
fn measure(name: &str, mut f: impl FnMut() -> usize) {
    for _ in 0..WARM_UP {
        black_box(f());
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        size = black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    let range = format!("{} – {}", ms(times[0]), ms(times[RUNS - 1]));
    println!(
        "{name:<26} {:>9} ms {range:>19} ms   {size}",
        ms(times[RUNS / 2])
    );
}

fn main() {
    let s = synthetic();
    let g = build(&s);
    assert_eq!((g.len(), g.edge_count()), (INITIATIVES, DEPENDENCIES));
    let index: HashMap<&str, usize> = s
        .ids
        .iter()
        .enumerate()
        .map(|(k, id)| (id.as_str(), k))
        .collect();
    let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let facts: HashMap<&str, Facts> = s
        .ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let status = s.statuses[k];
            let facts = Facts {
                kind: Kind::Initiative,
                withdrawn: false,
                due: Some(day + chrono::Days::new(s.days[k] as u64 + k as u64 / 4)),
                status,
                completed_on: (status == Some(Status::Completed)).then_some(day),
            };
            (id.as_str(), facts)
        })
        .collect();
    let root = s.ids[0].as_str();
    // The deepest initiative: the last of the highest level.
    let deepest = g.levels().unwrap().last().unwrap().id;

    println!(
        "graph of {INITIATIVES} initiatives and {DEPENDENCIES} dependencies (seed {SEED:#x}); \
         {RUNS} runs after {WARM_UP} warm-ups"
    );
    println!(
        "{:<26} {:>12} {:>22}   result size",
        "operation", "median", "min – max"
    );
    measure("build", || build(&s).len());
    measure("impact (root i0)", || g.impact(root).len());
    measure(&format!("upstream ({deepest})"), || {
        g.upstream(deepest).len()
    });
    measure("order (levels)", || {
        g.levels()
            .map(|l| l.last().map_or(0, |x| x.level))
            .unwrap_or(0)
    });
    measure("critical-path", || {
        let start = |id: &str| day + chrono::Days::new(index[id] as u64 / 4);
        let chain = g
            .schedule(|id| {
                let from = start(id);
                (
                    Some(from),
                    Some(from + chrono::Days::new(s.days[index[id]] as u64)),
                )
            })
            .unwrap()
            .unwrap();
        chain.len()
    });
    measure("cycles", || g.cycles().len());
    measure("check", || g.check(&facts).len());
    let blocking = |id: &str| {
        index
            .get(id)
            .is_some_and(|&k| s.statuses[k].is_some_and(Status::is_blocking))
    };
    measure("nearest blockers", || g.nearest_upstream(blocking).len());
    let attention: Vec<&str> = s
        .ids
        .iter()
        .filter(|id| blocking(id))
        .map(String::as_str)
        .collect();
    measure("holds-up counts", || {
        g.downstream_counts(&attention, |_| true).iter().sum()
    });
    shapes();
}

/// The shapes that made walks quadratic before (issue [2/8], finding 10): a chain of 10,000
/// where every initiative is at risk, and a fan of 10,000 on one dependency. Each must stay
/// near-linear: the bench fails when one takes over `BOUND`.
fn shapes() {
    const N: usize = 10_000;
    const BOUND: Duration = Duration::from_secs(2);
    let ids: Vec<String> = (0..N).map(|k| format!("n{k}")).collect();
    let chain = DepGraph::new(
        ids.iter().map(String::as_str),
        (1..N).map(|k| (ids[k].as_str(), ids[k - 1].as_str())),
    );
    let fan = DepGraph::new(
        ids.iter().map(String::as_str),
        (1..N).map(|k| (ids[k].as_str(), ids[0].as_str())),
    );
    let every: Vec<&str> = ids.iter().map(String::as_str).collect();
    for (name, g) in [("chain", &chain), ("fan", &fan)] {
        let t = Instant::now();
        measure(&format!("{name}: impact of the root"), || {
            g.impact(&ids[0]).len()
        });
        measure(&format!("{name}: nearest blockers"), || {
            g.nearest_upstream(|_| true).len()
        });
        measure(&format!("{name}: holds-up of all"), || {
            g.downstream_counts(&every, |_| true).iter().sum()
        });
        let took = t.elapsed() / (3 * (WARM_UP + RUNS) as u32);
        assert!(took < BOUND, "{name}: {took:?} a run, over {BOUND:?}");
    }
}
