"""Validates recorded HTTP responses against schemas/openapi.yaml with the reference JSON Schema
implementation (OpenAPI 3.1 schemas are JSON Schema 2020-12).

Usage: validate_openapi.py OPENAPI_YAML RESPONSES_JSON
RESPONSES_JSON is a list of {"path": "/api/v1/executions/{id}", "method": "get", "status": 200,
"content_type": "application/json", "body": <parsed JSON or text>}. Prints one line per response:
"ok" or "FAIL <path> <status>: <why>"; exits 1 when any failed.
"""
import json
import sys

try:
    import jsonschema
    import yaml
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:
    sys.exit(f"a Python package is missing ({error}): run script/test, which installs jsonschema and PyYAML")

document_path, responses_path = sys.argv[1], sys.argv[2]
with open(document_path) as handle:
    document = yaml.safe_load(handle)
if not str(document.get("openapi", "")).startswith("3.1"):
    sys.exit(f"{document_path}: not an OpenAPI 3.1 document")
document["$id"] = "urn:sparkledger:openapi"
registry = Registry().with_resource("urn:sparkledger:openapi", Resource.from_contents(document, default_specification=DRAFT202012))
# Every schema in the document must itself be a valid 2020-12 schema.
for name, schema in document["components"]["schemas"].items():
    jsonschema.Draft202012Validator.check_schema(schema)


def pointer(*parts):
    return "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


failures = 0
with open(responses_path) as handle:
    responses = json.load(handle)
for response in responses:
    path, status, content_type = response["path"], str(response["status"]), response["content_type"].split(";")[0].strip()
    method = response.get("method", "get")
    operation = document["paths"].get(path, {}).get(method)
    if operation is None:
        print(f"FAIL {path} {status}: the document has no {method.upper()} {path}")
        failures += 1
        continue
    declared = operation["responses"].get(status)
    if declared is None:
        print(f"FAIL {path} {status}: status {status} is not documented")
        failures += 1
        continue
    if "$ref" in declared:
        name = declared["$ref"].split("/")[-1]
        base = ["components", "responses", name]
        declared = document["components"]["responses"][name]
    else:
        base = ["paths", path, method, "responses", status]
    if content_type not in declared.get("content", {}):
        print(f"FAIL {path} {status}: content type {content_type} is not documented")
        failures += 1
        continue
    reference = "urn:sparkledger:openapi#/" + pointer(*base, "content", content_type, "schema")
    validator = jsonschema.Draft202012Validator({"$ref": reference}, registry=registry,
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response["body"]), key=lambda error: list(error.absolute_path))
    if errors:
        where = "/".join(str(part) for part in errors[0].absolute_path)
        print(f"FAIL {path} {status}: at /{where}: {errors[0].message[:300]}")
        failures += 1
    else:
        print("ok")
sys.exit(1 if failures else 0)
