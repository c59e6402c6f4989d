from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from accounts.models import Practice, User


class EmailTokenObtainSerializer(TokenObtainPairSerializer):
    """{"email", "password"} → {"access", "refresh"}. Emails are matched case-insensitively."""

    default_error_messages = {"no_active_account": "That email and password do not match an active account."}

    def validate(self, attrs):
        attrs[self.username_field] = attrs[self.username_field].strip()
        return super().validate(attrs)


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class PracticeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Practice
        fields = ["id", "name"]


class MeSerializer(serializers.ModelSerializer):
    practice = PracticeRefSerializer(allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "practice"]
