//! A bitmap of the rows a variable knows, over the box of values its columns span: candidates
//! are deduplicated by one bit test each instead of being sorted and merged.
//!
//! Interned values are dense: strings are numbered from 0 in the order they are met and
//! integers of a column are usually a small range, so a relation's rows often lie in a box of
//! a few million cells — far fewer than its candidates (the obligation benchmark derives about
//! 25 million `chain` candidates for 1.3 million facts over 2,000 × 2,000 states). Sorting and
//! merging every candidate was most of the engine's time (perf: radix sort, merges and
//! `retain_absent` were 60–70 %). With a bitmap of the box, a candidate is a bit test, and
//! only the rows never seen before are kept, sorted once when the round ends.
//!
//! The box is the range of each column over the rows known when the bitmap is built (see
//! [`Bounds`]); a row outside it is simply not handled here (the caller sorts it the old way),
//! and the bitmap is rebuilt over a wider box when such rows turn up — the box then doubles in
//! the direction that overflowed, so rebuilds are few. A bitmap is built only when it is no
//! larger than the rows it indexes, so it never costs more than a fraction of the variable's
//! own memory.

use crate::intern::Val;

/// The smallest and largest value of each column over some rows.
#[derive(Clone, Copy, Debug)]
pub struct Bounds<const N: usize> {
    /// Per column: the least value seen.
    pub lo: [Val; N],
    /// Per column: the greatest value seen.
    pub hi: [Val; N],
    /// Whether any row was seen (else `lo` and `hi` mean nothing).
    pub any: bool,
}

impl<const N: usize> Default for Bounds<N> {
    fn default() -> Self {
        Bounds {
            lo: [Val::MAX; N],
            hi: [0; N],
            any: false,
        }
    }
}

impl<const N: usize> Bounds<N> {
    /// Widens the bounds to cover `rows`.
    pub fn extend(&mut self, rows: &[[Val; N]]) {
        for r in rows {
            for ((lo, hi), &v) in self.lo.iter_mut().zip(&mut self.hi).zip(r) {
                *lo = (*lo).min(v);
                *hi = (*hi).max(v);
            }
        }
        self.any |= !rows.is_empty();
    }
}

/// Bits a bitmap may have at most (512 MiB): a bound on the box's volume before any product
/// can overflow.
const MAX_BITS: u64 = 1 << 32;

/// A bitmap of rows over a box of values, and the rows new in the round so far.
#[derive(Debug)]
pub struct Dense<const N: usize> {
    /// Per column: the first value of the box.
    lo: [Val; N],
    /// Per column: how many values the box spans.
    span: [u64; N],
    /// Per column: the distance between two neighbouring values in the bitmap.
    stride: [u64; N],
    /// One bit per cell of the box: the rows known.
    known: Vec<u64>,
    /// One bit per cell: the rows first met in this round. Read in order, they are the
    /// round's new rows already sorted (cells are numbered in the rows' order), so they need
    /// no sort and no buffer while the round runs.
    round: Vec<u64>,
    /// One bit per word of `round`: the words that have a bit set, so that taking the round's
    /// rows skips the empty stretches of the box.
    dirty: Vec<u64>,
    /// Rows in `round`.
    fresh: usize,
    /// Whether a row outside the box was met since the last build.
    pub overflowed: bool,
}

impl<const N: usize> Dense<N> {
    /// The box a (re)built bitmap should span for rows within `bounds`: exactly the bounds the
    /// first time; around `old`, doubled in each direction it overflowed, on a rebuild. With
    /// its number of bits, or `None` when it has more than [`MAX_BITS`].
    pub fn plan(bounds: &Bounds<N>, old: Option<&Dense<N>>) -> Option<([Val; N], [u64; N], u64)> {
        if N == 0 || !bounds.any {
            return None;
        }
        let mut lo = bounds.lo;
        let mut span = [0u64; N];
        let mut bits: u64 = 1;
        for c in 0..N {
            let mut hi = u64::from(bounds.hi[c]);
            if let Some(old) = old {
                let (olo, ohi) = (u64::from(old.lo[c]), u64::from(old.lo[c]) + old.span[c] - 1);
                if u64::from(lo[c]) < olo {
                    lo[c] = lo[c].min(olo.saturating_sub(old.span[c]) as Val);
                }
                if hi > ohi {
                    hi = hi.max(ohi + old.span[c]).min(u64::from(Val::MAX));
                }
                lo[c] = lo[c].min(olo as Val);
                hi = hi.max(ohi);
            }
            span[c] = hi - u64::from(lo[c]) + 1;
            bits = bits.checked_mul(span[c]).filter(|&b| b <= MAX_BITS)?;
        }
        Some((lo, span, bits))
    }

