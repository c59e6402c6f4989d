"""What billing announces, so notifications can tell people without billing importing it.

invoice_issued.send(sender=Invoice, invoice=invoice)            # inside the issuing transaction
statement_ready.send(sender=Practice, practice=practice, month=date, pdf=bytes)
"""

from django.dispatch import Signal

invoice_issued = Signal()
statement_ready = Signal()
