//! Where a delta run of a stratum starts (see `delta`): the base's rows as stable, the added
//! ones as recent; and the union of the base's rows with what the run derived.

use super::Guard;
use super::ops::project;
use super::rows::{Rows, partition};
use super::shared::{Captured, Shared};
use super::vars::DynVar;
use super::{Database, Stored};
use crate::diag::Diagnostic;
use crate::intern::Val;
use crate::plan::Plan;
use std::cmp::Ordering;
use std::sync::Arc;

/// What a delta run starts from.
pub(super) struct Seed<'a> {
    /// The base's relations (the stratum's own old rows).
    pub base: &'a Database,
    /// Views over the base's relations.
    pub shared: &'a Shared,
    /// Per predicate, the rows the change added to it (flat; empty if none).
    pub added: &'a [Vec<Val>],
    /// The base's join intermediates of this stratum.
    pub stages: &'a Captured,
}

impl Seed<'_> {
    /// Fills `var`, the variable of view `v`, as a delta run needs it: the base's rows stable,
    /// the view's rows among the added ones to be joined in the first round. `false` (the
    /// reason is in `guard`) when memory runs out.
    pub fn view(&self, plan: &Plan, v: usize, var: &mut dyn DynVar, guard: &Guard<'_>) -> bool {
        if !var.seed_stable(self.shared.base_view(plan, v, self.base), guard) {
            return false;
        }
        let spec = &plan.views[v];
        let added = &self.added[spec.pred];
        let width = plan.preds[spec.pred].arity;
        if added.is_empty() || width == 0 {
            return true;
        }
        let rows = Rows {
            data: added,
            width,
            len: added.len() / width,
        };
        let mut buf = Vec::new();
        let n = project(rows, &spec.filters, &spec.cols, &mut buf);
        var.insert_vec(buf, n, guard)
    }
}

/// The union of two sorted, distinct relations of one width: `old` itself (shared, not
/// copied) when it has every row of `new`, as after most delta runs.
pub(super) fn union_stored(
    old: &Arc<Stored>,
    new: Stored,
    guard: &Guard<'_>,
) -> Result<Arc<Stored>, Diagnostic> {
    let w = old.width;
    if w == 0 {
        return Ok(if new.len > old.len {
            Arc::new(new)
        } else {
            Arc::clone(old)
        });
    }
    let known = |row: &[Val]| {
        let rows = old.rows();
        let i = partition(0, rows.len, |i| rows.row(i) < row);
        i < rows.len && rows.row(i) == row
    };
    if (0..new.len).all(|i| known(new.rows().row(i))) {
        return Ok(Arc::clone(old));
    }
    if !guard.fits((old.len + new.len) * w * size_of::<Val>()) {
        return Err(guard.stopped());
    }
    let (a, b) = (old.rows(), new.rows());
    let mut data = Vec::with_capacity((a.len + b.len) * w);
    let (mut i, mut j) = (0, 0);
    while i < a.len && j < b.len {
        let (x, y) = (a.row(i), b.row(j));
        match x.cmp(y) {
            Ordering::Less => {
                data.extend_from_slice(x);
                i += 1;
            }
            Ordering::Greater => {
                data.extend_from_slice(y);
                j += 1;
            }
            Ordering::Equal => {
                data.extend_from_slice(x);
                i += 1;
                j += 1;
            }
        }
    }
    (i..a.len).for_each(|k| data.extend_from_slice(a.row(k)));
    (j..b.len).for_each(|k| data.extend_from_slice(b.row(k)));
    let len = data.len() / w;
    Ok(Arc::new(Stored {
        data,
        len,
        width: w,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Limits;

    fn stored(rows: &[[Val; 2]]) -> Stored {
        Stored {
            data: rows.iter().flatten().copied().collect(),
            len: rows.len(),
            width: 2,
        }
    }

    #[test]
    fn union_keeps_each_row_once_in_order() {
        let limits = Limits::default();
        let guard = Guard::new(&limits);
        let old = Arc::new(stored(&[[1, 1], [2, 5], [7, 0]]));
        let new = stored(&[[0, 9], [2, 5], [8, 1]]);
        let all = union_stored(&old, new, &guard).map_err(|_| ()).unwrap();
        assert_eq!(*all, stored(&[[0, 9], [1, 1], [2, 5], [7, 0], [8, 1]]));
        let none = union_stored(&old, stored(&[]), &guard)
            .map_err(|_| ())
            .unwrap();
        assert!(Arc::ptr_eq(&none, &old));
        let known = union_stored(&old, stored(&[[2, 5]]), &guard)
            .map_err(|_| ())
            .unwrap();
        assert!(
            Arc::ptr_eq(&known, &old),
            "no new row: the old relation, not a copy"
        );
    }
}
