"""The one zip-bomb guard: an archive's members checked before anything unpacks or opens it.

Used by the XLSX reader (an XLSX is a zip archive) and by the places reader (a zipped Shapefile,
GeoJSON or GeoPackage). The checks read only the archive's central directory: the number of members,
each member's unpacked size against its packed size, and the total unpacked size.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lagesbild.errors import InputError

#: a member may not unpack to more than this many bytes per byte stored ...
MAX_ZIP_RATIO = 200
#: ... once it is larger than this (small parts compress well legitimately)
ZIP_RATIO_FROM = 20 << 20
#: all members together may unpack to no more than this by default
MAX_UNPACKED_BYTES = 2 << 30
#: and an archive may hold no more than this many members by default
MAX_MEMBERS = 10_000


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB".replace(",", "\u00a0")


def checked_members(path: str | Path, name: str, *, not_zip: str, what: str = "zip-arkivet",
                    max_unpacked: int = MAX_UNPACKED_BYTES,
                    max_members: int = MAX_MEMBERS) -> list[zipfile.ZipInfo]:
    """The members of the zip archive at ``path``, after checking it is no zip bomb.

    Parameters
    ----------
    path : path-like
    name : str
        The file's name in messages.
    not_zip : str
        The Swedish reason when the file is not a readable zip archive.
    what : str
        What the archive is called in the message of a bomb ("Excel-filen", "zip-arkivet").
    max_unpacked, max_members : int
        Limits of the total unpacked size and of the number of members.

    Raises
    ------
    InputError
        Not a zip archive, too many members, a member far larger unpacked than packed, or too much in
        all.

    Examples
    --------
    >>> import io, os, tempfile, zipfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.zip")
    >>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("a.txt", "x" * 1000)
    >>> [m.filename for m in checked_members(path, "a.zip", not_zip="inget zip-arkiv")]
    ['a.txt']
    >>> checked_members(path, "a.zip", not_zip="-", max_unpacked=100)
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: a.zip: zip-arkivet packas upp till 0 MB (1000 byte); det är för mycket för en fil av den storleken (skadad fil eller zip-bomb)
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(name, not_zip) from None
    if len(members) > max_members:
        raise InputError(name, f"{what} har {len(members)} filer; högst {max_members} tas emot "
                               "(skadad fil eller zip-bomb)")
    total = sum(m.file_size for m in members)
    bomb = any(m.file_size > ZIP_RATIO_FROM and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1)
               for m in members)
    if bomb or total > max_unpacked:
        size = _mb(total) + (f" ({total} byte)" if total < 2**20 else "")
        raise InputError(name, f"{what} packas upp till {size}; det är för mycket för en fil av den "
                               "storleken (skadad fil eller zip-bomb)")
    return members
