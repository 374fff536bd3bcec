//! Identities: who approved, waived, skipped, cancelled or requested a
//! release, in one format.
//!
//! A base module: approvals and waivers (gates), events (runs), roles
//! (processes) and the edges (the CLI's `--by`, Python's `by=`) all name
//! people, and a name compared by one of them must mean the same person to
//! the others. [`Identity`] is that name.
//!
//! # The format
//!
//! A login-style name: after trimming surrounding whitespace and
//! lower-casing ASCII letters, one ASCII letter or digit followed by ASCII
//! letters, digits, `.`, `_` and `-` (`[a-z0-9][a-z0-9._-]*`), at most
//! [`Identity::MAX_LEN`] bytes. `Alice` and `alice ` are `alice`.
//! Anything else is refused with the reason, never folded: Unicode
//! case-folding and NFKC leave the dotless `ı` of `alıce` and a Cyrillic
//! `а` distinct from their Latin look-alikes, so accepting them would let
//! one person appear as two (and approve their own release).
//!
//! # Example
//!
//! ```
//! use release_core::identity::Identity;
//!
//! let alice: Identity = " Alice ".parse()?;
//! assert_eq!(alice.as_str(), "alice");
//! assert_eq!(alice, "alice".parse::<Identity>()?);
//! let err = "al\u{131}ce".parse::<Identity>().unwrap_err();
//! assert!(err.to_string().contains("non-ASCII"), "{err}");
//! # Ok::<(), release_core::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A person (or a bot account), named in the one format of the core: see
/// the [module documentation](self).
///
/// Serialised as its normalised text; deserialising normalises and
/// validates, so a journal or a process file naming `Alice` reads as
/// `alice`, and one naming `alıce` is refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identity(String);

impl Identity {
    /// The longest identity, in bytes.
    pub const MAX_LEN: usize = 64;

    /// Reads `text` as an identity: trims it, lower-cases ASCII letters and
    /// checks the format.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) naming the reason: blank
    /// (whitespace and invisible characters only), too long, a non-ASCII
    /// character (not folded), or a character or first character outside
    /// the format.
    pub fn new(text: &str) -> Result<Identity> {
        let trimmed = text.trim();
        if is_blank(trimmed) {
            return Err(Error::parse(format!(
                "identity {text:?} is blank; name a person as a login such as \"alice\""
            )));
        }
        if let Some(c) = trimmed.chars().find(|c| !c.is_ascii()) {
            return Err(Error::parse(format!(
                "identity {text:?} has the non-ASCII character {c:?} (U+{:04X}); identities are ASCII logins ([a-z0-9][a-z0-9._-]*), and look-alike letters such as the dotless i or Cyrillic letters are refused, not folded",
                u32::from(c)
            )));
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.len() > Identity::MAX_LEN {
            return Err(Error::parse(format!(
                "identity {:?}... is {} characters long; identities have at most {}",
                &lower[..16],
                lower.len(),
                Identity::MAX_LEN
            )));
        }
        let mut chars = lower.chars();
        if let Some(first) = chars.next()
            && !first.is_ascii_alphanumeric()
        {
            return Err(Error::parse(format!(
                "identity {text:?} starts with {first:?}; an identity starts with a letter or a digit ([a-z0-9][a-z0-9._-]*)"
            )));
        }
        if let Some(bad) =
            chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(Error::parse(format!(
                "identity {text:?} has the character {bad:?}; identities are logins of letters, digits, '.', '_' and '-' ([a-z0-9][a-z0-9._-]*)"
            )));
        }
        Ok(Identity(lower))
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `text` says nothing: empty, or only Unicode whitespace and
/// format characters (General Category Cf: a zero-width space, a word
/// joiner, a byte order mark, bidirectional marks), which print as nothing.
/// An audit trail of blank approvers and reasons is no trail, so events
/// refuse them.
///
/// # Example
///
/// ```
/// use release_core::identity::is_blank;
///
/// assert!(is_blank(" \t"));
/// assert!(is_blank("\u{200b}"));
/// assert!(!is_blank("alice"));
/// ```
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_format(c))
}

