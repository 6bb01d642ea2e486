"""The taggers' PyTorch form for training: the network ``onrecord.nlp.network.Tagger`` runs in numpy.

It imports nothing of spaCy (nor of onrecord beyond this package's stdlib-only ``__init__``), so the GPU
trainer (``onrecord.training.finetune``) runs where only torch and numpy are installed.
"""

from __future__ import annotations


def build_tagger(torch, sizes: list[int], dims: list[int], n_labels: int, hidden: int, layers: int, dropout: float,
                 dense: int = 0):
    """Embeddings of each discrete feature (and ``dense`` real-valued inputs) → projection → BiLSTM → scores;
    the state-dict names are those the model files store (``embs.K``, ``proj``, ``lstm``, ``out``)."""
    nn = torch.nn

    class TorchTagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embs = nn.ModuleList([nn.Embedding(s, d, padding_idx=0) for s, d in zip(sizes, dims)])
            self.proj = nn.Linear(sum(dims) + dense, hidden)
            self.lstm = nn.LSTM(hidden, hidden, num_layers=layers, bidirectional=True, batch_first=True,
                                dropout=dropout if layers > 1 else 0.0)
            self.out = nn.Linear(2 * hidden, n_labels)
            self.drop = nn.Dropout(dropout)

        def forward(self, ids, lengths, vec=None):
            parts = [emb(ids[..., k]) for k, emb in enumerate(self.embs)]
            if vec is not None:
                parts.append(vec)
            x = torch.cat(parts, dim=-1)
            x = self.drop(torch.relu(self.proj(self.drop(x))))
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            y, _ = self.lstm(packed)
            y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=ids.shape[1])
            return self.out(self.drop(y))

    return TorchTagger()
