//! Calendar versions (CalVer) read and written by a format string.
//!
//! A format is a sequence of tokens and literal separators, for example
//! `YYYY.0M.MICRO` (Fragalysis: `2023.06.1`) or `YY.MM.DD_MICRO`. Tokens, as
//! on calver.org:
//!
//! | token | meaning | examples |
//! |---|---|---|
//! | `YYYY` | full year, four digits | `2023` |
//! | `YY` | year minus 2000, no padding | `6`, `23`, `106` |
//! | `0Y` | year minus 2000, zero-padded to two digits | `06`, `23`, `106` |
//! | `MM` | month, no padding | `6`, `12` |
//! | `0M` | month, two digits | `06`, `12` |
//! | `WW` | week of the year, Monday first (strftime `%W`: days before the first Monday are week 0), no padding | `0`, `7`, `52` |
//! | `0W` | the same week, two digits | `00`, `07`, `52` |
//! | `DD` | day of the month, no padding | `1`, `31` |
//! | `0D` | day of the month, two digits | `01`, `31` |
//! | `MICRO` | release counter within the period | `1`, `2`, `14` |
//!
//! Padding is part of the format: `2023.6.2` does not conform to
//! `YYYY.0M.MICRO`, and `2023.06.2` does not conform to `YYYY.MM.MICRO`.
//! A version may end in a pre-release suffix, `-rc.1` or `-rc1`, read as for
//! SemVer.
//!
//! `WW` uses `%W` rather than ISO 8601 weeks so that the week always belongs
//! to the `YYYY` written next to it (ISO week 1 of 2025 starts on
//! 2024-12-30, which would give the tag `2024.01`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fail::Fail;
use super::prerelease;
use crate::{Error, Result};

/// The largest `MICRO` counter: the token reads at most 19 digits.
pub(crate) const MAX_MICRO: u64 = 9_999_999_999_999_999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Token {
    Year4,
    YearShort,
    YearPadded,
    Month,
    MonthPadded,
    Week,
    WeekPadded,
    Day,
    DayPadded,
    Micro,
}

impl Token {
    /// Longest first, so `YYYY` wins over `YY`.
    const SPELLINGS: [(&'static str, Token); 10] = [
        ("YYYY", Token::Year4),
        ("MICRO", Token::Micro),
        ("YY", Token::YearShort),
        ("0Y", Token::YearPadded),
        ("MM", Token::Month),
        ("0M", Token::MonthPadded),
        ("WW", Token::Week),
        ("0W", Token::WeekPadded),
        ("DD", Token::Day),
        ("0D", Token::DayPadded),
    ];

    fn spelling(self) -> &'static str {
        Token::SPELLINGS
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("?", |(s, _)| s)
    }

    fn field(self) -> Field {
        match self {
            Token::Year4 | Token::YearShort | Token::YearPadded => Field::Year,
            Token::Month | Token::MonthPadded => Field::Month,
            Token::Week | Token::WeekPadded => Field::Week,
            Token::Day | Token::DayPadded => Field::Day,
            Token::Micro => Field::Micro,
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Token::Year4 => "a four-digit year (YYYY)",
            Token::YearShort => "a short year without padding (YY)",
            Token::YearPadded => "a zero-padded short year (0Y)",
            Token::Month => "a month without padding (MM)",
            Token::MonthPadded => "a zero-padded two-digit month (0M)",
            Token::Week => "a week of the year without padding (WW)",
            Token::WeekPadded => "a zero-padded two-digit week of the year (0W)",
            Token::Day => "a day of the month without padding (DD)",
            Token::DayPadded => "a zero-padded two-digit day (0D)",
            Token::Micro => "a release counter without padding (MICRO)",
        }
    }

