"""`manage.py dedupe_names PATH`: JSON groups of 0-based line numbers, and clear errors for bad files."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

NAMES = [
    "Make the Road NY",  # 0
    "",  # 1: blank lines count as lines
    "Black Alliance for Just Immigration (BAJI)",  # 2
    "Make the Road New York",  # 3
    "Make the Road New Jersey",  # 4
    "FAITH IN TEXAS",  # 5
    "Faith In Texas",  # 6
    "Indivisible",  # 7
    "",  # 8
    "BAJI",  # 9
    "Indivisible Denver",  # 10
    "faith in texas",  # 11
]


def run(path):
    out = StringIO()
    call_command("dedupe_names", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def names_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    return path


def test_prints_groups_of_line_numbers_sorted_by_first_line(names_file):
    output = run(names_file)
    assert output == "[[0, 3], [2, 9], [5, 6, 11]]\n"
    assert json.loads(output) == [[0, 3], [2, 9], [5, 6, 11]]


def test_blank_lines_are_never_grouped(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\n\nSojourners\n   \n\nsojourners\n\n", encoding="utf-8")
    assert json.loads(run(path)) == [[2, 5]]


def test_no_duplicates_gives_an_empty_list(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Human Rights First\nHuman Rights Watch\n", encoding="utf-8")
    assert run(path) == "[]\n"
    path.write_text("", encoding="utf-8")
    assert run(path) == "[]\n"


def test_windows_line_endings_and_a_byte_order_mark_keep_the_numbering(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes("\ufeffMake the Road NY\r\n\r\nMake the Road New York\r\n".encode())
    assert json.loads(run(path)) == [[0, 2]]


def test_curly_apostrophes_in_utf8_are_read(tmp_path):
    path = tmp_path / "names.txt"
    names = [
        "Capital Area Immigrants' Rights (CAIR) Coalition",
        "Capital Area Immigrants\u2019 Rights (CAIR) Coalition",
    ]
    path.write_text("\n".join(names), encoding="utf-8")
    assert json.loads(run(path)) == [[0, 1]]


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.txt")


def test_a_file_that_is_not_utf8_is_a_command_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Alianza de Liberación\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(path)


def test_a_directory_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path)
