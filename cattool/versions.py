"""The versions of the case format: the current one, and the older ones ``cattool migrate``
upgrades (docs/proceedings.md says what 1.1 added)."""

SCHEMA_VERSION = "1.1"
OLDER_VERSIONS = ("1.0",)
