import json
import os
import tempfile
import unittest

import _paths

from ivt.tokenizer import WordPieceTokenizer, basic_tokenize, build_vocab, load_vocab


class TokenizerTest(unittest.TestCase):
    def setUp(self):
        self.tok = WordPieceTokenizer(load_vocab(os.path.join(_paths.FIXTURES, "vocab-mini.txt")))

    def test_basic_tokenizer_like_bert(self):
        self.assertEqual(basic_tokenize("Café, dark-BLUE! 東京"),
                         ["cafe", ",", "dark", "-", "blue", "!", "東", "京"])

    def test_greedy_longest_match_with_continuations(self):
        v = self.tok.vocab
        self.assertEqual(self.tok.wordpiece("backpack"), ["backpack"])
        self.assertEqual(self.tok.wordpiece("backpacks"), ["backpack", "##s"])
        self.assertEqual(self.tok.wordpiece("handbag"), ["hand", "##bag"])
        self.assertIsNone(self.tok.wordpiece("zebra"))
        ids, unknown = self.tok.tokenize("zebra handbag")
        self.assertEqual(ids, [v["[UNK]"], v["hand"], v["##bag"]])
        self.assertEqual(unknown, ["zebra"])

    def test_encode_pads_and_keeps_sep_when_truncating(self):
        ids, mask, _ = self.tok.encode("red " * 30, 8)
        self.assertEqual(len(ids), 8)
        self.assertEqual(ids[0], self.tok.cls_id)
        self.assertEqual(ids[-1], self.tok.sep_id)
        self.assertEqual(sum(mask), 8)
        ids, mask, _ = self.tok.encode("red", 8)
        self.assertEqual(ids[:3], [self.tok.cls_id, self.tok.vocab["red"], self.tok.sep_id])
        self.assertEqual(mask, [1, 1, 1, 0, 0, 0, 0, 0])

    def test_built_vocab_has_specials_first(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "vocab.txt")
            build_vocab(["A red coat.", "a blue coat"], path)
            vocab = load_vocab(path)
        self.assertEqual(list(vocab)[:5], ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        self.assertEqual(vocab["[PAD]"], 0)
        self.assertEqual(list(vocab)[5:7], ["a", "coat"])  # most frequent first

    def test_committed_fixture_matches_python(self):
        """The TS twin is tested against this file: it must reflect this tokenizer."""
        with open(os.path.join(_paths.REPO, "test", "fixtures", "tokenizer-cases.json")) as fh:
            cases = json.load(fh)["cases"]
        self.assertGreater(len(cases), 10)
        for case in cases:
            ids, mask, unknown = self.tok.encode(case["text"], case["maxTokens"])
            self.assertEqual((ids, mask, unknown),
                             (case["ids"], case["mask"], case["unknownWords"]), case["text"])


if __name__ == "__main__":
    unittest.main()
