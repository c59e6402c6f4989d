"""API sign-in (DESIGN §8): JWT pairs for integrations, refresh with rotation, logout, and /me."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import lockout
from accounts.audit import AuditAction, record
from accounts.models import User
from accounts.serializers import EmailTokenObtainSerializer, LogoutSerializer, MeSerializer


class TokenObtainView(jwt_views.TokenObtainPairView):
    """A locked-out account gets 429 with a message, even with the right password: axes refuses
    it inside authenticate(), which simplejwt would otherwise report as a plain 401."""

    serializer_class = EmailTokenObtainSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        except AuthenticationFailed:
            if lockout.is_locked_request(request):
                return lockout.locked_response_json()
            raise
        user = serializer.user
        # Axes resets its count on `user_logged_in`, which token sign-ins do not send.
        lockout.clear_failures(user.email)
        record(AuditAction.TOKEN_ISSUED, request=request._request, actor=user)
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


class TokenRefreshView(jwt_views.TokenRefreshView):
    """{"refresh"} → a new {"access", "refresh"}; the old refresh token is blacklisted."""


@extend_schema(
    request=LogoutSerializer,
    responses={
        200: inline_serializer("SignedOut", {"detail": serializers.CharField()}),
        400: OpenApiResponse(description="Missing refresh token"),
        401: OpenApiResponse(description="Invalid or already revoked refresh token"),
    },
)
class LogoutView(APIView):
    """{"refresh"} → the refresh token is blacklisted and can no longer be used. Holding the
    token is what proves the right to revoke it, so no other authentication is needed."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = RefreshToken(serializer.validated_data["refresh"])
            token.blacklist()
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        user = User.objects.filter(pk=token.get("user_id")).first()
        record(AuditAction.LOGOUT, request=request._request, actor=user, detail={"api": True})
        return Response({"detail": "Signed out."}, status=status.HTTP_200_OK)

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'


@extend_schema(responses=MeSerializer)
class MeView(APIView):
    permission_classes = (IsAuthenticated,)

    def get(self, request):
        return Response(MeSerializer(request.user).data)
