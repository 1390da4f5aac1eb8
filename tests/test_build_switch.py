"""The build directory is switched in one atomic step; leftovers go with the next build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph import artifact
from graph.artifact import write_atomically


def writer(content: str):
    def write(folder: Path) -> None:
        (folder / "kg.nq").write_text(content)

    return write


def versions(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir()
                  if p.name.startswith((".build-", ".build.version-")))


def test_two_builds_leave_exactly_one_versioned_directory(tmp_path: Path) -> None:
    build = tmp_path / "build"
    write_atomically(build, writer("first\n"))
    write_atomically(build, writer("second\n"))
    assert build.is_symlink() and (build / "kg.nq").read_text() == "second\n"
    assert versions(tmp_path) == [os.readlink(build)]


def test_the_switch_is_a_single_replace_and_a_kill_before_it_keeps_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = tmp_path / "build"
    write_atomically(build, writer("previous\n"))
    calls = []

    def killed(src, dst):  # the process dies at the one step that switches
        calls.append((Path(src).name, Path(dst).name))
        assert (build / "kg.nq").read_text() == "previous\n"
        raise KeyboardInterrupt

    monkeypatch.setattr(artifact.os, "replace", killed)
    monkeypatch.setattr(Path, "rename", lambda *_a: pytest.fail("a second renaming step"))
    with pytest.raises(KeyboardInterrupt):
        write_atomically(build, writer("new\n"))
    assert len(calls) == 1 and calls[0][1] == "build"
    assert (build / "kg.nq").read_text() == "previous\n"


def test_leftovers_of_an_interrupted_build_are_removed_by_the_next(tmp_path: Path) -> None:
    build = tmp_path / "build"
    write_atomically(build, writer("one\n"))
    current = os.readlink(build)
    # What a kill leaves: the old swap's directories, a written version and its unused link.
    for name in (".build-new-x1", ".build-old-x2", ".build.version-abc12345"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "kg.nq").write_text("stale\n")
    (tmp_path / ".build.version-abc12345.link").symlink_to(".build.version-abc12345")
    (tmp_path / "unrelated").mkdir()
    write_atomically(build, writer("two\n"))
    assert versions(tmp_path) == [os.readlink(build)] != [current]
    assert (tmp_path / "unrelated").is_dir() and (build / "kg.nq").read_text() == "two\n"


def test_a_failed_write_keeps_serving_the_previous_build(tmp_path: Path) -> None:
    build = tmp_path / "build"
    write_atomically(build, writer("previous\n"))
    before = versions(tmp_path)

    def fail(folder: Path) -> None:
        (folder / "kg.nq").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(build, fail)
    assert (build / "kg.nq").read_text() == "previous\n" and versions(tmp_path) == before


def test_a_real_build_directory_from_before_is_migrated(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "kg.nq").write_text("old layout\n")
    write_atomically(build, writer("new\n"))
    assert build.is_symlink() and (build / "kg.nq").read_text() == "new\n"
    assert versions(tmp_path) == [os.readlink(build)]


def test_a_symlink_pointing_elsewhere_is_switched_but_its_target_kept(tmp_path: Path) -> None:
    mine = tmp_path / "elsewhere"
    mine.mkdir()
    build = tmp_path / "out" / "build"
    build.parent.mkdir()
    build.symlink_to(mine)
    write_atomically(build, writer("new\n"))
    assert (build / "kg.nq").read_text() == "new\n" and mine.is_dir()


def test_a_build_never_removes_another_build_folders_versions(tmp_path: Path) -> None:
    """Regression: building into ``b6`` removed the live version of ``b6-before``."""
    other = tmp_path / "build-before"
    write_atomically(other, writer("other\n"))
    build = tmp_path / "build"
    write_atomically(build, writer("one\n"))
    write_atomically(build, writer("two\n"))
    assert (other / "kg.nq").read_text() == "other\n"
    assert (build / "kg.nq").read_text() == "two\n"
