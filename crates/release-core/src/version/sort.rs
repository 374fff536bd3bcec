//! Sorting many versions fast.
//!
//! Sorting a repository's tags is the bulk operation users run most (the
//! Python batch functions and `release version sort|latest` go through
//! here). Versions are wide (a SemVer version is 64 bytes) and their
//! comparison walks pre-release identifiers, so instead of sorting them we
//! sort 16-byte packed keys: `major`, `minor` and `patch` in one `u64`, with
//! a class that puts pre-releases before their final. Only runs of equal
//! keys whose order depends on more (pre-release identifiers, build
//! metadata) are then sorted with the full comparison, and the versions are
//! moved once into their final place.

use std::cmp::Ordering;

use super::scheme::Version;

/// Bits per number in the packed key. Numbers of 2^20 and above (no real
/// tag has them, a fuzzed corpus does) saturate: see [`packed`].
const BITS: u32 = 20;

/// Within one `major.minor.patch`: pre-releases, then the plain final, then
/// finals with build metadata (the `semver` crate's order); `Saturated`
/// marks a key that stands for every version from its prefix on (a number
/// too large to pack), so it sorts after all exact keys with that prefix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Pre = 0,
    Final = 1,
    Build = 2,
    Saturated = 3,
}

/// The packed key of a SemVer version: `major`, `minor`, `patch` and the
/// class. A version with a number of 2^20 or more gets the key of its
/// packable prefix with every lower field at its maximum and the class
/// `Saturated`, so keys stay in version order (`a <= b` gives
/// `key(a) <= key(b)`) and only versions sharing a saturated key need the
/// full comparison: the fast path is decided per version, not per list.
fn packed(version: &Version) -> Option<u64> {
    let v = version.as_semver()?.normalised();
    let limit = 1u64 << BITS;
    let max = limit - 1;
    let key = |major: u64, minor: u64, patch: u64, class: Class| {
        (major << (2 * BITS + 2)) | (minor << (BITS + 2)) | (patch << 2) | class as u64
    };
    Some(if v.major >= limit {
        key(max, max, max, Class::Saturated)
    } else if v.minor >= limit {
        key(v.major, max, max, Class::Saturated)
    } else if v.patch >= limit {
        key(v.major, v.minor, max, Class::Saturated)
    } else {
        let class = match (v.pre.is_empty(), v.build.is_empty()) {
            (false, _) => Class::Pre,
            (true, true) => Class::Final,
            (true, false) => Class::Build,
        };
        key(v.major, v.minor, v.patch, class)
    })
}

/// Sorts `(input index, version)` pairs by version, ties in input order.
/// `items` must be in input-index order (as built by one pass over the
/// input), which is what makes the slot a stable tie-break.
pub(crate) fn sort_versions(items: Vec<(usize, Version)>) -> Vec<(usize, Version)> {
    match sorted_slots(&items) {
        Some(order) => permute(items, order),
        None => sort_plain(items),
    }
}

/// The input indices of `items` in version order, ties in input order:
/// [`sort_versions`] without moving the wide versions, for callers that
/// only need the order (the Python binding returns the caller's strings).
pub(crate) fn version_order(items: Vec<(usize, Version)>) -> Vec<usize> {
    match sorted_slots(&items) {
        Some(order) => order
            .into_iter()
            .map(|slot| items[slot as usize].0)
            .collect(),
        None => sort_plain(items).into_iter().map(|(i, _)| i).collect(),
    }
}

/// The slots of `items` in version order through packed keys, or `None`
/// when a version has no packed key (CalVer, PEP 440) or there are 2^32
/// items or more.
fn sorted_slots(items: &[(usize, Version)]) -> Option<Vec<u32>> {
    u32::try_from(items.len()).ok()?;
    let mut keys: Vec<(u64, u32)> = items
        .iter()
        .enumerate()
        .map(|(slot, (_, v))| packed(v).map(|key| (key, slot as u32)))
        .collect::<Option<_>>()?;
    keys.sort_unstable();
    let full = |a: &(u64, u32), b: &(u64, u32)| -> Ordering {
        items[a.1 as usize]
            .1
            .cmp(&items[b.1 as usize].1)
            .then(a.1.cmp(&b.1))
    };
    // Equal keys of plain finals are equal versions, already in slot order;
    // other runs of equal keys need the full comparison.
    let mut start = 0;
    while start < keys.len() {
        let key = keys[start].0;
        let end = start + keys[start..].iter().take_while(|k| k.0 == key).count();
        if end - start > 1 && key & 0b11 != Class::Final as u64 {
            keys[start..end].sort_unstable_by(full);
        }
        start = end;
    }
    Some(keys.into_iter().map(|(_, slot)| slot).collect())
}

