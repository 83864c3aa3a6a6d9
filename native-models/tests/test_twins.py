"""The committed twin fixtures are what the Python halves compute today (docs/twins.md)."""
import json
import os
import unittest

import numpy as np

from tests.twins import FIXTURES, FIXTURES_BY_NAME


class TwinFixturesTest(unittest.TestCase):
    def test_fixtures_match_the_python_halves(self):
        for name, make in FIXTURES_BY_NAME.items():
            with self.subTest(fixture=name):
                with open(os.path.join(FIXTURES, name)) as fh:
                    committed = json.load(fh)
                fresh = json.loads(json.dumps(make()))
                self.assertEqual(set(fresh), set(committed))
                self._same(fresh, committed, name)

    def _same(self, a, b, where):
        if isinstance(a, dict):
            self.assertEqual(set(a), set(b), where)
            for k in a:
                self._same(a[k], b[k], f"{where}.{k}")
        elif isinstance(a, list):
            self.assertEqual(len(a), len(b), f"{where}: length (rerun: native-models/py -m tests.twins --write)")
            if a and all(isinstance(x, (int, float)) for x in a):
                np.testing.assert_allclose(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64), rtol=1e-9, atol=1e-9, err_msg=where)
            else:
                for i, (x, y) in enumerate(zip(a, b)):
                    self._same(x, y, f"{where}[{i}]")
        elif isinstance(a, float):
            self.assertAlmostEqual(a, b, places=6, msg=where)
        else:
            self.assertEqual(a, b, where)


if __name__ == "__main__":
    unittest.main()
