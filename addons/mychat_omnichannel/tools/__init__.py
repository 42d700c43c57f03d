from . import phone
from . import signatures
from . import whatsapp
from . import telegram
from . import meta_messaging
from . import twilio
from .provider_error import ProviderError
