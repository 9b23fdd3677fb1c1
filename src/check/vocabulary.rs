//! The declared vocabulary (issue 13): symbols that rules interpret in fixed argument positions.
//!
//! A knowledge base declares, as ordinary facts (the bundled one in `rules/vocabulary.pacta`):
//! - `vocabulary_position(Relation, Position, Kind).`: argument `Position` (from 1) of
//!   `Relation` holds a symbol of `Kind` (`vocabulary_position(caveat, 3, caveat_kind).`);
//! - `vocabulary(Kind, Symbol, "meaning").`: `Symbol` is one of `Kind`.
//!
//! Nothing here knows a relation or a kind by name: a program without these facts draws nothing.
//! Two warnings come out:
//! - `undeclared_symbol`: a constant in a vocabulary position (in a fact, a rule head or body, an
//!   `expect` line) that its kind does not declare, with the nearest declared symbol;
//! - `unread_symbol`: a declared symbol that no rule reads, so facts using it change no answer.
//!
//! Positions spread through rules: a rule that copies a variable from a vocabulary position of
//! a positive body atom into its head (`caveat_applies(I, C, K) :- caveat(I, C, K), ...`) makes
//! that head position one of the same kind, so its uses are checked too.
//!
//! When is a symbol read? Rules read a kind in one of three ways, found from the rules alone:
//! - **by name**: some rule body reads a position of the kind with a constant
//!   (`caveat_applies(I, C, request_required)`). Then each symbol must be named somewhere in a
//!   rule with a body (body or head), or it is unread: nothing tells it from a typo.
//! - **generically**: some rule body reads a position of the kind with a variable that it joins
//!   with another positive atom or compares (`duty(..., Level), level_rank(Level, R)`, roles
//!   matched between `duty` and `party`, areas between `scope` and `located`). Then every symbol
//!   of the kind is read: its meaning is in the facts it is joined with.
//! - **not at all**: no rule body distinguishes the kind's symbols (clause fidelity marks, which
//!   explanations show; the kinds of promise to refrain, which the rules treat alike). Such a
//!   kind is descriptive: spelling is checked, reading is not.
//!
//! A variable joined only inside a `not` atom does not read the symbol (it filters rows); nor
//! does one copied unchanged into the head (that is followed as a spread position instead).

use super::rule_atoms;
use crate::diag::{Code, Diagnostic, MAX_SUGGESTIONS, did_you_mean};
use crate::syntax::ast::{Atom, BodyItem, Expr, Rule, Statement};
use crate::syntax::span::Span;
use crate::value::Const;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// The relation that declares vocabulary positions: `vocabulary_position(Rel, Pos, Kind)`.
pub const POSITION: &str = "vocabulary_position";
/// The relation that declares symbols: `vocabulary(Kind, Symbol, Meaning)`.
pub const SYMBOL: &str = "vocabulary";

/// (relation, 0-based argument index) → kind.
type Positions<'a> = HashMap<(&'a str, usize), &'a str>;

/// The declarations found in a program.
#[derive(Default)]
struct Declared<'a> {
    /// Declared and spread positions.
    positions: Positions<'a>,
    /// Kind → symbol → where it is declared.
    symbols: BTreeMap<&'a str, BTreeMap<&'a str, Span>>,
}

/// All vocabulary warnings for `statements` (the whole program: knowledge base and scenarios).
/// Callers that only want the warnings about some files filter by span.
pub fn check_vocabulary(statements: &[Statement]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Some(mut declared) = declarations(statements, &mut diags) else {
        return diags;
    };
    let rules: Vec<&Rule> = statements
        .iter()
        .filter_map(|s| match s {
            Statement::Rule(r) => Some(r),
            _ => None,
        })
        .collect();
    spread(&rules, &mut declared.positions);
    undeclared(&rules, &declared, &mut diags);
    unread(&rules, &declared, &mut diags);
    diags
}

/// The plain symbol of a constant argument, if it is one.
fn sym(e: &Expr) -> Option<&str> {
    match e {
        Expr::Const(Const::Str(s), _) => Some(s),
        _ => None,
    }
}

/// Reads the `vocabulary_position` and `vocabulary` facts; `None` when there are none.
fn declarations<'a>(
    statements: &'a [Statement],
    diags: &mut Vec<Diagnostic>,
) -> Option<Declared<'a>> {
    let mut d = Declared::default();
    let mut any = false;
    for st in statements {
        let Statement::Rule(r) = st else { continue };
        if !r.is_fact() {
            continue;
        }
        let a = &r.head;
        match (a.pred.name.as_str(), a.args.as_slice()) {
            (POSITION, [rel, Expr::Const(Const::Int(p), _), kind]) if *p >= 1 => {
                if let (Some(rel), Some(kind)) = (sym(rel), sym(kind)) {
                    any = true;
                    let at = usize::try_from(*p - 1).unwrap_or(usize::MAX);
                    d.positions.insert((rel, at), kind);
                    continue;
                }
                diags.push(bad_position(a));
            }
            (POSITION, _) => diags.push(bad_position(a)),
            (SYMBOL, [kind, symbol, _]) => {
                if let (Some(kind), Some(symbol)) = (sym(kind), sym(symbol)) {
                    any = true;
                    d.symbols
                        .entry(kind)
                        .or_default()
                        .entry(symbol)
                        .or_insert(symbol_span(a));
                }
            }
            _ => {}
        }
    }
    any.then_some(d)
}

