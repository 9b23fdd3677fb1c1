//! Treefrog leapjoin over run-time-width rows, driven by `datafrog`'s own leapjoin loop.
//!
//! `datafrog` runs the algorithm (for each source tuple: ask every leaper how many values it
//! would propose, let the smallest propose, let the others intersect) through its public
//! `Leapers` trait; [`DynLeapers`] implements that trait for any number of sorted lookup tables
//! whose key comes from chosen columns of the source row.

use super::Guard;
use super::rows::{Rows, partition};
use crate::intern::Val;
use datafrog::Leapers;

/// One atom of a leapjoin: a table sorted by (key..., value) and where its key sits in the
/// source row.
pub struct Extender<'a> {
    /// Rows of width `key.len() + 1`.
    pub table: Rows<'a>,
    /// Source-row positions forming the key.
    pub key: &'a [usize],
    /// Rows of the table matching the current source tuple's key (set by `count`).
    range: (usize, usize),
}

impl<'a> Extender<'a> {
    /// An extender over a table; `key` says which source columns form its key.
    pub fn new(table: Rows<'a>, key: &'a [usize]) -> Extender<'a> {
        Extender {
            table,
            key,
            range: (0, 0),
        }
    }

    /// Finds the rows whose first columns equal the source row's key values.
    fn find(&mut self, source: &[Val]) -> usize {
        let k = self.key.len();
        let t = self.table;
        let key_of = |i: usize| &t.data[i * t.width..i * t.width + k];
        let cmp_key = |i: usize| {
            key_of(i)
                .iter()
                .zip(self.key)
                .map(|(a, &pos)| a.cmp(&source[pos]))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        let lower = partition(0, t.len, |i| cmp_key(i).is_lt());
        let upper = partition(lower, t.len, |i| cmp_key(i).is_le());
        self.range = (lower, upper);
        upper - lower
    }

    /// The proposed value of row `i`.
    fn value(&self, i: usize) -> &'a Val {
        let t = self.table;
        &t.data[i * t.width + t.width - 1]
    }

    /// Whether `v` is among the values of the current range (they are sorted).
    fn has(&self, v: Val) -> bool {
        let (lo, hi) = self.range;
        let at = partition(lo, hi, |i| *self.value(i) < v);
        at < hi && *self.value(at) == v
    }
}

/// All atoms of one leapjoin.
pub struct DynLeapers<'a> {
    /// One per atom; at least one.
    pub extenders: Vec<Extender<'a>>,
    /// Polled for every source tuple and every proposed value (the work of a leapjoin, found
    /// or not); once it says stop, every tuple proposes nothing, so the rest of the run is one
    /// cheap pass.
    pub(crate) guard: Option<&'a Guard<'a>>,
}

impl<'a> DynLeapers<'a> {
    /// A leapjoin of `extenders` that polls nothing.
    pub fn new(extenders: Vec<Extender<'a>>) -> DynLeapers<'a> {
        DynLeapers {
            extenders,
            guard: None,
        }
    }
}

impl<'a, const N: usize> Leapers<'a, [Val; N], Val> for &mut DynLeapers<'a> {
    fn for_each_count(&mut self, tuple: &[Val; N], mut op: impl FnMut(usize, usize)) {
        if self.guard.is_some_and(|g| !g.work()) {
            // Stopped: every leaper proposes nothing, so `datafrog` moves on.
            (0..self.extenders.len()).for_each(|i| op(i, 0));
            return;
        }
        for (i, e) in self.extenders.iter_mut().enumerate() {
            op(i, e.find(tuple));
        }
    }

    fn propose(&mut self, _tuple: &[Val; N], min_index: usize, values: &mut Vec<&'a Val>) {
        let e = &self.extenders[min_index];
        if self.guard.is_some_and(|g| !g.work_n(e.range.1 - e.range.0)) {
            return;
        }
        values.extend((e.range.0..e.range.1).map(|i| e.value(i)));
    }

    fn intersect(&mut self, _tuple: &[Val; N], min_index: usize, values: &mut Vec<&'a Val>) {
        for (i, e) in self.extenders.iter().enumerate() {
            if i != min_index {
                values.retain(|v| e.has(**v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafrog::Relation;

    #[test]
    fn leapjoin_intersects_proposals() {
        // Source rows (x); tables e1(x, v) and e2(x, v): the answer is v in both.
        let source: Relation<[Val; 1]> = vec![[1], [2]].into();
        let t1 = [1, 10, 1, 11, 1, 12, 2, 20];
        let t2 = [1, 11, 1, 12, 1, 13, 2, 21];
        let key = [0usize];
        let rows = |d: &'static [Val]| Rows {
            data: d,
            width: 2,
            len: d.len() / 2,
        };
        let t1: &'static [Val] = Box::leak(Box::new(t1));
        let t2: &'static [Val] = Box::leak(Box::new(t2));
        let mut leapers = DynLeapers::new(vec![
            Extender::new(rows(t1), &key),
            Extender::new(rows(t2), &key),
        ]);
        let mut out = Vec::new();
        let _: Relation<()> =
            Relation::from_leapjoin(&source, &mut leapers, |t, v| out.push((t[0], *v)));
        assert_eq!(out, vec![(1, 11), (1, 12)]);
    }
}
