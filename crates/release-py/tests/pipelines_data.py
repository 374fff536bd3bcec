"""The seed pipelines of the core's tests (pipeline_seeds.rs), shared with
the Python tests: both read them from examples/pipelines/."""

from pathlib import Path

_EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "pipelines"

FRAGALYSIS = (_EXAMPLES / "fragalysis-seed.toml").read_text(encoding="utf-8")
ECR = (_EXAMPLES / "ecr-viewer-seed.toml").read_text(encoding="utf-8")