    /// (minimum digits, maximum digits, zero-padded).
    fn width(self) -> (usize, usize, bool) {
        match self {
            Token::Year4 => (4, 4, true),
            Token::YearShort => (1, 3, false),
            Token::YearPadded => (2, 3, true),
            Token::Month | Token::Week | Token::Day => (1, 2, false),
            Token::MonthPadded | Token::WeekPadded | Token::DayPadded => (2, 2, true),
            Token::Micro => (1, 19, false),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Year,
    Month,
    Week,
    Day,
    Micro,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Token(Token),
    Literal(Box<str>),
}

/// A CalVer format string such as `YYYY.0M.MICRO`, parsed and validated.
///
/// Cheap to clone: versions read with a format keep a handle to it so they
/// can be formatted again.
///
/// # Example
///
/// ```
/// use release_core::version::CalVerFormat;
///
/// let format: CalVerFormat = "YYYY.0M.MICRO".parse()?;
/// assert!(format.has_micro());
/// assert!("YYYY.MM.0M".parse::<CalVerFormat>().is_err()); // two months
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct CalVerFormat {
    inner: Arc<FormatInner>,
}

struct FormatInner {
    source: String,
    segments: Vec<Segment>,
}

impl CalVerFormat {
    /// Parses a format string.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the format has no
    /// year, repeats a field, combines a week with a month or day, has a day
    /// without a month, or places two tokens next to each other where the
    /// boundary between them would be ambiguous.
    pub fn new(source: &str) -> Result<CalVerFormat> {
        let err = |why: String| Error::config(format!("invalid CalVer format {source:?}: {why}"));
        let mut segments: Vec<Segment> = Vec::new();
        let mut rest = source;
        while !rest.is_empty() {
            if let Some((spelling, token)) =
                Token::SPELLINGS.iter().find(|(s, _)| rest.starts_with(s))
            {
                segments.push(Segment::Token(*token));
                rest = &rest[spelling.len()..];
                continue;
            }
            let c = rest.chars().next().unwrap_or_default();
            if c.is_ascii_digit() || c.is_ascii_alphabetic() {
                return Err(err(format!(
                    "unknown token at byte {}: {:?} (tokens: YYYY, YY, 0Y, MM, 0M, WW, 0W, DD, 0D, MICRO)",
                    source.len() - rest.len(),
                    rest
                )));
            }
            if c == '-' && segments.is_empty() {
                return Err(err("a format may not start with '-'".into()));
            }
            match segments.last_mut() {
                Some(Segment::Literal(lit)) => {
                    let mut s = lit.to_string();
                    s.push(c);
                    *lit = s.into_boxed_str();
                }
                _ => segments.push(Segment::Literal(c.to_string().into_boxed_str())),
            }
            rest = &rest[c.len_utf8()..];
        }
        let tokens: Vec<Token> = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Token(t) => Some(*t),
                Segment::Literal(_) => None,
            })
            .collect();
        let count = |f: Field| tokens.iter().filter(|t| t.field() == f).count();
        for (field, name) in [
            (Field::Year, "year"),
            (Field::Month, "month"),
            (Field::Week, "week"),
            (Field::Day, "day"),
            (Field::Micro, "MICRO counter"),
        ] {
            if count(field) > 1 {
                return Err(err(format!("the {name} appears more than once")));
            }
        }
        if count(Field::Year) == 0 {
            return Err(err("a CalVer format needs a year (YYYY, YY or 0Y)".into()));
        }
        if count(Field::Week) == 1 && (count(Field::Month) == 1 || count(Field::Day) == 1) {
            return Err(err(
                "a week (WW, 0W) cannot be combined with a month or day".into(),
            ));
        }
        if count(Field::Day) == 1 && count(Field::Month) == 0 {
            return Err(err("a day (DD, 0D) needs a month (MM, 0M)".into()));
        }
        for pair in segments.windows(2) {
            if let [Segment::Token(a), Segment::Token(b)] = pair {
                let (min, max, _) = a.width();
                if min != max {
                    return Err(err(format!(
                        "{} followed directly by {} is ambiguous; put a separator between them",
                        a.spelling(),
                        b.spelling()
                    )));
                }
            }
        }
        if let Some(Segment::Literal(lit)) = segments.last() {
            return Err(err(format!(
                "a format ends with a token, not with the separator {lit:?} (a '-' after the version starts a pre-release)"
            )));
        }
        Ok(CalVerFormat {
            inner: Arc::new(FormatInner {
                source: source.to_owned(),
                segments,
            }),
        })
    }

    /// The format string this was parsed from.
    pub fn as_str(&self) -> &str {
        &self.inner.source
    }

    /// Whether the format has a `MICRO` counter, so that several releases
    /// can share a period.
    pub fn has_micro(&self) -> bool {
        self.tokens().any(|t| t == Token::Micro)
    }

