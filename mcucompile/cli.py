"""Command line: `mcucompile MODEL --board BOARD` (compile), `boards`, `inspect`, `plan`, `run`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import UserError
from .engines.host import run_host
from .boards import load_board
from .engines.qemu import run_qemu
from .executor import Executor
from .inspection import format_report, inspect_model
from .npzio import load_invocations, save_outputs
from .passes import PASSES
from .pipeline import load_model
from .planning.plan import plan_memory
from .planning.report import format_plan, plan_summary, plan_svg
from .projects import LAYOUTS
from .projects.board_table import format_boards
from .projects.generate import format_summary, generate_project
from .reader import read_model_file
from .verify import format_verify_report, verify_model

ENGINES = ("python", "host", "qemu")


DEFAULT_COMMAND = "compile"


class DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is neither a subcommand nor one of the group's own
    options, starts the default command: `mcucompile MODEL --board B` is `mcucompile compile
    MODEL --board B`. A bare word that is not a file stays an unknown command (a typo)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own_options = {name for param in self.get_params(ctx) for name in param.opts + param.secondary_opts}
        if args and args[0] not in self.commands and args[0] not in own_options and _names_a_file(args[0]):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


def _names_a_file(argument: str) -> bool:
    return argument.startswith("-") or Path(argument).suffix != "" or "/" in argument or Path(argument).exists()


@click.group(cls=DefaultCommandGroup)
@click.version_option(package_name="mcucompile")
def cli() -> None:
    """Compile TensorFlow Lite models to plain C for Cortex-M microcontrollers.

    `mcucompile MODEL --board BOARD [-o DIR] [--project LAYOUT] [--force]` (the compile command)
    writes a project that builds the model for the board; `mcucompile boards` lists the boards."""


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


@cli.command(DEFAULT_COMMAND)
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--board", "board_name", required=True, help="Board to build for (`mcucompile boards` lists them).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Project directory.  [default: ./<model>_<board>]")
@click.option("--project", "layout", type=click.Choice(list(LAYOUTS)), default="make", show_default=True,
              help="Project layout.")
@click.option("--force", is_flag=True, help="Replace a project directory mcucompile made before.")
@_no_pass_option
def compile_model(model: Path, board_name: str, output: Path | None, layout: str, force: bool,
                  disabled_passes) -> None:
    """Write a project that builds MODEL for BOARD, with an example that runs it on a test vector.

    Checks first that the model fits the board (flash and RAM, measured with arm-none-eabi-gcc);
    never writes into a non-empty directory it did not make, nor leaves a half-written one."""
    result = generate_project(model, board_name, layout, output, force, disabled_passes)
    click.echo(format_summary(result))


@cli.command()
def boards() -> None:
    """The boards: core, FPU, flash and RAM, and the QEMU machine that runs their code."""
    click.echo(format_boards())


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inputs", "inputs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="npz with input_<i> arrays shaped (K, *input_shape).")
@click.option("--outputs", "outputs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="npz to write output_<j> arrays shaped (K, *output_shape) to.")
@click.option("--engine", type=click.Choice(ENGINES), default="python", show_default=True)
@click.option("--board", "board_name", help="Board whose core and QEMU machine --engine qemu uses (boards/*.json).")
@_no_pass_option
def run(model: Path, inputs_path: Path, outputs_path: Path, engine: str, board_name: str | None,
        disabled_passes) -> None:
    """Run K consecutive invocations (state carried between them).

    The python engine runs the reference kernels over one flat arena laid out by the memory plan,
    after the graph passes, exactly as the generated C code will; the host engine generates that
    C code, builds it with the host compiler and runs it; the qemu engine builds it for the
    board's core and runs it bare-metal under QEMU on the board's machine."""
    if engine == "qemu" and board_name is None:
        raise UserError("--engine qemu needs --board BOARD (the core and QEMU machine to run on)")
    if engine != "qemu" and board_name is not None:
        raise UserError(f"--board only applies to --engine qemu; the {engine} engine does not use a board")
    board = load_board(board_name) if engine == "qemu" else None
    graph_model = load_model(model, disabled_passes)
    invocations = load_invocations(inputs_path, graph_model.main)
    if engine == "host":
        outputs = run_host(graph_model, invocations, name=model.stem)
    elif board is not None:
        outputs = run_qemu(graph_model, invocations, board, name=model.stem)
    else:
        executor = Executor(graph_model, plan_memory(graph_model))
        outputs = [executor.invoke(inputs) for inputs in invocations]
    save_outputs(outputs_path, outputs)
    click.echo(f"{len(invocations)} invocation(s) -> {outputs_path}")


@cli.command()
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--board", "board_name", required=True, help="Board to build for (boards/*.json).")
@click.option("--seed", default=0, show_default=True, help="Seed of the random inputs.")
@click.option("--inputs", "sequences", default=3, show_default=True,
              help="Input sequences, each run after a fresh init.")
@click.option("--invocations", default=3, show_default=True,
              help="Consecutive invocations per sequence (state carried between them).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def verify(model: Path, board_name: str, seed: int, sequences: int, invocations: int, as_json: bool) -> None:
    """Build for the board's core, run under QEMU on its machine, and compare every output byte
    with the Python reference and with TFLM; report flash, RAM, arena and instructions per
    inference and per operator. Exit status 0 only when every output matches."""
    report = verify_model(model, load_board(board_name), seed, sequences, invocations)
    click.echo(json.dumps(report, indent=1) if as_json else format_verify_report(report))
    if not report["bitexact"]:
        raise click.exceptions.Exit(1)


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
