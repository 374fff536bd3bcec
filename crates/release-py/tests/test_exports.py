"""One source for the public names and one for the exception tree.

The native module's ``__all__`` (every class and function it registers) is
the source of the public names: the package re-exports exactly those, and
the stub lists the same. The exception tree is declared once, in
``src/errors.rs`` (``TREE``), exposed as ``_release_core._EXCEPTION_TREE``:
the classes, the stub and the package documentation must agree with it.
"""

import ast
import builtins
from pathlib import Path

import release_core
from release_core import _release_core

STUB = Path(__file__).resolve().parents[1] / "python" / "release_core" / "_release_core.pyi"


def stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def stub_all() -> list[str]:
    for node in stub_tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(v) for v in value]
    raise AssertionError("the stub has no __all__")


def stub_classes() -> dict[str, list[str]]:
    """Every class of the stub with its bases' names."""
    return {
        node.name: [ast.unparse(b) for b in node.bases]
        for node in stub_tree().body
        if isinstance(node, ast.ClassDef)
    }


def test_the_package_exports_exactly_the_native_modules_names() -> None:
    assert release_core.__all__ == _release_core.__all__
    assert len(set(release_core.__all__)) == len(release_core.__all__)
    for name in release_core.__all__:
        assert getattr(release_core, name) is getattr(_release_core, name), name


def test_the_stub_lists_the_same_names() -> None:
    listed = stub_all()
    assert len(set(listed)) == len(listed), "a name listed twice in the stub"
    assert sorted(listed) == sorted(_release_core.__all__)


def test_private_names_stay_out_of_all() -> None:
    assert all(not n.startswith("_") or n == "__version__" for n in release_core.__all__)
    assert "_EXCEPTION_TREE" not in release_core.__all__
    assert "_panic_for_test" not in release_core.__all__


def resolve(name: str) -> type:
    ours = getattr(release_core, name, None)
    cls = ours if ours is not None else getattr(builtins, name)
    assert isinstance(cls, type)
    return cls


def test_the_classes_are_the_declared_tree() -> None:
    declared = _release_core._EXCEPTION_TREE
    assert [row[0] for row in declared][:1] == ["ReleaseError"]
    for name, bases, doc in declared:
        cls = getattr(release_core, name)
        assert cls.__module__ == "release_core"
        assert tuple(b.__name__ for b in cls.__bases__) == bases, name
        assert [resolve(b) for b in bases] == list(cls.__bases__), name
        assert cls.__doc__ == doc
        assert name in release_core.__all__


def test_every_exception_the_module_exports_is_declared() -> None:
    declared = {row[0] for row in _release_core._EXCEPTION_TREE}
    exported = {
        name
        for name in release_core.__all__
        if isinstance(getattr(release_core, name), type)
        and issubclass(getattr(release_core, name), BaseException)
    }
    assert exported == declared


def test_the_stub_declares_the_same_tree() -> None:
    classes = stub_classes()
    for name, bases, _ in _release_core._EXCEPTION_TREE:
        assert classes.get(name) == list(bases), name
    # And no other exception class.
    exceptions = {
        name
        for name, bases in classes.items()
        if any(b in {"Exception", "UserWarning"} or b in classes and b.endswith(("Error", "Warning"))
               for b in bases)
    }
    assert exceptions == {row[0] for row in _release_core._EXCEPTION_TREE}


def test_the_package_documentation_names_every_class() -> None:
    doc = release_core.__doc__ or ""
    for name, _, _ in _release_core._EXCEPTION_TREE:
        assert f":class:`{name}`" in doc, name
