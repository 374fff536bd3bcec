//! Pre-release labels as teams write them, read as SemVer precedence needs.
//!
//! SemVer 2.0.0 compares `rc10` and `rc2` as text (so `rc10 < rc2`) and
//! uppercase before lowercase (so `Beta < alpha`). Teams write both `-rc.1`
//! and `-rc1`, and old tags say `-Beta`. We therefore read every pre-release
//! into a *normalised* [`semver::Prerelease`]: identifiers lowercased, and a
//! letters-then-digits identifier (`rc1`) split into a label and a counter
//! (`rc.1`). Precedence is computed on the normalised form; the original
//! spelling is kept for formatting, so round trips stay exact.

use semver::Prerelease;

/// How a counter is attached to a pre-release label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CounterStyle {
    /// `rc.1`: the SemVer spelling, which orders `rc.10` after `rc.2`.
    #[default]
    Dotted,
    /// `rc1`: the spelling many teams use; read as `rc.1` for ordering.
    Attached,
}

crate::vocabulary! {
    CounterStyle, "counter style",
    {
        Dotted => "dotted",
        Attached => "attached",
    }
}

/// The normalised form of a pre-release string and whether it differs from
/// the spelling it was read from.
pub(crate) struct Normalised {
    pub(crate) pre: Prerelease,
    pub(crate) respelled: bool,
}

/// Why a pre-release string could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PreError {
    Empty,
    EmptyIdentifier,
    BadCharacter(char),
    LeadingZero,
}

impl PreError {
    pub(crate) fn describe(self) -> String {
        match self {
            PreError::Empty => "empty pre-release after '-'".to_owned(),
            PreError::EmptyIdentifier => "empty identifier in pre-release".to_owned(),
            PreError::BadCharacter(c) => {
                format!(
                    "unexpected character {c:?} in pre-release (allowed: 0-9, A-Z, a-z, '-', '.')"
                )
            }
            PreError::LeadingZero => "numeric pre-release identifier has a leading zero".to_owned(),
        }
    }
}

/// Reads the text after the `-` of a pre-release (without build metadata).
pub(crate) fn normalise(text: &str) -> Result<Normalised, PreError> {
    if text.is_empty() {
        return Err(PreError::Empty);
    }
    // Byte-level throughout: bulk parsing meets many `-rc1` tags, and the
    // char-pattern machinery of `str::split` showed in profiles.
    let bytes = text.as_bytes();
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.';
    if let Some(at) = bytes.iter().position(|b| !allowed(b)) {
        let c = text[at..].chars().next().unwrap_or('\u{fffd}');
        return Err(PreError::BadCharacter(c));
    }
    let mut respelled = bytes.iter().any(u8::is_ascii_uppercase);
    for ident in bytes.split(|b| *b == b'.') {
        match ident {
            [] => return Err(PreError::EmptyIdentifier),
            [b'0', _, ..] if ident.iter().all(u8::is_ascii_digit) => {
                return Err(PreError::LeadingZero);
            }
            _ => respelled |= attached_at_bytes(ident).is_some(),
        }
    }
    let invalid = |_| PreError::EmptyIdentifier;
    if !respelled {
        return Ok(Normalised {
            pre: Prerelease::new(text).map_err(invalid)?,
            respelled,
        });
    }
    // Each identifier gains at most one '.', so the normal form is at most
    // twice as long; short ones (`rc1`, `Beta2`) are built on the stack.
    let mut stack = [0u8; 64];
    let mut heap = Vec::new();
    let out: &mut [u8] = if bytes.len() * 2 <= stack.len() {
        &mut stack
    } else {
        heap.resize(bytes.len() * 2, 0);
        &mut heap
    };
    let mut len = 0;
    for (i, ident) in bytes.split(|b| *b == b'.').enumerate() {
        if i > 0 {
            out[len] = b'.';
            len += 1;
        }
        let split = attached_at_bytes(ident);
        for (at, b) in ident.iter().enumerate() {
            if Some(at) == split {
                out[len] = b'.';
                len += 1;
            }
            out[len] = b.to_ascii_lowercase();
            len += 1;
        }
    }
    let normal = std::str::from_utf8(&out[..len]).map_err(|_| PreError::EmptyIdentifier)?;
    Ok(Normalised {
        pre: Prerelease::new(normal).map_err(invalid)?,
        respelled,
    })
}

/// Where the counter of an attached identifier starts: `rc1` -> 2, `RC10`
/// -> 2; `rc01`, `rc`, `1rc`, `x86-64` -> none.
fn attached_at(ident: &str) -> Option<usize> {
    attached_at_bytes(ident.as_bytes())
}

/// [`attached_at`] on bytes.
fn attached_at_bytes(bytes: &[u8]) -> Option<usize> {
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let counter = &bytes[letters..];
    let number = !counter.is_empty()
        && counter.iter().all(u8::is_ascii_digit)
        && (counter.len() == 1 || counter[0] != b'0');
    (letters > 0 && number).then_some(letters)
}

/// `rc1` -> (`rc`, `1`); see [`attached_at`].
fn split_attached(ident: &str) -> Option<(&str, &str)> {
    attached_at(ident).map(|at| ident.split_at(at))
}

