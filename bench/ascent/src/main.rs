//! Ascent and Crepe (compiled Rust Datalog) on the comparison workloads of bench/compare.sh.
//!
//! Usage: `pacta-bench-compiled ascent|crepe WORKLOAD DIR`, WORKLOAD `tc`, `sg` or `oblig` (a
//! suffix like `tc_1k` is ignored), DIR holding the workload's CSV files as bench/gen.py
//! writes them. Prints `relation<TAB>count` lines like `pacta eval --format count`.
//!
//! Both engines need `unprotected(V) :- state(V), not obliged(_, V).` with the wildcard
//! projected first (`victim(V) :- obliged(_, V).`), as neither negates a pattern with `_`.

mod ascent_programs;
mod crepe_programs;

use std::path::Path;
use std::process::exit;

/// Reads a headerless CSV file of `N` unsigned integer columns.
fn read<const N: usize>(dir: &Path, name: &str) -> Vec<[u32; N]> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        exit(2)
    });
    let cell = |f: Option<&str>| -> u32 {
        f.and_then(|f| f.trim().parse().ok()).unwrap_or_else(|| {
            eprintln!("{}: bad row", path.display());
            exit(2)
        })
    };
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut fields = line.split(',');
            std::array::from_fn(|_| cell(fields.next()))
        })
        .collect()
}

fn pairs(dir: &Path, name: &str) -> Vec<(u32, u32)> {
    read::<2>(dir, name)
        .into_iter()
        .map(|[a, b]| (a, b))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [engine, workload, dir] = args.as_slice() else {
        eprintln!("usage: pacta-bench-compiled ascent|crepe tc|sg|oblig DIR");
        exit(2)
    };
    let dir = Path::new(dir);
    let ascent = match engine.as_str() {
        "ascent" => true,
        "crepe" => false,
        other => {
            eprintln!("unknown engine `{other}` (ascent or crepe)");
            exit(2)
        }
    };
    let counts: Vec<(&str, usize)> = match workload.split('_').next().unwrap_or_default() {
        "tc" => {
            let edges = pairs(dir, "edge.csv");
            let n = if ascent {
                ascent_programs::tc(edges)
            } else {
                crepe_programs::tc::run(edges)
            };
            vec![("path", n)]
        }
        "sg" => {
            let parent = pairs(dir, "parent.csv");
            let n = if ascent {
                ascent_programs::sg(parent)
            } else {
                crepe_programs::sg::run(parent)
            };
            vec![("sg", n)]
        }
        "oblig" => {
            let state: Vec<u32> = read::<1>(dir, "state.csv")
                .into_iter()
                .map(|[s]| s)
                .collect();
            let (member, attack) = (pairs(dir, "member.csv"), pairs(dir, "attack.csv"));
            let (c, o, u) = if ascent {
                ascent_programs::oblig(state, member, attack)
            } else {
                crepe_programs::oblig::run(state, member, attack)
            };
            vec![("chain", c), ("obliged", o), ("unprotected", u)]
        }
        other => {
            eprintln!("unknown workload `{other}` (tc, sg or oblig)");
            exit(2)
        }
    };
    for (name, n) in counts {
        println!("{name}\t{n}");
    }
}
