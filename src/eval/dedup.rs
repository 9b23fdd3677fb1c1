//! Rows deduplicated as they are produced: the radix sort, and the distinct rows a round of
//! joins accumulates for one variable before the round ends.
//!
//! A semi-naive round derives many more candidates than distinct rows (on the obligation
//! benchmark about ten times more: 13 million `chain` candidates in one round for 1.3 million
//! facts in all). Keeping every candidate of a round and sorting them once, as `datafrog`'s own
//! operators do, made that buffer and its sort scratch the peak memory of the whole process.
//! Instead a join writes into a buffer of at least [`CHUNK`] values and at most about as many
//! as the round has kept so far; each full buffer is sorted, deduplicated and merged in place
//! into the round's [`Distinct`] rows (duplicates dropped). As a buffer is never much smaller
//! than what it is merged into, every candidate costs a bounded number of moves, and the
//! memory of a round is about twice its distinct rows (plus the sort's scratch), whatever the
//! number of candidates.

use super::Guard;
use crate::intern::Val;

/// Values a candidate buffer holds at least before it is sorted and deduplicated (512 KiB).
pub const CHUNK: usize = 1 << 17;

/// Below this many tuples a comparison sort beats radix sorting.
const RADIX_MIN: usize = 256;

/// The distinct rows of one round so far, sorted.
#[derive(Debug, Default)]
pub struct Distinct<const N: usize> {
    rows: Vec<[Val; N]>,
}

impl<const N: usize> Distinct<N> {
    /// Rows kept.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Sorts and deduplicates `chunk` in place and merges its distinct rows in. `false` (and
    /// the loop must stop, the reason is in `guard`) when the memory budget or the system
    /// refuses the room; rows may then be lost, which does not matter as evaluation stops.
    pub fn absorb(&mut self, chunk: &mut [[Val; N]], guard: &Guard<'_>) -> bool {
        // The radix sort's scratch, as large as the chunk, and the room the merge may add.
        if !guard.fits(2 * size_of_val(chunk)) {
            return false;
        }
        let k = sort_dedup(chunk);
        let merged = merge_rows(&mut self.rows, &chunk[..k], guard);
        // The room reserved for the chunk is not kept when duplicates left much of it unused
        // (shrinking a large block is an `mremap`, see `crate::alloc`).
        if self.rows.capacity() - self.rows.len() > self.rows.len() / 4 {
            self.rows.shrink_to_fit();
        }
        merged
    }

    /// Merges in the rows of `run`, sorted and distinct. `false` as for [`Distinct::absorb`].
    pub fn push(&mut self, run: Vec<[Val; N]>, guard: &Guard<'_>) -> bool {
        union_rows(&mut self.rows, run, guard)
    }

    /// All rows kept, sorted and distinct; empties `self`.
    pub fn finish(&mut self) -> Vec<[Val; N]> {
        std::mem::take(&mut self.rows)
    }
}

/// `a` becomes the union of `a` and `b` (rows sorted and distinct), in the larger one's
/// buffer (see [`merge_into`]).
pub fn union_rows<const N: usize>(
    a: &mut Vec<[Val; N]>,
    mut b: Vec<[Val; N]>,
    guard: &Guard<'_>,
) -> bool {
    if a.len() < b.len() {
        std::mem::swap(a, &mut b);
    }
    merge_rows(a, &b, guard)
}

/// [`merge_into`] for rows. Narrow rows compare as one integer (the same order as the
/// arrays', in fewer instructions: merges are a good part of a round's work).
pub fn merge_rows<const N: usize>(
    a: &mut Vec<[Val; N]>,
    b: &[[Val; N]],
    guard: &Guard<'_>,
) -> bool {
    fn wide<const N: usize>(r: &[Val; N]) -> u128 {
        r.iter().fold(0, |k, &v| (k << 32) | u128::from(v))
    }
    match N {
        0..=2 => merge_into(a, b, guard, |r| wide(r) as u64),
        3 | 4 => merge_into(a, b, guard, wide),
        _ => merge_into(a, b, guard, |r| *r),
    }
}

