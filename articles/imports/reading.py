"""Reading a file's records: size limits, decoding, and parsing the `.txt` list literal, JSON
and JSON Lines; and the one line a user reads when a file or record is refused.

A record here is still raw (a dict as found); articles/imports/records.py cleans it.
"""

import ast
import itertools
import json
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings

from articles.imports.sources import Item, human_size

logger = logging.getLogger(__name__)

_OPENERS = "[({"

# The values a parser would build, found without building them (_check_values): a string
# literal (Python's, any prefix, escapes skipped; or JSON's), an opening bracket, a number or
# name, any other sign (an operator, a stray quote) or a comment. Commas, colons, closing
# brackets and spaces are skipped. It scans 20 MB of long strings in ~0.18 s, in no memory.
_PY_VALUES = re.compile(
    r"""
    \#[^\n]*
    | [rRbBuUfF]{0,2}
      (?: '{3} [^\\]*? (?:\\.[^\\]*?)*? '{3}
        | "{3} [^\\]*? (?:\\.[^\\]*?)*? "{3}
        | ' [^'\\\n]* (?:\\.[^'\\\n]*)* '
        | " [^"\\\n]* (?:\\.[^"\\\n]*)* " )
    | [\[({]
    | [\w.]+
    | [^\s\w\])},:]
    """,
    re.S | re.X,
)
_JSON_VALUES = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]|[^\s"\[\]{},:]+|"')

# A record as found, the external id it gets if it has none, and where it is in its file
# ("item 2: ", "line 3: ", or "" for a file of one article), to begin its refusal reasons.
Raw = tuple[dict, str, str]


class Refused(Exception):
    """A file or record that cannot be imported; the message is the reason shown to the user."""


def refusal_reason(name: str, error: Exception) -> str:
    """What the user reads when reading or cleaning a file stopped with `error`."""
    if isinstance(error, Refused):
        return str(error)
    if isinstance(
        error, zipfile.BadZipFile | zlib.error | EOFError | NotImplementedError
    ):
        # zipfile stops at a member's declared size and then fails its CRC check, so a zip
        # that lies about its sizes ends up here too.
        return f"damaged zip member ({error})"
    if isinstance(error, RuntimeError):  # e.g. "File is encrypted, password required"
        return f"cannot read zip member ({error})"
    if isinstance(error, OSError):
        return f"could not read the file ({error.strerror or error})"
    logger.error("Import of %s failed", name, exc_info=error)
    return f"unexpected error ({type(error).__name__})"


def whole_file(item: Item) -> bytes:
    """The bytes of a .txt or .json file; Refused past the file size limit."""
    limit = settings.NEWSREVIEW_MAX_FILE_BYTES
    if item.size is not None and item.size > limit:
        raise Refused(
            f"file is {human_size(item.size)}, more than the limit of {human_size(limit)}"
        )
    with item.open() as stream:
        return _read(item, stream, limit)


def parsed_records(data: bytes, *, suffix: str, stem: str) -> Iterator[Raw]:
    """The records in the bytes of a .txt or .json file; Refused if the file cannot be read."""
    text = _decode(data)
    if not text.strip():
        raise Refused("empty file")
    if suffix == ".txt":
        yield {"paragraphs": _parse_literal(text)}, stem, ""
        return
    value = _load_json(text)
    if isinstance(value, dict):
        yield value, stem, ""
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for number, record in enumerate(value, start=1):
            yield record, f"{stem}-{number}", f"item {number}: "
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        yield {"paragraphs": value}, stem, ""
    else:
        raise Refused(
            "not a list of strings, an article object or a list of article objects"
        )


def jsonl_records(item: Item, limit: int) -> Iterator[Raw | str]:
    """The records of a .jsonl file, read line by line, or the reason a line was refused."""
    with item.open() as stream:
        for number in itertools.count(1):
            line = _read_line(item, stream, limit)
            if line is None:
                return
            where = f"line {number}: "
            if isinstance(line, str):  # the reason it was refused
                yield where + line
                continue
            try:
                text = _decode(line).strip()
                if not text:
                    continue
                record = _load_json(text, one_line=True)
            except Refused as refused:
                yield f"{where}{refused}"
                continue
            if not isinstance(record, dict):
                yield f"{where}not an article object (it holds {type_name(record)})"
                continue
            yield record, f"{item.stem}-{number}", where


def json_document(data: bytes) -> Any:
    """The JSON value in `data` (a request body), with a file's checks: UTF-8, nesting depth and
    the number of values; Refused with the reason otherwise."""
    text = _decode(data)
    if not text.strip():
        raise Refused("empty")
    return _load_json(text)


def string_list(value: Any, *, what: str) -> list[str]:
    """`value` if it is a list of strings; else Refused, starting with `what`."""
    if not isinstance(value, list):
        raise Refused(f"{what} (it holds {type_name(value)})")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise Refused(f"{what} (item {number} is {type_name(item)})")
    return value


def type_name(value: Any) -> str:
    """What `value` is, in the words of a refusal reason ("a list", "a number")."""
    names = {
        str: "text",
        list: "a list",
        dict: "an object",
        tuple: "a tuple",
        bool: "true/false",
    }
    if isinstance(value, int | float | complex) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), "a " + type(value).__name__)


