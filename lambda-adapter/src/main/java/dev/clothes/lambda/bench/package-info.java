/** Benchmark mains that print the figures under lambda-adapter/reports: the function package, the local endpoint, the Node.js peer, the request path, reduced decoding, the out-of-distribution scorers. */
package dev.clothes.lambda.bench;
