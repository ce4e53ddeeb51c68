/** The throughput benchmark: the Spark job in local mode against a plain loop over Classifier, same images, one run. */
package dev.clothes.batch.bench;
