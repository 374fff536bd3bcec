//! Evaluating gates: three-valued logic over facts, with every reason kept.

use chrono::{DateTime, Utc};

use super::Requirement;
use super::fact::{Fact, FactKey, FactKind, FactValue, Facts};
use super::role::{Allowed, People};
use super::rule::{Gate, Rule};
use super::verdict::{Reason, Status, Verdict};
use super::waiver::{Waiver, WaiverTarget};
use crate::identity::Identity;
use crate::version::TagRule;

/// A rule's outcome before waivers: `Pending` until a fact arrives or time
/// passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Pass,
    Fail,
    Pending,
}

impl Tri {
    fn negate(self) -> Tri {
        match self {
            Tri::Pass => Tri::Fail,
            Tri::Fail => Tri::Pass,
            Tri::Pending => Tri::Pending,
        }
    }

    fn status(self) -> Status {
        match self {
            Tri::Pass => Status::Passed,
            Tri::Fail => Status::Failed,
            Tri::Pending => Status::Pending,
        }
    }
}

struct Ctx<'a> {
    gate: &'a str,
    facts: &'a Facts,
    waivers: &'a [Waiver],
    people: People<'a>,
    now: DateTime<Utc>,
    reasons: Vec<Reason>,
    next_change: Option<DateTime<Utc>>,
}