/// Whether a pre-release that `semver` accepted is already in normal form
/// (lowercase, no attached counters): the common case, checked without
/// allocating.
pub(crate) fn is_normal(text: &str) -> bool {
    !text.bytes().any(|b| b.is_ascii_uppercase())
        && text
            .as_bytes()
            .split(|b| *b == b'.')
            .all(|ident| attached_at_bytes(ident).is_none())
}

/// Whether `text` contains uppercase letters (read case-insensitively, with a
/// warning).
pub(crate) fn has_uppercase(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_uppercase())
}

/// The label and counter of a normalised pre-release: `rc.2` -> (`rc`, 2),
/// `beta` -> (`beta`, none), `alpha.1.beta` -> none of either shape.
pub(crate) fn label_and_counter(pre: &Prerelease) -> (Option<&str>, Option<u64>) {
    let mut parts = pre.as_str().rsplitn(2, '.');
    let last = parts.next().unwrap_or("");
    match (last.parse::<u64>(), parts.next()) {
        (Ok(n), Some(label)) => (Some(label), Some(n)),
        (Ok(n), None) => (None, Some(n)),
        (Err(_), _) => (Some(pre.as_str()), None),
    }
}

/// The counter style a spelling uses: `rc1` is attached, anything else dotted.
pub(crate) fn style_of(spelling: &str) -> CounterStyle {
    let last = spelling.rsplit('.').next().unwrap_or("");
    if split_attached(&last.to_ascii_lowercase()).is_some() {
        CounterStyle::Attached
    } else {
        CounterStyle::Dotted
    }
}

/// Spells `label` with `counter` in the given style: (`rc`, 2) -> `rc.2` or
/// `rc2`.
pub(crate) fn spell(label: &str, counter: u64, style: CounterStyle) -> String {
    if label.is_empty() {
        return counter.to_string();
    }
    match style {
        CounterStyle::Dotted => format!("{label}.{counter}"),
        CounterStyle::Attached => format!("{label}{counter}"),
    }
}

/// The next pre-release after `pre` (normalised), spelled like `spelling`:
/// the trailing counter goes up by one; a label without a counter gets `.1`
/// (so `beta` -> `beta.1`, which SemVer orders after `beta`).
///
/// # Errors
///
/// A [refused error](crate::ErrorKind::Refused) when the counter is
/// `u64::MAX`.
pub(crate) fn bump(pre: &Prerelease, spelling: &str) -> crate::Result<String> {
    let style = style_of(spelling);
    Ok(match label_and_counter(pre) {
        (Some(label), Some(n)) => {
            // Keep the user's spelling of the label (including case) when
            // it is a simple label; otherwise the normalised one.
            let original_label = original_label(spelling).unwrap_or(label);
            spell(original_label, super::bump::checked(n)?, style)
        }
        (None, Some(n)) => super::bump::checked(n)?.to_string(),
        (Some(_), None) | (None, None) => format!("{spelling}.1"),
    })
}

/// The label as the user spelled it, if the spelling is `label[.]N`.
fn original_label(spelling: &str) -> Option<&str> {
    let trimmed = spelling.trim_end_matches(|c: char| c.is_ascii_digit());
    let label = trimmed.strip_suffix('.').unwrap_or(trimmed);
    (!label.is_empty() && label.len() < spelling.len()).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> (String, bool) {
        let n = normalise(s).unwrap();
        (n.pre.to_string(), n.respelled)
    }

    #[test]
    fn attached_counters_split_for_precedence() {
        assert_eq!(norm("rc1"), ("rc.1".into(), true));
        assert_eq!(norm("rc.1"), ("rc.1".into(), false));
        assert_eq!(norm("Beta"), ("beta".into(), true));
        assert_eq!(norm("RC10"), ("rc.10".into(), true));
        assert_eq!(norm("rc01"), ("rc01".into(), false));
        assert_eq!(norm("x86-64"), ("x86-64".into(), false));
        assert!(normalise("rc..1").is_err());
        assert!(normalise("01").is_err());
        assert!(normalise("rc_1").is_err());
    }

    #[test]
    fn bumping_keeps_the_spelling() {
        let b = |s: &str| bump(&normalise(s).unwrap().pre, s).unwrap();
        assert_eq!(b("rc1"), "rc2");
        assert_eq!(b("rc.1"), "rc.2");
        assert_eq!(b("beta"), "beta.1");
        assert_eq!(b("3"), "4");
        assert_eq!(b("RC9"), "RC10");
    }

    #[test]
    fn a_counter_at_the_limit_is_refused() {
        for s in [
            "rc.18446744073709551615",
            "18446744073709551615",
            "rc18446744073709551615",
        ] {
            let err = bump(&normalise(s).unwrap().pre, s).unwrap_err();
            assert!(err.is_refused(), "{s}");
            assert_eq!(
                err.message(),
                "the number 18446744073709551615 cannot be incremented"
            );
        }
        // Beyond u64 the last identifier is not a counter: it gains one.
        let s = "rc.18446744073709551616";
        assert_eq!(
            bump(&normalise(s).unwrap().pre, s).unwrap(),
            "rc.18446744073709551616.1"
        );
    }
}
