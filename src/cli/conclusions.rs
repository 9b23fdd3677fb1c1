//! Streaming a defeasible theory's conclusions in every output format: JSON, counts, tables
//! and CSV.
//!
//! A ground theory can have millions of literals (one relation each, in a chain of rules
//! without variables). Building the whole [`crate::defeasible::output::ConclusionModel`] (and
//! then a `serde_json::Value` tree of it) costs several times the theory's own memory; these
//! writers go relation by relation, in the model's order, and hold one relation's tuples at a
//! time. The bytes are exactly those of the model as printed before: for JSON, serialised by
//! `serde_json` (keys in sorted order) and passed through [`crate::text::json_safe`]; tables and
//! CSV as `cli::output` prints a model, kind by kind.

use crate::defeasible::{KINDS, Reasoned};
use crate::syntax::span::SourceMap;
use crate::value::Const;
use std::io::{self, Write};

/// Prints the four kinds as one JSON object `{kind: {relation: [tuple, ...]}}`, keys sorted,
/// with only the relations `wanted` accepts.
pub fn print_json(reasoned: &Reasoned, wanted: &dyn Fn(&str) -> bool) {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = write_json(&mut out, reasoned, wanted).and_then(|_| out.flush());
}

fn write_json(
    out: &mut impl Write,
    reasoned: &Reasoned,
    wanted: &dyn Fn(&str) -> bool,
) -> io::Result<()> {
    let (order, atoms) = shown_relations(reasoned, wanted);
    let names = &reasoned.grounded.relations;
    // serde_json's maps are sorted by key: the kinds in alphabetical order.
    let mut kinds: Vec<usize> = (0..KINDS.len()).collect();
    kinds.sort_by_key(|&k| KINDS[k]);
    out.write_all(b"{")?;
    for (i, &k) in kinds.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        json_string(out, KINDS[k])?;
        out.write_all(b":{")?;
        for (j, &(rel, neg)) in order.iter().enumerate() {
            if j > 0 {
                out.write_all(b",")?;
            }
            if neg {
                json_string(out, &literal_name(&names[rel], neg))?;
            } else {
                json_string(out, &names[rel])?;
            }
            out.write_all(b":[")?;
            for (t, tuple) in reasoned.tuples(&atoms[rel], neg, k).iter().enumerate() {
                if t > 0 {
                    out.write_all(b",")?;
                }
                json_tuple(out, tuple)?;
            }
            out.write_all(b"]")?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"}\n")
}

/// Prints `kind.relation<TAB>count` per kind and literal relation: every `p`, then every `~p`.
pub fn print_counts(reasoned: &Reasoned, wanted: &dyn Fn(&str) -> bool) {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let _ = write_counts(&mut out, reasoned, wanted).and_then(|_| out.flush());
}

