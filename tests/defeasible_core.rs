//! Tests of the propositional defeasible reasoner (`pacta::defeasible::reason`).
//!
//! Each `tests/defeasible/<name>.theory` file is a theory plus the conclusions expected of it,
//! one item per line (`#` starts a comment, blank lines are ignored):
//!
//! ```text
//! ambiguity blocking|propagating|both     # variant(s) to check; default: blocking
//! fact p                                  # a fact; `~p` is the strong negation of `p`
//! r1: strict p, q -> r                    # label (optional), kind, comma-separated body, head
//! r2: defeasible bird, ~penguin -> flies  # kinds: strict, defeasible, defeater
//! r3: defeater heavy -> ~flies
//! r4: defeasible -> a                     # empty body; `true` in a body is also dropped
//! sup r1 r2                               # r1 > r2
//! +D p                                    # expected: +Δ p   (also -D: −Δ, +d: +∂, -d: −∂)
//! !+d flies                               # expected NOT to hold: +∂ flies
//! ```
//!
//! Atoms are numbered in order of first appearance. Besides the listed expectations, every
//! theory is checked for coherence (never +X and −X for one literal), totality (every literal
//! gets one of ±Δ and one of ±∂), −Δ = not +Δ, and +Δ ⇒ +∂.

#[path = "defeasible/reference.rs"]
mod reference;

use pacta::defeasible::{Ambiguity, Conclusions, Kind, Rule, Theory, complement, reason};
use proptest::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// One expected conclusion: (holds?, tag, literal name).
type Expect = (bool, String, String);

struct Case {
    theory: Theory,
    variants: Vec<Ambiguity>,
    expect: Vec<Expect>,
    names: HashMap<String, u32>,
}

fn lit(names: &mut HashMap<String, u32>, text: &str) -> u32 {
    let text = text.trim();
    let (neg, atom) = match text.strip_prefix('~') {
        Some(a) => (1, a.trim()),
        None => (0, text),
    };
    assert!(!atom.is_empty(), "empty literal");
    let n = names.len() as u32;
    2 * *names.entry(atom.to_string()).or_insert(n) + neg
}

