from tests.shipping.conftest import Lab, api, lab  # noqa: F401  (the same small lab)
