//! One semi-naive variable: the rows of a relation, view or intermediate of width `N`, as
//! `datafrog` keeps them — stable batches, the rows new in the last round, the rows derived in
//! this one — but merged in place and deduplicated as they are produced.
//!
//! The life of a row is `datafrog`'s (`Variable`): derived in a round (here into [`Distinct`],
//! sorted and deduplicated chunk by chunk as the joins write them), *recent* for the next round
//! if it is not already known, then *stable*. `datafrog`'s own `Variable` keeps every batch
//! handed to it until the round ends and merges into fresh buffers (the old ones held beside
//! the new), which made the candidates of a round and those merges the peak memory of the
//! process; [`Var::changed`] does the same steps with in-place unions (`dedup::union_rows`).
//! Recent rows are still a `datafrog::Relation`, so `datafrog`'s leapjoin runs on them.

use super::Guard;
use super::dedup::{Distinct, sort_dedup, union_rows};
use super::dense::{Bounds, Dense};
use super::leap::DynLeapers;
use super::rows::Rows;
use super::vars::DynVar;
use crate::intern::Val;
use datafrog::Relation;
use std::cell::RefCell;

/// The rows of one variable of width `N`.
pub(super) struct Var<const N: usize> {
    /// Sorted, distinct batches known before the last round, disjoint, each more than twice
    /// the size of the next (so few batches, and merging one in costs about its size).
    stable: RefCell<Vec<Vec<[Val; N]>>>,
    /// Rows new in the last round: sorted, distinct, in no stable batch.
    recent: RefCell<Relation<[Val; N]>>,
    /// Rows derived in this round so far that the bitmap (if any) did not sort out.
    pending: RefCell<Distinct<N>>,
    /// The bitmap of known rows, and the rows it found new this round.
    seen: RefCell<Seen<N>>,
}

/// Deduplication by bitmap (`dense`): the rows known, and the new ones of the round.
struct Seen<const N: usize> {
    /// The bitmap of every known row inside its box (stable, recent, and those of this round
    /// the bitmap found new), once built.
    dense: Option<Dense<N>>,
    /// The range of every column over the stable and recent rows, for the bitmap's box.
    bounds: Bounds<N>,
}

impl<const N: usize> Seen<N> {
    /// The rows the bitmap found new in this round, sorted; `None` when memory runs out.
    fn take_fresh(&mut self, guard: &Guard<'_>) -> Option<Vec<[Val; N]>> {
        let mut fresh = Vec::new();
        if let Some(d) = &mut self.dense {
            if !guard.reserve(&mut fresh, d.fresh()) {
                return None;
            }
            d.take_fresh(&mut fresh);
        }
        Some(fresh)
    }
}

impl<const N: usize> Default for Var<N> {
    fn default() -> Self {
        Var {
            stable: RefCell::default(),
            recent: RefCell::new(Relation {
                elements: Vec::new(),
            }),
            pending: RefCell::default(),
            seen: RefCell::new(Seen {
                dense: None,
                bounds: Bounds::default(),
            }),
        }
    }
}

impl<const N: usize> Var<N> {
    /// Takes rows derived this round: the bitmap, when there is one, keeps those it has not
    /// seen; the rest (all of them without a bitmap) are sorted and deduplicated into
    /// `pending`. `false` (the reason is in `guard`) when memory runs out.
    fn take(&self, rows: &mut [[Val; N]], guard: &Guard<'_>) -> bool {
        let rest = match &mut self.seen.borrow_mut().dense {
            Some(d) => d.filter(rows),
            None => rows.len(),
        };
        rest == 0 || self.pending.borrow_mut().absorb(&mut rows[..rest], guard)
    }

    /// Builds the bitmap when there is none yet, or rebuilds it over a wider box when rows
    /// fell outside it, if it is no larger than the rows it would index. A refused bitmap
    /// is no error: rows are then sorted and merged, as without one.
    fn index(&self, stable: &[Vec<[Val; N]>], recent: &[[Val; N]], guard: &Guard<'_>) {
        let mut seen = self.seen.borrow_mut();
        if seen.dense.as_ref().is_some_and(|d| !d.overflowed) {
            return;
        }
        let Some((lo, span, bits)) = Dense::plan(&seen.bounds, seen.dense.as_ref()) else {
            return;
        };
        let rows = stable.iter().map(Vec::len).sum::<usize>() + recent.len();
        let bytes = Dense::<N>::bytes(bits);
        if bytes > size_of::<[Val; N]>() * rows || guard.room(bytes).is_err() {
            return;
        }
        let Some(mut dense) = Dense::new(lo, span, bits) else {
            return;
        };
        for r in stable.iter().flatten().chain(recent) {
            dense.mark(r);
        }
        seen.dense = Some(dense);
    }
}

