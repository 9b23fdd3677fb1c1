//! The ∂ (and, for ambiguity propagation, Σ) part: counters per rule and literal, and a
//! worklist of newly drawn conclusions. Every literal is concluded at most once per tag, and
//! each conclusion walks the rules that use it once, so propagation is linear overall.

use super::index::{Index, supports};
use super::{STEPS, Stop, Stopped};
use crate::defeasible::theory::{Ambiguity, Theory, complement};

/// Status of a literal for one tag (∂ or Σ).
pub(super) const UNDECIDED: u8 = 0;
pub(super) const PLUS: u8 = 1;
pub(super) const MINUS: u8 = 2;

/// Rule flags.
/// Some body literal is −∂.
const DISCARDED: u8 = 1;
/// Some strict/defeasible rule superior to this one (for the complementary head) is applicable.
const BEATEN: u8 = 2;
/// As an attacker, this rule no longer stands in the way of +∂ of the complement of its head.
const RESOLVED: u8 = 4;
/// Its body is +∂ (blocking) or +Σ (propagating): it counts as an attacker in −∂ (c).
const ATTACKS: u8 = 8;
/// Some body literal is −Σ (propagating only).
const SIGMA_DISCARDED: u8 = 16;
/// A rule superior to it, for the complementary head, has a +∂ body (propagating only).
pub(super) const KILLED: u8 = 32;
/// It no longer counts towards +Σ of its head (propagating only).
const SIGMA_DEAD: u8 = 64;

/// A newly drawn conclusion whose consequences are still to be propagated.
#[derive(Clone, Copy)]
pub(super) enum Event {
    PlusD(u32),
    MinusD(u32),
    PlusS(u32),
    MinusS(u32),
}

pub(super) struct Engine<'t> {
    pub(super) theory: &'t Theory,
    pub(super) index: Index,
    pub(super) propagating: bool,
    /// +Δ per literal (−Δ is its complement, by the well-founded reading).
    pub(super) definitely: Vec<bool>,
    /// ∂ status per literal.
    pub(super) d: Vec<u8>,
    /// Σ status per literal (propagating only).
    pub(super) s: Vec<u8>,
    /// Some strict/defeasible rule for the literal has a +∂ body.
    pub(super) applicable: Vec<bool>,
    /// Strict/defeasible rules for the literal that are not discarded.
    live_sd: Vec<u32>,
    /// Rules for the complement that are neither discarded (−∂/−Σ body) nor beaten.
    unresolved: Vec<u32>,
    /// Strict/defeasible rules for the literal that are not Σ-dead.
    sigma_live: Vec<u32>,
    /// Per rule: body literals not yet +∂.
    pub(super) pending: Vec<u32>,
    /// Per rule: body literals not yet +Σ.
    pub(super) sigma_pending: Vec<u32>,
    /// Per rule: superior strict/defeasible rules (complementary head) not discarded.
    live_beaters: Vec<u32>,
    /// Per rule: superior rules of any kind (complementary head) not discarded.
    live_superiors: Vec<u32>,
    pub(super) flags: Vec<u8>,
    queue: Vec<Event>,
    /// Worklist steps left before the next poll of the [`Stop`] (a field, not a local: the
    /// calls in the loop would make a local spill to the stack and back at every step).
    left: u32,
}

impl<'t> Engine<'t> {
    pub(super) fn new(
        theory: &'t Theory,
        ambiguity: Ambiguity,
        index: Index,
        definitely: Vec<bool>,
    ) -> Self {
        let lits = definitely.len();
        let nrules = theory.rules.len();
        let propagating = ambiguity == Ambiguity::Propagating;
        let mut live_sd = vec![0u32; lits];
        let mut unresolved = vec![0u32; lits];
        let mut pending = Vec::with_capacity(nrules);
        let mut live_beaters = vec![0u32; nrules];
        let mut live_superiors = vec![0u32; nrules];
        for (i, r) in theory.rules.iter().enumerate() {
            if supports(r.kind) {
                live_sd[r.head as usize] += 1;
            }
            unresolved[complement(r.head) as usize] += 1;
            pending.push(r.body.len() as u32);
            for &t in index.beaten_by.get(i as u32) {
                live_superiors[i] += 1;
                if supports(theory.rules[t as usize].kind) {
                    live_beaters[i] += 1;
                }
            }
        }
        let sigma_live = if propagating {
            live_sd.clone()
        } else {
            Vec::new()
        };
        let sigma_pending = if propagating {
            pending.clone()
        } else {
            Vec::new()
        };
        Engine {
            theory,
            index,
            propagating,
            definitely,
            d: vec![UNDECIDED; lits],
            s: vec![UNDECIDED; if propagating { lits } else { 0 }],
            applicable: vec![false; lits],
            live_sd,
            unresolved,
            sigma_live,
            pending,
            sigma_pending,
            live_beaters,
            live_superiors,
            flags: vec![0u8; nrules],
            queue: Vec::new(),
            left: STEPS,
        }
    }