/// Where a `vocabulary(Kind, Symbol, _)` fact names its symbol.
fn symbol_span(a: &Atom) -> Span {
    a.args.get(1).map_or(a.span, Expr::span)
}

fn bad_position(a: &Atom) -> Diagnostic {
    Diagnostic::warning(
        Code::UndeclaredSymbol,
        a.span,
        format!("`{POSITION}` takes a relation, an argument position from 1 and a kind"),
    )
    .with_hint("write e.g. `vocabulary_position(caveat, 3, caveat_kind).`")
}

/// Spreads kinds from positive body atoms to the head positions their variables are copied to,
/// transitively (a breadth-first walk over "copied into" edges, linear in the program). A
/// declared position keeps its declared kind.
fn spread<'a>(rules: &[&'a Rule], positions: &mut Positions<'a>) {
    let mut edges: HashMap<(&'a str, usize), Vec<(&'a str, usize)>> = HashMap::new();
    for rule in rules.iter().filter(|r| !r.is_fact()) {
        let mut heads: HashMap<&str, Vec<usize>> = HashMap::new();
        for (j, h) in rule.head.args.iter().enumerate() {
            if let Some(x) = h.var_name() {
                heads.entry(x).or_default().push(j);
            }
        }
        if heads.is_empty() {
            continue;
        }
        for u in rule_atoms(rule) {
            if !matches!(u.role, super::Role::Pos | super::Role::AggPos) {
                continue;
            }
            for (i, arg) in u.atom.args.iter().enumerate() {
                let Some(js) = arg.var_name().and_then(|x| heads.get(x)) else {
                    continue;
                };
                let from = edges.entry((u.atom.pred.name.as_str(), i)).or_default();
                from.extend(js.iter().map(|&j| (rule.head.pred.name.as_str(), j)));
            }
        }
    }
    // Sorted, so that a position two kinds reach gets the same one on every run.
    let mut start: Vec<(&'a str, usize)> = positions.keys().copied().collect();
    start.sort_unstable();
    let mut queue = VecDeque::from(start);
    while let Some(at) = queue.pop_front() {
        let kind = positions[&at];
        for &to in edges.get(&at).into_iter().flatten() {
            if let Entry::Vacant(e) = positions.entry(to) {
                e.insert(kind);
                queue.push_back(to);
            }
        }
    }
}

/// "caveat kind" for `caveat_kind`.
fn kind_words(kind: &str) -> String {
    kind.replace('_', " ")
}

/// `undeclared_symbol` for every constant in a vocabulary position that its kind lacks.
fn undeclared(rules: &[&Rule], declared: &Declared<'_>, diags: &mut Vec<Diagnostic>) {
    let empty = BTreeMap::new();
    let mut suggested = 0;
    for rule in rules {
        for u in rule_atoms(rule) {
            for (i, arg) in u.atom.args.iter().enumerate() {
                let Expr::Const(c, span) = arg else { continue };
                let Some(&kind) = declared.positions.get(&(u.atom.pred.name.as_str(), i)) else {
                    continue;
                };
                let known = declared.symbols.get(kind).unwrap_or(&empty);
                if matches!(c, Const::Str(s) if known.contains_key(&**s)) {
                    continue;
                }
                let mut d = Diagnostic::warning(
                    Code::UndeclaredSymbol,
                    *span,
                    format!(
                        "`{c}` is not a declared {} (argument {} of `{}`), so no rule gives it a meaning",
                        kind_words(kind),
                        i + 1,
                        u.atom.pred.name
                    ),
                );
                suggested += 1;
                let near = match c {
                    Const::Str(s) if suggested <= MAX_SUGGESTIONS => {
                        did_you_mean(s, known.keys().copied())
                    }
                    _ => None,
                };
                d = match near {
                    Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                    None => d.with_hint(format!(
                        "the {}s are declared by `{SYMBOL}({kind}, Symbol, \"meaning\")` facts: use one of them, or declare a new one and give it a meaning in the rules",
                        kind_words(kind)
                    )),
                };
                diags.push(d);
            }
        }
    }
}

/// How the rules read one kind.
#[derive(Clone, Copy, Default)]
struct Reading {
    /// Some rule body reads a position of the kind with a constant.
    by_name: bool,
    /// Some rule body joins or compares a position of the kind.
    generic: bool,
}

