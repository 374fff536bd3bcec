//! Engines: a process handed to the CI engines teams already run (GitHub Actions), and their runs read back as journals.
pub mod import;
pub mod naming;