impl Ctx<'_> {
    fn push(&mut self, tri: Tri, negated: bool, rule: String, detail: String) -> Tri {
        let tri = if negated { tri.negate() } else { tri };
        let rule = if negated {
            format!("not: {rule}")
        } else {
            rule
        };
        self.reasons.push(Reason {
            gate: self.gate.to_owned(),
            status: tri.status(),
            blocking: true,
            rule,
            detail,
            missing: None,
            until: None,
            waiver: None,
        });
        tri
    }

    fn missing(&mut self, negated: bool, rule: String, key: FactKey, note: &str) -> Tri {
        let detail = format!("missing fact {key}{note}");
        let tri = self.push(Tri::Pending, negated, rule, detail);
        if let Some(last) = self.reasons.last_mut() {
            last.missing = Some(key);
        }
        tri
    }

    fn until(&mut self, at: DateTime<Utc>) {
        if let Some(last) = self.reasons.last_mut() {
            last.until = Some(at);
        }
        self.next_change = Some(self.next_change.map_or(at, |n| n.min(at)));
    }

    fn latest(&self, kind: FactKind, subject: &str) -> Option<&Fact> {
        self.facts.latest(kind, subject, self.now)
    }

    /// Looks a fact up, noting when it expires.
    fn fact(&mut self, kind: FactKind, subject: &str) -> Option<Fact> {
        let fact = self.latest(kind, subject).cloned()?;
        if let Some(expires) = fact.expires {
            self.next_change = Some(self.next_change.map_or(expires, |n| n.min(expires)));
        }
        Some(fact)
    }

    fn eval(&mut self, rule: &Rule, negated: bool) -> Tri {
        match rule {
            Rule::All(rules) | Rule::Any(rules) => {
                // De Morgan: under `not`, all becomes any and any becomes all.
                let all = matches!(rule, Rule::All(_)) != negated;
                self.each(all, rules, |ctx, r| ctx.eval(r, negated))
            }
            Rule::Not(inner) => self.eval(inner, !negated),
            Rule::Before { milestone, rule } => self.before(milestone, rule, negated),
            Rule::Test(name) => self.test(name, negated),
            Rule::Count { name, at_most } => self.count(name, *at_most, negated),
            Rule::Approvals { role, at_least } => self.approvals(role, *at_least, negated),
            Rule::NotHoliday(calendar) => self.not_holiday(calendar, negated),
            Rule::InWindow(window) => self.in_window(window, negated),
            Rule::Soak {
                environment,
                at_least,
                artifact,
            } => self.soak(environment, *at_least, artifact.as_deref(), negated),
            Rule::Promoted { component, from } => self.promoted(component, from, negated),
            Rule::Tag { component, rule } => self.tag(component, rule, negated),
            Rule::Pins {
                components,
                branch,
                rule,
            } => self.each(!negated, components, |ctx, component| {
                ctx.pin(component, branch, rule, negated)
            }),
            Rule::Matrix { step, cells } => self.each(!negated, cells, |ctx, cell| {
                ctx.cell(step, &cell.id, cell.requirement, negated)
            }),
            Rule::Output { step, name, equals } => {
                self.output(step, name, equals.as_deref(), negated)
            }
            Rule::Fact {
                kind,
                subject,
                equals,
            } => self.equals(*kind, subject, equals, negated),
        }
    }

    /// Evaluates each of `items` and combines the outcomes (`all`, or
    /// any), keeping when the combination may change: an outcome held by
    /// a part that time cannot change (a failed test under `all`) does not
    /// change when some other part's fact expires.
    fn each<T>(
        &mut self,
        all: bool,
        items: &[T],
        mut eval: impl FnMut(&mut Self, &T) -> Tri,
    ) -> Tri {
        let outer = self.next_change.take();
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            let tri = eval(self, item);
            results.push((tri, self.next_change.take()));
        }
        let (tri, change) = combine_timed(all, &results);
        self.next_change = earliest(outer, change);
        tri
    }

    /// `{ test = name }`: the test passed.
    fn test(&mut self, name: &str, negated: bool) -> Tri {
        let label = format!("test {name:?}");
        let Some(fact) = self.fact(FactKind::Test, name) else {
            return self.missing(negated, label, FactKey::new(FactKind::Test, name), "");
        };
        let tri = match &fact.value {
            FactValue::Bool(true) => Tri::Pass,
            _ => Tri::Fail,
        };
        let what = match &fact.value {
            FactValue::Bool(true) => "passed".to_owned(),
            FactValue::Bool(false) => "failed".to_owned(),
            FactValue::Text(t) if t == "skipped" => "was skipped".to_owned(),
            other => format!("has the value {other}, not true or false"),
        };
        let detail = format!("{name:?} {what} ({})", origin(&fact));
        self.push(tri, negated, label, detail)
    }

    /// `{ count = { name, at_most } }`: the counted fact is small enough.
    fn count(&mut self, name: &str, at_most: i64, negated: bool) -> Tri {
        let label = format!("count {name:?} <= {at_most}");
        let Some(fact) = self.fact(FactKind::Count, name) else {
            return self.missing(negated, label, FactKey::new(FactKind::Count, name), "");
        };
        match fact.value {
            FactValue::Count(n) => {
                let tri = if n <= at_most { Tri::Pass } else { Tri::Fail };
                let detail = format!("{n} {name} ({})", origin(&fact));
                self.push(tri, negated, label, detail)
            }
            ref other => {
                let detail = format!("the fact's value {other} is not a number");
                self.push(Tri::Fail, negated, label, detail)
            }
        }
    }

    /// `{ not_holiday = calendar }`: the calendar says today is no holiday.
    fn not_holiday(&mut self, calendar: &str, negated: bool) -> Tri {
        let label = format!("not a holiday in {calendar:?}");
        self.calendar_flag(
            FactKind::Holiday,
            calendar,
            (false, "not a holiday", "a holiday"),
            label,
            negated,
        )
    }

    /// `{ in_window = window }`: the window is open.
    fn in_window(&mut self, window: &str, negated: bool) -> Tri {
        let label = format!("in window {window:?}");
        self.calendar_flag(
            FactKind::WindowOpen,
            window,
            (true, "the window is open", "the window is closed"),
            label,
            negated,
        )
    }

    /// A yes-or-no calendar fact: passes when its value is `good.0`,
    /// saying `good.1`, else fails saying `good.2`.
    fn calendar_flag(
        &mut self,
        kind: FactKind,
        subject: &str,
        good: (bool, &str, &str),
        label: String,
        negated: bool,
    ) -> Tri {
        let Some(fact) = self.fact(kind, subject) else {
            return self.missing(negated, label, FactKey::new(kind, subject), "");
        };
        let (tri, what) = match fact.value {
            FactValue::Bool(b) if b == good.0 => (Tri::Pass, good.1),
            FactValue::Bool(_) => (Tri::Fail, good.2),
            _ => (Tri::Fail, "unknown: the fact's value is not true or false"),
        };
        self.push(tri, negated, label, format!("{what} ({})", origin(&fact)))
    }

    /// `{ tag = { component, rule } }`: the component's tag passes the rule.
    fn tag(&mut self, component: &str, rule: &TagRule, negated: bool) -> Tri {
        let label = format!("tag of {component:?} passes {}", rule.name);
        let Some(fact) = self.fact(FactKind::Tag, component) else {
            return self.missing(negated, label, FactKey::new(FactKind::Tag, component), "");
        };
        match tag_of(&fact.value) {
            Some(tag) => {
                let verdict = rule.check(tag);
                let tri = if verdict.passed { Tri::Pass } else { Tri::Fail };
                self.push(tri, negated, label, verdict.detail)
            }
            None => {
                let detail = format!("the fact's value {} is not a tag", fact.value);
                self.push(Tri::Fail, negated, label, detail)
            }
        }
    }

    /// One component of `{ pins = { components, branch, rule } }`: its pin
    /// passes the rule and comes from the branch.
    fn pin(&mut self, component: &str, branch: &str, rule: &TagRule, negated: bool) -> Tri {
        let label = format!("pin of {component:?} passes {} on {branch:?}", rule.name);
        let Some(fact) = self.fact(FactKind::Pin, component) else {
            return self.missing(negated, label, FactKey::new(FactKind::Pin, component), "");
        };
        let (tag, on) = match &fact.value {
            FactValue::Pinned { tag, branch } => (tag.as_str(), branch.as_deref()),
            FactValue::Text(tag) => (tag.as_str(), None),
            _ => {
                let detail = format!("the fact's value {} is not a tag", fact.value);
                return self.push(Tri::Fail, negated, label, detail);
            }
        };
        let verdict = rule.check(tag);
        let mut problems = Vec::new();
        if !verdict.passed {
            problems.push(verdict.detail.clone());
        }
        match on {
            Some(on) if on == branch => {}
            Some(on) => problems.push(format!("{tag:?} is from branch {on:?}, not {branch:?}")),
            None => problems.push(format!(
                "the branch of {tag:?} is unknown; it must be {branch:?}"
            )),
        }
        if problems.is_empty() {
            let detail = format!("{}, from branch {branch:?}", verdict.detail);
            self.push(Tri::Pass, negated, label, detail)
        } else {
            self.push(Tri::Fail, negated, label, problems.join("; "))
        }
    }

    /// `{ fact = { kind, subject, equals } }`: the fact has that value.
    fn equals(&mut self, kind: FactKind, subject: &str, equals: &FactValue, negated: bool) -> Tri {
        let label = format!("{} = {equals}", FactKey::new(kind, subject));
        let Some(fact) = self.fact(kind, subject) else {
            return self.missing(negated, label, FactKey::new(kind, subject), "");
        };
        let tri = if &fact.value == equals {
            Tri::Pass
        } else {
            Tri::Fail
        };
        self.push(tri, negated, label, format!("{}", fact))
    }

    /// `{ output = { step, name, equals } }`: the step reported the output
    /// (with that value).
    fn output(&mut self, step: &str, name: &str, equals: Option<&str>, negated: bool) -> Tri {
        let subject = format!("{step}.{name}");
        let label = match equals {
            Some(v) => format!("output {subject:?} = {v:?}"),
            None => format!("output {subject:?}"),
        };
        let Some(fact) = self.fact(FactKind::Output, &subject) else {
            return self.missing(
                negated,
                label,
                FactKey::new(FactKind::Output, &subject),
                " (the step reports it in its RELEASE_OUTPUT file)",
            );
        };
        let tri = match (&fact.value, equals) {
            (FactValue::Text(_), None) => Tri::Pass,
            (FactValue::Text(t), Some(v)) if t == v => Tri::Pass,
            _ => Tri::Fail,
        };
        let detail = format!("{subject:?} is {} ({})", fact.value, origin(&fact));
        self.push(tri, negated, label, detail)
    }

    /// `rule` on the facts known at the milestone's instant.
    fn before(&mut self, milestone: &str, rule: &Rule, negated: bool) -> Tri {
        let label = format!("before {milestone:?}");
        let Some(fact) = self.fact(FactKind::Milestone, milestone) else {
            return self.missing(
                negated,
                label,
                FactKey::new(FactKind::Milestone, milestone),
                " (the milestone's date)",
            );
        };
        let deadline = match &fact.value {
            FactValue::Text(t) => DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| t.with_timezone(&Utc)),
            _ => None,
        };
        let Some(deadline) = deadline else {
            let detail = format!("{fact}: the value is not an RFC 3339 instant");
            return self.push(Tri::Fail, negated, label, detail);
        };
        let now = self.now;
        self.now = now.min(deadline);
        let first = self.reasons.len();
        let inner = self.eval(rule, false);
        self.now = now;
        // The inner rule's reasons become this rule's detail: this rule's
        // outcome decides, and it is one reason.
        let inner_reasons: Vec<Reason> = self.reasons.drain(first..).collect();
        let missing = inner_reasons.iter().find_map(|r| r.missing.clone());
        let why: Vec<String> = inner_reasons
            .iter()
            .map(|r| format!("{}: {}", r.rule, r.detail))
            .collect();
        let why = why.join("; ");
        let stamp = deadline.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let (tri, detail) = match inner {
            Tri::Pass => (Tri::Pass, format!("held by {milestone} ({stamp}): {why}")),
            _ if now < deadline => {
                let tri = self.push(
                    Tri::Pending,
                    negated,
                    label,
                    format!("not yet ({why}); it must hold by {milestone} ({stamp})"),
                );
                if let Some(last) = self.reasons.last_mut() {
                    last.missing = missing;
                }
                self.until(deadline);
                return tri;
            }
            _ => (
                Tri::Fail,
                format!("did not hold by {milestone} ({stamp}); as of then, {why}"),
            ),
        };
        self.push(tri, negated, label, detail)
    }

    fn approvals(&mut self, role: &str, at_least: u32, negated: bool) -> Tri {
        let label = format!("approvals {role:?} >= {at_least}");
        let requester = match self.requester() {
            Ok(requester) => requester,
            Err(detail) => return self.push(Tri::Fail, negated, label, detail),
        };
        let people = People {
            requester: requester.as_ref(),
            roles: self.people.roles,
        };
        let (approvers, notes) = self.approvers(role, people);
        let count = u32::try_from(approvers.len()).unwrap_or(u32::MAX);
        let names = if approvers.is_empty() {
            String::new()
        } else {
            format!(" ({})", approvers.join(", "))
        };
        let own_note: String = notes.iter().map(|n| format!("; {n}")).collect();
        if count < at_least {
            let key = FactKey::new(FactKind::Approval, role);
            let detail = format!(
                "{count} of {at_least} approvals by {role}{names}{own_note}; missing fact {key}"
            );
            let tri = self.push(Tri::Pending, negated, label, detail);
            if let Some(last) = self.reasons.last_mut() {
                last.missing = Some(key);
            }
            return tri;
        }
        if requester.is_none() {
            return self.missing(
                negated,
                label,
                FactKey::new(FactKind::Requester, ""),
                &format!(
                    " ({count} {} by {role}{names}, but who requested the release is unknown, and the requester may not approve their own release)",
                    if count == 1 { "approval" } else { "approvals" }
                ),
            );
        }
        let detail = format!("{count} of {at_least} approvals by {role}{names}{own_note}");
        self.push(Tri::Pass, negated, label, detail)
    }

    /// The run's requester; for facts given without a run (the pure API),
    /// every `requester` fact names one, and two different ones are a
    /// contradiction (the error's detail), not "the latest wins".
    fn requester(&self) -> Result<Option<Identity>, String> {
        let mut requesters: Vec<Identity> = self.people.requester.cloned().into_iter().collect();
        if self.people.requester.is_none() {
            for fact in self.facts.all_of(FactKind::Requester, "", self.now) {
                if let FactValue::Text(who) = &fact.value
                    && let Ok(who) = Identity::new(who)
                    && !requesters.contains(&who)
                {
                    requesters.push(who);
                }
            }
        }
        if requesters.len() > 1 {
            let names: Vec<&str> = requesters.iter().map(Identity::as_str).collect();
            return Err(format!(
                "the facts name more than one requester ({}); the requester is fixed when the run starts",
                names.join(", ")
            ));
        }
        Ok(requesters.pop())
    }

    /// Who approved as `role`, each once, and why some approvals do not
    /// count (each note once).
    fn approvers(&self, role: &str, people: People<'_>) -> (Vec<String>, Vec<String>) {
        let mut approvers: Vec<String> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        let mut note = |n: String| {
            if !notes.contains(&n) {
                notes.push(n);
            }
        };
        for fact in self.facts.all_of(FactKind::Approval, role, self.now) {
            let FactValue::Text(who) = &fact.value else {
                continue;
            };
            let who = match Identity::new(who) {
                Ok(who) => who,
                Err(e) => {
                    note(format!("{e}, so the approval does not count"));
                    continue;
                }
            };
            match people.may_approve(role, &who) {
                Ok(allowed) => {
                    if let Allowed::BySelfApproval(n) = allowed {
                        note(n);
                    }
                    if !approvers.iter().any(|a| a == who.as_str()) {
                        approvers.push(who.to_string());
                    }
                }
                Err(why) => note(why),
            }
        }
        (approvers, notes)
    }

    fn soak(
        &mut self,
        environment: &str,
        at_least: crate::duration::Span,
        artifact: Option<&str>,
        negated: bool,
    ) -> Tri {
        let what = artifact.map_or_else(|| "the release".to_owned(), |a| format!("{a:?}"));
        let label = format!("soak in {environment:?} for {at_least}");
        let Some(fact) = self.fact(FactKind::Deployed, environment) else {
            return self.missing(
                negated,
                label,
                FactKey::new(FactKind::Deployed, environment),
                "",
            );
        };
        if let Some(artifact) = artifact {
            let deployed = match &fact.value {
                FactValue::Text(t) => Some(t.as_str()),
                FactValue::Pinned { tag, .. } => Some(tag.as_str()),
                _ => None,
            };
            if deployed != Some(artifact) {
                // Another artifact is there: ours has not started soaking.
                return self.missing(
                    negated,
                    label,
                    FactKey::new(FactKind::Deployed, environment),
                    &format!(" for {artifact:?} ({environment} holds {})", fact.value),
                );
            }
        }
        let since = fact.at;
        let done = at_least.after(since);
        let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        if self.now >= done {
            self.push(
                Tri::Pass,
                negated,
                label,
                format!("{what} has been in {environment} since {}", stamp(since)),
            )
        } else {
            let tri = self.push(
                Tri::Pending,
                negated,
                label,
                format!(
                    "{what} has been in {environment} since {}; it soaks until {}",
                    stamp(since),
                    stamp(done)
                ),
            );
            self.until(done);
            tri
        }
    }

    fn promoted(&mut self, component: &str, from: &str, negated: bool) -> Tri {
        let label = format!("{component:?} promoted from {from:?}");
        let Some(fact) = self.fact(FactKind::Tag, component) else {
            return self.missing(negated, label, FactKey::new(FactKind::Tag, component), "");
        };
        let Some(tag) = tag_of(&fact.value) else {
            let detail = format!("the fact's value {} is not a tag", fact.value);
            return self.push(Tri::Fail, negated, label, detail);
        };
        let now = self.now;
        let reached = self
            .facts
            .all_of(FactKind::Deployed, from, now)
            .filter(|f| f.at <= now)
            .find(|f| tag_of(&f.value) == Some(tag))
            .map(|f| f.at);
        match reached {
            Some(at) => {
                let at = at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
                let detail = format!("{tag:?} was deployed to {from} at {at}");
                self.push(Tri::Pass, negated, label, detail)
            }
            None => {
                let holds = self
                    .latest(FactKind::Deployed, from)
                    .map_or_else(|| "nothing known".to_owned(), |f| f.value.to_string());
                let note = format!(" with {tag:?} ({from} holds {holds})");
                self.missing(
                    negated,
                    label,
                    FactKey::new(FactKind::Deployed, from),
                    &note,
                )
            }
        }
    }

    fn cell(&mut self, step: &str, id: &str, requirement: Requirement, negated: bool) -> Tri {
        let label = format!("matrix {step:?} cell {id:?} ({requirement})");
        let fact = self.fact(FactKind::Test, id);
        let outcome = match fact.as_ref().map(|f| &f.value) {
            None => None,
            Some(FactValue::Bool(true)) => Some("passed"),
            Some(FactValue::Text(t)) if t == "skipped" => Some("skipped"),
            Some(_) => Some("failed"),
        };
        let tri = match (outcome, requirement) {
            (Some("passed"), _) => Tri::Pass,
            (Some("skipped"), Requirement::Skippable | Requirement::Advisory) => Tri::Pass,
            (None, _) => Tri::Pending,
            (Some(_), _) => Tri::Fail,
        };
        if tri != Tri::Pass {
            let waiver = self
                .waivers
                .iter()
                .rev()
                .find(|w| w.target == WaiverTarget::Cell(id.to_owned()))
                .cloned();
            if let Some(waiver) = waiver {
                self.reasons.push(Reason {
                    gate: self.gate.to_owned(),
                    status: Status::Waived,
                    blocking: true,
                    rule: label,
                    detail: waiver.to_string(),
                    missing: None,
                    until: None,
                    waiver: Some(waiver),
                });
                return if negated { Tri::Fail } else { Tri::Pass };
            }
        }
        let detail = match (outcome, &fact) {
            (Some(o), Some(f)) => format!("{id:?} {o} ({})", origin(f)),
            _ => String::new(),
        };
        let result = if outcome.is_none() {
            self.missing(negated, label, FactKey::new(FactKind::Test, id), "")
        } else {
            self.push(tri, negated, label, detail)
        };
        if requirement == Requirement::Advisory {
            // Advisory cells are reported, never block.
            if let Some(last) = self.reasons.last_mut() {
                last.blocking = false;
            }
            return if negated { Tri::Fail } else { Tri::Pass };
        }
        result
    }
}

