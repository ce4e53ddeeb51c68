/** A Spark standalone cluster on loopback, run by batch/spark-cluster.sh, and two scored tables compared row for row (the cluster's output against local mode's). Imports {@code batch.input}, {@code batch.output}; never {@code picocli}. */
package dev.clothes.batch.cluster;