fn write_counts(
    out: &mut impl Write,
    reasoned: &Reasoned,
    wanted: &dyn Fn(&str) -> bool,
) -> io::Result<()> {
    let counts = reasoned.counts();
    let names = &reasoned.grounded.relations;
    let mut shown = [Vec::new(), Vec::new()];
    for neg in [false, true] {
        shown[usize::from(neg)] = counts
            .iter()
            .filter(|(rel, _)| wanted(&literal_name(&names[*rel], neg)))
            .collect();
    }
    let mut num = itoa_buf();
    for (k, kind) in KINDS.iter().enumerate() {
        for (neg, rows) in shown.iter().enumerate() {
            for &&(rel, n) in rows {
                // Written piece by piece: `format!` per line is most of the time for millions.
                out.write_all(kind.as_bytes())?;
                out.write_all(if neg == 1 { b".~" } else { b"." })?;
                out.write_all(names[rel].as_bytes())?;
                out.write_all(b"\t")?;
                out.write_all(decimal(&mut num, n[neg][k]))?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

/// Prints each kind as `== kind` and its non-empty relations as tables, then the conflicts no
/// superiority resolves, with the rules on each side.
pub fn print_table(reasoned: &Reasoned, sources: &SourceMap, wanted: &dyn Fn(&str) -> bool) {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let _ = write_table(&mut out, reasoned, sources, wanted).and_then(|_| out.flush());
}

fn write_table(
    out: &mut impl Write,
    reasoned: &Reasoned,
    sources: &SourceMap,
    wanted: &dyn Fn(&str) -> bool,
) -> io::Result<()> {
    let (order, atoms) = shown_relations(reasoned, wanted);
    let names = &reasoned.grounded.relations;
    for (k, kind) in KINDS.iter().enumerate() {
        writeln!(out, "== {kind}")?;
        for &(rel, neg) in &order {
            let tuples = reasoned.tuples(&atoms[rel], neg, k);
            if tuples.is_empty() {
                continue;
            }
            let arity = tuples[0].len();
            let name = literal_name(&names[rel], neg);
            super::output::write_table(out, &name, arity, &tuples)?;
        }
    }
    let conflicts = reasoned.conflicts();
    writeln!(out, "== conflicts ({})", conflicts.len())?;
    for c in &conflicts {
        let lit = Const::Str(c.relation.clone().into());
        let args: Vec<String> = c.tuple.iter().map(|v| v.to_string()).collect();
        let shown = if args.is_empty() {
            lit.to_string()
        } else {
            format!("{lit}({})", args.join(", "))
        };
        writeln!(out, "  {shown} vs ~{shown}: no superiority decides between")?;
        for (side, rules) in [("for", &c.for_literal), ("against", &c.against)] {
            for &r in rules.iter() {
                writeln!(out, "    {side:<7} {}", rule_ref(reasoned, sources, r))?;
            }
        }
    }
    Ok(())
}

/// `label (file:line)` or `rule at file:line` for a ground rule.
fn rule_ref(reasoned: &Reasoned, sources: &SourceMap, rule: usize) -> String {
    let origin = &reasoned.grounded.origins[rule];
    let file = sources.get(origin.span.file);
    let (line, _) = file.line_col(origin.span.start as usize);
    match &origin.label {
        Some(l) => format!("{l} ({}:{line})", file.name),
        None => format!("rule at {}:{line}", file.name),
    }
}

/// Prints `kind,relation,value...` per literal of each kind (values as plain text, quoted as
/// CSV needs).
pub fn print_csv(reasoned: &Reasoned, wanted: &dyn Fn(&str) -> bool) {
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let _ = write_csv(&mut w, reasoned, wanted).and_then(|_| w.flush());
}

fn write_csv(
    w: &mut csv::Writer<impl Write>,
    reasoned: &Reasoned,
    wanted: &dyn Fn(&str) -> bool,
) -> io::Result<()> {
    let (order, atoms) = shown_relations(reasoned, wanted);
    let names = &reasoned.grounded.relations;
    let mut name = String::new();
    for (k, kind) in KINDS.iter().enumerate() {
        for &(rel, neg) in &order {
            let tuples = reasoned.tuples(&atoms[rel], neg, k);
            if tuples.is_empty() {
                continue;
            }
            name.clear();
            if neg {
                name.push('~');
            }
            name.push_str(&names[rel]);
            for t in &tuples {
                w.write_field(kind)?;
                w.write_field(&name)?;
                for c in t {
                    match c {
                        Const::Str(s) => w.write_field(&**s)?,
                        other => w.write_field(other.to_plain())?,
                    }
                }
                w.write_record(None::<&[u8]>)?;
            }
        }
    }
    Ok(())
}

/// The literal relations that `wanted` accepts, in name order, and the atoms of each relation.
#[allow(clippy::type_complexity)]
fn shown_relations(
    reasoned: &Reasoned,
    wanted: &dyn Fn(&str) -> bool,
) -> (Vec<(usize, bool)>, Vec<Vec<crate::defeasible::Lit>>) {
    let (order, atoms) = reasoned.literal_relations();
    let names = &reasoned.grounded.relations;
    let order = order
        .into_iter()
        .filter(|&(rel, neg)| wanted(&literal_name(&names[rel], neg)))
        .collect();
    (order, atoms)
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

/// `n` in decimal, in the end of `buf`.
fn decimal(buf: &mut [u8; 20], mut n: usize) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

fn literal_name(rel: &str, neg: bool) -> String {
    crate::defeasible::ground::literal_name(rel, neg)
}

/// A JSON string as serde_json writes it, made safe to print.
fn json_string(out: &mut impl Write, s: &str) -> io::Result<()> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'~' || b == b'-';
    if s.bytes().all(plain) {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        return out.write_all(b"\"");
    }
    let json = serde_json::to_string(s).map_err(io::Error::other)?;
    out.write_all(crate::text::json_safe(json).as_bytes())
}

fn json_tuple(out: &mut impl Write, tuple: &[Const]) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, c) in tuple.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        match c {
            Const::Int(n) => write!(out, "{n}")?,
            Const::Date(d) => json_string(out, &d.to_string())?,
            Const::Str(s) => json_string(out, s)?,
        }
    }
    out.write_all(b"]")
}
