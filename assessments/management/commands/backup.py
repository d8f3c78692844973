"""``manage.py backup [PATH]``: the database and the media files in one verified archive."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from kaohe.lib.backup import backup


class Command(BaseCommand):
    help = (
        "Write the whole database (as Django fixtures) and every "
        "media file into one .tar.gz, with a manifest of row counts and file checksums. "
        "Default path: var/backups/kaohe-YYYYmmdd-HHMMSS.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="where to write the archive")

    def handle(self, *args, path=None, **options):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 (a file name)
        target = Path(path) if path else settings.VAR_DIR / "backups" / f"kaohe-{stamp}.tar.gz"
        manifest = backup(target)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"{target}: {rows} rows in {len(manifest['counts'])} tables, "
            f"{len(manifest['media'])} media files ({target.stat().st_size // 1024} KB)"
        )