    /// An empty bitmap over the box `lo`, `span` of `bits` cells, or `None` when the system
    /// refuses the memory (the caller goes on without one).
    pub fn new(lo: [Val; N], span: [u64; N], bits: u64) -> Option<Dense<N>> {
        let mut stride = [1u64; N];
        for c in (0..N.saturating_sub(1)).rev() {
            stride[c] = stride[c + 1] * span[c + 1];
        }
        let words = usize::try_from(bits.div_ceil(64)).ok()?;
        let zeros = |n: usize| -> Option<Vec<u64>> {
            let mut v = Vec::new();
            v.try_reserve_exact(n).ok()?;
            v.resize(n, 0);
            Some(v)
        };
        Some(Dense {
            lo,
            span,
            stride,
            known: zeros(words)?,
            round: zeros(words)?,
            dirty: zeros(words.div_ceil(64))?,
            fresh: 0,
            overflowed: false,
        })
    }

    /// Bytes of a bitmap of `bits` cells (both sets and the summary).
    pub fn bytes(bits: u64) -> usize {
        let words = bits.div_ceil(64);
        usize::try_from((2 * words + words.div_ceil(64)) * 8).unwrap_or(usize::MAX)
    }

    /// Rows first met in this round.
    pub fn fresh(&self) -> usize {
        self.fresh
    }

    /// The cell of row `r`, or `None` when it lies outside the box.
    #[inline(always)]
    fn cell(&self, r: &[Val; N]) -> Option<u64> {
        let mut at = 0;
        for (((&v, &lo), &span), &stride) in
            r.iter().zip(&self.lo).zip(&self.span).zip(&self.stride)
        {
            let d = u64::from(v.wrapping_sub(lo));
            if d >= span {
                return None;
            }
            at += d * stride;
        }
        Some(at)
    }

    /// Marks `r` as known from an earlier round (nothing when it lies outside the box).
    pub fn mark(&mut self, r: &[Val; N]) {
        if let Some(at) = self.cell(r) {
            self.known[(at >> 6) as usize] |= 1 << (at & 63);
        }
    }

    /// Marks every row of `rows` that lies in the box, those not known before as new in this
    /// round, and moves the rows outside the box to the front of `rows`, returning how many
    /// there are.
    pub fn filter(&mut self, rows: &mut [[Val; N]]) -> usize {
        let mut outside = 0;
        for i in 0..rows.len() {
            let r = rows[i];
            match self.cell(&r) {
                Some(at) => {
                    let (w, bit) = ((at >> 6) as usize, 1u64 << (at & 63));
                    let word = self.known[w];
                    if word & bit == 0 {
                        self.known[w] = word | bit;
                        self.round[w] |= bit;
                        self.dirty[w >> 6] |= 1 << (w & 63);
                        self.fresh += 1;
                    }
                }
                None => {
                    rows[outside] = r;
                    outside += 1;
                }
            }
        }
        self.overflowed |= outside > 0;
        outside
    }

    /// Whether `r` lies in the box.
    pub fn covers(&self, r: &[Val; N]) -> bool {
        self.cell(r).is_some()
    }

    /// How many rows [`Dense::known_rows`] appends.
    pub fn known_count(&self, old_only: bool) -> usize {
        let old = |w: usize| self.known[w] & if old_only { !self.round[w] } else { !0 };
        (0..self.known.len())
            .map(|w| old(w).count_ones() as usize)
            .sum()
    }

    /// Appends every known row to `out`, sorted; only those known before this round if
    /// `old_only`. `out` must have room for them.
    pub fn known_rows(&self, old_only: bool, out: &mut Vec<[Val; N]>) {
        let mut decode = Decoder::new(self);
        for (w, &word) in self.known.iter().enumerate() {
            let word = if old_only {
                word & !self.round[w]
            } else {
                word
            };
            decode.word(w, word, out);
        }
    }

    /// Appends the rows new in this round to `out`, sorted, and starts the next round. `out`
    /// must have room for [`Dense::fresh`] more rows.
    pub fn take_fresh(&mut self, out: &mut Vec<[Val; N]>) {
        debug_assert!(out.capacity() - out.len() >= self.fresh);
        let mut decode = Decoder::new(self);
        for d in 0..self.dirty.len() {
            let mut dirty = std::mem::take(&mut self.dirty[d]);
            while dirty != 0 {
                let w = d * 64 + dirty.trailing_zeros() as usize;
                dirty &= dirty - 1;
                decode.word(w, std::mem::take(&mut self.round[w]), out);
            }
        }
        self.fresh = 0;
    }
}

/// Turns cells back into rows, in increasing order of cells.
struct Decoder<const N: usize> {
    lo: [Val; N],
    span: [u64; N],
    /// The first cell of the stretch of cells that differ only in the last column, and the
    /// other columns' values there.
    base: u64,
    head: [Val; N],
}

impl<const N: usize> Decoder<N> {
    fn new(d: &Dense<N>) -> Decoder<N> {
        Decoder {
            lo: d.lo,
            span: d.span,
            base: u64::MAX,
            head: [0; N],
        }
    }

