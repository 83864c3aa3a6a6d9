"""Text -> image retrieval metrics, identity-level (CUHK-PEDES protocol).

Every caption of the test split is a query; every test image is in the gallery; a
gallery image is a correct answer when it shows the query's identity.
"""
import torch


def rank_metrics(similarity, query_pids, gallery_pids, ks=(1, 5, 10)):
    """similarity [Q, G]; returns {'R@1': %, ..., 'mAP': %}."""
    similarity = torch.as_tensor(similarity, dtype=torch.float64)
    query_pids = torch.as_tensor(query_pids)
    gallery_pids = torch.as_tensor(gallery_pids)
    order = similarity.argsort(dim=1, descending=True)
    matches = (gallery_pids[order] == query_pids[:, None]).double()  # [Q, G] in rank order
    out = {}
    for k in ks:
        out[f"R@{k}"] = 100.0 * (matches[:, :k].sum(1) > 0).double().mean().item()
    hits = matches.cumsum(1)
    ranks = torch.arange(1, matches.shape[1] + 1, dtype=torch.float64)
    precision_at_hit = hits / ranks * matches
    positives = matches.sum(1).clamp(min=1)
    out["mAP"] = 100.0 * (precision_at_hit.sum(1) / positives).mean().item()
    return out