fn combine(all: bool, results: &[Tri]) -> Tri {
    if all {
        if results.contains(&Tri::Fail) {
            Tri::Fail
        } else if results.contains(&Tri::Pending) {
            Tri::Pending
        } else {
            Tri::Pass
        }
    } else if results.contains(&Tri::Pass) {
        Tri::Pass
    } else if results.contains(&Tri::Pending) {
        Tri::Pending
    } else {
        Tri::Fail
    }
}

/// [`combine`], with when each part may change: the combination may
/// change at the earliest of them, except that an outcome decided by
/// parts of which one never changes by time (a failure under `all`, a
/// pass under `any`) never does.
fn combine_timed(
    all: bool,
    results: &[(Tri, Option<DateTime<Utc>>)],
) -> (Tri, Option<DateTime<Utc>>) {
    let tris: Vec<Tri> = results.iter().map(|(t, _)| *t).collect();
    let tri = combine(all, &tris);
    let decisive = if all { Tri::Fail } else { Tri::Pass };
    let mut deciding = results.iter().filter(|(t, _)| *t == decisive).peekable();
    let change = if tri == decisive && deciding.peek().is_some() {
        if deciding.clone().any(|(_, c)| c.is_none()) {
            None
        } else {
            deciding.filter_map(|(_, c)| *c).min()
        }
    } else {
        results.iter().filter_map(|(_, c)| *c).min()
    };
    (tri, change)
}

