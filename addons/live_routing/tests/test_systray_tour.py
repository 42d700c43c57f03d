from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAvailabilitySystray(HttpCase):
    def test_agent_switches_to_busy_from_the_systray(self):
        admin = self.env.ref("base.user_admin")
        admin.mychat_availability = "available"
        self.start_tour("/odoo", "live_routing_availability_tour", login="admin")
        self.assertEqual(admin.mychat_availability, "busy")
