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

use super::dedup::{Distinct, retain_absent, sort_dedup, union_rows};
use super::dense::Dense;
use super::known::{Seen, push_batch};
use super::leap::DynLeapers;
use super::rows::Rows;
use super::vars::DynVar;
use super::{Guard, Stored};
use crate::intern::Val;
use datafrog::Relation;
use std::cell::RefCell;
use std::sync::Arc;

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
    /// Stable rows shared with an earlier evaluation (a delta run's base rows: see
    /// `seed_stable`), read in place rather than copied; disjoint from every other batch. A
    /// variable with such rows builds no bitmap (it would have to mark them all; a delta run
    /// derives few rows).
    seeded: Option<Arc<Stored>>,
}

impl<const N: usize> Default for Var<N> {
    fn default() -> Self {
        Var {
            stable: RefCell::default(),
            recent: RefCell::new(Relation {
                elements: Vec::new(),
            }),
            pending: RefCell::default(),
            seen: RefCell::default(),
            seeded: None,
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
        assert_eq!(self.seen.borrow().implicit, 0, "prepare_stable first");
        let stable = self.stable.borrow();
        let mut batches: Vec<Rows<'_>> = stable.iter().map(|r| rows(r)).collect();
        batches.extend(self.seeded.as_deref().map(Stored::rows));
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
        let mut seen = self.seen.borrow_mut();
        // 1. The last round's rows become stable: as bits (`known`), or in a batch.
        let recent = std::mem::take(&mut self.recent.borrow_mut().elements);
        let recent = seen.settle(recent);
        if !recent.is_empty() {
            push_batch(&mut stable, recent, guard)?;
        }
        // 2. This round's rows, less those already known, become the recent ones: those the
        //    bitmap found new are new, the others are checked against the stable batches
        //    (rows outside the bitmap's box are never kept as bits).
        let mut new = self.pending.borrow_mut().finish();
        for batch in stable.iter() {
            retain_absent(&mut new, batch);
        }
        if let Some(seeded) = self.seeded.as_deref() {
            retain_absent(&mut new, tuples::<N>(seeded));
        }
        let fresh = seen.take_fresh(guard)?;
        if !union_rows(&mut new, fresh, guard) {
            return None;
        }
        if self.seeded.is_none() {
            seen.bounds.extend(&new);
            seen.index(&mut stable, &new, guard)?;
        }
        let changed = !new.is_empty();
        self.recent.borrow_mut().elements = new;
        Some(changed)
    }

    fn prepare_stable(&self, guard: &Guard<'_>) -> bool {
        let mut seen = self.seen.borrow_mut();
        if seen.implicit == 0 {
            // Nothing kept as bits; and an empty stable (the first round) is not a reason to
            // keep batches from now on.
            seen.joined |= self.stable.borrow().iter().any(|b| !b.is_empty());
            return true;
        }
        seen.joined = true;
        let recent = self.recent.borrow();
        let Some(rows) = seen.take_implicit(&recent.elements, guard) else {
            return false;
        };
        push_batch(&mut self.stable.borrow_mut(), rows, guard).is_some()
    }

    fn seed_stable(&mut self, rows: Arc<Stored>, guard: &Guard<'_>) -> bool {
        debug_assert!(self.stable.borrow().is_empty() && self.recent.borrow().is_empty());
        debug_assert!(
            self.seen.borrow().dense.is_none(),
            "seeded before any round"
        );
        if rows.len == 0 {
            return true;
        }
        if N == 0 {
            // One empty row: nothing to share.
            return guard.fits(0) && {
                self.stable.get_mut().push(vec![[0; N]; 1]);
                true
            };
        }
        debug_assert_eq!(rows.width, N);
        self.seeded = Some(rows);
        true
    }

    fn count(&self) -> usize {
        let stable: usize = self.stable.borrow().iter().map(Vec::len).sum();
        let seeded = self.seeded.as_ref().map_or(0, |s| s.len);
        stable + seeded + self.seen.borrow().implicit + self.recent.borrow().len()
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
            seeded,
        } = *self;
        let mut batches = stable.into_inner();
        if let Some(seeded) = seeded {
            batches.push(tuples::<N>(&seeded).to_vec());
        }
        let (inside, outside) = seen
            .into_inner()
            .take_all(recent.into_inner().elements, guard)?;
        batches.extend([inside, outside, pending.into_inner().finish()]);
        // Smallest first, so every merge costs about the rows merged so far, and all of them
        // about twice the result (batches shrink geometrically, the rows of the bitmap aside).
        batches.sort_by_key(|b| std::cmp::Reverse(b.len()));
        let mut all = Vec::new();
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

/// The rows of `stored` (of width `N`, not 0) as tuples, in place.
fn tuples<const N: usize>(stored: &Stored) -> &[[Val; N]] {
    bytemuck::cast_slice(&stored.data[..stored.len * N])
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

    proptest::proptest! {
        /// Rounds of derived rows (with repeats, inside a round and across rounds), through
        /// every way in, with values that spread further each round (so that the bitmap, once
        /// built, meets rows outside its box and is rebuilt), and a join reading the stable
        /// rows from round `joined_at` on (before it they may be kept as bits): each round's
        /// recent rows are exactly the rows not known before, the stable batches stay
        /// disjoint, and `complete` returns the sorted set of everything derived.
        #[test]
        fn rounds_keep_new_rows_once(
            rounds in proptest::collection::vec(proptest::collection::vec(0u32..400, 0..600), 1..8),
            spread in 0u32..300,
            joined_at in 0usize..10,
        ) {
            let limits = Limits::default();
            let guard = Guard::new(&limits);
            let var = Var::<2>::default();
            let mut known: BTreeSet<[Val; 2]> = BTreeSet::new();
            let mut read = false;
            for (i, round) in rounds.iter().enumerate() {
                let shift = spread * i as u32;
                let row = |v: u32| [v % 7 + shift, v / 7 + shift / 2];
                let mut chunk: Vec<Val> = round.iter().flat_map(|&v| row(v)).collect();
                let (half, quarter) = (round.len() / 2, round.len() / 4);
                let mut first: Vec<Val> = chunk.drain(..half * 2).collect();
                assert!(var.absorb(&mut first, half, &guard).is_some());
                if i >= joined_at {
                    // A join reads the stable rows in the middle of the round.
                    assert!(var.prepare_stable(&guard));
                    let mut before: BTreeSet<[Val; 2]> = BTreeSet::new();
                    var.with_stable(&mut |batches| {
                        for b in batches {
                            before.extend(b.data.chunks_exact(2).map(|c| [c[0], c[1]]));
                        }
                    });
                    let recent: BTreeSet<[Val; 2]> = var.recent.borrow().elements.iter().copied().collect();
                    assert_eq!(before, known.difference(&recent).copied().collect());
                    // Once stable rows were read, they stay in batches.
                    read |= !before.is_empty();
                }
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
                assert_eq!(var.count(), known.len());
                let sizes: usize = var.stable.borrow().iter().map(Vec::len).sum();
                let implicit = var.seen.borrow().implicit;
                assert_eq!(sizes + implicit + recent.len(), known.len(), "batches are disjoint");
                if read {
                    assert_eq!(implicit, 0, "read stable rows stay in batches");
                }
            }
            assert_eq!(var.changed(&guard), Some(false));
            let (flat, len) = Box::new(var).complete(&guard).unwrap();
            assert_eq!(len, known.len());
            assert_eq!(flat, known.iter().flatten().copied().collect::<Vec<_>>());
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
        assert!(var.prepare_stable(&guard));
        assert!(
            !var.seen.borrow().joined,
            "reading no stable rows keeps none"
        );
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