/// The earlier of two optional instants.
fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn tag_of(value: &FactValue) -> Option<&str> {
    match value {
        FactValue::Text(t) => Some(t),
        FactValue::Pinned { tag, .. } => Some(tag),
        _ => None,
    }
}

fn origin(fact: &Fact) -> String {
    let at = fact.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    if fact.source.is_empty() {
        format!("at {at}")
    } else {
        format!("from {} at {at}", fact.source)
    }
}

impl Gate {
    /// Evaluates this gate over `facts` at `now`, applying `waivers`.
    ///
    /// A gate that does not hold but has a waiver (targeting the gate by
    /// name) is `waived`; the verdict keeps the reasons it did not hold and
    /// adds the waiver.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use release_core::gate::{Facts, Gate, Rule, Status, Waiver, WaiverTarget};
    ///
    /// let now = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    /// let gate = Gate::new("e2e", Rule::test("e2e"));
    /// assert_eq!(gate.evaluate(&Facts::new(), &[], now).status, Status::Pending);
    /// let waiver = Waiver::new(WaiverTarget::Gate("e2e".into()), "alice".parse()?, "flaky runner", now);
    /// let verdict = gate.evaluate(&Facts::new(), &[waiver], now);
    /// assert_eq!(verdict.status, Status::Waived);
    /// assert_eq!(verdict.waivers().next().unwrap().by, "alice");
    /// # Ok::<(), release_core::Error>(())
    /// ```
    pub fn evaluate(&self, facts: &Facts, waivers: &[Waiver], now: DateTime<Utc>) -> Verdict {
        evaluate(std::slice::from_ref(self), facts, waivers, now)
    }
}

