//! Release tickets: a title and bullet points, and the pins read back from
//! them.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::config::NotesConfig;
use super::notes::{Entry, Links};
use crate::pipeline::Component;
use crate::version::{Change, TagScheme};
use crate::{Error, Result};

/// A release ticket, as the Fragalysis team files one on its project board:
/// the title `Release 2023.06.2` and a body of bullet points, first the
/// pinned component tags, then one per change with its `#N` references
/// left bare so the board links them.
///
/// ```markdown
/// - backend 2023.05.1
/// - frontend 2023.05.4
///
/// - **api:** add search (#123)
/// - login loop (#124)
/// ```
///
/// [`parse_ticket_pins`] reads the pins back.
///
/// # Example
///
/// ```
/// use release_core::notes::{NotesConfig, Ticket};
/// use release_core::version::Change;
///
/// let changes = [Change::parse("fix: login loop (#124)")];
/// let ticket = Ticket::new(&NotesConfig::default(), "2023.06.2", &changes, &[("backend", "2023.05.1")]);
/// assert_eq!(ticket.title(), "Release 2023.06.2");
/// assert_eq!(ticket.body(), "- backend 2023.05.1\n\n- login loop (#124)\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    title: String,
    body: String,
    pins: Vec<TicketPin>,
    entries: Vec<Entry>,
}

/// A component's tag named on a bullet line of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketPin {
    /// The component.
    pub component: String,
    /// The tag, as written.
    pub tag: String,
    /// The 1-based line of the ticket body it is on.
    pub line: usize,
}

impl Ticket {
    /// A ticket for `version`: the title from the config's `ticket_title`,
    /// a bullet `- component tag` per pin in the order given, a blank line,
    /// then a bullet per change in input order (every change, including
    /// those the notes leave out).
    ///
    /// Component names and tags are written as given; for the pins to read
    /// back with [`parse_ticket_pins`], tags must not contain whitespace.
    pub fn new<C: AsRef<str>, T: AsRef<str>>(
        config: &NotesConfig,
        version: &str,
        changes: &[Change],
        pins: &[(C, T)],
    ) -> Ticket {
        let mut body = String::new();
        let mut ticket_pins = Vec::with_capacity(pins.len());
        for (i, (component, tag)) in pins.iter().enumerate() {
            let (component, tag) = (component.as_ref(), tag.as_ref());
            body.push_str("- ");
            body.push_str(component);
            body.push(' ');
            body.push_str(tag);
            body.push('\n');
            ticket_pins.push(TicketPin {
                component: component.to_owned(),
                tag: tag.to_owned(),
                line: i + 1,
            });
        }
        let entries: Vec<Entry> = changes.iter().map(Entry::new).collect();
        if !pins.is_empty() && !entries.is_empty() {
            body.push('\n');
        }
        for entry in &entries {
            body.push_str("- ");
            // Bare `#N`: the board resolves them itself. Writing to a
            // String cannot fail.
            let _ = entry.write(&mut body, &Links::NONE, true);
            body.push('\n');
        }
        Ticket {
            title: config.ticket_title(version),
            body,
            pins: ticket_pins,
            entries,
        }
    }

    /// The title (`Release 2023.06.2`).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The body: Markdown bullet points.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The pins, with the lines of the body they are on.
    pub fn pins(&self) -> &[TicketPin] {
        &self.pins
    }

    /// The changes, as listed.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The whole ticket as one Markdown document: `# title`, a blank line,
    /// the body.
    pub fn to_markdown(&self) -> String {
        format!("# {}\n\n{}", self.title, self.body)
    }
}

