"""One archive holding the whole installation: the database (as Django fixtures, whatever the
engine; the round trip is tested on SQLite and on PostgreSQL) and every media file, with a
manifest that the restore checks (migrations, row counts, each file's SHA-256).

``backup(path)`` writes ``.tar.gz``; ``restore(path)`` empties the database (same migrations
required), loads the rows, puts the media files back and verifies the counts and checksums.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media/"


class BackupError(Exception):
    """The archive cannot be restored here (or did not verify); the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(path: Path) -> dict:
    """Write the archive to ``path``; returns its manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / DATA
        with transaction.atomic():  # one consistent snapshot (a repeatable read on PostgreSQL)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                "--all",
                "--indent=0",
                f"--output={data}",
                f"--database={DEFAULT_DB_ALIAS}",
                verbosity=0,
            )
            manifest = {
                "format": FORMAT,
                "created": dt.datetime.now(dt.UTC).isoformat(),
                "database": connection.vendor,
                "migrations": _migrations(),
                "counts": _counts(),
                "media": _media_files(),
                "data_sha256": _sha256(data),
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            blob = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
            archive.add(data, arcname=DATA)
            root = Path(settings.MEDIA_ROOT)
            for name in manifest["media"]:
                archive.add(root / name, arcname=MEDIA + name)
        os.replace(partial, path)  # never a half-written archive under the final name
    return manifest


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a Kaohe backup ({error})") from error


def restore(path: Path) -> dict:
    """Replace the database's rows and the media files with the archive's; verify both.
    Returns the manifest."""
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    here = _migrations()
    if manifest["migrations"] != here:
        missing = {tuple(m) for m in manifest["migrations"]} ^ {tuple(m) for m in here}
        raise BackupError(
            "the backup was taken at other migrations; run `manage.py migrate` to the same "
            f"code first (differences: {sorted(missing)[:5]})"
        )
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(scratch, filter="data")  # no absolute paths, no links out
        data = Path(scratch) / DATA
        if _sha256(data) != manifest["data_sha256"]:
            raise BackupError("the database dump does not match its checksum")
        extracted = Path(scratch) / MEDIA
        for name, digest in manifest["media"].items():
            if _sha256(extracted / name) != digest:
                raise BackupError(f"media file {name} does not match its checksum")
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(data), verbosity=0)
            counts = _counts()
            wrong = {
                k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v
            }
            if wrong:
                raise BackupError(f"row counts differ after loading: {wrong}")
        for name in manifest["media"]:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(extracted / name, target)
    files = _media_files()
    bad = [n for n, d in manifest["media"].items() if files.get(n) != d]
    if bad:
        raise BackupError(f"media files did not restore: {bad[:5]}")
    return manifest
