//! A naive reference reasoner for small theories: the proof conditions of the module
//! documentation of `pacta::defeasible::reason`, applied literally and repeatedly (quadratic
//! or worse), with the same stall handling (greatest unfounded sets by iterated removal, then
//! the skeptical closure). Used to check the linear reasoner on random theories.

use pacta::defeasible::{Ambiguity, Conclusions, Kind, Theory, complement};

const U: u8 = 0;
const P: u8 = 1;
const M: u8 = 2;

struct R<'t> {
    t: &'t Theory,
    prop: bool,
    pd: Vec<bool>,
    d: Vec<u8>,
    s: Vec<u8>,
}

impl R<'_> {
    fn rules(&self, q: u32) -> impl Iterator<Item = usize> + '_ {
        (0..self.t.rules.len()).filter(move |&i| self.t.rules[i].head == q)
    }
    fn sd(&self, q: u32) -> impl Iterator<Item = usize> + '_ {
        self.rules(q)
            .filter(|&i| self.t.rules[i].kind != Kind::Defeater)
    }
    fn body(&self, r: usize) -> &[u32] {
        &self.t.rules[r].body
    }
    fn sup(&self, a: usize, b: usize) -> bool {
        self.t.superiority.contains(&(a, b))
    }
    fn all_d(&self, r: usize) -> bool {
        self.body(r).iter().all(|&b| self.d[b as usize] == P)
    }
    fn any_md(&self, r: usize, extra: &[bool]) -> bool {
        self.body(r)
            .iter()
            .any(|&b| self.d[b as usize] == M || extra[b as usize])
    }
    fn attack_app(&self, s: usize) -> bool {
        if self.prop {
            self.body(s).iter().all(|&b| self.s[b as usize] == P)
        } else {
            self.all_d(s)
        }
    }
    fn attack_disc(&self, s: usize) -> bool {
        if self.prop {
            self.body(s).iter().any(|&b| self.s[b as usize] == M)
        } else {
            self.any_md(s, &vec![false; self.d.len()])
        }
    }
    fn plus_d(&self, q: u32) -> bool {
        let nq = complement(q);
        self.pd[q as usize]
            || (self.sd(q).any(|r| self.all_d(r))
                && !self.pd[nq as usize]
                && self.rules(nq).all(|s| {
                    self.attack_disc(s) || self.sd(q).any(|t| self.all_d(t) && self.sup(t, s))
                }))
    }
    /// −∂ with `extra` literals read as −∂ (the unfounded set under test).
    fn minus_d(&self, q: u32, extra: &[bool]) -> bool {
        let nq = complement(q);
        !self.pd[q as usize]
            && (self.sd(q).all(|r| self.any_md(r, extra))
                || self.pd[nq as usize]
                || self.rules(nq).any(|s| {
                    self.attack_app(s)
                        && self.sd(q).all(|t| self.any_md(t, extra) || !self.sup(t, s))
                }))
    }
    fn plus_s(&self, q: u32) -> bool {
        let nq = complement(q);
        self.pd[q as usize]
            || self.sd(q).any(|r| {
                self.body(r).iter().all(|&b| self.s[b as usize] == P)
                    && self.rules(nq).all(|s| {
                        self.body(s).iter().any(|&b| self.d[b as usize] == M) || !self.sup(s, r)
                    })
            })
    }
    fn minus_s(&self, q: u32, extra: &[bool]) -> bool {
        let nq = complement(q);
        !self.pd[q as usize]
            && self.sd(q).all(|r| {
                self.body(r)
                    .iter()
                    .any(|&b| self.s[b as usize] == M || extra[b as usize])
                    || self.rules(nq).any(|s| self.all_d(s) && self.sup(s, r))
            })
    }
}

/// Greatest set S ⊆ `cands` with `cond(q, S)` for all q ∈ S, by iterated removal.
fn greatest(lits: usize, cands: &[u32], cond: impl Fn(u32, &[bool]) -> bool) -> Vec<u32> {
    let mut inside = vec![false; lits];
    for &q in cands {
        inside[q as usize] = true;
    }
    loop {
        let out: Vec<u32> = cands
            .iter()
            .copied()
            .filter(|&q| inside[q as usize] && !cond(q, &inside))
            .collect();
        if out.is_empty() {
            return cands
                .iter()
                .copied()
                .filter(|&q| inside[q as usize])
                .collect();
        }
        for q in out {
            inside[q as usize] = false;
        }
    }
}

pub fn reason(t: &Theory, ambiguity: Ambiguity) -> Conclusions {
    let n = 2 * t.atoms as usize;
    let mut pd = vec![false; n];
    for &f in &t.facts {
        pd[f as usize] = true;
    }
    loop {
        let mut changed = false;
        for r in &t.rules {
            if r.kind == Kind::Strict
                && !pd[r.head as usize]
                && r.body.iter().all(|&b| pd[b as usize])
            {
                pd[r.head as usize] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let prop = ambiguity == Ambiguity::Propagating;
    let mut e = R {
        t,
        prop,
        pd,
        d: vec![U; n],
        s: vec![if prop { U } else { M }; n],
    };
    let none = vec![false; n];
    loop {
        let mut changed = false;
        for q in 0..n as u32 {
            let i = q as usize;
            if e.d[i] == U {
                if e.plus_d(q) {
                    e.d[i] = P;
                    changed = true;
                } else if e.minus_d(q, &none) {
                    e.d[i] = M;
                    changed = true;
                }
            }
            if prop && e.s[i] == U {
                if e.plus_s(q) {
                    e.s[i] = P;
                    changed = true;
                } else if e.minus_s(q, &none) {
                    e.s[i] = M;
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }
        let und_d: Vec<u32> = (0..n as u32).filter(|&q| e.d[q as usize] == U).collect();
        let und_s: Vec<u32> = (0..n as u32).filter(|&q| e.s[q as usize] == U).collect();
        if und_d.is_empty() && und_s.is_empty() {
            break;
        }
        let mut ud = greatest(n, &und_d, |q, inside| e.minus_d(q, inside));
        let mut us = greatest(n, &und_s, |q, inside| e.minus_s(q, inside));
        if ud.is_empty() && us.is_empty() {
            if und_d.is_empty() {
                us = und_s;
            } else {
                ud = und_d;
            }
        }
        for q in ud {
            e.d[q as usize] = M;
        }
        for q in us {
            e.s[q as usize] = M;
        }
    }
    Conclusions {
        not_definitely: e.pd.iter().map(|&p| !p).collect(),
        definitely: e.pd.clone(),
        defeasibly: e.d.iter().map(|&x| x == P).collect(),
        not_defeasibly: e.d.iter().map(|&x| x == M).collect(),
    }
}
