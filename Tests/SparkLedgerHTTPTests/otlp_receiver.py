"""A test OTLP/HTTP metrics receiver that decodes pushes with the official OpenTelemetry protobuf
definitions (the opentelemetry-proto package).

Usage: otlp_receiver.py PORT_FILE OUT_FILE
Listens on 127.0.0.1 (a free port, written to PORT_FILE). Each POST to /v1/metrics is parsed
strictly (unknown fields are errors) as an ExportMetricsServiceRequest, from JSON or protobuf by
its Content-Type; a normalised summary is appended to OUT_FILE as one JSON line, or
{"error": ...} when it does not parse (answered with 400).
"""
import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

try:
    from google.protobuf import json_format
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
    from opentelemetry.proto.metrics.v1.metrics_pb2 import AggregationTemporality
except ImportError as error:
    sys.exit(f"a Python package is missing ({error}): run script/test, which installs opentelemetry-proto")

port_file, out_file = sys.argv[1], sys.argv[2]
# The test process may have blocked signals in the thread that started this one; SIGTERM must work.
signal.pthread_sigmask(signal.SIG_UNBLOCK, signal.valid_signals())


def attributes(values):
    return {item.key: item.value.string_value for item in values}


def summarise(request):
    resources = []
    for resource_metrics in request.resource_metrics:
        metrics = []
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                kind = metric.WhichOneof("data")
                data = getattr(metric, kind)
                points = []
                for point in data.data_points:
                    entry = {"attributes": attributes(point.attributes), "start": point.start_time_unix_nano,
                             "time": point.time_unix_nano}
                    if kind == "histogram":
                        entry.update(count=point.count, sum=point.sum, buckets=list(point.bucket_counts),
                                     bounds=list(point.explicit_bounds))
                    else:
                        entry["value"] = point.as_int if point.WhichOneof("value") == "as_int" else point.as_double
                        entry["value_type"] = point.WhichOneof("value")
                    points.append(entry)
                summary = {"name": metric.name, "unit": metric.unit, "description": metric.description, "kind": kind,
                           "points": points, "scope": scope_metrics.scope.name}
                if kind in ("sum", "histogram"):
                    summary["temporality"] = AggregationTemporality.Name(data.aggregation_temporality)
                if kind == "sum":
                    summary["monotonic"] = data.is_monotonic
                metrics.append(summary)
        resources.append({"attributes": attributes(resource_metrics.resource.attributes), "metrics": metrics})
    return {"resources": resources}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        request = ExportMetricsServiceRequest()
        try:
            if self.path != "/v1/metrics":
                raise ValueError(f"unexpected path {self.path}")
            if self.headers.get("Content-Type", "").startswith("application/x-protobuf"):
                request.ParseFromString(body)
            else:
                json_format.Parse(body, request, ignore_unknown_fields=False)
            line, status = summarise(request), 200
        except Exception as error:  # noqa: BLE001 - any decode failure is the test's finding
            line, status = {"error": str(error)}, 400
        with open(out_file, "a") as handle:
            handle.write(json.dumps(line) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *arguments):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as handle:
    handle.write(str(server.server_address[1]))
import os  # noqa: E402
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
