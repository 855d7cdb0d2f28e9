"""Command line: `mcucompile inspect`, `mcucompile run`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import UserError
from .engines.host import run_host
from .executor import Executor
from .inspection import format_report, inspect_model
from .npzio import load_invocations, save_outputs
from .passes import PASSES
from .pipeline import load_model
from .planning.plan import plan_memory
from .planning.report import format_plan, plan_summary, plan_svg
from .reader import read_model_file

ENGINES = ("python", "host")


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


def _no_pass_option(command):
    return click.option("--no-pass", "disabled_passes", multiple=True, type=click.Choice(list(PASSES)),
                        help="Turn one graph pass off (repeatable), for debugging.")(command)


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the plan (time across, address up) into this SVG file.")
@click.option("--alignment", type=click.Choice(["4", "8", "16"]), default="4", show_default=True,
              help="Byte alignment of every tensor (16 for Helium).")
@_no_pass_option
def plan(model: Path, as_json: bool, svg_path: Path | None, alignment: str, disabled_passes) -> None:
    """Static memory plan: arena bytes, lower bound, gap, persistent RAM, every tensor's place."""
    graph_model = load_model(model, disabled_passes)
    summary = plan_summary(graph_model, plan_memory(graph_model, alignment=int(alignment)))
    if svg_path is not None:
        svg_path.write_text(plan_svg(summary))
    click.echo(json.dumps(summary, indent=1) if as_json else format_plan(summary))


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inputs", "inputs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="npz with input_<i> arrays shaped (K, *input_shape).")
@click.option("--outputs", "outputs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="npz to write output_<j> arrays shaped (K, *output_shape) to.")
@click.option("--engine", type=click.Choice(ENGINES), default="python", show_default=True)
@_no_pass_option
def run(model: Path, inputs_path: Path, outputs_path: Path, engine: str, disabled_passes) -> None:
    """Run K consecutive invocations (state carried between them).

    The python engine runs the reference kernels over one flat arena laid out by the memory plan,
    after the graph passes, exactly as the generated C code will; the host engine generates that
    C code, builds it with the host compiler and runs it."""
    graph_model = load_model(model, disabled_passes)
    invocations = load_invocations(inputs_path, graph_model.main)
    if engine == "host":
        outputs = run_host(graph_model, invocations, name=model.stem)
    else:
        executor = Executor(graph_model, plan_memory(graph_model))
        outputs = [executor.invoke(inputs) for inputs in invocations]
    save_outputs(outputs_path, outputs)
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