    #[inline]
    fn head(&self, r: u32) -> u32 {
        self.theory.rules[r as usize].head
    }

    #[inline]
    fn is_sd(&self, r: u32) -> bool {
        supports(self.theory.rules[r as usize].kind)
    }

    /// Draws the conclusions that need no rule to fire: +Δ gives +∂ (and +Σ); +Δ of the
    /// complement gives −∂ (b); no strict/defeasible rule gives −∂ (a) (and −Σ); rules with
    /// empty bodies are applicable at once.
    pub(super) fn start(&mut self) {
        for q in 0..self.d.len() as u32 {
            if self.definitely[q as usize] {
                self.plus_d(q);
                if self.propagating {
                    self.plus_s(q);
                }
            } else {
                if self.definitely[complement(q) as usize] || self.live_sd[q as usize] == 0 {
                    self.minus_d(q);
                }
                if self.propagating && self.sigma_live[q as usize] == 0 {
                    self.minus_s(q);
                }
            }
        }
        for r in 0..self.theory.rules.len() as u32 {
            if self.pending[r as usize] == 0 {
                self.rule_applicable(r);
            }
            if self.propagating && self.sigma_pending[r as usize] == 0 {
                self.rule_supported(r);
            }
        }
    }

    pub(super) fn push(&mut self, e: Event) {
        match e {
            Event::PlusD(q) => self.plus_d(q),
            Event::MinusD(q) => self.minus_d(q),
            Event::PlusS(q) => self.plus_s(q),
            Event::MinusS(q) => self.minus_s(q),
        }
    }

    fn plus_d(&mut self, q: u32) {
        if self.d[q as usize] == UNDECIDED {
            self.d[q as usize] = PLUS;
            self.queue.push(Event::PlusD(q));
        }
    }

    /// −∂q, provided −Δq (every −∂ clause requires it).
    fn minus_d(&mut self, q: u32) {
        if self.d[q as usize] == UNDECIDED && !self.definitely[q as usize] {
            self.d[q as usize] = MINUS;
            self.queue.push(Event::MinusD(q));
        }
    }

    fn plus_s(&mut self, q: u32) {
        if self.s[q as usize] == UNDECIDED {
            self.s[q as usize] = PLUS;
            self.queue.push(Event::PlusS(q));
        }
    }

    /// −Σq, provided −Δq.
    fn minus_s(&mut self, q: u32) {
        if self.s[q as usize] == UNDECIDED && !self.definitely[q as usize] {
            self.s[q as usize] = MINUS;
            self.queue.push(Event::MinusS(q));
        }
    }

    /// +∂q by (a) an applicable rule, (b) −Δ~q and (c) every attacker resolved.
    fn try_plus_d(&mut self, q: u32) {
        let i = q as usize;
        if self.applicable[i] && self.unresolved[i] == 0 && !self.definitely[complement(q) as usize]
        {
            self.plus_d(q);
        }
    }

