//! The propositional defeasible reasoner: +Δ, −Δ, +∂, −∂ for every literal of a ground theory.
//!
//! # Definitions
//!
//! Notation as in Antoniou, Billington, Governatori and Maher, "Representation results for
//! defeasible logic" (ACM TOCL 2(2), 2001): `R[q]` are the rules with head `q`, `R_s[q]` the
//! strict ones, `R_sd[q]` the strict and defeasible ones (defeaters never support their head;
//! they only appear in `R[~q]` as attackers), `A(r)` is the body of `r`, `>` the superiority
//! relation (only pairs between rules with complementary heads matter; others are ignored).
//!
//! **Definite part.**
//! * +Δq iff q is a fact or ∃r ∈ R_s[q] with A(r) ⊆ +Δ.
//! * −Δq iff q is not a fact and ∀r ∈ R_s[q] ∃a ∈ A(r): −Δa.
//!
//! Loops are read well-foundedly (as SPINdle's well-founded option, and Maher & Governatori,
//! "A semantic decomposition of defeasible logics", AAAI 1999): +Δ is the least fixpoint, and
//! −Δ is exactly its complement (a literal supported only through a loop is −Δ: `p :- p.`).
//!
//! **Defeasible part, ambiguity blocking** (TOCL 2001, followed literally; strict rules take
//! part as defeasible rules, team defeat):
//! * +∂q iff +Δq, or (1) ∃r ∈ R_sd[q] with A(r) ⊆ +∂, and (2) −Δ~q, and (3) ∀s ∈ R[~q]:
//!   either ∃a ∈ A(s): −∂a, or ∃t ∈ R_sd[q] with A(t) ⊆ +∂ and t > s.
//! * −∂q iff −Δq, and (1) ∀r ∈ R_sd[q] ∃a ∈ A(r): −∂a, or (2) +Δ~q, or (3) ∃s ∈ R[~q] with
//!   A(s) ⊆ +∂ such that ∀t ∈ R_sd[q]: ∃a ∈ A(t): −∂a, or not t > s.
//!
//! **Defeasible part, ambiguity propagating** (Antoniou, Billington, Governatori, Maher,
//! "A flexible framework for defeasible logics", AAAI 2000; Governatori, Maher, Antoniou,
//! Billington, "Argumentation semantics for defeasible logic", JLC 14(5), 2004), with the
//! support tags ±Σ:
//! * +Σq iff +Δq, or ∃r ∈ R_sd[q] with A(r) ⊆ +Σ and ∀s ∈ R[~q]: ∃a ∈ A(s): −∂a, or not s > r.
//!   (So a superior attacker whose body is still undecided keeps +Σ waiting; −Σ is the strong
//!   negation of +Σ, as in the 2004 paper.)
//! * −Σq iff −Δq, and ∀r ∈ R_sd[q]: ∃a ∈ A(r): −Σa, or ∃s ∈ R[~q] with A(s) ⊆ +∂ and s > r.
//! * +∂q as in the blocking variant, except that in (3) an attacker is discarded when
//!   ∃a ∈ A(s): −Σa (its body is not supported).
//! * −∂q as in the blocking variant, except that in (3) the attacker needs A(s) ⊆ +Σ.
//!
//! (Here ∂ means the propagating ∂_ap throughout, including inside ±Σ.) Consistency is not
//! enforced: facts or strict rules proving both q and ~q make both +Δ, hence both +∂, and
//! neither −∂; defeasible rules then add nothing for either.
//!
//! # Loops and totality
//!
//! The conditions above are applied as a fixpoint; each tag is drawn at most once per
//! literal, only for a literal that has neither tag yet, so +∂ and −∂ (and +Σ, −Σ) never
//! meet. When propagation stalls with undecided literals, the *greatest unfounded set* is
//! computed (well-founded defeasible logic, Maher & Governatori 1999): a set S of literals is
//! unfounded when for each q ∈ S, −Δq and (1) ∀r ∈ R_sd[q]: A(r) ∩ (−∂ ∪ S) ≠ ∅, or
//! (2) +Δ~q, or (3) ∃s ∈ R[~q] with A(s) ⊆ +∂ (propagating: +Σ) such that
//! ∀t ∈ R_sd[q] with t > s: A(t) ∩ (−∂ ∪ S) ≠ ∅. Every literal of it is concluded −∂ (it is
//! the complement, among undecided literals, of the least "founded" set, found by one
//! counter-based reachability). For Σ likewise: S is Σ-unfounded when for each q ∈ S, −Δq
//! and ∀r ∈ R_sd[q]: A(r) ∩ (−Σ ∪ S) ≠ ∅ or some s > r in R[~q] has A(s) ⊆ +∂; those
//! literals are concluded −Σ. Then propagation resumes, until every literal is decided.
//!
//! A literal supported only through a loop (`p := q. q := p.`, or a rule beating an attacker
//! only if its own head holds) is therefore −∂. Even so, the well-founded conditions do not
//! decide *odd* loops through an attack, where a literal's proof would enable the attack
//! on it: `r1: p := true. r2: ~p := q. r3: q := p.` (neither +∂p nor −∂p is derivable, and
//! {p, q} is not unfounded: p has a rule with an empty body, and r2 is not applicable).
//! So that every literal gets exactly one of +∂/−∂, a stall that leaves undecided literals
//! but no unfounded set closes them *skeptically*: all undecided literals are concluded −∂
//! (if none are left for ∂, the Σ-undecided ones −Σ), and propagation resumes. Such
//! literals are not defeasibly provable in the sense of the proof theory, which is what −∂
//! then records.
//!
//! # Complexity
//!
//! Indices (who uses a literal, who concludes it, who beats whom) are built by counting
//! sort; each rule keeps counters of body literals not yet +∂ (+Σ) and of superior rules not
//! yet discarded; each literal keeps counters of live supporting rules and unresolved
//! attackers. Every conclusion is drawn once and walks its occurrences once, so propagation
//! is linear in the size of the theory (Maher, "Propositional defeasible logic has linear
//! complexity", TPLP 2001). Each stall costs time linear in the part of the theory around
//! the literals still undecided. Theories without loops never stall with undecided literals,
//! and a stall settles every loop that is unfounded at that point at once (a 1,000,001-rule
//! cycle takes one stall), so the total is linear unless loops are settled one after another,
//! each only once the previous one is: then the cost is O(stalls × undecided part), as for
//! the well-founded semantics of logic programs, for which no linear algorithm is known.
//! No recursion is used, so deep chains cannot overflow the stack.
//!
//! # Stopping
//!
//! [`reason_until`] polls a [`Stop`] (the cancel flag, the deadline of `--timeout` and the
//! memory budget) every
//! [`STEPS`] worklist steps of the +Δ fixpoint and of the ∂/Σ propagation, and at every stall:
//! one counter decrement per step, so a run that is never stopped costs the same.