/// Merges the rows of `b` into `a`, both sorted and distinct by `key`: from the back into the
/// room after `a`'s rows, equal rows written once, so no buffer for the result is allocated
/// beside the two.
pub fn merge_into<T: Copy, K: Ord>(
    a: &mut Vec<T>,
    b: &[T],
    guard: &Guard<'_>,
    key: impl Fn(&T) -> K,
) -> bool {
    let (na, nb) = (a.len(), b.len());
    if nb == 0 {
        return true;
    }
    if !guard.reserve(a, nb) {
        return false;
    }
    if na == 0 || key(&a[na - 1]) < key(&b[0]) {
        a.extend_from_slice(b);
        return true;
    }
    // Fill from the back of the reserved room. With `d` duplicates seen so far, the next write
    // goes to `k - 1 = i + j + d - 1 >= i` while `j > 0`, so no unread row of `a` (below `i`)
    // is overwritten. Branch-free steps: which side moves is data, not control flow.
    let (mut i, mut j, mut k) = (na, nb, na + nb);
    let end = k;
    let pa = a.as_mut_ptr();
    let pb = b.as_ptr();
    // SAFETY: `a` has room for `na + nb` elements (reserved above); reads are below `i <= na`
    // (initialised rows of `a`) and `j <= nb` (rows of `b`); writes go to `k - 1 < end`, never
    // below `i` (see above), and `T: Copy` needs no drop. Afterwards `..i` are `a`'s untouched
    // rows and `k..end` the merged ones, every one written; they are moved down to `i` (an
    // overlapping copy) and exactly those `i + end - k` rows become the vector's length.
    unsafe {
        while i > 0 && j > 0 {
            let (x, y) = (*pb.add(j - 1), *pa.add(i - 1));
            let (kx, ky) = (key(&x), key(&y));
            k -= 1;
            *pa.add(k) = if ky >= kx { y } else { x };
            i -= usize::from(ky >= kx);
            j -= usize::from(kx >= ky);
        }
        std::ptr::copy_nonoverlapping(pb, pa.add(k - j), j);
        k -= j;
        std::ptr::copy(pa.add(k), pa.add(i), end - k);
        a.set_len(i + end - k);
    }
    true
}

/// Sorts `rows` and moves the distinct ones to the front; returns how many there are.
pub fn sort_dedup<const N: usize>(rows: &mut [[Val; N]]) -> usize {
    if rows.len() >= RADIX_MIN && scratch_granted::<[Val; N]>(rows.len()) {
        radix_sort(rows);
    } else {
        rows.sort_unstable();
    }
    let mut w = 0;
    for r in 0..rows.len() {
        if w == 0 || rows[r] != rows[w - 1] {
            rows[w] = rows[r];
            w += 1;
        }
    }
    w
}

/// Whether the system grants a buffer of `n` elements now. `radsort` allocates its scratch
/// buffer (as large as the rows) without a way to refuse; when the system would refuse it
/// (an address-space limit, `ulimit -v`) the rows are sorted in place instead, slower but
/// without aborting the process. The budget (`--max-memory`) is checked by the callers.
fn scratch_granted<T>(n: usize) -> bool {
    Vec::<T>::new().try_reserve_exact(n).is_ok()
}

/// Sorts `tuples` lexicographically (stable LSD radix passes that skip the bytes all keys
/// share: interned values are small integers). `datafrog`'s comparison sort was half of all
/// instructions on the benchmark workloads before this.
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

