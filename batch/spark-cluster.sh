#!/usr/bin/env bash
# A Spark standalone cluster on this machine's loopback (everything bound to 127.0.0.1): one master and N
# workers started from the Spark release the batch module is built with, i.e. Maven's jars (nothing
# downloaded from elsewhere), laid out as a Spark installation under DIR/spark-home. Submits run
# spark-submit's own main class (org.apache.spark.deploy.SparkSubmit) on those jars, the driver in this
# process (client mode), the executors in JVMs the workers start, as on any standalone cluster.
set -euo pipefail
usage="usage: batch/spark-cluster.sh start [--workers N] [--cores N] [--memory SIZE] [--port PORT] [--ui-port PORT] [--dir DIR]
       batch/spark-cluster.sh submit [--dir DIR] [spark-submit options] APP_JAR [job arguments]
       batch/spark-cluster.sh stop [--dir DIR]
       batch/spark-cluster.sh status [--dir DIR]
  start    a master on 127.0.0.1:PORT (default 7077, web UI on --ui-port, default 8080, 0 for any free port) and
           N workers (default 2) offering N cores (default 1) and SIZE of executor memory (default 2g) each;
           returns once every worker has registered. Spark's jars come from batch/target/spark-classpath.txt,
           which any build of the module writes (built here if missing)
  submit   spark-submit against the master, every argument but --dir passed on; APP_JAR is e.g. the
           cluster jar, built by ./mvnw -q -B -ntp -pl batch -am -Pcluster-jar package -DskipTests
  stop     the workers (their executors with them), then the master
  status   the master URL and whether each process runs
  --dir    the cluster's state, logs and work folders (default batch/target/spark-cluster)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command="${1:-}"
[[ -n "$command" ]] || { echo "$usage" >&2; exit 2; }
shift
dir="$root/batch/target/spark-cluster"
workers=2
cores=1
memory=2g
port=7077
ui_port=8080
submit_args=()
while [[ $# -gt 0 ]]; do
  case "$command:$1" in
    *:--dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    # `submit --help` is this script's usage; after the jar, --help goes to the job.
    submit:-h|submit:--help) [[ ${#submit_args[@]} -eq 0 ]] && { echo "$usage"; exit 0; }; submit_args+=("$1"); shift ;;
    submit:*) submit_args+=("$1"); shift ;;
    *:-h|*:--help) echo "$usage"; exit 0 ;;
    start:--workers) workers="${2:?}"; shift 2 ;;
    start:--cores) cores="${2:?}"; shift 2 ;;
    start:--memory) memory="${2:?}"; shift 2 ;;
    start:--port) port="${2:?}"; shift 2 ;;
    start:--ui-port) ui_port="${2:?}"; shift 2 ;;
    *) echo "unknown argument for $command: $1" >&2; echo "$usage" >&2; exit 2 ;;
  esac
done
case "$command" in -h|--help) echo "$usage"; exit 0 ;; esac
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
home="$dir/spark-home"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The flags Spark needs on Java 17, as the build's own JVM gets them (spark-submit adds the same).
read -r -a jvm_flags <<< "$(grep -o -e '--add-opens=[^ ]*' -e '-Djdk.reflect.useDirectMethodHandle=[^ ]*' \
  "$root/.mvn/jvm.config" | tr '\n' ' ')"
# What Spark's own scripts set (load-spark-env.sh): the launcher that builds executor commands reads them.
export SPARK_HOME="$home" SPARK_CONF_DIR="$home/conf" SPARK_SCALA_VERSION=2.12
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_LOCAL_DIRS="$dir/local"

# Is the process in a pid file still the one this script started (not a recycled pid)?
running() {
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(cat "$1")"
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "org.apache.spark.deploy" \
    && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -F -- "$dir"
}