    fn tokens(&self) -> impl Iterator<Item = Token> + '_ {
        self.inner.segments.iter().filter_map(|s| match s {
            Segment::Token(t) => Some(*t),
            Segment::Literal(_) => None,
        })
    }

    fn has(&self, field: Field) -> bool {
        self.tokens().any(|t| t.field() == field)
    }

    /// Reads `text` as a version of this format.
    pub(crate) fn parse_inner(&self, text: &str) -> std::result::Result<CalVersion, Fail> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut parts = Parts::default();
        for (index, segment) in self.inner.segments.iter().enumerate() {
            match segment {
                Segment::Literal(lit) => {
                    if !text[pos..].starts_with(&**lit) {
                        return Err(Fail::Literal {
                            literal: literal_name(lit),
                            at: pos,
                        });
                    }
                    pos += lit.len();
                }
                Segment::Token(token) => {
                    let (min, max, padded) = token.width();
                    let digits = bytes[pos..]
                        .iter()
                        .take(max)
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    let expected = || Fail::Expected {
                        what: token.expected(),
                        at: pos,
                        width: max.min(4),
                    };
                    let field_text = &text[pos..pos + digits];
                    if padded && min == 2 && digits == 1 {
                        return Err(Fail::Padding {
                            what: field_name(token.field()),
                            token: token.spelling(),
                            padded: false,
                            at: pos,
                            len: digits,
                        });
                    }
                    if digits < min {
                        return Err(expected());
                    }
                    // Fixed-width tokens must not be followed by another
                    // digit: `2023.060` is not `0M` followed by nothing.
                    let token_follows =
                        matches!(self.inner.segments.get(index + 1), Some(Segment::Token(_)));
                    if padded
                        && min == max
                        && !token_follows
                        && bytes.get(pos + digits).is_some_and(u8::is_ascii_digit)
                    {
                        return Err(expected());
                    }
                    let leading_zero = digits > 1 && field_text.starts_with('0');
                    // Unpadded tokens and the 3-digit form of `0Y` never
                    // start with a zero.
                    if leading_zero && !padded {
                        return Err(Fail::Padding {
                            what: field_name(token.field()),
                            token: token.spelling(),
                            padded: true,
                            at: pos,
                            len: digits,
                        });
                    }
                    if leading_zero && digits > min {
                        return Err(expected());
                    }
                    let value: u64 = field_text.parse().map_err(|_| expected())?;
                    let range_fail = |range: &'static str| Fail::OutOfRange {
                        what: field_name(token.field()),
                        value,
                        range,
                        at: pos,
                    };
                    match token.field() {
                        Field::Year => {
                            // At most four digits (three for YY, 0Y), so
                            // this neither truncates nor overflows.
                            let year = i32::try_from(value).map_err(|_| expected())?;
                            parts.year = match token {
                                Token::Year4 => year,
                                _ => 2000 + year,
                            }
                        }
                        Field::Month => {
                            if !(1..=12).contains(&value) {
                                return Err(range_fail("1-12"));
                            }
                            parts.month = Some(value as u8);
                        }
                        Field::Week => {
                            if value > 53 {
                                return Err(range_fail("0-53"));
                            }
                            parts.week = Some(value as u8);
                        }
                        Field::Day => {
                            if !(1..=31).contains(&value) {
                                return Err(range_fail("1-31"));
                            }
                            parts.day = Some(value as u8);
                        }
                        Field::Micro => parts.micro = Some(value),
                    }
                    pos += digits;
                }
            }
        }
        if let (Some(month), Some(day)) = (parts.month, parts.day)
            && NaiveDate::from_ymd_opt(parts.year, month.into(), day.into()).is_none()
        {
            return Err(Fail::NotADate);
        }
        let pre = match text[pos..].strip_prefix('-') {
            None if pos == text.len() => None,
            None => return Err(Fail::Trailing { at: pos }),
            Some(pre_text) => {
                let n = prerelease::normalise(pre_text).map_err(Fail::Pre)?;
                Some(Pre {
                    normalised: n.pre,
                    spelling: pre_text.into(),
                })
            }
        };
        Ok(CalVersion::from_fields(CalFields {
            parts,
            pre,
            format: self.clone(),
        }))
    }

    /// The version of this format for `date` with the given counter.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the format cannot
    /// write the date so that it reads back: `YYYY` holds the years 0 to
    /// 9999, `YY` and `0Y` the years 2000 to 2999; or when the counter has
    /// more than the 19 digits `MICRO` reads.
    pub fn version_for(&self, date: NaiveDate, micro: Option<u64>) -> Result<CalVersion> {
        let parts = Parts::of(self, date, micro)?;
        Ok(CalVersion::from_fields(CalFields {
            parts,
            pre: None,
            format: self.clone(),
        }))
    }

    fn write(&self, parts: &Parts, out: &mut impl fmt::Write) -> fmt::Result {
        for segment in &self.inner.segments {
            match segment {
                Segment::Literal(lit) => out.write_str(lit)?,
                Segment::Token(token) => {
                    let short = parts.year - 2000;
                    match token {
                        Token::Year4 => write!(out, "{:04}", parts.year)?,
                        Token::YearShort => write!(out, "{short}")?,
                        Token::YearPadded => write!(out, "{short:02}")?,
                        Token::Month => write!(out, "{}", parts.month.unwrap_or(0))?,
                        Token::MonthPadded => write!(out, "{:02}", parts.month.unwrap_or(0))?,
                        Token::Week => write!(out, "{}", parts.week.unwrap_or(0))?,
                        Token::WeekPadded => write!(out, "{:02}", parts.week.unwrap_or(0))?,
                        Token::Day => write!(out, "{}", parts.day.unwrap_or(0))?,
                        Token::DayPadded => write!(out, "{:02}", parts.day.unwrap_or(0))?,
                        Token::Micro => write!(out, "{}", parts.micro.unwrap_or(0))?,
                    }
                }
            }
        }
        Ok(())
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Year => "year",
        Field::Month => "month",
        Field::Week => "week",
        Field::Day => "day",
        Field::Micro => "counter",
    }
}

