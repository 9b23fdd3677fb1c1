//! Readable names for pictures: an instrument's short title from its `instrument(Id, Title)`
//! fact, a clause id as an article reference (`art42_7` → `Art 42(7)`), and where an attack on
//! forces took place. The ids stay in the data formats; only the drawings use these.

use super::graph::rel;
use crate::driver::Model;
use std::collections::BTreeMap;

/// Longest title drawn as is; longer ones use their abbreviation or the id.
const SHORT: usize = 32;

/// What the drawings need from the model besides the graph.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Short title by instrument id.
    pub titles: BTreeMap<String, String>,
    /// Full title by instrument id (for tooltips).
    pub full: BTreeMap<String, String>,
    /// Where the forces were when `(aggressor, state)` attacked a state's forces abroad.
    pub forces: BTreeMap<(String, String), String>,
}

impl Names {
    /// Reads `instrument/2` and `forces_attack/3` from the model.
    pub fn from_model(model: &Model) -> Names {
        let mut n = Names::default();
        for t in rel(model, "instrument").iter().filter(|t| t.len() == 2) {
            let (id, title) = (t[0].to_plain(), t[1].to_plain());
            n.titles.insert(id.clone(), short_title(&id, &title));
            n.full.insert(id, title);
        }
        for t in rel(model, "forces_attack").iter().filter(|t| t.len() == 3) {
            n.forces
                .insert((t[0].to_plain(), t[1].to_plain()), t[2].to_plain());
        }
        n
    }

    /// The short title of `id`, or the id with spaces when the KB has no title.
    pub fn title(&self, id: &str) -> String {
        self.titles
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.replace('_', " "))
    }
}

/// A title short enough to draw: its final abbreviation in brackets ("… (Warsaw Treaty)"), else
/// the part before the first bracket or comma if short, else the id with spaces.
pub fn short_title(id: &str, title: &str) -> String {
    let t = title.trim();
    if let Some(open) = t.rfind(" (")
        && t.ends_with(')')
    {
        let inner = &t[open + 2..t.len() - 1];
        if !inner.is_empty() && inner.len() <= SHORT && !inner.chars().any(|c| c.is_ascii_digit()) {
            return inner.trim_matches('"').to_string();
        }
    }
    let head = t.split([',', '(']).next().unwrap_or("").trim();
    if !head.is_empty() && head.chars().count() <= SHORT {
        head.to_string()
    } else {
        id.replace('_', " ")
    }
}

/// A clause id as a reference: `art5` → `Art 5`, `art42_7` → `Art 42(7)`, `art222_1` →
/// `Art 222(1)`; other ids (`consult`, `para4`) as they are, with spaces.
pub fn clause_ref(c: &str) -> String {
    if let Some(rest) = c.strip_prefix("art")
        && rest.starts_with(|ch: char| ch.is_ascii_digit())
    {
        let mut parts = rest.split('_');
        let num = parts.next().unwrap_or_default();
        let mut out = format!("Art {num}");
        for p in parts {
            if p.chars().all(|ch| ch.is_ascii_digit()) && p.len() <= 2 {
                out.push_str(&format!("({p})"));
            } else {
                out.push(' ');
                out.push_str(p);
            }
        }
        return out;
    }
    c.replace('_', " ")
}

/// The clause ids named by evidence lines (`instrument clause (fidelity; source): "text"`).
pub fn evidence_clauses(instrument: &str, evidence: &[String]) -> Vec<String> {
    let mut out: Vec<String> = evidence
        .iter()
        .filter_map(|e| e.strip_prefix(instrument)?.strip_prefix(' '))
        .filter_map(|rest| rest.split(' ').next())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_references() {
        let cases = [
            (
                "warsaw_treaty",
                "Treaty of Friendship, Co-operation and Mutual Assistance (Warsaw Treaty)",
                "Warsaw Treaty",
            ),
            (
                "treaty_on_european_union",
                "Treaty on European Union (Lisbon version), Article 42(7)",
                "Treaty on European Union",
            ),
            ("x", "Treaty of London (19 Apr 1839)", "Treaty of London"),
            (
                "north_atlantic_treaty",
                "North Atlantic Treaty",
                "North Atlantic Treaty",
            ),
            (
                "germany_ukraine_agreement_2024",
                "Agreement on security cooperation and long-term support between Germany and Ukraine",
                "germany ukraine agreement 2024",
            ),
        ];
        for (id, title, want) in cases {
            assert_eq!(short_title(id, title), want);
        }
        assert_eq!(clause_ref("art5"), "Art 5");
        assert_eq!(clause_ref("art42_7"), "Art 42(7)");
        assert_eq!(clause_ref("art4_consult"), "Art 4 consult");
        assert_eq!(clause_ref("para4"), "para4");
        let ev = vec!["t art5 (verbatim; x): \"a b\"".to_string()];
        assert_eq!(evidence_clauses("t", &ev), ["art5"]);
    }
}
