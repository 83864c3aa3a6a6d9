import random
import unittest

import torch

from ivt.bmm import mask_patches, mask_tokens
from ivt.mla import extract_words, sample_phrase, sample_words, split_phrases

CAPTION = ("A woman wearing a red jacket and blue jeans, carrying a black backpack. "
           "She has long brown hair")


class MLATest(unittest.TestCase):
    def test_phrases_split_at_commas_and_periods(self):
        self.assertEqual(split_phrases(CAPTION), [
            "A woman wearing a red jacket and blue jeans", "carrying a black backpack",
            "She has long brown hair"])

    def test_words_are_lexicon_nouns_and_adjectives_in_order(self):
        self.assertEqual(extract_words(CAPTION), [
            "woman", "red", "jacket", "blue", "jeans", "black", "backpack", "long", "brown",
            "hair"])
        self.assertEqual(extract_words("a dark-blue t-shirt"), ["t-shirt"])

    def test_samples_come_from_the_caption(self):
        rng = random.Random(3)
        for _ in range(20):
            self.assertIn(sample_phrase(CAPTION, rng), split_phrases(CAPTION))
            words = sample_words(CAPTION, rng).split()
            self.assertTrue(words)
            self.assertTrue(set(words) <= set(extract_words(CAPTION)))


class BMMTest(unittest.TestCase):
    def test_patch_mask_rate_is_exact_per_image(self):
        mask = mask_patches(16, 32, 0.3, torch.Generator().manual_seed(0))
        self.assertTrue(torch.equal(mask.sum(1), torch.full((16,), 10)))
        self.assertFalse(torch.equal(mask[0], mask[1]))  # different patches per image

    def test_token_mask_rate_and_specials_untouched(self):
        gen = torch.Generator().manual_seed(0)
        ids = torch.randint(10, 100, (400, 30))
        ids[:, 0], ids[:, 25], ids[:, 26:] = 2, 3, 0
        attn = (ids != 0).long()
        masked, chosen = mask_tokens(ids, attn, 0.15, 4, [2, 3, 0], gen)
        rate = chosen.sum().item() / (400 * 24)
        self.assertAlmostEqual(rate, 0.15, delta=0.02)
        self.assertTrue((masked[:, 0] == 2).all() and (masked[:, 25] == 3).all())
        self.assertTrue((masked[:, 26:] == 0).all())
        self.assertTrue(torch.equal(masked[chosen], torch.full((int(chosen.sum()),), 4)))

    def test_never_masks_every_content_token(self):
        ids = torch.tensor([[2, 10, 11, 3]])
        masked, _ = mask_tokens(ids, torch.ones_like(ids), 1.0, 4, [2, 3, 0])
        self.assertEqual((masked == 4).sum().item(), 1)


if __name__ == "__main__":
    unittest.main()
