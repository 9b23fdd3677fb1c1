//! A ground (propositional) defeasible theory: what the reasoner works on.
//!
//! Literals are small integers: atom `a` is literal `2a` and its strong negation `~a` is
//! `2a + 1`, so the complement of a literal is `l ^ 1`. Grounding (see `ground.rs`) turns a
//! theory with variables into this form; the reasoner never sees names.

/// A ground literal: `2 * atom` (positive) or `2 * atom + 1` (strongly negated).
pub type Lit = u32;

/// The complement of a literal (`p` ↔ `~p`).
#[inline]
pub fn complement(l: Lit) -> Lit {
    l ^ 1
}

/// The three kinds of rule of defeasible logic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `:-` — if the body is definitely provable, so is the head.
    Strict,
    /// `:=` — the head holds unless defeated.
    Defeasible,
    /// `:~` — only blocks the complement of its head; proves nothing.
    Defeater,
}

/// One ground rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Strict, defeasible or defeater.
    pub kind: Kind,
    /// The conclusion.
    pub head: Lit,
    /// The conditions (all must hold); may be empty.
    pub body: Vec<Lit>,
}

/// A ground theory: facts, rules and a superiority relation over rule indices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Theory {
    /// Number of atoms; literals range over `0 .. 2 * atoms`.
    pub atoms: u32,
    /// Facts (definitely true literals).
    pub facts: Vec<Lit>,
    /// Rules, indexed by position.
    pub rules: Vec<Rule>,
    /// `(stronger, weaker)` pairs of rule indices: `stronger > weaker`.
    pub superiority: Vec<(usize, usize)>,
}

/// How ambiguity is treated (Antoniou, Billington, Governatori, Maher 2000/2001).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ambiguity {
    /// Ambiguous literals are not concluded, and the rules they support still attack
    /// (the default of defeasible logic).
    #[default]
    Blocking,
    /// Ambiguity propagates: a rule attacks only if its body is *supported*.
    Propagating,
}

/// The four conclusion kinds, one flag per literal (index = literal).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conclusions {
    /// +Δ: definitely provable.
    pub definitely: Vec<bool>,
    /// −Δ: definitely not provable.
    pub not_definitely: Vec<bool>,
    /// +∂: defeasibly provable.
    pub defeasibly: Vec<bool>,
    /// −∂: defeasibly not provable.
    pub not_defeasibly: Vec<bool>,
}
