"""Running the CLI in tests: in-process, never a traceback."""

from __future__ import annotations

from click.testing import CliRunner, Result

from storyreel.cli import main


def invoke(args: list[str], env: dict[str, str]) -> Result:
    """``storyreel ARGS``; fails the test on an exception other than the exit itself."""
    result = CliRunner().invoke(main, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: raised {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output, result.output
    return result
