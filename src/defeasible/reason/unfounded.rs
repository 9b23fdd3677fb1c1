//! What to do when propagation stalls with undecided literals: unfounded sets (the
//! well-founded reading of loops), and as a last resort the skeptical closure.

use super::engine::{Engine, Event, KILLED, UNDECIDED};
use super::index::supports;
use crate::defeasible::theory::complement;

/// Scratch space of the unfounded-set step, allocated at the first stall that needs it.
#[derive(Default)]
pub(super) struct Stall {
    /// Literals still undecided for ∂ (refreshed at each stall).
    und_d: Option<Vec<u32>>,
    /// Literals still undecided for Σ.
    und_s: Option<Vec<u32>>,
    /// Per rule: body literals neither concluded positively nor found founded.
    count: Vec<u32>,
    /// Per rule: an open attacker beaten by a rule whose body is founded.
    beaten: Vec<bool>,
    /// Per literal: open attackers not beaten by a founded rule.
    open: Vec<u32>,
    /// Per literal: bit 1 = has a founded supporting rule, bit 2 = founded.
    mark: Vec<u8>,
    work: Vec<u32>,
}

const SUPPORTED: u8 = 1;
const FOUNDED: u8 = 2;

fn refresh(list: &mut Option<Vec<u32>>, status: &[u8]) -> usize {
    let v = list.get_or_insert_with(|| (0..status.len() as u32).collect());
    v.retain(|&q| status[q as usize] == UNDECIDED);
    v.len()
}

impl Stall {
    /// Handles a stall: returns `false` when every literal is decided (nothing to do), and
    /// otherwise queues new conclusions in `e` and returns `true`.
    pub(super) fn step(&mut self, e: &mut Engine) -> bool {
        let nd = refresh(&mut self.und_d, &e.d);
        let ns = if e.propagating {
            refresh(&mut self.und_s, &e.s)
        } else {
            0
        };
        if nd == 0 && ns == 0 {
            return false;
        }
        if self.count.is_empty() {
            self.count = vec![0; e.theory.rules.len()];
            self.beaten = vec![false; e.theory.rules.len()];
            self.open = vec![0; e.d.len()];
            self.mark = vec![0; e.d.len()];
        }
        let und_d = self.und_d.take().unwrap_or_default();
        let und_s = self.und_s.take().unwrap_or_default();
        let mut new_d = self.unfounded_d(e, &und_d);
        let mut new_s = if e.propagating {
            self.unfounded_s(e, &und_s)
        } else {
            Vec::new()
        };
        if new_d.is_empty() && new_s.is_empty() {
            // No unfounded literal, yet some stay undecided: only odd loops through attacks
            // (e.g. `p := true. ~p := p.`) come here. Close them skeptically.
            if nd > 0 {
                new_d.clone_from(&und_d);
            } else {
                new_s.clone_from(&und_s);
            }
        }
        for q in new_d {
            e.push(Event::MinusD(q));
        }
        for q in new_s {
            e.push(Event::MinusS(q));
        }
        self.und_d = Some(und_d);
        self.und_s = Some(und_s);
        true
    }

    /// The greatest unfounded set for ∂: the undecided literals outside the least set F with
    /// q ∈ F iff some strict/defeasible rule for q has its body in +∂ ∪ F and every open
    /// attacker s of q (body +∂, resp. +Σ, not beaten) is beaten by a strict/defeasible rule
    /// t > s whose body is in +∂ ∪ F.
    fn unfounded_d(&mut self, e: &Engine, und: &[u32]) -> Vec<u32> {
        let ix = &e.index;
        let rules = &e.theory.rules;
        for &q in und {
            for &r in ix.occ.get(q) {
                self.count[r as usize] = e.pending[r as usize];
            }
        }
        let mut attackers = Vec::new(); // open attackers, to clear `beaten` afterwards
        for &q in und {
            let qi = q as usize;
            self.mark[qi] = if e.applicable[qi] { SUPPORTED } else { 0 };
            self.open[qi] = 0;
            for &s in ix.by_head.get(complement(q)) {
                if e.open_attacker(s) {
                    self.open[qi] += 1;
                    attackers.push(s);
                }
            }
            if self.mark[qi] == SUPPORTED && self.open[qi] == 0 {
                self.mark[qi] |= FOUNDED;
                self.work.push(q);
            }
        }
        while let Some(q) = self.work.pop() {
            for &r in ix.occ.get(q) {
                let c = &mut self.count[r as usize];
                *c -= 1;
                if *c != 0 || !supports(rules[r as usize].kind) {
                    continue;
                }
                let h = rules[r as usize].head;
                let hi = h as usize;
                if e.d[hi] != UNDECIDED || self.mark[hi] & FOUNDED != 0 {
                    continue;
                }
                self.mark[hi] |= SUPPORTED;
                for &s in ix.beats.get(r) {
                    if e.open_attacker(s) && !self.beaten[s as usize] {
                        self.beaten[s as usize] = true;
                        self.open[hi] -= 1;
                    }
                }
                if self.open[hi] == 0 {
                    self.mark[hi] |= FOUNDED;
                    self.work.push(h);
                }
            }
        }
        for s in attackers {
            self.beaten[s as usize] = false;
        }
        und.iter()
            .copied()
            .filter(|&q| self.mark[q as usize] & FOUNDED == 0)
            .collect()
    }

    /// The greatest unfounded set for Σ: the undecided literals outside the least set F with
    /// q ∈ F iff some strict/defeasible rule for q, not overruled by a superior attacker with
    /// a +∂ body, has its body in +Σ ∪ F.
    fn unfounded_s(&mut self, e: &Engine, und: &[u32]) -> Vec<u32> {
        let ix = &e.index;
        let rules = &e.theory.rules;
        let usable = |r: u32| supports(rules[r as usize].kind) && e.flags[r as usize] & KILLED == 0;
        for &q in und {
            for &r in ix.occ.get(q) {
                self.count[r as usize] = e.sigma_pending[r as usize];
            }
        }
        for &q in und {
            let founded = ix
                .by_head
                .get(q)
                .iter()
                .any(|&r| usable(r) && e.sigma_pending[r as usize] == 0);
            self.mark[q as usize] = if founded { FOUNDED } else { 0 };
            if founded {
                self.work.push(q);
            }
        }
        while let Some(q) = self.work.pop() {
            for &r in ix.occ.get(q) {
                let c = &mut self.count[r as usize];
                *c -= 1;
                if *c != 0 || !usable(r) {
                    continue;
                }
                let h = rules[r as usize].head as usize;
                if e.s[h] == UNDECIDED && self.mark[h] & FOUNDED == 0 {
                    self.mark[h] |= FOUNDED;
                    self.work.push(h as u32);
                }
            }
        }
        und.iter()
            .copied()
            .filter(|&q| self.mark[q as usize] & FOUNDED == 0)
            .collect()
    }
}
