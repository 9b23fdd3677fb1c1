//! Interned constants: every value the engine touches is a `u32`.
//!
//! Small integers (`-2^30 ..= 2^30 - 1`) are stored inline with the top bit set; every other
//! constant (symbols, strings, dates, large integers) is an index into a table. Each constant has
//! exactly one id, so equality of values is equality of ids and tuples sort and compare as plain
//! integer arrays. Ordering comparisons (`<`) decode the ids; see [`Interner::compare`].

use crate::value::{Const, Date};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::sync::Arc;

/// An interned value.
pub type Val = u32;

const INLINE: u32 = 1 << 31;
const INLINE_MIN: i64 = -(1 << 30);
const INLINE_MAX: i64 = (1 << 30) - 1;

/// A decoded value, borrowed from the interner (no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValRef<'a> {
    /// An integer.
    Int(i64),
    /// A date.
    Date(Date),
    /// A symbol or string.
    Str(&'a str),
}

/// The table of constants for one evaluation (ids are not comparable across interners, except
/// between an interner and its clones, which keep every id they share).
///
/// In two layers, so that a clone costs what was added since the last [`freeze`]: a variant of
/// an evaluation (a sweep's combination, a timeline's date) copies its base's constants by
/// reference count, not one by one — thousands of variants each copied a table of thousands
/// of strings before.
///
/// [`freeze`]: Interner::freeze
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// Ids `0..frozen.consts.len()`, shared with the clones made since it was frozen.
    frozen: Arc<Table>,
    /// Ids from `frozen.consts.len()` on, this interner's own.
    local: Table,
}

/// Constants in id order, and the way back.
#[derive(Clone, Debug, Default)]
struct Table {
    consts: Vec<Const>,
    ids: FxHashMap<Const, Val>,
}

impl Interner {
    /// An empty table.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// Moves the constants added so far into the shared layer, so that clones made from now on
    /// copy none of them. Ids do not change.
    pub fn freeze(&mut self) {
        if self.local.consts.is_empty() {
            return;
        }
        let local = std::mem::take(&mut self.local);
        let mut table = match Arc::try_unwrap(std::mem::take(&mut self.frozen)) {
            Ok(table) => table,
            Err(shared) => (*shared).clone(),
        };
        table.consts.extend(local.consts);
        table.ids.extend(local.ids);
        self.frozen = Arc::new(table);
    }

    /// Number of constants with an id from the table (inline integers are not counted).
    pub fn len(&self) -> usize {
        self.frozen.consts.len() + self.local.consts.len()
    }

    /// Whether no constant has an id from the table.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of a constant, adding it if new.
    pub fn intern(&mut self, c: &Const) -> Val {
        if let Some(id) = self.find(c) {
            return id;
        }
        let id = self.len() as Val;
        assert!(id < INLINE, "more than 2^31 distinct constants");
        self.local.consts.push(c.clone());
        self.local.ids.insert(c.clone(), id);
        id
    }

    /// The id of an integer.
    pub fn int(&mut self, i: i64) -> Val {
        if (INLINE_MIN..=INLINE_MAX).contains(&i) {
            INLINE | ((i - INLINE_MIN) as u32)
        } else {
            self.intern(&Const::Int(i))
        }
    }

    /// The id of a symbol/string.
    pub fn str(&mut self, s: &str) -> Val {
        self.intern(&Const::Str(s.into()))
    }

    /// The id of a constant if it was ever interned (lookups must not grow the table).
    pub fn find(&self, c: &Const) -> Option<Val> {
        match c {
            Const::Int(i) if (INLINE_MIN..=INLINE_MAX).contains(i) => {
                Some(INLINE | ((*i - INLINE_MIN) as u32))
            }
            _ => (self.frozen.ids.get(c).or_else(|| self.local.ids.get(c))).copied(),
        }
    }

