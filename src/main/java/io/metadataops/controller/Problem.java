package io.metadataops.controller;

/**
 * Something about a resource that stops the operator from acting on it, with a machine-readable
 * reason (condition reason) and a message that names the field and the fix.
 */
public record Problem(String reason, String message) {}
