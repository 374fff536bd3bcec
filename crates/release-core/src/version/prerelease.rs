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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CounterStyle {
    /// `rc.1`: the SemVer spelling, which orders `rc.10` after `rc.2`.
    #[default]
    Dotted,
    /// `rc1`: the spelling many teams use; read as `rc.1` for ordering.
    Attached,
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
    let mut respelled = false;
    let mut out = String::with_capacity(text.len() + 2);
    for ident in text.split('.') {
        if ident.is_empty() {
            return Err(PreError::EmptyIdentifier);
        }
        if let Some(c) = ident
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(PreError::BadCharacter(c));
        }
        let numeric = ident.bytes().all(|b| b.is_ascii_digit());
        if numeric && ident.len() > 1 && ident.starts_with('0') {
            return Err(PreError::LeadingZero);
        }
        if !out.is_empty() {
            out.push('.');
        }
        if ident.bytes().any(|b| b.is_ascii_uppercase()) {
            respelled = true;
        }
        let lower = ident.to_ascii_lowercase();
        match split_attached(&lower) {
            Some((label, counter)) => {
                respelled = true;
                out.push_str(label);
                out.push('.');
                out.push_str(counter);
            }
            None => out.push_str(&lower),
        }
    }
    // Every identifier was checked above, so this cannot fail; map anyway
    // rather than panic.
    let pre = Prerelease::new(&out).map_err(|_| PreError::EmptyIdentifier)?;
    Ok(Normalised { pre, respelled })
}

/// `rc1` -> (`rc`, `1`); `rc01`, `rc`, `1rc`, `x86-64` -> none.
fn split_attached(ident: &str) -> Option<(&str, &str)> {
    let digits_at = ident.find(|c: char| c.is_ascii_digit())?;
    let (label, counter) = ident.split_at(digits_at);
    let letters = !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphabetic());
    let number = counter.bytes().all(|b| b.is_ascii_digit())
        && (counter == "0" || !counter.starts_with('0'));
    (letters && number).then_some((label, counter))
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
pub(crate) fn bump(pre: &Prerelease, spelling: &str) -> String {
    let style = style_of(spelling);
    match label_and_counter(pre) {
        (Some(label), Some(n)) => {
            // Keep the user's spelling of the label (including case) when
            // it is a simple label; otherwise the normalised one.
            let original_label = original_label(spelling).unwrap_or(label);
            spell(original_label, n + 1, style)
        }
        (None, Some(n)) => (n + 1).to_string(),
        (Some(_), None) | (None, None) => format!("{spelling}.1"),
    }
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
        let b = |s: &str| bump(&normalise(s).unwrap().pre, s);
        assert_eq!(b("rc1"), "rc2");
        assert_eq!(b("rc.1"), "rc.2");
        assert_eq!(b("beta"), "beta.1");
        assert_eq!(b("3"), "4");
        assert_eq!(b("RC9"), "RC10");
    }
}
