"""Command line: `mcucompile inspect`, `mcucompile run`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import UserError
from .executor import Executor
from .inspection import format_report, inspect_model
from .npzio import load_invocations, save_outputs
from .reader import read_model_file

ENGINES = ("python",)


@click.group()
@click.version_option(package_name="mcucompile")
def cli() -> None:
    """Compile TensorFlow Lite models to plain C for Cortex-M microcontrollers."""


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def inspect(model: Path, as_json: bool) -> None:
    """Inputs, outputs, operators with options, MACs, weight bytes and support status."""
    report = inspect_model(read_model_file(model))
    click.echo(json.dumps(report, indent=1) if as_json else format_report(report))


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inputs", "inputs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="npz with input_<i> arrays shaped (K, *input_shape).")
@click.option("--outputs", "outputs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="npz to write output_<j> arrays shaped (K, *output_shape) to.")
@click.option("--engine", type=click.Choice(ENGINES), default="python", show_default=True)
def run(model: Path, inputs_path: Path, outputs_path: Path, engine: str) -> None:
    """Run K consecutive invocations (state carried between them)."""
    graph_model = read_model_file(model)
    executor = Executor(graph_model)
    invocations = load_invocations(inputs_path, graph_model.main)
    save_outputs(outputs_path, [executor.invoke(inputs) for inputs in invocations])
    click.echo(f"{len(invocations)} invocation(s) -> {outputs_path}")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
