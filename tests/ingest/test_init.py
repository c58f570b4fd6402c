"""The front door: discovering files, and reading a folder where some inputs are bad."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import claimscope.ingest
from claimscope.errors import ReadError
from claimscope.ingest import ReadOptions, discover, read_file, read_paths
from claimscope.records import Document, ReadFailure

from .helpers import BILLION_LAUGHS, NOW, documents, failures


def test_the_public_surface_is_small() -> None:
    assert sorted(claimscope.ingest.__all__) == [
        "Columns", "ReadOptions", "discover", "read_file", "read_paths"
    ]


@pytest.fixture
def tree(tmp_path: Path, seed_paths: list[Path]) -> Path:
    """articles/ with seeds at two depths, hidden files and folders, and a sidecar."""
    root = tmp_path / "articles"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copyfile(seed_paths[0], root / "b" / "deeper" / "one.txt")
    shutil.copyfile(seed_paths[1], root / "two.md")
    shutil.copyfile(seed_paths[1], root / ".git" / "ignored.txt")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "two.md.meta.yaml").write_text("outlet: Mash\n", encoding="utf-8")
    return root


def test_folders_are_walked_recursively_in_sorted_order(tree) -> None:
    assert list(discover([tree])) == [tree / "b" / "deeper" / "one.txt", tree / "two.md"]


def test_an_explicit_file_is_kept_but_never_a_sidecar_or_a_repeat(tree) -> None:
    hidden = tree / ".git" / "ignored.txt"
    given = [tree / "two.md.meta.yaml", hidden, tree / "two.md", tree]
    assert list(discover(given)) == [hidden, tree / "two.md", tree / "b" / "deeper" / "one.txt"]


def test_a_missing_path_raises_before_anything_is_found(tree) -> None:
    found = discover([tree, tree / "nowhere.txt"])
    with pytest.raises(ReadError) as raised:
        next(found)
    assert raised.value.source == str(tree / "nowhere.txt")
    assert raised.value.problem == "no such file or folder"


def test_read_paths_reads_every_file_with_its_sidecar(tree, seed_paths) -> None:
    items = list(read_paths([tree], ReadOptions(now=lambda: NOW)))
    assert [(d.source, d.outlet) for d in documents(items)] == [
        (str(tree / "b" / "deeper" / "one.txt"), None),
        (str(tree / "two.md"), "Mash"),
    ]
    assert all(d.ingested_at == NOW for d in items)


def test_the_same_bytes_are_the_same_document(tree, seed_paths, options) -> None:
    copy = tree / "copy.txt"
    shutil.copyfile(seed_paths[0], copy)
    [original] = read_file(tree / "b" / "deeper" / "one.txt", options)
    [again] = read_file(copy, options)
    assert isinstance(original, Document) and isinstance(again, Document)
    assert (again.sha256, again.id) == (original.sha256, original.id)
    assert again.source != original.source


def write_bad_inputs(folder: Path, seed: str) -> dict[str, str]:
    """One file per kind of bad input, each with (part of) the problem it must report."""
    latin = seed.encode("cp1252", errors="replace")
    bad_offset = next(i for i, byte in enumerate(latin) if byte >= 0x80)
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "the file is empty"),
        "blank.md": (b" \n\t\n", "the file holds only whitespace, no text"),
        "photo.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text (NUL byte at"),
        "windows-1252.txt": (latin, f"invalid UTF-8 at byte offset {bad_offset}"),
        "utf-16.txt": (seed.encode("utf-16"), "UTF-16 text is not supported"),
        "page.html": (b"<html><body><!-- nothing --></body></html>", "no article text found"),
        "feed.xml": (b"<rss><channel><item>", "malformed XML at line 1"),
        "bomb.rss": (BILLION_LAUGHS.encode(), "refused: the XML declares entities"),
        "export.json": (b'{"name": "Mash", "messages": [}', "malformed JSON at line 1"),
        "huge.txt": ((seed * 3).encode(), "the article is"),
        "scan.pdf": (b"%PDF-1.7\n", "unknown format (extension '.pdf')"),
        "README": (seed.encode(), "unknown format (no file extension)"),
    }
    for name, (content, _) in files.items():
        (folder / name).write_bytes(content)
    return {name: problem for name, (_, problem) in files.items()}


def test_each_bad_input_is_one_failure_and_the_rest_are_read(
    seed_dir: Path, seed_paths: list[Path]
) -> None:
    seed = seed_paths[0].read_text(encoding="utf-8")
    problems = write_bad_inputs(seed_dir, seed)
    limit = 2 * len(seed.encode())  # the seeds fit, huge.txt does not
    items = list(read_paths([seed_dir], ReadOptions(max_article_bytes=limit, now=lambda: NOW)))
    assert sorted(d.source for d in documents(items)) == sorted(
        str(seed_dir / path.name) for path in seed_paths
    )
    by_file = {Path(f.source).name: f.problem for f in failures(items)}
    assert len(failures(items)) == len(by_file) == len(problems)
    for name, problem in problems.items():
        assert problem in by_file[name], name
        assert "Traceback" not in by_file[name] and "Error" not in by_file[name]


def test_a_file_over_the_file_limit_is_not_opened(seed_paths) -> None:
    items = list(read_file(seed_paths[0], ReadOptions(max_file_bytes=100)))
    assert items == [
        ReadFailure(str(seed_paths[0]), "the file is 4,471 bytes, over the limit of 100 bytes")
    ]


def test_a_folder_given_to_read_file_is_a_failure(tmp_path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    [failure] = read_file(folder)
    assert isinstance(failure, ReadFailure)
    assert failure.problem.startswith("cannot read the file: ")
