//! The floor of the engine comparison (bench/compare.sh): hand-written `datafrog` programs of the
//! three benchmark rule sets, reading the same CSV files as the engines and printing
//! `relation<TAB>count` lines like `pacta eval --format count` (derived relations only).
//!
//! Usage: `cargo run --release --example datafrog_floor -- WORKLOAD DIR`
//! where WORKLOAD is `tc` (also `tc_1k`, `tc_5k`), `sg` (also `sg_tree`) or `oblig`, and DIR holds
//! the workload's CSV files as written by bench/gen.py (`edge.csv`; `parent.csv`;
//! `state.csv`, `member.csv`, `attack.csv`): integer columns, no header.
//! The programs themselves are in `programs.rs`.

mod programs;

use std::path::Path;
use std::process::exit;

/// Reads a headerless CSV file of `N` unsigned integer columns.
fn read<const N: usize>(dir: &Path, name: &str) -> Vec<[u32; N]> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("datafrog_floor: {}: {e}", path.display());
        exit(2)
    });
    text.lines()
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let mut row = [0u32; N];
            let mut fields = line.split(',');
            for cell in row.iter_mut() {
                *cell = fields
                    .next()
                    .and_then(|f| f.trim().parse().ok())
                    .unwrap_or_else(|| {
                        eprintln!("datafrog_floor: {} row {}: bad row", path.display(), i + 1);
                        exit(2)
                    });
            }
            row
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
    let [workload, dir] = args.as_slice() else {
        eprintln!("usage: datafrog_floor tc|sg|oblig DIR");
        exit(2)
    };
    let dir = Path::new(dir);
    let counts = match workload.split('_').next().unwrap_or_default() {
        "tc" => vec![("path", programs::tc(&pairs(dir, "edge.csv")))],
        "sg" => vec![("sg", programs::sg(&pairs(dir, "parent.csv")))],
        "oblig" => {
            let state: Vec<u32> = read::<1>(dir, "state.csv")
                .into_iter()
                .map(|[s]| s)
                .collect();
            let (chain, obliged, unprotected) =
                programs::oblig(&state, &pairs(dir, "member.csv"), &pairs(dir, "attack.csv"));
            vec![
                ("chain", chain),
                ("obliged", obliged),
                ("unprotected", unprotected),
            ]
        }
        other => {
            eprintln!("datafrog_floor: unknown workload `{other}` (tc, sg or oblig)");
            exit(2)
        }
    };
    for (name, n) in counts {
        println!("{name}\t{n}");
    }
}
