from . import phone
from . import signatures
from . import whatsapp
from . import telegram
from . import meta
from . import sms
from .provider_error import ProviderError
