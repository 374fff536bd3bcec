//! Whether a task must succeed: a step's or a matrix cell's requirement,
//! which the gate rules over test matrices read.

/// Whether a task (a step or a matrix cell) must succeed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// It must succeed (or be waived) for downstream steps to start.
    #[default]
    Required,
    /// Its outcome is reported but never blocks.
    Advisory,
    /// It must succeed, or be skipped on purpose with a reason.
    Skippable,
}

crate::vocabulary! {
    Requirement, "requirement",
    {
        Required => "required",
        Advisory => "advisory",
        Skippable => "skippable",
    }
}

impl Requirement {
    /// Whether this is [`Requirement::Required`].
    pub fn is_required(&self) -> bool {
        *self == Requirement::Required
    }
}