/// Unicode's General Category Cf (format characters), as of Unicode 16.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// A reason that must say something: refused when [blank](is_blank).
///
/// # Errors
///
/// An [invalid error](crate::ErrorKind::Invalid) naming `what`.
pub fn given_reason(what: &str, text: &str) -> Result<()> {
    if is_blank(text) {
        return Err(Error::invalid(format!(
            "{what} must not be blank (an audit trail of blank reasons is no trail)"
        )));
    }
    Ok(())
}

impl FromStr for Identity {
    type Err = Error;

    fn from_str(text: &str) -> Result<Identity> {
        Identity::new(text)
    }
}

impl TryFrom<&str> for Identity {
    type Error = Error;

    fn try_from(text: &str) -> Result<Identity> {
        Identity::new(text)
    }
}

impl TryFrom<String> for Identity {
    type Error = Error;

    fn try_from(text: String) -> Result<Identity> {
        Identity::new(&text)
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Identity {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Identity {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Identity {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Identity {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Identity {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Identity, D::Error> {
        let text = String::deserialize(deserializer)?;
        Identity::new(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Identity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Identity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A person as a login: a letter or digit, then letters, digits, '.', '_' and '-'; surrounding whitespace is trimmed and ASCII letters are lower-cased. Non-ASCII letters are refused.",
            "type": "string",
            "pattern": "^\\s*[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\s*$",
            "examples": ["alice", "release-bot"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Identity {
        Identity::new(text).unwrap_or_else(|e| unreachable!("{text:?}: {e}"))
    }

    fn refused(text: &str) -> String {
        match Identity::new(text) {
            Ok(i) => unreachable!("{text:?} was accepted as {i}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn normalises_case_and_surrounding_whitespace() {
        assert_eq!(id("alice"), id("Alice"));
        assert_eq!(id("alice"), id("alice "));
        assert_eq!(id("alice"), id("\t ALICE\n"));
        assert_eq!(id("Release-Bot_2.x").as_str(), "release-bot_2.x");
        assert_eq!(id("0day").as_str(), "0day");
    }

    #[test]
    fn refuses_look_alikes_instead_of_folding_them() {
        let dotless = refused("al\u{131}ce");
        assert!(dotless.contains("non-ASCII"), "{dotless}");
        assert!(dotless.contains("U+0131"), "{dotless}");
        assert!(dotless.contains("not folded"), "{dotless}");
        // Cyrillic a (U+0430).
        let cyrillic = refused("\u{430}lice");
        assert!(cyrillic.contains("U+0430"), "{cyrillic}");
        // Fullwidth and accented letters too.
        assert!(refused("\u{ff41}lice").contains("non-ASCII"));
        assert!(refused("alic\u{e9}").contains("non-ASCII"));
    }

    #[test]
    fn refuses_blank_and_invisible() {
        assert!(refused("").contains("blank"));
        assert!(refused("   ").contains("blank"));
        assert!(refused("\u{200b}").contains("blank"));
        assert!(refused(" \u{feff} ").contains("blank"));
        // Invisible inside a name is a non-ASCII character.
        assert!(refused("ali\u{200b}ce").contains("non-ASCII"));
    }

    #[test]
    fn refuses_characters_outside_the_set() {
        assert!(refused("alice smith").contains("' '"));
        assert!(refused("alice@example.com").contains("'@'"));
        assert!(refused("-alice").contains("starts with"));
        assert!(refused(".alice").contains("starts with"));
        assert!(refused(&"a".repeat(65)).contains("at most 64"));
        assert_eq!(id(&"a".repeat(64)).as_str().len(), 64);
    }

    #[test]
    fn parses_displays_and_round_trips_through_serde() {
        let alice: Identity = "Alice".parse().unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(alice.to_string(), "alice");
        let json = serde_json::to_string(&alice).unwrap_or_default();
        assert_eq!(json, "\"alice\"");
        let back: Identity =
            serde_json::from_str("\" ALICE \"").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(back, alice);
        let err = serde_json::from_str::<Identity>("\"al\u{131}ce\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("non-ASCII"), "{err}");
    }

    #[test]
    fn blank_reasons() {
        assert!(is_blank(""));
        assert!(is_blank("\u{200b}"));
        assert!(is_blank(" \u{2060}\u{200d} "));
        assert!(!is_blank("."));
        assert!(given_reason("a reason", "\u{200b}").is_err());
        assert!(given_reason("a reason", "flaky").is_ok());
    }
}