mod engine;
mod index;
mod unfounded;

use super::theory::{Ambiguity, Conclusions, Kind, Theory};
use engine::{Engine, MINUS, PLUS};
use index::Index;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Worklist steps between two polls of the [`Stop`] (a power of two).
pub const STEPS: u32 = 1 << 16;

/// When a reasoning run should give up: a cancel flag (Ctrl-C), a deadline (`--timeout`) and a
/// memory budget (`--max-memory`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Stop<'a> {
    /// Stop as soon as this is true.
    pub cancel: Option<&'a AtomicBool>,
    /// Stop once this instant has passed.
    pub deadline: Option<Instant>,
    /// Stop once the process holds more heap than this many bytes (`crate::alloc::allocated`).
    pub max_memory: Option<usize>,
}

/// Why a run gave up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// The cancel flag was set.
    Cancelled,
    /// The deadline passed.
    Timeout,
    /// The memory budget was passed.
    Memory,
}

impl Stop<'_> {
    /// Fails when the flag is set, the deadline has passed or memory is over the budget
    /// (cancellation is reported first).
    #[cold]
    #[inline(never)]
    pub fn check(&self) -> Result<(), Stopped> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Stopped::Cancelled);
        }
        if self.deadline.is_some_and(|d| Instant::now() > d) {
            return Err(Stopped::Timeout);
        }
        if self
            .max_memory
            .is_some_and(|max| crate::alloc::allocated() > max)
        {
            return Err(Stopped::Memory);
        }
        Ok(())
    }
}

/// Computes +Δ, −Δ, +∂ and −∂ for every literal `0 .. 2 * theory.atoms` of the theory, under
/// the given treatment of ambiguity (see the module documentation for the exact definitions).
///
/// # Panics
///
/// If a fact or rule names a literal outside `0 .. 2 * theory.atoms`.
pub fn reason(theory: &Theory, ambiguity: Ambiguity) -> Conclusions {
    match reason_until(theory, ambiguity, &Stop::default()) {
        Ok(c) => c,
        Err(_) => unreachable!("a run without a stop never stops"),
    }
}

/// [`reason`], polling `stop` every [`STEPS`] steps and at every stall; gives up with the
/// reason when it says so.
///
/// # Panics
///
/// If a fact or rule names a literal outside `0 .. 2 * theory.atoms`.
pub fn reason_until(
    theory: &Theory,
    ambiguity: Ambiguity,
    stop: &Stop,
) -> Result<Conclusions, Stopped> {
    stop.check()?;
    let index = Index::new(theory);
    let definitely = definite(theory, &index, stop)?;
    let mut engine = Engine::new(theory, ambiguity, index, definitely);
    engine.start();
    let mut stall = unfounded::Stall::default();
    loop {
        engine.run(stop)?;
        stop.check()?;
        if !stall.step(&mut engine) {
            break;
        }
    }
    let not_definitely = engine.definitely.iter().map(|&p| !p).collect();
    Ok(Conclusions {
        defeasibly: engine.d.iter().map(|&s| s == PLUS).collect(),
        not_defeasibly: engine.d.iter().map(|&s| s == MINUS).collect(),
        definitely: engine.definitely,
        not_definitely,
    })
}

/// +Δ: the least fixpoint of the facts and strict rules, by counters of unproved body literals.
fn definite(theory: &Theory, index: &Index, stop: &Stop) -> Result<Vec<bool>, Stopped> {
    let lits = 2 * theory.atoms as usize;
    let mut proved = vec![false; lits];
    let mut count: Vec<u32> = theory.rules.iter().map(|r| r.body.len() as u32).collect();
    let mut work = Vec::new();
    let prove = |l: u32, proved: &mut Vec<bool>, work: &mut Vec<u32>| {
        assert!((l as usize) < lits, "fact {l} out of range");
        if !proved[l as usize] {
            proved[l as usize] = true;
            work.push(l);
        }
    };
    for &f in &theory.facts {
        prove(f, &mut proved, &mut work);
    }
    for r in &theory.rules {
        if r.kind == Kind::Strict && r.body.is_empty() {
            prove(r.head, &mut proved, &mut work);
        }
    }
    let mut left = STEPS;
    while let Some(l) = work.pop() {
        left -= 1;
        if left == 0 {
            left = STEPS;
            stop.check()?;
        }
        for &r in index.occ.get(l) {
            let rule = &theory.rules[r as usize];
            if rule.kind == Kind::Strict {
                count[r as usize] -= 1;
                if count[r as usize] == 0 {
                    prove(rule.head, &mut proved, &mut work);
                }
            }
        }
    }
    Ok(proved)
}
