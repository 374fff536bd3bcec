//! Release notes and release tickets from lists of changes.
//!
//! Changes are [`Change`](crate::version::Change)s read from
//! conventional-commit messages. A [`NotesConfig`] (the `[notes]` table of
//! `release.toml`) maps their types to sections, as clog and
//! conventional-changelog do; [`ReleaseNotes`] groups them and writes
//! Markdown with pull request and issue numbers kept (and linked when the
//! config has URL templates). Nothing is dropped silently: a change no
//! section takes is not in the Markdown but is listed in
//! [`ReleaseNotes::left_out`] (which `release notes` prints on stderr).
//!
//! A [`Ticket`] is the Fragalysis team's release ticket: the title
//! `Release 2023.06.2` and bullet points, the pinned component tags first,
//! then one per change with bare `#N` references the project board links.
//! [`parse_ticket_pins`] reads the pins back from a ticket someone wrote by
//! hand, and refuses to guess: a missing, doubled or malformed pin is an
//! error naming the line.
//!
//! # Example
//!
//! ```
//! use release_core::notes::{parse_ticket_pins, NotesConfig, ReleaseNotes, Ticket};
//! use release_core::pipeline::Component;
//! use release_core::version::{Change, Scheme, TagScheme};
//!
//! let config: NotesConfig = toml::from_str(r#"other = "Other changes""#)?;
//! config.validate()?;
//! let changes: Vec<Change> = ["feat(viewer): ligand overlay (#412)", "tidy up imports"]
//!     .iter()
//!     .map(|m| Change::parse(m))
//!     .collect();
//! let notes = ReleaseNotes::new(&config, "2023.06.2", None, &changes);
//! assert_eq!(notes.sections[1].title, "Other changes");
//!
//! let ticket = Ticket::new(&config, "2023.06.2", &changes, &[("backend", "2023.05.1")]);
//! assert_eq!(ticket.title(), "Release 2023.06.2");
//! let calver = TagScheme::from(Scheme::calver("YYYY.0M.MICRO")?);
//! let pins = parse_ticket_pins(ticket.body(), &[Component::new("backend").tags(calver)])?;
//! assert_eq!(pins, ticket.pins());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The module is pure like the rest of the crate: it reads no repository
//! and files no ticket; the caller passes the changes and posts the text.

mod config;
#[allow(clippy::module_inception)]
// notes/notes.rs: the release notes themselves, one file per idea.
mod notes;
mod ticket;

pub use self::config::{NotesConfig, Section};
pub use self::notes::{Entry, NotesSection, ReleaseNotes};
pub use self::ticket::{Ticket, TicketPin, parse_ticket_pins};
