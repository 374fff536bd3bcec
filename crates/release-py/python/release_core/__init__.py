"""release-core: plan and run software releases as data.

This module covers version and tag schemes (SemVer and CalVer, tag
templates, next versions, pre-release promotion, floating tags and tag
classification) and release calendars (schedules in time zones, holidays,
allow and deny windows, rotations, milestones and ICS export), pipelines
(a validated DAG with its critical path), gates with verdicts and waivers,
runs driven by any Python object with an ``execute(task)`` method, and
process files (:class:`Process`: a whole ``release.toml`` with plans,
explanations, next versions, train simulations, release notes and
tickets). Every decision is made by the Rust library release-core; this
package converts arguments and results.

Errors derive from :class:`ReleaseError`. :class:`ParseError` and
:class:`ConfigError` are also :class:`ValueError`; :class:`RefusedError`
(a well-formed request the current state refuses) is not.
:class:`RunBusyError`, a :class:`RefusedError` and a :class:`RuntimeError`,
is a :class:`Run` used while it is being driven. Arguments of the
wrong type raise :class:`TypeError`. Warnings (a deprecated spelling still
read, an uppercase pre-release label, a tag left out of an answer) are raised
with :func:`warnings.warn` as :class:`ReleaseWarning`, a :class:`UserWarning`.

Threads: every object but :class:`Run`, :class:`VirtualClock` and
:class:`IcsCalendar` is immutable and may be shared between threads. A
:class:`Run` being driven is the driver's until ``drive`` returns: any use
of it meanwhile, from its executor, its observer or another thread, raises
:class:`RunBusyError`; an executor reads the :class:`Task` it is handed and
may ``advance`` the :class:`VirtualClock` the run is driven on.
"""

# The native module is the one source of the public names: its `__all__`
# holds every class and function it registers, the stub's `__all__`
# matches it (mypy.stubtest), and this package re-exports exactly those
# (tests/test_exports.py).
from ._release_core import *  # noqa: F403
from ._release_core import __all__ as __all__
