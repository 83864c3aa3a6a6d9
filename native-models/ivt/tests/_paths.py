"""Where the committed fixtures are. (Imports of `ivt` come from PYTHONPATH: run through native-models/py.)"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.join(REPO, "test", "fixtures", "ivt")
