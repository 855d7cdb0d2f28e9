"""The output directory rules: a foreign non-empty directory is never written to (even with
force), an mcucompile one is replaced only with force, and a failure leaves nothing behind."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcucompile.errors import UserError
from mcucompile.projects.output_dir import MARKER, check_target, staged

MARKER_DATA = {"generator": "mcucompile"}


def listing(directory):
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def make_project(target, text="old"):
    with staged(target, force=False, marker=MARKER_DATA) as staging:
        (staging / "file.txt").write_text(text)


def test_new_directory_with_parents(tmp_path):
    target = tmp_path / "a" / "b" / "project"
    make_project(target)
    assert listing(tmp_path / "a") == ["b", "b/project", f"b/project/{MARKER}", "b/project/file.txt"]
    assert json.loads((target / MARKER).read_text()) == MARKER_DATA


def test_empty_directory_is_used(tmp_path):
    target = tmp_path / "project"
    target.mkdir()
    make_project(target)
    assert (target / "file.txt").read_text() == "old"


@pytest.mark.parametrize("force", [False, True])
def test_foreign_directory_is_refused(tmp_path, force):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(UserError, match="is not empty and mcucompile did not make it"):
        with staged(target, force=force, marker=MARKER_DATA):
            pass
    assert listing(tmp_path) == ["mine", "mine/notes.txt"]


def test_a_file_is_refused(tmp_path):
    (tmp_path / "project").write_text("")
    with pytest.raises(UserError, match="is not a directory"):
        check_target(tmp_path / "project", force=True)


@pytest.mark.parametrize("relative", [".", "..", "sub/.."])
def test_the_current_directory_is_refused(tmp_path, monkeypatch, relative):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub" if relative == ".." else tmp_path)
    with pytest.raises(UserError, match="is the current directory or holds it"):
        check_target(Path(relative), force=True)


def test_own_directory_needs_force(tmp_path):
    target = tmp_path / "project"
    make_project(target)
    with pytest.raises(UserError, match="pass --force"):
        make_project(target, "new")
    assert (target / "file.txt").read_text() == "old"
    (target / "stray.txt").write_text("")
    with staged(target, force=True, marker=MARKER_DATA) as staging:
        (staging / "file.txt").write_text("new")
    assert listing(tmp_path) == ["project", f"project/{MARKER}", "project/file.txt"]
    assert (target / "file.txt").read_text() == "new"


def test_failure_leaves_nothing(tmp_path):
    target = tmp_path / "a" / "b" / "project"
    with pytest.raises(RuntimeError):
        with staged(target, force=False, marker=MARKER_DATA) as staging:
            (staging / "half.txt").write_text("")
            raise RuntimeError("generation failed")
    assert listing(tmp_path) == []


def test_failure_keeps_the_old_project(tmp_path):
    target = tmp_path / "project"
    make_project(target)
    with pytest.raises(KeyboardInterrupt):
        with staged(target, force=True, marker=MARKER_DATA) as staging:
            (staging / "file.txt").write_text("new")
            raise KeyboardInterrupt
    assert listing(tmp_path) == ["project", f"project/{MARKER}", "project/file.txt"]
    assert (target / "file.txt").read_text() == "old"
