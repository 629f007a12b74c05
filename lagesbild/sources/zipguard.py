"""The one zip-bomb guard: an archive's members checked before anything unpacks or opens it.

Used by the XLSX reader (an XLSX is a zip archive) and by the places reader (a zipped Shapefile,
GeoJSON or GeoPackage). The checks read only the archive's central directory: the number of members,
each member's unpacked size against its packed size, the whole archive's unpacked size against its
size on disk (many members, each under :data:`ZIP_RATIO_FROM`, add up), and the total unpacked size;
an encrypted member or one packed with a method Python cannot unpack (Deflate64, PPMd, AES) is
refused there too.
:func:`extract` copies one member out, a damaged one (wrong checksum, broken data) refused in Swedish;
a copy that cannot be written (full disk, size limit) says so instead of calling the archive damaged.
:func:`not_a_workbook` says what a zip named as a workbook is instead (.ods, .docx, any archive).
"""

from __future__ import annotations

import errno
import shutil
import zipfile
import zlib
from pathlib import Path

from lagesbild.errors import OS_REASONS, InputError

#: a member may not unpack to more than this many bytes per byte stored ...
MAX_ZIP_RATIO = 200
#: ... once it is larger than this (small parts compress well legitimately)
ZIP_RATIO_FROM = 20 << 20
#: all members together may unpack to no more than this by default
MAX_UNPACKED_BYTES = 2 << 30
#: and an archive may hold no more than this many members by default
MAX_MEMBERS = 10_000
#: the packing methods Python's zipfile unpacks: stored, deflate, bzip2, lzma
UNPACKABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
#: the errors of a damaged archive or member (zipfile's own, zlib's, a too-new version)
DAMAGED = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError, ValueError)
#: operating-system errors of writing the unpacked copy, not of the archive (reasons: OS_REASONS)
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB".replace(",", "\u00a0")


def checked_members(path: str | Path, name: str, *, not_zip: str, what: str = "zip-arkivet",
                    resave: str = "packa filerna igen som vanlig zip utan lösenord",
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
    resave : str
        What to do with an encrypted archive or one packed with a method that cannot be unpacked.
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
    except NotImplementedError:  # zipfile: "zip file version 24.9"
        raise InputError(name, f"{what} har en zip-version som inte kan läsas (filen är skadad eller "
                               "gjord med ett ovanligt program)") from None
    if any(m.flag_bits & 0x1 for m in members):
        raise InputError(name, f"{what} har lösenordsskydd (krypterade delar); {resave}")
    odd = sorted({m.compress_type for m in members} - UNPACKABLE)
    if odd:
        raise InputError(name, f"{what} använder en packningsmetod som inte kan packas upp (zip-metod "
                               f"{', '.join(map(str, odd))}, t.ex. Deflate64 eller AES); {resave}")
    if len(members) > max_members:
        raise InputError(name, f"{what} har {len(members)} filer; högst {max_members} tas emot "
                               "(skadad fil eller zip-bomb)")
    total = sum(m.file_size for m in members)
    bomb = any(m.file_size > ZIP_RATIO_FROM and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1)
               for m in members)
    # the archive as a whole too: a member under ZIP_RATIO_FROM was never compared with its packed size,
    # so 99 members of 20 MB each (a 2.9 MB XLSX unpacking to 1.98 GB) passed and took 82 s to read
    bomb = bomb or (total > ZIP_RATIO_FROM and total > MAX_ZIP_RATIO * max(_archive_size(path), 1))
    if bomb or total > max_unpacked:
        size = _mb(total) + (f" ({total} byte)" if total < 2**20 else "")
        raise InputError(name, f"{what} packas upp till {size}; det är för mycket för en fil av den "
                               "storleken (skadad fil eller zip-bomb)")
    return members


def _archive_size(path: str | Path) -> int:
    """The archive's size in bytes on disk (not the packed sizes its directory claims)."""
    try:
        return Path(path).stat().st_size
    except (OSError, TypeError):
        return 0


def extract(path: str | Path, name: str, member: zipfile.ZipInfo, target: Path) -> Path:
    """Copy one member (checked by :func:`checked_members`) to ``target``, at most its stated size
    (``ZipExtFile`` stops there); a damaged member is an :class:`InputError`, the copy removed.

    Examples
    --------
    >>> import os, tempfile, zipfile
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "a.zip")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("a.txt", "abc")
    >>> data = bytearray(open(path, "rb").read())
    >>> data[30 + len("a.txt")] = ord("x")  # the member's first byte: its checksum no longer holds
    >>> _ = open(path, "wb").write(data)
    >>> member = checked_members(path, "a.zip", not_zip="-")[0]
    >>> extract(path, "a.zip", member, Path(folder) / "a.txt")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: a.zip: zip-arkivet är skadat: "a.txt" kan inte packas upp (kontrollsumman stämmer inte)
    >>> os.path.exists(os.path.join(folder, "a.txt"))
    False
    """
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except DAMAGED as exc:
        Path(target).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRORS:
            raise InputError(name, f"\"{member.filename}\" kunde inte packas upp till en tillfällig fil "
                                   f"({OS_REASONS[exc.errno]}); filen i sig kan vara hel") from None
        why = "kontrollsumman stämmer inte" if "CRC" in str(exc) else "data eller rubriker är trasiga"
        raise InputError(name, f"zip-arkivet är skadat: \"{member.filename}\" kan inte packas upp "
                               f"({why})") from None
    return target


#: the zip-based office files that are not an Excel workbook, by a part only they have
OTHER_OFFICE = (("word/", "ett Word-dokument (.docx)"), ("ppt/", "en PowerPoint-presentation (.pptx)"))
RESAVE_AS_XLSX = "öppna den och spara den som Excel-arbetsbok (.xlsx) eller som CSV (UTF-8)"


def not_a_workbook(path: str | Path) -> str | None:
    """Why a zip archive named as a workbook is none, in Swedish, else None: an OpenDocument spreadsheet
    (LibreOffice Calc's .ods, also when renamed .xlsx), a Word or PowerPoint file, or any other archive
    without a workbook part. openpyxl said "filen är skadad (en del som Excel-filen hänvisar till
    saknas)" of all of them.

    Examples
    --------
    >>> import io, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "brott.xlsx")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    >>> print(not_a_workbook(path))
    filen är ett OpenDocument-kalkylark (.ods, t.ex. från LibreOffice Calc), inte en Excel-arbetsbok; öppna den och spara den som Excel-arbetsbok (.xlsx) eller som CSV (UTF-8)
    """
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return ("filen är ett OpenDocument-kalkylark (.ods, t.ex. från LibreOffice Calc), inte en "
                f"Excel-arbetsbok; {RESAVE_AS_XLSX}")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return f"filen är ett OpenDocument-dokument, inte en Excel-arbetsbok; {RESAVE_AS_XLSX}"
    if any(n.startswith("xl/") for n in names):
        return None
    what = next((said for part, said in OTHER_OFFICE if any(n.startswith(part) for n in names)), None)
    if what:
        return f"filen är {what}, inte en Excel-arbetsbok; lägg tabellen i en Excel-arbetsbok (.xlsx) eller CSV"
    return ("filen är ett zip-arkiv men ingen Excel-arbetsbok (den har ingen del xl/); spara tabellen som "
            "Excel-arbetsbok (.xlsx) eller CSV")
