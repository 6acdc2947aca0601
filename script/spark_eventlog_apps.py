"""Small real Spark applications whose event logs are SparkLedger's import fixtures.

Run by script/regenerate-spark-fixtures, one application per process:

    python script/spark_eventlog_apps.py APP EVENT_LOG_DIR

APP is one of the names in APPS. Each runs Spark in local mode (pyspark from PyPI on the local
Java) and writes its event log into EVENT_LOG_DIR with the settings that application is about
(plain, zstd-compressed, rolling). `killed` never returns: it kills its own JVM mid-job, leaving an
`.inprogress` log behind, as a driver lost to the OOM killer or a node failure does.
"""

import os
import signal
import sys
import time

from pyspark import TaskContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def session(name, log_dir, master="local[2]", **conf):
    builder = (
        SparkSession.builder.appName(name)
        .master(master)
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + os.path.abspath(log_dir))
        .config("spark.eventLog.compress", "false")
        .config("spark.eventLog.rolling.enabled", "false")
        .config("spark.eventLog.logStageExecutorMetrics", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "6")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.executor.memory", "2g")
        .config("spark.executor.cores", "2")
        .config("spark.executor.instances", "3")
        .config("spark.driver.memory", "1g")
        .config("spark.dynamicAllocation.minExecutors", "1")
        .config("spark.dynamicAllocation.maxExecutors", "6")
        .config("spark.kubernetes.namespace", "sjns-analytics")
    )
    for key, value in conf.items():
        builder = builder.config(key.replace("_", "."), value)
    return builder.getOrCreate()


def orders_and_customers(spark, rows):
    orders = spark.range(rows).select(
        F.col("id").alias("order_id"),
        (F.col("id") % 997).alias("customer_id"),
        (F.col("id") * 7 % 1000 / 10.0).alias("amount"),
    )
    customers = spark.range(997).select(
        F.col("id").alias("customer_id"), F.concat(F.lit("c-"), F.col("id").cast("string")).alias("name")
    )
    return orders, customers


def shuffle_join(log_dir):
    """Jobs with several shuffle stages: a join, an aggregation, a sort; output written and read
    back. Sorters spill every 20,000 records, so the log has memory and disk spill."""
    spark = session("analytics/etl/orders_join", log_dir,
                    spark_shuffle_spill_numElementsForceSpillThreshold="20000",
                    spark_sql_windowExec_buffer_spill_threshold="20000")
    orders, customers = orders_and_customers(spark, 200_000)
    joined = orders.repartition(8).join(customers, "customer_id")
    totals = joined.groupBy("name").agg(F.sum("amount").alias("total"), F.count("*").alias("orders"))
    totals.orderBy(F.desc("total")).write.mode("overwrite").parquet(os.path.join(log_dir, "..", "out", "orders_join"))
    spark.read.parquet(os.path.join(log_dir, "..", "out", "orders_join")).agg(F.sum("orders")).collect()
    spark.stop()


def retried_task(log_dir):
    """One task fails on its first attempt and succeeds when retried (local[2,4]: 4 attempts)."""
    spark = session("analytics/etl/flaky_enrich", log_dir, master="local[2,4]")

    def enrich(rows):
        context = TaskContext.get()
        if context.partitionId() == 1 and context.attemptNumber() == 0:
            raise RuntimeError("transient failure on the first attempt of partition 1")
        for row in rows:
            yield (row % 50, row)

    rdd = spark.sparkContext.parallelize(range(50_000), 4).mapPartitions(enrich)
    rdd.reduceByKey(lambda a, b: a + b, 3).collect()
    spark.stop()


def failed_app(log_dir):
    """A job that fails in every attempt: the application ends, but with a failed job."""
    spark = session("analytics/etl/broken_parse", log_dir, master="local[2,2]")
    orders, _ = orders_and_customers(spark, 20_000)
    orders.groupBy("customer_id").count().collect()  # a job that succeeds first

    def parse(rows):
        for row in rows:
            if row == 12_345:
                raise ValueError("cannot parse record 12345")
            yield row

    try:
        spark.sparkContext.parallelize(range(20_000), 4).mapPartitions(parse).count()
    except Exception:
        pass
    spark.stop()


def killed(log_dir):
    """A driver killed mid-job: its log stays .inprogress, with no ApplicationEnd."""
    spark = session("analytics/etl/long_backfill", log_dir)
    orders, customers = orders_and_customers(spark, 100_000)
    orders.join(customers, "customer_id").groupBy("name").count().collect()
    sc = spark.sparkContext

    def slow(rows):
        for row in rows:
            time.sleep(0.002)
            yield row

    jvm_pid = int(sc._jvm.java.lang.ProcessHandle.current().pid())
    import threading

    def kill_later():
        time.sleep(4)
        os.kill(jvm_pid, signal.SIGKILL)
        os._exit(0)

    threading.Thread(target=kill_later, daemon=True).start()
    sc.parallelize(range(100_000), 8).mapPartitions(slow).map(lambda r: (r % 10, r)).reduceByKey(lambda a, b: a + b).collect()
    time.sleep(60)


def zstd_compressed(log_dir):
    """The default codec of compressed event logs: zstd (file name ends in .zstd)."""
    spark = session("analytics/reports/daily_revenue", log_dir,
                    spark_eventLog_compress="true", spark_eventLog_compression_codec="zstd",
                    spark_shuffle_spill_numElementsForceSpillThreshold="5000")
    orders, customers = orders_and_customers(spark, 150_000)
    daily = orders.withColumn("day", F.col("order_id") % 30).groupBy("day").agg(F.sum("amount").alias("revenue"))
    daily.join(orders.groupBy((F.col("order_id") % 30).alias("day")).count(), "day").orderBy("day").collect()
    orders.orderBy("amount").write.mode("overwrite").parquet(os.path.join(log_dir, "..", "out", "by_amount"))
    spark.stop()


def rolling(log_dir):
    """A rolling event log (eventlog_v2_<app>/events_N_<app>): many small tasks, files of 10 MiB."""
    spark = session("analytics/etl/wide_rollup", log_dir,
                    spark_eventLog_rolling_enabled="true", spark_eventLog_rolling_maxFileSize="10m",
                    spark_eventLog_compress="true", spark_eventLog_compression_codec="zstd",
                    spark_sql_shuffle_partitions="200")
    orders, customers = orders_and_customers(spark, 400_000)
    for round_ in range(5):
        orders.repartition(400).join(customers, "customer_id").groupBy("name").agg(F.sum("amount")).collect()
    spark.stop()


def big(log_dir):
    """The speed benchmark's log: about 100,000 tasks (two jobs, each a stage of 50,000 small
    partitions shuffled into 8), a plain file of several hundred MB."""
    partitions = int(os.environ.get("SPARKLEDGER_BIG_PARTITIONS", "50000"))
    spark = session("bench/etl/hundred_thousand_tasks", log_dir, spark_sql_shuffle_partitions="8")
    for modulus in (7, 11):
        numbers = spark.range(0, partitions * 20, 1, partitions)
        numbers.groupBy((F.col("id") % modulus).alias("k")).count().collect()
    spark.stop()


APPS = {
    "shuffle_join": shuffle_join,
    "retried_task": retried_task,
    "failed_app": failed_app,
    "killed": killed,
    "zstd_compressed": zstd_compressed,
    "rolling": rolling,
    "big": big,
}

if __name__ == "__main__":
    app, log_dir = sys.argv[1], sys.argv[2]
    os.makedirs(log_dir, exist_ok=True)
    APPS[app](log_dir)
