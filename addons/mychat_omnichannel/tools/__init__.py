from . import phone
from . import signatures
from . import whatsapp
from .provider_error import ProviderError