/// Evaluates gates together: the verdict lists every reason of every gate.
///
/// The status is failed if a blocking reason failed, else pending if one
/// is pending, else waived if a waiver was needed, else passed.
///
/// Without [`People`], the requester is read from `requester` facts (two
/// different ones fail the approvals rules) and any role may be approved
/// by anyone but the requester: see [`evaluate_with`].
pub fn evaluate(gates: &[Gate], facts: &Facts, waivers: &[Waiver], now: DateTime<Utc>) -> Verdict {
    evaluate_with(gates, facts, waivers, now, People::default())
}

/// As [`evaluate`], with the release's requester and the process's roles:
/// an approval counts only from a member of its role (when the process
/// has roles) who is not the requester (unless the role allows
/// self-approval, which the verdict then says), and a waiver of a gate
/// counts only from someone [`People`] allows to waive it.
pub fn evaluate_with(
    gates: &[Gate],
    facts: &Facts,
    waivers: &[Waiver],
    now: DateTime<Utc>,
    people: People<'_>,
) -> Verdict {
    let mut reasons = Vec::new();
    let mut outcomes = Vec::with_capacity(gates.len());
    for gate in gates {
        let mut ctx = Ctx {
            gate: &gate.name,
            facts,
            waivers,
            people,
            now,
            reasons: Vec::new(),
            next_change: None,
        };
        let tri = ctx.eval(&gate.rule, false);
        let status = ctx.waive(gate, tri);
        reasons.append(&mut ctx.reasons);
        outcomes.push((status, ctx.next_change));
    }
    let (status, next_change) = overall(&outcomes);
    Verdict {
        status,
        reasons,
        next_change,
    }
}

