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
        let mask = self.mask();
        let (mut slot, tag) = self.slot(id);
        loop {
            match self.slots[slot] {
                (EMPTY, _) => return None,
                (other, t) if t == tag && id_of(other) == id => return Some(other),
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}
