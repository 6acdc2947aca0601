"""Checks the PromQL of dashboards/: every metric an expression names is one SparkLedger exports
(or a recording rule of dashboards/rules), and every dashboard expression parses (it is written
into a rules file for `promtool check rules`).

Usage: check_promql.py DASHBOARDS_DIR EXPORTED_NAMES_FILE RULES_OUT
Prints one line per problem; exits 1 when there is any. Prints "checked N expressions" last.
"""
import glob
import json
import os
import re
import sys

import yaml

dashboards, names_file, rules_out = sys.argv[1], sys.argv[2], sys.argv[3]
exported = set(open(names_file).read().split())

# Grafana's variables, replaced by what they stand for at query time.
GRAFANA = [("$__rate_interval", "5m"), ("$__range", "1d"), ("$__interval", "1m"), ("$team", ".*")]
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
            "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
            "group", "inf", "nan", "le"}


def expressions():
    for path in sorted(glob.glob(os.path.join(dashboards, "grafana", "*.json"))):
        def walk(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "expr" and isinstance(value, str):
                        yield value
                    elif key == "query" and isinstance(value, dict) and isinstance(value.get("query"), str):
                        yield value["query"]
                    else:
                        yield from walk(value)
            elif isinstance(node, list):
                for item in node:
                    yield from walk(item)
        for expression in walk(json.load(open(path))):
            yield os.path.basename(path), expression, True
    recorded = set()
    for path in sorted(glob.glob(os.path.join(dashboards, "rules", "*.rules.yml"))):
        for group in yaml.safe_load(open(path))["groups"]:
            for rule in group["rules"]:
                if "record" in rule:
                    recorded.add(rule["record"])
                yield os.path.basename(path), rule["expr"], False
    exported.update(recorded)


def metric_names(expression):
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)            # string literals
    text = re.sub(r"\{[^}]*\}", "", text)                             # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)                            # range selectors
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)  # label lists
    text = re.sub(r"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,[^)]*\)", r"\1", text)     # Grafana's label_values(metric, label)
    for token in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        name = token.group(0)
        following = text[token.end():].lstrip()
        if following.startswith("(") or name in KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name):
            continue
        yield name


problems = []
dashboard_expressions = []
checked = 0
for source, expression, from_dashboard in list(expressions()):
    checked += 1
    for placeholder, value in GRAFANA:
        expression = expression.replace(placeholder, value)
    if from_dashboard:
        dashboard_expressions.append(expression)
    for name in metric_names(expression):
        if name not in exported:
            problems.append(f"{source}: {name} is not a metric SparkLedger exports (in: {expression})")
# label_values(...) is Grafana's, not PromQL: leave it out of the promtool check.
rules = [{"record": f"dashboard:expression_{index}", "expr": expression}
         for index, expression in enumerate(dashboard_expressions) if not expression.startswith("label_values(")]
with open(rules_out, "w") as handle:
    yaml.safe_dump({"groups": [{"name": "dashboard-expressions", "rules": rules}]}, handle)
for problem in problems:
    print(problem)
print(f"checked {checked} expressions")
sys.exit(1 if problems else 0)
