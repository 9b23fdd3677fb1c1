//! What a variable knows of its rows besides its sorted batches: the bitmap that deduplicates
//! candidates (`dense`) and, as long as no join reads them, the stable rows themselves.
//!
//! A stable row is needed for two things: to tell a candidate that is already known (the
//! bitmap now does that), and to be joined with the other side's new rows. In a linear
//! recursion (`path(X, Z) :- path(X, Y), edge(Y, Z).`, the same generation, the obligation
//! chains) the other side never changes after the first round, so a recursive variable's stable
//! rows are only ever read when the stratum ends. While that holds, the rows of the bitmap's
//! box that leave the recent rows are kept as nothing but their bits: no sorted batch, no
//! merge round after round, and no memory but the bitmap's (`datafrog` keeps every stable row
//! of every variable, views included, as sorted tuples). The first join that reads the stable
//! rows (`Seen::joined`) gets them back in one sorted batch, and from then on the variable
//! keeps batches as `datafrog` does.

use super::Guard;
use super::dedup::{retain_absent, union_rows};
use super::dense::{Bounds, Dense};
use crate::intern::Val;

/// Sorted rows of width `N`.
type Batch<const N: usize> = Vec<[Val; N]>;

/// Deduplication by bitmap, and the stable rows kept as bits.
pub(super) struct Seen<const N: usize> {
    /// The bitmap of every known row inside its box (stable, recent, and those of this round
    /// the bitmap found new), once built.
    pub dense: Option<Dense<N>>,
    /// The range of every column over the stable and recent rows, for the bitmap's box.
    pub bounds: Bounds<N>,
    /// Stable rows kept only as bits of `dense`, in no batch: the known rows that are
    /// neither recent nor new in this round.
    pub implicit: usize,
    /// Whether a join has read the stable rows: then every stable row is in a batch.
    pub joined: bool,
}

impl<const N: usize> Default for Seen<N> {
    fn default() -> Self {
        Seen {
            dense: None,
            bounds: Bounds::default(),
            implicit: 0,
            joined: false,
        }
    }
}

impl<const N: usize> Seen<N> {
    /// Whether stable rows inside the bitmap's box are kept as bits only.
    pub fn bits_only(&self) -> bool {
        self.dense.is_some() && !self.joined
    }

    /// The rows the bitmap found new in this round, sorted; `None` when memory runs out.
    pub fn take_fresh(&mut self, guard: &Guard<'_>) -> Option<Vec<[Val; N]>> {
        let mut fresh = Vec::new();
        if let Some(d) = &mut self.dense {
            if !guard.reserve(&mut fresh, d.fresh()) {
                return None;
            }
            d.take_fresh(&mut fresh);
        }
        Some(fresh)
    }

    /// The last round's rows become stable: those inside the box stay only as bits when
    /// [`Seen::bits_only`]; the others are returned, for a batch.
    pub fn settle(&mut self, mut recent: Vec<[Val; N]>) -> Vec<[Val; N]> {
        if let (Some(d), false) = (&self.dense, self.joined) {
            let before = recent.len();
            recent.retain(|r| !d.covers(r));
            self.implicit += before - recent.len();
        }
        recent
    }

    /// The stable rows kept as bits, sorted (none without a bitmap), less `recent`; they are
    /// then no longer counted as kept by bits. `None` when memory runs out.
    pub fn take_implicit(
        &mut self,
        recent: &[[Val; N]],
        guard: &Guard<'_>,
    ) -> Option<Vec<[Val; N]>> {
        let mut rows = Vec::new();
        if let (Some(d), true) = (&self.dense, self.implicit > 0) {
            if !guard.reserve(&mut rows, d.known_count(true)) {
                return None;
            }
            d.known_rows(true, &mut rows);
            retain_absent(&mut rows, recent);
            debug_assert_eq!(rows.len(), self.implicit);
        }
        self.implicit = 0;
        Some(rows)
    }

    /// For the end of the stratum: the rows the bits stand for, sorted, and the rows of
    /// `recent` that are not among them. With stable rows kept as bits, that is every row
    /// inside the box (stable, recent and new); else only the new ones (rows of a round
    /// that did not end, normally none).
    pub fn take_all(
        &mut self,
        mut recent: Batch<N>,
        guard: &Guard<'_>,
    ) -> Option<(Batch<N>, Batch<N>)> {
        if !self.bits_only() {
            return Some((self.take_fresh(guard)?, recent));
        }
        let mut rows = Vec::new();
        if let Some(d) = &mut self.dense {
            if !guard.reserve(&mut rows, d.known_count(false)) {
                return None;
            }
            d.known_rows(false, &mut rows);
            recent.retain(|r| !d.covers(r));
        }
        Some((rows, recent))
    }

    /// Builds the bitmap when there is none yet, or rebuilds it over a wider box when rows
    /// fell outside it, if it is no larger than the rows it would index; then, unless a join
    /// reads them, the stable rows inside the box leave their batches for bits. A refused
    /// bitmap is no error: rows are then sorted and merged, as without one. `None` when
    /// memory runs out.
    pub fn index(
        &mut self,
        stable: &mut Vec<Vec<[Val; N]>>,
        recent: &[[Val; N]],
        guard: &Guard<'_>,
    ) -> Option<()> {
        if self.dense.as_ref().is_some_and(|d| !d.overflowed) {
            return Some(());
        }
        let Some((lo, span, bits)) = Dense::plan(&self.bounds, self.dense.as_ref()) else {
            return Some(());
        };
        let rows = stable.iter().map(Vec::len).sum::<usize>() + self.implicit + recent.len();
        let bytes = Dense::<N>::bytes(bits);
        if bytes > size_of::<[Val; N]>() * rows || guard.room(bytes).is_err() {
            return Some(());
        }
        let Some(mut dense) = Dense::new(lo, span, bits) else {
            return Some(());
        };
        // The rows the old bitmap stands for go back to a batch, to be marked in the new one.
        let old = self.take_implicit(recent, guard)?;
        if !old.is_empty() {
            push_batch(stable, old, guard)?;
        }
        for r in stable.iter().flatten().chain(recent) {
            dense.mark(r);
        }
        self.dense = Some(dense);
        if self.bits_only() {
            let d = self.dense.as_ref().expect("just built");
            for batch in stable.iter_mut() {
                let before = batch.len();
                batch.retain(|r| !d.covers(r));
                self.implicit += before - batch.len();
            }
            stable.retain(|b| !b.is_empty());
        }
        Some(())
    }
}

/// Adds a batch of stable rows (sorted, distinct, in no other batch), merging batches no
/// longer more than twice as large as the rows merged into them (`datafrog`'s scheme: few
/// batches, each merge about the size of its rows). `None` when memory runs out.
pub(super) fn push_batch<const N: usize>(
    stable: &mut Vec<Vec<[Val; N]>>,
    mut rows: Vec<[Val; N]>,
    guard: &Guard<'_>,
) -> Option<()> {
    // Batches may be out of order once rows left them for bits: largest first again.
    stable.sort_by_key(|b| std::cmp::Reverse(b.len()));
    while stable.last().is_some_and(|b| b.len() <= 2 * rows.len()) {
        let last = stable.pop().expect("a last batch");
        if !union_rows(&mut rows, last, guard) {
            return None;
        }
    }
    stable.push(rows);
    Some(())
}