    /// Runs the worklist until no conclusion is left to propagate, polling `stop` every
    /// [`STEPS`] steps.
    pub(super) fn run(&mut self, stop: &Stop) -> Result<(), Stopped> {
        while let Some(e) = self.queue.pop() {
            self.left -= 1;
            if self.left == 0 {
                self.left = STEPS;
                stop.check()?;
            }
            match e {
                Event::PlusD(l) => {
                    for k in 0..self.index.occ.get(l).len() {
                        let r = self.index.occ.get(l)[k];
                        self.pending[r as usize] -= 1;
                        if self.pending[r as usize] == 0 {
                            self.rule_applicable(r);
                        }
                    }
                }
                Event::MinusD(l) => {
                    for k in 0..self.index.occ.get(l).len() {
                        let r = self.index.occ.get(l)[k];
                        self.rule_discarded(r);
                    }
                }
                Event::PlusS(l) => {
                    for k in 0..self.index.occ.get(l).len() {
                        let r = self.index.occ.get(l)[k];
                        self.sigma_pending[r as usize] -= 1;
                        if self.sigma_pending[r as usize] == 0 {
                            self.rule_supported(r);
                        }
                    }
                }
                Event::MinusS(l) => {
                    for k in 0..self.index.occ.get(l).len() {
                        let r = self.index.occ.get(l)[k];
                        if self.flags[r as usize] & SIGMA_DISCARDED == 0 {
                            self.flags[r as usize] |= SIGMA_DISCARDED;
                            if self.is_sd(r) {
                                self.sigma_dead(r);
                            }
                            self.resolve(r);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Every body literal of `r` is +∂.
    fn rule_applicable(&mut self, r: u32) {
        let h = self.head(r);
        if self.is_sd(r) {
            self.applicable[h as usize] = true;
            for k in 0..self.index.beats.get(r).len() {
                let s = self.index.beats.get(r)[k];
                if self.flags[s as usize] & BEATEN == 0 {
                    self.flags[s as usize] |= BEATEN;
                    self.resolve(s);
                }
            }
            self.try_plus_d(h);
        }
        if self.propagating {
            // −Σ (2.2): a superior attacker of t is applicable.
            for k in 0..self.index.beats.get(r).len() {
                let t = self.index.beats.get(r)[k];
                if self.is_sd(t) && self.flags[t as usize] & KILLED == 0 {
                    self.flags[t as usize] |= KILLED;
                    self.sigma_dead(t);
                }
            }
        } else {
            self.attacks(r);
        }
    }

    /// Some body literal of `r` is −∂.
    fn rule_discarded(&mut self, r: u32) {
        if self.flags[r as usize] & DISCARDED != 0 {
            return;
        }
        self.flags[r as usize] |= DISCARDED;
        if self.is_sd(r) {
            let h = self.head(r);
            self.live_sd[h as usize] -= 1;
            if self.live_sd[h as usize] == 0 {
                self.minus_d(h); // (a)
            }
            for k in 0..self.index.beats.get(r).len() {
                let s = self.index.beats.get(r)[k];
                self.live_beaters[s as usize] -= 1;
                if self.live_beaters[s as usize] == 0 && self.flags[s as usize] & ATTACKS != 0 {
                    self.minus_d(complement(self.head(s))); // (c)
                }
            }
        }
        if self.propagating {
            // +Σ (2.2): every superior attacker of t has a −∂ body literal.
            for k in 0..self.index.beats.get(r).len() {
                let t = self.index.beats.get(r)[k];
                if self.is_sd(t) {
                    self.live_superiors[t as usize] -= 1;
                    if self.live_superiors[t as usize] == 0 && self.sigma_pending[t as usize] == 0 {
                        self.plus_s(self.head(t));
                    }
                }
            }
        } else {
            self.resolve(r);
        }
    }

    /// Every body literal of `r` is +Σ (propagating only).
    fn rule_supported(&mut self, r: u32) {
        if self.is_sd(r) && self.live_superiors[r as usize] == 0 {
            self.plus_s(self.head(r));
        }
        self.attacks(r);
    }

    /// `r` is an attacker in −∂ (c) for the complement of its head.
    fn attacks(&mut self, r: u32) {
        self.flags[r as usize] |= ATTACKS;
        if self.live_beaters[r as usize] == 0 {
            self.minus_d(complement(self.head(r)));
        }
    }

    /// Attacker `s` is discarded or beaten: one obstacle fewer for +∂ of ~head(s).
    fn resolve(&mut self, s: u32) {
        if self.flags[s as usize] & RESOLVED == 0 {
            self.flags[s as usize] |= RESOLVED;
            let q = complement(self.head(s));
            self.unresolved[q as usize] -= 1;
            if self.unresolved[q as usize] == 0 {
                self.try_plus_d(q);
            }
        }
    }

    /// `r` can no longer support +Σ of its head.
    fn sigma_dead(&mut self, r: u32) {
        if self.flags[r as usize] & SIGMA_DEAD == 0 {
            self.flags[r as usize] |= SIGMA_DEAD;
            let h = self.head(r);
            self.sigma_live[h as usize] -= 1;
            if self.sigma_live[h as usize] == 0 {
                self.minus_s(h);
            }
        }
    }

    /// Whether `r`, as an attacker, is applicable and not (yet) beaten.
    #[inline]
    pub(super) fn open_attacker(&self, r: u32) -> bool {
        self.flags[r as usize] & (ATTACKS | BEATEN) == ATTACKS
    }
}