/// Separators are nearly always one of a few characters; name them
/// statically so the error path allocates only when it is turned into a
/// message.
fn literal_name(lit: &str) -> &'static str {
    match lit {
        "." => ".",
        "-" => "-",
        "_" => "_",
        "/" => "/",
        "+" => "+",
        _ => "the format's separator",
    }
}

impl std::str::FromStr for CalVerFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<CalVerFormat> {
        CalVerFormat::new(s)
    }
}

impl fmt::Display for CalVerFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.source)
    }
}

impl fmt::Debug for CalVerFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CalVerFormat({:?})", self.inner.source)
    }
}

impl PartialEq for CalVerFormat {
    fn eq(&self, other: &Self) -> bool {
        self.inner.source == other.inner.source
    }
}

impl Eq for CalVerFormat {}

impl Hash for CalVerFormat {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.inner.source.hash(state);
    }
}

impl Serialize for CalVerFormat {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.inner.source)
    }
}

impl<'de> Deserialize<'de> for CalVerFormat {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CalVerFormat::new(&text).map_err(serde::de::Error::custom)
    }
}

/// The date fields and counter of a CalVer version; absent fields are not in
/// the format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Parts {
    year: i32,
    month: Option<u8>,
    week: Option<u8>,
    day: Option<u8>,
    micro: Option<u64>,
}

impl Parts {
    fn of(format: &CalVerFormat, date: NaiveDate, micro: Option<u64>) -> Result<Parts> {
        let year = date.year();
        let short = format
            .tokens()
            .any(|t| matches!(t, Token::YearShort | Token::YearPadded));
        if short && year < 2000 {
            return Err(Error::config(format!(
                "the format {format} writes the year minus 2000 and cannot represent {year}"
            )));
        }
        // What the parser reads back: three digits of a short year, four of
        // a full one (a fifth digit or a sign would make a version that its
        // own format rejects).
        if short && year > 2999 {
            return Err(Error::config(format!(
                "the format {format} writes the year minus 2000 in at most three digits and cannot represent {year}"
            )));
        }
        if !short && !(0..=9999).contains(&year) {
            return Err(Error::config(format!(
                "the format {format} writes a four-digit year (YYYY) and cannot represent the year {year}"
            )));
        }
        if let Some(m) = micro.filter(|m| *m > MAX_MICRO && format.has(Field::Micro)) {
            return Err(Error::config(format!(
                "the counter {m} has more than the 19 digits a MICRO counter reads"
            )));
        }
        // strftime %W: weeks start on Monday; days before the first Monday
        // of the year are in week 0.
        let week = (date.ordinal0() + 7 - date.weekday().num_days_from_monday()) / 7;
        Ok(Parts {
            year,
            month: format.has(Field::Month).then_some(date.month() as u8),
            week: format.has(Field::Week).then_some(week as u8),
            day: format.has(Field::Day).then_some(date.day() as u8),
            micro: if format.has(Field::Micro) {
                micro
            } else {
                None
            },
        })
    }