/// The verdict's status over each gate's status and when it may change:
/// failed if one failed, else pending if one is, else waived if one
/// needed a waiver, else passed. A failure that time cannot change (one
/// failed gate's outcome never changes by time) is not re-checked when
/// another gate's fact expires.
fn overall(outcomes: &[(Status, Option<DateTime<Utc>>)]) -> (Status, Option<DateTime<Utc>>) {
    let has = |status: Status| outcomes.iter().any(|(s, _)| *s == status);
    let status = [Status::Failed, Status::Pending, Status::Waived]
        .into_iter()
        .find(|s| has(*s))
        .unwrap_or(Status::Passed);
    let tri = |s: Status| match s {
        Status::Failed => Tri::Fail,
        Status::Pending => Tri::Pending,
        _ => Tri::Pass,
    };
    let timed: Vec<(Tri, Option<DateTime<Utc>>)> =
        outcomes.iter().map(|(s, c)| (tri(*s), *c)).collect();
    (status, combine_timed(true, &timed).1)
}

impl Ctx<'_> {
    /// The gate's status from its rule's outcome and the waivers: a gate
    /// that does not hold is waived by the latest waiver of it from
    /// someone allowed to waive it; the waivers from others are reasons
    /// that do not count.
    fn waive(&mut self, gate: &Gate, tri: Tri) -> Status {
        let cell_waived = self.reasons.iter().any(|r| r.status == Status::Waived);
        if tri == Tri::Pass {
            return if cell_waived {
                Status::Waived
            } else {
                Status::Passed
            };
        }
        let mut refused = Vec::new();
        let (people, waivers) = (self.people, self.waivers);
        let waiver = waivers
            .iter()
            .rev()
            .filter(|w| w.target == WaiverTarget::Gate(gate.name.clone()))
            .find_map(|w| match people.may_waive(gate, &w.by) {
                Ok(allowed) => Some((w, allowed)),
                Err(why) => {
                    refused.push(why);
                    None
                }
            });
        for why in refused {
            let detail = format!("a waiver does not count: {why}");
            self.waiver_reason(Status::Failed, false, detail, None);
        }
        let Some((waiver, allowed)) = waiver else {
            return tri.status();
        };
        let detail = match allowed {
            Allowed::Plainly => waiver.to_string(),
            Allowed::BySelfApproval(note) => format!("{waiver} ({note})"),
        };
        self.waiver_reason(Status::Waived, true, detail, Some(waiver.clone()));
        Status::Waived
    }

    fn waiver_reason(
        &mut self,
        status: Status,
        blocking: bool,
        detail: String,
        waiver: Option<Waiver>,
    ) {
        self.reasons.push(Reason {
            gate: self.gate.to_owned(),
            status,
            blocking,
            rule: "waiver".to_owned(),
            detail,
            missing: None,
            until: None,
            waiver,
        });
    }
}
