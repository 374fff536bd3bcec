"""release-core: plan and run software releases as data.

This module covers version and tag schemes (SemVer and CalVer, tag
templates, next versions, pre-release promotion, floating tags and tag
classification) and release calendars (schedules in time zones, holidays,
allow and deny windows, rotations, milestones and ICS export). Every
decision is made by the Rust library release-core; this package converts
arguments and results.

Errors derive from :class:`ReleaseError`. :class:`ParseError` and
:class:`ConfigError` are also :class:`ValueError`; :class:`RefusedError`
(a well-formed request the current state refuses) is not. Arguments of the
wrong type raise :class:`TypeError`.
"""

from ._release_core import (
    Duty,
    IcsCalendar,
    Milestone,
    MilestoneAt,
    Milestones,
    Rotation,
    Window,
    WindowState,
    Windows,
    Change,
    Classification,
    Explanation,
    Occurrence,
    ConfigError,
    ParseError,
    Promotion,
    RefusedError,
    ReleaseError,
    RuleVerdict,
    Schedule,
    Scheme,
    Tag,
    TagList,
    TagRule,
    TagScheme,
    Version,
    __version__,
    builtin_holiday_sets,
    builtin_holidays,
    bump_level,
    classify,
    floating_tags,
    latest_tag,
    parse_commit,
    parse_tags,
    slug,
    sort_tags,
)

__all__ = [
    "Duty",
    "IcsCalendar",
    "Milestone",
    "MilestoneAt",
    "Milestones",
    "Rotation",
    "Window",
    "WindowState",
    "Windows",
    "Change",
    "Classification",
    "Explanation",
    "Occurrence",
    "ConfigError",
    "ParseError",
    "Promotion",
    "RefusedError",
    "ReleaseError",
    "RuleVerdict",
    "Schedule",
    "Scheme",
    "Tag",
    "TagList",
    "TagRule",
    "TagScheme",
    "Version",
    "__version__",
    "builtin_holiday_sets",
    "builtin_holidays",
    "bump_level",
    "classify",
    "floating_tags",
    "latest_tag",
    "parse_commit",
    "parse_tags",
    "slug",
    "sort_tags",
]
