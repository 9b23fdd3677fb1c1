//! The `datafrog` variables of a stratum: one per relation, view and intermediate, each of the
//! width it needs.
//!
//! `datafrog` variables are typed; Pacta's relations get their width at run time. Each one is a
//! `Variable<[Val; N]>` for its width `N` (so tuples are plain arrays, sorted and deduplicated
//! by `datafrog` exactly as in a hand-written program), hidden behind the object-safe
//! [`DynVar`], whose batches the operators read as flat [`Rows`]. [`Vars`] holds a stratum's
//! variables: `stratum` creates and fills them, `rule` joins them.

use super::leap::DynLeapers;
use super::rows::Rows;
use crate::intern::Val;
use crate::plan::{PredId, ViewId};
use datafrog::{Iteration, Relation, Variable};
use rustc_hash::FxHashMap;

/// Where each relation, view and intermediate of the stratum lives.
pub(super) struct Vars {
    /// Predicate of this stratum → its variable.
    pub preds: FxHashMap<PredId, Box<dyn DynVar>>,
    /// View → its own variable, unless it is a predicate's identity view.
    pub views: FxHashMap<ViewId, Box<dyn DynVar>>,
    /// Identity views of this stratum's predicates.
    pub aliases: FxHashMap<ViewId, PredId>,
    /// (rule index, stage index) → intermediate variable.
    pub stages: FxHashMap<(usize, usize), Box<dyn DynVar>>,
}

impl Vars {
    /// Bytes of the largest variable (all its batches): what one `datafrog` merge may copy.
    pub fn largest_bytes(&self) -> usize {
        let all = self
            .preds
            .values()
            .chain(self.views.values())
            .chain(self.stages.values());
        all.map(|v| v.count() * v.width() * size_of::<Val>())
            .max()
            .unwrap_or(0)
    }

    /// The variable of view `v`: its own, or its predicate's for an identity view.
    pub fn view(&self, v: ViewId) -> &dyn DynVar {
        match self.aliases.get(&v) {
            Some(p) => &*self.preds[p],
            None => &*self.views[&v],
        }
    }
}

