import json

from odoo.tests import BaseCase, tagged

from ..tools import signatures
from .common import load_sample


@tagged("post_install", "-at_install")
class TestSignatures(BaseCase):
    def test_meta_reference_vector(self):
        body = load_sample("whatsapp_text.json")
        expected = "sha256=0e28cdcc56474ca3c65b88b87f3cc18e24b70155f719218bd8e8256c17ff8287"
        self.assertEqual(signatures.meta_signature("test_app_secret", body), expected)
        self.assertTrue(signatures.verify_meta("test_app_secret", body, expected))

    def test_meta_reserialized_body_fails(self):
        body = load_sample("whatsapp_text.json")
        redumped = json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":")).encode()
        self.assertNotEqual(redumped, body)
        self.assertFalse(
            signatures.verify_meta(
                "test_app_secret", redumped, signatures.meta_signature("test_app_secret", body)
            )
        )

    def test_meta_missing_secret_or_header(self):
        body = b"{}"
        self.assertFalse(signatures.verify_meta("", body, signatures.meta_signature("", body)))
        self.assertFalse(signatures.verify_meta("s", body, None))
        self.assertFalse(signatures.verify_meta("s", body, "sha256=00"))

    def test_standard_webhooks(self):
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        body = b'{"test": 2432232314}'
        sig = signatures.standard_webhooks_signature(
            secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body
        )
        # the Standard Webhooks specification's own example
        self.assertEqual(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        ok = signatures.verify_standard_webhooks
        self.assertTrue(
            ok(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, sig, now=1614265330 + 299)
        )
        self.assertFalse(
            ok(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, sig, now=1614265330 + 301)
        )
        self.assertFalse(ok(secret, "msg_other", "1614265330", body, sig, now=1614265330))

    def test_twilio(self):
        # Twilio's documented example
        url = "https://example.com/myapp"
        params = {
            "CallSid": "CA1234567890ABCDE",
            "Caller": "+12349013030",
            "Digits": "1234",
            "From": "+12349013030",
            "To": "+18005551212",
        }
        sig = signatures.twilio_signature("12345", url, params)
        self.assertTrue(signatures.verify_twilio("12345", url, params, sig))
        self.assertFalse(signatures.verify_twilio("12345", url + "?x=1", params, sig))
