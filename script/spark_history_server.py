"""Runs the real Spark History Server (from pyspark's jars) on a folder of event logs.

    python script/spark_history_server.py answers LOG_DIR OUT_DIR
        Records, for every application in LOG_DIR, what the History Server's REST API says:
        OUT_DIR/<app id>[-<attempt id>].json = {"application": ..., "stages": [...], "allexecutors": [...]}.
    python script/spark_history_server.py replay-seconds LOG_DIR APP_ID
        Prints the seconds from starting the History Server until /applications/APP_ID/stages
        answers: how long it takes to replay that application's log.

The server listens on a free loopback port and is stopped (by its pid) before this exits. Needs
SPARK_HOME (script/spark-venv sets it) and java on PATH.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HistoryServer:
    def __init__(self, log_dir):
        self.port = free_port()
        self.work = tempfile.mkdtemp(prefix="sparkledger-shs-")
        jars = os.path.join(os.environ["SPARK_HOME"], "jars", "*")
        command = [
            "java", "-Xmx4g", "-cp", jars,
            "-Dspark.history.fs.logDirectory=file://" + os.path.abspath(log_dir),
            "-Dspark.history.ui.port=%d" % self.port,
            "-Dspark.history.fs.update.interval=1s",
            "-Dspark.ui.bindAddress=127.0.0.1",
            "-Dspark.driver.host=127.0.0.1",
            "-Dspark.history.retainedApplications=100",
            "org.apache.spark.deploy.history.HistoryServer",
        ]
        self.log = open(os.path.join(self.work, "history-server.log"), "w")
        env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def get(self, path):
        url = "http://127.0.0.1:%d/api/v1%s" % (self.port, path)
        with urllib.request.urlopen(url, timeout=600) as response:
            return json.load(response)

    def wait(self, path, ready=lambda answer: True, timeout=600):
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit("the History Server exited (%s); its log: %s" % (self.process.returncode, self.log.name))
            try:
                answer = self.get(path)
                if ready(answer):
                    return answer
            except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the History Server did not answer %s within %d s; its log: %s" % (path, timeout, self.log.name))
            time.sleep(0.05)

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.log.close()


def count_logs(log_dir):
    return sum(1 for name in os.listdir(log_dir) if not name.startswith("."))


def answers(log_dir, out_dir):
    server = HistoryServer(log_dir)
    try:
        expected = count_logs(log_dir)
        applications = server.wait("/applications", lambda apps: sum(len(app["attempts"]) for app in apps) >= expected)
        os.makedirs(out_dir, exist_ok=True)
        for application in applications:
            # An application with several attempts answers per attempt; SparkLedger's
            # execution_id is then <app id>-<attempt id>.
            for attempt in application["attempts"]:
                app_id = application["id"]
                base, name = "/applications/%s" % app_id, app_id
                if attempt.get("attemptId"):
                    base += "/" + attempt["attemptId"]
                    name += "-" + attempt["attemptId"]
                record = {
                    "application": dict(application, attempts=[attempt]),
                    "stages": server.wait(base + "/stages"),
                    "allexecutors": server.wait(base + "/allexecutors"),
                }
                with open(os.path.join(out_dir, name + ".json"), "w") as out:
                    json.dump(record, out, indent=1, sort_keys=True)
                    out.write("\n")
                print("history-server: %s (%s): %d stage attempts, %d executors"
                      % (name, application["name"], len(record["stages"]), len(record["allexecutors"])))
    finally:
        server.stop()


def replay_seconds(log_dir, app_id):
    server = HistoryServer(log_dir)
    try:
        server.wait("/applications/%s/stages" % app_id, timeout=1800)
        print("%.2f" % (time.monotonic() - server.started))
    finally:
        server.stop()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "answers":
        answers(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "replay-seconds":
        replay_seconds(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
