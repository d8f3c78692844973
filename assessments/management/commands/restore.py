"""``manage.py restore PATH --yes``: replace the database and media files with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.lib.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace every row of the database and the media files with those of an archive made "
        "by `manage.py backup` (same migrations required: migrate first), then verify the row "
        "counts and every file's checksum. Asks for --yes: what is there now is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="really replace the data")

    def handle(self, *args, path, yes=False, **options):
        try:
            manifest = read_manifest(Path(path))
            if not yes:
                raise CommandError(
                    f"{path} was taken {manifest['created']} on {manifest['database']}; "
                    "restoring replaces all current data. Run again with --yes."
                )
            manifest = restore(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {sum(manifest['counts'].values())} rows and "
            f"{len(manifest['media'])} media files from {path} (verified)"
        )