    fn period(&self) -> (i32, Option<u8>, Option<u8>, Option<u8>) {
        (self.year, self.month, self.week, self.day)
    }
}

#[derive(Clone)]
struct Pre {
    normalised: semver::Prerelease,
    spelling: Box<str>,
}

/// A calendar version of a given [`CalVerFormat`].
///
/// Ordered by year, month, week, day, counter, and then a pre-release before
/// its final (with SemVer precedence between pre-releases). Equality and
/// hashing use the same fields; the format is not compared, so compare
/// versions of one format.
///
/// # Example
///
/// ```
/// use release_core::version::Scheme;
///
/// let scheme = Scheme::calver("YYYY.0M.MICRO")?;
/// let a = scheme.parse("2023.06.2")?;
/// let b = scheme.parse("2023.06.10")?;
/// assert!(a < b);
/// assert_eq!(b.to_string(), "2023.06.10");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct CalVersion {
    /// Boxed so that [`Version`](super::Version) stays as small as a SemVer
    /// version: bulk sorts move versions around, and CalVer ones are rarer.
    inner: Box<CalFields>,
}

#[derive(Clone)]
struct CalFields {
    parts: Parts,
    pre: Option<Pre>,
    format: CalVerFormat,
}

impl CalVersion {
    fn from_fields(fields: CalFields) -> CalVersion {
        CalVersion {
            inner: Box::new(fields),
        }
    }

    /// The format this version was read with or made for.
    pub fn format(&self) -> &CalVerFormat {
        &self.inner.format
    }

    /// The full year.
    pub fn year(&self) -> i32 {
        self.inner.parts.year
    }

    /// The month, when the format has one.
    pub fn month(&self) -> Option<u32> {
        self.inner.parts.month.map(u32::from)
    }

    /// The week of the year (`%W`), when the format has one.
    pub fn week(&self) -> Option<u32> {
        self.inner.parts.week.map(u32::from)
    }

    /// The day of the month, when the format has one.
    pub fn day(&self) -> Option<u32> {
        self.inner.parts.day.map(u32::from)
    }

    /// The release counter, when the format has one.
    pub fn micro(&self) -> Option<u64> {
        self.inner.parts.micro
    }

    /// Whether this is a pre-release (`2023.06.2-rc1`).
    pub fn is_prerelease(&self) -> bool {
        self.inner.pre.is_some()
    }

    /// The pre-release as spelled, if any.
    pub fn prerelease(&self) -> Option<&str> {
        self.inner.pre.as_ref().map(|p| &*p.spelling)
    }

    pub(crate) fn normalised_prerelease(&self) -> Option<&semver::Prerelease> {
        self.inner.pre.as_ref().map(|p| &p.normalised)
    }

    /// Whether `other` belongs to the same period (same date fields).
    pub fn same_period(&self, other: &CalVersion) -> bool {
        self.inner.parts.period() == other.inner.parts.period()
    }

    /// Warnings about the spelling: pre-release labels read
    /// case-insensitively.
    pub fn warnings(&self) -> Vec<crate::Warning> {
        match self.prerelease() {
            Some(pre) if prerelease::has_uppercase(pre) => vec![crate::Warning::new(
                crate::WarningKind::LenientRead,
                format!(
                    "pre-release {pre:?} has uppercase letters; read as {:?}",
                    pre.to_ascii_lowercase()
                ),
            )],
            _ => Vec::new(),
        }
    }

