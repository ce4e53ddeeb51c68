/** The Lambda function: API Gateway REST v1, HTTP API v2 and direct events to predictions or an error status. Imports {@code inference.bundle}, {@code inference.classify}, {@code inference.error}, {@code inference.fetch}, {@code inference.image}, {@code inference.json}, {@code inference.ood}, {@code inference.preprocess}. */
package dev.clothes.lambda.handler;
