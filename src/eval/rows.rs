//! Sorted batches of rows of a run-time width, as flat slices, and the searches over them:
//! prefix lookup, merge join with galloping, and the binary search the leapjoins share.
//!
//! Operators read `datafrog`'s batches as flat `&[Val]` slices ([`Rows`]) and write flat
//! buffers back, so no operator is generic over widths. This file knows nothing of
//! `datafrog`'s variables (see `vars`), only of sorted slices.

use crate::intern::Val;

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

/// What a merge join feeds: pairs of rows, announced in runs so that the per-pair work stays a
/// plain copy and limits are polled once per run.
pub trait PairSink {
    /// Called before the next `n` pairs (one left row against up to [`RUN`] right rows);
    /// `false` stops the join.
    fn run(&mut self, n: usize) -> bool;
    /// One pair of rows with equal keys.
    fn pair(&mut self, left: &[Val], right: &[Val]);
    /// The pairs of `left` with the rows `from..to` of `right` (one run): by default one
    /// [`PairSink::pair`] each; a sink may do the whole run at once.
    #[inline]
    fn pairs(&mut self, left: &[Val], right: Rows<'_>, from: usize, to: usize) {
        for z in from..to {
            self.pair(left, right.row(z));
        }
    }
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
    // Short keys are compared as arrays (a few integer comparisons, inlined), longer ones as
    // slices (a call to `memcmp` for every comparison).
    fn array<const K: usize>(r: Rows<'_>, i: usize) -> [Val; K] {
        let at = i * r.width;
        std::array::from_fn(|c| r.data[at + c])
    }
    match k {
        0 => join_by(a, b, array::<0>, sink),
        1 => join_by(a, b, array::<1>, sink),
        2 => join_by(a, b, array::<2>, sink),
        3 => join_by(a, b, array::<3>, sink),
        _ => join_by(a, b, |r, i| r.key(i, k), sink),
    }
}

/// [`join`] with the key of row `i` given by `key`.
#[inline(always)]
fn join_by<'r, K: Ord, S: PairSink + ?Sized>(
    a: Rows<'r>,
    b: Rows<'r>,
    key: impl Fn(Rows<'r>, usize) -> K,
    sink: &mut S,
) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len && j < b.len {
        let (ka, kb) = (key(a, i), key(b, j));
        match ka.cmp(&kb) {
            std::cmp::Ordering::Less => i = gallop(a, i, &kb, &key),
            std::cmp::Ordering::Greater => j = gallop(b, j, &ka, &key),
            std::cmp::Ordering::Equal => {
                let ie = run_end(a, i, &ka, &key);
                let je = run_end(b, j, &kb, &key);
                for x in i..ie {
                    let ra = a.row(x);
                    let mut y = j;
                    while y < je {
                        let end = je.min(y + RUN);
                        if !sink.run(end - y) {
                            return false;
                        }
                        sink.pairs(ra, b, y, end);
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
fn gallop<'r, K: Ord>(
    r: Rows<'r>,
    from: usize,
    target: &K,
    key: &impl Fn(Rows<'r>, usize) -> K,
) -> usize {
    let mut lo = from;
    let mut step = 1;
    while lo + step < r.len && key(r, lo + step) < *target {
        lo += step;
        step <<= 1;
    }
    partition(lo + 1, (lo + step).min(r.len), |i| key(r, i) < *target)
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

/// One past the last row from `start` (whose key is `k`) with the same key.
#[inline]
fn run_end<'r, K: Ord>(
    r: Rows<'r>,
    start: usize,
    k: &K,
    key: &impl Fn(Rows<'r>, usize) -> K,
) -> usize {
    let mut end = start + 1;
    while end < r.len && key(r, end) == *k {
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

    /// Keys of every length (arrays up to three columns, slices beyond) pair the same rows
    /// as a nested loop over both batches.
    #[test]
    fn join_on_every_key_length_matches_a_nested_loop() {
        let a: Vec<Val> = (0..60u32)
            .flat_map(|i| [i % 2, i % 3, i % 5, i % 7, i])
            .collect();
        let b: Vec<Val> = (0..40u32)
            .flat_map(|i| [i % 2, i % 3, i % 5, i % 7, 100 + i])
            .collect();
        let sorted = |v: &[Val]| {
            let mut rows: Vec<&[Val]> = v.chunks_exact(5).collect();
            rows.sort();
            rows.concat()
        };
        let (a, b) = (sorted(&a), sorted(&b));
        for k in 0..=4 {
            let mut got = Vec::new();
            join(
                rows_of(&a, 5),
                rows_of(&b, 5),
                k,
                &mut (|_| true, |x: &[Val], y: &[Val]| got.push((x[4], y[4]))),
            );
            let mut expected = Vec::new();
            for x in a.chunks_exact(5) {
                for y in b.chunks_exact(5) {
                    if x[..k] == y[..k] {
                        expected.push((x[4], y[4]));
                    }
                }
            }
            got.sort();
            expected.sort();
            assert_eq!(got, expected, "key of {k} columns");
        }
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