    /// This version with the counter replaced.
    pub(crate) fn with_micro(&self, micro: u64) -> CalVersion {
        CalVersion::from_fields(CalFields {
            parts: Parts {
                micro: Some(micro),
                ..self.inner.parts
            },
            pre: self.inner.pre.clone(),
            format: self.inner.format.clone(),
        })
    }

    /// This version with the pre-release replaced (`None` removes it).
    pub(crate) fn with_prerelease(&self, spelling: Option<&str>) -> Result<CalVersion> {
        let pre = match spelling {
            None => None,
            Some(text) => {
                let n = prerelease::normalise(text).map_err(|e| {
                    Error::parse(format!("invalid pre-release {text:?}: {}", e.describe()))
                })?;
                Some(Pre {
                    normalised: n.pre,
                    spelling: text.into(),
                })
            }
        };
        Ok(CalVersion::from_fields(CalFields {
            parts: self.inner.parts,
            pre,
            format: self.inner.format.clone(),
        }))
    }
}

impl fmt::Display for CalVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.format.write(&self.inner.parts, f)?;
        if let Some(pre) = &self.inner.pre {
            write!(f, "-{}", pre.spelling)?;
        }
        Ok(())
    }
}

impl fmt::Debug for CalVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CalVersion({self} as {})", self.inner.format)
    }
}

impl PartialEq for CalVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for CalVersion {}

impl PartialOrd for CalVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CalVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.inner.parts.cmp(&other.inner.parts).then_with(|| {
            match (&self.inner.pre, &other.inner.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.normalised.cmp(&b.normalised),
            }
        })
    }
}

impl Hash for CalVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.inner.parts.hash(state);
        self.inner.pre.as_ref().map(|p| &p.normalised).hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> CalVerFormat {
        CalVerFormat::new(s).unwrap()
    }

    #[test]
    fn padding_is_part_of_the_format() {
        let f = fmt("YYYY.0M.MICRO");
        assert!(f.parse_inner("2023.06.2").is_ok());
        assert!(f.parse_inner("2023.6.2").is_err());
        assert!(f.parse_inner("2023.060.2").is_err());
        let g = fmt("YYYY.MM.MICRO");
        assert!(g.parse_inner("2023.6.2").is_ok());
        assert!(g.parse_inner("2023.06.2").is_err());
        assert!(g.parse_inner("2023.12.2").is_ok());
    }

    #[test]
    fn round_trips() {
        for (f, v) in [
            ("YYYY.0M.MICRO", "2023.06.2"),
            ("YYYY.0M.MICRO", "2023.06.2-rc1"),
            ("YY.MM.DD", "23.6.9"),
            ("0Y.0W", "06.07"),
            ("YYYY-0M-0D_MICRO", "2024-02-29_3"),
            ("YYYY0M0D", "20240131"),
        ] {
            assert_eq!(fmt(f).parse_inner(v).unwrap().to_string(), v, "{f}");
        }
        assert!(CalVerFormat::new("YYYYMMDD").is_err());
        assert!(CalVerFormat::new("YYYY0M0D").is_ok());
    }

    #[test]
    fn rejects_impossible_dates_and_ranges() {
        let f = fmt("YYYY.0M.0D");
        assert!(matches!(
            f.parse_inner("2023.02.29").unwrap_err(),
            Fail::NotADate
        ));
        assert!(matches!(
            f.parse_inner("2023.13.01").unwrap_err(),
            Fail::OutOfRange { .. }
        ));
        assert!(f.parse_inner("2024.02.29").is_ok());
    }

    #[test]
    fn invalid_formats() {
        for bad in [
            "0M.MICRO",
            "YYYY.MM.0M",
            "YYYY.WW.DD",
            "YYYY.DD",
            "YYYY.Q",
            "YYYY-",
            "MMYYYY",
        ] {
            assert!(CalVerFormat::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn week_follows_strftime_w() {
        let f = fmt("YYYY.0W");
        let cases = [
            ("2024-01-01", "2024.01"),
            ("2023-01-01", "2023.00"),
            ("2024-12-30", "2024.53"),
        ];
        for (date, want) in cases {
            let d: NaiveDate = date.parse().unwrap();
            assert_eq!(f.version_for(d, None).unwrap().to_string(), want);
            assert_eq!(d.format("%Y.%W").to_string(), want);
        }
    }
}
