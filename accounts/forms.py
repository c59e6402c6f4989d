from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm

from accounts.models import User
from dentallab.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Email and password, plus "remember me" (off: the session ends with the browser)."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remember_me = forms.BooleanField(
        label="Keep me signed in for 30 days",
        required=False,
        initial=True,
    )

    error_messages = {
        "invalid_login": "That email and password do not match an active account.",
        "inactive": "This account has been deactivated. Ask your lab manager.",
    }


class AdminUserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name", "role", "practice"]


class AdminUserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "name", "role", "practice", "is_active"]
