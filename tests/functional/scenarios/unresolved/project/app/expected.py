import unittest


class Removed(unittest.TestCase):
    def test_removed(self):
        with self.assertRaises(ModuleNotFoundError):
            import app.services.legacy
