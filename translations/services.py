from django.db import transaction

from translations.lookup import bump_version
from translations.models import ReferenceTranslation


@transaction.atomic
def translation_save(*, translation: ReferenceTranslation) -> ReferenceTranslation:
    translation.full_clean()
    translation.save()
    # Other processes see the correction at their next lookup, once it is committed.
    transaction.on_commit(bump_version)
    return translation


@transaction.atomic
def translations_delete(*, translations) -> int:
    deleted, _per_model = translations.delete()
    transaction.on_commit(bump_version)
    return deleted
