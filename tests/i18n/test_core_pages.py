"""Core and dashboard pages, API errors and the focal points' digest in other languages.

These check strings added with the translation of the core pages: they pass once the
catalogues carry them (merged and compiled)."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core.charts import bar_chart
from core.exceptions import ConcurrentEditError
from core.history import HistoryEntry
from core.tabular import TableError, read_table
from dashboard.services import snapshot_create
from needs.digest import send_confirmation_digests
from tests import factories
from translations.lookup import bump_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_translation_cache():
    bump_version()
    yield
    bump_version()


def page(client, name: str, language: str, *args) -> str:
    response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lockouts_page_in_french(client, staff):
    client.force_login(staff)

    text = page(client, "lockout_list", "fr")

    assert "Personne n'est bloqué à la connexion." in text
    assert "Le blocage dure 30 minutes après la dernière tentative." in text


def test_the_lockout_page_in_russian(client, db):
    factories.UserFactory(username="amina")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"),
            {"username": "amina", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="ru",
        )

    assert response.status_code == 429
    text = response.content.decode()
    assert "Вход временно заблокирован" in text
    assert "заблокирован на 30 минут после последней попытки" in text


def test_the_api_tokens_page_in_arabic(client, administrator):
    client.force_login(administrator)

    text = page(client, "api_tokens", "ar")

    assert "الحسابات النشطة ورموز واجهة برمجة التطبيقات الخاصة بها" in text
    assert 'aria-label="إصدار رمز لـ admin"' in text


def test_the_snapshot_pages_in_chinese(client, staff):
    snapshot = snapshot_create(label="CAC/COSP/2021/6", taken_on=datetime.date(2021, 9, 16))
    client.force_login(staff)

    listing = page(client, "dashboard:snapshots", "zh-hans")
    deletion = page(client, "dashboard:snapshot_delete", "zh-hans", snapshot.pk)

    assert "仪表板数字快照" in listing
    assert "为当前数字创建快照" in listing
    assert "删除快照 CAC/COSP/2021/6" in deletion


def test_error_pages_in_spanish(client, people):
    missing = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(people["donor"])
    refused = client.get(reverse("lockout_list"), HTTP_ACCEPT_LANGUAGE="es")

    assert "Página no encontrada" in missing.content.decode()
    assert "No autorizado" in refused.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Utilisez true ou false."), ("ru", "Используйте true или false.")],
)
def test_our_api_errors_follow_accept_language(client, language, message):
    response = client.get("/api/v1/needs/?stale=maybe", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["errors"] == {"stale": [message]}
    assert response.json()["code"] == "invalid"


def test_api_page_errors_follow_accept_language(client, db):
    response = client.get("/api/v1/states/", {"page": 99}, HTTP_ACCEPT_LANGUAGE="es")
    unknown = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="fr")
    dashboard = client.get("/api/v1/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.json()["detail"].startswith("No existe la página 99;")
    assert unknown.json()["detail"] == (
        "Il n'y a pas de point d'accès de l'API à l'adresse /api/v1/no-such-thing/."
    )
    assert dashboard.json()["errors"]["cycle"][0].startswith("请提供审议周期")


def test_file_problems_in_french():
    with translation.override("fr"), pytest.raises(TableError) as problem:
        read_table(b"a,b\n", "needs.ods")

    assert str(problem.value) == "Téléversez un fichier .csv ou .xlsx."


def test_history_and_conflicts_in_russian(staff):
    entry = HistoryEntry(
        record=None, when=timezone.now(), who=staff, kind="restored", reason="", changes=[]
    )
    with translation.override("ru"):
        assert entry.kind_label == "Восстановление"
        conflict = ConcurrentEditError(current=None, changes={"priority": ("low", "high")})
    assert conflict.messages[0].startswith("Кто-то другой сохранил эту запись")


def test_an_empty_chart_says_so_in_arabic():
    with translation.override("ar"):
        svg = str(bar_chart(title="T", labels=[], series={}))

    assert "لا توجد بيانات" in svg


def test_the_digest_in_french(focal_point, published_review):
    factories.NeedFactory(
        review=published_review,
        article=None,
        last_confirmed_on=None,
        identified_on=datetime.date(2015, 1, 1),
    )
    focal_point.preferred_language = "fr"
    focal_point.save()

    send_confirmation_digests(today=datetime.date(2026, 11, 22))

    [message] = mail.outbox
    assert message.subject == "Kenya : 1 besoin à confirmer"
    assert "Chapitre en général ; jamais confirmé" in message.body
    assert "Vous recevez ce message au plus une fois par jour" in message.body
