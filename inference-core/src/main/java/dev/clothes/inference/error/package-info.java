/** The base type of errors shown to a user or caller as they are; imports nothing of this project. */
package dev.clothes.inference.error;
