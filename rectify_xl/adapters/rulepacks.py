"""Load the typing-slip pack: the default from package data, merged with a user's TOML file."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.adapters.files import os_reason
from rectify_xl.core.textcheck import TypoPack
from rectify_xl.errors import InputError

if TYPE_CHECKING:
    from rectify_xl.core.homophones import Lexicon

__all__ = ["DEFAULT_TYPOS", "default_lexicon", "default_typos", "load_typos"]

DEFAULT_TYPOS = "typos.toml"
DEFAULT_VOCABULARY = "vocabulary.txt"  # one fixed phrase a line, # comments
DEFAULT_LEXICON = "lexicon.txt.gz"  # scripts/build_lexicon.py: word counts and readings
_MAX_BYTES = 2_000_000  # a word list, not a data dump


@cache  # a merge validates hundreds of files in one process: read the pack once
def default_typos() -> TypoPack:
    data = resources.files("rectify_xl.data")
    pack = _parse(data.joinpath(DEFAULT_TYPOS).read_text("utf-8"), DEFAULT_TYPOS)
    lines = data.joinpath(DEFAULT_VOCABULARY).read_text("utf-8").splitlines()
    words = tuple(w for line in lines if (w := line.split("#", 1)[0].strip()))
    return pack.merge(TypoPack(words=words, lexicon=default_lexicon), source=DEFAULT_VOCABULARY)


@cache
def default_lexicon() -> Lexicon:
    """The word counts and readings behind the same-sound slip check (≈ 0.1 s to read)."""
    import gzip

    from rectify_xl.core.homophones import Lexicon  # here: a big ledger's validate never needs it

    raw = resources.files("rectify_xl.data").joinpath(DEFAULT_LEXICON).read_bytes()
    _, words, counts, chars, readings = gzip.decompress(raw).decode("utf-8").rstrip("\n").split("\n")
    return Lexicon(dict(zip(words.split("\t"), map(int, counts.split("\t")), strict=True)),
                   dict(zip(chars.split("\t"), map(str.split, readings.split("\t")), strict=True)),
                   default_typos().words)


def load_typos(user_file: str | Path | None = None) -> TypoPack:
    """The default pack, with a user's file (if given) merged over it."""
    pack = default_typos()
    if user_file is None:
        return pack
    path = Path(user_file)
    if not path.is_file():
        raise InputError(f"找不到错别字表：{path}")
    if path.stat().st_size > _MAX_BYTES:
        raise InputError(f"错别字表“{path.name}”过大，已拒绝读取")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"错别字表“{path.name}”不是 UTF-8 编码的文本，请另存为 UTF-8") from exc
    except OSError as exc:
        raise InputError(f"无法读取错别字表“{path.name}”：{os_reason(exc)}") from exc
    return pack.merge(_parse(text, path.name), source=path.name)


def _parse(text: str, name: str) -> TypoPack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from rectify_xl.adapters.profiles import toml_place  # here: it loads the print profiles

        raise InputError(f"错别字表“{name}”{toml_place(exc)}格式有误：请按 TOML 格式书写"
                         "（如 [[typo]] 条目、wrong = \"…\"、文字加英文双引号）") from exc
    except RecursionError as exc:  # tomllib recurses into nested arrays and inline tables
        raise InputError(f"错别字表“{name}”中的括号嵌套过深，不是错别字表") from exc
    try:
        return TypoPack.from_mapping(data, source=name)
    except ValueError as exc:
        raise InputError(f"错别字表“{name}”有误：{exc}") from exc
