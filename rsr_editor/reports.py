"""The command line's JSON reports as typed models: what a script receives, in one place.

``rsr-editor-cli validate --format json`` writes a list of :class:`FindingRecord`; scripts
and MDM pipelines parse it, so its shape is a contract. pydantic earns its place at this
edge: the models check every record the CLI writes (a field of the wrong type is a bug
caught here, not in an admin's pipeline), serialise it, and publish the contract as JSON
Schema (``rsr-editor-cli validate --report-schema``). The module is imported only when a
JSON report is written or its schema asked for — never on the start-up path of the app or
of a text report (``benchmarks/README.md`` has the measurements behind that choice).
"""

from __future__ import annotations

import os
from typing import Any, Literal

# plugin discovery reads every installed package's metadata; this module uses no plugin
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from rsr_editor.validation.findings import Finding, FindingCode


class FindingRecord(BaseModel):
    """One finding of one file."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)

    file: str = Field(description="the file as given on the command line; <stdin> for -")
    severity: Literal["error", "warning", "info"]
    code: FindingCode = Field(description="a stable code: scripts match on it")
    path: str = Field(description="where, as text: PayloadContent[0].allowCamera; '' = file")
    key_path: list[str | int] = Field(
        description="where, as data: a leading integer is the payload index"
    )
    message: str
    hint: str | None = None

    @classmethod
    def of(cls, file: str, finding: Finding) -> FindingRecord:
        return cls(file=file, **finding.to_json())


#: the whole ``validate --format json`` output
VALIDATE_REPORT: TypeAdapter[list[FindingRecord]] = TypeAdapter(list[FindingRecord])


def validate_report_json(records: list[FindingRecord]) -> str:
    """The report text: the records, checked and written as indented JSON."""
    return VALIDATE_REPORT.dump_json(records, indent=2).decode("utf-8") + "\n"


def validate_report_schema() -> dict[str, Any]:
    """The JSON Schema of the ``validate --format json`` report."""
    schema = VALIDATE_REPORT.json_schema()
    schema["title"] = "rsr-editor-cli validate --format json"
    return schema
