"""Cross-Modal Projection Matching (Zhang & Lu, ECCV 2018) and an optional ID loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def identity_match_distribution(pids):
    """Row-normalised label matrix: q[i, j] = 1/|{j: pid_j == pid_i}| when identities match."""
    match = (pids[:, None] == pids[None, :]).float()
    return match / match.sum(dim=1, keepdim=True)


def cmpm_loss(image_emb, text_emb, pids, scale=0.0, eps=1e-8):
    """KL(p || q) in both directions, where p = softmax of the projection of one modality's
    (unnormalised) feature on the other's normalised feature, q = identity-match distribution.

    scale > 0 projects normalised features instead (cosine * scale, as IRRA's SDM loss does):
    the embedding norm then no longer has to grow from ~0 to sharpen p, which speeds up
    training from scratch a lot; the exported embeddings are normalised either way."""
    q = identity_match_distribution(pids)
    image_unit = F.normalize(image_emb, dim=1)
    text_unit = F.normalize(text_emb, dim=1)
    if scale > 0:
        i2t = scale * image_unit @ text_unit.t()
        t2i = i2t.t()
    else:
        i2t = image_emb @ text_unit.t()
        t2i = text_emb @ image_unit.t()
    log_q = torch.log(q + eps)
    loss = 0.0
    for logits in (i2t, t2i):
        log_p = F.log_softmax(logits, dim=1)
        loss = loss + (log_p.exp() * (log_p - log_q)).sum(dim=1).mean()
    return loss


class IdentityClassifier(nn.Module):
    """Shared identity classifier on both modalities (CMPC-style ID loss, optional)."""

    def __init__(self, embed_dim, num_ids):
        super().__init__()
        self.fc = nn.Linear(embed_dim, num_ids, bias=False)

    def forward(self, image_emb, text_emb, labels):
        return (F.cross_entropy(self.fc(image_emb), labels)
                + F.cross_entropy(self.fc(text_emb), labels))
