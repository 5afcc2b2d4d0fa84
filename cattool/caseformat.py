"""What a repository's cases are checked against: the schema, the vocabularies, the country data,
the sensitive fields and the working-day calendars, loaded once per run (``CaseFormat``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cattool.countries import COUNTRIES, CountryData, load_country
from cattool.errors import ConfigError
from cattool.privacy import Pattern, sensitive_patterns
from cattool.repo import CaseRepo
from cattool.vocabularies import Vocabulary, load_vocabularies, schema_drift


@dataclass
class CaseFormat:
    schema: dict[str, Any]
    sensitive: frozenset[Pattern]
    vocabularies: dict[str, Vocabulary]
    countries: dict[str, CountryData]
    enum_names: dict[tuple[str, ...], str]  # enum values -> vocabulary name
    calendars: dict[str, Any] = field(default_factory=dict)  # country -> deadlines.WorkCalendar
    _validator: Any = None
    _fast: Any = False  # not built yet

    @property
    def fast(self) -> Any:
        """A jsonschema-rs validator (None without it): answers "valid?" 200x faster than
        jsonschema. Built on first use (about 10 ms): a warm run checks no file."""
        if self._fast is False:
            self._fast = _fast_validator(self.schema)
        return self._fast

    @property
    def validator(self) -> Any:
        """The jsonschema validator, for the detailed errors of an invalid file.

        Built on first use: importing jsonschema costs about 0.1 s, and a run in which every
        file is valid (the fast path says so) never needs it.
        """
        if self._validator is None:
            import jsonschema

            cls = jsonschema.validators.validator_for(
                self.schema, default=jsonschema.Draft202012Validator
            )
            self._validator = cls(self.schema, format_checker=cls.FORMAT_CHECKER)
        return self._validator

    @classmethod
    def for_repo(cls, repo: CaseRepo) -> CaseFormat:
        schema_path = repo.schema_file("case.schema.json")
        try:
            schema_bytes = schema_path.read_bytes()
            schema = json.loads(schema_bytes.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ConfigError(f"{schema_path}: cannot read the case schema: {err}") from None
        # Checking against the meta-schema costs ~0.4 s; the built-in schema is checked by the
        # test suite, so only a coalition's own (changed) schema is checked here.
        if schema_bytes != _builtin_schema_bytes():
            import jsonschema

            validator_cls = jsonschema.validators.validator_for(
                schema, default=jsonschema.Draft202012Validator
            )
            try:
                validator_cls.check_schema(schema)
            except jsonschema.SchemaError as err:
                where = "/".join(str(p) for p in err.absolute_path) or "(top)"
                raise ConfigError(
                    f"{schema_path}: the case schema is not a valid JSON Schema at {where}: "
                    f"{err.message}"
                ) from None

        vocab_path = repo.schema_file("vocabularies.yaml")
        vocabs = load_vocabularies(vocab_path)
        drift = schema_drift(schema, vocabs)
        if drift:
            raise ConfigError(
                f"{schema_path} and {vocab_path} disagree: "
                + "; ".join(drift)
                + ". Add each value to both files."
            )
        countries = {}
        for code in COUNTRIES:
            path = repo.schema_file(f"countries/{code}.yaml")
            if path.is_file():
                countries[code] = load_country(path)
        enum_names = {
            tuple(str(v) for v in body["enum"]): name
            for name, body in schema.get("$defs", {}).items()
            if "enum" in body
        }
        from cattool.workdays import load_calendar

        calendars = {
            code: load_calendar(code, repo.schema_file(f"calendars/{code}.yaml"))
            for code in COUNTRIES
        }
        return cls(
            schema,
            sensitive_patterns(schema),
            vocabs,
            countries,
            enum_names,
            calendars,
        )


def _fast_validator(schema: dict[str, Any]) -> Any:
    """jsonschema-rs for the common case of a valid file; None if it is missing or refuses.

    Only its yes/no is used: a file it finds invalid (or any doubt) goes through jsonschema for
    the detailed errors, so the messages are the same either way. A test compares both verdicts.
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(schema, validate_formats=True)
    except Exception:  # a schema feature it does not support: stay on jsonschema alone
        return None


def fast_says_valid(fast: Any, data: Any) -> bool:
    """jsonschema-rs's verdict; False where it cannot judge (a key that is not text: it refuses
    those, and jsonschema then says what is wrong)."""
    try:
        return bool(fast.is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False


def _builtin_schema_bytes() -> bytes | None:
    from cattool.repo import builtin_dir

    try:
        return (builtin_dir() / "schemas" / "case.schema.json").read_bytes()
    except OSError:
        return None
