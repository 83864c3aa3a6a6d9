"""BERT-compatible WordPiece tokenizer (no dependencies).

Basic step = BERT BasicTokenizer (clean, CJK spacing, lowercase, strip accents, split
punctuation); then greedy longest-match-first WordPiece with '##' continuations. A
bert-base-uncased vocab.txt works unchanged; our own vocab is built from captions.
The TypeScript twin lives in electron/engine/vision/tokenizer.ts and must stay in step.
"""
import collections
import unicodedata

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _is_whitespace(ch):
    if ch in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(ch) == "Zs"


def _is_control(ch):
    if ch in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch):
    cp = ord(ch)
    # BERT treats all non-letter/number ASCII as punctuation ("$", "^", "`" included).
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokenize(text, lowercase=True):
    """Split text into words exactly like BERT's BasicTokenizer."""
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_cjk(cp):
            cleaned.append(" " + ch + " ")
        elif _is_whitespace(ch):
            cleaned.append(" ")
        else:
            cleaned.append(ch)
    words = []
    for token in "".join(cleaned).split():
        if lowercase:
            token = token.lower()
            token = "".join(c for c in unicodedata.normalize("NFD", token)
                            if unicodedata.category(c) != "Mn")
        current = []
        for ch in token:
            if _is_punctuation(ch):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(ch)
            else:
                current.append(ch)
        if current:
            words.append("".join(current))
    return words


def load_vocab(path):
    vocab = collections.OrderedDict()
    with open(path, encoding="utf-8") as fh:
        for index, line in enumerate(fh):
            token = line.rstrip("\n").rstrip("\r")
            if token not in vocab:
                vocab[token] = index
    return vocab


def build_vocab(captions, path, min_count=1):
    """Write specials, then every caption word (most frequent first) to vocab.txt."""
    counts = collections.Counter(w for c in captions for w in basic_tokenize(c))
    words = sorted((w for w, n in counts.items() if n >= min_count and w not in SPECIALS),
                   key=lambda w: (-counts[w], w))
    with open(path, "w", encoding="utf-8") as fh:
        for token in SPECIALS + words:
            fh.write(token + "\n")
    return len(SPECIALS) + len(words)


class WordPieceTokenizer:
    def __init__(self, vocab, lowercase=True, max_chars_per_word=100):
        self.vocab = vocab
        self.lowercase = lowercase
        self.max_chars_per_word = max_chars_per_word
        self.pad_id = vocab["[PAD]"]
        self.unk_id = vocab["[UNK]"]
        self.cls_id = vocab["[CLS]"]
        self.sep_id = vocab["[SEP]"]
        self.mask_id = vocab["[MASK]"]

    @classmethod
    def from_file(cls, path, lowercase=True):
        return cls(load_vocab(path), lowercase=lowercase)

    def __len__(self):
        return len(self.vocab)

    def wordpiece(self, word):
        """Pieces of one word, or None when it cannot be covered (-> [UNK])."""
        if len(word) > self.max_chars_per_word:
            return None
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end]
                if start > 0:
                    piece = "##" + piece
                if piece in self.vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                return None
            pieces.append(found)
            start = end
        return pieces

    def tokenize(self, text):
        """Return (token_ids, unknown_words) without specials."""
        ids, unknown = [], []
        for word in basic_tokenize(text, self.lowercase):
            pieces = self.wordpiece(word)
            if pieces is None:
                ids.append(self.unk_id)
                unknown.append(word)
            else:
                ids.extend(self.vocab[p] for p in pieces)
        return ids, unknown

    def encode(self, text, max_tokens):
        """[CLS] tokens [SEP] [PAD]...; tokens truncated so [SEP] always fits."""
        ids, unknown = self.tokenize(text)
        ids = [self.cls_id] + ids[: max_tokens - 2] + [self.sep_id]
        mask = [1] * len(ids) + [0] * (max_tokens - len(ids))
        ids = ids + [self.pad_id] * (max_tokens - len(ids))
        return ids, mask, unknown
