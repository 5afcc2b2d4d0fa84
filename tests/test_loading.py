"""Unit tests of cattool.loading: reading one case file into data, a node tree and problems."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from cattool.loading import MAX_CASE_BYTES, LoadedCase, format_path, node_at, read_case
from cattool.problems import Problem


def write(tmp_path: Path, content: str | bytes, name: str = "KG-2016-0001.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def loaded(path: Path) -> LoadedCase:
    result = read_case(path)
    assert isinstance(result, LoadedCase), result
    return result


def problems(path: Path) -> list[tuple[int, int, str, str, str]]:
    result = read_case(path)
    assert isinstance(result, list), "expected the file to be refused"
    return [(p.line, p.column, p.yaml_path, p.code, p.message) for p in result]


# --- format_path and node_at ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_path", "text"),
    [
        ((), "(file)"),
        (("case_id",), "case_id"),
        (("victims", 0, "full_name"), "victims[0].full_name"),
        (
            ("legal_actions", 12, "qualification", "article"),
            "legal_actions[12].qualification.article",
        ),
        (("incidents", 0, "methods", 1), "incidents[0].methods[1]"),
        ((0,), "[0]"),
    ],
)
def test_format_path(yaml_path: tuple[str | int, ...], text: str) -> None:
    assert format_path(yaml_path) == text


@pytest.mark.parametrize(
    ("yaml_path", "where"),
    [
        (("case_id",), (3, 10)),
        (("victims", 0, "full_name"), (27, 16)),
        (("victims", 0, "contacts", "phone"), (40, 14)),
        (("incidents", 0, "methods", 1), (59, 24)),
        (("legal_actions", 2, "qualification", "article"), (124, 48)),
        (("legal_actions", 3, "responds_to"), (132, 18)),
        # A path that goes further than the file stops at the deepest node that exists.
        (("victims", 0, "no_such_key"), (26, 5)),
        (("victims", 7, "full_name"), (26, 3)),
        (("no_such_key",), (2, 1)),
        ((), (2, 1)),
    ],
)
def test_locate(
    model_case_text: str, tmp_path: Path, yaml_path: tuple[str | int, ...], where: tuple[int, int]
) -> None:
    case = loaded(write(tmp_path, model_case_text))
    assert case.locate(yaml_path) == where


def test_node_at_key_returns_the_key_node(model_case_text: str, tmp_path: Path) -> None:
    case = loaded(write(tmp_path, model_case_text))
    key = node_at(case.root, ("victims", 0, "full_name"), key=True)
    value = node_at(case.root, ("victims", 0, "full_name"))
    assert (key.value, key.start_mark.line + 1, key.start_mark.column + 1) == ("full_name", 27, 5)
    assert (value.start_mark.line + 1, value.start_mark.column + 1) == (27, 16)


def test_node_at_does_not_index_a_mapping_with_a_number(tmp_path: Path) -> None:
    case = loaded(write(tmp_path, "victims:\n  full_name: x\n"))
    node = node_at(case.root, ("victims", 0))
    assert isinstance(node, yaml.MappingNode)
    assert node.start_mark.line + 1 == 2


# --- values --------------------------------------------------------------------------------------


def test_dates_and_times_stay_text(tmp_path: Path) -> None:
    case = loaded(
        write(
            tmp_path,
            (
                "intake_date: 2016-03-14\n"
                "when: 2016-03-10 09:30:00\n"
                "iso: 2016-03-10T09:30:00Z\n"
                "bad: 2016-02-30\n"
                "quoted: '2016-03-14'\n"
                "number: 146\n"
                "flag: no\n"
                "article: '146'\n"
            ),
        )
    )
    assert case.data == {
        "intake_date": "2016-03-14",
        "when": "2016-03-10 09:30:00",
        "iso": "2016-03-10T09:30:00Z",
        "bad": "2016-02-30",
        "quoted": "2016-03-14",
        "number": 146,
        "flag": False,
        "article": "146",
    }


def test_model_case_loads_without_problems(model_case_text: str, tmp_path: Path) -> None:
    case = loaded(write(tmp_path, model_case_text))
    assert case.problems == []
    assert case.data["case_id"] == "KG-2016-0001"
    assert case.data["victims"][0]["date_of_birth"] == "1994-07-02"
    assert case.path == tmp_path / "KG-2016-0001.yaml"


def test_display_path_is_used_in_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "- a\n")
    result = read_case(path, display=Path("cases/KG/x.yaml"))
    assert isinstance(result, list)
    assert str(result[0]) == (
        "cases/KG/x.yaml:1:1: (file): the file is a list, not a mapping of keys such as 'case_id:' "
        "to values [not-a-mapping]"
    )


def test_bom_and_crlf(model_case_text: str, tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + model_case_text.replace("\n", "\r\n").encode()
    case = loaded(write(tmp_path, data))
    assert case.problems == []
    assert case.data["case_id"] == "KG-2016-0001"  # not "\ufeff..." nor "...\r"
    assert "\ufeffschema_version" not in case.data
    assert case.locate(("victims", 0, "full_name")) == (27, 16)


# --- duplicate keys: reported, and the file is still used ---------------------------------------


def test_duplicate_key_is_a_problem_but_the_case_is_loaded(tmp_path: Path) -> None:
    case = loaded(
        write(tmp_path, "case_id: A\nvictims:\n  - victim_id: v1\n    victim_id: v2\ncase_id: B\n")
    )
    assert sorted((p.line, p.column, p.yaml_path, p.code) for p in case.problems) == [
        (4, 5, "victims[0].victim_id", "duplicate-key"),
        (5, 1, "case_id", "duplicate-key"),
    ]
    assert case.data == {"case_id": "B", "victims": [{"victim_id": "v2"}]}
    messages = {p.message for p in case.problems}
    assert messages == {
        "the key 'victim_id' appears twice in this mapping; keep one",
        "the key 'case_id' appears twice in this mapping; keep one",
    }


# --- files that are refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="zero-bytes"),
        pytest.param(b"\n\n  \n", id="blank-lines"),
        pytest.param(b"# only a comment\n\n   # another\n", id="comments"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
        pytest.param(b"\xef\xbb\xbf# c\r\n", id="bom-comment-crlf"),
        pytest.param(b"---\n# to fill in\n", id="document-start"),
        pytest.param(b"--- # c\n...\n", id="start-and-end"),
    ],
)
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert problems(write(tmp_path, content)) == [
        (1, 1, "(file)", "empty-file", "the file is empty")
    ]


@pytest.mark.parametrize(
    ("content", "where", "kind"),
    [
        ("- a\n- b\n", (1, 1), "a list"),
        ("# c\n\n  just text\n", (3, 3), "a single value"),
        ("42\n", (1, 1), "a single value"),
    ],
)
def test_not_a_mapping(tmp_path: Path, content: str, where: tuple[int, int], kind: str) -> None:
    assert problems(write(tmp_path, content)) == [
        (
            *where,
            "(file)",
            "not-a-mapping",
            f"the file is {kind}, not a mapping of keys such as 'case_id:' to values",
        ),
    ]


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    found = problems(path)
    assert time.perf_counter() - start < 2
    assert len(found) == 1
    line, _, _, code, message = found[0]
    assert (code, message) == (
        "alias",
        "anchors and aliases (& and *) are not allowed in case files",
    )
    assert 2 <= line <= 10  # a line where an alias is used, not the first anchor


def test_a_single_alias_is_reported_where_it_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "case_id: X\nregion: &r chui\nincidents:\n  - region: *r\n")
    found = problems(path)
    assert [(line, yaml_path, code) for line, _, yaml_path, code, _ in found] == [
        (4, "incidents[0].region", "alias"),
    ]


def test_a_single_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "case_id: X\nregion: &r chui\nincidents:\n  - region: *r\n")
    found = problems(path)
    assert [(code, message) for *_, code, message in found] == [
        ("alias", "anchors and aliases (& and *) are not allowed in case files"),
    ]


def test_an_anchor_without_alias_is_allowed(tmp_path: Path) -> None:
    assert loaded(write(tmp_path, "region: &r chui\n")).data == {"region": "chui"}


def test_merge_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb:\n  <<: {c: 1}\n  d: 2\n")
    assert problems(path) == [
        (3, 3, "b", "alias", "merge keys (<<) are not allowed in case files"),
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("a: 1\n<<<<<<< HEAD\nb: 1\n=======\nb: 2\n>>>>>>> branch\n", 2),
        ("a: 1\n=======\n", 2),
        ("a: 1\n\n>>>>>>> 3f2a9c1 (fix dates)\n", 3),
        ("a: 1\n||||||| merged common ancestors\n", 2),
    ],
)
def test_merge_conflict(tmp_path: Path, content: str, line: int) -> None:
    assert problems(write(tmp_path, content)) == [
        (line, 1, "(file)", "merge-conflict", "a git merge-conflict marker is left in the file"),
    ]


def test_equals_signs_inside_a_text_are_not_a_conflict(tmp_path: Path) -> None:
    case = loaded(write(tmp_path, "summary: |\n  Title\n  =======\n  Text\n"))
    assert case.data == {"summary": "Title\n=======\nText\n"}


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("a:\n\tb: 1\n", (2, 1)),
        ("a:\n  b: 1\n  \tc: 2\n", (3, 3)),
        # libyaml stops on the tab of a line that holds only a tab: that is the tab to remove
        ("a: 1\n\n\t\n b: \t2\n\tc: 3\n", (3, 1)),
    ],
)
def test_tab_indent(tmp_path: Path, content: str, where: tuple[int, int]) -> None:
    assert problems(write(tmp_path, content)) == [
        (*where, "(file)", "tab-indent", "a tab is used for indentation; YAML allows only spaces"),
    ]


def test_tab_inside_a_block_text_is_content(tmp_path: Path) -> None:
    case = loaded(write(tmp_path, "narrative: |\n  He said:\n  \tquoted line\n"))
    assert case.data == {"narrative": "He said:\n\tquoted line\n"}


def test_tab_after_a_value_is_fine(tmp_path: Path) -> None:
    assert loaded(write(tmp_path, "a: 1\t# comment\nb:\t2\n")).data == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"a: 1\nname: \xcf\xf0\xe8\xe2\xe5\xf2\n", (2, 7)),  # Windows-1251
        (b"a: 1\r\nb: \xff\r\n", (2, 4)),
        (b"\xff\xfea\x00:\x00", (1, 1)),  # UTF-16
    ],
)
def test_encoding(tmp_path: Path, content: bytes, where: tuple[int, int]) -> None:
    assert problems(write(tmp_path, content)) == [
        (*where, "(file)", "encoding", "the file is not valid UTF-8 text; save it as UTF-8"),
    ]


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ('a: "open\nb: 1\n', (3, 1), "YAML syntax error: found unexpected end of stream"),
        ("a: [1, 2\nb: 1\n", (2, 2), "YAML syntax error: did not find expected ',' or ']'"),
        (
            "a: 1\n b: 2\n",
            (2, 3),
            "YAML syntax error: mapping values are not allowed in this context",
        ),
    ],
)
def test_yaml_syntax(tmp_path: Path, content: str, where: tuple[int, int], message: str) -> None:
    assert problems(write(tmp_path, content)) == [(*where, "(file)", "yaml-syntax", message)]


def test_two_documents_are_a_syntax_error(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "a: 1\n---\nb: 2\n"))
    assert [(line, code) for line, _, _, code, _ in found] == [(2, "yaml-syntax")]
    assert found[0][4].startswith("YAML syntax error: ")


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, b"a: 1\n" + b"#" * (MAX_CASE_BYTES * 2))
    assert problems(path) == [
        (
            1,
            1,
            "(file)",
            "too-large",
            "the file is 2049 KiB, over the 1024 KiB limit for a case; keep scans and long "
            "documents as separate files and refer to them",
        ),
    ]


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "KG-2016-0001.yaml"
    folder.mkdir()
    result = read_case(folder, display=Path("cases/KG/KG-2016-0001.yaml"))
    assert result == [
        Problem(
            Path("cases/KG/KG-2016-0001.yaml"),
            1,
            1,
            "(file)",
            "this is a folder, not a case file: give it a name that does not end in .yaml or "
            ".yml (the case files inside it are still checked)",
            "not-a-file",
        ),
    ]


def test_a_file_just_over_the_limit_says_so(tmp_path: Path) -> None:
    ((_, _, _, code, message),) = problems(write(tmp_path, b"#" * (MAX_CASE_BYTES + 1)))
    assert code == "too-large"
    assert message.startswith("the file is 1025 KiB, over the 1024 KiB limit")
