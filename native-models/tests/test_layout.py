"""The Python layout is declared once: pyproject.toml's package-dir is what native-models/py puts
on PYTHONPATH, and no module edits sys.path to find another."""
import importlib.util
import os
import re
import tomllib
import unittest

NM = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class LayoutTest(unittest.TestCase):
    def test_every_declared_package_imports_from_its_declared_folder(self):
        with open(os.path.join(NM, "pyproject.toml"), "rb") as fh:
            project = tomllib.load(fh)
        dirs = project["tool"]["setuptools"]["package-dir"]
        self.assertEqual(set(dirs), {"synth", "ivt", "tfjs2onnx", "ir2onnx"})
        for name, rel in dirs.items():
            spec = importlib.util.find_spec(name)
            self.assertIsNotNone(spec, f"{name} is not importable: run through native-models/py")
            self.assertEqual(os.path.realpath(spec.origin), os.path.realpath(os.path.join(NM, rel, "__init__.py")), name)
        for pkg in project["tool"]["setuptools"]["packages"]:
            self.assertIsNotNone(importlib.util.find_spec(pkg), pkg)

    def test_no_module_edits_sys_path(self):
        offenders = []
        for root, dirs, files in os.walk(NM):
            dirs[:] = [d for d in dirs if d not in ("work", "__pycache__")]  # work/: training output
            for f in files:
                if f.endswith(".py"):
                    p = os.path.join(root, f)
                    with open(p, encoding="utf8") as fh:
                        if re.search(r"sys\.path\.(insert|append)\(", fh.read()) and p != os.path.abspath(__file__):
                            offenders.append(os.path.relpath(p, NM))
        self.assertEqual(offenders, [])


if __name__ == "__main__":
    unittest.main()