# Waits up to $2 seconds for a line matching $3 in log $1.
await() {
  local deadline=$((SECONDS + $2))
  until grep -q -E "$3" "$1" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "timed out after $2 s waiting for '$3' in $1:" >&2
      tail -n 30 "$1" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

stop_pid() {
  local file="$1" pid
  if running "$file"; then
    pid="$(cat "$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

case "$command" in
  start)
    [[ "$workers" =~ ^[1-9][0-9]*$ && "$cores" =~ ^[1-9][0-9]*$ ]] \
      || { echo "--workers and --cores must be positive whole numbers, got $workers and $cores" >&2; exit 2; }
    if running "$dir/master.pid"; then
      echo "a cluster already runs from $dir: $(cat "$dir/master-url") (stop it first)" >&2
      exit 1
    fi
    classpath_file="$root/batch/target/spark-classpath.txt"
    if [[ ! -f "$classpath_file" ]]; then
      echo "building the module to list Spark's jars ($classpath_file)" >&2
      (cd "$root" && ./mvnw -q -B -ntp -pl batch -am process-test-classes)
    fi
    rm -rf "$home" "$dir/logs" "$dir/work"
    mkdir -p "$home/jars" "$home/conf" "$dir/logs" "$dir/work" "$dir/local"
    tr ':' '\n' < "$classpath_file" | while read -r jar || [[ -n "$jar" ]]; do
      [[ -z "$jar" ]] || ln -s "$jar" "$home/jars/$(basename "$jar")"
    done
    # Drivers and executors log warnings only; the master and workers also log their state (INFO), which
    # this script waits on.
    cat > "$home/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
EOF
    sed 's/^rootLogger.level = warn/rootLogger.level = info/' "$home/conf/log4j2.properties" \
      > "$home/conf/log4j2-daemon.properties"
    daemon=("$java" "${jvm_flags[@]}" -Xmx512m "-Dlog4j.configurationFile=$home/conf/log4j2-daemon.properties"
      -Dspark.master.rest.enabled=false -cp "$home/conf:$home/jars/*")
    nohup "${daemon[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
      --webui-port "$ui_port" > "$dir/logs/master.log" 2>&1 < /dev/null &
    echo $! > "$dir/master.pid"
    await "$dir/logs/master.log" 60 "I have been elected leader" \
      || { stop_pid "$dir/master.pid"; exit 1; }
    master="spark://127.0.0.1:$port"
    echo "$master" > "$dir/master-url"
    for i in $(seq 1 "$workers"); do
      mkdir -p "$dir/work/worker-$i"
      nohup "${daemon[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
        --cores "$cores" --memory "$memory" --work-dir "$dir/work/worker-$i" "$master" \
        > "$dir/logs/worker-$i.log" 2>&1 < /dev/null &
      echo $! > "$dir/worker-$i.pid"
    done
    for i in $(seq 1 "$workers"); do
      await "$dir/logs/worker-$i.log" 90 "Successfully registered with master" || {
        "$0" stop --dir "$dir"
        exit 1
      }
    done
    ui="$(grep -o -E "MasterWebUI.*http://[^ ]*" "$dir/logs/master.log" | grep -o -E "http://[^ ]*" | head -n 1 || true)"
    echo "master $master (web UI ${ui:-off}), $workers workers x $cores cores, $memory each; logs in $dir/logs"
    ;;
  submit)
    running "$dir/master.pid" || { echo "no cluster runs from $dir (start it first)" >&2; exit 1; }
    # The driver runs in this JVM (client mode): as spark-submit does, its memory and Java options go on the
    # command line.
    driver_memory=2g
    driver_options=()
    for ((i = 0; i < ${#submit_args[@]} - 1; i++)); do
      case "${submit_args[i]}" in
        --driver-memory) driver_memory="${submit_args[i + 1]}" ;;
        --driver-java-options) read -r -a driver_options <<< "${submit_args[i + 1]}" ;;
      esac
    done
    # The driver listens on loopback; executors connect back to it there.
    exec "$java" "${jvm_flags[@]}" "-Xmx$driver_memory" "${driver_options[@]}" -cp "$home/conf:$home/jars/*" \
      org.apache.spark.deploy.SparkSubmit \
      --master "$(cat "$dir/master-url")" --deploy-mode client \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
      "${submit_args[@]}"
    ;;
  stop)
    for file in "$dir"/worker-*.pid; do
      [[ -e "$file" ]] && stop_pid "$file"
    done
    stop_pid "$dir/master.pid"
    rm -f "$dir/master-url"
    echo "stopped the cluster in $dir"
    ;;
  status)
    if running "$dir/master.pid"; then
      echo "master $(cat "$dir/master-url"): running (pid $(cat "$dir/master.pid"))"
    else
      echo "master: not running"
    fi
    for file in "$dir"/worker-*.pid; do
      [[ -e "$file" ]] || continue
      name="$(basename "$file" .pid)"
      if running "$file"; then echo "$name: running (pid $(cat "$file"))"; else echo "$name: not running"; fi
    done
    ;;
  *) echo "unknown command: $command" >&2; echo "$usage" >&2; exit 2 ;;
esac