/// Keeps the rows of sorted `new` that are not in sorted `batch` (`datafrog`'s step): a
/// merge walk when the two are of similar size, galloping through a much larger batch.
pub fn retain_absent<T: Ord>(new: &mut Vec<T>, batch: &[T]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Limits;
    use std::collections::BTreeSet;

    /// The radix pre-sort must give exactly what a comparison sort gives, for every width
    /// path (1, 2 and the per-column passes) and for values using all four bytes.
    fn radix_agrees<const N: usize>(values: Vec<[Val; N]>) {
        let mut expected = values.clone();
        expected.sort();
        let mut radix = values.clone();
        radix_sort(&mut radix);
        assert_eq!(radix, expected);
        expected.dedup();
        let mut rows = values;
        let k = sort_dedup(&mut rows);
        assert_eq!(rows[..k], expected[..]);
    }

    /// Feeding `rows` chunk by chunk into [`Distinct`] gives exactly the sorted set of them.
    fn runs_agree<const N: usize>(rows: &[[Val; N]], chunk: usize) {
        let limits = Limits::default();
        let guard = Guard::new(&limits);
        let mut kept = Distinct::<N>::default();
        for (i, c) in rows.chunks(chunk.max(1)).enumerate() {
            if i % 3 == 2 {
                let mut run = c.to_vec();
                run.sort();
                run.dedup();
                assert!(kept.push(run, &guard));
            } else {
                assert!(kept.absorb(&mut c.to_vec(), &guard));
            }
            assert!(
                kept.rows.windows(2).all(|w| w[0] < w[1]),
                "sorted and distinct"
            );
        }
        let expected: Vec<[Val; N]> = rows
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(kept.len(), expected.len());
        assert_eq!(kept.finish(), expected);
        assert_eq!(kept.len(), 0);
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

        /// Deduplicating chunk by chunk keeps every distinct row once, whatever the chunk size
        /// and however the duplicates are spread over chunks.
        #[test]
        fn runs_keep_each_distinct_row_once(
            values in proptest::collection::vec(0u32..300, 0..3000),
            chunk in 1usize..700,
        ) {
            runs_agree(&values.iter().map(|&v| [v]).collect::<Vec<_>>(), chunk);
            runs_agree(&values.iter().map(|&v| [v % 17, v / 17]).collect::<Vec<_>>(), chunk);
            runs_agree(&values.iter().map(|&v| [v % 3, v, v % 5]).collect::<Vec<_>>(), chunk);
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

        #[test]
        fn union_in_place_is_the_set_union(
            a in proptest::collection::btree_set(0u32..500, 0..400),
            b in proptest::collection::btree_set(0u32..500, 0..400),
        ) {
            let limits = Limits::default();
            let guard = Guard::new(&limits);
            let mut merged: Vec<u32> = a.iter().copied().collect();
            let bs: Vec<u32> = b.iter().copied().collect();
            assert!(merge_into(&mut merged, &bs, &guard, |&x| x));
            let rows_of = |s: &BTreeSet<u32>| {
                let mut v: Vec<[u32; 3]> = s.iter().map(|&x| [x % 3, x, 7]).collect();
                v.sort();
                v
            };
            let mut rows = rows_of(&a);
            assert!(union_rows(&mut rows, rows_of(&b), &guard));
            let expected_rows = rows_of(&a.union(&b).copied().collect());
            assert_eq!(rows, expected_rows);
            let expected: Vec<u32> = a.union(&b).copied().collect();
            assert_eq!(merged, expected);
        }
    }

    #[test]
    fn rows_of_width_zero_collapse_to_one() {
        runs_agree::<0>(&[[], [], []], 2);
        runs_agree::<0>(&[], 2);
    }

    /// The sort's scratch cannot fail softly (`radsort` allocates it), so a chunk whose sort
    /// would pass the budget stops before it is sorted (under `ulimit -v` the allocation
    /// aborted the process).
    #[test]
    fn a_chunk_past_the_budget_is_not_sorted() {
        let limits = Limits {
            max_memory: Some(1000),
            ..Limits::default()
        };
        let guard = Guard::new(&limits);
        let mut kept = Distinct::<2>::default();
        let mut chunk: Vec<[Val; 2]> = (0..1000).rev().map(|i| [i, i]).collect();
        assert!(!kept.absorb(&mut chunk, &guard));
        assert_eq!(chunk[0], [999, 999], "left unsorted");
        assert_eq!(
            guard.take().unwrap_err().code,
            crate::diag::Code::MemoryLimit
        );
    }

    #[test]
    fn a_union_past_the_budget_stops() {
        let limits = Limits {
            max_memory: Some(1),
            ..Limits::default()
        };
        let guard = Guard::new(&limits);
        let mut a = vec![1u32, 3];
        assert!(!merge_into(&mut a, &[2], &guard, |&x| x));
        assert_eq!(
            guard.take().unwrap_err().code,
            crate::diag::Code::MemoryLimit
        );
    }
}
