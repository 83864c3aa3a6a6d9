import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.join(REPO, "test", "fixtures", "ivt")
sys.path.insert(0, os.path.join(HERE, ".."))
