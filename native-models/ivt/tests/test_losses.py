import unittest

import torch
import torch.nn.functional as F

from ivt.losses import cmpm_loss, identity_match_distribution


class CMPMTest(unittest.TestCase):
    def test_label_distribution_rows_sum_to_one_over_same_identity(self):
        q = identity_match_distribution(torch.tensor([1, 2, 1, 3]))
        self.assertTrue(torch.allclose(q.sum(1), torch.ones(4)))
        self.assertAlmostEqual(q[0, 2].item(), 0.5)
        self.assertEqual(q[0, 1].item(), 0.0)

    def test_aligned_pairs_beat_shuffled_pairs(self):
        torch.manual_seed(0)
        pids = torch.arange(8)
        image = 20 * F.normalize(torch.randn(8, 16), dim=1)
        aligned = cmpm_loss(image, image.clone(), pids)
        shuffled = cmpm_loss(image, image[torch.randperm(8)], pids)
        self.assertLess(aligned.item(), 0.05)
        self.assertGreater(shuffled.item(), 1.0)

    def test_cosine_variant_ignores_norm(self):
        torch.manual_seed(2)
        pids = torch.arange(8)
        image = torch.randn(8, 16)
        a = cmpm_loss(image, image.clone(), pids, scale=50)
        b = cmpm_loss(3 * image, 0.1 * image, pids, scale=50)
        self.assertAlmostEqual(a.item(), b.item(), places=4)
        self.assertLess(a.item(), cmpm_loss(image, image[torch.randperm(8)], pids, scale=50).item())

    def test_nonnegative_and_differentiable(self):
        torch.manual_seed(1)
        image = torch.randn(6, 8, requires_grad=True)
        text = torch.randn(6, 8, requires_grad=True)
        loss = cmpm_loss(image, text, torch.tensor([0, 0, 1, 1, 2, 2]))
        loss.backward()
        self.assertGreaterEqual(loss.item(), 0.0)
        self.assertGreater(image.grad.abs().sum().item(), 0.0)


if __name__ == "__main__":
    unittest.main()
