import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from . import whatsapp_payloads as wa
from .outbound_common import OutboundCase


@tagged("post_install", "-at_install")
class TestOptinPage(OutboundCase):
    """A customer opts in on the channel's public page: the consent is recorded with what the page said
    and the request as proof, and marketing may then reach them."""

    def setUp(self):
        super().setUp()
        self.channel.optin_form_enabled = True
        self.url = f"/mychat/optin/{self.channel.sudo().optin_token}"

    def page(self, url=None, **params):
        response = self.url_open(url or self.url, params=params or None)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        return response, csrf and csrf.group(1)

    def submit(self, token, **data):
        return self.url_open(self.url, data={"csrf_token": token, **data})

    def consents(self):
        return self.env["mychat.consent"].search([("channel_id", "=", self.channel.id)])

    def test_opt_in_from_the_page(self):
        response, token = self.page()
        self.assertEqual(response.status_code, 200)
        self.assertIn("I agree to receive messages from", response.text)
        self.assertIn(self.channel.name, response.text)
        self.assertTrue(token)

        # no tick: refused, nothing recorded
        refused = self.submit(token, phone="054-123-4567", name="Dana Levi")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("Tick the box", refused.text)
        # a number nobody can write to
        refused = self.submit(token, phone="12", agree="1")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("phone number", refused.text)
        self.assertFalse(self.consents())

        done = self.submit(token, phone="054-123-4567", name="Dana Levi", agree="1")
        self.assertEqual(done.status_code, 200)
        self.assertIn("o_mychat_optin_done", done.text)
        consent = self.consents()
        self.assertEqual(consent.state, "opted_in")
        self.assertEqual(consent.source, "form")
        self.assertEqual(consent.partner_id, self.dana, "identified by her phone number")
        self.assertEqual(consent.contact_id.external_id, wa.DANA)
        self.assertIn("I agree to receive messages from", consent.proof)
        self.assertIn("Phone: +972541234567", consent.proof)
        self.assertIn("IP address: 127.0.0.1", consent.proof)
        self.assertIn(self.url, consent.proof)

        # the marketing template now reaches her; a second submission records nothing new
        self.channel.start_conversation(self.dana.id, template_id=self.marketing.id)
        self.drain()
        self.assertEqual([s["template"]["name"] for s in self.sends()], ["spring_offer"])
        self.assertEqual(self.submit(token, phone="+972541234567", agree="1").status_code, 200)
        self.assertEqual(len(self.consents()), 1)

    def test_marketing_waits_for_the_form(self):
        with self.assertRaises(UserError):
            self.channel.start_conversation(self.dana.id, template_id=self.marketing.id)

    def test_unknown_disabled_and_forged(self):
        self.assertEqual(self.url_open("/mychat/optin/not-a-page").status_code, 404)
        self.page()
        forged = self.url_open(self.url, data={"csrf_token": "forged", "phone": "0541234567", "agree": "1"})
        self.assertEqual(forged.status_code, 400, "a form posted from elsewhere is refused")
        old_url = self.url
        self.channel.action_regenerate_optin_token()
        self.assertEqual(self.url_open(old_url).status_code, 404, "the old address stops answering")
        self.channel.optin_form_enabled = False
        self.assertEqual(self.url_open(f"/mychat/optin/{self.channel.sudo().optin_token}").status_code, 404)
        self.assertFalse(self.consents())
        telegram = self.env["mychat.channel"].create(
            {"name": "Bot", "channel_type": "telegram", "secret": "s", "access_token": "1:x"}
        )
        with self.assertRaises(UserError):
            telegram.optin_form_enabled = True

    def test_rate_limited_per_ip(self):
        self.env["ir.config_parameter"].set_param("mychat.ratelimit_optins_per_ip", "2")
        _response, token = self.page()
        self.assertEqual(self.submit(token, phone="0541234567").status_code, 400)
        self.assertEqual(self.submit(token, phone="0541234567").status_code, 400)
        blocked = self.submit(token, phone="0541234567", agree="1")
        self.assertEqual(blocked.status_code, 429)
        self.assertFalse(self.consents())
        block = self.env["mychat.rate.block"].search([("kind", "=", "optin_ip")])
        self.assertEqual(block.count, 1)

    def test_page_in_hebrew(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.env["ir.module.module"]._load_module_terms(["mychat_omnichannel"], ["he_IL"], overwrite=True)
        response, _token = self.page(lang="he_IL")
        self.assertEqual(response.status_code, 200)
        self.assertIn('dir="rtl"', response.text)
        self.assertIn('lang="he"', response.text)
        self.assertNotIn("Mobile phone number", response.text, "labels translated")
        self.assertIn('dir="ltr" autocomplete="tel"', response.text, "the number reads left to right")

    def test_only_managers_renew_the_address(self):
        salesman = new_test_user(self.env, login="optin_sales", groups="mychat_omnichannel.group_mychat_user")
        token = self.channel.sudo().optin_token
        with self.assertRaises(AccessError):
            self.channel.with_user(salesman).action_regenerate_optin_token()
        self.assertEqual(self.channel.sudo().optin_token, token, "the page keeps its address")
