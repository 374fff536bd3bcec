//! A lookup table from task ids to indices that stores only indices.
//!
//! The ids live in the definition already; a `HashMap<String, _>` would
//! copy all of them (100,000 allocations for a large pipeline) and hash
//! them with SipHash, whose DoS resistance a pipeline file does not need.
//! This table hashes with FxHash (as rustc does) and probes linearly over
//! `u32` slots, comparing against the ids where they already are.

/// FxHash over bytes: fast, and good enough for identifiers.
fn hash(text: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    // The tail (all of a short id) as one word: one round, not one per
    // byte. Its length goes in the top byte so "a" and "a\0" differ.
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut word = [0u8; 8];
        word[..tail.len()].copy_from_slice(tail);
        let word = u64::from_le_bytes(word) | ((tail.len() as u64) << 59);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    h
}

const EMPTY: u32 = u32::MAX;

/// What [`IdIndex::get_all`] gives for an id not in the table (no index
/// is `u32::MAX`: a table holds fewer ids).
pub(crate) const NOT_FOUND: u32 = u32::MAX;

/// How many lookups [`IdIndex::get_all`] has in flight.
const BATCH: usize = 32;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdIndex {
    /// (index, the hash's low 32 bits as a tag to skip most string
    /// comparisons).
    slots: Vec<(u32, u32)>,
    /// 64 minus log2 of the number of slots: Fibonacci hashing takes the
    /// slot from the high bits of the product, where FxHash's entropy is.
    shift: u32,
}

impl IdIndex {
    /// An empty table for `n` ids (load factor at most one half).
    pub(crate) fn with_capacity(n: usize) -> IdIndex {
        let size = (n.max(1) * 2).next_power_of_two();
        IdIndex {
            slots: vec![(EMPTY, 0); size],
            shift: 64 - size.trailing_zeros(),
        }
    }

    fn slot(&self, id: &str) -> (usize, u32) {
        let h = hash(id).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // `shift` is 64 for a one-slot table, where the slot is 0.
        (h.checked_shr(self.shift).unwrap_or(0) as usize, h as u32)
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Inserts `index` under `id`, unless the id is there: then returns
    /// the index already stored.
    pub(crate) fn insert<'a>(
        &mut self,
        id: &str,
        index: u32,
        id_of: impl Fn(u32) -> &'a str,
    ) -> Option<u32> {
        let mask = self.mask();
        let (mut slot, tag) = self.slot(id);
        loop {
            match self.slots[slot] {
                (EMPTY, _) => {
                    self.slots[slot] = (index, tag);
                    return None;
                }
                (other, t) if t == tag && id_of(other) == id => return Some(other),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// The index stored under `id`.
    pub(crate) fn get<'a>(&self, id: &str, id_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let (slot, tag) = self.slot(id);
        self.probe(id, slot, tag, &id_of)
    }

    /// [`get`](Self::get) from `slot` on.
    fn probe<'a>(
        &self,
        id: &str,
        mut slot: usize,
        tag: u32,
        id_of: &impl Fn(u32) -> &'a str,
    ) -> Option<u32> {
        let mask = self.mask();
        loop {
            match self.slots[slot] {
                (EMPTY, _) => return None,
                (other, t) if t == tag && id_of(other) == id => return Some(other),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// The index stored under each of `ids`, in order, appended to `out`
    /// ([`NOT_FOUND`] for an id not there): [`get`](Self::get) of each,
    /// in batches. A large table and the ids it names are out of cache,
    /// and one lookup is two dependent reads (the slot, then the id it
    /// names); reading a batch's slots first, then their ids, lets the
    /// reads of different lookups overlap instead of waiting one by one
    /// (resolving a 100,000-step pipeline's 300,000 needs was half of its
    /// validation).
    pub(crate) fn get_all<'a, 'b>(
        &self,
        ids: impl Iterator<Item = &'b str>,
        id_of: impl Fn(u32) -> &'a str,
        out: &mut Vec<u32>,
    ) {
        if self.slots.is_empty() {
            out.extend(ids.map(|_| NOT_FOUND));
            return;
        }
        let mut ids = ids.peekable();
        let mut batch: Vec<(&str, usize, u32)> = Vec::with_capacity(BATCH);
        let mut first = [(EMPTY, 0); BATCH];
        while ids.peek().is_some() {
            batch.clear();
            batch.extend(ids.by_ref().take(BATCH).map(|id| {
                let (slot, tag) = self.slot(id);
                (id, slot, tag)
            }));
            for (entry, &(_, slot, _)) in first.iter_mut().zip(&batch) {
                *entry = self.slots[slot];
            }
            for (&(id, slot, tag), &(index, t)) in batch.iter().zip(&first) {
                let found = match index {
                    EMPTY => None,
                    _ if t == tag && id_of(index) == id => Some(index),
                    _ => self.probe(id, (slot + 1) & self.mask(), tag, &id_of),
                };
                out.push(found.unwrap_or(NOT_FOUND));
            }
        }
    }
}
