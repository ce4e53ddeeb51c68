/** The function run locally as deployed: HTTP to API Gateway events, the Lambda sandbox, the Runtime API emulator and {@code serve}. Imports {@code cli}, {@code inference.bundle}, {@code inference.classify}, {@code inference.fetch}, {@code inference.runtime}, {@code lambda.deploy}, {@code lambda.handler}. */
package dev.clothes.lambda.local;