/// `items` rearranged so that position `k` holds what was at `order[k]`,
/// in place: each cycle of the permutation is walked once with swaps, so
/// no second list of these wide elements is allocated (on 100k tags the
/// copy and its page faults were a fifth of the sort).
fn permute(mut items: Vec<(usize, Version)>, mut order: Vec<u32>) -> Vec<(usize, Version)> {
    for start in 0..order.len() {
        let mut at = start;
        // A settled position points at itself.
        while order[at] as usize != start {
            let from = order[at] as usize;
            items.swap(at, from);
            order[at] = at as u32;
            at = from;
        }
        order[at] = at as u32;
    }
    items
}

/// The general path: CalVer and PEP 440 versions, and lists of 2^32 or more.
fn sort_plain(mut items: Vec<(usize, Version)>) -> Vec<(usize, Version)> {
    // An unstable sort with the index as the last tie-break gives the order
    // of a stable sort and is faster on these wide elements.
    items.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Scheme;

    /// The tags sorted, checking that the order-only path agrees.
    fn sorted(tags: &[&str]) -> Vec<String> {
        sorted_in(&Scheme::semver(), tags)
    }

    fn sorted_in(s: &Scheme, tags: &[&str]) -> Vec<String> {
        let items: Vec<(usize, Version)> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| (i, s.parse(t).unwrap()))
            .collect();
        let order = version_order(items.clone());
        let moved: Vec<usize> = sort_versions(items).into_iter().map(|(i, _)| i).collect();
        assert_eq!(order, moved);
        order.into_iter().map(|i| tags[i].to_owned()).collect()
    }

    #[test]
    fn calendar_versions_take_the_general_path_alike() {
        let s = Scheme::calver("YYYY.0M.MICRO").unwrap();
        let tags = ["2024.05.1", "2023.12.0", "2024.05.0", "2024.01.3"];
        assert_eq!(
            sorted_in(&s, &tags),
            ["2023.12.0", "2024.01.3", "2024.05.0", "2024.05.1"]
        );
    }

    #[test]
    fn packed_order_agrees_with_full_order() {
        let tags = [
            "1.0.0+b",
            "1.0.0",
            "1.0.0-rc.10",
            "1.0.0-rc2",
            "v1.0.0",
            "1.0.0+a",
            "0.9.0",
            "1.0.0-alpha",
            "2.0.0",
            "1.0.0-rc.2",
        ];
        assert_eq!(
            sorted(&tags),
            [
                "0.9.0",
                "1.0.0-alpha",
                "1.0.0-rc2",
                "1.0.0-rc.2",
                "1.0.0-rc.10",
                "1.0.0",
                "v1.0.0",
                "1.0.0+a",
                "1.0.0+b",
                "2.0.0"
            ]
        );
    }

    #[test]
    fn huge_numbers_sort_among_the_packed_ones() {
        let tags = [
            "3000000.0.0",
            "2000000.5.0",
            "1.0.0",
            "1.2000000.0",
            "1048575.1048575.1048575",
            "1.1.3000000",
            "2000000.1.0",
            "1.1048575.1048575+b",
            "1.1.2000000-rc.1",
            "1.1.2000000",
            "2.0.0",
            "1048575.1048575.1048575-rc.1",
        ];
        assert_eq!(
            sorted(&tags),
            [
                "1.0.0",
                "1.1.2000000-rc.1",
                "1.1.2000000",
                "1.1.3000000",
                "1.1048575.1048575+b",
                "1.2000000.0",
                "2.0.0",
                "1048575.1048575.1048575-rc.1",
                "1048575.1048575.1048575",
                "2000000.1.0",
                "2000000.5.0",
                "3000000.0.0",
            ]
        );
    }
}
