/** Deployment: the SAM template read as data for checks, and the function package laid out per architecture. Imports no handler, no inference code, no picocli. */
package dev.clothes.lambda.deploy;
