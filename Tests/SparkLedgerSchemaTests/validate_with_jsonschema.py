"""Validates NDJSON envelopes with the reference JSON Schema implementation.

Usage: validate_with_jsonschema.py SCHEMA_DIR FILE
Prints one verdict per input line: "valid", "invalid <path>: <message>", or "unparsable".
"""
import glob
import json
import os
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    sys.exit("the Python package jsonschema is missing: run script/test, which installs it")

schema_dir, corpus = sys.argv[1], sys.argv[2]
resources = []
for path in glob.glob(os.path.join(schema_dir, "*.schema.json")):
    with open(path) as handle:
        document = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(document)
    resources.append((document["$id"], Resource.from_contents(document)))
registry = Registry().with_resources(resources)
with open(os.path.join(schema_dir, "execution-event.schema.json")) as handle:
    envelope = json.load(handle)
validator = jsonschema.Draft202012Validator(envelope, registry=registry)

with open(corpus, encoding="utf-8") as lines:
    for line in lines:
        try:
            document = json.loads(line)
        except ValueError:
            print("unparsable")
            continue
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
        if errors:
            where = "/".join(str(part) for part in errors[0].absolute_path)
            print(f"invalid {where}: {errors[0].message[:120]}")
        else:
            print("valid")