    /// Decodes an id without allocating.
    #[inline]
    pub fn get(&self, v: Val) -> ValRef<'_> {
        if v & INLINE != 0 {
            return ValRef::Int((v & !INLINE) as i64 + INLINE_MIN);
        }
        match self.stored(v) {
            Const::Int(i) => ValRef::Int(*i),
            Const::Date(d) => ValRef::Date(*d),
            Const::Str(s) => ValRef::Str(s),
        }
    }

    /// The constant of a table id (not an inline integer).
    #[inline]
    fn stored(&self, v: Val) -> &Const {
        let frozen = &self.frozen.consts;
        match frozen.get(v as usize) {
            Some(c) => c,
            None => &self.local.consts[v as usize - frozen.len()],
        }
    }

    /// The integer behind an id, if it is one.
    #[inline]
    pub fn as_int(&self, v: Val) -> Option<i64> {
        if v & INLINE != 0 {
            Some((v & !INLINE) as i64 + INLINE_MIN)
        } else {
            match *self.stored(v) {
                Const::Int(i) => Some(i),
                _ => None,
            }
        }
    }

    /// The constant behind an id, owned (for answers).
    pub fn constant(&self, v: Val) -> Const {
        match self.get(v) {
            ValRef::Int(i) => Const::Int(i),
            ValRef::Date(d) => Const::Date(d),
            ValRef::Str(s) => Const::Str(s.into()),
        }
    }

    /// Orders two values of the same kind (integers numerically, dates chronologically,
    /// strings by code point); values of different kinds are unordered (`None`).
    #[inline]
    pub fn compare(&self, a: Val, b: Val) -> Option<Ordering> {
        if a == b {
            return Some(Ordering::Equal);
        }
        match (self.get(a), self.get(b)) {
            (ValRef::Int(x), ValRef::Int(y)) => Some(x.cmp(&y)),
            (ValRef::Date(x), ValRef::Date(y)) => Some(x.cmp(&y)),
            (ValRef::Str(x), ValRef::Str(y)) => Some(x.cmp(y)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_constant_has_one_id() {
        let mut i = Interner::new();
        for n in [
            0,
            -1,
            1 << 30,
            -(1 << 30),
            (1 << 30) - 1,
            i64::MIN,
            i64::MAX,
        ] {
            let id = i.int(n);
            assert_eq!(i.as_int(id), Some(n));
            assert_eq!(i.intern(&Const::Int(n)), id);
        }
        assert_eq!(i.str("nato"), i.intern(&Const::Str("nato".into())));
        assert_ne!(i.str("nato"), i.str("csto"));
    }

    #[test]
    fn clones_after_freezing_keep_their_ids_and_add_their_own() {
        let mut base = Interner::new();
        let nato = base.str("nato");
        let big = base.int(i64::MAX);
        base.freeze();
        let mut a = base.clone();
        let mut b = base.clone();
        assert_eq!(a.str("nato"), nato);
        let (x, y) = (a.str("only_in_a"), b.str("only_in_b"));
        assert_eq!(
            x, y,
            "each clone numbers its own constants from the base's length"
        );
        assert_eq!(a.get(x), ValRef::Str("only_in_a"));
        assert_eq!(b.get(y), ValRef::Str("only_in_b"));
        assert_eq!(b.find(&Const::Str("only_in_a".into())), None);
        assert_eq!(a.as_int(big), Some(i64::MAX));
        a.freeze();
        assert_eq!(a.get(x), ValRef::Str("only_in_a"));
        assert_eq!(a.str("nato"), nato);
        assert_eq!((a.len(), base.len()), (3, 2));
    }

    #[test]
    fn compare_decodes_kinds() {
        let mut i = Interner::new();
        let (a, b) = (i.int(-5), i.int(i64::MAX));
        assert_eq!(i.compare(a, b), Some(Ordering::Less));
        let (x, y) = (i.str("b"), i.str("a"));
        assert_eq!(i.compare(x, y), Some(Ordering::Greater));
        assert_eq!(i.compare(a, x), None);
    }
}
