"""``onrecord eval polnear``: score the extractor on a PolNeAR-format split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..settings import DEFAULT_STRATEGY
from ._app import app, out, run_guarded

eval_app = typer.Typer(help="Measure accuracy against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("polnear")
def polnear(
    split: Path = typer.Argument(..., help="A split folder with text/ and attributions/ (e.g. shared/data/polnear/dev)."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Score this predictions JSONL instead of running the extractor."),
    write_pred: Optional[Path] = typer.Option(None, "--write-pred", help="Also save the predictions (spans JSONL) here."),
    base: Optional[str] = typer.Option(None, "--base", help="spaCy English pipeline to build on."),
    strategy: str = typer.Option(DEFAULT_STRATEGY, "--strategy", help="model or rules."),
    model: Optional[str] = typer.Option(None, "--model", help="default, accurate, or a model file to evaluate."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Run the extractor on a split and print the PolNeAR scorer's table (Exact and Overlap P/R/F1)."""
    from ..polnear.evaluate import evaluate_split

    result, table = run_guarded(evaluate_split, split, pred=pred, write_pred=write_pred, base=base,
                                strategy=strategy, model_path=model)
    if as_json:
        out.print_json(json.dumps(result))
    else:
        out.print(table, highlight=False, markup=False)
