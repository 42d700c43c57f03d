from . import test_signatures
from . import test_webhook_whatsapp
from . import test_whatsapp_types
from . import test_whatsapp_status
from . import test_whatsapp_send
from . import test_event_processing
from . import test_concurrent_store
