"""``manage.py backup`` and ``restore``: one archive with the database and the media files, a
verified round trip (rows, files, and the pages that read them) on SQLite and PostgreSQL."""

import datetime as dt
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Bulletin, OutboxMessage
from assessments.services import bulletins
from kaohe.lib.backup import read_manifest
from tests.factories import WeightsFactory, YearFactory, bulletin_towns

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    bulletin_towns(xx, year)
    bulletin = bulletins.bulletin_build(year=year, month=10, today=dt.date(2015, 10, 31))
    bulletins.bulletin_publish(bulletin=bulletin, by=xx.office, today=dt.date(2015, 10, 31))
    return Bulletin.objects.get()


def test_backup_then_restore_gives_back_every_row_and_file(
    client, xx, published, tmp_path, settings
):
    archive = tmp_path / "kaohe.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    manifest = read_manifest(archive)
    assert manifest["counts"]["assessments.Bulletin"] == 1
    assert manifest["counts"]["assessments.OutboxMessage"] == 4
    pdf_name = published.pdf.name
    assert pdf_name in manifest["media"]
    with tarfile.open(archive) as tar:
        assert f"media/{pdf_name}" in tar.getnames()
    pdf = Path(settings.MEDIA_ROOT, pdf_name).read_bytes()

    # Disaster: rows and files gone.
    Bulletin.objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--yes", verbosity=0)

    bulletin = Bulletin.objects.get()
    assert bulletin.pdf.name == pdf_name
    assert Path(settings.MEDIA_ROOT, pdf_name).read_bytes() == pdf
    assert OutboxMessage.objects.count() == 4
    client.force_login(xx.office)  # the restored accounts log in
    response = client.get(reverse("assessments:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200
    assert response.content == pdf


def test_a_damaged_archive_is_refused_and_nothing_changes(published, tmp_path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="not a Kaohe backup"):
        call_command("restore", str(broken), "--yes")
    assert Bulletin.objects.count() == 1


def test_a_backup_of_other_migrations_is_refused(published, tmp_path, monkeypatch):
    archive = tmp_path / "kaohe.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    from kaohe.lib import backup

    monkeypatch.setattr(backup, "_migrations", lambda: [["assessments", "9999_future"]])
    with pytest.raises(CommandError, match="migrat"):
        call_command("restore", str(archive), "--yes")
    assert Bulletin.objects.count() == 1