/// A `datafrog` variable of some width, with flat access for the operators.
pub trait DynVar {
    /// Values per row.
    fn width(&self) -> usize;
    /// Calls `f` with the tuples added in the last round.
    fn with_recent(&self, f: &mut dyn FnMut(Rows<'_>));
    /// Calls `f` with the batches of older tuples.
    fn with_stable(&self, f: &mut dyn FnMut(&[Rows<'_>]));
    /// Adds `len` rows from a flat buffer (sorted and deduplicated by `datafrog`).
    fn insert_flat(&self, data: &[Val], len: usize);
    /// Adds `len` rows that are already sorted and distinct (no sort, no deduplication).
    fn insert_sorted(&self, data: &[Val], len: usize);
    /// Adds `len` rows from a flat buffer it takes over: the buffer becomes the rows without a
    /// copy when its capacity is a whole number of rows (see `bytemuck::allocation`).
    fn insert_vec(&self, data: Vec<Val>, len: usize);
    /// Number of tuples in all batches (stable and recent), for limits.
    fn count(&self) -> usize;
    /// Leapjoin of the tuples added in the last round with `leapers`; calls `f` with each
    /// source row and each value all leapers agree on.
    fn leapjoin(&self, leapers: &mut DynLeapers<'_>, f: &mut dyn FnMut(&[Val], Val));
    /// Ends the iteration and returns every tuple, sorted, as a flat vector.
    fn complete(self: Box<Self>) -> (Vec<Val>, usize);
}

impl<const N: usize> DynVar for Variable<[Val; N]> {
    fn width(&self) -> usize {
        N
    }

    fn with_recent(&self, f: &mut dyn FnMut(Rows<'_>)) {
        let recent = self.recent.borrow();
        f(rows(&recent.elements));
    }

    fn with_stable(&self, f: &mut dyn FnMut(&[Rows<'_>])) {
        let stable = self.stable.borrow();
        let batches: Vec<Rows<'_>> = stable.iter().map(|r| rows(&r.elements)).collect();
        f(&batches);
    }

    fn insert_flat(&self, data: &[Val], len: usize) {
        if len == 0 {
            return;
        }
        let tuples: Vec<[Val; N]> = if N == 0 {
            vec![[0; N]; 1]
        } else {
            data.chunks_exact(N)
                .map(|c| c.try_into().expect("chunk of width N"))
                .collect()
        };
        self.insert(sorted_relation(tuples));
    }

    fn insert_sorted(&self, data: &[Val], len: usize) {
        if len == 0 || N == 0 {
            return self.insert_flat(data, len);
        }
        let elements: Vec<[Val; N]> = data
            .chunks_exact(N)
            .map(|c| c.try_into().expect("chunk of width N"))
            .collect();
        debug_assert!(elements.windows(2).all(|w| w[0] < w[1]));
        self.insert(Relation { elements });
    }

    fn insert_vec(&self, data: Vec<Val>, len: usize) {
        if len == 0 || N == 0 {
            return self.insert_flat(&data, len);
        }
        match bytemuck::allocation::try_cast_vec::<Val, [Val; N]>(data) {
            Ok(tuples) => self.insert(sorted_relation(tuples)),
            Err((_, data)) => self.insert_flat(&data, len),
        }
    }

    fn count(&self) -> usize {
        let stable: usize = self.stable.borrow().iter().map(|r| r.len()).sum();
        stable + self.recent.borrow().len()
    }

    fn leapjoin(&self, leapers: &mut DynLeapers<'_>, f: &mut dyn FnMut(&[Val], Val)) {
        let recent = self.recent.borrow();
        // The results go to `f`; the relation of `()` it returns costs nothing.
        let _: Relation<()> = Relation::from_leapjoin(&recent, leapers, |t, v| f(t, *v));
    }

    fn complete(self: Box<Self>) -> (Vec<Val>, usize) {
        let rel = (*self).complete();
        let len = rel.elements.len();
        (rel.elements.as_flattened().to_vec(), len)
    }
}

/// Below this many tuples a comparison sort beats radix sorting.
const RADIX_MIN: usize = 256;

/// A relation of `tuples`, radix-sorted first. `Relation::from_vec` sorts with the standard
/// library's comparison sort, which was half of all instructions on the benchmark workloads
/// (datafrog keeps every candidate of a round and sorts them); an LSD radix sort that skips
/// the bytes all keys share is several times faster on interned `u32` values, and leaves
/// `from_vec` one linear pass over an already sorted vector (plus its deduplication).
fn sorted_relation<const N: usize>(mut tuples: Vec<[Val; N]>) -> Relation<[Val; N]> {
    if tuples.len() >= RADIX_MIN {
        radix_sort(&mut tuples);
    }
    Relation::from_vec(tuples)
}

/// Sorts `tuples` lexicographically (stable LSD radix passes).
fn radix_sort<const N: usize>(tuples: &mut [[Val; N]]) {
    match N {
        0 => {}
        1 => radsort::sort_by_key(tuples, |t| t[0]),
        2 => radsort::sort_by_key(tuples, |t| (u64::from(t[0]) << 32) | u64::from(t[1])),
        // One stable pass per column, least significant column first.
        _ => (0..N)
            .rev()
            .for_each(|c| radsort::sort_by_key(tuples, |t| t[c])),
    }
}

fn rows<const N: usize>(tuples: &[[Val; N]]) -> Rows<'_> {
    Rows {
        data: tuples.as_flattened(),
        width: N,
        len: tuples.len(),
    }
}

/// Widest row Pacta stores; wider relations or bindings are reported as unsupported.
pub const MAX_WIDTH: usize = 32;

/// A new variable of `width` registered with `iteration`, or `None` when it is too wide.
pub fn new_var(iteration: &mut Iteration, width: usize) -> Option<Box<dyn DynVar>> {
    macro_rules! widths {
        ($($n:literal)*) => {
            match width {
                $($n => Some(Box::new(iteration.variable::<[Val; $n]>("v")) as Box<dyn DynVar>),)*
                _ => None,
            }
        };
    }
    widths!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The radix pre-sort must give exactly what a comparison sort gives, for every width
    /// path (1, 2 and the per-column passes) and for values using all four bytes.
    fn radix_agrees<const N: usize>(values: Vec<[Val; N]>) {
        let mut expected = values.clone();
        expected.sort();
        let mut radix = values.clone();
        radix_sort(&mut radix);
        assert_eq!(radix, expected);
        expected.dedup();
        assert_eq!(sorted_relation(values).elements, expected);
    }

    proptest::proptest! {
        #[test]
        fn radix_presort_matches_comparison_sort(
            narrow in proptest::collection::vec(0u32..50, 0..2000),
            wide in proptest::collection::vec(proptest::num::u32::ANY, 0..2000),
        ) {
            let pick = |i: usize| if i.is_multiple_of(3) { wide[i % wide.len().max(1)] } else { narrow[i] };
            let n = if wide.is_empty() { 0 } else { narrow.len() };
            radix_agrees((0..n).map(|i| [pick(i)]).collect());
            radix_agrees((0..n).map(|i| [pick(i), narrow[(i * 7) % n]]).collect());
            radix_agrees((0..n).map(|i| [narrow[(i * 3) % n], pick(i), narrow[i] % 3]).collect());
            radix_agrees((0..n).map(|i| [narrow[i] % 2, narrow[(i * 5) % n], pick(i), 1]).collect());
        }
    }
}
