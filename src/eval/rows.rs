//! Rows of any width on top of `datafrog`.
//!
//! `datafrog` variables are typed; Pacta's relations get their width at run time. Each relation
//! is a `Variable<[Val; N]>` for its width `N` (so tuples are plain arrays, sorted and
//! deduplicated by `datafrog` exactly as in a hand-written program), hidden behind the
//! object-safe [`DynVar`]. Operators read the variables' batches as flat `&[Val]` slices
//! ([`Rows`]) and write flat buffers back, so no operator is generic over widths.

use super::leap::DynLeapers;
use crate::intern::Val;
use datafrog::{Iteration, Relation, Variable};

/// A sorted batch of rows of one width, as one flat slice.
#[derive(Clone, Copy, Debug)]
pub struct Rows<'a> {
    /// The values, row after row.
    pub data: &'a [Val],
    /// Values per row.
    pub width: usize,
    /// Number of rows (kept apart because rows of width 0 have no data).
    pub len: usize,
}

impl<'a> Rows<'a> {
    /// Row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> &'a [Val] {
        &self.data[i * self.width..(i + 1) * self.width]
    }

    /// The first `k` values of row `i`.
    #[inline]
    fn key(&self, i: usize, k: usize) -> &'a [Val] {
        &self.data[i * self.width..i * self.width + k]
    }

    /// Whether some row starts with `prefix` (binary search).
    pub fn contains_prefix(&self, prefix: &[Val]) -> bool {
        let k = prefix.len();
        let at = partition(0, self.len, |i| self.key(i, k) < prefix);
        at < self.len && self.key(at, k) == prefix
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

/// What a merge join feeds: pairs of rows, announced in runs so that the per-pair work stays a
/// plain copy and limits are polled once per run.
pub trait PairSink {
    /// Called before the next `n` pairs (one left row against up to [`RUN`] right rows);
    /// `false` stops the join.
    fn run(&mut self, n: usize) -> bool;
    /// One pair of rows with equal keys.
    fn pair(&mut self, left: &[Val], right: &[Val]);
}

/// A sink of two closures: the run check and the pair.
impl<R: FnMut(usize) -> bool, F: FnMut(&[Val], &[Val])> PairSink for (R, F) {
    #[inline]
    fn run(&mut self, n: usize) -> bool {
        (self.0)(n)
    }

    #[inline]
    fn pair(&mut self, left: &[Val], right: &[Val]) {
        (self.1)(left, right)
    }
}

/// Most pairs announced by one [`PairSink::run`] call.
pub const RUN: usize = 4096;

/// Merge join of two sorted batches on their first `k` columns: feeds `sink` every pair of
/// rows with equal keys, and stops (returning `false`) as soon as its `run` says so. Skips
/// ahead by galloping, as `datafrog`'s own join does.
pub fn join<S: PairSink + ?Sized>(a: Rows<'_>, b: Rows<'_>, k: usize, sink: &mut S) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len && j < b.len {
        let (ka, kb) = (a.key(i, k), b.key(j, k));
        match ka.cmp(kb) {
            std::cmp::Ordering::Less => i = gallop(a, i, k, kb),
            std::cmp::Ordering::Greater => j = gallop(b, j, k, ka),
            std::cmp::Ordering::Equal => {
                let ie = run_end(a, i, k);
                let je = run_end(b, j, k);
                for x in i..ie {
                    let ra = a.row(x);
                    let mut y = j;
                    while y < je {
                        let end = je.min(y + RUN);
                        if !sink.run(end - y) {
                            return false;
                        }
                        for z in y..end {
                            sink.pair(ra, b.row(z));
                        }
                        y = end;
                    }
                }
                i = ie;
                j = je;
            }
        }
    }
    true
}

/// First index `>= from` whose key is not less than `target`.
#[inline]
fn gallop(r: Rows<'_>, from: usize, k: usize, target: &[Val]) -> usize {
    let mut lo = from;
    let mut step = 1;
    while lo + step < r.len && r.key(lo + step, k) < target {
        lo += step;
        step <<= 1;
    }
    partition(lo + 1, (lo + step).min(r.len), |i| r.key(i, k) < target)
}

/// First index in `lo..hi` where `before` turns false (it must hold, then not hold): the
/// binary search shared by prefix lookups, galloping and leapjoins.
#[inline]
pub fn partition(mut lo: usize, mut hi: usize, before: impl Fn(usize) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// One past the last row from `start` with the same key.
#[inline]
fn run_end(r: Rows<'_>, start: usize, k: usize) -> usize {
    let key = r.key(start, k);
    let mut end = start + 1;
    while end < r.len && r.key(end, k) == key {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(data: &[Val], width: usize) -> Rows<'_> {
        Rows {
            data,
            width,
            len: data.len() / width,
        }
    }

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

    #[test]
    fn join_pairs_rows_with_equal_keys() {
        let a = [1, 10, 2, 20, 2, 21, 5, 50];
        let b = [2, 7, 3, 8, 5, 9, 5, 10];
        let mut out = Vec::new();
        join(
            rows_of(&a, 2),
            rows_of(&b, 2),
            1,
            &mut (|_| true, |x: &[Val], y: &[Val]| out.push((x[1], y[1]))),
        );
        assert_eq!(out, vec![(20, 7), (21, 7), (50, 9), (50, 10)]);
    }

    #[test]
    fn join_on_empty_key_is_a_product() {
        let a = [1, 2];
        let b = [3, 4, 5];
        let mut n = 0;
        join(
            rows_of(&a, 1),
            rows_of(&b, 1),
            0,
            &mut (|_| true, |_: &[Val], _: &[Val]| n += 1),
        );
        assert_eq!(n, 6);
        let mut runs = 0;
        let done = join(
            rows_of(&a, 1),
            rows_of(&b, 1),
            0,
            &mut (
                |n| {
                    runs += 1;
                    assert_eq!(n, 3);
                    runs < 2
                },
                |_: &[Val], _: &[Val]| {},
            ),
        );
        assert!(!done && runs == 2, "a join stops when told to");
    }

    #[test]
    fn gallop_skips_long_runs() {
        let a: Vec<Val> = (0..1000).collect();
        let b = [999];
        let mut out = Vec::new();
        join(
            rows_of(&a, 1),
            rows_of(&b, 1),
            1,
            &mut (|_| true, |x: &[Val], _: &[Val]| out.push(x[0])),
        );
        assert_eq!(out, vec![999]);
    }

    #[test]
    fn prefix_lookup() {
        let a = [1, 1, 2, 5, 4, 0];
        let r = rows_of(&a, 2);
        assert!(r.contains_prefix(&[2]));
        assert!(!r.contains_prefix(&[3]));
        assert!(r.contains_prefix(&[4, 0]));
        assert!(r.contains_prefix(&[]));
    }
}