def _read(item: Item, stream: IO[bytes], limit: int) -> bytes:
    """At most `limit` bytes of `stream`; Refused past that or past the zip's budget."""
    chunks, total = [], 0
    while chunk := stream.read(min(1024 * 1024, limit + 1 - total)):
        total += len(chunk)
        chunks.append(chunk)
        _charge(item, len(chunk))
        if total > limit:
            raise Refused(f"file is larger than the limit of {human_size(limit)}")
    return b"".join(chunks)


def _read_line(item: Item, stream: IO[bytes], limit: int) -> bytes | str | None:
    """The next line (bytes), the reason it was refused (str), or None at the end."""
    line = stream.readline(limit + 1)
    if not line:
        return None
    _charge(item, len(line))
    if len(line) > limit and not line.endswith(b"\n"):
        while (rest := stream.readline(1024 * 1024)) and not rest.endswith(b"\n"):
            _charge(item, len(rest))
        return f"line is larger than the limit of {human_size(limit)}"
    return line


def _charge(item: Item, n: int) -> None:
    """Count `n` bytes read from a zip member against the zip's uncompressed budget."""
    if item.budget is not None:
        item.budget[0] -= n
        if item.budget[0] < 0:
            raise Refused(
                "zip unpacks to more than its limit (a zip bomb?); stopped reading"
            )


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise Refused("binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start})"
        ) from None


def _check_depth(text: str, values: int) -> None:
    """Refuse text nested deeper than NEWSREVIEW_MAX_LITERAL_DEPTH before a parser recurses into it.

    Brackets inside strings count too: an over-estimate only ever refuses text with dozens of
    unbalanced brackets, which no article has. Only the first 2 * `values` brackets are
    followed (a Python step each); text with more is refused by _check_values, run next, unless
    they are inside strings.
    """
    limit = settings.NEWSREVIEW_MAX_LITERAL_DEPTH
    if sum(text.count(opener) for opener in _OPENERS) <= limit:
        return
    depth = 0
    brackets = re.finditer(r"[\[\](){}]", text)
    for match in itertools.islice(brackets, 2 * values + 2):
        depth += 1 if match.group() in _OPENERS else -1
        if depth > limit:
            raise Refused(f"nested more than {limit} levels deep")


def _check_values(text: str, pattern: re.Pattern, limit: int, reason: str) -> None:
    """Refuse text in which `pattern` finds more than `limit` values, before a parser builds them.

    A parser's time and memory follow the number of values, not the bytes: ast.literal_eval
    builds a ~1 KB node per item, so 20 MB of `'',` (19 KB zipped) took gigabytes and minutes,
    and json.loads 20 MB of `{},` takes ~450 MB. This scan stops at the limit.
    """
    if sum(1 for _ in itertools.islice(pattern.finditer(text), limit + 1)) > limit:
        raise Refused(reason)


def _parse_literal(text: str) -> list[str]:
    # A paragraph is one string (two if a scraper splits it); past that, the exact count
    # and its message come from records.py, cheaply.
    limit = settings.NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE
    _check_depth(text, 2 * limit + 1)
    _check_values(
        text,
        _PY_VALUES,
        2 * limit + 1,
        f"more than {limit:,} paragraphs (the limit per article)",
    )
    try:
        value = ast.literal_eval(text)
    except SyntaxError as error:
        if "integer string conversion" in str(error.msg):
            raise Refused(
                "not a list of strings (it holds a number too large to read)"
            ) from None
        raise Refused(
            f"invalid syntax at line {error.lineno or 1} ({error.msg})"
        ) from None
    except ValueError:
        raise Refused(
            "not a list of strings (it holds code or values other than quoted text)"
        ) from None
    except (RecursionError, MemoryError):
        raise Refused("too deeply nested or too large to read") from None
    return string_list(value, what="not a list of strings")


def _load_json(text: str, *, one_line: bool = False) -> Any:
    limit = settings.NEWSREVIEW_MAX_JSON_VALUES
    _check_depth(text, limit)
    per = "line" if one_line else "file"
    _check_values(
        text,
        _JSON_VALUES,
        limit,
        f"more than {limit:,} values (texts, numbers, lists, objects), the limit per {per}",
    )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        at = "" if one_line else f"line {error.lineno} "
        raise Refused(
            f"invalid JSON at {at}column {error.colno} ({error.msg})"
        ) from None
    except (RecursionError, MemoryError):
        raise Refused("too deeply nested or too large to read") from None
    except ValueError:  # an integer with more digits than Python converts
        raise Refused("invalid JSON (a number too large to read)") from None
