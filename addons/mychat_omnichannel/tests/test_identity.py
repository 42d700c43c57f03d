from odoo.tests import Form, tagged

from ..tools import identity
from ..tools.inbound import InboundContact
from .crm_common import MychatCrmCase

DANA_WA = "972541234567"


@tagged("post_install", "-at_install")
class TestIdentityTools(MychatCrmCase):
    def test_israeli_ids(self):
        self.assertTrue(identity.is_valid_israeli_id("000000018"))
        self.assertTrue(identity.is_valid_israeli_id("18"), "leading zeros may be dropped")
        self.assertTrue(identity.is_valid_israeli_id("123456782"))
        self.assertFalse(identity.is_valid_israeli_id("123456789"), "wrong check digit")
        self.assertFalse(identity.is_valid_israeli_id("1234567890"), "too long")
        self.assertFalse(identity.is_valid_israeli_id(""))
        self.assertTrue(identity.is_valid_israeli_company("51-617915-7"))
        self.assertTrue(identity.is_valid_israeli_company("514713288"))
        self.assertFalse(identity.is_valid_israeli_company("123456782"), "a person's id is no company number")
        self.assertFalse(identity.is_valid_israeli_company("516179158"))
        self.assertEqual(identity.id_key("IL 51-617915-7"), "516179157")
        self.assertEqual(identity.id_key("12345678"), "012345678")
        self.assertIsNone(identity.id_key("12"))
        self.assertTrue(identity.id_key_is_checked(identity.id_key("12345674")))
        self.assertFalse(identity.id_key_is_checked(identity.id_key("12345678")))
        self.assertEqual(identity.digits("+972 (54) 123-4567"), "972541234567")
        self.assertEqual(identity.normalize_email("  Dana Levi <Dana@Example.COM> "), "dana@example.com")
        self.assertIsNone(identity.normalize_email("  "))


