"""IVT (Implicit Visual-Textual) text-based person retrieval, after Shu et al. 2022.

Modules: tokenizer (BERT-compatible WordPiece), model (shared-attention transformer),
losses (CMPM), mla (multi-level texts), bmm (mask modelling), data (dataset loaders and
augmentation), metrics (text->image R@K / mAP), train / evaluate / export (CLI commands).
"""