fn parse(text: &str) -> Case {
    let mut names = HashMap::new();
    let mut labels = HashMap::new();
    let mut theory = Theory::default();
    let mut sups = Vec::new();
    let mut variants = vec![Ambiguity::Blocking];
    let mut expect = Vec::new();
    for (no, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        macro_rules! fail {
            ($what:expr) => {
                panic!("line {}: {}: {raw}", no + 1, $what)
            };
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match word {
            "ambiguity" => {
                variants = match rest {
                    "blocking" => vec![Ambiguity::Blocking],
                    "propagating" => vec![Ambiguity::Propagating],
                    "both" => vec![Ambiguity::Blocking, Ambiguity::Propagating],
                    _ => fail!("unknown ambiguity"),
                }
            }
            "fact" => {
                let l = lit(&mut names, rest);
                theory.facts.push(l);
            }
            "sup" => {
                let (a, b) = rest
                    .split_once(' ')
                    .unwrap_or_else(|| fail!("sup needs two labels"));
                sups.push((a.trim().to_string(), b.trim().to_string()));
            }
            "+D" | "-D" | "+d" | "-d" | "!+D" | "!-D" | "!+d" | "!-d" => {
                let (holds, tag) = match word.strip_prefix('!') {
                    Some(t) => (false, t),
                    None => (true, word),
                };
                lit(&mut names, rest);
                expect.push((holds, tag.to_string(), rest.to_string()));
            }
            _ => {
                let (label, rule) = match line.split_once(':') {
                    Some((l, r)) => (Some(l.trim().to_string()), r.trim()),
                    None => (None, line),
                };
                let (kind, rule) = rule.split_once(' ').unwrap_or((rule, ""));
                let kind = match kind {
                    "strict" => Kind::Strict,
                    "defeasible" => Kind::Defeasible,
                    "defeater" => Kind::Defeater,
                    _ => fail!("unknown line"),
                };
                let (body, head) = rule.split_once("->").unwrap_or_else(|| fail!("no `->`"));
                let body = body
                    .split(',')
                    .map(str::trim)
                    .filter(|b| !b.is_empty() && *b != "true")
                    .map(|b| lit(&mut names, b))
                    .collect();
                let head = lit(&mut names, head);
                if let Some(label) = label {
                    labels.insert(label, theory.rules.len());
                }
                theory.rules.push(Rule { kind, head, body });
            }
        }
    }
    for (a, b) in sups {
        let find = |l: &str| *labels.get(l).unwrap_or_else(|| panic!("unknown label {l}"));
        theory.superiority.push((find(&a), find(&b)));
    }
    theory.atoms = names.len() as u32;
    Case {
        theory,
        variants,
        expect,
        names,
    }
}

/// Coherence, totality, −Δ = ¬+Δ and +Δ ⇒ +∂; returns a description of the first violation.
fn sanity(c: &Conclusions, lits: usize) -> Result<(), String> {
    for l in 0..lits {
        let (pd, md, pp, mp) = (
            c.definitely[l],
            c.not_definitely[l],
            c.defeasibly[l],
            c.not_defeasibly[l],
        );
        if pd == md {
            return Err(format!("literal {l}: +Δ {pd}, −Δ {md}"));
        }
        if pp == mp {
            return Err(format!("literal {l}: +∂ {pp}, −∂ {mp}"));
        }
        if pd && !pp {
            return Err(format!("literal {l}: +Δ without +∂"));
        }
    }
    Ok(())
}

#[test]
fn theory_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/defeasible");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "theory"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "theory files missing");
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let case = parse(&std::fs::read_to_string(file).unwrap());
        assert!(!case.expect.is_empty(), "{name}: no expectations");
        for &variant in &case.variants {
            let c = reason(&case.theory, variant);
            if let Err(e) = sanity(&c, 2 * case.theory.atoms as usize) {
                failures.push(format!("{name} ({variant:?}): {e}"));
            }
            let r = reference::reason(&case.theory, variant);
            if r != c {
                failures.push(format!("{name} ({variant:?}): differs from the reference"));
            }
            for (holds, tag, text) in &case.expect {
                let mut names = case.names.clone();
                let l = lit(&mut names, text) as usize;
                let flags = match tag.as_str() {
                    "+D" => &c.definitely,
                    "-D" => &c.not_definitely,
                    "+d" => &c.defeasibly,
                    _ => &c.not_defeasibly,
                };
                if flags[l] != *holds {
                    let not = if *holds { "" } else { "!" };
                    failures.push(format!("{name} ({variant:?}): expected {not}{tag} {text}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The least model of facts and rules read as Horn clauses (naive iteration).
fn least_model(t: &Theory) -> Vec<bool> {
    let mut m = vec![false; 2 * t.atoms as usize];
    for &f in &t.facts {
        m[f as usize] = true;
    }
    loop {
        let mut changed = false;
        for r in &t.rules {
            if !m[r.head as usize] && r.body.iter().all(|&b| m[b as usize]) {
                m[r.head as usize] = true;
                changed = true;
            }
        }
        if !changed {
            return m;
        }
    }
}

fn theory_strategy(kinds: Vec<Kind>, max_sup: usize) -> impl Strategy<Value = Theory> {
    (1u32..6).prop_flat_map(move |atoms| {
        let l = 0..2 * atoms;
        let rule = (
            proptest::sample::select(kinds.clone()),
            l.clone(),
            proptest::collection::vec(l.clone(), 0..3),
        )
            .prop_map(|(kind, head, body)| Rule { kind, head, body });
        (
            proptest::collection::vec(l, 0..4),
            proptest::collection::vec(rule, 0..10),
            proptest::collection::vec((0usize..10, 0usize..10), 0..max_sup),
        )
            .prop_map(move |(facts, rules, sup)| {
                // Superiority matters only between rules with complementary heads: aim there.
                let n = rules.len().max(1);
                let superiority = sup
                    .into_iter()
                    .map(|(a, b)| {
                        let a = a % n;
                        let rivals: Vec<usize> = (0..rules.len())
                            .filter(|&i| rules[i].head == complement(rules[a].head))
                            .collect();
                        match rivals.len() {
                            0 => (a, b % n),
                            k => (a, rivals[b % k]),
                        }
                    })
                    .collect();
                Theory {
                    atoms,
                    facts,
                    rules,
                    superiority,
                }
            })
    })
}

const BOTH: [Ambiguity; 2] = [Ambiguity::Blocking, Ambiguity::Propagating];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Without defeasible rules, defeaters or superiority: +Δ = +∂ = the least model.
    #[test]
    fn strict_theories_are_their_least_model(t in theory_strategy(vec![Kind::Strict], 1)) {
        let m = least_model(&t);
        let not_m: Vec<bool> = m.iter().map(|&b| !b).collect();
        for v in BOTH {
            let c = reason(&t, v);
            prop_assert_eq!(&c.definitely, &m);
            prop_assert_eq!(&c.defeasibly, &m);
            prop_assert_eq!(&c.not_definitely, &not_m);
            prop_assert_eq!(&c.not_defeasibly, &not_m);
        }
    }

    /// General theories: coherent, total, and equal to the naive reference.
    #[test]
    fn general_theories(
        t in theory_strategy(vec![Kind::Strict, Kind::Defeasible, Kind::Defeasible, Kind::Defeater], 8)
    ) {
        for v in BOTH {
            let c = reason(&t, v);
            if let Err(e) = sanity(&c, 2 * t.atoms as usize) {
                return Err(TestCaseError::fail(format!("{v:?}: {e}")));
            }
            prop_assert_eq!(&c, &reference::reason(&t, v), "{:?}", v);
        }
    }
}

/// `cargo test --release --test defeasible_core -- --ignored --nocapture`
#[test]
#[ignore]
fn benchmark() {
    use std::time::Instant;
    let n = 1_000_000u32;
    let chain = Theory {
        atoms: n + 1,
        facts: vec![0],
        rules: (0..n)
            .map(|i| Rule {
                kind: Kind::Defeasible,
                head: 2 * (i + 1),
                body: vec![2 * i],
            })
            .collect(),
        superiority: vec![],
    };
    for v in BOTH {
        let start = Instant::now();
        let c = reason(&chain, v);
        println!(
            "chain of {n} defeasible rules ({v:?}): {:?}",
            start.elapsed()
        );
        assert!(c.defeasibly[2 * n as usize] && c.not_definitely[2 * n as usize]);
        assert!(c.not_defeasibly[2 * n as usize + 1]);
    }
    // The same chain closed into a loop with no way in: one stall, one unfounded set.
    let mut cycle = chain.clone();
    cycle.facts.clear();
    cycle.rules.push(Rule {
        kind: Kind::Defeasible,
        head: 0,
        body: vec![2 * n],
    });
    for v in BOTH {
        let start = Instant::now();
        let c = reason(&cycle, v);
        println!(
            "loop of {} defeasible rules ({v:?}): {:?}",
            n + 1,
            start.elapsed()
        );
        assert!(c.not_defeasibly.iter().all(|&x| x));
    }
    let m = 100_000u32;
    let mut pairs = Theory {
        atoms: 2 * m,
        ..Theory::default()
    };
    for i in 0..m {
        let (q, a) = (2 * i, 2 * (m + i));
        pairs.facts.push(a);
        let r = pairs.rules.len();
        pairs.rules.push(Rule {
            kind: Kind::Defeasible,
            head: q,
            body: vec![a],
        });
        pairs.rules.push(Rule {
            kind: Kind::Defeasible,
            head: q + 1,
            body: vec![a],
        });
        pairs.superiority.push((r, r + 1));
    }
    for v in BOTH {
        let start = Instant::now();
        let c = reason(&pairs, v);
        println!("{m} conflicting pairs ({v:?}): {:?}", start.elapsed());
        assert!(
            (0..m).all(|i| c.defeasibly[2 * i as usize] && c.not_defeasibly[2 * i as usize + 1])
        );
    }

    // Worst case for the unfounded-set step: k stages, each settled only by its own stall
    // (an unfounded defence of p_i discards the attacker of z_i, which makes the attacker of
    // p_{i+1} applicable). Each stall walks the still-undecided part: quadratic in k.
    for k in [1_000u32, 4_000] {
        let mut staged = Theory {
            atoms: 2 * k,
            ..Theory::default()
        };
        let rule = |kind, head, body: &[u32]| Rule {
            kind,
            head,
            body: body.to_vec(),
        };
        for i in 0..k {
            let (p, z) = (4 * i, 4 * i + 2);
            let r = staged.rules.len();
            let attack_body: Vec<u32> = if i == 0 { vec![] } else { vec![z - 4] };
            staged.rules.push(rule(Kind::Defeasible, p, &[]));
            staged
                .rules
                .push(rule(Kind::Defeasible, p + 1, &attack_body));
            staged.rules.push(rule(Kind::Defeasible, p, &[p]));
            staged.rules.push(rule(Kind::Defeasible, z, &[]));
            staged.rules.push(rule(Kind::Defeasible, z + 1, &[p]));
            staged.superiority.push((r + 2, r + 1));
        }
        let start = Instant::now();
        let c = reason(&staged, Ambiguity::Blocking);
        println!(
            "{k} staged unfounded defences (Blocking): {:?}",
            start.elapsed()
        );
        assert!(
            (0..k).all(|i| c.not_defeasibly[4 * i as usize] && c.defeasibly[4 * i as usize + 2])
        );
    }
}

/// A long reasoning run stops when the cancel flag is set (Ctrl-C) or the deadline passes
/// (`--timeout`), with the reason; without a stop it runs to the end.
#[test]
fn the_reasoner_stops_on_cancel_and_timeout() {
    use pacta::defeasible::{Stop, Stopped, reason_until};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    let n = 1_000_000u32;
    let chain = Theory {
        atoms: n + 1,
        facts: vec![0],
        rules: (0..n)
            .map(|i| Rule {
                kind: Kind::Defeasible,
                head: 2 * (i + 1),
                body: vec![2 * i],
            })
            .collect(),
        superiority: vec![],
    };
    let flag = AtomicBool::new(false);
    let stop = Stop {
        cancel: Some(&flag),
        ..Stop::default()
    };
    let started = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| flag.store(true, Ordering::SeqCst));
        let r = reason_until(&chain, Ambiguity::Propagating, &stop);
        assert_eq!(r.err(), Some(Stopped::Cancelled));
    });
    let past = Stop {
        deadline: Some(started),
        ..Stop::default()
    };
    assert_eq!(
        reason_until(&chain, Ambiguity::Blocking, &past).err(),
        Some(Stopped::Timeout)
    );
    let later = Stop {
        cancel: Some(&AtomicBool::new(false)),
        deadline: Some(Instant::now() + Duration::from_secs(3600)),
        ..Stop::default()
    };
    let c = reason_until(&chain, Ambiguity::Blocking, &later).expect("not stopped");
    assert_eq!(c, reason(&chain, Ambiguity::Blocking));
}
