import unittest

import torch

from ivt.model import IVT, MODALITIES, SharedBlock, config_for


def tiny():
    torch.manual_seed(0)
    return IVT(config_for("tiny", vocab_size=50))


class SizesTest(unittest.TestCase):
    def test_small_is_conv_stem_with_embedding_bn_and_same_token_grid(self):
        model = IVT(config_for("small", vocab_size=50))
        self.assertEqual(model.num_patches, (128 // 16) * (64 // 16))
        self.assertIsInstance(model.patch_embed, torch.nn.Sequential)
        self.assertIsInstance(model.image_proj[-1], torch.nn.BatchNorm1d)
        paper = IVT(config_for("paper", vocab_size=50))
        self.assertIsInstance(paper.patch_embed, torch.nn.Conv2d)  # faithful ViT patches
        self.assertEqual(len(paper.blocks), 12)


class SharingTest(unittest.TestCase):
    def test_each_block_has_one_attention_and_norms_and_two_ffns(self):
        model = tiny()
        for block in model.blocks:
            self.assertIsInstance(block, SharedBlock)
            self.assertEqual(set(block.ffn.keys()), set(MODALITIES))
            image_params = {id(p) for p in block.ffn["image"].parameters()}
            text_params = {id(p) for p in block.ffn["text"].parameters()}
            self.assertFalse(image_params & text_params)

    def test_text_path_uses_shared_attention_but_not_image_ffn(self):
        model = tiny()
        ids = torch.randint(5, 50, (3, 8))
        model.encode_text(ids, torch.ones_like(ids)).sum().backward()
        block = model.blocks[0]
        for shared in (block.norm1, block.attn, block.norm2):
            self.assertTrue(all(p.grad is not None and p.grad.abs().sum() > 0
                                for p in shared.parameters()))
        self.assertTrue(all(p.grad is None for p in block.ffn["image"].parameters()))
        self.assertTrue(all(p.grad is not None for p in block.ffn["text"].parameters()))
        self.assertTrue(all(p.grad is None for p in model.patch_embed.parameters()))

    def test_image_path_uses_shared_attention_but_not_text_ffn(self):
        model = tiny()
        model.encode_image(torch.randn(2, 3, 32, 16)).sum().backward()
        block = model.blocks[-1]
        self.assertTrue(all(p.grad is not None for p in block.attn.parameters()))
        self.assertTrue(all(p.grad is None for p in block.ffn["text"].parameters()))
        self.assertIsNone(model.token_embed.weight.grad)

    def test_padding_does_not_change_text_embedding(self):
        model = tiny().eval()
        ids = torch.tensor([[2, 10, 11, 3]])
        padded = torch.tensor([[2, 10, 11, 3, 0, 0, 0]])
        a = model.encode_text(ids, torch.ones_like(ids))
        b = model.encode_text(padded, (padded != 0).long())
        self.assertTrue(torch.allclose(a, b, atol=1e-5))

    def test_patch_mask_changes_image_embedding(self):
        model = tiny().eval()
        x = torch.randn(1, 3, 32, 16)
        mask = torch.zeros(1, model.num_patches, dtype=torch.bool)
        mask[0, 0] = True
        self.assertFalse(torch.allclose(model.encode_image(x), model.encode_image(x, mask)))


if __name__ == "__main__":
    unittest.main()