/// Reads the pinned tags of `components` from a ticket body.
///
/// A pin is a bullet line (`-`, `*` or `+`) whose text is a component's
/// name, then a space, `:` or `=`, then the tag and nothing else:
/// `- backend 2026.06.1`, `* frontend: 2026.05.7`, `- backend = 2026.06.1`.
/// The name may be in bold or backticks and the tag in backticks. Bullets
/// that do not start with a listed component (`- #123 fix login`) are
/// ignored, and so are bullets that start with one but do not have that
/// shape (`- backend: faster startup`); a ticket that pins nothing else for
/// that component then fails as missing, and the message names those lines.
/// A change bullet that happens to read exactly `- backend word` is read as
/// a pin.
///
/// The pins come back in the order of `components`, each with the line it
/// was read from. Nothing is guessed: no case folding, no fuzzy names.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse) when
/// - a listed component has no pin line (the message names every missing
///   component and the expected line shape),
/// - a component is pinned twice with different tags (the message names
///   both 1-based lines and tags),
/// - a tag does not parse under the component's [`TagScheme`] (the message
///   names the line, the tag and the reason), or the component's tag
///   template needs a component name and it is empty.
///
/// # Example
///
/// ```
/// use release_core::notes::parse_ticket_pins;
/// use release_core::pipeline::Component;
/// use release_core::version::{Scheme, TagScheme};
///
/// let calver = TagScheme::from(Scheme::calver("YYYY.0M.MICRO")?);
/// let components = [
///     Component::new("backend").tags(calver.clone()),
///     Component::new("frontend").tags(calver),
/// ];
/// let body = "- backend 2023.05.1\n* frontend: 2023.05.4\n- #123 fix login\n";
/// let pins = parse_ticket_pins(body, &components)?;
/// assert_eq!(pins[1].component, "frontend");
/// assert_eq!(pins[1].tag, "2023.05.4");
/// assert_eq!(pins[1].line, 2);
///
/// let err = parse_ticket_pins("- backend 2023.5.1\n", &components).unwrap_err();
/// assert!(err.to_string().starts_with("line 1 of the ticket pins backend on \"2023.5.1\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_ticket_pins(body: &str, components: &[Component]) -> Result<Vec<TicketPin>> {
    let mut known: Vec<(&str, Option<TagScheme>)> = Vec::new();
    for c in components {
        if known.iter().any(|(name, _)| *name == c.name) {
            continue;
        }
        let scheme = match &c.tags {
            Some(tags) if tags.template().has_component() && tags.component().is_none() => {
                Some(tags.clone().for_component(&c.name)?)
            }
            other => other.clone(),
        };
        known.push((&c.name, scheme));
    }
    // Longest names first, so `stack ui` wins over `stack` on the same line.
    let mut by_length: Vec<usize> = (0..known.len()).collect();
    by_length.sort_by_key(|i| std::cmp::Reverse(known[*i].0.len()));

    let mut found: Vec<Option<TicketPin>> = vec![None; known.len()];
    let mut near_misses: Vec<(usize, usize, &str)> = Vec::new();
    for (n, line) in body.lines().enumerate() {
        let number = n + 1;
        let Some(text) = bullet(line) else { continue };
        let Some((i, rest)) = by_length
            .iter()
            .find_map(|i| after_name(text, known[*i].0).map(|rest| (*i, rest)))
        else {
            continue;
        };
        let (name, scheme) = &known[i];
        let Some(tag) = tag_of(rest) else {
            near_misses.push((i, number, line.trim()));
            continue;
        };
        if let Some(scheme) = scheme
            && let Err(e) = scheme.parse(tag)
        {
            return Err(Error::parse(format!(
                "line {number} of the ticket pins {name} on {tag:?}, \
                     which is not a {name} tag: {e}"
            )));
        }
        match &found[i] {
            Some(first) if first.tag != tag => {
                return Err(Error::parse(format!(
                    "the ticket pins {name} twice with different tags: \
                     line {} says {:?} and line {number} says {tag:?}",
                    first.line, first.tag
                )));
            }
            Some(_) => {}
            None => {
                found[i] = Some(TicketPin {
                    component: (*name).to_owned(),
                    tag: tag.to_owned(),
                    line: number,
                });
            }
        }
    }

    let missing: Vec<usize> = (0..known.len()).filter(|i| found[*i].is_none()).collect();
    if let Some(&first) = missing.first() {
        let names: Vec<&str> = missing.iter().map(|i| known[*i].0).collect();
        let example = known[first].0;
        let mut message = if names.len() == 1 {
            format!(
                "the ticket has no pin for {example}: expected a bullet line \
                 \"- {example} <tag>\""
            )
        } else {
            format!(
                "the ticket has no pin for {}: expected one bullet line per component, \
                 like \"- {example} <tag>\"",
                names.join(", ")
            )
        };
        message.push_str(" (or with '*' or '+', or ':' or '=' before the tag)");
        for (i, number, line) in near_misses.iter().filter(|(i, ..)| missing.contains(i)) {
            let _ = write!(
                message,
                "; line {number} {line:?} names {} but is not of that shape",
                known[*i].0
            );
        }
        return Err(Error::parse(message));
    }
    Ok(found.into_iter().flatten().collect())
}