/// `unread_symbol` for every declared symbol that the rules read by name and never name.
fn unread<'a>(rules: &[&'a Rule], declared: &Declared<'a>, diags: &mut Vec<Diagnostic>) {
    let mut reading: HashMap<&str, Reading> = HashMap::new();
    let mut named: HashSet<&str> = HashSet::new();
    for rule in rules.iter().filter(|r| !r.is_fact()) {
        let shared = shared_variables(rule);
        for u in rule_atoms(rule) {
            for (i, arg) in u.atom.args.iter().enumerate() {
                arg_symbols(arg, &mut named);
                if !u.role.in_body() {
                    continue;
                }
                let Some(&kind) = declared.positions.get(&(u.atom.pred.name.as_str(), i)) else {
                    continue;
                };
                let r = reading.entry(kind).or_default();
                match arg {
                    Expr::Const(..) => r.by_name = true,
                    Expr::Var(x)
                        if matches!(u.role, super::Role::Pos | super::Role::AggPos)
                            && shared.contains(x.name.as_str()) =>
                    {
                        r.generic = true;
                    }
                    _ => {}
                }
            }
        }
        body_symbols(&rule.body, &mut named);
    }
    for (&kind, symbols) in &declared.symbols {
        let r = reading.get(kind).copied().unwrap_or_default();
        if r.generic || !r.by_name {
            continue;
        }
        for (&symbol, span) in symbols {
            if named.contains(symbol) {
                continue;
            }
            diags.push(
                Diagnostic::warning(
                    Code::UnreadSymbol,
                    *span,
                    format!(
                        "no rule reads the {} `{symbol}`, so the facts that use it change no answer",
                        kind_words(kind)
                    ),
                )
                .with_hint(format!(
                    "the rules tell {}s apart by name: name `{symbol}` in a rule that gives it its meaning, or remove it from the vocabulary and the facts",
                    kind_words(kind)
                )),
            );
        }
    }
}

/// Variables of a rule that occur in two or more positive body atoms (inside aggregates too),
/// or in a comparison or an aggregate's terms: their values are compared, not just copied.
fn shared_variables(rule: &Rule) -> BTreeSet<&str> {
    let mut atoms: HashMap<&str, usize> = HashMap::new();
    let mut compared = BTreeSet::new();
    fn walk<'a>(
        items: &'a [BodyItem],
        atoms: &mut HashMap<&'a str, usize>,
        compared: &mut BTreeSet<&'a str>,
    ) {
        for item in items {
            match item {
                BodyItem::Pos(a) => {
                    let mut seen = BTreeSet::new();
                    for arg in &a.args {
                        arg.for_each_var(&mut |v| {
                            seen.insert(v.name.as_str());
                        });
                    }
                    for v in seen {
                        *atoms.entry(v).or_insert(0) += 1;
                    }
                }
                BodyItem::Neg(..) => {}
                BodyItem::Cmp { lhs, rhs, .. } => {
                    lhs.for_each_var(&mut |v| {
                        compared.insert(v.name.as_str());
                    });
                    rhs.for_each_var(&mut |v| {
                        compared.insert(v.name.as_str());
                    });
                }
                BodyItem::Agg(g) => {
                    for t in &g.terms {
                        t.for_each_var(&mut |v| {
                            compared.insert(v.name.as_str());
                        });
                    }
                    walk(&g.body, atoms, compared);
                }
            }
        }
    }
    walk(&rule.body, &mut atoms, &mut compared);
    compared.extend(atoms.into_iter().filter(|(_, n)| *n > 1).map(|(v, _)| v));
    compared
}

fn arg_symbols<'a>(e: &'a Expr, out: &mut HashSet<&'a str>) {
    match e {
        Expr::Const(Const::Str(s), _) => {
            out.insert(s);
        }
        Expr::Binary { lhs, rhs, .. } => {
            arg_symbols(lhs, out);
            arg_symbols(rhs, out);
        }
        Expr::Neg(inner, _) => arg_symbols(inner, out),
        _ => {}
    }
}

/// Symbols in comparisons and aggregate terms (atoms are walked by the caller).
fn body_symbols<'a>(items: &'a [BodyItem], out: &mut HashSet<&'a str>) {
    for item in items {
        match item {
            BodyItem::Cmp { lhs, rhs, .. } => {
                arg_symbols(lhs, out);
                arg_symbols(rhs, out);
            }
            BodyItem::Agg(g) => {
                g.terms.iter().for_each(|t| arg_symbols(t, out));
                body_symbols(&g.body, out);
            }
            BodyItem::Pos(_) | BodyItem::Neg(..) => {}
        }
    }
}

#[cfg(test)]
#[path = "vocabulary_tests.rs"]
mod tests;
