from dentallab.exceptions import AppError, Conflict


class BillingInputError(AppError):
    code = "invalid"


class NothingToCredit(Conflict):
    code = "nothing_to_credit"


class AlreadyReversed(Conflict):
    code = "already_reversed"