/// The text of a Markdown bullet line, trimmed.
fn bullet(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix(['-', '*', '+'])?;
    rest.starts_with([' ', '\t']).then(|| rest.trim())
}

/// What follows the component's name (plain, bold or in backticks) at the
/// start of a bullet, if a separator follows it.
fn after_name<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let rest = [("", ""), ("**", "**"), ("`", "`")]
        .iter()
        .find_map(|(open, close)| {
            text.strip_prefix(open)?
                .strip_prefix(name)?
                .strip_prefix(close)
        })?;
    (rest.is_empty() || rest.starts_with([' ', '\t', ':', '='])).then_some(rest)
}

/// The tag after the name: an optional `:` or `=`, then exactly one word,
/// perhaps in backticks.
fn tag_of(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let rest = rest.strip_prefix([':', '=']).unwrap_or(rest).trim();
    let tag = rest
        .strip_prefix('`')
        .and_then(|t| t.strip_suffix('`'))
        .unwrap_or(rest);
    (!tag.is_empty() && !tag.contains(char::is_whitespace) && !tag.contains('`')).then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Scheme;

    fn components() -> Vec<Component> {
        let calver = TagScheme::from(Scheme::calver("YYYY.0M.MICRO").unwrap());
        vec![
            Component::new("backend").tags(calver.clone()),
            Component::new("frontend").tags(calver),
            Component::new("docs"),
        ]
    }

    fn tags(body: &str) -> Result<Vec<(String, String, usize)>> {
        Ok(parse_ticket_pins(body, &components())?
            .into_iter()
            .map(|p| (p.component, p.tag, p.line))
            .collect())
    }

    #[test]
    fn shapes() {
        let body = "Release notes\n\n  - **backend**: `2023.05.1`\n* frontend = 2023.05.4\n\
                    + `docs` anything-goes\n- backend 2023.05.1\n- #12 fix login\n";
        let got = tags(body).unwrap();
        assert_eq!(
            got,
            [
                ("backend".into(), "2023.05.1".into(), 3),
                ("frontend".into(), "2023.05.4".into(), 4),
                ("docs".into(), "anything-goes".into(), 5),
            ]
        );
    }

    #[test]
    fn names_need_a_separator_and_the_longest_wins() {
        let comps = [Component::new("stack"), Component::new("stack ui")];
        let pins = parse_ticket_pins("- stack-ui 1\n- stack ui 2\n- stack 3\n", &comps).unwrap();
        let got: Vec<(&str, &str)> = pins
            .iter()
            .map(|p| (p.component.as_str(), p.tag.as_str()))
            .collect();
        assert_eq!(got, [("stack", "3"), ("stack ui", "2")]);
    }

    #[test]
    fn near_misses_are_named() {
        let e = tags("- backend 2023.05.1\n- frontend: faster startup\n- docs x\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the ticket has no pin for frontend: expected a bullet line \"- frontend <tag>\" \
             (or with '*' or '+', or ':' or '=' before the tag); \
             line 2 \"- frontend: faster startup\" names frontend but is not of that shape"
        );
        let e = tags("").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the ticket has no pin for backend, frontend, docs: expected one")
        );
        assert!(e.is_parse());
    }

    #[test]
    fn component_templates_are_bound() {
        let scheme = TagScheme::new("{component}-v{version}", Scheme::semver()).unwrap();
        let comps = [Component::new("api").tags(scheme)];
        let pins = parse_ticket_pins("- api api-v1.2.0", &comps).unwrap();
        assert_eq!(pins[0].tag, "api-v1.2.0");
        assert!(parse_ticket_pins("- api web-v1.2.0", &comps).is_err());
    }

    #[test]
    fn ticket_layout() {
        let t = Ticket::new(&NotesConfig::default(), "1", &[], &[("a", "1"), ("b", "2")]);
        assert_eq!(t.body(), "- a 1\n- b 2\n");
        assert_eq!(t.to_markdown(), "# Release 1\n\n- a 1\n- b 2\n");
        let t = Ticket::new::<&str, &str>(&NotesConfig::default(), "1", &[], &[]);
        assert_eq!(t.body(), "");
    }
}