@tagged("post_install", "-at_install")
class TestIdentification(MychatCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.il = cls.env.ref("base.il")

    def contact(self, external_id, **details):
        """The unit under the webhook: a sender with the given details, as a chatbot would send them."""
        values = {k: details.pop(k) for k in ("customer_ref", "national_id") if k in details}
        return self.env["mychat.contact"]._mychat_find_or_create(
            self.channel, InboundContact(external_id=external_id, values=values, **details)
        )

    def test_israeli_local_format_links_whatsapp_sender(self):
        """054-123-4567 is parsed but called invalid by libphonenumber: it still matches on its digits."""
        dana = self.Partner.create({"name": "Dana Levi", "phone": "054-123-4567", "country_id": self.il.id})
        self.assertEqual(dana.mychat_phone_e164, "+972541234567")
        conv = self.receive(DANA_WA, "Hi", name="Dana")
        self.assertEqual(conv.partner_id, dana)
        self.assertFalse(conv.candidate_partner_ids)

    def test_international_formats(self):
        for number in ("+972 54-123-4567", "00972541234567", "972-54-1234567"):
            with self.subTest(number=number):
                partner = self.Partner.create({"name": "Dana", "phone": number})
                self.assertEqual(partner.mychat_phone_e164, "+972541234567")
                partner.active = False
        moshe = self.Partner.create({"name": "Moshe", "phone": "+972 52 555 1234"})
        self.assertEqual(self.receive("972525551234").partner_id, moshe)

    def test_two_partners_sharing_a_phone_are_candidates(self):
        dana = self.Partner.create({"name": "Dana Levi", "phone": "054-123-4567"})
        avi = self.Partner.create({"name": "Avi Levi", "phone": "+972541234567"})
        conv = self.receive(DANA_WA, "Hi")
        self.assertFalse(conv.partner_id, "an ambiguous match never links")
        self.assertEqual(conv.candidate_partner_ids, dana | avi)
        self.assertIn("+972541234567", conv.candidate_reason)
        # the agent links one with a click on its row
        avi.with_context(mychat_conversation_id=conv.id).action_mychat_link_conversation()
        self.assertEqual(conv.partner_id, avi)
        self.assertFalse(conv.candidate_partner_ids)
        self.assertEqual(self.receive(DANA_WA, "again").partner_id, avi, "future conversations too")

    def test_tour_link_candidate(self):
        self.Partner.create({"name": "Dana Levi", "phone": "054-123-4567"})
        avi = self.Partner.create({"name": "Avi Levi", "phone": "+972541234567"})
        conv = self.receive(DANA_WA, "Hi")
        self.start_tour(
            f"/odoo/action-mychat_omnichannel.mychat_conversation_action/{conv.id}",
            "mychat_candidate_link_tour",
            login="admin",
        )
        self.assertEqual(conv.partner_id, avi)

    def test_a_second_key_narrows_shared_phone(self):
        dana = self.Partner.create({"name": "Dana", "phone": "054-123-4567", "email": "dana@example.com"})
        self.Partner.create({"name": "Avi", "phone": "054-123-4567", "email": "avi@example.com"})
        contact = self.contact("u1", phone="054-123-4567", email="DANA@example.com")
        self.assertEqual(contact.partner_id, dana)

    def test_email_case_insensitive(self):
        dana = self.Partner.create({"name": "Dana", "email": "Dana.Levi@Example.com"})
        self.assertEqual(self.contact("u1", email=" dana.levi@EXAMPLE.COM").partner_id, dana)

    def test_customer_number(self):
        dana = self.Partner.create({"name": "Dana", "ref": "C-1001"})
        self.assertEqual(self.contact("u1", customer_ref="C-1001 ").partner_id, dana)

    def test_national_and_company_ids(self):
        person = self.Partner.create({"name": "Dana", "vat": "IL012345674"})
        company = self.Partner.create(
            {"name": "Solar Ltd", "is_company": True, "company_registry": "51-617915-7"}
        )
        self.assertEqual(
            self.contact("u1", national_id="1234567-4").partner_id, person, "leading zeros dropped"
        )
        self.assertEqual(self.contact("u2", national_id="516179157").partner_id, company)

    def test_unchecked_id_and_name_are_loose(self):
        typo = self.Partner.create({"name": "Typo", "vat": "123456789"})
        contact = self.contact("u1", national_id="123456789")
        self.assertFalse(contact.partner_id, "a national id failing its check digit never links")
        self.assertEqual(contact.candidate_partner_ids, typo)
        namesake = self.Partner.create({"name": "Yossi Cohen"})
        contact = self.contact("u2", name="Yossi Cohen")
        self.assertFalse(contact.partner_id, "a name alone never links")
        self.assertEqual(contact.candidate_partner_ids, namesake)
        self.assertIn("name", contact.candidate_reason)

    def test_phone_beats_email(self):
        by_phone = self.Partner.create({"name": "A", "phone": "054-123-4567"})
        self.Partner.create({"name": "B", "email": "x@example.com"})
        self.assertEqual(self.contact("u1", phone="0541234567", email="x@example.com").partner_id, by_phone)

    def test_other_company_partner_not_matched(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.Partner.create({"name": "Elsewhere", "phone": "054-123-4567", "company_id": other.id})
        self.assertFalse(self.contact("u1", phone="054-123-4567").partner_id)

    def test_lookup_is_one_statement_and_keeps_record_rules(self):
        """A key is one SQL statement (no domain compiled per sender); what it finds still passes the
        caller's record rules: a user of one company is not shown another company's customer."""
        other = self.env["res.company"].create({"name": "Other Co"})
        elsewhere = self.Partner.create(
            {"name": "Elsewhere", "phone": "054-123-4567", "company_id": other.id}
        )
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(self.Partner._mychat_match(phone=DANA_WA), elsewhere)
        user = self.env["res.users"].create(
            {
                "name": "Agent of the main company",
                "login": "identity_agent",
                "company_id": self.env.company.id,
                "company_ids": [(6, 0, self.env.company.ids)],
            }
        )
        self.assertFalse(self.Partner.with_user(user)._mychat_match(phone=DANA_WA))
        # a partner written in the same transaction is found (the lookup flushes what it reads)
        elsewhere.company_id = False
        self.assertEqual(self.Partner.with_user(user)._mychat_match(phone=DANA_WA), elsewhere)

    def test_late_link_on_partner_create_and_update(self):
        first = self.receive(DANA_WA, "Hello?")
        first.action_resolve()
        second = self.receive(DANA_WA, "Anyone?")
        self.assertNotEqual(first, second)
        self.assertFalse((first | second).partner_id)
        dana = self.Partner.create({"name": "Dana", "phone": "054 123 4567"})
        self.assertEqual((first | second).partner_id, dana, "every conversation of that sender links")
        self.assertEqual(self.receive(DANA_WA, "Thanks").partner_id, dana)
        # a partner completed later with an email
        contact = self.contact("bot-user", email="late@example.com")
        self.assertFalse(contact.partner_id)
        with Form(self.Partner.create({"name": "Late"})) as form:
            form.email = "Late@Example.com"
        self.assertEqual(contact.partner_id.name, "Late")

    def test_late_link_keeps_ambiguity(self):
        contact = self.contact("u1", phone="054-123-4567")
        self.Partner.create([{"name": "A", "phone": "0541234567"}, {"name": "B", "phone": "0541234567"}])
        self.assertFalse(contact.partner_id)
        self.assertEqual(len(contact.candidate_partner_ids), 2)

    def test_merge_carries_contacts_and_conversations(self):
        dana = self.Partner.create({"name": "Dana Levi", "email": "dana@example.com"})
        duplicate = self.Partner.create({"name": "Dana L.", "phone": "054-123-4567"})
        conv = self.receive(DANA_WA, "Hi")
        self.assertEqual(conv.partner_id, duplicate)
        other = self.receive("972525551234", "Hi", name="Dana Levi")
        other.candidate_partner_ids = duplicate
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((dana | duplicate).ids, dana)
        self.env.invalidate_all()
        self.assertFalse(duplicate.exists())
        self.assertEqual(conv.partner_id, dana)
        self.assertEqual(conv.contact_id.partner_id, dana)
        self.assertEqual(other.candidate_partner_ids, dana)
        self.assertEqual(dana.mychat_conversation_count, 1)

    def test_lookups_use_indexes(self):
        """Every column matching reads has a btree index whose leading column it is, so lookups stay
        index scans with a million partners (bench/matching.py measures them)."""
        for column in (
            "mychat_phone_e164",
            "email_normalized",
            "ref",
            "mychat_vat_key",
            "mychat_registry_key",
        ):
            self.env.cr.execute(
                """SELECT count(*) FROM pg_index i
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                    WHERE i.indrelid = 'res_partner'::regclass AND i.indisvalid AND a.attname = %s""",
                [column],
            )
            self.assertTrue(self.env.cr.fetchone()[0], f"no index leads with res_partner.{column}")
