from rest_framework import serializers
from rest_framework.authtoken.models import Token

from core.models import Role, User


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)
    role = serializers.ChoiceField(choices=[("", "No role"), *Role.choices], read_only=True)
    state = serializers.SlugRelatedField(
        slug_field="iso3", read_only=True, allow_null=True, help_text="A focal point's State."
    )
    donor = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The donor organisation a donor acts for."
    )
    is_staff_member = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["username", "name", "email", "role", "state", "donor", "is_staff_member"]


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Token
        fields = ["key", "created"]