    /// Appends the rows of the bits of `word`, the `w`-th word of a bitmap (its cells follow
    /// those of the words before).
    #[inline]
    fn word(&mut self, w: usize, mut word: u64, out: &mut Vec<[Val; N]>) {
        let last = N - 1;
        let tail = self.span[last];
        while word != 0 {
            let cell = (w as u64) * 64 + u64::from(word.trailing_zeros());
            word &= word - 1;
            // Cells come in increasing order, so a row usually shares all but its last
            // column with the one before: the divisions that split a cell into columns are
            // done only when the cell leaves the stretch of the row before.
            if cell < self.base || cell - self.base >= tail {
                let mut rest = cell / tail;
                self.base = rest * tail;
                for c in (0..last).rev() {
                    self.head[c] = self.lo[c] + (rest % self.span[c]) as Val;
                    rest /= self.span[c];
                }
            }
            let mut row = self.head;
            row[last] = self.lo[last] + (cell - self.base) as Val;
            out.push(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn dense_over<const N: usize>(rows: &[[Val; N]]) -> Dense<N> {
        let mut b = Bounds::default();
        b.extend(rows);
        let (lo, span, bits) = Dense::plan(&b, None).unwrap();
        Dense::new(lo, span, bits).unwrap()
    }

    proptest::proptest! {
        /// Filtering keeps exactly the first occurrence of every row in the box and hands back
        /// every row outside it.
        #[test]
        fn filter_keeps_each_row_once(
            box_rows in proptest::collection::vec((0u32..40, 0u32..30), 1..50),
            rows in proptest::collection::vec((0u32..60, 0u32..45), 0..400),
        ) {
            let box_rows: Vec<[Val; 2]> = box_rows.iter().map(|&(a, b)| [a + 7, b | 1 << 31]).collect();
            let mut rows: Vec<[Val; 2]> = rows.iter().map(|&(a, b)| [a, b | 1 << 31]).collect();
            let mut d = dense_over(&box_rows);
            let mut bounds = Bounds::default();
            bounds.extend(&box_rows);
            let inside = |r: &[Val; 2]| (0..2).all(|c| bounds.lo[c] <= r[c] && r[c] <= bounds.hi[c]);
            let mut expected_fresh: Vec<[Val; 2]> = Vec::new();
            let mut seen = BTreeSet::new();
            for r in &rows {
                if inside(r) && seen.insert(*r) {
                    expected_fresh.push(*r);
                }
            }
            let expected_outside: Vec<[Val; 2]> = rows.iter().copied().filter(|r| !inside(r)).collect();
            let k = d.filter(&mut rows);
            assert_eq!(d.fresh(), expected_fresh.len());
            assert_eq!(rows[..k], expected_outside[..]);
            assert_eq!(d.overflowed, k > 0);
            let mut fresh = Vec::with_capacity(d.fresh());
            d.take_fresh(&mut fresh);
            expected_fresh.sort();
            assert_eq!(fresh, expected_fresh, "the new rows, sorted");
            // A second pass finds nothing new.
            let k = d.filter(&mut expected_fresh);
            assert_eq!((k, d.fresh()), (0, 0));
            d.take_fresh(&mut fresh);
            assert_eq!(fresh.len(), expected_fresh.len());
        }

        /// Rows of one to three columns come out of the bitmap in the rows' order.
        #[test]
        fn fresh_rows_come_out_sorted(
            rows in proptest::collection::vec((0u32..9, 0u32..70, 0u32..5), 1..300),
        ) {
            fn check<const N: usize>(rows: Vec<[Val; N]>) {
                let mut d = dense_over(&rows);
                let mut all = rows.clone();
                assert_eq!(d.filter(&mut all), 0);
                let mut out = Vec::with_capacity(d.fresh());
                d.take_fresh(&mut out);
                let expected: Vec<[Val; N]> = rows.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
                assert_eq!(out, expected);
            }
            check(rows.iter().map(|&(a, _, _)| [a + 100]).collect());
            check(rows.iter().map(|&(a, b, _)| [b, a]).collect());
            check(rows.iter().map(|&(a, b, c)| [c, a | 1 << 31, b]).collect());
        }
    }

    #[test]
    fn a_rebuild_doubles_the_box_where_it_overflowed() {
        let d = dense_over(&[[10, 100], [19, 109]]);
        assert_eq!((d.lo, d.span), ([10, 100], [10, 10]));
        let mut b = Bounds::default();
        b.extend(&[[10, 100], [20, 109], [15, 99]]);
        let (lo, span, bits) = Dense::plan(&b, Some(&d)).unwrap();
        assert_eq!(lo, [10, 90]);
        assert_eq!(span, [20, 20]);
        assert_eq!(bits, 400);
    }

    #[test]
    fn a_box_too_large_gets_no_bitmap() {
        let mut b = Bounds::default();
        b.extend(&[[0, 0, 0], [1 << 20, 1 << 20, 0]]);
        assert!(Dense::plan(&b, None).is_none());
        let mut cube = Bounds::default();
        cube.extend(&[[0, 0, 0], [1 << 11, 1 << 11, 1 << 11]]);
        assert!(Dense::plan(&cube, None).is_none());
        let mut small = Bounds::default();
        small.extend(&[[3, 4, 5], [1 << 10, 1 << 10, 7]]);
        assert!(Dense::plan(&small, None).is_some());
    }
}
