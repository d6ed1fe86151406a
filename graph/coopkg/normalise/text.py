"""Text as sources really write it: broken encodings, stray HTML, odd whitespace.

``repair_encoding`` undoes the commonest mojibake — UTF-8 bytes read as Windows-1252 or
Latin-1 ("Ã‰changes" -> "Échanges", "dâ€™expÃ©riences" -> "d’expériences") — by a careful
round-trip on each suspicious run only, so correct text is never touched. ``decode`` turns
the bytes of a file into text (UTF-8 with or without BOM, else Windows-1252) and refuses
binary files with a plain reason.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path


class NotText(ValueError):
    """Bytes that are not text in any encoding we accept (binary garbage, NULs)."""


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # the five holes of cp1252 read as Latin-1 C1 controls


# What a UTF-8 lead byte and continuation bytes look like once decoded as cp1252.
_LEAD = "".join(_cp1252_char(b) for b in range(0xC2, 0xF5))
_CONT = "".join(_cp1252_char(b) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile(f"[{re.escape(_LEAD)}][{re.escape(_CONT)}]{{1,3}}")
_TO_BYTE = {_cp1252_char(b): b for b in range(0x80, 0x100)}


def _undo(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        raw = bytes(_TO_BYTE[c] for c in run)
        return raw.decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return run


def repair_encoding(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 mojibake, run by run; leave good text alone."""
    if not any(c in _TO_BYTE for c in text):
        return text
    previous = None
    while previous != text:  # doubly-encoded text needs two passes
        previous, text = text, _MOJIBAKE.sub(_undo, text)
    return text


_TAG = re.compile(r"<[^<>]{0,2000}>")


def strip_html(text: str) -> str:
    """Remove tags (<b>, <br/>, <span ...>) and decode entities (&amp; &eacute; &#233;)."""
    return html.unescape(_TAG.sub(" ", text))


def clean(text: object) -> str:
    """One cell or value: encoding repaired, HTML removed, whitespace collapsed, NFC."""
    if text is None:
        return ""
    out = repair_encoding(str(text))
    if "<" in out or "&" in out:
        out = strip_html(out)
    out = unicodedata.normalize("NFC", out.replace("\u00a0", " ").replace("\ufeff", ""))
    return " ".join(out.split())


def read_text(path: Path) -> str:
    """A source file's text, decoded as `decode` does; NotText says why it cannot be read.

    One place for what every text reader needs: a missing or unreadable file and binary
    data both come back as NotText, so readers report them the same way.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise NotText(err.strerror or str(err)) from None
    return decode(raw)[0]


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a file's bytes: UTF-8 (BOM or not), else Windows-1252.

    Raises NotText for binary data (NUL bytes, or many control characters).
    """
    if not raw:
        return "", "utf-8"
    sample = raw[:65536]
    if b"\x00" in sample:
        raise NotText("binary data (NUL bytes), not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text, encoding = raw.decode("latin-1"), "latin-1"
    controls = sum(1 for c in text[:65536] if unicodedata.category(c) == "Cc" and c not in "\t\r\n\f")
    if controls > max(3, len(text[:65536]) // 100):
        raise NotText(f"binary data ({controls} control characters), not text")
    return text, encoding
