from . import test_signatures
from . import test_webhook_whatsapp
from . import test_whatsapp_types
