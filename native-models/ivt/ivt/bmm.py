"""Bidirectional mask modelling: mask image patches and text tokens at given rates.

Masked images and masked texts are still matched with CMPM, forcing the model to use
the remaining context in each modality.
"""
import torch


def mask_patches(batch, num_patches, rate, generator=None):
    """Bool [N, P]: exactly round(rate * P) patches masked per image, chosen at random."""
    k = int(round(rate * num_patches))
    scores = torch.rand(batch, num_patches, generator=generator)
    mask = torch.zeros(batch, num_patches, dtype=torch.bool)
    if k > 0:
        mask.scatter_(1, scores.topk(k, dim=1).indices, True)
    return mask


def mask_tokens(ids, attn_mask, rate, mask_id, special_ids, generator=None):
    """Replace a `rate` share of real (non-special, non-pad) tokens with [MASK].
    Each row keeps at least one token unmasked when it has more than one."""
    ids = ids.clone()
    eligible = attn_mask.bool()
    for s in special_ids:
        eligible &= ids != s
    chosen = (torch.rand(ids.shape, generator=generator) < rate) & eligible
    # Never mask every content token of a caption.
    all_masked = chosen.sum(1) == eligible.sum(1)
    for row in torch.nonzero(all_masked & (eligible.sum(1) > 1)).flatten().tolist():
        keep = torch.nonzero(chosen[row]).flatten()[0]
        chosen[row, keep] = False
    ids[chosen] = mask_id
    return ids, chosen