impl<const N: usize> DynVar for Var<N> {
    fn width(&self) -> usize {
        N
    }

    fn with_recent(&self, f: &mut dyn FnMut(Rows<'_>)) {
        let recent = self.recent.borrow();
        f(rows(&recent.elements));
    }

    fn with_stable(&self, f: &mut dyn FnMut(&[Rows<'_>])) {
        let stable = self.stable.borrow();
        let batches: Vec<Rows<'_>> = stable.iter().map(|r| rows(r)).collect();
        f(&batches);
    }

    fn insert_vec(&self, data: Vec<Val>, len: usize, guard: &Guard<'_>) -> bool {
        if len == 0 {
            return true;
        }
        let mut tuples: Vec<[Val; N]> = if N == 0 {
            vec![[0; N]; 1]
        } else {
            match bytemuck::allocation::try_cast_vec::<Val, [Val; N]>(data) {
                Ok(mut tuples) => {
                    tuples.truncate(len);
                    tuples
                }
                // The capacity is not a whole number of rows: copied.
                Err((_, data)) => data[..len * N]
                    .chunks_exact(N)
                    .map(|c| c.try_into().expect("chunk of width N"))
                    .collect(),
            }
        };
        if self.seen.borrow().dense.is_some() {
            return self.take(&mut tuples, guard);
        }
        // The radix sort's scratch.
        if !guard.fits(size_of_val(tuples.as_slice())) {
            return false;
        }
        let k = sort_dedup(&mut tuples);
        tuples.truncate(k);
        tuples.shrink_to_fit();
        self.pending.borrow_mut().push(tuples, guard)
    }

    fn insert_sorted(&self, data: &[Val], len: usize, guard: &Guard<'_>) -> bool {
        if len == 0 || N == 0 {
            return self.insert_vec(data.to_vec(), len, guard);
        }
        if !guard.fits(size_of_val(data)) {
            return false;
        }
        let tuples: Vec<[Val; N]> = data[..len * N]
            .chunks_exact(N)
            .map(|c| c.try_into().expect("chunk of width N"))
            .collect();
        debug_assert!(tuples.windows(2).all(|w| w[0] < w[1]));
        let mut tuples = tuples;
        if self.seen.borrow().dense.is_some() {
            return self.take(&mut tuples, guard);
        }
        self.pending.borrow_mut().push(tuples, guard)
    }

    fn absorb(&self, chunk: &mut Vec<Val>, len: usize, guard: &Guard<'_>) -> Option<usize> {
        let kept = if N == 0 {
            // Rows of width 0 have no values: `len` of them are the one empty row.
            len == 0 || self.pending.borrow_mut().absorb(&mut [[0; N]], guard)
        } else {
            self.take(bytemuck::cast_slice_mut(&mut chunk[..len * N]), guard)
        };
        chunk.clear();
        let fresh = self.seen.borrow().dense.as_ref().map_or(0, Dense::fresh);
        let rows = self.pending.borrow().len() + fresh;
        kept.then_some(rows * N)
    }

    fn changed(&self, guard: &Guard<'_>) -> Option<bool> {
        let mut stable = self.stable.borrow_mut();
        // 1. The last round's rows join the stable ones, merging batches no longer more than
        //    twice as large as the rows merged into them.
        let mut recent = std::mem::take(&mut self.recent.borrow_mut().elements);
        if !recent.is_empty() {
            while stable.last().is_some_and(|b| b.len() <= 2 * recent.len()) {
                let last = stable.pop().expect("a last batch");
                if !union_rows(&mut recent, last, guard) {
                    return None;
                }
            }
            stable.push(recent);
        }
        // 2. This round's rows, less those already known, become the recent ones: those the
        //    bitmap found new are new, the others are checked against the stable batches.
        let mut new = self.pending.borrow_mut().finish();
        for batch in stable.iter() {
            retain_absent(&mut new, batch);
        }
        let fresh = self.seen.borrow_mut().take_fresh(guard)?;
        if !union_rows(&mut new, fresh, guard) {
            return None;
        }
        self.seen.borrow_mut().bounds.extend(&new);
        self.index(&stable, &new, guard);
        let changed = !new.is_empty();
        self.recent.borrow_mut().elements = new;
        Some(changed)
    }

    fn count(&self) -> usize {
        let stable: usize = self.stable.borrow().iter().map(Vec::len).sum();
        stable + self.recent.borrow().len()
    }

    fn leapjoin(&self, leapers: &mut DynLeapers<'_>, f: &mut dyn FnMut(&[Val], Val)) {
        let recent = self.recent.borrow();
        // The results go to `f`; the relation of `()` it returns costs nothing.
        let _: Relation<()> = Relation::from_leapjoin(&recent, leapers, |t, v| f(t, *v));
    }

    fn complete(self: Box<Self>, guard: &Guard<'_>) -> Option<(Vec<Val>, usize)> {
        let Var {
            stable,
            recent,
            pending,
            seen,
        } = *self;
        let mut batches = stable.into_inner();
        batches.push(recent.into_inner().elements);
        batches.push(pending.into_inner().finish());
        batches.push(seen.into_inner().take_fresh(guard)?);
        let mut all = Vec::new();
        // Smallest first (the batches shrink geometrically), so every merge costs about the
        // rows merged so far, and all of them about twice the result.
        for batch in batches.into_iter().rev() {
            if !union_rows(&mut all, batch, guard) {
                return None;
            }
        }
        let len = all.len();
        // Handed over without a copy (a copy held the result twice).
        let flat = match bytemuck::allocation::try_cast_vec::<[Val; N], Val>(all) {
            Ok(flat) => flat,
            Err((_, all)) => all.as_flattened().to_vec(),
        };
        Some((flat, len))
    }
}

/// Keeps the rows of sorted `new` that are not in sorted `batch` (`datafrog`'s step): a
/// merge walk when the two are of similar size, galloping through a much larger batch.
fn retain_absent<T: Ord>(new: &mut Vec<T>, batch: &[T]) {
    let mut rest = batch;
    if batch.len() > 4 * new.len() {
        new.retain(|x| {
            rest = &rest[gallop(rest, x)..];
            rest.first() != Some(x)
        });
    } else {
        new.retain(|x| {
            let skip = rest.iter().take_while(|y| *y < x).count();
            rest = &rest[skip..];
            rest.first() != Some(x)
        });
    }
}

/// The first index of sorted `s` whose element is not less than `x`: exponential steps, then
/// a binary search, so a probe far ahead costs a logarithm and a near one a step.
fn gallop<T: Ord>(s: &[T], x: &T) -> usize {
    let mut step = 1;
    let mut lo = 0;
    if s.first().is_none_or(|y| y >= x) {
        return 0;
    }
    // Invariant: s[lo] < x.
    while lo + step < s.len() && s[lo + step] < *x {
        lo += step;
        step <<= 1;
    }
    let hi = (lo + step).min(s.len());
    lo + 1 + s[lo + 1..hi].partition_point(|y| y < x)
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

/// A new variable of `width`, or `None` when it is too wide.
pub fn new_var(width: usize) -> Option<Box<dyn DynVar>> {
    macro_rules! widths {
        ($($n:literal)*) => {
            match width {
                $($n => Some(Box::new(Var::<$n>::default()) as Box<dyn DynVar>),)*
                _ => None,
            }
        };
    }
    widths!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Limits;
    use std::collections::BTreeSet;

    fn all<const N: usize>(v: &Var<N>) -> BTreeSet<[Val; N]> {
        let mut out = BTreeSet::new();
        v.with_stable(&mut |batches| {
            for b in batches {
                out.extend(
                    b.data
                        .chunks_exact(N)
                        .map(|c| <[Val; N]>::try_from(c).unwrap()),
                );
            }
        });
        v.with_recent(&mut |r| {
            out.extend(
                r.data
                    .chunks_exact(N)
                    .map(|c| <[Val; N]>::try_from(c).unwrap()),
            );
        });
        out
    }

    proptest::proptest! {
        /// Rounds of derived rows (with repeats, inside a round and across rounds), through
        /// every way in, with values that spread further each round (so that the bitmap, once
        /// built, meets rows outside its box and is rebuilt): each round's recent rows are
        /// exactly the rows not known before, the stable batches stay disjoint, and `complete`
        /// returns the sorted set of everything derived.
        #[test]
        fn rounds_keep_new_rows_once(
            rounds in proptest::collection::vec(proptest::collection::vec(0u32..400, 0..600), 1..8),
            spread in 0u32..300,
        ) {
            let limits = Limits::default();
            let guard = Guard::new(&limits);
            let var = Var::<2>::default();
            let mut known: BTreeSet<[Val; 2]> = BTreeSet::new();
            for (i, round) in rounds.iter().enumerate() {
                let shift = spread * i as u32;
                let row = |v: u32| [v % 7 + shift, v / 7 + shift / 2];
                let mut chunk: Vec<Val> = round.iter().flat_map(|&v| row(v)).collect();
                let (half, quarter) = (round.len() / 2, round.len() / 4);
                let mut first: Vec<Val> = chunk.drain(..half * 2).collect();
                assert!(var.absorb(&mut first, half, &guard).is_some());
                let mut sorted: Vec<[Val; 2]> = round[half..half + quarter].iter().map(|&v| row(v)).collect();
                sorted.sort();
                sorted.dedup();
                assert!(var.insert_sorted(sorted.as_flattened(), sorted.len(), &guard));
                let rest: Vec<Val> = chunk.split_off(quarter * 2);
                assert!(var.insert_vec(rest, round.len() - half - quarter, &guard));
                let fresh: BTreeSet<[Val; 2]> =
                    round.iter().map(|&v| row(v)).filter(|r| !known.contains(r)).collect();
                assert_eq!(var.changed(&guard), Some(!fresh.is_empty()));
                let recent: Vec<[Val; 2]> = var.recent.borrow().elements.clone();
                assert_eq!(recent, fresh.iter().copied().collect::<Vec<_>>());
                known.extend(fresh);
                assert_eq!(all(&var), known);
                let sizes: usize = var.stable.borrow().iter().map(Vec::len).sum();
                assert_eq!(sizes + recent.len(), known.len(), "batches are disjoint");
            }
            assert_eq!(var.changed(&guard), Some(false));
            let (flat, len) = Box::new(var).complete(&guard).unwrap();
            assert_eq!(len, known.len());
            assert_eq!(flat, known.iter().flatten().copied().collect::<Vec<_>>());
        }

        #[test]
        fn retain_absent_removes_exactly_the_batch(
            new in proptest::collection::btree_set(0u32..2000, 0..300),
            batch in proptest::collection::btree_set(0u32..2000, 0..1500),
        ) {
            let mut kept: Vec<u32> = new.iter().copied().collect();
            let batch: Vec<u32> = batch.into_iter().collect();
            retain_absent(&mut kept, &batch);
            let expected: Vec<u32> = new.iter().copied().filter(|x| batch.binary_search(x).is_err()).collect();
            assert_eq!(kept, expected);
        }
    }

    /// A dense relation gets its bitmap once its rows outweigh it, and a wider one when rows
    /// turn up outside its box; rows derived again are then dropped by the bitmap alone.
    #[test]
    fn the_bitmap_is_built_and_widened() {
        let limits = Limits::default();
        let guard = Guard::new(&limits);
        let var = Var::<2>::default();
        let square = |lo: u32, n: u32| -> Vec<Val> {
            (lo..lo + n)
                .flat_map(|a| (lo..lo + n).flat_map(move |b| [a, b]))
                .collect()
        };
        assert!(var.insert_vec(square(0, 30), 900, &guard));
        assert_eq!(var.changed(&guard), Some(true));
        assert!(
            var.seen.borrow().dense.is_some(),
            "900 rows in a box of 900 cells"
        );
        assert!(var.insert_vec(square(0, 30), 900, &guard));
        let fresh = var.seen.borrow().dense.as_ref().unwrap().fresh();
        assert!(var.pending.borrow().len() == 0 && fresh == 0);
        assert_eq!(var.changed(&guard), Some(false));
        assert!(var.insert_vec(square(20, 30), 900, &guard));
        assert_eq!(
            var.pending.borrow().len(),
            900 - 100,
            "outside the box: sorted"
        );
        assert_eq!(var.changed(&guard), Some(true));
        assert_eq!(var.count(), 900 + 800);
        let seen = var.seen.borrow();
        let dense = seen.dense.as_ref().unwrap();
        assert!(!dense.overflowed, "rebuilt over the wider box");
        drop(seen);
        assert!(var.insert_vec(square(20, 30), 900, &guard));
        assert_eq!(var.pending.borrow().len(), 0);
        assert_eq!(var.changed(&guard), Some(false));
    }

    #[test]
    fn a_row_of_width_zero_is_derived_once() {
        let limits = Limits::default();
        let guard = Guard::new(&limits);
        let var = Var::<0>::default();
        assert!(var.absorb(&mut Vec::new(), 3, &guard).is_some());
        assert_eq!(var.changed(&guard), Some(true));
        assert!(var.insert_vec(Vec::new(), 1, &guard));
        assert_eq!(var.changed(&guard), Some(false));
        assert_eq!(var.count(), 1);
    }
}
