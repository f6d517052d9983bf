package io.garden.common.service;

import io.vertx.core.VerticleBase;

import java.util.function.Supplier;

/** One verticle of a service, by the name it is reported under in /health; a fresh one from each call. */
public record ServicePart(String name, Supplier<VerticleBase> verticle) {
}
